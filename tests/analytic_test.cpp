// The exact steady state (analytic/steady_state.hpp) against closed forms worked by hand:
// the built-in example, competing routes, a recycling loop, self-loops, the variance of
// an exponential chain, values, near-singular chains, funnel6.
#include <salespipe/analytic/steady_state.hpp>
#include <salespipe/example_model.hpp>
#include <salespipe/funnel.hpp>
#include <salespipe/pipeline.hpp>

#include "support/funnel6.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>

namespace sp = salespipe;
namespace an = salespipe::analytic;

namespace {

double rel_err(double x, double expected) {
  if (expected == 0) return std::abs(x);
  return std::abs(x - expected) / std::abs(expected);
}

// 1e-12 relative: every closed form below is a handful of flops.
constexpr double tight = 1e-12;

std::size_t k_of(const an::steady_state& ss, const std::string& outcome) {
  return ss.outcome(outcome).node - ss.stage_count();
}

}  // namespace

TEST_CASE("built-in example: entry rates, WIP by Little's law, outcomes, values") {
  const sp::pipeline p(sp::example_model());
  const an::steady_state ss = an::solve_steady_state(p);
  REQUIRE(ss.stage_count() == 5);
  REQUIRE(ss.outcome_count() == 2);
  CHECK(ss.source_rate == 45);
  // Rates: 45 leads, 40% → 18 qualified, 50% → 9 prospects, 1/3 → 3 customers, 25% → 0.75.
  CHECK(rel_err(ss.stage("lead").entry_rate, 45) < tight);
  CHECK(rel_err(ss.stage("qualified").entry_rate, 18) < tight);
  CHECK(rel_err(ss.stage("prospect").entry_rate, 9) < tight);
  CHECK(rel_err(ss.stage("customer").entry_rate, 3) < tight);
  CHECK(rel_err(ss.stage("big_customer").entry_rate, 0.75) < tight);
  // Mean time per visit: qualified mixes its routes: 0.5 × 1.5 + 0.5 × 0.5 = 1.
  CHECK(rel_err(ss.stage("qualified").mean_time_in_stage, 1.0) < tight);
  // WIP = λ × mean time: 22.5, 18, 36 (the 36 prospects), 108, 36.
  CHECK(rel_err(ss.stage("lead").wip, 22.5) < tight);
  CHECK(rel_err(ss.stage("qualified").wip, 18) < tight);
  CHECK(rel_err(ss.stage("prospect").wip, 36) < tight);
  CHECK(rel_err(ss.stage("customer").wip, 108) < tight);
  CHECK(rel_err(ss.stage("big_customer").wip, 36) < tight);
  CHECK(rel_err(ss.wip, 22.5 + 18 + 36 + 108 + 36) < tight);
  // Outcomes: 42 lost, 3 churned per month.
  CHECK(rel_err(ss.outcome("lost").entry_rate, 42) < tight);
  CHECK(rel_err(ss.outcome("churned").entry_rate, 3) < tight);
  CHECK(rel_err(ss.outcome("churned").probability, 3.0 / 45) < tight);
  // Values: customer on_enter 20000 × 3 + reward 2000 × 108; big_customer 6000 × 36.
  CHECK(rel_err(ss.stage("customer").on_enter_value_rate, 60000) < tight);
  CHECK(rel_err(ss.stage("customer").reward_value_rate, 216000) < tight);
  CHECK(rel_err(ss.stage("customer").value_rate, 276000) < tight);
  CHECK(rel_err(ss.stage("big_customer").value_rate, 216000) < tight);
  CHECK(rel_err(ss.value_rate, 276000 + 216000) < tight);
  CHECK(ss.stage("customer").mean_value_on_entry == doctest::Approx(20000));
  // Customer: exp(36) then 25% exp(48): mean 48; var = E[var] + var of the means = 2304.
  CHECK(rel_err(ss.stage("customer").mean_time_to_absorption, 48) < tight);
  CHECK(rel_err(ss.stage("customer").var_time_to_absorption, 2304) < tight);
  // Reach: lead → customer 0.4 × 0.5 / 3 = 1/15, taking 0.5 + 1.5 + 4 = 6 months.
  const auto cust = ss.index_of("customer");
  CHECK(rel_err(ss.stage("lead").p_reach[cust], 1.0 / 15) < tight);
  CHECK(rel_err(ss.stage("lead").mean_time_to_reach[cust], 6.0) < tight);
  CHECK(std::isnan(ss.stage("customer").mean_time_to_reach[ss.index_of("lead")]));
  CHECK(ss.stage("customer").p_reach[ss.index_of("lead")] == 0);
  CHECK(ss.stage("customer").p_absorb[k_of(ss, "lost")] == 0);
  CHECK(std::isnan(ss.stage("customer").mean_time_to_outcome[k_of(ss, "lost")]));
  // Lost deals from qualified: 0.5 × 0.5 directly, or via prospect (1/3 of them lost
  // after 1.5 + 4): (0.25 + 1/3 × 5.5) / (5/6) = 2.5.
  CHECK(rel_err(ss.stage("qualified").mean_time_to_outcome[k_of(ss, "lost")], 2.5) < tight);
  // Routes carry their flows.
  const auto& q = ss.stage("qualified");
  REQUIRE(q.routes.size() == 2);
  CHECK(q.routes[0].to == "prospect");
  CHECK(rel_err(q.routes[0].rate, 9) < tight);
  CHECK(rel_err(q.routes[1].mean_duration, 0.5) < tight);
  CHECK(ss.stage("prospect").routes.back().implicit);
}

