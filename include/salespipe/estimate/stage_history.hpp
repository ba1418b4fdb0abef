// salespipe/estimate/stage_history.hpp — a stage-history log as the fitter sees it: per deal
// its entries into nodes (stage or outcome, day) in time order, and the rows skipped with
// their reasons; history_at cuts it at a date. Read from CSV by io/stage_history_csv.hpp.
#ifndef SALESPIPE_ESTIMATE_STAGE_HISTORY_HPP
#define SALESPIPE_ESTIMATE_STAGE_HISTORY_HPP

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include <salespipe/error.hpp>
#include <salespipe/estimate/opportunity_table.hpp>

namespace salespipe::estimate {

/// One entry of a deal into a node.
struct history_step {
  std::size_t node = 0;  ///< index into history_data::nodes
  std::int64_t day = 0;  ///< day number of the entry
  std::size_t line = 0;
};

struct history_deal {
  std::string id;
  std::vector<history_step> steps;  ///< in time order; only the last may be an outcome
  double amount = std::nan("");     ///< last non-empty amount of the deal's rows; NaN if none
};

struct history_data {
  std::string file;
  std::vector<std::string> nodes;  ///< stage node ids first (model order), then outcomes
  std::size_t stage_count = 0;     ///< nodes[0, stage_count) are stages
  std::vector<history_deal> deals;
  std::vector<skipped_row> skipped;
  std::size_t rows = 0;
  std::int64_t as_of = 0;
  bool has_amount = false;
  bool is_stage(std::size_t node) const noexcept { return node < stage_count; }
  /// Index of node `id`, or nodes.size() when absent.
  std::size_t find(const std::string& id) const {
    return static_cast<std::size_t>(std::find(nodes.begin(), nodes.end(), id) - nodes.begin());
  }
};

/// The history as it was known at the end of day `cutoff`: deals first seen after it are
/// dropped, steps after it are removed (those deals are open at the cutoff), as_of = cutoff.
/// Skipped rows stay those of the whole file.
inline history_data history_at(const history_data& h, std::int64_t cutoff) {
  history_data out = h;
  out.deals.clear();
  for (const auto& deal : h.deals) {
    if (deal.steps.front().day > cutoff) continue;
    history_deal x{deal.id, {}, deal.amount};  // amounts are used for won deals only
    for (const auto& s : deal.steps)
      if (s.day <= cutoff) x.steps.push_back(s);
    out.deals.push_back(std::move(x));
  }
  out.as_of = cutoff;
  return out;
}

}  // namespace salespipe::estimate

#endif  // SALESPIPE_ESTIMATE_STAGE_HISTORY_HPP
