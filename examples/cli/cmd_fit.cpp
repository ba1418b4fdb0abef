// cmd_fit.cpp — `salespipe fit DATA.csv --format opportunities|history -o MODEL.json
// [--json REPORT.json]`: fit a model from CRM history (an opportunity table: one row per
// deal, or a stage-history log: one row per stage change), print the fit report, write
// the model (MODEL_FORMAT v1) and optionally the report as JSON.
#include <cmath>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "crm_input.hpp"
#include "report.hpp"

#include <salespipe/estimate/history_fit.hpp>
#include <salespipe/estimate/opportunities.hpp>
#include <salespipe/io/csv.hpp>
#include <salespipe/io/json.hpp>
#include <salespipe/io/json_fit.hpp>
#include <salespipe/io/opportunity_csv.hpp>
#include <salespipe/io/stage_history_csv.hpp>

namespace salespipe_cli {
namespace {

namespace est = salespipe::estimate;
using ojson = nlohmann::ordered_json;

struct fit_args {
  crm_args crm;
  std::string out = "-", json_out;
  std::string csv_dir, html_out;  // --csv DIR, --html OUT: the report as tables/page (fit_output.cpp)
};

int run_fit(const fit_args& a) {
  // options first: a usage error (exit 2) before the data are read
  const bool history = a.crm.format == "history";
  const auto ro = history ? history_read_options(a.crm) : salespipe::io::history_read_options{};
  const auto oro = history ? salespipe::io::opportunity_read_options{} : opportunity_read_options(a.crm);
  (void)crm_unit(a.crm);
  const auto table = salespipe::io::read_csv(a.crm.data);
  // the report goes to stdout, or to stderr when the model or the JSON report is written there
  std::ostream& text = a.out == "-" || a.json_out == "-" || a.html_out == "-" ? std::cerr : std::cout;
  if (a.out == "-" && a.json_out == "-") throw usage_error("-o - and --json - cannot both write to standard output");
  if (a.html_out == "-" && (a.out == "-" || a.json_out == "-"))
    throw usage_error("--html - and -o -/--json - cannot both write to standard output (give -o MODEL.json)");
  salespipe_cli::report page("salespipe fit: " + a.crm.data);  // for --csv and --html
  salespipe::model fitted;
  ojson report;
  if (history) {
    const auto data = salespipe::io::read_stage_history(table, ro);
    auto r = est::fit_history(data, history_fit_options(a.crm));
    est::print(text, r.report);
    page.add(fit_section(r.report));
    report = r.report;  // io/json_fit.hpp
    fitted = std::move(r.fitted);
  } else {
    const auto data = salespipe::io::read_opportunities(table, oro);
    auto r = est::fit_opportunities(data, opportunity_fit_options(a.crm));
    est::print(text, r.report);
    page.add(fit_section(r.report));
    report = r.report;  // io/json_fit.hpp
    fitted = std::move(r.fitted);
  }
  (void)salespipe::io::make_pipeline(fitted, a.crm.data);  // the fitted model validates
  write_output(a.out, salespipe::io::write_model(fitted));
  if (!a.json_out.empty()) write_output(a.json_out, report.dump(2) + "\n");
  if (!a.csv_dir.empty()) page.write_csv(a.csv_dir);
  if (!a.html_out.empty()) write_output(a.html_out, page.html());
  return int{exit_ok};
}

}  // namespace

command make_fit_command(CLI::App& parent) {
  auto a = std::make_shared<fit_args>();
  CLI::App* sub = parent.add_subcommand(
      "fit", "Fit a model from CRM history (an opportunity table or a stage-history log) and print the fit report");
  add_crm_options(sub, a->crm);
  sub->add_option("-o,--output", a->out,
                  "Where to write the model (default -: standard output; the report then "
                  "goes to standard error)");
  sub->add_option("--json", a->json_out, "Also write the fit report as JSON to OUT ('-' = standard output)");
  sub->add_option("--csv", a->csv_dir,
                  "Also write the fit report's tables as CSV into the directory DIR (created if "
                  "missing): fit_parameters.csv, fit_routes.csv, ...")
      ->type_name("DIR");
  sub->add_option("--html", a->html_out,
                  "Also write the fit report as one self-contained HTML page with the "
                  "Kaplan-Meier vs fitted curve per stage to OUT ('-' = standard output)")
      ->type_name("OUT");
  return {sub, [a]() { return run_fit(*a); }};
}

}  // namespace salespipe_cli
