// salespipe/analytic/detail/loop_windows.hpp — the per-window transforms behind
// analytic/loop_counts.hpp: the backward recursion (detail/loop_pgf.hpp) run once per
// distinct window length, combined with the sources' arrivals and the open deals.
//
// A deal arriving from a source at time s in [jh, (j+1)h) moves within lattice-aligned
// windows as one entering its stage at jh (the lattice form forecast() integrates its
// means with), so the sources give a compound Poisson sum with log transform
//   Σ_j (Λ((j+1)h) − Λ(jh)) (χ_entry(jh) − 1).
// An open deal (forecast()'s classes: stage and age) takes route j w.p. p_j S_j(a)/Σ p_k S_k(a)
// after lattice_masses(d_j, h, n, age); as in forecast() its path is shifted by ±h/2, so
// half of each deal's lattice masses on a period boundary fall on either side: its
// transform is (g1 + g2)/2, g1 for the path on the lattice, g2 one step later.
// Windows of one length share one recursion over the latest of them (the lattice is
// time-homogeneous: an earlier window is a shift of it).
#ifndef SALESPIPE_ANALYTIC_DETAIL_LOOP_WINDOWS_HPP
#define SALESPIPE_ANALYTIC_DETAIL_LOOP_WINDOWS_HPP

#include <algorithm>
#include <complex>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <salespipe/analytic/detail/loop_pgf.hpp>
#include <salespipe/analytic/forecast.hpp>
#include <salespipe/calendar.hpp>
#include <salespipe/detail/format.hpp>
#include <salespipe/pipeline.hpp>

namespace salespipe::analytic::detail {

// An open deal's first move: route (index in its stage), weight, target, residual-time
// masses and their prefix sums.
struct open_move {
  std::size_t route = 0;
  double w = 0;
  std::size_t to = 0;
  std::vector<double> q, cum;
};
struct open_group {
  std::size_t stage = 0, count = 0;
  std::vector<open_move> moves;
};

// Per window and lane: the sources' log transform L and, per open class, one deal's
// transform with its path on the lattice (g1) or one step later (g2).
struct window_parts {
  std::vector<std::complex<double>> L;
  std::vector<std::vector<std::complex<double>>> g1, g2;
};

template <class D>
class loop_windows {
 public:
  /// Validates and prepares; throws invalid_option (periods or steps_per_period 0, a bad
  /// window, an unknown node index), invalid_model (a zero-duration loop).
  loop_windows(const basic_pipeline<D>& pl, std::size_t periods, std::size_t node, const std::vector<period_window>& ws,
               const forecast_options& opt, const std::string& who)
      : pl_(pl), v_(node), ws_(ws), max_bytes_(opt.max_bytes), who_(who) {
    if (periods == 0) throw invalid_option(who + "periods must be > 0");
    if (opt.steps_per_period == 0) throw invalid_option(who + "steps_per_period must be > 0");
    if (node >= pl.node_count())
      throw invalid_option(who + "node index " + std::to_string(node) + " is not a node (the pipeline has " +
                           std::to_string(pl.node_count()) + ")");
    for (const auto& w : ws) check_window(w, periods);
    check_no_zero_duration_loop(pl);
    K_ = opt.steps_per_period;
    const std::size_t n = periods * K_ + 1;
    const double h = 1.0 / static_cast<double>(K_);
    grid_.emplace(pl, h, n);
    eng_.emplace(*grid_, pl.stage_count(), node);
    for (const auto& src : pl.sources()) {
      auto& a = arrivals_[src.stage_node];
      a.resize(n - 1, 0.0);
      for (std::size_t j = 0; j + 1 < n; ++j)
        a[j] += src.cumulative(static_cast<double>(j + 1) * h) - src.cumulative(static_cast<double>(j) * h);
    }
    for (const auto& [key, count] : open_classes_of(pl)) {  // as forecast() forms them
      const auto& st = pl.stage(key.first);
      const double age = key.second;
      double alive = 0;
      for (const auto& r : st.routes) alive += r.p * survival_of(route_duration(st, r), age);
      open_group og{key.first, count, {}};
      for (std::size_t j = 0; j < st.routes.size(); ++j) {
        const auto& d = route_duration(st, st.routes[j]);
        const double wj = st.routes[j].p * survival_of(d, age) / alive;
        if (!(wj > 0)) continue;
        open_move mv{j, wj, st.routes[j].to_node, lattice_masses(d, h, n, age), {}};
        mv.cum.assign(mv.q.size() + 1, 0.0);
        for (std::size_t m = 0; m < mv.q.size(); ++m) mv.cum[m + 1] = mv.cum[m] + mv.q[m];
        og.moves.push_back(std::move(mv));
      }
      open_.push_back(std::move(og));
    }
    // r1 = [aK, bK) for every window; r2 = [0, bK + 1) for the open deals' later half when
    // a = 0 (a lattice mass at 0 never falls before time 0).
    for (const auto& w : ws) {
      const std::size_t a = w.from * K_, b = w.to * K_;
      last_end_[b - a] = std::max(last_end_[b - a], b);
      if (a == 0 && !open_.empty()) last_end_[b + 1] = std::max(last_end_[b + 1], b + 1);
    }
  }

