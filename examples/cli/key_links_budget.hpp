// key_links_budget.hpp — the budget allocation of the key links (keylinks/reallocate.hpp),
// shared by `salespipe key-links --budget B --levers LEVERS.json` (cmd_key_links.cpp) and
// `salespipe report --budget B --levers LEVERS.json` (section_key_links.cpp): the options'
// checks, the LEVERS.json reader and the printed allocation (key_links_budget.cpp).
//
// LEVERS.json:
//   {"levers": [{"lever": "conversion:prospect->customer", "current": 2,
//                "curve": {"type": "piecewise", "points": [[0, 0], [4, 0.3], [12, 0.5]]}},
//               {"lever": "duration:prospect", "curve": {"type": "saturating", "a": 2, "cap": 0.4}}]}
// Effects are relative improvements (0.3 = +30% conversion, −30% duration); "current" is the
// spend already reflected in the model (default 0).
#ifndef SALESPIPE_CLI_KEY_LINKS_BUDGET_HPP
#define SALESPIPE_CLI_KEY_LINKS_BUDGET_HPP

#include <string>
#include <vector>

#include <salespipe/keylinks/reallocate.hpp>

#include "report.hpp"

namespace salespipe_cli {

/// Checks the options --budget and --levers (given or not, and the budget's value): returns
/// true when both are given, false when neither is. Throws usage_error (exit 2) naming the
/// missing flag when only one is given; salespipe::error (exit 1) when the budget is < 0 or
/// not finite.
bool check_budget_options(bool has_budget, double budget, bool has_levers);

/// The levers of LEVERS.json (format above). Throws salespipe::parse_error naming the file
/// and the JSON path (cannot open, not JSON, a missing or mistyped field, an unknown curve
/// type). Lever names and cost curves are checked against the model by allocation_section().
std::vector<salespipe::keylinks::budget_lever> read_budget_levers(const std::string& path);

/// Section "allocation" (JSON key "allocation", table "allocation"): the greedy allocation of
/// `budget` over `levers` for KPI `k` (keylinks::allocate_budget with increments `step`, 0 =
/// budget/100, and `withdraw_loss` as a share of the KPI): the KPI now and after, the spend,
/// the marginal value of budget, and per lever the current and extra spend, the parameter
/// factor, the loss if its current spend were withdrawn and whether it is withdrawable.
/// JSON: kpi, budget, step, spent, base, optimum, marginal_value, levers[] {lever, current,
/// extra, factor, withdraw_loss, withdrawable}. Throws salespipe::error (exit 1) on bad input:
/// an unknown lever, a cost curve that is not increasing or concave, a negative current spend,
/// a step outside (0, budget], a change pushing a probability outside [0, 1].
section allocation_section(const salespipe::pipeline& p, const salespipe::keylinks::kpi_spec& k,
                           const std::vector<salespipe::keylinks::budget_lever>& levers, double budget, double step,
                           double withdraw_loss);

}  // namespace salespipe_cli

#endif  // SALESPIPE_CLI_KEY_LINKS_BUDGET_HPP
