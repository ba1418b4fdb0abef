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

#include <cstddef>
#include <vector>

#include <salespipe/analytic/detail/forecast_run.hpp>
#include <salespipe/analytic/detail/renewal.hpp>
#include <salespipe/analytic/forecast_options.hpp>
#include <salespipe/analytic/forecast_result.hpp>
#include <salespipe/calendar.hpp>
#include <salespipe/pipeline.hpp>

namespace salespipe::analytic {

/// Expected entries, values, rewards and WIP per period [k, k+1), k < periods, and the
/// ingredients of exact window distributions (forecast_result). Throws invalid_option
/// (periods = 0, steps_per_period = 0, lattice above max_bytes), invalid_model
/// (zero-duration loop, naming its stages).
template <class D>
forecast_result forecast(const basic_pipeline<D>& pl, std::size_t periods, const forecast_options& opt = {}) {
  const std::size_t n = detail::forecast_lattice(pl, periods, opt), N = pl.node_count();
  const double h = 1.0 / static_cast<double>(opt.steps_per_period);
  const detail::renewal_grid grid(pl, h, n);
  forecast_result res = detail::empty_forecast(pl, periods);
  detail::period_integrator pi{opt.steps_per_period, periods, n, {}, {}, {}, {}};
  std::vector<std::vector<double>> route_p(grid.groups().size());
  for (std::size_t gi = 0; gi < grid.groups().size(); ++gi) route_p[gi] = grid.groups()[gi].p;
  auto book = [&](const detail::renewal_grid::run_result& r, const std::vector<double>* init_dep,
                  std::size_t init_stage, double w, std::vector<std::vector<double>>& ent_out) {
    detail::book_run(pl, grid, pi, r.entries, {{&r.completions, &route_p}}, init_dep, init_stage, w, true, res,
                     ent_out);
  };
  for (const auto& [entry, srcs] : detail::sources_by_stage(pl)) {
    detail::integrate_sources(pi, srcs, h);
    std::vector<std::vector<double>> inj(N);
    inj[entry].assign(n, 0.0);
    inj[entry][0] = 1.0;
    book(grid.run(inj), nullptr, 0, 1.0, res.source_);
  }
  detail::integrate_open(pi, h);
  for (const auto& [key, count] : detail::open_classes_of(pl)) {
    const auto [s, age] = key;
    const detail::open_start o = detail::open_class_start(pl, s, age, h, n);
    forecast_result::open_class c;
    c.stage = s;
    c.age = age;
    c.count = count;
    c.prob.assign(N, std::vector<double>(periods, 0.0));
    const double w = static_cast<double>(count);
    book(grid.run(o.inj), &o.dep, s, w, c.prob);
    detail::book_open_take(pi, o.take, s, w, res);
    res.open_.push_back(std::move(c));
  }
  detail::book_rewards(pl, res);
  return res;
}

}  // namespace salespipe::analytic

#endif  // SALESPIPE_ANALYTIC_FORECAST_HPP
