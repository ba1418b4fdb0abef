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

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <string>
#include <vector>

#include <salespipe/analytic/calendar.hpp>
#include <salespipe/analytic/forecast.hpp>
#include <salespipe/distribution.hpp>
#include <salespipe/model.hpp>

namespace salespipe {

/// Effect of a scenario on one node, per period and per fiscal year.
struct lag_effect {
  std::string node;
  bool measured_as_value = true;  ///< true: on_enter value booked at the node; false: entries
  std::vector<double> extra_entries, extra_value;  ///< scenario − base, per period
  std::vector<double> base_measure;                ///< base value (or entries), per period
  period_window this_year, next_year;              ///< fiscal years 0 and 1 (clipped)
  double base_this = 0, base_next = 0;             ///< base measure in those years
  double extra_this = 0, extra_next = 0, extra_later = 0;  ///< extra measure; later = rest of horizon

  /// Extra measure as a percentage of the base one (NaN when the base is 0).
  double percent_this() const noexcept { return base_this != 0 ? 100 * extra_this / base_this : std::nan(""); }
  double percent_next() const noexcept { return base_next != 0 ? 100 * extra_next / base_next : std::nan(""); }
};

/// Compares two forecasts of the same model shape at `node` (the on_enter value when the
/// node has one, else entries), with fiscal years starting at `fiscal_start` (every
/// per_year periods); the next fiscal year is empty when it starts beyond the horizon.
/// Throws invalid_option (unknown node, horizons differ, fiscal start outside the horizon).
inline lag_effect compare(const forecast_result& base, const forecast_result& scenario,
                          const std::string& node, std::size_t fiscal_start, std::size_t per_year = 12) {
  if (base.periods() != scenario.periods())
    throw invalid_option("lag: the two forecasts have different horizons");
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
    if (k < e.this_year.to) e.base_this += b, e.extra_this += x;
    else if (k < e.next_year.to) e.base_next += b, e.extra_next += x;
    else e.extra_later += x;
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

// --- scenario builders (on the plain model; validate with basic_pipeline) ---

/// Source `index`'s rate multiplied by `factor` from time `from` on (schedule kept).
/// Throws invalid_option for a bad index, factor < 0 or from < 0.
template <class D>
basic_model<D> scale_source_from(basic_model<D> m, std::size_t index, double from, double factor) {
  if (index >= m.sources.size()) throw invalid_option("lag: no source " + std::to_string(index));
  if (!(factor >= 0) || !(from >= 0)) throw invalid_option("lag: factor and from must be >= 0");
  source& s = m.sources[index];
  const source old = s;
  std::vector<double> at{from};
  for (const auto& c : old.schedule) at.push_back(c.from);
  std::sort(at.begin(), at.end());
  at.erase(std::unique(at.begin(), at.end()), at.end());
  s.rate = old.rate_at(0) * (from <= 0 ? factor : 1);
  s.schedule.clear();
  for (double t : at)
    if (t > 0) s.schedule.push_back({t, old.rate_at(t) * (t >= from ? factor : 1)});
  return m;
}

/// The model without source `index`'s schedule entry `change` (to measure a planned change).
template <class D>
basic_model<D> remove_rate_change(basic_model<D> m, std::size_t index, std::size_t change) {
  if (index >= m.sources.size() || change >= m.sources[index].schedule.size())
    throw invalid_option("lag: no schedule entry " + std::to_string(change) + " in source " +
                         std::to_string(index));
  auto& sch = m.sources[index].schedule;
  sch.erase(sch.begin() + static_cast<std::ptrdiff_t>(change));
  return m;
}

/// Stage `stage`'s route to `to` with probability p (the remainder to lost adjusts).
template <class D>
basic_model<D> set_conversion(basic_model<D> m, const std::string& stage_id, const std::string& to, double p) {
  for (auto& s : m.stages)
    if (s.id == stage_id)
      for (auto& r : s.routes)
        if (r.to == to && !r.implicit) {
          r.p = p;
          return m;
        }
  throw invalid_option("lag: stage '" + stage_id + "' has no route to '" + to + "'");
}

/// `d` with every time multiplied by factor (> 0): mean × factor, shape kept.
inline distribution scaled(const distribution& d, double f) {
  if (!(f > 0)) throw invalid_option("lag: duration factor must be > 0");
  struct visitor {
    double f;
    distribution operator()(const exponential_dist& x) const { return exponential_dist(x.mean_value * f); }
    distribution operator()(const gamma_dist& x) const { return gamma_dist(x.shape, x.scale * f); }
    distribution operator()(const lognormal_dist& x) const { return lognormal_dist(x.mu + std::log(f), x.sigma); }
    distribution operator()(const weibull_dist& x) const { return weibull_dist(x.shape, x.scale * f); }
    distribution operator()(const fixed_dist& x) const { return fixed_dist(x.value * f); }
    distribution operator()(const uniform_dist& x) const { return uniform_dist(x.min * f, x.max * f); }
    distribution operator()(const empirical_dist& x) const {
      std::vector<double> s = x.given();
      for (auto& v : s) v *= f;
      return empirical_dist(std::move(s));
    }
  };
  return d.visit(visitor{f});
}

/// Stage `stage`'s durations (its own and its routes' overrides) scaled by factor.
inline model scale_mean_duration(model m, const std::string& stage_id, double factor) {
  for (auto& s : m.stages)
    if (s.id == stage_id) {
      s.duration = scaled(s.duration, factor);
      for (auto& r : s.routes)
        if (r.duration) r.duration = scaled(*r.duration, factor);
      return m;
    }
  throw invalid_option("lag: unknown stage '" + stage_id + "'");
}

}  // namespace salespipe

#endif  // SALESPIPE_ANALYTIC_LAG_HPP
