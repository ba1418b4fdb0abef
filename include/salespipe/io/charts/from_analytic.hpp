// salespipe/io/charts/from_analytic.hpp — chart data from the analytic engine's results:
// the exact forecast (fan), a lag effect (lag chart), coverage (coverage chart) and
// time-to-outcome entry times (cdf curves).
#ifndef SALESPIPE_IO_CHARTS_FROM_ANALYTIC_HPP
#define SALESPIPE_IO_CHARTS_FROM_ANALYTIC_HPP

#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

#include <salespipe/analytic/forecast_result.hpp>
#include <salespipe/analytic/lag.hpp>
#include <salespipe/analytic/results.hpp>
#include <salespipe/analytic/transient.hpp>
#include <salespipe/calendar.hpp>
#include <salespipe/io/charts/bars.hpp>
#include <salespipe/io/charts/fan.hpp>
#include <salespipe/io/charts/lines.hpp>

namespace salespipe::io::charts {

/// Fan of node v per period from the exact forecast: entries (value = false) or the
/// on_enter value booked there (value = true, `value_bins` lattice points). Exact
/// quantiles when v is entered at most once; for a node on a loop only the mean is known
/// and the bands collapse onto it. Fiscal years start at fiscal_start (every per_year).
/// Throws invalid_option for a bad node index or (value = true) a node without value.
inline fan_data fan_from_forecast(const analytic::forecast_result& f, std::size_t v, bool value,
                                  std::size_t fiscal_start = 0, std::size_t per_year = 12,
                                  std::size_t value_bins = 1024) {
  if (v >= f.node_ids().size()) throw invalid_option("fan_from_forecast: no node " + std::to_string(v));
  fan_data d;
  d.title = (value ? "Value booked at '" : "Entries into '") + f.node_ids()[v] + "' per period (exact forecast)";
  d.y_label = value ? "value" : "entries";
  std::vector<period_window> ws;
  for (std::size_t k = 0; k < f.periods(); ++k) ws.push_back({k, k + 1});
  std::vector<analytic::lattice_distribution> dist;
  if (f.single_entry(v) && !ws.empty()) {
    if (value)
      dist = f.booked_distributions(v, ws, value_bins);
    else
      for (const auto& w : ws) dist.push_back(f.entries_distribution(v, w));
  }
  for (std::size_t k = 0; k < f.periods(); ++k) {
    fan_point p;
    p.mean = value ? f.booked(v, k) : f.entries(v, k);
    if (!dist.empty()) {
      p.p10 = dist[k].quantile(0.1), p.p25 = dist[k].quantile(0.25);
      p.p75 = dist[k].quantile(0.75), p.p90 = dist[k].quantile(0.9);
    } else {
      p.p10 = p.p25 = p.p75 = p.p90 = p.mean;
    }
    d.periods.push_back(p);
  }
  if (per_year > 0)
    for (std::size_t s = fiscal_start % per_year; s < f.periods(); s += per_year) d.fiscal_starts.push_back(s);
  return d;
}

/// Lag chart data of a lag effect (analytic/lag.hpp): the extra measure per period, split
/// at the effect's fiscal years.
inline lag_data lag_from(const analytic::lag_effect& e) {
  lag_data d;
  d.title = "Extra '" + e.node + "' " + (e.measured_as_value ? "value" : "entries") + " per period after the change";
  d.y_label = e.measured_as_value ? "extra value" : "extra entries";
  d.extra = e.measured_as_value ? e.extra_value : e.extra_entries;
  d.this_year_end = std::min(e.this_year.to, d.extra.size());
  d.next_year_end = e.next_year.size() == 0 ? d.this_year_end : std::min(e.next_year.to, d.extra.size());
  return d;
}

/// Coverage chart data: required vs open WIP of every stage that can reach the target.
inline coverage_data coverage_from(const analytic::coverage& c) {
  coverage_data d;
  d.title = "Coverage of the target: required vs open deals per stage";
  for (const auto& s : c.stages) d.stages.push_back({s.id, s.required_wip, s.open_wip});
  d.loophole = c.loophole_index;
  return d;
}

/// The cdf of an entry time (expected entries by t) on `points` + 1 points over [0, t_max].
inline curve cdf_curve(const analytic::entry_time& e, std::string label, double t_max, std::size_t points = 120) {
  curve c;
  c.label = std::move(label);
  for (std::size_t i = 0; i <= points; ++i) {
    const double t = t_max * static_cast<double>(i) / static_cast<double>(std::max<std::size_t>(points, 1));
    c.x.push_back(t);
    c.y.push_back(e.cumulative(t));
  }
  return c;
}

}  // namespace salespipe::io::charts

#endif  // SALESPIPE_IO_CHARTS_FROM_ANALYTIC_HPP
