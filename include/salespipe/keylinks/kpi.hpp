// salespipe/keylinks/kpi.hpp — the KPIs that key links rank levers by, and their exact
// evaluation by solving the model (analytic engine).
//
//   entry_rate    steady-state entries per time unit into `node` (default: the target node)
//   value_rate    steady-state total value booked per time unit (all nodes: on_enter,
//                 on_take, rewards; = steady_state::value_rate)
//   cycle_time    steady-state mean time from arrival at a source to the first entry into
//                 `node`, for the deals that get there (source-mix weighted)
//   window_value  expected total value (all nodes, as forecast_result::total_value) over
//                 the periods of `window` of the exact forecast (open pipeline included)
//   p_hit         P(entries into `node` over `window` >= goal), exact forecast; goal
//                 defaults to the target's per_period × window length. `node` must be on
//                 no loop (its counts are then Poisson + Poisson-binomial).
// Steady-state KPIs read source rates at `rates_at` (0: the rates in force now).
#ifndef SALESPIPE_KEYLINKS_KPI_HPP
#define SALESPIPE_KEYLINKS_KPI_HPP

#include <cmath>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <salespipe/analytic/forecast.hpp>
#include <salespipe/analytic/sensitivity.hpp>
#include <salespipe/calendar.hpp>
#include <salespipe/detail/format.hpp>
#include <salespipe/error.hpp>
#include <salespipe/fwd.hpp>
#include <salespipe/pipeline.hpp>

namespace salespipe {
namespace keylinks {

enum class kpi_kind { entry_rate, value_rate, cycle_time, window_value, p_hit };

/// "entry_rate", "value_rate", "cycle_time", "window_value", "p_hit".
constexpr std::string_view to_string(kpi_kind k) noexcept {
  constexpr std::string_view names[] = {"entry_rate", "value_rate", "cycle_time", "window_value", "p_hit"};
  return names[static_cast<int>(k)];
}
/// The kind named `s`, or nullopt.
inline std::optional<kpi_kind> parse_kpi_kind(std::string_view s) noexcept {
  for (int i = 0; i < 5; ++i)
    if (to_string(static_cast<kpi_kind>(i)) == s) return static_cast<kpi_kind>(i);
  return std::nullopt;
}
/// True for the KPIs of the forecast (window_value, p_hit).
constexpr bool is_forecast_kpi(kpi_kind k) noexcept { return k == kpi_kind::window_value || k == kpi_kind::p_hit; }

/// Which KPI, at which node, over which window.
struct kpi_spec {
  kpi_kind kind = kpi_kind::entry_rate;
  std::string node;                     ///< "" = the model's target node
  period_window window{0, 12};          ///< forecast KPIs: periods [from, to)
  std::optional<double> goal;           ///< p_hit: entries needed (default target × window length)
  double rates_at = 0;                  ///< steady-state KPIs: time at which source rates are read
  analytic::forecast_options forecast;  ///< forecast KPIs: lattice options
};

/// A one-line description: "entry_rate at 'customer'", "window_value over periods [0, 12)".
inline std::string describe(const kpi_spec& k, const std::string& node) {
  std::string s(to_string(k.kind));
  if (k.kind != kpi_kind::value_rate && k.kind != kpi_kind::window_value) s += " at '" + node + "'";
  if (is_forecast_kpi(k.kind))
    s += " over periods [" + std::to_string(k.window.from) + ", " + std::to_string(k.window.to) + ")";
  return s;
}

/// The node the KPI is measured at (value_rate and window_value are model-wide: without a
/// node or a target they return 0, unused). Throws invalid_model (unknown node, or none given and
/// the model has no target).
inline std::size_t kpi_node(const pipeline& pl, const kpi_spec& k) {
  if (k.node.empty()) {
    if (!pl.target() && (k.kind == kpi_kind::value_rate || k.kind == kpi_kind::window_value))
      return 0;  // these KPIs are model-wide; the node is not used
    if (!pl.target()) throw invalid_model("KPI: no node given and the model has no target");
    return pl.target()->node_index;
  }
  const auto n = pl.find(k.node);
  if (!n)
    throw invalid_model("KPI: unknown node '" + k.node + "'" + salespipe::detail::did_you_mean(k.node, pl.node_ids()));
  return *n;
}

/// p_hit's goal (entries over the window). Throws invalid_model when there is none.
inline double kpi_goal(const pipeline& pl, const kpi_spec& k) {
  if (k.goal) return *k.goal;
  if (!pl.target()) throw invalid_model("KPI p_hit: no goal given and the model has no target");
  return pl.target()->per_period * static_cast<double>(k.window.size());
}

/// The value of the KPI from a forecast of pl (forecast KPIs only).
inline double kpi_from_forecast(const pipeline& pl, const kpi_spec& k, const analytic::forecast_result& f) {
  if (k.kind == kpi_kind::window_value) return f.sum(k.window, [&](std::size_t t) { return f.total_value(t); });
  return f.entries_distribution(kpi_node(pl, k), k.window).prob_at_least(kpi_goal(pl, k));
}

/// Checks the spec against pl (node, window, goal, p_hit's node on no loop). Throws
/// invalid_model or invalid_option naming what is wrong.
inline void check_kpi(const pipeline& pl, const kpi_spec& k) {
  const std::size_t v = kpi_node(pl, k);
  if (!is_forecast_kpi(k.kind)) return;
  if (k.window.to <= k.window.from)
    throw invalid_option("KPI " + std::string(to_string(k.kind)) + ": the window [" + std::to_string(k.window.from) +
                         ", " + std::to_string(k.window.to) + ") is empty");
  if (k.kind == kpi_kind::p_hit) {
    const double goal = kpi_goal(pl, k);
    if (!(goal >= 0)) throw invalid_option("KPI p_hit: the goal must be >= 0, got " + salespipe::detail::num(goal));
    if (!analytic::detail::single_entry_nodes(pl)[v])
      throw invalid_model("KPI p_hit: node '" + pl.node_id(v) +
                          "' is on a loop (its count distribution is "
                          "not available); choose another node");
  }
}

/// The KPI of pl, solved exactly (steady state or forecast over periods [0, window.to)).
/// Throws like check_kpi, singular_model as the engines do.
inline double evaluate(const pipeline& pl, const kpi_spec& k) {
  check_kpi(pl, k);
  if (is_forecast_kpi(k.kind)) return kpi_from_forecast(pl, k, analytic::forecast(pl, k.window.to, k.forecast));
  analytic::steady_state_options o;
  o.rates_at = k.rates_at;
  const auto s = analytic::steady_sensitivity(pl, kpi_node(pl, k), {}, o).value;
  return k.kind == kpi_kind::entry_rate ? s.entry_rate : k.kind == kpi_kind::value_rate ? s.value_rate : s.cycle_time;
}

}  // namespace keylinks
}  // namespace salespipe

#endif  // SALESPIPE_KEYLINKS_KPI_HPP
