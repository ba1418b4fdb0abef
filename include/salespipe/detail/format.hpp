// salespipe/detail/format.hpp — number formatting and id suggestions for messages.
#ifndef SALESPIPE_DETAIL_FORMAT_HPP
#define SALESPIPE_DETAIL_FORMAT_HPP

#include <algorithm>
#include <cstddef>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace salespipe::detail {

/// Shortest round-trip-ish text of a number for error messages ("1.5", "nan").
inline std::string num(double x, int digits = 12) {
  std::ostringstream os;
  os.precision(digits);
  os << x;
  return os.str();
}

/// Levenshtein distance, for "did you mean" suggestions (ids are short).
inline std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0u : 1u)});
      diag = up;
    }
  }
  return row[b.size()];
}

/// " (did you mean 'x'?)" for the closest candidate within a third of the length
/// (at least 2 edits), or "" when nothing is close.
inline std::string did_you_mean(std::string_view wrong, const std::vector<std::string>& ids) {
  const std::string* best = nullptr;
  std::size_t best_d = 0;
  for (const auto& id : ids) {
    const std::size_t d = edit_distance(wrong, id);
    if (!best || d < best_d) best = &id, best_d = d;
  }
  const std::size_t limit = std::max<std::size_t>(2, wrong.size() / 3);
  if (!best || best_d > limit) return {};
  return " (did you mean '" + *best + "'?)";
}

}  // namespace salespipe::detail

#endif  // SALESPIPE_DETAIL_FORMAT_HPP