TEST_CASE("two-stage funnel with competing routes: closed forms") {
  // A: 60% to B after gamma(2, mean 2), 40% lost after exp(0.5).
  // B: 50% won after exp(3) (the stage's duration), 50% lost after fixed 1.
  sp::model m;
  m.add_stage("A", sp::gamma_dist::with_mean(2, 2)).to("B", 0.6).to("lost", 0.4, sp::exponential_dist(0.5));
  m.add_stage("B", sp::exponential_dist(3)).to("won", 0.5).to("lost", 0.5, sp::fixed_dist(1));
  m.add_outcome("won");
  m.add_outcome("lost");
  m.add_source("A", 10);
  const sp::pipeline p(m);
  const an::steady_state ss = an::solve_steady_state(p);
  const auto& a = ss.stage("A");
  const std::size_t won = k_of(ss, "won"), lost = k_of(ss, "lost");

  CHECK(rel_err(a.mean_time_in_stage, 0.6 * 2 + 0.4 * 0.5) < tight);  // 1.4
  // Mixture variance: E[T²] = 0.6 (2 + 4) + 0.4 (0.25 + 0.25) = 3.8; minus 1.4².
  CHECK(rel_err(a.var_time_in_stage, 3.8 - 1.96) < tight);
  CHECK(rel_err(a.p_absorb[won], 0.3) < tight);
  CHECK(rel_err(a.p_absorb[lost], 0.7) < tight);
  CHECK(rel_err(a.mean_time_to_absorption, 2.6) < tight);
  // Paths: 0.4 exp(0.5) [mean .5, var .25]; 0.3 gamma + exp(3) [5, 11]; 0.3 gamma + 1 [3, 2].
  // E[T²] = 0.4 × 0.5 + 0.3 × 36 + 0.3 × 11 = 14.3; Var = 14.3 − 2.6² = 7.54.
  CHECK(rel_err(a.var_time_to_absorption, 7.54) < 1e-12);
  // Won deals took gamma then exp(3): 5. Lost: (0.4 × 0.5 + 0.3 × 3) / 0.7.
  CHECK(rel_err(a.mean_time_to_outcome[won], 5.0) < tight);
  CHECK(rel_err(a.mean_time_to_outcome[lost], 1.1 / 0.7) < tight);
  // Reaching B takes the gamma route's mean 2, not the stage's mixture 1.4.
  CHECK(rel_err(a.p_reach[ss.index_of("B")], 0.6) < tight);
  CHECK(rel_err(a.mean_time_to_reach[ss.index_of("B")], 2.0) < tight);
  // Rates and WIP: 10 → 6 → 3 won, 7 lost; WIP 10 × 1.4 and 6 × 2.
  CHECK(rel_err(ss.stage("B").entry_rate, 6) < tight);
  CHECK(rel_err(ss.outcome("won").entry_rate, 3) < tight);
  CHECK(rel_err(ss.outcome("lost").entry_rate, 7) < tight);
  CHECK(rel_err(a.wip, 14) < tight);
  CHECK(rel_err(ss.stage("B").wip, 12) < tight);
  CHECK(rel_err(ss.outcome("won").mean_time_from_source, 5.0) < tight);
  // The matrices agree with the records.
  CHECK(ss.absorption(0, won) == a.p_absorb[won]);
  CHECK(ss.reach(0, 1) == a.p_reach[1]);
  CHECK(ss.visits(0, 1) == doctest::Approx(0.6));
  CHECK(ss.visits(1, 0) == 0);
}

