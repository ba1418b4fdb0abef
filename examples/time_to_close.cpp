// time_to_close.cpp — how long a prospect takes to become a customer, with what spread:
// the exact distribution of the time to enter 'customer' from each stage (analytic/transient.hpp).
#include <cmath>
#include <cstdio>

#include <salespipe/analytic/transient.hpp>
#include <salespipe/example_model.hpp>

int main() {
  using namespace salespipe;
  const pipeline p(example_model());
  std::printf("from stage   P(become customer)   P50   P90   mean (months, for those who do)\n");
  bool ok = true;
  for (const char* from : {"lead", "qualified", "prospect"}) {
    const analytic::transient_result t = analytic::time_to_outcome(p, from);
    const analytic::entry_time& c = t.node("customer");
    std::printf("%-10s %14.1f%% %9.2f %5.2f %6.2f\n", from, 100 * c.total(), c.quantile(0.5), c.quantile(0.9),
                c.mean());
    if (std::string(from) == "prospect")  // 1 in 3 win, after a gamma(3) time of mean 4 months
      ok = ok && std::fabs(c.total() - 1.0 / 3) < 1e-3 && std::fabs(c.mean() - 4) < 0.02;
    if (std::string(from) == "lead")  // 0.4 × 0.5 × 1/3, after 0.5 + 1.5 + 4 months on average
      ok = ok && std::fabs(c.total() - 0.2 / 3) < 1e-3 && std::fabs(c.mean() - 6) < 0.03;
  }
  return ok ? 0 : 1;
}
