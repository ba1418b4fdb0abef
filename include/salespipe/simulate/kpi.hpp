// salespipe/simulate/kpi.hpp — the KPIs of <salespipe/kpi.hpp> evaluated on Monte Carlo
// results, each as an estimate {value, standard_error} over replications.
//
// On calendar results (simulate::results; optionally over a window of periods, e.g. after
// a warm-up): throughput (entries per time unit), wip (mean period-end WIP), value_rate
// (value + reward per time unit). On cohort results (cohort_result): win_rate and
// conversion_rate / cycle_time to an outcome, from the cohort's stage.
//
// User KPIs on calendar results: a type K whose per-replication value is given by
//
// | expression                        | returns | meaning                                 |
// |-----------------------------------|---------|-----------------------------------------|
// | `per_replication(k, r, rep)`      | double  | K's value in replication rep of r       |
//
// (found by argument-dependent lookup) is evaluated by `evaluate(k, r)`: the mean over
// replications with its standard error (SD / √n). Example:
//
//     namespace my {
//     struct big_year { double threshold; };  // share of runs booking >= threshold
//     inline double per_replication(const big_year& k, const salespipe::simulate::results& r,
//                                   std::size_t rep) {
//       const double* v = r.row(salespipe::simulate::quantity::value, r.node_index("won"), rep);
//       double s = 0;
//       for (std::size_t t = 0; t < r.periods(); ++t) s += v[t];
//       return s >= k.threshold ? 1.0 : 0.0;
//     }
//     }
#ifndef SALESPIPE_SIMULATE_KPI_HPP
#define SALESPIPE_SIMULATE_KPI_HPP

#include <cmath>
#include <cstddef>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <salespipe/error.hpp>
#include <salespipe/kpi.hpp>
#include <salespipe/simulate/cohort.hpp>
#include <salespipe/simulate/results.hpp>
#include <salespipe/simulate/summary.hpp>

namespace salespipe::simulate {

namespace detail {
template <class K, class = void>
struct has_per_replication : std::false_type {};
template <class K>
struct has_per_replication<K, std::void_t<decltype(double(per_replication(
                                  std::declval<const K&>(), std::declval<const results&>(), std::size_t{})))>>
    : std::true_type {};

inline mc_estimate mean_of(const std::vector<double>& x) {
  const summary s = summarize(x);
  return {s.mean, s.standard_error};
}

// Per replication: Σ over the window and the nodes of q, divided by the window length.
inline mc_estimate rate(const results& r, quantity q, const std::vector<std::size_t>& nodes, window w) {
  check_window(r, w);
  const double len = static_cast<double>(w.to - w.from);
  std::vector<double> x(r.replications(), 0.0);
  for (std::size_t n : nodes) {
    const auto t = window_totals(r, q, n, w);
    for (std::size_t i = 0; i < x.size(); ++i) x[i] += t[i];
  }
  for (auto& v : x) v /= len;
  return mean_of(x);
}

inline std::vector<std::size_t> nodes_or_all(const results& r, const std::string& id, bool stages_only) {
  if (!id.empty()) return {r.node_index(id)};
  std::vector<std::size_t> all;
  for (std::size_t n = 0; n < (stages_only ? r.stage_count() : r.node_ids().size()); ++n) all.push_back(n);
  return all;
}
}  // namespace detail

/// Entries into the node per time unit over window w (default: the whole horizon).
inline mc_estimate evaluate(const kpi::throughput& k, const results& r, window w) {
  return detail::rate(r, quantity::entries, {r.node_index(k.node)}, w);
}
/// Mean period-end WIP of the stage ("" = all stages) over window w.
inline mc_estimate evaluate(const kpi::wip& k, const results& r, window w) {
  const auto nodes = detail::nodes_or_all(r, k.stage, true);
  if (!k.stage.empty() && nodes[0] >= r.stage_count())
    throw invalid_option("wip: '" + k.stage + "' is an outcome, not a stage");
  return detail::rate(r, quantity::wip, nodes, w);
}
/// Value (on_enter, on_take into the node, and reward for stages) per time unit over w.
inline mc_estimate evaluate(const kpi::value_rate& k, const results& r, window w) {
  const auto nodes = detail::nodes_or_all(r, k.node, false);
  check_window(r, w);
  const double len = static_cast<double>(w.to - w.from);
  std::vector<double> x(r.replications(), 0.0);
  for (std::size_t n : nodes)
    for (quantity q : {quantity::value, quantity::reward}) {
      if (q == quantity::reward && n >= r.stage_count()) continue;
      const auto t = window_totals(r, q, n, w);
      for (std::size_t i = 0; i < x.size(); ++i) x[i] += t[i] / len;
    }
  return detail::mean_of(x);
}
template <class K, class = std::enable_if_t<std::is_same_v<K, kpi::throughput> || std::is_same_v<K, kpi::wip> ||
                                            std::is_same_v<K, kpi::value_rate>>>
mc_estimate evaluate(const K& k, const results& r) {
  return evaluate(k, r, window{0, r.periods()});
}

/// A user KPI (per_replication, table above): mean over replications and its SE.
template <class K, class = std::enable_if_t<detail::has_per_replication<K>::value>, class = void>
mc_estimate evaluate(const K& k, const results& r) {
  std::vector<double> x(r.replications());
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = per_replication(k, r, i);
  return detail::mean_of(x);
}

namespace detail {
inline const cohort_outcome& cohort_outcome_of(const cohort_result& c, const std::string& from, const std::string& to,
                                               const char* what) {
  if (!from.empty() && from != c.stage)
    throw invalid_option(std::string(what) + ": the cohort starts in '" + c.stage + "', not '" + from + "'");
  for (const auto& o : c.outcomes)
    if (o.id == to) return o;
  throw invalid_option(std::string(what) + ": '" + to + "' is not an outcome (cohort results " +
                       "follow deals to their outcome only)");
}
}  // namespace detail

/// P(end in the outcome | enter the cohort's stage).
inline mc_estimate evaluate(const kpi::win_rate& k, const cohort_result& c) {
  return detail::cohort_outcome_of(c, k.stage, k.outcome, "win_rate").probability;
}
/// P(reach the outcome | enter the cohort's stage) (outcomes only).
inline mc_estimate evaluate(const kpi::conversion_rate& k, const cohort_result& c) {
  return detail::cohort_outcome_of(c, k.from, k.to, "conversion_rate").probability;
}
/// Mean time to the outcome for the deals that end there (outcomes only).
inline mc_estimate evaluate(const kpi::cycle_time& k, const cohort_result& c) {
  const auto& o = detail::cohort_outcome_of(c, k.from, k.to, "cycle_time");
  return {o.time.mean, o.time.standard_error};
}

}  // namespace salespipe::simulate

#endif  // SALESPIPE_SIMULATE_KPI_HPP
