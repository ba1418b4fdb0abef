// cmd_fit.cpp — `salespipe fit DATA.csv --format opportunities -o MODEL.json`: fit a
// model from a CRM opportunity table (one row per deal) and print the fit report.
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "cli.hpp"

#include <salespipe/estimate/opportunities.hpp>
#include <salespipe/io/csv.hpp>
#include <salespipe/io/date.hpp>
#include <salespipe/io/json.hpp>

namespace salespipe_cli {
namespace {

struct fit_args {
  std::string data, format = "opportunities", columns, stages, unit = "day", out = "-", as_of, stage = "Engaging",
              name = "fitted";
  std::optional<double> stale_after;
  bool skip_bad_rows = false;
};

// "a=b,c=d" -> pairs; throws usage_error naming the option.
std::vector<std::pair<std::string, std::string>> key_values(const std::string& text, const std::string& option) {
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

int run_fit(const fit_args& a) {
  namespace est = salespipe::estimate;
  est::read_options ro;
  for (const auto& [k, v] : key_values(a.columns, "--columns")) {
    if (k == "id") ro.columns.id = v;
    else if (k == "start") ro.columns.start = v;
    else if (k == "stage") ro.columns.stage = v;
    else if (k == "close") ro.columns.close = v;
    else if (k == "amount") ro.columns.amount = v;
    else throw usage_error("--columns: unknown key '" + k + "' (id, start, stage, close, amount)");
  }
  if (!a.stages.empty()) {
    ro.stages = {};
    ro.stages.open.clear();
    ro.stages.closed.clear();
    ro.stages.not_started.clear();
    for (const auto& [crm, role] : key_values(a.stages, "--stages")) {
      if (role == "open") ro.stages.open.push_back(crm);
      else if (role == "skip") ro.stages.not_started.push_back(crm);
      else ro.stages.closed.emplace_back(crm, role);
    }
    if (ro.stages.open.empty()) throw usage_error("--stages: no stage name maps to 'open'");
  }
  ro.skip_bad_rows = a.skip_bad_rows;
  if (!a.as_of.empty()) ro.as_of = salespipe::io::parse_date(a.as_of, "--as-of");
  est::fit_options fo;
  const auto unit = salespipe::parse_time_unit(a.unit);
  if (!unit) throw usage_error("--unit: expected day, week, month, quarter or year, got '" + a.unit + "'");
  fo.unit = *unit;
  fo.stale_after_days = a.stale_after;
  fo.stage = a.stage;
  fo.name = a.name;
  const auto data = est::read_opportunities(salespipe::io::read_csv(a.data), ro);
  const auto r = est::fit_opportunities(data, fo);
  (void)salespipe::io::make_pipeline(r.fitted, a.data);  // the fitted model validates
  // the report goes to stdout, or to stderr when the model is written there
  est::print(a.out == "-" ? std::cerr : std::cout, r.report);
  write_output(a.out, salespipe::io::write_model(r.fitted));
  return int{exit_ok};
}

}  // namespace

command make_fit_command(CLI::App& parent) {
  auto a = std::make_shared<fit_args>();
  CLI::App* sub = parent.add_subcommand(
      "fit", "Fit a model from CRM history (an opportunity table: one row per deal) and print the fit report");
  sub->add_option("DATA.csv", a->data, "CSV file with a header row")->required();
  sub->add_option("--format", a->format, "Input shape (only 'opportunities' so far; 'history' is not implemented)")
      ->check(CLI::IsMember({"opportunities"}));
  sub->add_option("--columns", a->columns,
                  "Column names, e.g. id=opportunity_id,start=engage_date,stage=deal_stage,close=close_date,"
                  "amount=close_value (these are the defaults)");
  sub->add_option("--stages", a->stages,
                  "CRM stage name -> role: 'open', 'skip' (not yet in the stage) or an outcome id, e.g. "
                  "Engaging=open,Won=Won,Lost=Lost,Prospecting=skip (the default)");
  sub->add_option("--unit", a->unit, "Time unit of the model: day, week, month, quarter, year (default day)");
  sub->add_option("--stale-after", a->stale_after, "Count open deals older than DAYS as lost")
      ->check(CLI::PositiveNumber);
  sub->add_option("--as-of", a->as_of, "Data end YYYY-MM-DD (default: the latest date in the file)");
  sub->add_option("--stage", a->stage, "Id of the fitted stage in the model (default Engaging)");
  sub->add_option("--name", a->name, "Model name (default 'fitted')");
  sub->add_flag("--skip-bad-rows", a->skip_bad_rows, "Report bad rows and skip them instead of failing");
  sub->add_option("-o,--output", a->out, "Where to write the model (default -: standard output; the report then "
                                         "goes to standard error)");
  return {sub, [a]() { return run_fit(*a); }};
}

}  // namespace salespipe_cli
