// salespipe/analytic/detail/forecast_run.hpp — the pieces of forecast() (analytic/forecast.hpp:
// method, error and cost): the source and open-pipeline injections, the period integrals of
// a renewal run's lattice masses, and the booking of entries, values, rewards and WIP.
#ifndef SALESPIPE_ANALYTIC_DETAIL_FORECAST_RUN_HPP
#define SALESPIPE_ANALYTIC_DETAIL_FORECAST_RUN_HPP

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <initializer_list>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <salespipe/analytic/detail/renewal.hpp>
#include <salespipe/analytic/forecast_options.hpp>
#include <salespipe/analytic/forecast_result.hpp>
#include <salespipe/calendar.hpp>
#include <salespipe/pipeline.hpp>

namespace salespipe::analytic {

namespace detail {

// Nodes on a cycle of routes with p > 0 (entered more than once by some deal).
template <class D>
std::vector<char> single_entry_nodes(const basic_pipeline<D>& pl) {
  const std::size_t S = pl.stage_count(), N = pl.node_count();
  std::vector<char> single(N, 1);
  for (std::size_t s = 0; s < S; ++s) {  // s on a cycle iff s reaches itself
    std::vector<char> seen(S, 0);
    std::vector<std::size_t> stack{s};
    while (!stack.empty()) {
      const std::size_t u = stack.back();
      stack.pop_back();
      for (const auto& r : pl.stage(u).routes)
        if (r.p > 0 && r.to_node < S && !seen[r.to_node]) {
          seen[r.to_node] = 1;
          stack.push_back(r.to_node);
        }
    }
    if (seen[s]) single[s] = 0;
  }
  return single;
}

// Per-period sums of lattice masses x against a cumulative G (values G[i] = G(i h),
// i in [-(n-1), periods·K]; index offset n-1). prepare() stores G and ∫G reversed, so the
// sums Σ_m x[m] G(b − m) run forwards in both arrays (detail::dot).
struct period_integrator {
  std::size_t K, periods, n;
  std::vector<double> G, G2;    // G at i·h and ∫G at i·h, offset n − 1
  std::vector<double> GR, G2R;  // reversed: GR[j] = G[2n − 1 − j]
  void prepare() {
    GR.assign(G.rbegin(), G.rend());
    G2R.assign(G2.rbegin(), G2.rend());
  }
  // Σ_{m < top} x[m] g(b − m) for a reversed g: g(b − m) = r[n − b + m].
  double sum_at(const std::vector<double>& x, const std::vector<double>& r, std::size_t b, std::size_t top) const {
    return dot(x.data(), r.data() + (n - b), 0, top);
  }
  // Σ_n x[n] (G(b − t_n) − G(a − t_n)) for a = kK, b = (k+1)K, each period k; gr is GR or G2R.
  void diff(const std::vector<double>& x, const std::vector<double>& gr, double w, std::vector<double>& out) const {
    // When g(−t) = 0 for t > 0 (as the cumulatives forecast() builds), the lower sum of
    // period k is the upper sum of period k − 1 (its terms beyond are 0): one sum each.
    if (gr.size() > n &&
        std::all_of(gr.begin() + static_cast<std::ptrdiff_t>(n + 1), gr.end(), [](double y) { return y == 0; })) {
      double below = 0;
      for (std::size_t k = 0; k < periods; ++k) {
        const std::size_t b = (k + 1) * K;
        const double upper = sum_at(x, gr, b, std::min(n, b + 1));
        out[k] += w * (upper - below);
        below = upper;
      }
      return;
    }
    for (std::size_t k = 0; k < periods; ++k) {
      const std::size_t a = k * K, b = a + K;
      const std::size_t top = std::min(n, b + 1);
      // For k = 0 the lower term vanishes: G(−t) = 0 for t > 0, and the mass at t = 0
      // belongs to [0, h/2] (a lattice mass at 0 is never before time 0).
      double s = sum_at(x, gr, b, top);
      if (a != 0) s -= sum_at(x, gr, a, top);
      out[k] += w * s;
    }
  }
  // Σ_n x[n] G((k+1)K − n) for each period k.
  void level(const std::vector<double>& x, double w, std::vector<double>& out) const {
    for (std::size_t k = 0; k < periods; ++k) {
      const std::size_t b = (k + 1) * K;
      out[k] += w * sum_at(x, GR, b, std::min(n, b + 1));
    }
  }
};

// One term of the stage flows of a run: the flow along route i of group g (lattice masses)
// is (*weight)[g][i] · (*completions)[g]; a run's flows are the sum of its terms.
struct flow_term {
  const std::vector<std::vector<double>>* completions;  // per group of the grid
  const std::vector<std::vector<double>>* weight;       // per group, per route
};

// Books one run into res: entries of each node (per-period sums into ent_out), on_take value
// of the stage flows and occupancy (entries − flows out − init_dep) as WIP and time in stage,
// weighted w. init_dep: departures of the deals in init_stage at time 0 (an open class),
// counted as present from 0 when `present` (a derivative run passes false). Linear in
// (entries, flows, init_dep): forecast() and forecast_derivative() share it.
template <class D>
void book_run(const basic_pipeline<D>& pl, const renewal_grid& grid, const period_integrator& pi,
              const std::vector<std::vector<double>>& entries, std::initializer_list<flow_term> flows,
              const std::vector<double>* init_dep, std::size_t init_stage, double w, bool present, forecast_result& res,
              std::vector<std::vector<double>>& ent_out) {
  const std::size_t S = pl.stage_count(), N = pl.node_count(), n = pi.n, periods = pi.periods;
  for (std::size_t v = 0; v < N; ++v) pi.diff(entries[v], pi.GR, 1.0, ent_out[v]);
  std::vector<std::vector<double>> occ(S);
  for (std::size_t s = 0; s < S; ++s) occ[s] = entries[s];
  for (const flow_term& t : flows)
    for (std::size_t gi = 0; gi < grid.groups().size(); ++gi) {
      const auto& g = grid.groups()[gi];
      const auto& st = pl.stage(g.stage);
      const std::vector<double>& c = (*t.completions)[gi];
      const std::vector<double>& wt = (*t.weight)[gi];
      double share = 0;
      for (double x : wt) share += x;
      if (share != 0)
        for (std::size_t m = 0; m < n; ++m) occ[g.stage][m] -= share * c[m];
      for (std::size_t i = 0; i < g.routes.size(); ++i)
        if (const auto& v = st.routes[g.routes[i]].on_take)
          if (wt[i] != 0) {
            const double take = w * wt[i] * mean(*v);
            pi.diff(c, pi.GR, take, res.taken_[g.stage]);
            pi.diff(c, pi.GR, take, res.taken_into_[g.to[i]]);
          }
    }
  if (init_dep) {
    for (std::size_t m = 0; m < n; ++m) occ[init_stage][m] -= (*init_dep)[m];
    if (present)
      for (std::size_t k = 0; k < periods; ++k) {  // the deal present from time 0
        res.wip_[init_stage][k] += w;
        res.time_[init_stage][k] += w;
      }
  }
  for (std::size_t s = 0; s < S; ++s) {
    pi.level(occ[s], w, res.wip_[s]);
    pi.diff(occ[s], pi.G2R, w, res.time_[s]);
  }
}

}  // namespace detail

namespace detail {

// Checks forecast()'s arguments (throws as forecast() documents); returns the lattice size.
template <class D>
std::size_t forecast_lattice(const basic_pipeline<D>& pl, std::size_t periods, const forecast_options& opt) {
  if (periods == 0) throw invalid_option("forecast: periods must be > 0");
  if (opt.steps_per_period == 0) throw invalid_option("forecast: steps_per_period must be > 0");
  const std::size_t n = periods * opt.steps_per_period + 1;  // lattice 0 .. periods
  const std::size_t S = pl.stage_count(), N = pl.node_count();
  std::size_t R = 0;  // routes: at most one duration transform of <= 4n values each
  for (std::size_t s = 0; s < S; ++s) R += pl.stage(s).routes.size();
  const double need = static_cast<double>(n) * static_cast<double>(3 * N + 4 * S + 4 * R + 20) * 8.0;
  if (need > static_cast<double>(opt.max_bytes))
    throw invalid_option("forecast: a lattice of " + std::to_string(n) + " points needs " +
                         salespipe::detail::num(need / 1048576) + " MiB, above max_bytes (" +
                         salespipe::detail::num(static_cast<double>(opt.max_bytes) / 1048576) +
                         " MiB): lower steps_per_period or periods");
  detail::check_no_zero_duration_loop(pl);
  return n;
}

// A forecast_result of the right shape with all flows 0.
template <class D>
forecast_result empty_forecast(const basic_pipeline<D>& pl, std::size_t periods) {
  const std::size_t S = pl.stage_count(), N = pl.node_count();
  forecast_result res;
  res.periods_ = periods;
  res.stages_ = S;
  res.ids_ = pl.node_ids();
  res.single_ = single_entry_nodes(pl);
  res.enter_value_.resize(N);
  res.enter_mean_.assign(N, 0.0);
  for (std::size_t s = 0; s < S; ++s) res.enter_value_[s] = pl.stage(s).on_enter;
  for (std::size_t o = 0; o < pl.outcome_count(); ++o) res.enter_value_[S + o] = pl.outcomes()[o].on_enter;
  for (std::size_t v = 0; v < N; ++v)
    if (res.enter_value_[v]) res.enter_mean_[v] = mean(*res.enter_value_[v]);
  const std::vector<double> zeros(periods, 0.0);
  res.source_.assign(N, zeros);
  res.taken_.assign(S, zeros);
  res.taken_into_.assign(N, zeros);
  res.reward_.assign(S, zeros);
  res.time_.assign(S, zeros);
  res.wip_.assign(S, zeros);
  return res;
}

// Sources by entry stage.
template <class D>
std::map<std::size_t, std::vector<const source*>> sources_by_stage(const basic_pipeline<D>& pl) {
  std::map<std::size_t, std::vector<const source*>> by_stage;
  for (const auto& src : pl.sources()) by_stage[src.stage_node].push_back(&src);
  return by_stage;
}

// pi's cumulative G = Λ (the summed cumulative rate of srcs) and ∫Λ.
inline void integrate_sources(period_integrator& pi, const std::vector<const source*>& srcs, double h) {
  const std::size_t n = pi.n, span = n + n;  // i in [-(n-1), n]
  pi.G.assign(span, 0.0);
  pi.G2.assign(span, 0.0);
  for (std::size_t i = n; i < span; ++i) {  // i − (n−1) = lattice index ≥ 1
    const double x = static_cast<double>(i - (n - 1)) * h;
    for (const source* s : srcs) pi.G[i] += s->cumulative(x);
    pi.G2[i] = pi.G2[i - 1] + h * (pi.G[i - 1] + pi.G[i]) / 2;
  }
  pi.prepare();
}

// pi's G = the unit step of one deal present from time 0 (its lattice mass at 0 spread over ±h/2).
inline void integrate_open(period_integrator& pi, double h) {
  const std::size_t n = pi.n, span = n + n;
  pi.G.assign(span, 0.0);
  pi.G2.assign(span, 0.0);
  for (std::size_t i = n - 1; i < span; ++i) {  // U(0) = 1/2, U(ih) = 1 (i ≥ 1); U2 = ∫U
    pi.G[i] = i == n - 1 ? 0.5 : 1.0;
    pi.G2[i] = i == n - 1 ? h / 8 : static_cast<double>(i - (n - 1)) * h;
  }
  pi.prepare();
}

// Open deals grouped by (stage, age): the count of each class.
template <class D>
std::map<std::pair<std::size_t, double>, std::size_t> open_classes_of(const basic_pipeline<D>& pl) {
  std::map<std::pair<std::size_t, double>, std::size_t> classes;
  for (const auto& o : pl.open_pipeline()) {  // `count` deals of one age: one class, O(1)
    if (o.ages.empty()) {
      if (o.count > 0) classes[{o.stage_node, o.age}] += o.count;
    } else {
      for (double a : o.ages) ++classes[{o.stage_node, a}];
    }
  }
  return classes;
}

// The first move of one open deal of age `age` in stage s: lattice masses of its entry into
// each node (inj, node × n or empty), of its departure from s (dep) and of the on_take value
// of that route by entered node (take).
struct open_start {
  std::vector<std::vector<double>> inj, take;
  std::vector<double> dep;
};
template <class D>
open_start open_class_start(const basic_pipeline<D>& pl, std::size_t s, double age, double h, std::size_t n) {
  const auto& st = pl.stage(s);
  double alive = 0;
  for (const auto& r : st.routes) alive += r.p * survival_of(route_duration(st, r), age);
  open_start o;
  o.inj.resize(pl.node_count());
  o.take.resize(pl.node_count());
  o.dep.assign(n, 0.0);
  for (const auto& r : st.routes) {
    const auto& d = route_duration(st, r);
    const double wj = r.p * survival_of(d, age) / alive;
    if (!(wj > 0)) continue;
    const auto q = lattice_masses(d, h, n, age);
    if (o.inj[r.to_node].empty()) o.inj[r.to_node].assign(n, 0.0);
    if (r.on_take && o.take[r.to_node].empty()) o.take[r.to_node].assign(n, 0.0);
    for (std::size_t m = 0; m < q.size(); ++m) {
      o.inj[r.to_node][m] += wj * q[m];
      o.dep[m] += wj * q[m];
      if (r.on_take) o.take[r.to_node][m] += wj * q[m] * mean(*r.on_take);
    }
  }
  return o;
}

// Books an open class's on_take value masses (per deal) for w deals into res.
inline void book_open_take(const period_integrator& pi, const std::vector<std::vector<double>>& take, std::size_t s,
                           double w, forecast_result& res) {
  for (std::size_t v = 0; v < take.size(); ++v)
    if (!take[v].empty()) {
      pi.diff(take[v], pi.GR, w, res.taken_[s]);
      pi.diff(take[v], pi.GR, w, res.taken_into_[v]);
    }
}

// reward = reward_rate × time in stage, per period.
template <class D>
void book_rewards(const basic_pipeline<D>& pl, forecast_result& res) {
  for (std::size_t s = 0; s < pl.stage_count(); ++s)
    for (std::size_t k = 0; k < res.periods_; ++k) res.reward_[s][k] = pl.stage(s).reward_rate * res.time_[s][k];
}

}  // namespace detail

}  // namespace salespipe::analytic

#endif  // SALESPIPE_ANALYTIC_DETAIL_FORECAST_RUN_HPP
