// salespipe/analytic/lag.hpp — the lag of a change: how a change of inflow, conversion or
// duration shows up per period at a node, and how its extra value splits between this
// fiscal year, the next and later (both forecasts exact, analytic/forecast.hpp).
//
//   auto base = salespipe::pipeline(m);
//   auto more = salespipe::pipeline(salespipe::scale_source_from(m, 0, 1, 1.5));
//   auto e = salespipe::lag(base, more, 36, 0, "customer");
//   std::string s = salespipe::describe(e, "+50% leads from month 1");
#ifndef SALESPIPE_ANALYTIC_LAG_HPP
#define SALESPIPE_ANALYTIC_LAG_HPP

#include <cmath>
#include <cstddef>
#include <cstdio>
#include <string>
#include <vector>

#include <salespipe/analytic/forecast.hpp>
#include <salespipe/calendar.hpp>
#include <salespipe/edit.hpp>  // the scenario builders: scale_source_from, set_conversion, ...

namespace salespipe::analytic {

/// Effect of a scenario on one node, per period and per fiscal year.
struct lag_effect {
  std::string node;
  bool measured_as_value = true;                           ///< true: on_enter value booked at the node; false: entries
  std::vector<double> extra_entries, extra_value;          ///< scenario − base, per period
  std::vector<double> base_measure;                        ///< base value (or entries), per period
  period_window this_year, next_year;                      ///< fiscal years 0 and 1 (clipped)
  double base_this = 0, base_next = 0;                     ///< base measure in those years
  double extra_this = 0, extra_next = 0, extra_later = 0;  ///< extra measure; later = rest of horizon

  /// Extra measure as a percentage of the base one (NaN when the base is 0).
  double percent_this() const noexcept { return base_this != 0 ? 100 * extra_this / base_this : std::nan(""); }
  double percent_next() const noexcept { return base_next != 0 ? 100 * extra_next / base_next : std::nan(""); }
};

/// Compares two forecasts of the same model shape at `node` (the on_enter value when the
/// node has one, else entries), with fiscal years starting at `fiscal_start` (every
/// per_year periods); the next fiscal year is empty when it starts beyond the horizon.
/// Throws invalid_option (unknown node, horizons differ, fiscal start outside the horizon).
inline lag_effect compare(const forecast_result& base, const forecast_result& scenario, const std::string& node,
                          std::size_t fiscal_start, std::size_t per_year = 12) {
  if (base.periods() != scenario.periods()) throw invalid_option("lag: the two forecasts have different horizons");
  lag_effect e;
  e.node = node;
  const std::size_t v = base.node(node), P = base.periods();
  e.measured_as_value = base.enter_mean_.at(v) > 0;
  e.this_year = fiscal_year(P, fiscal_start, 0, per_year);
  // The next fiscal year may lie beyond the horizon: then it is empty ([P, P)).
  e.next_year = e.this_year.to < P ? fiscal_year(P, fiscal_start, 1, per_year) : period_window{P, P};
  for (std::size_t k = 0; k < P; ++k) {
    const double de = scenario.entries(v, k) - base.entries(v, k);
    const double dv = scenario.booked(v, k) - base.booked(v, k);
    e.extra_entries.push_back(de);
    e.extra_value.push_back(dv);
    const double b = e.measured_as_value ? base.booked(v, k) : base.entries(v, k);
    const double x = e.measured_as_value ? dv : de;
    e.base_measure.push_back(b);
    if (k < e.this_year.to)
      e.base_this += b, e.extra_this += x;
    else if (k < e.next_year.to)
      e.base_next += b, e.extra_next += x;
    else
      e.extra_later += x;
  }
  return e;
}

/// Forecasts both pipelines over `periods` and compares them (see compare()).
template <class D>
lag_effect lag(const basic_pipeline<D>& base, const basic_pipeline<D>& scenario, std::size_t periods,
               std::size_t fiscal_start, const std::string& node, const forecast_options& opt = {}) {
  return compare(forecast(base, periods, opt), forecast(scenario, periods, opt), node, fiscal_start,
                 periods_per_year(base.unit()));
}

/// The report's sentence: "<change> raises this fiscal year's <node> value by X% and next
/// year's by Y%" ("lowers" for a decrease; "entries" when the node has no value).
inline std::string describe(const lag_effect& e, const std::string& change) {
  const std::string what = "'" + e.node + "' " + (e.measured_as_value ? "value" : "entries");
  auto verb = [](double x) { return x < 0 ? "lowers" : "raises"; };
  auto part = [&](double pct, double extra, const char* year) {
    char buf[160];
    if (std::isnan(pct))  // nothing in the base year to compare with
      std::snprintf(buf, sizeof buf, "adds %.4g to %s", extra, year);
    else
      std::snprintf(buf, sizeof buf, "%s %s by %.1f%%", verb(pct), year, std::abs(pct));
    return std::string(buf);
  };
  const double a = e.percent_this(), b = e.percent_next();
  std::string s = change + " " + part(a, e.extra_this, ("this fiscal year's " + what).c_str());
  if (e.next_year.size() == 0) return s + " (the next fiscal year is beyond the horizon)";
  if (!std::isnan(a) && !std::isnan(b) && (a < 0) == (b < 0)) {
    char buf[64];
    std::snprintf(buf, sizeof buf, " and next year's by %.1f%%", std::abs(b));
    return s + buf;
  }
  return s + " and " + part(b, e.extra_next, "next year's");
}

}  // namespace salespipe::analytic

#endif  // SALESPIPE_ANALYTIC_LAG_HPP
