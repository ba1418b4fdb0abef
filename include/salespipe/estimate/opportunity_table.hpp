// salespipe/estimate/opportunity_table.hpp — an opportunity table as the fitter sees it: one
// checked deal per row (id, start day, close day and outcome when closed, amount) and the
// rows skipped with their reasons. Read from CSV by io/opportunity_csv.hpp.
#ifndef SALESPIPE_ESTIMATE_OPPORTUNITY_TABLE_HPP
#define SALESPIPE_ESTIMATE_OPPORTUNITY_TABLE_HPP

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <salespipe/error.hpp>

namespace salespipe::estimate {

struct skipped_row {
  std::size_t line = 0;
  std::string id;
  std::string reason;
};

inline constexpr std::size_t open_deal = static_cast<std::size_t>(-1);

struct deal {
  std::string id;
  std::size_t line = 0;
  std::int64_t start = 0;             ///< day number
  std::optional<std::int64_t> close;  ///< day number, closed deals only
  std::size_t outcome = open_deal;    ///< index into opportunity_data::outcomes
  double amount = std::nan("");       ///< NaN when empty
  bool is_open() const noexcept { return outcome == open_deal; }
};

struct opportunity_data {
  std::string file;
  std::vector<deal> deals;
  std::vector<std::string> outcomes;  ///< outcome ids, in stage_map order, unique
  std::vector<skipped_row> skipped;
  std::map<std::string, std::size_t> stage_counts;  ///< rows per CRM stage name (all rows)
  std::size_t rows = 0;
  std::int64_t as_of = 0;  ///< data end: given, or the latest date in the file
};

}  // namespace salespipe::estimate

#endif  // SALESPIPE_ESTIMATE_OPPORTUNITY_TABLE_HPP
