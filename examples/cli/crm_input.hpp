// crm_input.hpp — the CRM data options shared by `fit` and `backtest` (cmd_fit.cpp,
// cmd_backtest.cpp): input format, column names, stage map, unit, stale deals.
#ifndef SALESPIPE_CLI_CRM_INPUT_HPP
#define SALESPIPE_CLI_CRM_INPUT_HPP

#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "cli.hpp"

#include <salespipe/date.hpp>
#include <salespipe/estimate/history_fit.hpp>
#include <salespipe/estimate/opportunities.hpp>
#include <salespipe/io/csv.hpp>
#include <salespipe/io/opportunity_csv.hpp>
#include <salespipe/io/stage_history_csv.hpp>

namespace salespipe_cli {

struct crm_args {
  std::string data, format = "opportunities", columns, stages, outcomes, unit = "day", as_of, stage = "Engaging",
                    name = "fitted";
  std::optional<double> stale_after;
  bool skip_bad_rows = false;
};

/// Adds the CRM data options to `sub` (DATA.csv positional, --format, --columns, ...).
inline void add_crm_options(CLI::App* sub, crm_args& a) {
  sub->add_option("DATA.csv", a.data, "CSV file with a header row")->required();
  sub->add_option("--format", a.format,
                  "Input shape: 'opportunities' (one row per deal, default) or 'history' (one row per stage "
                  "change: deal id, stage, date entered, optional amount)")
      ->check(CLI::IsMember({"opportunities", "history"}));
  sub->add_option("--columns", a.columns,
                  "Column names. opportunities: id=opportunity_id,start=engage_date,stage=deal_stage,"
                  "close=close_date,amount=close_value (defaults); history: id=deal_id,stage=stage,date=date,"
                  "amount=amount (defaults; the amount column is optional)");
  sub->add_option("--stages", a.stages,
                  "CRM stage name -> role. opportunities: 'open', 'skip' or an outcome id (default "
                  "Engaging=open,Won=Won,Lost=Lost,Prospecting=skip); history: a model node id or 'skip', e.g. "
                  "'Qualification=Qualify,Discovery=Qualify,Closed Won=Won,Prospecting=skip' (default: every "
                  "name is its own node)");
  sub->add_option("--outcomes", a.outcomes, "history: node ids that are outcomes (default Won,Lost)");
  sub->add_option("--unit", a.unit, "Time unit of the model: day, week, month, quarter, year");
  sub->add_option("--stale-after", a.stale_after, "Count open deals older than DAYS (in their stage) as lost")
      ->check(CLI::PositiveNumber);
  sub->add_option("--as-of", a.as_of, "Data end YYYY-MM-DD (default: the latest date in the file)");
  sub->add_option("--stage", a.stage, "opportunities: id of the fitted stage in the model (default Engaging)");
  sub->add_option("--name", a.name, "Model name (default 'fitted')");
  sub->add_flag("--skip-bad-rows", a.skip_bad_rows, "Report bad rows and skip them instead of failing");
}

// "a=b,c=d" -> pairs; throws usage_error naming the option.
inline std::vector<std::pair<std::string, std::string>> key_values(const std::string& text, const std::string& option) {
  std::vector<std::pair<std::string, std::string>> out;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    const auto eq = item.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == item.size())
      throw usage_error(option + ": expected NAME=VALUE items separated by commas, got '" + item + "'");
    out.emplace_back(item.substr(0, eq), item.substr(eq + 1));
  }
  return out;
}

inline salespipe::time_unit crm_unit(const crm_args& a) {
  const auto unit = salespipe::parse_time_unit(a.unit);
  if (!unit) throw usage_error("--unit: expected day, week, month, quarter or year, got '" + a.unit + "'");
  return *unit;
}

inline salespipe::io::opportunity_read_options opportunity_read_options(const crm_args& a) {
  salespipe::io::opportunity_read_options ro;
  for (const auto& [k, v] : key_values(a.columns, "--columns")) {
    if (k == "id")
      ro.columns.id = v;
    else if (k == "start")
      ro.columns.start = v;
    else if (k == "stage")
      ro.columns.stage = v;
    else if (k == "close")
      ro.columns.close = v;
    else if (k == "amount")
      ro.columns.amount = v;
    else
      throw usage_error("--columns: unknown key '" + k + "' (id, start, stage, close, amount)");
  }
  if (!a.stages.empty()) {
    ro.stages.open.clear();
    ro.stages.closed.clear();
    ro.stages.not_started.clear();
    for (const auto& [crm, role] : key_values(a.stages, "--stages")) {
      if (role == "open")
        ro.stages.open.push_back(crm);
      else if (role == "skip")
        ro.stages.not_started.push_back(crm);
      else
        ro.stages.closed.emplace_back(crm, role);
    }
    if (ro.stages.open.empty()) throw usage_error("--stages: no stage name maps to 'open'");
  }
  if (!a.outcomes.empty()) throw usage_error("--outcomes is for --format history");
  ro.skip_bad_rows = a.skip_bad_rows;
  if (!a.as_of.empty()) ro.as_of = salespipe::parse_date(a.as_of, "--as-of");
  return ro;
}

inline salespipe::estimate::fit_options opportunity_fit_options(const crm_args& a) {
  salespipe::estimate::fit_options fo;
  fo.unit = crm_unit(a);
  fo.stale_after_days = a.stale_after;
  fo.stage = a.stage;
  fo.name = a.name;
  return fo;
}

inline salespipe::io::history_read_options history_read_options(const crm_args& a) {
  salespipe::io::history_read_options ro;
  for (const auto& [k, v] : key_values(a.columns, "--columns")) {
    if (k == "id")
      ro.columns.id = v;
    else if (k == "stage")
      ro.columns.stage = v;
    else if (k == "date")
      ro.columns.date = v;
    else if (k == "amount")
      ro.columns.amount = v;
    else
      throw usage_error("--columns: unknown key '" + k + "' (id, stage, date, amount)");
  }
  for (const auto& [crm, node] : key_values(a.stages, "--stages")) {
    if (node == "skip")
      ro.stages.skip.push_back(crm);
    else
      ro.stages.names.emplace_back(crm, node);
  }
  if (!a.outcomes.empty()) {
    ro.stages.outcomes.clear();
    std::stringstream ss(a.outcomes);
    std::string o;
    while (std::getline(ss, o, ','))
      if (!o.empty()) ro.stages.outcomes.push_back(o);
  }
  ro.skip_bad_rows = a.skip_bad_rows;
  if (!a.as_of.empty()) ro.as_of = salespipe::parse_date(a.as_of, "--as-of");
  return ro;
}

inline salespipe::estimate::history_fit_options history_fit_options(const crm_args& a) {
  salespipe::estimate::history_fit_options fo;
  fo.unit = crm_unit(a);
  fo.stale_after_days = a.stale_after;
  fo.name = a.name;
  return fo;
}

}  // namespace salespipe_cli

#endif  // SALESPIPE_CLI_CRM_INPUT_HPP
