// salespipe/date.hpp — ISO-8601 calendar dates (YYYY-MM-DD) as day numbers.
//
// A day number counts days since 1970-01-01 (proleptic Gregorian calendar), so the
// difference of two day numbers is a duration in days.
#ifndef SALESPIPE_DATE_HPP
#define SALESPIPE_DATE_HPP

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

#include <salespipe/error.hpp>

namespace salespipe {

/// Day number of year-month-day (days since 1970-01-01; H. Hinnant's algorithm).
/// Precondition: a valid date.
constexpr std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

/// "YYYY-MM-DD" of a day number.
inline std::string format_date(std::int64_t day) {
  const std::int64_t z = day + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(y), m, d);
  return buf;
}

/// Parses "YYYY-MM-DD" (four-digit year 1000..9999, a real calendar day), optionally
/// followed by a time part starting with 'T' or ' ' which is ignored (CRM exports
/// often write timestamps). Returns the day number, or nullopt with `why` set.
inline std::optional<std::int64_t> try_parse_date(std::string_view s, std::string* why = nullptr) {
  auto fail = [&](const char* w) -> std::optional<std::int64_t> {
    if (why) *why = w;
    return std::nullopt;
  };
  if (s.size() < 10) return fail("expected a date YYYY-MM-DD");
  if (s.size() > 10 && s[10] != 'T' && s[10] != ' ') return fail("expected a date YYYY-MM-DD");
  auto digits = [&](std::size_t from, std::size_t n, unsigned& out) {
    out = 0;
    for (std::size_t i = from; i < from + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      out = out * 10 + static_cast<unsigned>(s[i] - '0');
    }
    return true;
  };
  unsigned y = 0, m = 0, d = 0;
  if (!digits(0, 4, y) || s[4] != '-' || !digits(5, 2, m) || s[7] != '-' || !digits(8, 2, d))
    return fail("expected a date YYYY-MM-DD");
  if (y < 1000) return fail("year before 1000");
  if (m < 1 || m > 12) return fail("month must be 01..12");
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  constexpr unsigned len[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const unsigned last = len[m - 1] + (m == 2 && leap ? 1u : 0u);
  if (d < 1 || d > last) return fail("no such day in that month");
  return days_from_civil(y, m, d);
}

/// Like try_parse_date; throws parse_error(where, "bad date '...': reason") on failure.
inline std::int64_t parse_date(std::string_view s, const std::string& where = "") {
  std::string why;
  if (auto d = try_parse_date(s, &why)) return *d;
  throw parse_error(where, "bad date '" + std::string(s.substr(0, 40)) + "': " + why);
}

}  // namespace salespipe

#endif  // SALESPIPE_DATE_HPP
