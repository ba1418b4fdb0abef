// Time to outcome (analytic/transient.hpp) against closed forms.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include <boost/math/special_functions/gamma.hpp>

#include <salespipe/analytic/transient.hpp>
#include <salespipe/funnel.hpp>
#include <salespipe/fwd.hpp>

#include "support/funnel6.hpp"

using namespace salespipe;

namespace {

// Hypoexponential cdf for distinct rates (partial fractions).
double hypoexp_cdf(const std::vector<double>& rate, double t) {
  double s = 0;
  for (std::size_t i = 0; i < rate.size(); ++i) {
    double w = 1;
    for (std::size_t j = 0; j < rate.size(); ++j)
      if (j != i) w *= rate[j] / (rate[j] - rate[i]);
    s += w * std::exp(-rate[i] * t);
  }
  return 1 - s;
}

using salespipe_test::funnel6;

}  // namespace

TEST_CASE("chain of exponential stages: hypoexponential cdf") {
  const auto p = funnel("chain")
                     .stage("a", 1.0, exponential_dist(0.5))
                     .stage("b", 1.0, exponential_dist(1))
                     .stage("c", 1.0, exponential_dist(2))
                     .outcome("won")
                     .build();
  analytic::transient_options o;
  o.step = 1.0 / 64;
  o.horizon = 40;
  const auto t = analytic::time_to_outcome(p, "a", o);
  const auto& won = t.node("won");
  double worst = 0;
  for (double x = 0.25; x < 20; x += 0.25)
    worst = std::max(worst, std::abs(won.cumulative(x) - hypoexp_cdf({2, 1, 0.5}, x)));
  CHECK(worst < 2e-5);
  CHECK(t.error_estimate() < 2e-4);                         // conservative: about 7x the actual error here
  CHECK(worst < 3 * t.error_estimate() + 1e-6);             // the stated estimate bounds the error
  CHECK(won.mean() == doctest::Approx(3.5).epsilon(1e-6));  // moment matching: mean exact
  CHECK(won.variance() == doctest::Approx(0.25 + 1 + 4).epsilon(1e-3));
  CHECK(won.total() == doctest::Approx(1).epsilon(1e-6));
  // Quantile inverts the cdf.
  const double q = won.quantile(0.9);
  CHECK(hypoexp_cdf({2, 1, 0.5}, q) == doctest::Approx(0.9).epsilon(1e-4));
  // Stage b is entered when a ends: cdf of Exp(2).
  CHECK(t.node("b").cumulative(1.0) == doctest::Approx(1 - std::exp(-2.0)).epsilon(1e-4));
}

TEST_CASE("gamma stages sharing a scale sum to a gamma; automatic step meets the tolerance") {
  const auto p =
      funnel("g").stage("a", 1.0, gamma_dist(2, 0.5)).stage("b", 1.0, gamma_dist(3, 0.5)).outcome("won").build();
  analytic::transient_options o;
  o.tolerance = 1e-5;
  const auto t = analytic::time_to_outcome(p, "a", o);
  const auto& won = t.node("won");
  double worst = 0;
  for (double x = 0.1; x < 8; x += 0.1)
    worst = std::max(worst, std::abs(won.cumulative(x) - boost::math::gamma_p(5.0, x / 0.5)));
  CHECK(t.error_estimate() <= 1e-5);
  CHECK(worst < 3e-5);
  CHECK(t.unabsorbed() < 1e-5);
  CHECK(won.quantile(0.5) == doctest::Approx(0.5 * boost::math::gamma_p_inv(5.0, 0.5)).epsilon(1e-3));
}

TEST_CASE("fixed durations are exact on the lattice") {
  const auto p = funnel("f").stage("a", 0.5, fixed_dist(1)).stage("b", 0.8, fixed_dist(2)).outcome("won").build();
  analytic::transient_options o;
  o.step = 0.125;
  o.horizon = 5;
  const auto t = analytic::time_to_outcome(p, "a", o);
  CHECK(t.node("won").cumulative(2.9) == 0.0);
  CHECK(t.node("won").cumulative(3.1) == doctest::Approx(0.4).epsilon(1e-14));
  CHECK(t.node("won").mean() == doctest::Approx(3).epsilon(1e-14));
  CHECK(t.node("won").variance() == doctest::Approx(0).scale(1).epsilon(1e-12));
  CHECK(t.node("lost").total() == doctest::Approx(0.6).epsilon(1e-14));
  // lost at 1 (w.p. 0.5) or at 3 (w.p. 0.1)
  CHECK(t.node("lost").cumulative(2) == doctest::Approx(0.5).epsilon(1e-14));
  CHECK(t.error_estimate() == doctest::Approx(0).scale(1).epsilon(1e-14));
}

