// marketing_lag.cpp — +50% leads from month 1: how much of the extra revenue lands in this
// fiscal year and how much next year (exact forecasts of both scenarios, analytic/lag.hpp).
#include <cmath>
#include <cstdio>

#include <salespipe/analytic/lag.hpp>
#include <salespipe/example_model.hpp>

int main() {
  using namespace salespipe;
  const model m = example_model();  // 45 leads a month (67.5 from month 12), 6 months to close
  const pipeline base(m), more(scale_source_from(m, /*source*/ 0, /*from month*/ 1, /*factor*/ 1.5));
  const analytic::lag_effect e = analytic::lag(base, more, /*periods*/ 24, /*fiscal start*/ 0, "customer");
  std::printf("%s\n", analytic::describe(e, "+50% leads from month 1").c_str());
  std::printf("extra value: this FY %.0f, next FY %.0f\n", e.extra_this, e.extra_next);
  for (std::size_t k = 0; k < 24; k += 3) std::printf("  month %2zu: %+8.0f\n", k, e.extra_value[k]);
  // The lag: deals need months to close, so next year gets more of the extra than this one,
  // and the first month gets nothing. Late in year 2 the extra is the steady-state one:
  // 0.5 × 67.5 leads × 0.4 × 0.5 × 1/3 won × 20,000 per customer = 45,000 a month.
  const bool ok = e.extra_value[0] == 0 && e.extra_next > e.extra_this && e.extra_this > 0 &&
                  std::fabs(e.extra_value[23] - 45000) < 0.05 * 45000;
  return ok ? 0 : 1;
}
