// cmd_forecast.cpp — `salespipe forecast [MODEL.json] --periods H [--fiscal-start P]
// [--json OUT] [--csv DIR]`: the exact forecast (analytic/forecast.hpp).
//
// Prints the time section (section_time.cpp) for the horizon H; --json writes it plus, per
// node and period, the expected entries with their exact P10/P90 (compound Poisson for a
// node on a loop: analytic/loop_counts.hpp), value booked, on_take value, reward and WIP;
// --csv DIR writes forecast.csv (a row per node and period) and the time section's tables
// (report::write_csv: time_per_period.csv, time_windows.csv, time_time_to_node.csv) into DIR.
#include <fstream>
#include <memory>
#include <string>

#include <salespipe/analytic/forecast.hpp>
#include <salespipe/analytic/loop_counts.hpp>
#include <salespipe/io/json_forecast.hpp>

#include "cli.hpp"
#include "report.hpp"

namespace salespipe_cli {

command make_forecast_command(CLI::App& parent) {
  struct state {
    std::string model, json_out, csv_dir;
    std::size_t periods = 24, fiscal_start = 0;
  };
  auto st = std::make_shared<state>();
  CLI::App* sub =
      parent.add_subcommand("forecast", "Exact forecast per period: expected entries, values, WIP, quantiles, fiscal "
                                        "year vs rolling 12, the lag of an inflow change, time to outcome");
  add_model_argument(*sub, st->model);
  sub->add_option("--periods", st->periods, "Horizon in the model's time unit (default 24)")
      ->type_name("H")
      ->check(CLI::PositiveNumber);
  sub->add_option("--fiscal-start", st->fiscal_start,
                  "Period at which a fiscal year starts, within the horizon (default 0)")
      ->type_name("P");
  sub->add_option("--json", st->json_out, "Write the forecast as JSON to OUT ('-' = stdout only)")->type_name("OUT");
  sub->add_option("--csv", st->csv_dir,
                  "Write forecast.csv (a row per node and period) and the printed tables "
                  "(time_per_period.csv, time_windows.csv, time_time_to_node.csv) into the directory "
                  "DIR (created if missing)")
      ->type_name("DIR");

  return {sub, [st]() {
            const salespipe::pipeline p = load_model(st->model);
            if (st->fiscal_start >= st->periods)
              throw salespipe::invalid_option("--fiscal-start " + std::to_string(st->fiscal_start) +
                                              " is outside the horizon of " + std::to_string(st->periods) + " periods");
            report r("salespipe forecast: " + (p.name().empty() ? model_source_name(st->model) : p.name()));
            r.add(time_section(p, st->periods, st->fiscal_start));
            const salespipe::analytic::forecast_result f = salespipe::analytic::forecast(p, st->periods);
            // Per node and period, with exact P10/P90: io/json_forecast.hpp.
            const bool written = !st->json_out.empty() || !st->csv_dir.empty();
            const auto counts = written ? salespipe::io::forecast_counts(p, f) : salespipe::io::period_counts{};
            if (!st->csv_dir.empty()) {
              r.write_csv(st->csv_dir);  // the tables of the text output; creates DIR
              const std::string path = st->csv_dir + "/forecast.csv";
              std::ofstream out(path);
              if (!out) throw salespipe::error(path + ": cannot write");
              salespipe::io::write_forecast_csv(out, f, counts);
              if (!out) throw salespipe::error(path + ": write failed");
            }
            if (st->json_out != "-") write_output("-", r.text());
            if (!st->json_out.empty()) {
              ojson j = r.json();
              j["salespipe_forecast"] = 1;
              j["nodes"] = salespipe::io::forecast_nodes_json(f, counts);
              write_output(st->json_out, j.dump(2) + "\n");
            }
            return int{exit_ok};
          }};
}

}  // namespace salespipe_cli
