// section_key_links.cpp — "Key links": the tornado ranking of every lever of the model by
// the exact effect of a stated relative change on one KPI (keylinks/ranking.hpp), with the
// linear estimate from the exact sensitivity beside it; levers with negligible effect are
// flagged as places resources can come from. JSON key "key_links".
// In `salespipe report`: KPI = value over the next 12 periods (window_value), change 10%,
// negligible below 0.1% of the KPI; with --budget B --levers LEVERS.json the section also
// shows the allocation of the budget for that KPI (key_links_budget.cpp; JSON
// key_links.allocation, CSV key_links_allocation.csv). `salespipe key-links`
// (cmd_key_links.cpp) prints the same section for any KPI and change.
#include <cmath>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include <salespipe/io/charts/bars.hpp>
#include <salespipe/io/json_keylinks.hpp>
#include <salespipe/keylinks/ranking.hpp>

#include "key_links_budget.hpp"
#include "report.hpp"

namespace salespipe_cli {

namespace {

// The tornado of the ranking (the HTML report's chart): per lever, in ranking order, the
// exact effect of the stated change in the improving direction and in the other direction
// (rank_levers is two-sided; a lever that cannot move the other way shows one bar).
std::string key_links_tornado(const salespipe::keylinks::ranking& r, double change, const std::string& what) {
  namespace ch = salespipe::io::charts;
  ch::tornado_data d;
  d.title = "Key links: change of " + what;
  d.x_label = "change of the KPI (now " + fmt(r.value, 6) + ")";
  d.high_label = "lever improved " + fmt(100 * change) + "%";
  d.low_label = "lever worsened " + fmt(100 * change) + "%";
  for (const auto& b : r.rows) d.rows.push_back({b.name, b.effect_worse, b.effect});
  return ch::tornado_chart(d);
}

}  // namespace

section key_links_section(const salespipe::pipeline& p, const std::string& kpi, const std::string& node,
                          std::size_t from, std::size_t periods, double change, double negligible) {
  namespace kl = salespipe::keylinks;
  section s;
  s.key = "key_links";
  s.title = "Key links: which levers move the KPI";
  const auto kind = kl::parse_kpi_kind(kpi);
  if (!kind)
    throw salespipe::invalid_option("--kpi: unknown KPI '" + kpi +
                                    "' (entry_rate, value_rate, cycle_time, window_value, p_hit)");
  kl::kpi_spec k;
  k.kind = *kind;
  k.node = node;
  k.window = {from, from + periods};
  if (kl::is_forecast_kpi(k.kind) && !p.has_deals()) {
    s.line("no source and no open deal: nothing to forecast");
    s.json = {{"skipped", "nothing to forecast"}};
    return s;
  }
  kl::ranking_options o;
  o.change = change;
  o.negligible = negligible;
  const kl::ranking r = kl::rank_levers(p, k, o);
  const std::string what = kl::describe(k, r.sensitivities.node);
  s.line("KPI: " + what + " = " + fmt(r.value, 6) + ". Each lever moved by " + fmt(100 * change) +
         "% in its improving direction (mean durations shorter), model re-solved exactly.");
  s.line("Remainder-to-lost convention: a higher conversion takes its probability from the stage's "
         "route to 'lost'.");
  table t;
  t.columns = {"rank",     "lever",       "now",        "changed to",    "effect (exact)",
               "effect %", "linear est.", "elasticity", "derivative by", ""};
  std::size_t rank = 0;
  for (const auto& b : r.rows) {
    const auto& sv = r.sensitivities.rows[b.sensitivity_row];
    t.row({std::to_string(++rank), b.name, fmt(b.before), fmt(b.after), fmt(b.effect), fmt(100 * b.relative, 3) + "%",
           fmt(b.linear), fmt(sv.elasticity, 3), std::string(kl::to_string(b.how)), b.negligible ? "negligible" : ""});
  }
  t.name = "ranking";
  s.add(std::move(t));
  s.chart("tornado", key_links_tornado(r, change, what));
  if (!r.rows.empty()) s.line("Key link: " + r.rows.front().name + ".");
  const auto free = r.negligible();
  std::string list;
  for (const auto& n : free) list += (list.empty() ? "" : ", ") + n;
  s.line(free.empty()
             ? "No lever is negligible (threshold " + fmt(100 * negligible) + "% of the KPI)."
             : "Negligible (below " + fmt(100 * negligible) + "% of the KPI; resources can come from): " + list + ".");
  s.json = r;  // io/json_keylinks.hpp
  return s;
}

namespace {

// The window of the report's KPI (window_value): the next 12 periods.
constexpr std::size_t report_key_links_periods = 12;

class key_links_report_section : public report_section {
 public:
  void add_options(CLI::App& cmd) override {
    budget_opt_ = cmd.add_option("--budget", budget_,
                                 "Key links: allocate this improvement budget over the levers of --levers to "
                                 "raise the value of the next 12 periods (needs --levers)")
                      ->type_name("B");
    levers_opt_ =
        cmd.add_option("--levers", levers_, "Key links: levers with cost curves for --budget (JSON, see the README)")
            ->type_name("LEVERS.json");
  }

  void build(report_context& ctx, report& out) override {
    // --budget and --levers are the user's request: their errors (a missing flag, a negative
    // budget, a bad levers file, an unknown lever, a bad cost curve) end the command.
    const bool with_budget = check_budget_options(budget_opt_ != nullptr && budget_opt_->count() > 0, budget_,
                                                  levers_opt_ != nullptr && levers_opt_->count() > 0);
    std::vector<salespipe::keylinks::budget_lever> levers;
    if (with_budget) levers = read_budget_levers(levers_);
    // A model where +10% pushes a conversion above 1 (or with nothing to forecast) still
    // gets its report: the section says why there is no ranking.
    section ks;
    try {
      ks = key_links_section(ctx.pipeline(), "window_value", "", 0, report_key_links_periods, 0.10, 0.001);
    } catch (const salespipe::error& e) {
      ks.key = "key_links";
      ks.title = "Key links: which levers move the KPI";
      ks.line(std::string("Not available: ") + e.what());
      ks.json = {{"skipped", e.what()}};
    }
    if (with_budget) {  // same KPI: lines + table "allocation", JSON key_links.allocation
      salespipe::keylinks::kpi_spec k;
      k.kind = salespipe::keylinks::kpi_kind::window_value;
      k.window = {0, report_key_links_periods};
      section a = allocation_section(ctx.pipeline(), k, levers, budget_, 0, 0.01);
      ks.line("");
      ks.line(a.title + ":");
      for (auto& b : a.body) ks.body.push_back(std::move(b));
      ks.json["allocation"] = std::move(a.json);
    }
    out.add(std::move(ks));
  }

 private:
  double budget_ = 0;
  std::string levers_;
  CLI::Option* budget_opt_ = nullptr;
  CLI::Option* levers_opt_ = nullptr;
};

}  // namespace

std::unique_ptr<report_section> make_key_links_section() { return std::make_unique<key_links_report_section>(); }

}  // namespace salespipe_cli
