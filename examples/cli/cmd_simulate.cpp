// cmd_simulate.cpp — `salespipe simulate [MODEL.json] --periods H --reps N --seed S
// --threads T [--json OUT] [--csv DIR]`: the Monte Carlo engine over the model.
//
// Prints, per node, the mean and P10/P50/P90 of its entries and values over the whole
// horizon. --json writes per period and per node the mean, SD, standard error and
// P5/P10/P50/P90/P95 of entries, value, reward and WIP (keys in the README); --csv DIR
// writes one CSV per quantity with a row per replication and period, and totals.csv (the
// summaries over the whole horizon, per node and quantity). The output for a given seed is
// identical for any --threads.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <system_error>

#include <nlohmann/json.hpp>

#include <salespipe/io/csv.hpp>
#include <salespipe/io/json_simulate.hpp>
#include <salespipe/simulate/engine.hpp>
#include <salespipe/simulate/summary.hpp>

#include "cli.hpp"
#include "report.hpp"

namespace salespipe_cli {

namespace sim = salespipe::simulate;

namespace {

void write_csv(const std::string& dir, const sim::results& r, sim::quantity q) {
  namespace io = salespipe::io;
  const std::string path = dir + "/" + std::string(sim::to_string(q)) + ".csv";
  std::ofstream f(path);
  if (!f) throw salespipe::error(path + ": cannot write");
  std::vector<std::size_t> nodes;
  std::vector<std::string> cells{"replication", "period"};
  for (std::size_t n = 0; n < r.node_ids().size(); ++n)
    if (r.has(q, n)) nodes.push_back(n), cells.push_back(r.node_ids()[n]);
  io::write_csv_row(f, cells);
  for (std::size_t i = 0; i < r.replications(); ++i)
    for (std::size_t k = 0; k < r.periods(); ++k) {
      cells = {io::csv_number(i), io::csv_number(k)};
      for (std::size_t n : nodes) cells.push_back(io::csv_number(r.row(q, n, i)[k]));
      io::write_csv_row(f, cells);
    }
  if (!f) throw salespipe::error(path + ": write failed");
}

// totals.csv: per node and quantity, the summary of the total over the horizon.
void write_totals_csv(const std::string& dir, const sim::results& r) {
  namespace io = salespipe::io;
  const std::string path = dir + "/totals.csv";
  std::ofstream f(path);
  if (!f) throw salespipe::error(path + ": cannot write");
  io::write_csv_row(f, {"node", "quantity", "mean", "sd", "standard_error", "p5", "p10", "p50", "p90", "p95"});
  const sim::window all{0, r.periods()};
  for (std::size_t n = 0; n < r.node_ids().size(); ++n)
    for (auto q : {sim::quantity::entries, sim::quantity::value, sim::quantity::reward, sim::quantity::wip}) {
      if (!r.has(q, n)) continue;
      const auto s = sim::summarize(r, q, n, all);
      io::write_csv_row(
          f, {r.node_ids()[n], std::string(sim::to_string(q)), io::csv_number(s.mean), io::csv_number(s.sd),
              io::csv_number(s.standard_error), io::csv_number(s.p5), io::csv_number(s.p10), io::csv_number(s.p50),
              io::csv_number(s.p90), io::csv_number(s.p95)});
    }
  if (!f) throw salespipe::error(path + ": write failed");
}

// "a whole number >= lo": a readable message instead of CLI11's numeric range.
CLI::Validator whole_number(long long lo) {
  return CLI::Validator(
      [lo](std::string& v) -> std::string {
        std::size_t used = 0;
        long long x = 0;
        try {
          x = std::stoll(v, &used);
        } catch (const std::exception&) {
          used = 0;
        }
        if (used == 0 || used != v.size() || x < lo)
          return "expected a whole number >= " + std::to_string(lo) + ", got '" + v + "'";
        return {};
      },
      "INT>=" + std::to_string(lo));
}

}  // namespace

command make_simulate_command(CLI::App& parent) {
  struct state {
    std::string model, json_out, csv_dir;
    std::size_t periods = 24, reps = 1000;
    std::uint64_t seed = 1;
    int threads = 0;
  };
  auto st = std::make_shared<state>();
  CLI::App* sub =
      parent.add_subcommand("simulate", "Monte Carlo: simulate every deal of the model over the next periods, many "
                                        "replications; quantiles of entries and values per node");
  add_model_argument(*sub, st->model);
  sub->add_option("--periods", st->periods, "Horizon in the model's time unit (default 24)")
      ->type_name("H")
      ->check(whole_number(1));
  sub->add_option("--reps", st->reps, "Replications (default 1000)")->type_name("N")->check(whole_number(1));
  sub->add_option("--seed", st->seed, "Random seed (default 1)")->type_name("S")->check(whole_number(0));
  sub->add_option("--threads", st->threads, "Worker threads, 0 = all cores (default 0); results do not depend on it")
      ->type_name("T")
      ->check(whole_number(0));
  sub->add_option("--json", st->json_out, "Write the summaries as JSON to OUT ('-' = stdout only)")->type_name("OUT");
  sub->add_option("--csv", st->csv_dir,
                  "Write entries.csv, value.csv, reward.csv, wip.csv (a row per replication "
                  "and period) and totals.csv (summaries over the horizon) into the directory DIR "
                  "(created if missing)")
      ->type_name("DIR");

  return {sub, [st]() {
            const salespipe::pipeline p = load_model(st->model);
            sim::options o;
            o.periods = st->periods;
            o.replications = st->reps;
            o.seed = st->seed;
            o.threads = st->threads;
            o.progress = terminal_progress();
            const sim::results r = sim::run(p, o);
            const sim::window all{0, r.periods()};
            const std::string unit(salespipe::to_string(p.unit()));

            ojson j;
            j["salespipe_simulate"] = 1;
            j["model"] = p.name();
            j["source"] = model_source_name(st->model);
            j["time_unit"] = unit;
            j.update(ojson(r));  // periods ... nodes: io/json_simulate.hpp
            std::ostringstream text;
            text << "salespipe simulate: " << (p.name().empty() ? model_source_name(st->model) : p.name()) << "\n"
                 << r.replications() << " replications x " << r.periods() << " " << unit << "s, seed " << r.seed()
                 << "\n\nTotals over the horizon (mean, P10 / P50 / P90):\n";
            for (std::size_t n = 0; n < p.node_count(); ++n) {
              const auto e = sim::summarize(r, sim::quantity::entries, n, all);
              const auto v = sim::summarize(r, sim::quantity::value, n, all);
              text << "  " << p.node_id(n) << ": entries " << fmt(e.mean) << " (" << fmt(e.p10) << " / " << fmt(e.p50)
                   << " / " << fmt(e.p90) << ")";
              if (v.mean != 0)
                text << ", value " << fmt(v.mean) << " (" << fmt(v.p10) << " / " << fmt(v.p50) << " / " << fmt(v.p90)
                     << ")";
              text << "\n";
            }
            if (!st->csv_dir.empty()) {
              std::error_code ec;
              std::filesystem::create_directories(st->csv_dir, ec);
              if (ec) throw salespipe::error(st->csv_dir + ": cannot create the directory (" + ec.message() + ")");
              for (auto q : {sim::quantity::entries, sim::quantity::value, sim::quantity::reward, sim::quantity::wip})
                write_csv(st->csv_dir, r, q);
              write_totals_csv(st->csv_dir, r);
            }
            if (st->json_out != "-") write_output("-", text.str());
            if (!st->json_out.empty()) write_output(st->json_out, j.dump(2) + "\n");
            return int{exit_ok};
          }};
}

}  // namespace salespipe_cli