TEST_CASE("a loop: expected entries solve the Markov renewal equation") {
  // a (Exp mean 1) -> b (Exp mean 1) -> a w.p. 0.5, won w.p. 0.5. Each round trip is
  // Erlang(2, 1); time to won = Erlang(2N) with N ~ Geometric(1/2) on {1, 2, ...}.
  model m;
  m.add_stage("a", exponential_dist(1)).to("b", 1);
  m.add_stage("b", exponential_dist(1)).to("a", 0.5).to("won", 0.5);
  m.add_outcome("won");
  const pipeline p(m);
  analytic::transient_options o;
  o.step = 1.0 / 64;
  o.horizon = 60;
  const auto t = analytic::time_to_outcome(p, "a", o);
  for (double x : {0.5, 1.0, 2.0, 4.0, 8.0, 16.0}) {
    double won = 0, entries_a = 1;  // entry at time 0 counts
    for (int n = 1; n < 200; ++n) {
      won += std::pow(0.5, n) * boost::math::gamma_p(2.0 * n, x);
      entries_a += std::pow(0.5, n) * boost::math::gamma_p(2.0 * n, x);
    }
    CHECK(t.node("won").cumulative(x) == doctest::Approx(won).epsilon(2e-4));
    CHECK(t.node("a").cumulative(x) == doctest::Approx(entries_a).epsilon(2e-4));
  }
  CHECK(t.node("won").mean() == doctest::Approx(4).epsilon(1e-5));
  CHECK(t.node("a").total() == doctest::Approx(2).epsilon(1e-6));  // expected visits
}

TEST_CASE("funnel6: absorption probability and conditional mean time of the won deals") {
  const auto t = analytic::time_to_outcome(funnel6(), "Lead");
  const auto& won = t.node("Won");
  CHECK(won.total() == doctest::Approx(0.4 * 0.5 * 0.6 * 0.5 * 0.55).epsilon(1e-6));
  CHECK(won.mean() == doctest::Approx(5.0).epsilon(1e-4));
  CHECK(t.node("lost").total() + won.total() == doctest::Approx(1).epsilon(1e-4));
  CHECK(t.error_estimate() <= 1e-4);
}

TEST_CASE("bad input") {
  model m;
  m.add_stage("a", fixed_dist(0)).to("b", 0.5);
  m.add_stage("b", empirical_dist({0.0, 1.0})).to("a", 0.5).to("won", 0.5);
  m.add_stage("c", fixed_dist(0)).to("c", 0.5);
  m.add_outcome("won");
  const pipeline loop(m);
  try {
    (void)analytic::time_to_outcome(loop, "a");
    FAIL("expected invalid_model");
  } catch (const invalid_model& e) {
    CHECK(std::string(e.what()).find("'a', 'b', 'c'") != std::string::npos);
  }
  const auto p = funnel("f").stage("a", 0.5, exponential_dist(1)).build();
  analytic::transient_options o;
  o.step = -1;
  CHECK_THROWS_AS(analytic::time_to_outcome(p, "a", o), invalid_option);
  o.step = 1e-9;
  o.horizon = 100;
  CHECK_THROWS_AS(analytic::time_to_outcome(p, "a", o), invalid_option);
  CHECK_THROWS_AS(analytic::time_to_outcome(p, "won", {}), invalid_model);
}

#include <salespipe/analytic/steady_state.hpp>

TEST_CASE("agrees with the steady-state solver: absorption, conditional mean times, visits") {
  // A recycling loop with competing routes and overrides.
  model m;
  m.add_stage("lead", exponential_dist(0.5)).to("mql", 0.6).to("nurture", 0.3, exponential_dist(0.2));
  m.add_stage("mql", gamma_dist::with_mean(2, 1)).to("won", 0.4, gamma_dist::with_mean(3, 2)).to("nurture", 0.3);
  m.add_stage("nurture", weibull_dist(1.5, 2)).to("mql", 0.5);
  m.add_outcome("won");
  m.add_outcome("lost");
  const pipeline p(m);
  const auto ss = analytic::solve_steady_state(p);
  analytic::transient_options o;
  o.tolerance = 1e-5;
  for (std::size_t i = 0; i < p.stage_count(); ++i) {
    const auto t = analytic::time_to_outcome(p, p.node_id(i), o);
    CAPTURE(i);
    CHECK(t.unabsorbed() < 1e-5);
    for (std::size_t k = 0; k < p.outcome_count(); ++k) {
      const auto& e = t.node(p.outcome_node(k));
      CHECK(e.total() == doctest::Approx(ss.absorption(i, k)).epsilon(2e-5));
      CHECK(e.mean() == doctest::Approx(ss.time_to_outcome(i, k)).epsilon(2e-4));
    }
    for (std::size_t j = 0; j < p.stage_count(); ++j)
      CHECK(t.node(j).total() == doctest::Approx(ss.visits(i, j)).epsilon(2e-5));
  }
}
