// salespipe/calendar.hpp — windows of periods: fiscal years, quarters, rolling
// years. Period k is [k, k+1) in the model's time unit; a window is [from, to) in periods.
#ifndef SALESPIPE_CALENDAR_HPP
#define SALESPIPE_CALENDAR_HPP

#include <cstddef>
#include <string>

#include <salespipe/error.hpp>
#include <salespipe/period_window.hpp>
#include <salespipe/time_unit.hpp>

namespace salespipe {

/// Throws invalid_option unless from < to <= periods.
inline void check_window(period_window w, std::size_t periods) {
  if (!(w.from < w.to && w.to <= periods))
    throw invalid_option("window [" + std::to_string(w.from) + ", " + std::to_string(w.to) +
                         ") is empty or outside the horizon of " + std::to_string(periods) + " periods");
}

/// Periods in a year: day 365, week 52, month 12, quarter 4, year 1.
constexpr std::size_t periods_per_year(time_unit u) noexcept {
  constexpr std::size_t n[] = {365, 52, 12, 4, 1};
  return n[static_cast<int>(u)];
}

/// Fiscal year `which` (0 = the one in progress at time 0, 1 = the next, ...), clipped to
/// the horizon, when a fiscal year starts at period `fiscal_start` (and every
/// `per_year` periods before and after it). Throws invalid_option when fiscal_start is
/// outside the horizon or the fiscal year lies beyond it.
inline period_window fiscal_year(std::size_t periods, std::size_t fiscal_start, std::size_t which,
                                 std::size_t per_year = 12) {
  if (periods == 0) throw invalid_option("periods must be > 0");
  if (fiscal_start >= periods)
    throw invalid_option("fiscal start " + std::to_string(fiscal_start) + " is outside the horizon of " +
                         std::to_string(periods) + " periods");
  const std::size_t first = fiscal_start % per_year;  // start of the next fiscal year (or 0)
  const std::size_t start = first == 0 ? which * per_year : (which == 0 ? 0 : first + (which - 1) * per_year);
  const std::size_t end = first == 0 ? start + per_year : first + which * per_year;
  if (start >= periods)
    throw invalid_option("fiscal year " + std::to_string(which) + " starts at period " + std::to_string(start) +
                         ", outside the horizon of " + std::to_string(periods) + " periods");
  return {start, end < periods ? end : periods};
}

/// Fiscal quarter `which` (0 = the one in progress at time 0), quarters of per_year / 4
/// periods aligned on the fiscal year; clipped to the horizon. Throws like fiscal_year.
inline period_window fiscal_quarter(std::size_t periods, std::size_t fiscal_start, std::size_t which,
                                    std::size_t per_year = 12) {
  if (per_year % 4 != 0) throw invalid_option("quarters need a number of periods per year divisible by 4");
  return fiscal_year(periods, fiscal_start, which, per_year / 4);
}

/// The `length` periods ending with period `last` (inclusive), clipped at period 0.
/// Throws invalid_option when last is outside the horizon or length is 0.
inline period_window rolling_window(std::size_t periods, std::size_t last, std::size_t length = 12) {
  if (length == 0) throw invalid_option("rolling window length must be > 0");
  if (last >= periods)
    throw invalid_option("rolling window end " + std::to_string(last) + " is outside the horizon of " +
                         std::to_string(periods) + " periods");
  return {last + 1 >= length ? last + 1 - length : 0, last + 1};
}

}  // namespace salespipe

#endif  // SALESPIPE_CALENDAR_HPP