namespace {
// lead (exp 1): 50% → opp, rest lost. opp (exp 2): 30% won, 40% → nurture, rest lost.
// nurture (fixed 3): 50% back to lead, rest lost. 9 leads per month.
sp::model recycling_model() {
  sp::model m;
  m.add_stage("lead", sp::exponential_dist(1)).to("opp", 0.5);
  m.add_stage("opp", sp::exponential_dist(2)).to("won", 0.3).to("nurture", 0.4);
  m.add_stage("nurture", sp::fixed_dist(3)).to("lead", 0.5);
  m.add_outcome("won").value_on_enter(sp::fixed_dist(1000));
  m.add_source("lead", 9);
  return m;
}
}  // namespace

TEST_CASE("recycling loop worked by hand (opp → nurture → back to lead)") {
  const sp::pipeline p(recycling_model());
  const an::steady_state ss = an::solve_steady_state(p);
  const std::size_t won = k_of(ss, "won");
  const auto& lead = ss.stage("lead");
  // P(won | lead) = f: f = 0.5 (0.3 + 0.4 × 0.5 f) → f = 1/6.
  CHECK(rel_err(lead.p_absorb[won], 1.0 / 6) < tight);
  // Visits per lead: V_L = 1 + 0.1 V_L = 10/9; opp 5/9; nurture 2/9.
  CHECK(rel_err(ss.visits(0, 0), 10.0 / 9) < tight);
  CHECK(rel_err(ss.visits(0, 1), 5.0 / 9) < tight);
  CHECK(rel_err(ss.visits(0, 2), 2.0 / 9) < tight);
  CHECK(rel_err(lead.visits, 10.0 / 9) < tight);
  CHECK(rel_err(lead.p_return, 0.1) < tight);
  // Entry rates 10, 5, 2; won 1.5 = 9/6, lost 7.5; WIP 10 + 10 + 6.
  CHECK(rel_err(lead.entry_rate, 10) < tight);
  CHECK(rel_err(ss.stage("opp").entry_rate, 5) < tight);
  CHECK(rel_err(ss.stage("nurture").entry_rate, 2) < tight);
  CHECK(rel_err(ss.outcome("won").entry_rate, 1.5) < tight);
  CHECK(rel_err(ss.outcome("lost").entry_rate, 7.5) < tight);
  CHECK(rel_err(ss.wip, 26) < tight);
  // Mean time to absorption from lead: Σ visits × time = 10/9 + 10/9 + 6/9 = 26/9, and
  // Little's law over the whole system: WIP = 9 × 26/9.
  CHECK(rel_err(lead.mean_time_to_absorption, 26.0 / 9) < tight);
  // Won deals recycle k times w.p. ∝ 0.1^k: 3 + 6 E[k] = 3 + 6/9 = 11/3 months.
  CHECK(rel_err(lead.mean_time_to_outcome[won], 11.0 / 3) < tight);
  CHECK(rel_err(ss.outcome("won").mean_time_from_source, 11.0 / 3) < tight);
  // Value: 1.5 wins × 1000.
  CHECK(rel_err(ss.outcome("won").value_rate, 1500) < tight);
  // P(reach n | enter s) = N[s][n] / N[n][n] for s ≠ n (independent computation).
  for (std::size_t s = 0; s < 3; ++s)
    for (std::size_t n = 0; n < 3; ++n)
      if (s != n) CHECK(rel_err(ss.reach(s, n), ss.visits(s, n) / ss.visits(n, n)) < 1e-13);
  // nurture → opp: back to lead (3), then 1 → 4 months; reached w.p. 0.5 × 0.5.
  CHECK(rel_err(ss.stage("nurture").p_reach[1], 0.25) < tight);
  CHECK(rel_err(ss.stage("nurture").mean_time_to_reach[1], 4.0) < tight);
}

