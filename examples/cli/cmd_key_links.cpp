// cmd_key_links.cpp — `salespipe key-links [MODEL.json] [--kpi K] [--node N] [--periods W]
// [--from F] [--change 10%] [--negligible 0.1%] [--budget B --levers LEVERS.json [--step S]
// [--withdraw-loss 1%]] [--json OUT] [--csv DIR]`: the key links of the model (keylinks/).
//
// Prints the tornado (section_key_links.cpp); with --budget, the greedy allocation of the
// budget over the levers of LEVERS.json and the current spending that can be withdrawn
// (key_links_budget.cpp, shared with `salespipe report --budget`; format of LEVERS.json in
// key_links_budget.hpp). --csv DIR writes key_links.csv (and allocation.csv). Bad levers,
// nodes, probabilities, budgets and cost curves exit 1 with one line naming them.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

#include <salespipe/io/csv.hpp>
#include <salespipe/keylinks/reallocate.hpp>

#include "cli.hpp"
#include "key_links_budget.hpp"
#include "report.hpp"

namespace salespipe_cli {

namespace {

namespace kl = salespipe::keylinks;
namespace io = salespipe::io;

// A JSON number (null: NaN) as a CSV field (io::csv_number).
std::string number(const ojson& x) { return io::csv_number(x.is_null() ? std::nan("") : x.get<double>()); }

// "10%" → 0.1, "0.1" → 0.1; throws usage_error naming the option.
double parse_fraction(const std::string& opt, const std::string& text) {
  std::string t = text;
  const bool pct = !t.empty() && t.back() == '%';
  if (pct) t.pop_back();
  try {
    std::size_t used = 0;
    const double x = std::stod(t, &used);
    if (used != t.size() || !std::isfinite(x)) throw std::invalid_argument(t);
    return pct ? x / 100 : x;
  } catch (const std::exception&) {
    throw usage_error(opt + ": expected a number or a percentage like 10%, got '" + text + "'");
  }
}

}  // namespace

command make_key_links_command(CLI::App& parent) {
  struct state {
    std::string model, kpi = "entry_rate", node, change = "10%", negligible = "0.1%", levers, json_out, csv_dir;
    std::string withdraw = "1%";
    std::size_t periods = 12, from = 0;
    double budget = NAN, step = 0;
  };
  auto st = std::make_shared<state>();
  CLI::App* sub = parent.add_subcommand(
      "key-links", "Key links: rank the levers (conversions, durations, sources, values) by their effect on a "
                   "KPI; with --budget, spread an improvement budget over levers with cost curves");
  add_model_argument(*sub, st->model);
  sub->add_option("--kpi", st->kpi, "entry_rate (default), value_rate, cycle_time, window_value or p_hit")
      ->type_name("KPI");
  sub->add_option("--node", st->node, "Node of the KPI (default: the model's target)")->type_name("NODE");
  sub->add_option("--periods", st->periods, "Window length for window_value and p_hit (default 12)")
      ->type_name("W")
      ->check(CLI::PositiveNumber);
  sub->add_option("--from", st->from, "First period of the window (default 0)")->type_name("F");
  sub->add_option("--change", st->change, "Relative change of every lever (default 10%)")->type_name("X%");
  sub->add_option("--negligible", st->negligible,
                  "Flag levers whose effect is below this share of the KPI "
                  "(default 0.1%)")
      ->type_name("X%");
  CLI::Option* budget_opt =
      sub->add_option("--budget", st->budget, "Improvement budget to allocate (needs --levers)")->type_name("B");
  CLI::Option* levers_opt = sub->add_option("--levers", st->levers, "Levers with cost curves (JSON, see the README)")
                                ->type_name("LEVERS.json");
  sub->add_option("--step", st->step, "Budget increment of the greedy allocation (default budget/100)")->type_name("S");
  sub->add_option("--withdraw-loss", st->withdraw,
                  "Current spending is withdrawable when its loss is below this share of the KPI (default 1%)")
      ->type_name("X%");
  sub->add_option("--json", st->json_out, "Write the result as JSON to OUT ('-' = stdout only)")->type_name("OUT");
  sub->add_option("--csv", st->csv_dir, "Write key_links.csv (and allocation.csv) into the directory DIR")
      ->type_name("DIR");

  return {sub, [st, budget_opt, levers_opt]() {
            const double change = parse_fraction("--change", st->change);
            const double negligible = parse_fraction("--negligible", st->negligible);
            const double withdraw = parse_fraction("--withdraw-loss", st->withdraw);
            const bool with_budget = check_budget_options(budget_opt->count() > 0, st->budget, levers_opt->count() > 0);
            if (!(change > 0 && change < 1))
              throw usage_error("--change must be in (0%, 100%), got '" + st->change + "'");
            const salespipe::pipeline p = load_model(st->model);
            report r("salespipe key-links: " + (p.name().empty() ? model_source_name(st->model) : p.name()));
            section ks = key_links_section(p, st->kpi, st->node, st->from, st->periods, change, negligible);
            const ojson tornado = ks.json;
            r.add(std::move(ks));
            ojson alloc_json = nullptr;
            std::string alloc_csv;
            if (with_budget) {
              const auto levers = read_budget_levers(st->levers);
              kl::kpi_spec k;
              k.kind = *kl::parse_kpi_kind(st->kpi);
              k.node = st->node;
              k.window = {st->from, st->from + st->periods};
              section s = allocation_section(p, k, levers, st->budget, st->step, withdraw);
              std::ostringstream alloc;
              io::write_csv_row(alloc, {"lever", "current", "extra", "factor", "withdraw_loss", "withdrawable"});
              for (const auto& l : s.json["levers"])
                io::write_csv_row(alloc, {l["lever"].get<std::string>(), number(l["current"]), number(l["extra"]),
                                          number(l["factor"]), number(l["withdraw_loss"]),
                                          l["withdrawable"].get<bool>() ? "1" : "0"});
              alloc_csv = alloc.str();
              alloc_json = s.json;
              r.add(std::move(s));
            }
            if (!st->csv_dir.empty()) {
              std::error_code ec;  // "created if missing"; a failure shows when the file is written
              std::filesystem::create_directories(st->csv_dir, ec);
              auto write = [&](const std::string& name, const std::string& text) {
                const std::string path = st->csv_dir + "/" + name;
                std::ofstream out(path);
                if (!out || !(out << text)) throw salespipe::error(path + ": cannot write");
              };
              std::ostringstream csv;
              io::write_csv_row(csv, {"rank", "lever", "before", "after", "effect", "relative", "linear", "elasticity",
                                      "method", "negligible"});
              if (tornado.contains("ranking")) {
                std::size_t rank = 0;
                for (const auto& row : tornado["ranking"])
                  io::write_csv_row(csv, {io::csv_number(++rank), row["lever"].get<std::string>(),
                                          number(row["before"]), number(row["after"]), number(row["effect"]),
                                          number(row["relative"]), number(row["linear"]), number(row["elasticity"]),
                                          row["method"].get<std::string>(), row["negligible"].get<bool>() ? "1" : "0"});
              }
              write("key_links.csv", csv.str());
              if (with_budget) write("allocation.csv", alloc_csv);
            }
            if (st->json_out != "-") write_output("-", r.text());
            if (!st->json_out.empty()) {
              ojson j = r.json();
              j["salespipe_key_links"] = 1;
              write_output(st->json_out, j.dump(2) + "\n");
            }
            return int{exit_ok};
          }};
}

}  // namespace salespipe_cli
