// salespipe/simulate/detail/engine.hpp — the body of the Monte Carlo engine behind
// simulate::run() (simulate/engine.hpp: semantics and determinism).
//
// How it runs (why it is fast): within a replication, deals are processed stage by stage
// over arrays. Each stage holds a batch of entry times; a pass over a stage draws the
// route uniforms, then each route's durations in one batch (sample_n: one dispatch per
// batch), books entries/values/reward/WIP, and appends the exits that fall inside the
// horizon to the next node's batch. Passes repeat until every batch is empty, which
// handles self-loops and cycles. Buffers live in a per-thread workspace reused across
// replications: no allocation after warm-up, no std::function, no exception in the loop.
#ifndef SALESPIPE_SIMULATE_DETAIL_ENGINE_HPP
#define SALESPIPE_SIMULATE_DETAIL_ENGINE_HPP

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <salespipe/detail/samplers.hpp>
#include <salespipe/distribution.hpp>
#include <salespipe/pipeline.hpp>
#include <salespipe/random.hpp>
#include <salespipe/simulate/detail/buffer.hpp>
#include <salespipe/simulate/detail/layout.hpp>
#include <salespipe/simulate/detail/poisson.hpp>
#include <salespipe/simulate/detail/workload.hpp>
#include <salespipe/simulate/options.hpp>
#include <salespipe/simulate/parallel.hpp>
#include <salespipe/simulate/results.hpp>
#include <salespipe/simulate/streams.hpp>

namespace salespipe::simulate::detail {

// n draws of d into out: the batch samplers of detail/samplers.hpp for the built-in
// kinds (one dispatch per batch, per-batch constants, the engine kept in registers),
// giving the same values as sample_n; sample_n for the others and for user types.
inline void draw_n(const distribution& d, random_engine& rng, double* out, std::size_t n) {
  namespace sd = salespipe::detail;
  if (const auto* x = d.get_if<exponential_dist>()) return sd::exponential_n(rng, x->mean_value, out, n);
  if (const auto* x = d.get_if<gamma_dist>()) return sd::gamma_n(rng, x->shape, x->scale, out, n);
  if (const auto* x = d.get_if<lognormal_dist>()) return sd::lognormal_n(rng, x->mu, x->sigma, out, n);
  if (const auto* x = d.get_if<weibull_dist>()) return sd::weibull_n(rng, x->shape, x->scale, out, n);
  if (const auto* x = d.get_if<uniform_dist>()) return sd::uniform_n(rng, x->min, x->max, out, n);
  sample_n(d, rng, out, n);
}
template <class D>
void draw_n(const D& d, random_engine& rng, double* out, std::size_t n) {
  sample_n(d, rng, out, n);
}

template <class D>
class engine {
 public:
  engine(const basic_pipeline<D>& p, const options& o) : p_(p), o_(o), plan_(p, o) {
    H_ = static_cast<double>(o.periods);
    h_last_ = std::nextafter(H_, 0.0);
    for (const auto& st : p.stages()) {
      stage_info si;
      si.reward = st.reward_rate;
      si.on_enter = st.on_enter ? &*st.on_enter : nullptr;
      double cum = 0;
      for (const auto& r : st.routes) {
        cum += r.p;
        si.routes.push_back(
            {&route_duration(st, r), r.to_node, r.on_take ? &*r.on_take : nullptr, cum, r.p, false, npos});
      }
      si.routes.back().cum = 2.0;  // rounding: the last route takes every u in [0, 1)
      stages_.push_back(std::move(si));
    }
    for (const auto& o2 : p.outcomes()) out_value_.push_back(o2.on_enter ? &*o2.on_enter : nullptr);
    for (const auto& src : p.sources()) {  // constant-rate segments clipped to [0, H)
      double from = 0, rate = src.rate;
      for (std::size_t k = 0; k <= src.schedule.size(); ++k) {
        const double to = k < src.schedule.size() ? std::min(src.schedule[k].from, H_) : H_;
        if (to > from && rate > 0) segments_.push_back({src.stage_node, from, to - from, rate});
        if (k < src.schedule.size()) from = std::max(from, src.schedule[k].from), rate = src.schedule[k].rate;
        if (from >= H_) break;
      }
    }
    for (const auto& g : p.open_pipeline())
      for (std::size_t i = 0; i < (g.ages.empty() ? std::size_t(g.size() > 0) : g.ages.size()); ++i)
        open_.push_back(make_open(g, g.age_of(i), g.ages.empty() ? g.count : 1));
    check_workload();
    open_in_.assign(stages_.size(), 0.0);
    for (const auto& it : open_) open_in_[it.stage] += static_cast<double>(it.count);
    counted_.assign(p.node_count(), 0);
    auto has = [&](std::size_t node, quantity q) {
      return plan_.slots[node * quantity_count + static_cast<std::size_t>(q)] != results_access::npos;
    };
    for (std::size_t node = 0; node < p.node_count(); ++node)
      counted_[node] = has(node, quantity::entries) || (node < stages_.size() && has(node, quantity::wip));
    for (std::size_t s = 0; s < stages_.size(); ++s)  // routes into outcomes nobody looks at
      for (auto& r : stages_[s].routes) {
        if (r.to >= stages_.size()) r.side = side_routes_++;
        r.skip = r.to >= stages_.size() && !counted_[r.to] && !has(r.to, quantity::value) && !has(s, quantity::wip) &&
                 !(stages_[s].reward > 0 && has(s, quantity::reward));
      }
    streams::check_capacity(o_.replications, o_.chunk_size, side_routes_);
  }