TEST_CASE("self-loop: geometric visits, exponential sum, every entry counts") {
  // A (exp mean 1): stays 50%, won 30%, lost 20%. Visits ~ geometric(0.5), mean 2; time to
  // absorption = a geometric sum of exp(1) = exp(mean 2): variance 4.
  sp::model m;
  m.add_stage("A", sp::exponential_dist(1)).to("A", 0.5).to("won", 0.3);
  m.add_outcome("won");
  m.add_source("A", 3);
  const an::steady_state ss = an::solve_steady_state(sp::pipeline(m));
  const auto& a = ss.stage("A");
  CHECK(rel_err(ss.visits(0, 0), 2) < tight);
  CHECK(rel_err(a.p_return, 0.5) < tight);
  CHECK(rel_err(a.p_absorb[k_of(ss, "won")], 0.6) < tight);
  CHECK(rel_err(a.mean_time_to_absorption, 2) < tight);
  CHECK(rel_err(a.var_time_to_absorption, 4) < tight);
  CHECK(rel_err(a.entry_rate, 6) < tight);  // re-entries count
  CHECK(rel_err(a.wip, 6) < tight);         // 3 deals/month × 2 months
  // Exp sum: the won deals take as long as any: mean 2.
  CHECK(rel_err(a.mean_time_to_outcome[k_of(ss, "won")], 2) < tight);
}

TEST_CASE("variance of time to absorption: hypoexponential chain") {
  // exp(1) → exp(2) → exp(4) → won: mean 7, variance 1 + 4 + 16 = 21. Then with a 50%
  // drop-off at the first stage (after exp(1)): mixture of Exp(1) and the hypoexponential.
  sp::model m;
  m.add_stage("s1", sp::exponential_dist(1)).to("s2", 1);
  m.add_stage("s2", sp::exponential_dist(2)).to("s3", 1);
  m.add_stage("s3", sp::exponential_dist(4)).to("won", 1);
  m.add_outcome("won");
  const an::steady_state ss = an::solve_steady_state(sp::pipeline(m));
  CHECK(rel_err(ss.stages[0].mean_time_to_absorption, 7) < tight);
  CHECK(rel_err(ss.stages[0].var_time_to_absorption, 21) < tight);
  CHECK(rel_err(ss.stages[1].var_time_to_absorption, 20) < tight);
  CHECK(ss.source_rate == 0);
  CHECK(ss.wip == 0);
  CHECK(ss.stages[0].entry_rate == 0);

  sp::model m2 = m;
  m2.stages[0].routes[0].p = 0.5;
  const an::steady_state s2 = an::solve_steady_state(sp::pipeline(m2));
  // 0.5: T = X1 (mean 1, E[T²] = 2); 0.5: hypoexp (mean 7, E[T²] = 21 + 49).
  const double m1 = 0.5 * 1 + 0.5 * 7, m2nd = 0.5 * 2 + 0.5 * 70;
  CHECK(rel_err(s2.stages[0].mean_time_to_absorption, m1) < tight);
  CHECK(rel_err(s2.stages[0].var_time_to_absorption, m2nd - m1 * m1) < tight);

  // Fixed durations: variance exactly 0, not rounding noise of either sign.
  sp::model m3;
  m3.add_stage("a", sp::fixed_dist(0.1)).to("b", 1);
  m3.add_stage("b", sp::fixed_dist(0.7)).to("won", 1);
  m3.add_outcome("won");
  const an::steady_state s3 = an::solve_steady_state(sp::pipeline(m3));
  CHECK(s3.stages[0].var_time_to_absorption >= 0);
  CHECK(s3.stages[0].var_time_to_absorption < 1e-28);
}

TEST_CASE("values: on_take is credited to the route's destination, on_enter per entry") {
  sp::model m;
  m.add_stage("proposal", sp::exponential_dist(1))
      .value_on_enter(sp::fixed_dist(10))
      .to("won", 0.25)
      .on_take(sp::fixed_dist(4000))
      .to("lost", 0.75);
  m.add_outcome("won").value_on_enter(sp::fixed_dist(1000));
  m.add_source("proposal", 8);
  const an::steady_state ss = an::solve_steady_state(sp::pipeline(m));
  const auto& won = ss.outcome("won");
  CHECK(rel_err(won.entry_rate, 2) < tight);
  CHECK(rel_err(won.on_enter_value_rate, 2000) < tight);
  CHECK(rel_err(won.on_take_value_rate, 8000) < tight);
  CHECK(rel_err(won.value_rate, 10000) < tight);
  CHECK(rel_err(won.mean_value_on_entry, 5000) < tight);
  CHECK(rel_err(ss.stage("proposal").value_rate, 80) < tight);
  CHECK(rel_err(ss.value_rate, 10080) < tight);
}

