// salespipe/analytic/kpi.hpp — the built-in KPIs (kpi.hpp) evaluated on the analytic
// engine's results: steady state (double) and coverage (coverage_ratio). The overloads extend
// salespipe::kpi::evaluate, found by argument-dependent lookup or called as kpi::evaluate.
//
//     auto ss = salespipe::analytic::solve_steady_state(p);
//     double w = evaluate(salespipe::kpi::win_rate{"prospect", "won"}, ss);  // P(won | enter prospect)
// Ids and undefined values as kpi.hpp says (unknown ids throw invalid_option; NaN where
// undefined).
#ifndef SALESPIPE_ANALYTIC_KPI_HPP
#define SALESPIPE_ANALYTIC_KPI_HPP

#include <cstddef>
#include <limits>
#include <string>
#include <utility>

#include <salespipe/analytic/results.hpp>
#include <salespipe/analytic/velocity.hpp>
#include <salespipe/error.hpp>
#include <salespipe/kpi.hpp>

namespace salespipe::kpi {

namespace detail {

inline std::size_t stage_index(const analytic::steady_state& ss, const std::string& id) {
  return ss.stage(id).node;  // throws invalid_option when unknown or an outcome
}

// Source-mix weighted P(reach n) and E[time to n | reached] for deals arriving at sources.
inline std::pair<double, double> from_sources(const analytic::steady_state& ss, std::size_t n) {
  double p = 0, pt = 0;
  for (const auto& st : ss.stages) {
    if (!(st.source_rate > 0) || !(st.p_reach[n] > 0)) continue;
    p += st.source_rate * st.p_reach[n];
    pt += st.source_rate * st.p_reach[n] * st.mean_time_to_reach[n];
  }
  if (!(ss.source_rate > 0)) return {0.0, std::numeric_limits<double>::quiet_NaN()};
  return {p / ss.source_rate, p > 0 ? pt / p : std::numeric_limits<double>::quiet_NaN()};
}

}  // namespace detail

/// P(reach `to` | enter `from`). Throws invalid_option for unknown ids or an outcome `from`.
inline double evaluate(const conversion_rate& k, const analytic::steady_state& ss) {
  const std::size_t to = ss.index_of(k.to);
  if (k.from.empty()) return detail::from_sources(ss, to).first;
  return ss.stages[detail::stage_index(ss, k.from)].p_reach[to];
}

/// P(end in `outcome` | enter `stage`).
inline double evaluate(const win_rate& k, const analytic::steady_state& ss) {
  const std::size_t o = ss.outcome(k.outcome).node - ss.stage_count();
  if (k.stage.empty()) return ss.outcomes[o].probability;
  return ss.stages[detail::stage_index(ss, k.stage)].p_absorb[o];
}

/// Mean time from entering `from` to first entering `to`, deals that get there; NaN if none.
inline double evaluate(const cycle_time& k, const analytic::steady_state& ss) {
  const std::size_t to = ss.index_of(k.to);
  if (k.from.empty()) return detail::from_sources(ss, to).second;
  return ss.stages[detail::stage_index(ss, k.from)].mean_time_to_reach[to];
}

/// Sales velocity toward the node (value per time unit).
inline double evaluate(const velocity& k, const analytic::steady_state& ss) {
  return analytic::sales_velocity(ss, k.node).value;
}

/// Mean deals in the stage (all stages when the id is empty).
inline double evaluate(const wip& k, const analytic::steady_state& ss) {
  if (k.stage.empty()) return ss.wip;
  return ss.stages[detail::stage_index(ss, k.stage)].wip;
}

/// Entries into the node per time unit.
inline double evaluate(const throughput& k, const analytic::steady_state& ss) {
  return ss.entry_rate(ss.index_of(k.node));
}

/// Value per time unit booked at the node (all nodes when the id is empty).
inline double evaluate(const value_rate& k, const analytic::steady_state& ss) {
  if (k.node.empty()) return ss.value_rate;
  return ss.value_rate_of(ss.index_of(k.node));
}

/// Open / required WIP of the stage; +infinity when nothing is required. Throws
/// invalid_option when the stage is not part of the coverage.
inline double evaluate(const coverage_ratio& k, const analytic::coverage& cov) {
  if (const auto* s = cov.find(k.stage)) return s->ratio;
  throw invalid_option("coverage_ratio: stage '" + k.stage + "' is not part of the coverage of '" + cov.node +
                       "' (the target cannot be reached from it, or it does not exist)");
}

}  // namespace salespipe::kpi

#endif  // SALESPIPE_ANALYTIC_KPI_HPP