  results run() {
    const std::size_t n = plan_.range.last - plan_.range.first;
    const std::size_t workers = resolve_threads(o_.threads, n);
    results r = plan_.allocate();
    auto& series = results_access::series(r);
    const auto& slots = results_access::slots(r);
    std::vector<workspace> ws(workers);
    for (auto& w : ws) w.init(stages_.size(), p_.node_count(), o_.periods);
    const std::size_t cs = o_.chunk_size, first_rep = plan_.range.first * cs;
    const std::size_t done = for_each_chunk(n, workers, o_.progress, [&](std::size_t c, std::size_t wk) {
      const std::size_t chunk = plan_.range.first + c;
      random_engine rng(o_.seed, streams::chunk(chunk));
      const std::size_t end = std::min((chunk + 1) * cs, o_.replications);
      for (std::size_t g = chunk * cs; g < end; ++g) {
        workspace& w = ws[wk];
        const std::size_t off = (g - first_rep) * o_.periods;
        for (std::size_t node = 0; node < p_.node_count(); ++node)
          for (std::size_t q = 0; q < quantity_count; ++q) {
            const std::size_t s = slots[node * quantity_count + q];
            w.rows[node * quantity_count + q] = s == results_access::npos ? nullptr : series[s].data() + off;
          }
        w.side.clear();
        for (std::size_t t = 0; t < side_routes_; ++t)
          w.side.emplace_back(o_.seed, streams::outcome_route(g, side_routes_, t));
        replication(w, rng);
      }
    });
    if (done < n) {
      const std::size_t last = plan_.range.first + done;
      results_access::truncate(r, last, std::min(last * cs, o_.replications) - first_rep);
    }
    return r;
  }

 private:
  static constexpr std::size_t lanes = 4;
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);
  // Adds the periods of the n times t (all in [0, H)) to the lane counts h.
  static void count(std::uint32_t* h, std::size_t H, const double* t, std::size_t n) noexcept {
    std::size_t i = 0;
    for (; i + lanes <= n; i += lanes) {
      ++h[static_cast<std::size_t>(t[i])];
      ++h[H + static_cast<std::size_t>(t[i + 1])];
      ++h[2 * H + static_cast<std::size_t>(t[i + 2])];
      ++h[3 * H + static_cast<std::size_t>(t[i + 3])];
    }
    for (; i < n; ++i) ++h[static_cast<std::size_t>(t[i])];
  }
  // Count of period k summed over the lanes.
  static double lane_sum(const std::uint32_t* h, std::size_t H, std::size_t k) noexcept {
    return static_cast<double>(h[k] + h[H + k] + h[2 * H + k] + h[3 * H + k]);
  }

  struct route_info {
    const D* dur;
    std::size_t to;
    const distribution* on_take;
    double cum, p;
    bool skip;         // into an outcome, and nothing it changes is recorded
    std::size_t side;  // into an outcome: its index t among those routes; else npos
  };
  struct stage_info {
    std::vector<route_info> routes;
    double reward = 0;
    const distribution* on_enter = nullptr;
  };
  struct segment {
    std::size_t stage;
    double from, len, rate;
  };
  struct open_item {  // `count` open deals of one age in one stage
    std::size_t stage, count;
    double age;
    bool rejection;           // draw (route, T) jointly and keep T > age
    std::vector<double> cum;  // conditional route cdf given the age
  };
  struct workspace {
    std::vector<buffer> batch;    // pending entry times per stage
    buffer cur, u, t, d, v, out;  // current stage's times, uniforms, route times, exits, values
    std::vector<buffer> rt;       // entry times split by route
    // Entry (per node) and exit (per stage) counts per period, in `lanes` interleaved
    // copies: consecutive deals mostly fall in the same period, and one counter per
    // period would chain every increment through the same memory word.
    std::vector<std::uint32_t> ent, ext;
    std::vector<double*> rows;        // node * quantity_count + q -> row of this replication
    std::vector<random_engine> side;  // this replication's streams of the routes into outcomes
    void init(std::size_t S, std::size_t nodes, std::size_t H) {
      batch.resize(S);
      rows.assign(nodes * quantity_count, nullptr);
      ent.assign(nodes * lanes * H, 0);
      ext.assign(S * lanes * H, 0);
    }
  };

