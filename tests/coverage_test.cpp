// Coverage (analytic/coverage.hpp): the 36-prospect case, scaling, the loophole, the
// required pipeline value, re-enterable targets, and the errors.
#include <salespipe/analytic/coverage.hpp>
#include <salespipe/example_model.hpp>
#include <salespipe/pipeline.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>

namespace sp = salespipe;
namespace an = salespipe::analytic;

namespace {
double rel_err(double x, double expected) {
  return expected == 0 ? std::abs(x) : std::abs(x - expected) / std::abs(expected);
}
constexpr double tight = 1e-12;
}  // namespace

TEST_CASE("built-in example: 36 prospects required, the loophole is prospect") {
  const sp::pipeline p(sp::example_model());
  const an::coverage cov = an::solve_coverage(p);
  CHECK(cov.node == "customer");
  CHECK(cov.per_period == 3);
  CHECK(rel_err(cov.current_rate, 3) < tight);
  CHECK(rel_err(cov.scale, 1) < tight);
  CHECK(rel_err(cov.required_source_rate, 45) < tight);
  REQUIRE(cov.required_source_rates.size() == 1);
  CHECK(rel_err(cov.required_source_rates[0], 45) < tight);
  // Only stages that can still lead to a new customer: not customer, not big_customer.
  REQUIRE(cov.stages.size() == 3);
  CHECK(cov.stages[0].id == "lead");
  CHECK(cov.stages[1].id == "qualified");
  CHECK(cov.stages[2].id == "prospect");
  CHECK(cov.find("customer") == nullptr);
  const auto& pr = *cov.find("prospect");
  CHECK(rel_err(pr.required_wip, 36) < tight);  // 9 a month × 4 months
  CHECK(pr.open_wip == 24);
  CHECK(rel_err(pr.gap, -12) < tight);
  CHECK(rel_err(pr.ratio, 24.0 / 36) < tight);
  CHECK(rel_err(cov.find("lead")->required_wip, 22.5) < tight);
  CHECK(cov.find("lead")->open_wip == 20);
  CHECK(rel_err(cov.find("qualified")->required_wip, 18) < tight);
  CHECK(cov.find("qualified")->open_wip == 17);
  // Relative shortfalls: lead 1 − 20/22.5 = 0.11, qualified 1 − 17/18 = 0.06,
  // prospect 1 − 24/36 = 0.33.
  CHECK(cov.loophole == "prospect");
  REQUIRE(cov.loophole_index.has_value());
  CHECK(*cov.loophole_index == 2);
  CHECK(rel_err(cov.required_wip, 22.5 + 18 + 36) < tight);
  CHECK(cov.open_wip == 20 + 17 + 24);
  // Required value: deals found in a stage × P(they become customers) × 20000.
  // lead: 22.5 × 1/15; qualified (time-weighted: 0.5 × 1.5 on the prospect route out of
  // 1.0): 18 × 0.75 × 1/3; prospect: 36 × 1/3.
  CHECK(rel_err(cov.find("qualified")->p_reach_target, 0.25) < tight);
  CHECK(rel_err(cov.find("lead")->p_reach_target, 1.0 / 15) < tight);
  CHECK(rel_err(pr.p_reach_target, 1.0 / 3) < tight);
  CHECK(rel_err(cov.value_per_entry, 20000) < 1e-9);
  CHECK(rel_err(cov.required_pipeline_value, (1.5 + 4.5 + 12) * 20000) < 1e-9);
}

TEST_CASE("coverage scales linearly and keeps the source mix") {
  sp::model m = sp::example_model();
  m.add_source("qualified", 2);  // a second source: 18 + 2 = 20 qualified → 10 prospects
  const sp::pipeline p(m);
  // 10 prospects/month → 10/3 customers; 5/month needs scale 1.5.
  const an::coverage cov = an::solve_coverage(p, "customer", 5);
  CHECK(rel_err(cov.current_rate, 10.0 / 3) < tight);
  CHECK(rel_err(cov.scale, 1.5) < tight);
  CHECK(rel_err(cov.required_source_rate, 47 * 1.5) < tight);
  REQUIRE(cov.required_source_rates.size() == 2);
  CHECK(rel_err(cov.required_source_rates[0], 67.5) < tight);
  CHECK(rel_err(cov.required_source_rates[1], 3) < tight);
  CHECK(rel_err(cov.find("prospect")->required_wip, 15 * 4) < tight);
  // An outcome as target: 5 churned a month (every customer churns eventually).
  const an::coverage ch = an::solve_coverage(p, "churned", 5);
  CHECK(rel_err(ch.required_source_rate, 47 * 1.5) < tight);
  CHECK(ch.find("customer") != nullptr);
  CHECK(ch.find("big_customer") != nullptr);
  CHECK(rel_err(ch.find("customer")->p_reach_target, 1) < tight);
}

