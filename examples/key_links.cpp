// key_links.cpp — find the key links of the built-in example: rank every lever by the exact
// effect of a 10% improvement on the value booked over the next 12 months, and list the
// levers whose effect is negligible (where resources can come from). Checks its own result:
// the exact sensitivity of the steady-state entry rate against a central finite difference,
// and a sensible ranking. Returns non-zero on failure.
#include <cmath>
#include <cstdio>

#include <salespipe/example_model.hpp>
#include <salespipe/keylinks/ranking.hpp>

int main() {
  namespace kl = salespipe::keylinks;
  const salespipe::pipeline p(salespipe::example_model());

  // 1. Exact sensitivities of the new-customer rate (the target, 3 per month).
  kl::kpi_spec rate;  // entry_rate at the target node
  const kl::sensitivity_table t = kl::sensitivities(p, rate);
  std::printf("%s = %.4g\n", kl::describe(rate, t.node).c_str(), t.value);
  int failures = 0;
  for (const auto& s : t.rows) {
    const double eps = 1e-5;
    const double up = kl::evaluate(salespipe::pipeline(kl::scale_lever(p, s.lv, 1 + eps)), rate);
    const double down = kl::evaluate(salespipe::pipeline(kl::scale_lever(p, s.lv, 1 - eps)), rate);
    const double fd = (up - down) / (2 * eps);
    std::printf("  %-32s elasticity %7.4f  (finite difference %7.4f)\n", s.name.c_str(), s.elasticity, fd / t.value);
    if (std::abs(fd - s.d_log) > 1e-6 * t.value) ++failures;
  }

  // 2. The tornado for the value of the next 12 months.
  kl::kpi_spec value;
  value.kind = kl::kpi_kind::window_value;
  value.window = {0, 12};
  const kl::ranking r = kl::rank_levers(p, value);
  std::printf("\n%s = %.6g; +10%% per lever (durations -10%%):\n", kl::describe(value, "").c_str(), r.value);
  for (const auto& b : r.rows)
    std::printf("  %-32s %+12.1f (linear %+12.1f)%s\n", b.name.c_str(), b.effect, b.linear,
                b.negligible ? "  negligible" : "");
  // Prices (the customers' monthly reward) move this year's value most; among the links of
  // the process (conversions and durations) the win rate is the key link, and shortening
  // the lead stage barely matters within a year.
  if (r.rows.front().name != "reward:customer") ++failures;
  for (const auto& b : r.rows)
    if (b.lv.kind == kl::lever_kind::conversion || b.lv.kind == kl::lever_kind::duration) {
      if (b.name != "conversion:prospect->customer") ++failures;
      break;
    }
  bool lead_negligible = false;
  for (const auto& n : r.negligible()) lead_negligible = lead_negligible || n == "duration:lead";
  if (!lead_negligible) ++failures;
  std::printf("%s\n", failures ? "FAILED" : "ok");
  return failures == 0 ? 0 : 1;
}
