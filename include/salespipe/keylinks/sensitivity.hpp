// salespipe/keylinks/sensitivity.hpp — the derivative and the elasticity of a KPI with
// respect to every lever.
//
//   salespipe::pipeline p(salespipe::example_model());
//   auto t = salespipe::keylinks::sensitivities(p, {salespipe::keylinks::kpi_kind::value_rate});
//   for (const auto& r : t.rows) std::printf("%s %g\n", r.name.c_str(), r.elasticity);
//
// Methods, per KPI and lever (sensitivity::how says which was used for each row):
// - steady-state KPIs (entry_rate, value_rate, cycle_time), every lever: analytic, exact
//   (tangent-linear solves, analytic/sensitivity.hpp);
// - forecast KPIs, source and value levers: exact, by linearity. The forecast is linear in
//   the source rates, so d KPI / d ln(rate of the sources into a stage) is the window value of
//   those sources alone (one forecast without the other sources and the open pipeline); for
//   p_hit it is μ_a · P(N = g − 1), μ_a those sources' expected entries in the window, g the
//   goal rounded up (d/dμ P(Poisson(μ) + Y >= g) = P(Poisson(μ) + Y = g − 1)). Values enter
//   window_value linearly: d/d(on_enter mean) = expected entries into the node in the window,
//   d/d(reward rate) = expected time in the stage, d ln/d ln(on_take mean) = the window value
//   of that route's on_take alone (one forecast); p_hit counts entries and does not depend
//   on values (0).
// - forecast KPIs, conversion and duration levers: analytic, exact for the forecast's
//   lattice (tangent-linear differentiation of the renewal runs and, for p_hit, of the
//   Poisson-binomial count: analytic/forecast_sensitivity.hpp), all levers from one pass.
// Derivative: d KPI / d θ (θ = lever_value: route probability, mean time per visit in time
// units, source rate per time unit, value mean). Elasticity: d ln KPI / d ln θ (NaN when
// the KPI is 0).
#ifndef SALESPIPE_KEYLINKS_SENSITIVITY_HPP
#define SALESPIPE_KEYLINKS_SENSITIVITY_HPP

#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include <salespipe/analytic/forecast.hpp>
#include <salespipe/analytic/forecast_sensitivity.hpp>
#include <salespipe/analytic/sensitivity.hpp>
#include <salespipe/keylinks/kpi.hpp>
#include <salespipe/keylinks/lever.hpp>

