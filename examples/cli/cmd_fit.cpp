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

namespace salespipe_cli {
namespace {

namespace est = salespipe::estimate;
using ojson = nlohmann::ordered_json;

struct fit_args {
  crm_args crm;
  std::string out = "-", json_out;
  std::string csv_dir, html_out;  // --csv DIR, --html OUT: the report as tables/page (fit_output.cpp)
};

ojson fit_number(double x) { return std::isfinite(x) ? ojson(x) : ojson(nullptr); }

ojson parameters_json(const std::vector<est::parameter_estimate>& ps) {
  ojson a = ojson::array();
  for (const auto& p : ps)
    a.push_back({{"name", p.name}, {"estimate", fit_number(p.estimate)}, {"lower", fit_number(p.ci.lower)},
                 {"upper", fit_number(p.ci.upper)}, {"n", p.n}, {"unit", p.unit}});
  return a;
}

ojson skipped_json(const std::vector<est::skipped_row>& rows) {
  ojson a = ojson::array();
  for (const auto& s : rows) a.push_back({{"line", s.line}, {"id", s.id}, {"reason", s.reason}});
  return a;
}

ojson duration_json(const est::duration_fit& d) {
  ojson c = ojson::array();
  for (const auto& f : d.candidates)
    c.push_back({{"family", est::to_string(f.kind)}, {"ok", f.ok}, {"aic", fit_number(f.aic)}, {"ks", fit_number(f.ks)}});
  return {{"chosen", est::to_string(d.chosen)}, {"ks", fit_number(d.ks)}, {"events", d.events}, {"n", d.n},
          {"candidates", c}};
}

ojson report_json(const est::fit_report& r) {
  ojson routes = ojson::array();
  for (const auto& rt : r.routes) {
    // the open deals' EM share of the route: its Dirichlet parameter minus prior 1 and the closed count
    const double open_share = r.routes.size() >= 2 ? rt.p.a - 1 - static_cast<double>(rt.count) : 0.0;
    ojson j = {{"to", rt.to}, {"count", rt.count}, {"open_share", open_share}, {"p_mean", rt.p.mean()}};
    if (rt.duration) j["duration"] = duration_json(*rt.duration);
    routes.push_back(j);
  }
  ojson monthly = ojson::array();
  for (const auto& m : r.monthly)
    monthly.push_back({{"month", m.month}, {"started", m.started}, {"still_open", m.still_open}, {"closed", m.closed},
                       {"value", m.value}});
  return {{"salespipe_fit_report", 1}, {"format", "opportunities"}, {"stage", r.stage}, {"unit", r.unit},
          {"level", r.level}, {"rows", r.rows}, {"deals", r.deals}, {"closed", r.closed}, {"open", r.open},
          {"stale", r.stale}, {"stale_as_lost", r.stale_as_lost}, {"parameters", parameters_json(r.parameters)},
          {"routes", routes}, {"monthly", monthly}, {"warnings", r.warnings}, {"skipped", skipped_json(r.skipped)}};
}

ojson report_json(const est::history_report& r) {
  ojson stages = ojson::array();
  for (const auto& s : r.stages) {
    ojson routes = ojson::array();
    for (const auto& rt : s.routes) {
      ojson j = {{"to", rt.to}, {"closed", rt.closed}, {"open_share", rt.open_share}, {"p_mean", rt.p.mean()}};
      if (rt.duration) j["duration"] = duration_json(*rt.duration);
      routes.push_back(j);
    }
    const auto med = s.time_in_stage.median();
    stages.push_back({{"id", s.id}, {"entries", s.entries}, {"closed", s.closed}, {"open", s.open},
                      {"stale", s.stale}, {"stale_as_lost", s.stale_as_lost},
                      {"km_median", med ? ojson(*med) : ojson(nullptr)}, {"duration", duration_json(s.duration)},
                      {"routes", routes}});
  }
  ojson monthly = ojson::array();
  for (const auto& m : r.monthly)
    monthly.push_back({{"month", m.month}, {"started", m.started}, {"reached", m.reached}, {"value", m.value}});
  return {{"salespipe_fit_report", 1}, {"format", "history"}, {"unit", r.unit}, {"level", r.level},
          {"rows", r.rows}, {"deals", r.deals}, {"closed", r.closed}, {"open", r.open},
          {"outcomes", r.outcomes}, {"parameters", parameters_json(r.parameters)}, {"stages", stages},
          {"monthly", monthly}, {"warnings", r.warnings}, {"skipped", skipped_json(r.skipped)}};
}

int run_fit(const fit_args& a) {
  // options first: a usage error (exit 2) before the data are read
  const bool history = a.crm.format == "history";
  const auto ro = history ? history_read_options(a.crm) : est::history_read_options{};
  const auto oro = history ? est::read_options{} : opportunity_read_options(a.crm);
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
    const auto data = est::read_stage_history(table, ro);
    auto r = est::fit_history(data, history_fit_options(a.crm));
    est::print(text, r.report);
    page.add(fit_section(r.report));
    report = report_json(r.report);
    fitted = std::move(r.fitted);
  } else {
    const auto data = est::read_opportunities(table, oro);
    auto r = est::fit_opportunities(data, opportunity_fit_options(a.crm));
    est::print(text, r.report);
    page.add(fit_section(r.report));
    report = report_json(r.report);
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
  sub->add_option("-o,--output", a->out, "Where to write the model (default -: standard output; the report then "
                                         "goes to standard error)");
  sub->add_option("--json", a->json_out, "Also write the fit report as JSON to OUT ('-' = standard output)");
  sub->add_option("--csv", a->csv_dir, "Also write the fit report's tables as CSV into the directory DIR (created if "
                                       "missing): fit_parameters.csv, fit_routes.csv, ...")
      ->type_name("DIR");
  sub->add_option("--html", a->html_out, "Also write the fit report as one self-contained HTML page with the "
                                        "Kaplan-Meier vs fitted curve per stage to OUT ('-' = standard output)")
      ->type_name("OUT");
  return {sub, [a]() { return run_fit(*a); }};
}

}  // namespace salespipe_cli
