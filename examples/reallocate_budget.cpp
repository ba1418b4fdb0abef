// reallocate_budget.cpp — spread an improvement budget of 10 (say, sales-enablement days)
// over three levers of the built-in example with diminishing returns, maximising the rate
// of new customers, and find the current spending that can be withdrawn at little loss.
// Checks the greedy optimum against brute force over all allocations (the levers interact,
// so greedy is not guaranteed exact here) and returns non-zero on failure.
#include <algorithm>
#include <cstdio>
#include <vector>

#include <salespipe/example_model.hpp>
#include <salespipe/keylinks/reallocate.hpp>

int main() {
  namespace kl = salespipe::keylinks;
  const salespipe::pipeline p(salespipe::example_model());
  kl::kpi_spec k;  // entries per month into the target 'customer'
  const std::vector<kl::budget_lever> levers = {
      // +Δ conversion for x spent: Δ = 0.5 x / (6 + x)  (cost = 6 Δ / (0.5 − Δ))
      {"conversion:lead->qualified", 0, kl::cost_curve::saturating(6, 0.5)},
      // 2 spent already; +30% for 4, +50% for 12 (piecewise linear, concave)
      {"conversion:prospect->customer", 2, kl::cost_curve::piecewise_linear({{4, 0.3}, {12, 0.5}})},
      // 3 spent already on shortening the prospect stage: no effect on the rate
      {"duration:prospect", 3, kl::cost_curve::saturating(2, 0.4)}};
  kl::allocation_options o;
  o.step = 1;
  const kl::allocation a = kl::allocate_budget(p, k, levers, 10, o);
  std::printf("%s: %.4f now, %.4f after spending %.0f; marginal value %.4f per unit\n", a.kpi.c_str(), a.base,
              a.optimum, a.spent, a.marginal_value);
  for (const auto& l : a.levers)
    std::printf("  %-32s current %4.1f extra %4.1f  x%.3f  loss if withdrawn %.4f%s\n", l.lever.c_str(), l.current,
                l.extra, l.factor, l.withdraw_loss, l.withdrawable ? "  (withdrawable)" : "");
  double best = 0;
  for (int i = 0; i <= 10; ++i)
    for (int j = 0; i + j <= 10; ++j) {
      const std::vector<double> x = {0.0 + i, 2.0 + j, 3.0 + (10 - i - j)};
      best = std::max(best, kl::evaluate(salespipe::pipeline(kl::model_at_spend(p, levers, x)), k));
    }
  std::printf("brute force optimum %.4f\n", best);
  const bool ok = a.optimum <= best + 1e-12 && a.optimum >= best - 0.01 * (best - a.base) && a.levers[2].withdrawable &&
                  !a.levers[1].withdrawable && a.levers[2].extra == 0;
  std::printf("%s\n", ok ? "ok" : "FAILED");
  return ok ? 0 : 1;
}