  open_item make_open(const open_deals& g, double age, std::size_t count) const {
    const auto& st = stages_[g.stage_node];
    open_item it{g.stage_node, count, age, false, {}};
    double alive = 0;
    for (const auto& r : st.routes) alive += r.p * survival_of(*r.dur, age), it.cum.push_back(alive);
    for (auto& c : it.cum) c /= alive;  // the pipeline checked alive > 0
    it.cum.back() = 2.0;
    it.rejection = age <= 0 || alive >= 0.25;  // expected tries <= 4
    return it;
  }

  // Refuses a run too long or a workspace too large, before running (workload.hpp).
  void check_workload() const {
    namespace sd = salespipe::detail;
    const workload wl = expected_workload(p_, H_);
    const double reps = static_cast<double>(plan_.reps), run = wl.total * reps;
    if (!(run <= o_.max_stage_entries))
      throw invalid_option("this run would simulate about " + sd::num(run, 3) + " stage entries (" +
                           sd::num(wl.total, 3) + " per replication x " + sd::num(reps) + " replications; most from " +
                           wl.largest + "), above max_stage_entries (" + sd::num(o_.max_stage_entries, 3) +
                           "): use fewer replications, the exact forecast, or raise max_stage_entries");
    // Pending entry times per stage, plus the current stage's arrays (times, uniforms,
    // route copies, exits, values): about 8 doubles per deal of the largest stage.
    double pending = 0, largest = 0;
    for (double e : wl.stage_entries) pending += e, largest = std::max(largest, e);
    const std::size_t chunks = plan_.range.last - plan_.range.first;
    const double workers = static_cast<double>(resolve_threads(o_.threads, chunks));
    const double ws = 8.0 * (pending + 8 * largest) * workers;
    const double record = static_cast<double>(plan_.series) * reps * static_cast<double>(o_.periods) * 8.0;
    if (ws + record > static_cast<double>(o_.memory_limit))
      throw invalid_option("a replication holds about " + sd::num(pending, 3) + " deals (most from " + wl.largest +
                           "): its workspace would take about " + sd::num(ws / (1 << 20), 3) + " MiB for " +
                           sd::num(workers) + " thread(s), with the record " + sd::num((ws + record) / (1 << 20), 3) +
                           " MiB, above memory_limit (" + sd::num(static_cast<double>(o_.memory_limit) / (1 << 20)) +
                           " MiB): lower the volume, use fewer threads, or raise memory_limit");
  }

  double* row(workspace& w, quantity q, std::size_t node) const {
    return w.rows[node * quantity_count + static_cast<std::size_t>(q)];
  }
  static std::size_t pick(const std::vector<route_info>& r, double u) noexcept {
    std::size_t j = 0;
    while (u >= r[j].cum) ++j;
    return j;
  }

