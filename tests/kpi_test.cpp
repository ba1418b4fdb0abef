// KPIs (kpi.hpp) on analytic results: values, the velocity identity (Little's law), the
// KPI concept with a user-written KPI, errors.
#include <salespipe/analytic/coverage.hpp>
#include <salespipe/analytic/kpi.hpp>
#include <salespipe/analytic/steady_state.hpp>
#include <salespipe/analytic/velocity.hpp>
#include <salespipe/example_model.hpp>
#include <salespipe/funnel.hpp>
#include <salespipe/kpi.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "support/funnel6.hpp"

namespace sp = salespipe;
namespace an = salespipe::analytic;
namespace kpi = salespipe::kpi;

namespace my {
// A user KPI: the share of source deals that end lost.
struct lost_share {};
inline double evaluate(const lost_share&, const an::steady_state& ss) { return ss.outcome("lost").probability; }
}  // namespace my

// The concept: built-ins on the results they are defined for, user KPIs by ADL.
static_assert(sp::is_kpi_v<kpi::win_rate, an::steady_state>);
static_assert(sp::is_kpi_v<kpi::conversion_rate, an::steady_state>);
static_assert(sp::is_kpi_v<kpi::cycle_time, an::steady_state>);
static_assert(sp::is_kpi_v<kpi::velocity, an::steady_state>);
static_assert(sp::is_kpi_v<kpi::wip, an::steady_state>);
static_assert(sp::is_kpi_v<kpi::throughput, an::steady_state>);
static_assert(sp::is_kpi_v<kpi::value_rate, an::steady_state>);
static_assert(sp::is_kpi_v<kpi::coverage_ratio, an::coverage>);
static_assert(!sp::is_kpi_v<kpi::coverage_ratio, an::steady_state>);
static_assert(!sp::is_kpi_v<kpi::win_rate, an::coverage>);
static_assert(sp::is_kpi_v<my::lost_share, an::steady_state>);
static_assert(!sp::is_kpi_v<int, an::steady_state>);
#if SALESPIPE_HAS_CONCEPTS
static_assert(sp::kpi_for<my::lost_share, an::steady_state>);
static_assert(!sp::kpi_for<kpi::coverage_ratio, an::steady_state>);
#endif

namespace {
double rel_err(double x, double expected) {
  return expected == 0 ? std::abs(x) : std::abs(x - expected) / std::abs(expected);
}
constexpr double tight = 1e-12;

using salespipe_test::funnel6;
}  // namespace

TEST_CASE("built-in KPIs on the example model") {
  const sp::pipeline p(sp::example_model());
  const an::steady_state ss = an::solve_steady_state(p);
  CHECK(rel_err(evaluate(kpi::conversion_rate{"lead", "customer"}, ss), 1.0 / 15) < tight);
  CHECK(rel_err(evaluate(kpi::conversion_rate{"", "customer"}, ss), 1.0 / 15) < tight);
  CHECK(rel_err(evaluate(kpi::conversion_rate{"prospect", "customer"}, ss), 1.0 / 3) < tight);
  CHECK(rel_err(evaluate(kpi::win_rate{"prospect", "churned"}, ss), 1.0 / 3) < tight);
  CHECK(rel_err(evaluate(kpi::win_rate{"", "churned"}, ss), 1.0 / 15) < tight);
  CHECK(rel_err(evaluate(kpi::cycle_time{"lead", "customer"}, ss), 0.5 + 1.5 + 4) < tight);
  CHECK(rel_err(evaluate(kpi::cycle_time{"", "customer"}, ss), 6) < tight);
  CHECK(rel_err(evaluate(kpi::cycle_time{"qualified", "prospect"}, ss), 1.5) < tight);
  CHECK(std::isnan(evaluate(kpi::cycle_time{"customer", "lead"}, ss)));
  CHECK(rel_err(evaluate(kpi::wip{"prospect"}, ss), 36) < tight);
  CHECK(rel_err(evaluate(kpi::wip{""}, ss), 220.5) < tight);
  CHECK(rel_err(evaluate(kpi::throughput{"customer"}, ss), 3) < tight);
  CHECK(rel_err(evaluate(kpi::throughput{"lost"}, ss), 42) < tight);
  CHECK(rel_err(evaluate(kpi::value_rate{"customer"}, ss), 276000) < tight);
  CHECK(rel_err(evaluate(kpi::value_rate{""}, ss), 492000) < tight);
  CHECK(rel_err(evaluate(my::lost_share{}, ss), 42.0 / 45) < tight);

  const an::coverage cov = an::solve_coverage(p, ss);
  CHECK(rel_err(evaluate(kpi::coverage_ratio{"prospect"}, cov), 24.0 / 36) < tight);
  CHECK_THROWS_AS(evaluate(kpi::coverage_ratio{"customer"}, cov), sp::invalid_option);

  CHECK(kpi::name(kpi::win_rate{"prospect", "won"}) == "win_rate(prospect -> won)");
}

