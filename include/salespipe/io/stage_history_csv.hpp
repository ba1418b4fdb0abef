// salespipe/io/stage_history_csv.hpp — a stage-history log (the shape of a CRM's
// opportunity-history export: one row per stage change: deal id, stage, date entered,
// optional amount) read from CSV into per-deal stage sequences.
//
// Rows of one deal are taken in file order (they may be interleaved with other deals'
// rows). CRM stage names map to model nodes (several names may map to one node); nodes
// listed in `outcomes` are absorbing (Won, Lost, ...), every other node is a stage.
// Every row ends up in a deal's sequence or in `skipped` with the reason:
//  - skipped always (reported): rows of a stage in `skip`, identical duplicate rows,
//    a row whose node equals the deal's current node (no stage change), deals whose
//    first row is already an outcome (no time in any stage);
//  - bad rows throw parse_error("file:line:column", why), or with skip_bad_rows are
//    skipped and reported: empty id, unknown stage name, unparseable date, non-numeric or
//    negative amount, a date before the deal's previous row (dates out of order), a row
//    after the deal reached an outcome, a row with the same id, stage and date as an
//    earlier one but different other fields (conflicting duplicate).
#ifndef SALESPIPE_IO_STAGE_HISTORY_CSV_HPP
#define SALESPIPE_IO_STAGE_HISTORY_CSV_HPP

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

#include <salespipe/date.hpp>
#include <salespipe/error.hpp>
#include <salespipe/estimate/stage_history.hpp>
#include <salespipe/io/csv.hpp>

