// salespipe/analytic/forecast.hpp — the exact forecast per period from the sources (with
// their piecewise-constant schedules) and the open pipeline (each deal conditioned on its age).
//
// Method: one run of the discretised Markov renewal equation (detail/renewal.hpp, lattice
// step h = 1 / steps_per_period) per source stage (injection: one entry at 0) and per open
// class (deals sharing a stage and an age: route j w.p. p_j S_j(a)/Σ p_k S_k(a), remaining
// time T_j − a | T_j > a, discretised by local moment matching). A source's entries are the
// run's lattice masses integrated against its cumulative rate Λ:
//   E[entries in [k, k+1)] = Σ_n ent[n] (Λ(k+1 − nh) − Λ(k − nh)),
// exact for the lattice whenever the schedule changes on lattice points (Λ is then linear
// between them, which is what moment matching preserves); an open deal's masses are
// spread over ±h/2. Time in stage integrates the occupancy (entries − departures)
// against ∫Λ. Error: O(h²) in the period means for smooth durations; see
// forecast_options::steps_per_period and the tests for measured figures.
//
// Complexity: O(runs · groups · n log n) with n = periods · steps_per_period when no route
// loops back (FFT convolutions, detail/renewal.hpp), O(runs · n · Σ_groups support) with a
// loop; plus O(runs · nodes · periods · n) for the per-period sums.
#ifndef SALESPIPE_ANALYTIC_FORECAST_HPP
#define SALESPIPE_ANALYTIC_FORECAST_HPP

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <salespipe/analytic/calendar.hpp>
#include <salespipe/analytic/forecast_result.hpp>
#include <salespipe/detail/renewal.hpp>
#include <salespipe/pipeline.hpp>

