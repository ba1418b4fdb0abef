// key_links_budget.cpp — the budget allocation of `key-links` and `report` (see
// key_links_budget.hpp).
#include "key_links_budget.hpp"

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include <salespipe/error.hpp>
#include <salespipe/io/json_keylinks.hpp>
#include <salespipe/io/levers.hpp>

#include "cli.hpp"

namespace salespipe_cli {

bool check_budget_options(bool has_budget, double budget, bool has_levers) {
  if (has_budget && !has_levers)
    throw usage_error("--budget needs --levers LEVERS.json (--budget and --levers go together)");
  if (has_levers && !has_budget) throw usage_error("--levers needs --budget B (--budget and --levers go together)");
  if (has_budget && !(budget >= 0 && std::isfinite(budget)))
    throw salespipe::error("--budget must be >= 0, got " + fmt(budget));
  return has_budget;
}

std::vector<salespipe::keylinks::budget_lever> read_budget_levers(const std::string& path) {
  return salespipe::io::read_budget_levers_file(path);
}

section allocation_section(const salespipe::pipeline& p, const salespipe::keylinks::kpi_spec& k,
                           const std::vector<salespipe::keylinks::budget_lever>& levers, double budget, double step,
                           double withdraw_loss) {
  namespace kl = salespipe::keylinks;
  kl::allocation_options o;
  o.step = step;
  o.withdraw_loss = withdraw_loss;
  kl::allocation a;
  try {
    a = kl::allocate_budget(p, k, levers, budget, o);
  } catch (const salespipe::invalid_option& e) {  // bad input, not usage: exit 1
    throw salespipe::error(e.what());
  }
  section s;
  s.key = "allocation";
  s.title = "Allocation of a budget of " + fmt(a.budget) + " (greedy, increments of " + fmt(a.step) + ")";
  s.line("KPI " + a.kpi + ": " + fmt(a.base, 6) + " now, " + fmt(a.optimum, 6) + " after spending " + fmt(a.spent) +
         "; marginal value of budget " + fmt(a.marginal_value) + " per unit.");
  s.line("Greedy marginal allocation is exact for separable concave returns; with interacting "
         "levers it is a heuristic.");
  table t;
  t.name = "allocation";
  t.columns = {"lever", "current spend", "extra spend", "parameter x", "loss if current withdrawn", ""};
  for (const auto& l : a.levers)
    t.row({l.lever, fmt(l.current), fmt(l.extra), fmt(l.factor), l.current > 0 ? fmt(l.withdraw_loss) : "-",
           l.withdrawable ? "withdrawable" : ""});
  s.add(std::move(t));
  std::string free;
  bool any_current = false;
  for (const auto& l : a.levers) {
    any_current = any_current || l.current > 0;
    if (l.withdrawable) free += (free.empty() ? "" : ", ") + l.lever + " (" + fmt(l.current) + ")";
  }
  const std::string threshold = fmt(100 * withdraw_loss) + "% of the KPI";
  if (!free.empty())
    s.line("Withdrawable current spending (loss below " + threshold + " if it goes to 0): " + free + ".");
  else if (any_current)
    s.line("No current spending can be withdrawn for a loss below " + threshold + ".");
  else
    s.line("No current spending to withdraw (no lever has a current spend).");
  s.json = a;  // io/json_keylinks.hpp
  return s;
}

}  // namespace salespipe_cli