namespace salespipe::io {

/// Column names of the stage-history log. The amount column is optional: when no column
/// of that name exists, deals have no amount.
struct history_columns {
  std::string id = "deal_id";
  std::string stage = "stage";
  std::string date = "date";  ///< date the deal entered the stage
  std::string amount = "amount";
};

/// CRM stage name -> model node.
struct history_stage_map {
  /// CRM name -> node id, in model order. Empty: every CRM name is its own node id
  /// (then no name is unknown), stages in order of first appearance.
  std::vector<std::pair<std::string, std::string>> names;
  std::vector<std::string> skip;                     ///< CRM names whose rows are skipped (reported)
  std::vector<std::string> outcomes{"Won", "Lost"};  ///< node ids that are outcomes
};

struct history_read_options {
  history_columns columns;
  history_stage_map stages;
  bool skip_bad_rows = false;         ///< report bad rows instead of throwing
  std::optional<std::int64_t> as_of;  ///< data end (day number); default: latest date
};

/// Reads a stage-history log. Throws parse_error for a missing column, an empty table,
/// a bad row (unless skip_bad_rows; see the header comment), an as_of before a date in
/// the file, or a map with no stage node.
inline estimate::history_data read_stage_history(const io::csv_table& t, const history_read_options& opt = {}) {
  const auto& c = opt.columns;
  const std::size_t ci = t.column(c.id), cs = t.column(c.stage), cd = t.column(c.date);
  const auto ca = t.find_column(c.amount);
  estimate::history_data d;
  d.file = t.file;
  d.rows = t.rows.size();
  d.has_amount = ca.has_value();
  if (t.rows.empty()) throw parse_error(t.file, "no data rows");
  const auto& map = opt.stages;
  auto is_outcome = [&](const std::string& n) {
    return std::find(map.outcomes.begin(), map.outcomes.end(), n) != map.outcomes.end();
  };
  // node order: stages in map (or first appearance) order, then outcomes in map order
  std::vector<std::string> stage_ids;
  auto add_stage = [&](const std::string& n) {
    if (!is_outcome(n) && std::find(stage_ids.begin(), stage_ids.end(), n) == stage_ids.end()) stage_ids.push_back(n);
  };
  for (const auto& [crm, node] : map.names) add_stage(node);
  if (map.names.empty())
    for (const auto& row : t.rows) {
      const std::string s = io::detail::trim(row[cs]);
      if (!s.empty() && std::find(map.skip.begin(), map.skip.end(), s) == map.skip.end()) add_stage(s);
    }
  if (stage_ids.empty()) throw parse_error(t.file, "no stage: every mapped name is an outcome or skipped");
  d.nodes = stage_ids;
  d.stage_count = stage_ids.size();
  for (const auto& o : map.outcomes) d.nodes.push_back(o);
  auto node_of = [&](const std::string& crm) -> std::optional<std::size_t> {
    if (map.names.empty()) return d.find(crm) < d.nodes.size() ? std::optional<std::size_t>(d.find(crm)) : std::nullopt;
    for (const auto& [name, node] : map.names)
      if (name == crm) return d.find(node);
    return std::nullopt;
  };

  struct state {
    std::size_t deal;
    std::size_t last_row;  // row index of the last accepted row
  };
  std::unordered_map<std::string, state> by_id;
  std::map<std::tuple<std::string, std::string, std::int64_t>, std::size_t> seen;  // (id, stage, day) -> row
  std::int64_t latest = INT64_MIN;
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    const auto& row = t.rows[r];
    auto field = [&](std::size_t col) { return io::detail::trim(row[col]); };
    const std::string id = field(ci), stage = field(cs);
    const std::size_t line = t.lines[r];
    if (std::find(map.skip.begin(), map.skip.end(), stage) != map.skip.end()) {
      d.skipped.push_back({line, id, "stage '" + stage + "' is skipped by the stage map"});
      continue;
    }
    std::string where, why, note;
    auto bad = [&](std::size_t col, std::string w) {
      if (why.empty()) where = t.where(r, col), why = std::move(w);
    };
    const auto node = node_of(stage);
    std::int64_t day = 0;
    double amount = std::nan("");
    if (id.empty()) bad(ci, "empty id");
    if (!node) {
      std::string names;
      for (const auto& [name, n] : map.names) names += (names.empty() ? "" : ", ") + name;
      for (const auto& s : map.skip) names += (names.empty() ? "" : ", ") + s;
      bad(cs, "unknown stage '" + stage + "' (known: " + names + ")");
    }
    {
      std::string w;
      const auto sd = salespipe::try_parse_date(field(cd), &w);
      if (!sd)
        bad(cd, "date '" + field(cd) + "': " + w);
      else
        day = *sd;
    }
    if (ca && !field(*ca).empty()) {
      const std::string a = field(*ca);
      char* end = nullptr;
      const double v = std::strtod(a.c_str(), &end);
      if (end != a.c_str() + a.size() || !std::isfinite(v))
        bad(*ca, "amount '" + a + "' is not a number");
      else if (v < 0)
        bad(*ca, "negative amount " + a);
      else
        amount = v;
    }
    if (why.empty()) {
      const auto key = std::make_tuple(id, stage, day);
      const auto it = seen.find(key);
      if (it != seen.end()) {
        if (t.rows[it->second] == row)
          note = "duplicate of line " + std::to_string(t.lines[it->second]) + " (identical)";
        else
          bad(ci, "duplicate row for deal '" + id + "', stage '" + stage + "' on " + field(cd) +
                      " conflicts with line " + std::to_string(t.lines[it->second]));
      }
    }
    auto st = by_id.find(id);
    if (why.empty() && note.empty() && st != by_id.end()) {
      const auto& deal = d.deals[st->second.deal];
      const auto& prev = deal.steps.back();
      if (!d.is_stage(prev.node))
        bad(cs, "deal '" + id + "' already reached outcome '" + d.nodes[prev.node] + "' on line " +
                    std::to_string(prev.line));
      else if (day < prev.day)
        bad(cd, "dates out of order within deal '" + id + "': " + field(cd) + " is before " +
                    salespipe::format_date(prev.day) + " on line " + std::to_string(prev.line));
      else if (*node == prev.node)
        note = "no stage change: deal '" + id + "' is already in '" + d.nodes[prev.node] + "' since line " +
               std::to_string(prev.line);
    }
    if (!why.empty()) {
      if (!opt.skip_bad_rows) throw parse_error(where, why);
      d.skipped.push_back({line, id, why});
      continue;
    }
    if (!note.empty()) {
      d.skipped.push_back({line, id, note});
      continue;
    }
    seen.emplace(std::make_tuple(id, stage, day), r);
    if (st == by_id.end()) {
      st = by_id.emplace(id, state{d.deals.size(), r}).first;
      d.deals.push_back({id, {}, std::nan("")});
    }
    auto& deal = d.deals[st->second.deal];
    deal.steps.push_back({*node, day, line});
    if (!std::isnan(amount)) deal.amount = amount;
    st->second.last_row = r;
    latest = std::max(latest, day);
  }
  // deals whose first node is an outcome spent no time in a stage: skipped, reported
  std::vector<estimate::history_deal> kept;
  for (auto& deal : d.deals) {
    if (!d.is_stage(deal.steps.front().node)) {
      for (const auto& s : deal.steps)
        d.skipped.push_back(
            {s.line, deal.id,
             "deal '" + deal.id + "' starts in outcome '" + d.nodes[s.node] + "': no time in any stage"});
      continue;
    }
    kept.push_back(std::move(deal));
  }
  d.deals = std::move(kept);
  std::sort(d.skipped.begin(), d.skipped.end(),
            [](const estimate::skipped_row& a, const estimate::skipped_row& b) { return a.line < b.line; });
  if (opt.as_of && latest > *opt.as_of)
    throw parse_error(t.file, "as-of date " + salespipe::format_date(*opt.as_of) + " is before a date in the file (" +
                                  salespipe::format_date(latest) + ")");
  d.as_of = opt.as_of ? *opt.as_of : latest;
  return d;
}

}  // namespace salespipe::io

#endif  // SALESPIPE_IO_STAGE_HISTORY_CSV_HPP