namespace salespipe {

/// Options of forecast().
struct forecast_options {
  std::size_t steps_per_period = 32;  ///< lattice points per period (h = 1 / this), >= 1
  std::size_t max_bytes = std::size_t(256) << 20;  ///< memory limit of the lattice (bytes)
};

namespace detail {

// Cumulative arrivals Λ(x) = ∫_0^x rate(t) dt of a source, exact (piecewise linear).
inline double cumulative_rate(const source& s, double x) {
  if (x <= 0) return 0.0;
  double total = 0, t = 0, r = s.rate;
  for (const auto& c : s.schedule) {
    if (c.from >= x) break;
    total += r * (c.from - t);
    t = c.from;
    r = c.rate;
  }
  return total + r * (x - t);
}

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
  double sum_at(const std::vector<double>& x, const std::vector<double>& r, std::size_t b,
                std::size_t top) const {
    return dot(x.data(), r.data() + (n - b), 0, top);
  }
  // Σ_n x[n] (G(b − t_n) − G(a − t_n)) for a = kK, b = (k+1)K, each period k; gr is GR or G2R.
  void diff(const std::vector<double>& x, const std::vector<double>& gr, double w,
            std::vector<double>& out) const {
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

}  // namespace detail

/// Expected entries, values, rewards and WIP per period [k, k+1), k < periods, and the
/// ingredients of exact window distributions (forecast_result). Throws invalid_option
/// (periods = 0, steps_per_period = 0, lattice above max_bytes), invalid_model
/// (zero-duration loop, naming its stages).
template <class D>
forecast_result forecast(const basic_pipeline<D>& pl, std::size_t periods,
                         const forecast_options& opt = {}) {
  if (periods == 0) throw invalid_option("forecast: periods must be > 0");
  if (opt.steps_per_period == 0) throw invalid_option("forecast: steps_per_period must be > 0");
  const std::size_t K = opt.steps_per_period, n = periods * K + 1;  // lattice 0 .. periods
  const std::size_t S = pl.stage_count(), N = pl.node_count();
  std::size_t R = 0;  // routes: at most one duration transform of <= 4n values each
  for (std::size_t s = 0; s < S; ++s) R += pl.stage(s).routes.size();
  const double need = static_cast<double>(n) * static_cast<double>(3 * N + 4 * S + 4 * R + 20) * 8.0;
  if (need > static_cast<double>(opt.max_bytes))
    throw invalid_option("forecast: a lattice of " + std::to_string(n) + " points needs " +
                         detail::num(need / 1048576) + " MiB, above max_bytes (" +
                         detail::num(static_cast<double>(opt.max_bytes) / 1048576) +
                         " MiB): lower steps_per_period or periods");
  detail::check_no_zero_duration_loop(pl);
  const double h = 1.0 / static_cast<double>(K);
  detail::renewal_grid grid(pl, h, n);

  forecast_result res;
  res.periods_ = periods;
  res.stages_ = S;
  res.ids_ = pl.node_ids();
  res.single_ = detail::single_entry_nodes(pl);
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

  detail::period_integrator pi{K, periods, n, {}, {}, {}, {}};
  const std::size_t span = n + n;  // i in [-(n-1), n]
  // Adds one run's flows: x_of_node → `entries` rows, and stage flows scaled by `w`.
  auto accumulate = [&](const detail::renewal_grid::run_result& r, const std::vector<double>* init_dep,
                        std::size_t init_stage, double w, std::vector<std::vector<double>>& ent_out) {
    for (std::size_t v = 0; v < N; ++v) pi.diff(r.entries[v], pi.GR, 1.0, ent_out[v]);
    std::vector<std::vector<double>> occ(S, std::vector<double>(n, 0.0));
    for (std::size_t s = 0; s < S; ++s) occ[s] = r.entries[s];
    for (std::size_t gi = 0; gi < grid.groups().size(); ++gi) {
      const auto& g = grid.groups()[gi];
      const auto& st = pl.stage(g.stage);
      double share = 0;  // completions[gi] is per unit of flow; the group carries Σ p
      for (double pj : g.p) share += pj;
      for (std::size_t m = 0; m < n; ++m) occ[g.stage][m] -= share * r.completions[gi][m];
      for (std::size_t i = 0; i < g.routes.size(); ++i)
        if (const auto& v = st.routes[g.routes[i]].on_take) {
          const double take = w * g.p[i] * mean(*v);
          pi.diff(r.completions[gi], pi.GR, take, res.taken_[g.stage]);
          pi.diff(r.completions[gi], pi.GR, take, res.taken_into_[g.to[i]]);
        }
    }
    if (init_dep) {
      for (std::size_t m = 0; m < n; ++m) occ[init_stage][m] -= (*init_dep)[m];
      for (std::size_t k = 0; k < periods; ++k) {  // the deal present from time 0
        res.wip_[init_stage][k] += w;
        res.time_[init_stage][k] += w;
      }
    }
    for (std::size_t s = 0; s < S; ++s) {
      pi.level(occ[s], w, res.wip_[s]);
      pi.diff(occ[s], pi.G2R, w, res.time_[s]);
    }
  };

  // Sources, grouped by entry stage.
  std::map<std::size_t, std::vector<const source*>> by_stage;
  for (const auto& src : pl.sources()) by_stage[src.stage_node].push_back(&src);
  for (const auto& [entry, srcs] : by_stage) {
    pi.G.assign(span, 0.0);
    pi.G2.assign(span, 0.0);
    for (std::size_t i = n; i < span; ++i) {  // i − (n−1) = lattice index ≥ 1
      const double x = static_cast<double>(i - (n - 1)) * h;
      for (const source* s : srcs) pi.G[i] += detail::cumulative_rate(*s, x);
      pi.G2[i] = pi.G2[i - 1] + h * (pi.G[i - 1] + pi.G[i]) / 2;
    }
    pi.prepare();
    std::vector<std::vector<double>> inj(N);
    inj[entry].assign(n, 0.0);
    inj[entry][0] = 1.0;
    accumulate(grid.run(inj), nullptr, 0, 1.0, res.source_);
  }

  // Open deals, one run per (stage, age) class.
  std::map<std::pair<std::size_t, double>, std::size_t> classes;
  for (const auto& o : pl.open_pipeline())
    for (std::size_t i = 0; i < o.size(); ++i) ++classes[{o.stage_node, o.age_of(i)}];
  pi.G.assign(span, 0.0);
  pi.G2.assign(span, 0.0);
  for (std::size_t i = n - 1; i < span; ++i) {  // U(0) = 1/2, U(ih) = 1 (i ≥ 1); U2 = ∫U
    pi.G[i] = i == n - 1 ? 0.5 : 1.0;
    pi.G2[i] = i == n - 1 ? h / 8 : static_cast<double>(i - (n - 1)) * h;
  }
  pi.prepare();
  for (const auto& [key, count] : classes) {
    const auto [s, age] = key;
    const auto& st = pl.stage(s);
    double alive = 0;
    for (const auto& r : st.routes) alive += r.p * survival_of(route_duration(st, r), age);
    std::vector<std::vector<double>> inj(N);
    std::vector<double> dep(n, 0.0);
    std::vector<std::vector<double>> take(N);  // on_take value masses by entered node
    for (const auto& r : st.routes) {
      const auto& d = route_duration(st, r);
      const double sj = survival_of(d, age), wj = r.p * sj / alive;
      if (!(wj > 0)) continue;
      const auto q = detail::lattice_masses(d, h, n, age);
      if (inj[r.to_node].empty()) inj[r.to_node].assign(n, 0.0);
      for (std::size_t m = 0; m < q.size(); ++m) {
        inj[r.to_node][m] += wj * q[m];
        dep[m] += wj * q[m];
        if (r.on_take) {
          if (take[r.to_node].empty()) take[r.to_node].assign(n, 0.0);
          take[r.to_node][m] += wj * q[m] * mean(*r.on_take);
        }
      }
    }
    forecast_result::open_class c;
    c.stage = s;
    c.age = age;
    c.count = count;
    c.prob.assign(N, zeros);
    const double w = static_cast<double>(count);
    accumulate(grid.run(inj), &dep, s, w, c.prob);
    for (std::size_t v = 0; v < N; ++v)
      if (!take[v].empty()) {
        pi.diff(take[v], pi.GR, w, res.taken_[s]);
        pi.diff(take[v], pi.GR, w, res.taken_into_[v]);
      }
    res.open_.push_back(std::move(c));
  }
  for (std::size_t s = 0; s < S; ++s)
    for (std::size_t k = 0; k < periods; ++k) res.reward_[s][k] = pl.stage(s).reward_rate * res.time_[s][k];
  return res;
}

}  // namespace salespipe

#endif  // SALESPIPE_ANALYTIC_FORECAST_HPP
