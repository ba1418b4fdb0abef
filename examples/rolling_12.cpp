// rolling_12.cpp — "manage on rolling 12 months, not the fiscal year only": after +50% leads
// from month 1, new-customer bookings of the built-in example per month, fiscal-year-to-date
// (fiscal year starting in month 3, e.g. April for a January forecast) vs the last 12 months
// (calendar.hpp windows over the exact forecast). The fiscal-year figure drops to
// zero at every year start and hides the run rate; the rolling one shows the change building
// up. Checks every window sum against the per-period values summed independently (rolling:
// the recurrence R(k) = R(k-1) + v(k) - v(k-12); year to date: a running sum reset at each
// fiscal year start). Returns non-zero on failure.
#include <cmath>
#include <cstdio>
#include <vector>

#include <salespipe/analytic/forecast.hpp>
#include <salespipe/analytic/lag.hpp>
#include <salespipe/calendar.hpp>
#include <salespipe/example_model.hpp>

int main() {
  using namespace salespipe;
  const std::size_t P = 36, fiscal_start = 3;
  const pipeline base(example_model());
  const pipeline more(scale_source_from(example_model(), /*source*/ 0, /*from month*/ 1, /*factor*/ 1.5));
  const analytic::forecast_result fb = analytic::forecast(base, P), fm = analytic::forecast(more, P);
  const std::size_t c = fm.node("customer");
  auto value = [&](const analytic::forecast_result& f) { return [&f, c](std::size_t k) { return f.booked(c, k); }; };

  // The fiscal year holding period k.
  auto year_of = [&](std::size_t k) {
    for (std::size_t which = 0;; ++which)
      if (const period_window y = fiscal_year(P, fiscal_start, which); k < y.to) return y;
  };

  std::printf("new-customer bookings after +50%% leads (fiscal years start in month %zu)\n", fiscal_start);
  std::printf("month %11s %13s %13s %15s\n", "bookings", "FY to date", "rolling 12", "extra rolling");
  double fytd = 0, r12 = 0, worst = 0;
  std::vector<double> v(P);
  for (std::size_t k = 0; k < P; ++k) {
    v[k] = fm.booked(c, k);
    // independent: running sums over the per-period values
    fytd = (k == year_of(k).from ? 0 : fytd) + v[k];
    r12 += v[k] - (k >= 12 ? v[k - 12] : 0);
    // the library's windows
    const period_window ytd{year_of(k).from, k + 1}, roll = rolling_window(P, k, 12);
    const double a = fm.sum(ytd, value(fm)), b = fm.sum(roll, value(fm));
    const double extra = b - fb.sum(roll, value(fb));
    worst = std::fmax(worst, std::fmax(std::fabs(a - fytd), std::fabs(b - r12)) / std::fmax(1.0, std::fabs(b)));
    if (k % 3 == 2)
      std::printf("%5zu %11.0f %13.0f %13.0f %+15.0f%s\n", k, v[k], a, b, extra,
                  (k + 1) % 12 == fiscal_start % 12 ? "  <- fiscal year end" : "");
  }
  // At a fiscal year end of a full year the two views agree; at the horizon the rolling
  // extra is the 12 months after the change has fully propagated.
  const period_window y1 = fiscal_year(P, fiscal_start, 1);
  const double full_year = fm.sum(y1, value(fm)), rolling_at_end = fm.sum(rolling_window(P, y1.to - 1), value(fm));
  std::printf("fiscal year 1 (months %zu-%zu): %.0f = rolling 12 at month %zu: %.0f\n", y1.from, y1.to - 1, full_year,
              y1.to - 1, rolling_at_end);
  std::printf("largest relative difference, library windows vs running sums: %.2g\n", worst);
  const bool ok = worst < 1e-12 && y1.size() == 12 && std::fabs(full_year - rolling_at_end) <= 1e-9 * full_year;
  std::printf("%s\n", ok ? "ok" : "FAILED");
  return ok ? 0 : 1;
}