  void replication(workspace& w, random_engine& rng) const {
    const std::size_t S = stages_.size(), H = o_.periods;
    std::fill(w.ent.begin(), w.ent.end(), 0u);
    std::fill(w.ext.begin(), w.ext.end(), 0u);
    for (const auto& it : open_) {  // open deals: in the stage since time 0 - age
      // Route and remaining time per deal (in deal order), then each route's deals in one
      // batch: the per-deal cost is two or three draws, as for new deals.
      const auto& routes = stages_[it.stage].routes;
      if (w.rt.size() < routes.size()) w.rt.resize(routes.size());
      for (std::size_t j = 0; j < routes.size(); ++j) w.rt[j].clear();
      for (std::size_t i = 0; i < it.count; ++i) {
        std::size_t j;
        double rem;
        if (it.rejection) {
          for (;;) {
            j = pick(routes, rng.uniform());
            const double T = sample(*routes[j].dur, rng);
            if (it.age <= 0 || T > it.age) {
              rem = T - it.age;
              break;
            }
          }
        } else {
          const double u = rng.uniform();
          j = 0;
          while (u >= it.cum[j]) ++j;
          rem = remaining_time(*routes[j].dur, it.age, rng);
        }
        *w.rt[j].grow(1) = rem;
      }
      for (std::size_t j = 0; j < routes.size(); ++j)
        if (const std::size_t m = w.rt[j].size()) {
          double* zero = w.u.reset(m);  // in the stage from time 0 on
          std::fill(zero, zero + m, 0.0);
          finish(w, routes[j].to < stages_.size() ? rng : w.side[routes[j].side], it.stage, j, zero, w.rt[j].data(), m);
        }
    }
    for (const auto& sg : segments_) {  // Poisson arrivals: exact per constant segment
      const auto k = static_cast<std::size_t>(salespipe::detail::poisson(rng, sg.rate * sg.len));
      double* t = w.batch[sg.stage].grow(k);
      random_engine g = rng;
      const double from = sg.from, len = sg.len, last = h_last_;
      for (std::size_t i = 0; i < k; ++i) t[i] = std::min(from + len * g.uniform(), last);
      rng = g;
    }
    for (bool any = true; any;) {
      any = false;
      for (std::size_t s = 0; s < S; ++s)
        if (w.batch[s].size()) {
          any = true;
          std::swap(w.batch[s], w.cur);
          process(w, rng, s);
          w.cur.clear();
        }
    }
    const std::size_t LH = lanes * H;
    for (std::size_t node = 0; node < p_.node_count(); ++node)
      if (double* e = row(w, quantity::entries, node))
        for (std::size_t k = 0; k < H; ++k) e[k] = lane_sum(w.ent.data() + node * LH, H, k);
    for (std::size_t s = 0; s < S; ++s)  // WIP at k+1 = open + entries − exits before k+1
      if (double* wr = row(w, quantity::wip, s)) {
        double run = open_in_[s];
        for (std::size_t k = 0; k < H; ++k)
          wr[k] = (run += lane_sum(w.ent.data() + s * LH, H, k) - lane_sum(w.ext.data() + s * LH, H, k));
      }
  }

  // Deals entering stage s at the times in w.cur.
  void process(workspace& w, random_engine& rng, std::size_t s) const {
    const stage_info& st = stages_[s];
    const std::size_t n = w.cur.size(), H = o_.periods;
    const double* t = w.cur.data();
    std::uint32_t* h = counted_[s] ? w.ent.data() + s * lanes * H : nullptr;
    if (st.on_enter) book(rng, *st.on_enter, row(w, quantity::value, s), t, n, w.v);
    const std::size_t R = st.routes.size();
    if (R == 1) {
      if (h) count(h, H, t, n);
      return finish_draw(w, rng, s, 0, t, n);
    }
    if (w.rt.size() < R) w.rt.resize(R);
    if (R == 2) {  // branch-free split (the common "convert or lost" stage), counting entries
      double* d0 = w.rt[0].reset(n);
      double* d1 = w.rt[1].reset(n);
      std::size_t n0 = 0, n1 = 0;
      random_engine g = rng;  // a local copy stays in registers
      const double c0 = st.routes[0].cum;
      std::uint32_t dummy[lanes] = {};
      const std::size_t step = h ? H : 0;
      std::uint32_t* hh = h ? h : dummy;
      for (std::size_t i = 0; i < n; ++i) {
        const bool second = g.uniform() >= c0;
        d0[n0] = t[i];
        d1[n1] = t[i];
        n0 += !second;
        n1 += second;
        ++hh[(i & (lanes - 1)) * step + (h ? static_cast<std::size_t>(t[i]) : 0)];
      }
      rng = g;
      if (n0) finish_draw(w, rng, s, 0, d0, n0);
      if (n1) finish_draw(w, rng, s, 1, d1, n1);
      return;
    }
    if (h) count(h, H, t, n);
    double* u = w.u.reset(n);
    for (std::size_t i = 0; i < n; ++i) u[i] = rng.uniform();
    if (R <= 8) {
      std::size_t counts[8] = {};
      double* dst[8];
      for (std::size_t j = 0; j < R; ++j) dst[j] = w.rt[j].reset(n);
      for (std::size_t i = 0; i < n; ++i) {
        const std::size_t j = pick(st.routes, u[i]);
        dst[j][counts[j]++] = t[i];
      }
      for (std::size_t j = 0; j < R; ++j)
        if (counts[j]) finish_draw(w, rng, s, j, dst[j], counts[j]);
    } else {  // many routes: one pass per route
      for (std::size_t j = 0; j < R; ++j) {
        double* dst = w.rt[0].reset(n);
        std::size_t c = 0;
        for (std::size_t i = 0; i < n; ++i) dst[c] = t[i], c += pick(st.routes, u[i]) == j;
        if (c) finish_draw(w, rng, s, j, dst, c);
      }
    }
  }

