// cmd_backtest.cpp — `salespipe backtest DATA.csv --cutoff DATE [DATE...] --periods K
// [--format opportunities|history] [--json OUT] [--csv DIR]`: fit on the data known at
// each cutoff, forecast the next K periods with the exact forecast and the Monte Carlo
// engine (parameters drawn from their posterior per replication unless
// --no-parameter-draws), compare with what happened (backtest/backtest.hpp).
#include <cmath>
#include <filesystem>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "crm_input.hpp"

#include <salespipe/backtest/backtest.hpp>
#include <salespipe/date.hpp>
#include <salespipe/io/csv.hpp>
#include <salespipe/io/json_backtest.hpp>
#include <salespipe/io/opportunity_csv.hpp>
#include <salespipe/io/stage_history_csv.hpp>

namespace salespipe_cli {
namespace {

namespace est = salespipe::estimate;
using ojson = nlohmann::ordered_json;

struct backtest_args {
  crm_args crm;
  std::vector<std::string> cutoffs;
  std::size_t periods = 3, reps = 400;
  std::uint64_t seed = 1;
  int threads = 1;
  double level = 0.8;
  bool no_draws = false;
  std::string json_out, csv_dir;
};

int run_backtest(const backtest_args& a) {
  const bool history = a.crm.format == "history";
  const auto hro = history ? history_read_options(a.crm) : salespipe::io::history_read_options{};
  const auto oro = history ? salespipe::io::opportunity_read_options{} : opportunity_read_options(a.crm);
  (void)crm_unit(a.crm);
  const auto table = salespipe::io::read_csv(a.crm.data);
  salespipe::backtest::backtest_options bo;
  bo.periods = a.periods;
  bo.level = a.level;
  bo.replications = a.reps;
  bo.seed = a.seed;
  bo.threads = a.threads;
  bo.parameter_uncertainty = !a.no_draws;
  std::vector<salespipe::backtest::backtest_result> runs;
  if (history) {
    const auto data = salespipe::io::read_stage_history(table, hro);
    const auto fo = history_fit_options(a.crm);
    for (const auto& c : a.cutoffs) {
      bo.cutoff = salespipe::parse_date(c, "--cutoff");
      runs.push_back(salespipe::backtest::backtest_history(data, fo, bo));
    }
  } else {
    const auto data = salespipe::io::read_opportunities(table, oro);
    const auto fo = opportunity_fit_options(a.crm);
    for (const auto& c : a.cutoffs) {
      bo.cutoff = salespipe::parse_date(c, "--cutoff");
      runs.push_back(salespipe::backtest::backtest_opportunities(data, fo, bo));
    }
  }
  for (std::size_t i = 0; i < runs.size(); ++i) {
    if (i) std::cout << "\n";
    salespipe::backtest::print(std::cout, runs[i]);
  }
  if (!a.json_out.empty()) {
    ojson j = {{"salespipe_backtest", 1}, {"data", a.crm.data}, {"format", a.crm.format},
               {"replications", a.reps},  {"seed", a.seed},     {"parameter_draws", !a.no_draws}};
    ojson rs = ojson::array();
    for (const auto& r : runs) rs.push_back(r);  // io/json_backtest.hpp
    j["runs"] = rs;
    write_output(a.json_out, j.dump(2) + "\n");
  }
  if (!a.csv_dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(a.csv_dir, ec);
    namespace io = salespipe::io;
    std::ostringstream os;
    io::write_csv_row(
        os, {"cutoff", "from", "to", "won", "value", "exact_count_mean", "exact_count_lower", "exact_count_upper",
             "mc_count_mean", "mc_count_lower", "mc_count_upper", "exact_value_mean", "exact_value_lower",
             "exact_value_upper", "mc_value_mean", "mc_value_lower", "mc_value_upper"});
    auto band = [](std::vector<std::string>& cells, const salespipe::backtest::band& b) {
      for (double x : {b.mean, b.lower, b.upper}) cells.push_back(io::csv_number(x));
    };
    for (const auto& r : runs)
      for (const auto& p : r.periods) {
        std::vector<std::string> cells{r.cutoff, p.from, p.to, io::csv_number(p.count), io::csv_number(p.value)};
        band(cells, p.analytic_count);
        band(cells, p.mc_count);
        band(cells, p.analytic_value);
        band(cells, p.mc_value);
        io::write_csv_row(os, cells);
      }
    write_output(a.csv_dir + "/backtest.csv", os.str());
  }
  return int{exit_ok};
}

}  // namespace

command make_backtest_command(CLI::App& parent) {
  auto a = std::make_shared<backtest_args>();
  a->crm.unit = "month";
  CLI::App* sub = parent.add_subcommand(
      "backtest", "Fit on CRM data up to a cutoff, forecast the next periods with both engines, compare with "
                  "what happened (won count and value per period, MAE, MAPE, interval coverage)");
  add_crm_options(sub, a->crm);
  sub->add_option("--cutoff", a->cutoffs, "Cutoff date(s) YYYY-MM-DD: data up to the end of that day are known")
      ->required();
  sub->add_option("--periods", a->periods, "Periods K to forecast after each cutoff (unit: --unit, default month)")
      ->check(CLI::PositiveNumber);
  sub->add_option("--level", a->level, "Central interval compared with the actuals (default 0.8)")
      ->check(CLI::Range(0.01, 0.99));
  sub->add_option("--reps", a->reps, "Monte Carlo replications (default 400)")->check(CLI::PositiveNumber);
  sub->add_option("--seed", a->seed, "Random seed (default 1)");
  sub->add_option("--threads", a->threads, "Worker threads (0 = all cores; results do not depend on it)")
      ->check(CLI::NonNegativeNumber);
  sub->add_flag("--no-parameter-draws", a->no_draws,
                "Monte Carlo with the fitted parameters only (default: drawn from their posterior per replication)");
  sub->add_option("--json", a->json_out, "Write the results as JSON to OUT ('-' = standard output)");
  sub->add_option("--csv", a->csv_dir, "Write DIR/backtest.csv (one row per cutoff and period)");
  return {sub, [a]() { return run_backtest(*a); }};
}

}  // namespace salespipe_cli
