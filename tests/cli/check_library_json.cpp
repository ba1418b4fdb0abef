// check_library_json.cpp — an embedder gets exactly the JSON the command line writes: the
// library's to_json (io/json_analytic.hpp, io/json_keylinks.hpp) on the built-in example,
// dumped, equals the dumped sections of the CLI's files, byte for byte.
// Usage: salespipe_cli_check_library_json REPORT.json KEYLINKS.json SIMULATE.json FORECAST.json
//   REPORT.json    `salespipe report --json` (steady_state, coverage, key_links: window_value
//                  over 12 months, ±10%, negligible 0.1%)
//   KEYLINKS.json  `salespipe key-links --budget 10 --levers tests/data/levers.json --step 1
//                  --json` (key_links: entry_rate, allocation)
//   SIMULATE.json  `salespipe simulate --reps 200 --seed 7 --periods 12 --json` (the run,
//                  io/json_simulate.hpp, after the command's own header keys)
//   FORECAST.json  `salespipe forecast --periods 12 --json` (nodes: io/json_forecast.hpp)
// Exit 0 when every section is identical.
#include <fstream>
#include <iostream>
#include <string>

#include <nlohmann/json.hpp>

#include <salespipe/analytic/coverage.hpp>
#include <salespipe/analytic/steady_state.hpp>
#include <salespipe/example_model.hpp>
#include <salespipe/io/json_analytic.hpp>
#include <salespipe/io/json_forecast.hpp>
#include <salespipe/io/json_keylinks.hpp>
#include <salespipe/io/json_simulate.hpp>
#include <salespipe/io/levers.hpp>
#include <salespipe/simulate/engine.hpp>

namespace {

using ojson = nlohmann::ordered_json;
int failures = 0;

ojson read(const char* path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error(std::string(path) + ": cannot open");
  return ojson::parse(in);
}

void same(const ojson& cli, const ojson& library, const std::string& what) {
  const std::string a = cli.dump(2), b = library.dump(2);
  if (a == b) return;
  std::size_t i = 0;
  while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
  std::cerr << "FAILED: " << what << " differs at byte " << i << ": CLI '" << a.substr(i, 60) << "' library '"
            << b.substr(i, 60) << "'\n";
  ++failures;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) {
    std::cerr << "usage: salespipe_cli_check_library_json REPORT.json KEYLINKS.json SIMULATE.json FORECAST.json\n";
    return 2;
  }
  namespace kl = salespipe::keylinks;
  const ojson report = read(argv[1]), keylinks = read(argv[2]), simulated = read(argv[3]), forecast = read(argv[4]);
  const salespipe::pipeline p(salespipe::example_model());
  const auto ss = salespipe::analytic::solve_steady_state(p);
  same(report.at("steady_state"), ss, "steady_state");
  same(report.at("coverage"), salespipe::analytic::solve_coverage(p, ss), "coverage");

  kl::kpi_spec window;
  window.kind = kl::kpi_kind::window_value;
  window.window = {0, 12};
  same(report.at("key_links"), kl::rank_levers(p, window), "report key_links");

  const kl::kpi_spec rate;  // entry_rate into the target
  same(keylinks.at("key_links"), kl::rank_levers(p, rate), "key-links key_links");
  kl::allocation_options o;
  o.step = 1;
  const auto levers = salespipe::io::read_budget_levers_file(SALESPIPE_TEST_DATA "/levers.json");
  same(keylinks.at("allocation"), kl::allocate_budget(p, rate, levers, 10, o), "key-links allocation");

  salespipe::simulate::options so;
  so.replications = 200;
  so.seed = 7;
  so.periods = 12;
  const ojson run = salespipe::simulate::run(p, so);
  for (const auto& [key, value] : run.items()) same(simulated.at(key), value, "simulate " + key);

  const auto f = salespipe::analytic::forecast(p, 12);
  same(forecast.at("nodes"), salespipe::io::forecast_nodes_json(f, salespipe::io::forecast_counts(p, f)),
       "forecast nodes");
  std::cout << (failures ? "FAILED" : "ok") << ": library to_json vs the CLI's JSON, 5 sections, a run, a forecast\n";
  return failures ? 1 : 0;
}
