// salespipe/example_model.hpp — the built-in example: a B2B funnel with the classic
// coverage argument, recurring revenue, expansion and churn (the CLI's default model).
//
// A prospect takes 4 months on average to decide and 1 in 3 become customers; 45
// leads a month → 9 prospects a month → 3 new customers a month (the target), which
// needs 9 × 4 = 36 prospects in the pipe. The open pipeline holds 24: the loophole.
// Leads rise 50% from month 12 (a marketing expansion).
#ifndef SALESPIPE_EXAMPLE_MODEL_HPP
#define SALESPIPE_EXAMPLE_MODEL_HPP

#include <salespipe/model.hpp>

namespace salespipe {

/// The built-in example model (time unit: month; values in currency units).
inline model example_model() {
  model m;
  m.name = "B2B funnel (built-in example)";
  m.unit = time_unit::month;
  m.add_stage("lead", exponential_dist(0.5)).to("qualified", 0.4);
  m.add_stage("qualified", gamma_dist::with_mean(2, 1.5)).to("prospect", 0.5).to("lost", 0.5, exponential_dist(0.5));
  m.add_stage("prospect", gamma_dist::with_mean(3, 4)).to("customer", 1.0 / 3.0);
  m.add_stage("customer", exponential_dist(36))
      .reward(2000)
      .value_on_enter(lognormal_dist::with_mean_sd(20000, 10000))
      .to("big_customer", 0.25)
      .to("churned", 0.75);
  m.add_stage("big_customer", exponential_dist(48)).reward(6000).to("churned", 1);
  m.add_outcome("lost");
  m.add_outcome("churned");
  m.add_source("lead", 45).from(12, 67.5);
  m.add_open("lead", 20, 0.2);
  m.add_open("qualified", 17, 0.6);
  m.add_open("prospect", 24, 1.5);
  m.add_open("customer", 110, 10);
  m.add_open("big_customer", 30, 12);
  m.set_target("customer", 3);
  return m;
}

}  // namespace salespipe

#endif  // SALESPIPE_EXAMPLE_MODEL_HPP