TEST_CASE("the required source rate does not depend on the current rate") {
  const sp::pipeline p(sp::example_model());
  an::steady_state_options later;
  later.rates_at = 24;  // 67.5 leads a month
  const an::coverage cov = an::solve_coverage(p, later);
  CHECK(rel_err(cov.current_rate, 4.5) < tight);
  CHECK(rel_err(cov.required_source_rate, 45) < tight);
  CHECK(rel_err(cov.find("prospect")->required_wip, 36) < tight);
}

TEST_CASE("no shortfall: no loophole; a re-enterable target is part of its own coverage") {
  sp::model m;
  m.add_stage("lead", sp::exponential_dist(1)).to("opp", 0.5);
  m.add_stage("opp", sp::exponential_dist(2)).to("won", 0.3).to("nurture", 0.4);
  m.add_stage("nurture", sp::fixed_dist(3)).to("lead", 0.5);
  m.add_outcome("won");
  m.add_source("lead", 9);
  m.add_open("lead", 100, 0.0).add_open("opp", 100, 0.0).add_open("nurture", 100, 0.0);
  const sp::pipeline p(m);
  const an::coverage cov = an::solve_coverage(p, "won", 1.5);  // exactly the current rate
  CHECK(rel_err(cov.scale, 1) < tight);
  CHECK(cov.loophole.empty());
  CHECK_FALSE(cov.loophole_index.has_value());
  CHECK(cov.stages.size() == 3);
  // Target "lead": lead can be re-entered (via nurture), so it is part of it.
  const an::coverage lc = an::solve_coverage(p, "lead", 20);
  REQUIRE(lc.find("lead") != nullptr);
  CHECK(rel_err(lc.scale, 2) < tight);  // 10 leads a month now (9 + 1 recycled)
  // A deal in lead re-enters it with 0.1 and then re-enters 1/9 more times on average.
  CHECK(rel_err(lc.find("lead")->expected_target_entries, 0.1 * 10.0 / 9) < tight);
}

TEST_CASE("coverage errors name the problem") {
  const sp::pipeline p(sp::example_model());
  CHECK_THROWS_AS(an::solve_coverage(p, "customer", 0), sp::invalid_option);
  CHECK_THROWS_AS(an::solve_coverage(p, "customer", std::nan("")), sp::invalid_option);
  try {
    (void)an::solve_coverage(p, "custmer", 3);
    FAIL("expected invalid_option");
  } catch (const sp::invalid_option& e) {
    CHECK(std::string(e.what()).find("did you mean 'customer'") != std::string::npos);
  }
  // No source rate to scale.
  sp::model none = sp::example_model();
  none.sources.clear();
  try {
    (void)an::solve_coverage(sp::pipeline(none));
    FAIL("expected invalid_model");
  } catch (const sp::invalid_model& e) {
    CHECK(std::string(e.what()).find("no source rate") != std::string::npos);
    CHECK(e.path() == "/sources");
  }
  // Target not reachable from the sources.
  sp::model m;
  m.add_stage("a", sp::exponential_dist(1)).to("won", 0.5);
  m.add_stage("b", sp::exponential_dist(1)).to("won", 0.5);
  m.add_outcome("won");
  m.add_source("a", 1);
  try {
    (void)an::solve_coverage(sp::pipeline(m), "b", 1);
    FAIL("expected invalid_model");
  } catch (const sp::invalid_model& e) {
    CHECK(std::string(e.what()).find("'b' cannot be reached") != std::string::npos);
  }
  // No target in the model.
  CHECK_THROWS_AS(an::solve_coverage(sp::pipeline(m)), sp::invalid_option);
  // A steady state of another pipeline.
  CHECK_THROWS_AS(an::solve_coverage(p, an::solve_steady_state(sp::pipeline(m)), "won", 1), sp::invalid_option);
}