namespace salespipe {
namespace keylinks {

/// How a derivative was obtained.
enum class method { analytic, linear_scaling };

constexpr std::string_view to_string(method m) noexcept {
  constexpr std::string_view names[] = {"analytic", "exact (linear)"};
  return names[static_cast<int>(m)];
}

/// The KPI's sensitivity to one lever.
struct sensitivity {
  lever lv;
  std::string name;       ///< lv.name()
  double parameter = 0;   ///< θ, the lever's value now
  double derivative = 0;  ///< d KPI / d θ
  double d_log = 0;       ///< d KPI / d ln θ = θ · derivative (the change per +100% of θ, linearised)
  double elasticity = 0;  ///< d ln KPI / d ln θ
  method how = method::analytic;
};

/// Sensitivities of one KPI.
struct sensitivity_table {
  kpi_spec kpi;
  std::string node;               ///< id of the KPI's node
  double value = 0;               ///< the KPI now
  std::vector<sensitivity> rows;  ///< one per lever, in the order given
};

namespace detail {

inline analytic::steady_direction direction_of(const pipeline& pl, const lever& l) {
  analytic::steady_direction d = analytic::zero_direction(pl);
  switch (l.kind) {
    case lever_kind::conversion:
      d.dp[analytic::route_number(pl, l.stage_node, l.route)] += 1;
      d.dp[analytic::route_number(pl, l.stage_node, l.lost_route)] -= 1;
      break;
    case lever_kind::duration: {  // all route means scale with τ: dm_r = m_r / τ
      const auto& st = pl.stage(l.stage_node);
      const double tau = lever_value(pl, l);
      for (std::size_t j = 0; j < st.routes.size(); ++j)
        d.dmean[analytic::route_number(pl, l.stage_node, j)] = mean(route_duration(st, st.routes[j])) / tau;
      break;
    }
    case lever_kind::source: d.dsource[l.stage_node] = 1; break;
    case lever_kind::take: d.dtake[analytic::route_number(pl, l.stage_node, l.route)] = 1; break;
    case lever_kind::reward: d.dreward[l.stage_node] = 1; break;
    default: d.denter[l.node] = 1; break;
  }
  return d;
}

}  // namespace detail

/// Derivative and elasticity of `k` with respect to each lever (all_levers(pl) when
/// `levers` is empty); see the header comment for the method of each. Throws like
/// evaluate().
inline sensitivity_table sensitivities(const pipeline& pl, const kpi_spec& k, std::vector<lever> levers = {}) {
  check_kpi(pl, k);
  if (levers.empty()) levers = all_levers(pl);
  sensitivity_table t;
  t.kpi = k;
  const std::size_t v = kpi_node(pl, k);
  t.node = pl.node_id(v);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (const auto& l : levers) {
    sensitivity s;
    s.lv = l;
    s.name = l.name();
    s.parameter = lever_value(pl, l, is_forecast_kpi(k.kind) ? 0.0 : k.rates_at);
    t.rows.push_back(s);
  }
  if (!is_forecast_kpi(k.kind)) {
    std::vector<analytic::steady_direction> dirs;
    for (const auto& l : levers) dirs.push_back(detail::direction_of(pl, l));
    analytic::steady_state_options o;
    o.rates_at = k.rates_at;
    const auto r = analytic::steady_sensitivity(pl, v, dirs, o);
    auto pick = [&](const analytic::steady_kpis& x) {
      return k.kind == kpi_kind::entry_rate   ? x.entry_rate
             : k.kind == kpi_kind::value_rate ? x.value_rate
                                              : x.cycle_time;
    };
    t.value = pick(r.value);
    for (std::size_t i = 0; i < levers.size(); ++i) {
      t.rows[i].derivative = pick(r.derivative[i]);
      t.rows[i].d_log = t.rows[i].derivative * t.rows[i].parameter;
    }
  } else {
    const analytic::forecast_result base = forecast(pl, k.window.to, k.forecast);
    t.value = kpi_from_forecast(pl, k, base);
    analytic::lattice_distribution counts;
    double goal = 0;
    if (k.kind == kpi_kind::p_hit) {
      counts = base.entries_distribution(v, k.window);
      goal = std::ceil(kpi_goal(pl, k) - 1e-9);
    }
    for (auto& s : t.rows) {
      const lever& l = s.lv;
      if (l.kind == lever_kind::source) {
        const pipeline alone(only_sources_into(pl, l.stage_node));
        const analytic::forecast_result f = forecast(alone, k.window.to, k.forecast);
        if (k.kind == kpi_kind::window_value) {
          s.d_log = kpi_from_forecast(alone, k, f);
        } else {
          const double mu = f.sum(k.window, [&](std::size_t q) { return f.source_entries(v, q); });
          const auto g = static_cast<std::size_t>(goal);
          s.d_log = goal >= 1 && g - 1 < counts.pmf.size() ? mu * counts.pmf[g - 1] : 0.0;
        }
        s.derivative = s.parameter > 0 ? s.d_log / s.parameter : nan;
        s.how = method::linear_scaling;
      } else if (l.kind == lever_kind::value) {
        s.derivative = k.kind == kpi_kind::window_value
                           ? base.sum(k.window, [&](std::size_t q) { return base.entries(l.node, q); })
                           : 0.0;
        s.d_log = s.derivative * s.parameter;
        s.how = method::linear_scaling;
      } else if (l.kind == lever_kind::reward) {  // value = rate × time in the stage
        s.derivative = k.kind == kpi_kind::window_value
                           ? base.sum(k.window, [&](std::size_t q) { return base.time_in_stage(l.stage_node, q); })
                           : 0.0;
        s.d_log = s.derivative * s.parameter;
        s.how = method::linear_scaling;
      } else if (l.kind == lever_kind::take) {  // the route's on_take value alone, / its mean
        if (k.kind == kpi_kind::window_value) {
          const pipeline alone(only_take_of(pl, l));
          s.d_log = kpi_from_forecast(alone, k, analytic::forecast(alone, k.window.to, k.forecast));
        }
        s.derivative = s.parameter > 0 ? s.d_log / s.parameter : nan;
        s.how = method::linear_scaling;
      }
    }
    // Conversion and duration levers: one pass of forecast derivatives.
    std::vector<analytic::forecast_direction> dirs;
    std::vector<std::size_t> rows;
    for (std::size_t i = 0; i < t.rows.size(); ++i) {
      const lever& l = t.rows[i].lv;
      if (l.kind != lever_kind::conversion && l.kind != lever_kind::duration) continue;
      analytic::forecast_direction d = analytic::zero_forecast_direction(pl);
      if (l.kind == lever_kind::conversion) {
        d.dp[analytic::route_number(pl, l.stage_node, l.route)] += 1;
        d.dp[analytic::route_number(pl, l.stage_node, l.lost_route)] -= 1;
      } else {
        d.dscale[l.stage_node] = 1;  // d / d ln τ
      }
      dirs.push_back(std::move(d));
      rows.push_back(i);
    }
    const auto ds = analytic::forecast_derivatives(pl, k.window.to, dirs, k.forecast);
    for (std::size_t j = 0; j < rows.size(); ++j) {
      sensitivity& s = t.rows[rows[j]];
      const analytic::forecast_result& d = ds[j];
      const double x = k.kind == kpi_kind::window_value
                           ? d.sum(k.window, [&](std::size_t q) { return d.total_value(q); })
                           : analytic::prob_at_least_derivative(base, d, v, k.window, kpi_goal(pl, k));
      if (s.lv.kind == lever_kind::conversion) {
        s.derivative = x;
        s.d_log = x * s.parameter;
      } else {
        s.d_log = x;
        s.derivative = s.parameter > 0 ? x / s.parameter : nan;
      }
      s.how = method::analytic;
    }
  }
  for (auto& s : t.rows) s.elasticity = t.value != 0 ? s.d_log / t.value : nan;
  return t;
}

}  // namespace keylinks
}  // namespace salespipe

#endif  // SALESPIPE_KEYLINKS_SENSITIVITY_HPP