TEST_CASE("sales velocity = pipeline deals × win rate × deal value / cycle length = value rate at the win node") {
  // funnel6: L = Σ WIP (all stages lead to Won), W = Σ visits × mean time, p = 0.033,
  // v = 20000: velocity = 9.9 × 20000 = 198000, by Little's law L/W = 300.
  const an::steady_state ss = an::solve_steady_state(funnel6());
  const an::velocity_terms v = an::sales_velocity(ss, "Won");
  CHECK(rel_err(v.win_rate, 0.4 * 0.5 * 0.6 * 0.5 * 0.55) < tight);
  CHECK(rel_err(v.deal_value, 20000) < 1e-9);
  CHECK(rel_err(v.pipeline_deals, ss.wip) < tight);
  // Cycle length from the fundamental matrix: 0.5 + 0.4 (1 + 0.5 (1.5 + 0.6 (1 + 0.5 × 1))).
  CHECK(rel_err(v.cycle_length, 0.5 + 0.4 * (1 + 0.5 * (1.5 + 0.6 * (1 + 0.5 * 1)))) < tight);
  CHECK(rel_err(v.pipeline_deals / v.cycle_length, 300) < tight);  // Little's law
  CHECK(rel_err(v.value, ss.outcome("Won").value_rate) < 1e-12);
  CHECK(rel_err(evaluate(kpi::velocity{"Won"}, ss), 198000) < 1e-9);

  // Example model toward customer: only lead, qualified, prospect are pipeline; the
  // identity holds with the value booked on entry (customer's value_rate also holds
  // its recurring revenue).
  const an::steady_state ex = an::solve_steady_state(sp::pipeline(sp::example_model()));
  const an::velocity_terms vc = an::sales_velocity(ex, "customer");
  CHECK(rel_err(vc.pipeline_deals, 22.5 + 18 + 36) < tight);
  CHECK(rel_err(vc.cycle_length, (22.5 + 18 + 36) / 45) < tight);
  CHECK(rel_err(vc.value, ex.stage("customer").entry_rate * 20000) < 1e-9);
  CHECK(rel_err(vc.value, ex.stage("customer").on_enter_value_rate) < 1e-12);

  // A recycling loop: the identity holds through the loop too.
  sp::model m;
  m.add_stage("lead", sp::exponential_dist(1)).to("opp", 0.5);
  m.add_stage("opp", sp::exponential_dist(2)).to("won", 0.3).to("nurture", 0.4);
  m.add_stage("nurture", sp::fixed_dist(3)).to("lead", 0.5);
  m.add_outcome("won").value_on_enter(sp::fixed_dist(1000));
  m.add_source("lead", 9);
  const an::steady_state lp = an::solve_steady_state(sp::pipeline(m));
  const an::velocity_terms vl = an::sales_velocity(lp, "won");
  CHECK(rel_err(vl.cycle_length, 26.0 / 9) < tight);
  CHECK(rel_err(vl.value, lp.outcome("won").value_rate) < 1e-12);
  CHECK(rel_err(vl.value, 1500) < 1e-12);
}

TEST_CASE("KPI errors: unknown ids and the wrong kind of node") {
  const an::steady_state ss = an::solve_steady_state(sp::pipeline(sp::example_model()));
  CHECK_THROWS_AS(evaluate(kpi::win_rate{"prospect", "customer"}, ss), sp::invalid_option);
  CHECK_THROWS_AS(evaluate(kpi::win_rate{"churned", "churned"}, ss), sp::invalid_option);
  CHECK_THROWS_AS(evaluate(kpi::conversion_rate{"lead", "nowhere"}, ss), sp::invalid_option);
  CHECK_THROWS_AS(evaluate(kpi::wip{"lost"}, ss), sp::invalid_option);
  CHECK_THROWS_AS(evaluate(kpi::velocity{"nowhere"}, ss), sp::invalid_option);
  try {
    (void)evaluate(kpi::cycle_time{"lead", "prospet"}, ss);
    FAIL("expected invalid_option");
  } catch (const sp::invalid_option& e) {
    CHECK(std::string(e.what()).find("did you mean 'prospect'") != std::string::npos);
  }
}
