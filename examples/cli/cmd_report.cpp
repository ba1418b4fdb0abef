// cmd_report.cpp — `salespipe report [MODEL.json] [--json OUT] [--html OUT] [--csv DIR] [--rates-at T]`.
#include <iostream>
#include <memory>

#include "cli.hpp"
#include "report.hpp"

namespace salespipe_cli {

command make_report_command(CLI::App& parent) {
  struct state {
    std::string model;
    std::string json_out;
    std::string html_out;
    std::string csv_dir;
    double rates_at = 0;
    std::vector<std::unique_ptr<report_section>> sections;
  };
  auto st = std::make_shared<state>();
  CLI::App* sub =
      parent.add_subcommand("report", "Report on a model: summary, steady state per stage and outcome, coverage of the "
                                      "target and the gap against the open pipeline (the loophole stage)");
  add_model_argument(*sub, st->model);
  sub->add_option("--json", st->json_out,
                  "Also write the report as JSON to OUT; with '-' only the JSON goes to "
                  "standard output")
      ->type_name("OUT");
  sub->add_option("--html", st->html_out,
                  "Also write the report as one self-contained HTML page with charts to OUT "
                  "(inline CSS and SVG, no script, no network); with '-' only the HTML goes to "
                  "standard output")
      ->type_name("OUT");
  sub->add_option("--csv", st->csv_dir,
                  "Also write every table of every section as CSV into the directory DIR "
                  "(created if missing): one file per table, <section>_<table>.csv")
      ->type_name("DIR");
  sub->add_option("--rates-at", st->rates_at,
                  "Read the source rates (schedules) in force at this time, in the model's "
                  "time unit, for the steady state and coverage (default 0)")
      ->type_name("T")
      ->check(CLI::NonNegativeNumber);
  st->sections = make_report_sections();
  for (auto& s : st->sections) s->add_options(*sub);

  return {sub, [st]() {
            const salespipe::pipeline p = load_model(st->model);
            report_context ctx(p, model_source_name(st->model), st->rates_at);
            report r("salespipe report: " + (p.name().empty() ? ctx.source() : p.name()));
            for (auto& s : st->sections) s->build(ctx, r);
            if (st->json_out == "-" && st->html_out == "-")
              throw usage_error("--json - and --html - cannot both write to standard output");
            if (st->json_out != "-" && st->html_out != "-") write_output("-", r.text());
            if (!st->json_out.empty()) write_output(st->json_out, r.json().dump(2) + "\n");
            if (!st->html_out.empty()) write_output(st->html_out, r.html());
            if (!st->csv_dir.empty()) r.write_csv(st->csv_dir);
            return int{exit_ok};
          }};
}

}  // namespace salespipe_cli