TEST_CASE("source rates are read at opt.rates_at (schedules)") {
  const sp::pipeline p(sp::example_model());  // 45 leads, 67.5 from month 12
  an::steady_state_options o;
  o.rates_at = 12;
  CHECK(rel_err(an::solve_steady_state(p, o).stage("customer").entry_rate, 4.5) < tight);
  o.rates_at = std::numeric_limits<double>::infinity();
  CHECK(rel_err(an::solve_steady_state(p, o).source_rate, 67.5) < tight);
  o.rates_at = 11.99;
  CHECK(an::solve_steady_state(p, o).source_rate == 45);
  o.rates_at = std::nan("");
  CHECK_THROWS_AS(an::solve_steady_state(p, o), sp::invalid_option);
  o = {};
  o.min_rcond = 1.5;
  CHECK_THROWS_AS(an::solve_steady_state(p, o), sp::invalid_option);
}

TEST_CASE("near-singular self-loop (exit 1e-12) is solved accurately") {
  // The diagonal of I − Q is the exit probability (a sum), not 1 − p_ss. The pipeline's
  // remainder 1 − p is exact (Sterbenz), so the closed form uses eps = 1 − p.
  const double p_stay = 1 - 1e-12;
  const double eps = 1 - p_stay;
  sp::model m;
  m.add_stage("stuck", sp::fixed_dist(1)).to("stuck", p_stay);
  m.add_source("stuck", 2);
  const an::steady_state ss = an::solve_steady_state(sp::pipeline(m));
  const auto& s = ss.stage("stuck");
  CHECK(rel_err(ss.visits(0, 0), 1 / eps) < 1e-6);
  CHECK(rel_err(s.mean_time_to_absorption, 1 / eps) < 1e-6);
  // Geometric number of unit steps: variance (1 − eps) / eps².
  CHECK(rel_err(s.var_time_to_absorption, (1 - eps) / (eps * eps)) < 1e-6);
  CHECK(rel_err(s.entry_rate, 2 / eps) < 1e-6);
  CHECK(rel_err(s.p_absorb[0], 1) < 1e-12);
  CHECK(rel_err(s.p_return, p_stay) < 1e-12);

  // Inside a chain: unscaled, I − Q has rcond ≈ 1e-12; row scaling removes it.
  const double q = 1 - std::ldexp(1.0, -40);  // exit 2^-40 ≈ 9.1e-13, exactly representable
  sp::model m2;
  m2.add_stage("a", sp::exponential_dist(2)).to("a", q).to("b", std::ldexp(1.0, -40));
  m2.add_stage("b", sp::exponential_dist(1)).to("won", 0.5);
  m2.add_outcome("won");
  m2.add_source("a", 1);
  const an::steady_state s2 = an::solve_steady_state(sp::pipeline(m2));
  const double n_a = std::ldexp(1.0, 40);
  CHECK(rel_err(s2.visits(0, 0), n_a) < 1e-6);
  CHECK(rel_err(s2.visits(0, 1), 1) < 1e-6);
  CHECK(rel_err(s2.stages[0].mean_time_to_absorption, 2 * n_a + 1) < 1e-6);
  // Geometric sum of exp(2) is exp(2 n_a): variance (2 n_a)², plus exp(1)'s 1.
  CHECK(rel_err(s2.stages[0].var_time_to_absorption, 4 * n_a * n_a + 1) < 1e-6);
  CHECK(rel_err(s2.stages[0].p_absorb[k_of(s2, "won")], 0.5) < 1e-12);
  CHECK(rel_err(s2.stages[0].mean_time_to_reach[1], 2 * n_a) < 1e-6);
  CHECK(s2.rcond > 0.1);
}

