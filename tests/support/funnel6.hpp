// tests/support/funnel6.hpp — the reference benchmark model of ../shared/bench/funnel6.md,
// shared by the tests and the benchmarks.
#ifndef SALESPIPE_TESTS_SUPPORT_FUNNEL6_HPP
#define SALESPIPE_TESTS_SUPPORT_FUNNEL6_HPP

#include <salespipe/funnel.hpp>

namespace salespipe_test {

/// funnel6: 300 leads a month through five stages to Won (value lognormal 20,000 ± 10,000).
inline salespipe::pipeline funnel6() {
  using namespace salespipe;
  return funnel("funnel6")
      .stage("Lead", 0.40, exponential_dist(0.5))
      .stage("MQL", 0.50, gamma_dist::with_mean(2, 1))
      .stage("SQL", 0.60, gamma_dist::with_mean(2, 1.5))
      .stage("Opportunity", 0.50, lognormal_dist::with_mean_sd(1, 0.5))
      .stage("Proposal", 0.55, gamma_dist::with_mean(3, 1))
      .outcome("Won")
      .value(lognormal_dist::with_mean_sd(20000, 10000))
      .inflow(300)
      .build();
}

}  // namespace salespipe_test

#endif  // SALESPIPE_TESTS_SUPPORT_FUNNEL6_HPP
