// quick_start.cpp — a three-stage funnel and its exact steady state (the README's example).
#include <cmath>
#include <cstdio>

#include <salespipe/analytic/steady_state.hpp>
#include <salespipe/funnel.hpp>

int main() {
  using namespace salespipe;
  const pipeline p = funnel("B2B")                                   // every time and rate in months
                         .stage("lead", 0.4, exponential_dist(0.5))  // 40% qualify, 0.5 months
                         .stage("qualified", 0.5, gamma_dist::with_mean(2, 1.5))
                         .stage("prospect", 1.0 / 3, gamma_dist::with_mean(3, 4))
                         .outcome("customer")
                         .inflow(45)
                         .build();  // 45 leads a month
  const analytic::steady_state ss = analytic::solve_steady_state(p);
  const double customers = ss.outcome("customer").entry_rate;          // 45 × 0.4 × 0.5 / 3
  const double prospects = ss.stage("prospect").wip;                   // 9 a month × 4 months
  const double months = ss.outcome("customer").mean_time_from_source;  // 0.5 + 1.5 + 4
  std::printf("new customers per month: %.2f\nprospects in the pipe: %.1f\n"
              "lead to customer: %.1f months\n",
              customers, prospects, months);
  const bool ok = std::fabs(customers - 3) < 1e-9 && std::fabs(prospects - 36) < 1e-9 && std::fabs(months - 6) < 1e-9;
  return ok ? 0 : 1;
}