TEST_CASE("near-singular two-stage loop: exit 1e-12 is refused, exit 1e-6 is solved") {
  auto loop = [](double exit) {
    sp::model m;
    m.add_stage("call", sp::exponential_dist(1)).to("demo", 1);
    m.add_stage("demo", sp::exponential_dist(1)).to("call", 1 - exit);
    m.add_source("call", 1);
    return sp::pipeline(m);
  };
  // 1e-12: rcond ≈ 2.5e-13, an LU answer could be off by ~1e-4: refused, loop named.
  try {
    (void)an::solve_steady_state(loop(1e-12));
    FAIL("expected singular_model");
  } catch (const sp::singular_model& e) {
    const std::string what = e.what();
    CHECK(what.find("'call'") != std::string::npos);
    CHECK(what.find("'demo'") != std::string::npos);
    CHECK(what.find("almost closed") != std::string::npos);
  }
  // 1e-6 (with eps = the pipeline's exact remainder): N = [[1, 1], [1 − eps, 1]] / eps.
  const double eps = 1 - (1 - 1e-6);
  const an::steady_state ss = an::solve_steady_state(loop(1e-6));
  CHECK(rel_err(ss.visits(0, 0), 1 / eps) < 1e-6);
  CHECK(rel_err(ss.visits(0, 1), 1 / eps) < 1e-6);
  CHECK(rel_err(ss.visits(1, 0), (1 - eps) / eps) < 1e-6);
  CHECK(rel_err(ss.visits(1, 1), 1 / eps) < 1e-6);
  CHECK(rel_err(ss.stages[0].mean_time_to_absorption, 2 / eps) < 1e-6);
  CHECK(rel_err(ss.stages[0].entry_rate, 1 / eps) < 1e-6);
  CHECK(rel_err(ss.stages[1].p_absorb[0], 1) < 1e-9);
  // A stricter threshold refuses even this one.
  an::steady_state_options strict;
  strict.min_rcond = 1e-3;
  CHECK_THROWS_AS(an::solve_steady_state(loop(1e-6), strict), sp::singular_model);
}

TEST_CASE("a loop with no way out is rejected when the pipeline is built") {
  sp::model m;
  m.add_stage("entry", sp::exponential_dist(1)).to("ping", 0.5).to("won", 0.5);
  m.add_stage("ping", sp::exponential_dist(1)).to("pong", 1);
  m.add_stage("pong", sp::exponential_dist(1)).to("ping", 1);
  m.add_outcome("won");
  try {
    const sp::pipeline p(m);
    FAIL("expected singular_model");
  } catch (const sp::singular_model& e) {
    const std::string what = e.what();
    CHECK(what.find("'ping'") != std::string::npos);
    CHECK(what.find("'pong'") != std::string::npos);
    CHECK(what.find("'entry'") == std::string::npos);
  }
}

TEST_CASE("funnel6: won rate 9.9/month, value 198,000/month, won deals take 5 months") {
  const sp::pipeline p = salespipe_test::funnel6();
  const an::steady_state ss = an::solve_steady_state(p);
  const auto& won = ss.outcome("Won");
  CHECK(rel_err(won.entry_rate, 9.9) < 1e-12);
  CHECK(rel_err(won.value_rate, 198000) < 1e-9);
  // Lost deals also leave after the stage's duration, so the won-conditional time is the
  // sum of the stage means.
  CHECK(rel_err(won.mean_time_from_source, 5.0) < 1e-12);
  CHECK(rel_err(ss.stage("Lead").mean_time_to_outcome[won.node - ss.stage_count()], 5.0) < 1e-12);
  CHECK(rel_err(ss.stage("Lead").mean_time_to_reach[won.node], 5.0) < 1e-12);
  CHECK(rel_err(ss.outcome("lost").entry_rate, 300 - 9.9) < 1e-12);
  CHECK(rel_err(ss.stage("Proposal").entry_rate, 300 * 0.4 * 0.5 * 0.6 * 0.5) < 1e-12);
}

TEST_CASE("Little's law over the whole pipeline: total WIP = source rate × mean time") {
  const sp::pipeline p(sp::example_model());
  const an::steady_state ss = an::solve_steady_state(p);
  // All sources go into lead: total WIP = 45 × E[time to absorption from lead], with
  // WIP from the traffic equations and the time from the fundamental-matrix side.
  CHECK(rel_err(ss.wip, 45 * ss.stage("lead").mean_time_to_absorption) < 1e-12);
}