  void finish_draw(workspace& w, random_engine& rng, std::size_t s, std::size_t j, const double* t,
                   std::size_t m) const {
    const route_info& r = stages_[s].routes[j];
    if (r.skip) return;
    random_engine& g = r.to < stages_.size() ? rng : w.side[r.side];
    double* d = w.d.reset(m);
    draw_n(*r.dur, g, d, m);
    finish(w, g, s, j, t, d, m);
  }

  // m deals in stage s since times t, leaving by route j after durations d (d becomes
  // the exit times).
  void finish(workspace& w, random_engine& rng, std::size_t s, std::size_t j, const double* t, double* d,
              std::size_t m) const {
    const std::size_t H = o_.periods;
    const stage_info& st = stages_[s];
    const route_info& r = st.routes[j];
    const bool to_stage = r.to < stages_.size();
    buffer& target = to_stage ? w.batch[r.to] : w.out;
    if (!to_stage) target.clear();
    const std::size_t base = target.size();
    double* dst = target.grow(m);
    std::size_t c = 0;
    const double hz = H_;            // a local: the stores below could alias the member
    if (row(w, quantity::wip, s)) {  // compact the exits inside the horizon, counting them
      std::uint32_t* h = w.ext.data() + s * lanes * H;
      for (std::size_t i = 0; i < m; ++i) {
        const double x = d[i] += t[i];
        const bool in = x < hz;
        dst[c] = x;
        h[(i & (lanes - 1)) * H + (in ? static_cast<std::size_t>(x) : 0)] += in;
        c += in;
      }
    } else {
      for (std::size_t i = 0; i < m; ++i) {
        const double x = d[i] += t[i];
        dst[c] = x;
        c += x < hz;
      }
    }
    target.shrink(base + c);
    if (st.reward > 0)
      if (double* rw = row(w, quantity::reward, s))
        for (std::size_t i = 0; i < m; ++i) accrue(rw, st.reward, t[i], std::min(d[i], H_));
    if (r.on_take) book(rng, *r.on_take, row(w, quantity::value, r.to), dst, c, w.v);
    if (!to_stage) {
      if (counted_[r.to]) count(w.ent.data() + r.to * lanes * H, H, dst, c);
      if (const distribution* v = out_value_[r.to - stages_.size()])
        book(rng, *v, row(w, quantity::value, r.to), dst, c, w.v);
    }
  }

  // Draws n values of `dist` and adds them to the periods of the times `at` (row may be null).
  static void book(random_engine& rng, const distribution& dist, double* row_, const double* at, std::size_t n,
                   buffer& tmp) {
    if (n == 0) return;
    double* v = tmp.reset(n);
    draw_n(dist, rng, v, n);
    if (row_)
      for (std::size_t i = 0; i < n; ++i) row_[static_cast<std::size_t>(at[i])] += v[i];
  }

  // rate × the time spent in each period by the interval [a, b), 0 <= a <= b <= H.
  void accrue(double* rw, double rate, double a, double b) const {
    if (!(b > a)) return;
    const auto ka = static_cast<std::size_t>(a);
    const auto kb = static_cast<std::size_t>(b);
    if (ka == kb) {
      rw[ka] += rate * (b - a);
      return;
    }
    rw[ka] += rate * (static_cast<double>(ka + 1) - a);
    for (std::size_t k = ka + 1; k < kb; ++k) rw[k] += rate;
    if (kb < o_.periods) rw[kb] += rate * (b - static_cast<double>(kb));
  }

  const basic_pipeline<D>& p_;
  options o_;
  run_plan plan_;
  double H_ = 0, h_last_ = 0;
  std::vector<stage_info> stages_;
  std::vector<const distribution*> out_value_;
  std::vector<segment> segments_;
  std::vector<open_item> open_;
  std::vector<double> open_in_;  // open deals per stage at time 0
  std::vector<char> counted_;    // node whose entries are counted (recorded, or its WIP is)
  std::size_t side_routes_ = 0;  // routes into outcomes (T)
};

}  // namespace salespipe::simulate::detail

#endif  // SALESPIPE_SIMULATE_DETAIL_ENGINE_HPP