  loop_windows(const loop_windows&) = delete;  // eng_ refers into grid_
  loop_windows& operator=(const loop_windows&) = delete;

  const std::vector<open_group>& open() const noexcept { return open_; }
  const basic_pipeline<D>& pipeline() const noexcept { return pl_; }

  /// The transforms of every window at the lanes `enter` (the mark of an entry into v)
  /// and take(stage, route) (the mark of taking that route into v: lanes, or empty).
  template <class Take>
  std::vector<window_parts> evaluate(const std::vector<std::complex<double>>& enter, Take take) const {
    const std::size_t F = enter.size();
    lane_marks mk{enter, {}};
    for (const auto& g : grid_->groups()) {
      mk.take.emplace_back();
      for (std::size_t i = 0; i < g.routes.size(); ++i)
        mk.take.back().push_back(g.to[i] == v_ ? take(g.stage, g.routes[i]) : std::vector<std::complex<double>>{});
    }
    std::vector<std::vector<std::vector<std::complex<double>>>> open_take(open_.size());
    for (std::size_t c = 0; c < open_.size(); ++c)
      for (const auto& mv : open_[c].moves)
        open_take[c].push_back(mv.to == v_ ? take(open_[c].stage, mv.route) : std::vector<std::complex<double>>{});
    std::vector<window_parts> parts(ws_.size());
    for (auto& p : parts) {
      p.L.assign(F, 0.0);
      p.g1.assign(open_.size(), std::vector<std::complex<double>>(F));
      p.g2 = p.g1;
    }
    for (const auto& [len, B] : last_end_) {
      const std::size_t A = B - len, end = B;
      if (eng_->bytes(end, F) > static_cast<double>(max_bytes_))
        throw invalid_option(who_ + "a window ending at lattice point " + std::to_string(end) + " with " +
                             std::to_string(F) + " transform points needs " +
                             salespipe::detail::num(eng_->bytes(end, F) / 1048576) +
                             " MiB, above max_bytes: lower steps_per_period or use shorter windows");
      const chi_table tb = eng_->run(A, end, mk);
      // One open deal's transform, its path at table time m + shift, window end `wend`.
      auto open_tf = [&](std::size_t c, long shift, std::size_t wend, std::size_t k) {
        std::complex<double> g = 1.0;
        for (std::size_t r = 0; r < open_[c].moves.size(); ++r) {
          const auto& mv = open_[c].moves[r];
          const std::size_t top = std::min(mv.q.size(), wend);
          std::complex<double> s = 1.0 - mv.cum[top];
          for (std::size_t m = 0; m < top; ++m) {
            if (mv.q[m] == 0) continue;
            const long t = static_cast<long>(m) + shift;
            std::complex<double> x = loop_pgf::chi(tb, A, v_, mv.to, t, k, enter[k]);
            if (!open_take[c][r].empty() && t >= static_cast<long>(A) && t < static_cast<long>(end))
              x *= open_take[c][r][k];
            s += mv.q[m] * x;
          }
          g += mv.w * (s - 1.0);
        }
        return g;
      };
      for (std::size_t i = 0; i < ws_.size(); ++i) {
        const std::size_t a = ws_[i].from * K_, b = ws_[i].to * K_;
        auto& p = parts[i];
        if (b - a == len) {
          const long d = static_cast<long>(end - b);
          for (const auto& [e, arr] : arrivals_)
            for (std::size_t j = 0; j < b; ++j) {
              if (arr[j] == 0) continue;
              const double* r = tb.row(static_cast<long>(j) + d, e);
              for (std::size_t k = 0; k < F; ++k) p.L[k] += arr[j] * std::complex<double>(r[2 * k] - 1, r[2 * k + 1]);
            }
          for (std::size_t c = 0; c < open_.size(); ++c)
            for (std::size_t k = 0; k < F; ++k) {
              p.g1[c][k] = open_tf(c, d, b, k);
              if (a > 0) p.g2[c][k] = open_tf(c, d - 1, b + 1, k);
            }
        }
        if (a == 0 && !open_.empty() && b + 1 == len)
          for (std::size_t c = 0; c < open_.size(); ++c)
            for (std::size_t k = 0; k < F; ++k) p.g2[c][k] = open_tf(c, static_cast<long>(end - b - 1), b + 1, k);
      }
    }
    return parts;
  }

 private:
  const basic_pipeline<D>& pl_;
  std::size_t v_, K_ = 1;
  std::vector<period_window> ws_;
  std::size_t max_bytes_;
  std::string who_;
  std::optional<renewal_grid> grid_;
  std::optional<loop_pgf> eng_;
  std::map<std::size_t, std::vector<double>> arrivals_;  // per entry stage and lattice step
  std::vector<open_group> open_;
  std::map<std::size_t, std::size_t> last_end_;  // window length → latest end (lattice)
};

}  // namespace salespipe::analytic::detail

#endif  // SALESPIPE_ANALYTIC_DETAIL_LOOP_WINDOWS_HPP
