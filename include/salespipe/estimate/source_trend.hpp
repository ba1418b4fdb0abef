// salespipe/estimate/source_trend.hpp — a linear trend in the source rate: ordinary least
// squares on complete calendar months' counts of new deals, with a Student-t interval of
// the slope (Boost.Math), and the piecewise-constant rate schedule it implies.
#ifndef SALESPIPE_ESTIMATE_SOURCE_TREND_HPP
#define SALESPIPE_ESTIMATE_SOURCE_TREND_HPP

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <boost/math/distributions/students_t.hpp>

#include <salespipe/date.hpp>
#include <salespipe/error.hpp>
#include <salespipe/estimate/interval.hpp>
#include <salespipe/model.hpp>

namespace salespipe::estimate {

/// counts[i] deals in month i (consecutive complete months) ≈ level + slope * (i - last),
/// so `level` is the fitted count of the last complete month.
struct source_trend {
  std::vector<std::string> months;  ///< YYYY-MM, consecutive
  std::vector<double> counts;
  double level = 0;            ///< fitted deals in the last month
  double slope = 0;            ///< deals per month, per month
  interval slope_ci;           ///< Student-t interval (n - 2 degrees of freedom)
  double days_after_last = 0;  ///< days from the end of the last complete month to as_of

  /// Source rate per time unit (of `days_per_unit` days) at model time t (0 = as_of),
  /// extrapolated linearly, never below 0.
  double rate_at(double t, double days_per_unit) const {
    const double month = 365.2425 / 12;
    const double i = (days_after_last + t * days_per_unit) / month + 0.5;  // months after the last one's middle
    return std::max(0.0, level + slope * i) * days_per_unit / month;
  }
};

/// Fits the trend to the new deals dated `starts` (day numbers) over the complete calendar
/// months inside [first start, as_of]. Throws invalid_option with fewer than 3 complete
/// months.
inline source_trend fit_source_trend(const std::vector<std::int64_t>& starts, std::int64_t as_of, double level = 0.95) {
  if (starts.empty()) throw invalid_option("source trend: no deals");
  const std::int64_t first = *std::min_element(starts.begin(), starts.end());
  auto month_start = [](std::int64_t day) {
    return salespipe::parse_date(salespipe::format_date(day).substr(0, 7) + "-01");
  };
  auto next_month = [&](std::int64_t m0) { return month_start(m0 + 31); };
  std::int64_t m = month_start(first) == first ? first : next_month(month_start(first));
  source_trend t;
  std::vector<std::int64_t> bounds;
  while (next_month(m) - 1 <= as_of) bounds.push_back(m), m = next_month(m);
  if (bounds.size() < 3)
    throw invalid_option("source trend: needs at least 3 complete months of new deals, the data hold " +
                         std::to_string(bounds.size()));
  t.counts.assign(bounds.size(), 0.0);
  for (auto d : starts) {
    if (d < bounds.front() || d >= m) continue;
    const auto k = static_cast<std::size_t>(std::upper_bound(bounds.begin(), bounds.end(), d) - bounds.begin()) - 1;
    t.counts[k] += 1;
  }
  for (auto b : bounds) t.months.push_back(salespipe::format_date(b).substr(0, 7));
  t.days_after_last = static_cast<double>(as_of - (m - 1));
  const double n = static_cast<double>(bounds.size()), last = n - 1;
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (std::size_t i = 0; i < bounds.size(); ++i) {
    const double x = static_cast<double>(i) - last, y = t.counts[i];
    sx += x, sy += y, sxx += x * x, sxy += x * y;
  }
  const double vx = sxx - sx * sx / n;
  t.slope = (sxy - sx * sy / n) / vx;
  t.level = (sy - t.slope * sx) / n;  // intercept at x = 0: the last month
  double rss = 0;
  for (std::size_t i = 0; i < bounds.size(); ++i) {
    const double e = t.counts[i] - t.level - t.slope * (static_cast<double>(i) - last);
    rss += e * e;
  }
  const double se = n > 2 ? std::sqrt(rss / (n - 2) / vx) : 0;
  const double q = boost::math::quantile(boost::math::students_t_distribution<double>(n - 2), (1 + level) / 2);
  t.slope_ci = {t.slope - q * se, t.slope + q * se};
  return t;
}

/// Replaces the source's rate by the trend's, piecewise constant per period (the value at
/// each period's middle) for `periods` periods, then constant.
inline void apply_trend(source& s, const source_trend& t, double days_per_unit, std::size_t periods) {
  s.rate = t.rate_at(0.5, days_per_unit);
  s.schedule.clear();
  for (std::size_t k = 1; k < periods; ++k)
    s.from(static_cast<double>(k), t.rate_at(static_cast<double>(k) + 0.5, days_per_unit));
}

}  // namespace salespipe::estimate

#endif  // SALESPIPE_ESTIMATE_SOURCE_TREND_HPP
