// salespipe/time_unit.hpp — the unit of every duration, rate and period of a model. Std only,
// so result types (analytic/results.hpp) name it without the distributions.
#ifndef SALESPIPE_TIME_UNIT_HPP
#define SALESPIPE_TIME_UNIT_HPP

#include <optional>
#include <string_view>

namespace salespipe {

/// The unit of every duration, rate and period of a model.
enum class time_unit { day, week, month, quarter, year };

/// "day", "week", "month", "quarter" or "year".
constexpr std::string_view to_string(time_unit u) noexcept {
  constexpr std::string_view names[] = {"day", "week", "month", "quarter", "year"};
  return names[static_cast<int>(u)];
}
/// The unit named `s`, or nullopt.
inline std::optional<time_unit> parse_time_unit(std::string_view s) noexcept {
  for (int i = 0; i < 5; ++i)
    if (to_string(static_cast<time_unit>(i)) == s) return static_cast<time_unit>(i);
  return std::nullopt;
}

}  // namespace salespipe

#endif  // SALESPIPE_TIME_UNIT_HPP
