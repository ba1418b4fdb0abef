// salespipe/io/opportunity_csv.hpp — an opportunity table (one row per deal: id, start
// date, stage, close date, amount) read from CSV into checked deals
// (estimate/opportunity_table.hpp).
//
// Every row ends up either as a deal or in `skipped` with the reason. Rows whose stage
// means "not yet in the fitted stage" (e.g. Prospecting: no start date) are always
// skipped and reported. Bad rows (unparseable dates, close before start, negative or
// non-numeric amounts, unknown stages, conflicting duplicate ids, open deals with a
// close date) throw parse_error("file:line:column", why), or with skip_bad_rows are
// skipped and reported. Identical duplicate rows: the first is kept, the others skipped.
#ifndef SALESPIPE_IO_OPPORTUNITY_CSV_HPP
#define SALESPIPE_IO_OPPORTUNITY_CSV_HPP

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

#include <salespipe/date.hpp>
#include <salespipe/error.hpp>
#include <salespipe/estimate/opportunity_table.hpp>
#include <salespipe/io/csv.hpp>

namespace salespipe::io {

/// Column names of the opportunity table (defaults: the Maven CRM export).
struct opportunity_columns {
  std::string id = "opportunity_id";
  std::string start = "engage_date";  ///< date the deal entered the fitted stage
  std::string stage = "deal_stage";
  std::string close = "close_date";  ///< empty for open deals
  std::string amount = "close_value";
};

/// What the CRM's stage names mean (defaults: the Maven CRM export).
struct stage_map {
  std::vector<std::string> open{"Engaging"};  ///< open deals, in the fitted stage
  /// Closed deals: CRM stage name -> model outcome id.
  std::vector<std::pair<std::string, std::string>> closed{{"Won", "Won"}, {"Lost", "Lost"}};
  std::vector<std::string> not_started{"Prospecting"};  ///< not in the stage yet: skipped
};

struct opportunity_read_options {
  opportunity_columns columns;
  stage_map stages;
  bool skip_bad_rows = false;         ///< report bad rows instead of throwing
  std::optional<std::int64_t> as_of;  ///< data end (day number); default latest date seen
};

/// Reads deals from a parsed table. Throws parse_error for a missing column, an empty
/// table, a bad row (unless skip_bad_rows) or an as_of before a date in the file.
inline estimate::opportunity_data read_opportunities(const io::csv_table& t, const opportunity_read_options& opt = {}) {
  const auto& c = opt.columns;
  const std::size_t ci = t.column(c.id), cs = t.column(c.start), cst = t.column(c.stage), cc = t.column(c.close),
                    ca = t.column(c.amount);
  estimate::opportunity_data d;
  d.file = t.file;
  d.rows = t.rows.size();
  if (t.rows.empty()) throw parse_error(t.file, "no data rows");
  for (const auto& [crm, out] : opt.stages.closed) {
    (void)crm;
    bool seen = false;
    for (const auto& o : d.outcomes) seen = seen || o == out;
    if (!seen) d.outcomes.push_back(out);
  }
  std::unordered_map<std::string, std::size_t> by_id;  // id -> row index
  std::int64_t latest = INT64_MIN;
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    const auto& row = t.rows[r];
    const std::string stage = io::detail::trim(row[cst]);
    ++d.stage_counts[stage];
    std::string where, why;
    auto bad = [&](std::size_t col, std::string w) {
      where = t.where(r, col);
      why = std::move(w);
    };
    estimate::deal x;
    x.id = row[ci];
    x.line = t.lines[r];
    bool open = false, known = false, not_started = false;
    for (const auto& s : opt.stages.open) open = open || s == stage;
    for (const auto& s : opt.stages.not_started) not_started = not_started || s == stage;
    for (const auto& [crm, out] : opt.stages.closed)
      if (crm == stage)
        for (std::size_t k = 0; k < d.outcomes.size(); ++k)
          if (d.outcomes[k] == out) x.outcome = k, known = true;
    known = known || open;
    if (not_started) {
      d.skipped.push_back({x.line, x.id, "stage '" + stage + "': not yet in the fitted stage"});
      continue;
    }
    auto field = [&](std::size_t col) { return io::detail::trim(row[col]); };
    if (x.id.empty())
      bad(ci, "empty id");
    else if (!known) {
      std::string names;
      for (const auto& s : opt.stages.open) names += (names.empty() ? "" : ", ") + s;
      for (const auto& p : opt.stages.closed) names += ", " + p.first;
      for (const auto& s : opt.stages.not_started) names += ", " + s;
      bad(cst, "unknown stage '" + stage + "' (known: " + names + ")");
    } else {
      std::string w;
      auto sd = salespipe::try_parse_date(field(cs), &w);
      if (!sd)
        bad(cs, "start date '" + field(cs) + "': " + w);
      else
        x.start = *sd;
      if (why.empty() && open && !field(cc).empty()) bad(cc, "open deal has a close date");
      if (why.empty() && !open) {
        auto cd = salespipe::try_parse_date(field(cc), &w);
        if (!cd)
          bad(cc, "close date '" + field(cc) + "': " + w);
        else if (*cd < x.start)
          bad(cc, "close date " + field(cc) + " is before the start date " + field(cs));
        else
          x.close = *cd;
      }
      const std::string a = field(ca);
      if (why.empty() && !a.empty()) {
        char* end = nullptr;
        const double v = std::strtod(a.c_str(), &end);
        if (end != a.c_str() + a.size() || !std::isfinite(v))
          bad(ca, "amount '" + a + "' is not a number");
        else if (v < 0)
          bad(ca, "negative amount " + a);
        else
          x.amount = v;
      }
    }
    if (why.empty()) {
      auto [it, fresh] = by_id.emplace(x.id, r);
      if (!fresh) {
        if (t.rows[it->second] == row) {
          d.skipped.push_back(
              {x.line, x.id, "duplicate of line " + std::to_string(t.lines[it->second]) + " (identical)"});
          continue;
        }
        bad(ci, "duplicate id '" + x.id + "' conflicts with line " + std::to_string(t.lines[it->second]));
      }
    }
    if (!why.empty()) {
      if (!opt.skip_bad_rows) throw parse_error(where, why);
      d.skipped.push_back({x.line, x.id, why});
      continue;
    }
    latest = std::max(latest, x.close ? *x.close : x.start);
    d.deals.push_back(std::move(x));
  }
  d.as_of = opt.as_of ? *opt.as_of : latest;
  if (opt.as_of && latest > *opt.as_of)
    throw parse_error(t.file, "as-of date " + salespipe::format_date(*opt.as_of) + " is before a date in the file (" +
                                  salespipe::format_date(latest) + ")");
  return d;
}

}  // namespace salespipe::io

#endif  // SALESPIPE_IO_OPPORTUNITY_CSV_HPP
