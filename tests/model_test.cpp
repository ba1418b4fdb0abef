// Model construction and validation: every bad input names the node and the field.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>

#include <salespipe/example_model.hpp>
#include <salespipe/funnel.hpp>
#include <salespipe/pipeline.hpp>

using namespace salespipe;

namespace {

model two_stage() {
  model m;
  m.name = "two";
  m.add_stage("a", exponential_dist(1)).to("b", 0.5);
  m.add_stage("b", exponential_dist(2)).to("won", 0.4);
  m.add_outcome("won");
  m.add_source("a", 10);
  return m;
}

// Runs the pipeline constructor on m and returns the invalid_model it throws.
template <class Exception = invalid_model>
Exception rejected(const model& m) {
  try {
    pipeline p(m);
  } catch (const Exception& e) {
    return e;
  }
  FAIL("model was accepted");
  throw;  // unreachable
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("pipeline indexes stages first, then outcomes, adding the implicit lost") {
  pipeline p(two_stage());
  REQUIRE(p.stage_count() == 2);
  REQUIRE(p.outcome_count() == 2);
  CHECK(p.node_id(0) == "a");
  CHECK(p.node_id(2) == "won");
  CHECK(p.node_id(3) == "lost");
  CHECK(p.outcomes()[1].implicit);
  CHECK(*p.find("b") == 1);
  CHECK_FALSE(p.find("c"));
  // Remainder routes make every stage's probabilities sum to 1.
  const auto& a = p.stage(0);
  REQUIRE(a.routes.size() == 2);
  CHECK(a.routes[1].implicit);
  CHECK(a.routes[1].to_node == 3);
  CHECK(a.routes[1].p == doctest::Approx(0.5));
  CHECK(p.stage(1).routes[1].p == doctest::Approx(0.6));
  CHECK(p.sources()[0].stage_node == 0);
  CHECK(p.has_deals());
}

TEST_CASE("a validated model can be validated again without duplicating implicit parts") {
  pipeline p(two_stage());
  pipeline q(p.model());
  CHECK(q.outcome_count() == 2);
  CHECK(q.stage(0).routes.size() == 2);
}

TEST_CASE("an explicit route to lost creates the lost outcome; a declared lost is reused") {
  model m;
  m.add_stage("a", fixed_dist(1)).to("lost", 0.3, exponential_dist(0.1)).to("won", 0.7);
  m.add_outcome("won");
  pipeline p(m);
  CHECK(p.outcome_count() == 2);
  CHECK(p.stage(0).routes.size() == 2);  // no remainder
  m.add_outcome("lost");
  pipeline q(m);
  CHECK(q.outcome_count() == 2);
  CHECK_FALSE(q.outcomes()[1].implicit);
}

TEST_CASE("self-loops and cycles are accepted") {
  model m;
  m.add_stage("nurture", exponential_dist(3)).to("nurture", 0.5).to("mql", 0.3);
  m.add_stage("mql", exponential_dist(1)).to("nurture", 0.6).to("won", 0.2);
  m.add_outcome("won");
  CHECK_NOTHROW(pipeline{m});
}

TEST_CASE("bad route probabilities name the stage and the field") {
  for (double bad : {-0.1, 1.5, std::nan(""), std::numeric_limits<double>::infinity()}) {
    model m = two_stage();
    m.stages[1].routes[0].p = bad;
    const auto e = rejected(m);
    CHECK(contains(e.what(), "stage 'b'"));
    CHECK(contains(e.what(), "routes[0].p must be a number in [0, 1]"));
    CHECK(e.path() == "/stages/1/routes/0/p");
  }
}

TEST_CASE("routes summing above 1 are rejected with the sum") {
  model m = two_stage();
  m.stages[0].to("won", 0.8);
  const auto e = rejected(m);
  CHECK(contains(e.what(), "stage 'a': route probabilities sum to 1.3 (> 1)"));
  CHECK(e.path() == "/stages/0/routes");
  // Within the 1e-9 tolerance is fine.
  model ok = two_stage();
  ok.stages[0].routes[0].p = 0.5;
  ok.stages[0].to("won", 0.5 + 1e-10);
  CHECK_NOTHROW(pipeline{ok});
}

TEST_CASE("duplicate ids and unknown nodes") {
  model m = two_stage();
  m.add_outcome("a");
  auto e = rejected(m);
  CHECK(contains(e.what(), "duplicate node id 'a'"));
  CHECK(e.path() == "/outcomes/1/id");

  m = two_stage();
  m.stages[0].routes[0].to = "bb";
  e = rejected(m);
  CHECK(contains(e.what(), "stage 'a': routes[0].to: unknown node 'bb' (did you mean 'b'?)"));
  CHECK(e.path() == "/stages/0/routes/0/to");

  m = two_stage();
  m.stages[0].routes[0].to = "prospect";
  e = rejected(m);
  CHECK(contains(e.what(), "unknown node 'prospect'"));
  CHECK_FALSE(contains(e.what(), "did you mean"));  // nothing close

  pipeline p(two_stage());
  CHECK_THROWS_WITH_AS(p.index_of("wno"), "unknown node 'wno' (did you mean 'won'?)", invalid_model);
}

TEST_CASE("a stage that can never reach an outcome is a singular model naming it") {
  model m;
  m.add_stage("a", exponential_dist(1)).to("b", 1);
  m.add_stage("b", exponential_dist(1)).to("a", 0.5).to("b", 0.5);
  m.add_stage("c", exponential_dist(1)).to("won", 1);
  m.add_outcome("won");
  const auto e = rejected<singular_model>(m);
  CHECK(contains(e.what(), "'a', 'b'"));
  CHECK_FALSE(contains(e.what(), "'c'"));
}

TEST_CASE("bad distribution parameters are rejected with the parameter named") {
  CHECK_THROWS_WITH_AS(gamma_dist(0, 1), "gamma: shape must be finite and > 0, got 0", invalid_model);
  // fuzz_model: a shape of 4e117 made Boost's incomplete gamma give up with its own exception
  CHECK_THROWS_WITH_AS(
      gamma_dist::with_mean(4e117, 1),
      "gamma: shape must be at most 1e6 (a CV of 0.1%; use fixed for a deterministic time), got 4e+117", invalid_model);
  CHECK_NOTHROW(gamma_dist(gamma_dist::max_shape, 1));
  CHECK_THROWS_WITH_AS(gamma_dist::with_mean(2, -1), "gamma: mean must be finite and > 0, got -1", invalid_model);
  CHECK_THROWS_WITH_AS(lognormal_dist::with_mean_sd(10, -1), "lognormal: sd must be finite and > 0, got -1",
                       invalid_model);
  CHECK_THROWS_AS(lognormal_dist(std::nan(""), 1), invalid_model);
  CHECK_THROWS_WITH_AS(uniform_dist(3, 2), "uniform: min must be < max, got min 3 and max 2", invalid_model);
  CHECK_THROWS_WITH_AS(uniform_dist(-1, 2), "uniform: min must be finite and >= 0, got -1", invalid_model);
  CHECK_THROWS_WITH_AS(empirical_dist({}), "empirical: samples must not be empty", invalid_model);
  CHECK_THROWS_WITH_AS(empirical_dist({1, -2}), "empirical: samples[1] must be finite and >= 0, got -2", invalid_model);
  CHECK_THROWS_AS(exponential_dist{std::numeric_limits<double>::infinity()}, invalid_model);
  CHECK_THROWS_AS(weibull_dist(1, 0), invalid_model);
  CHECK_THROWS_AS(fixed_dist(-1), invalid_model);
}

TEST_CASE("reward rate, sources, schedules, open deals and target are checked") {
  model m = two_stage();
  m.stages[1].reward(-5);
  auto e = rejected(m);
  CHECK(contains(e.what(), "stage 'b': reward_rate must be finite and >= 0, got -5"));

  m = two_stage();
  m.add_source("nowhere", 1);
  e = rejected(m);
  CHECK(contains(e.what(), "sources[1].stage: unknown node 'nowhere'"));
  CHECK(e.path() == "/sources/1/stage");

  m = two_stage();
  m.add_source("won", 1);
  e = rejected(m);
  CHECK(contains(e.what(), "'won' is an outcome; only stages can hold deals"));

  m = two_stage();
  m.sources[0].rate = -1;
  CHECK(contains(rejected(m).what(), "sources[0] (into 'a'): rate must be 0 or in [1e-09, 1000000000] deals per "
                                     "time unit, got -1"));

  m = two_stage();
  m.sources[0].from(12, 15).from(12, 20);
  e = rejected(m);
  CHECK(contains(e.what(), "schedule[1].from (12) must be greater than schedule[0].from (12)"));
  CHECK(e.path() == "/sources/0/schedule/1/from");

  m = two_stage();
  m.add_open("b", {1.0, -2.0});
  e = rejected(m);
  CHECK(contains(e.what(), "open_pipeline[0] (stage 'b'): age must be finite and >= 0, got -2"));
  CHECK(e.path() == "/open_pipeline/0/ages/1");

  m = two_stage();
  m.add_open("zz", 3, 1.0);
  CHECK(contains(rejected(m).what(), "open_pipeline[0].stage: unknown node 'zz'"));

  m = two_stage();
  m.set_target("won", 0);
  CHECK(contains(rejected(m).what(), "target: per_period must be in [1e-09, 1000000000] per time unit, got 0"));
  m.set_target("wonn", 3);
  CHECK(contains(rejected(m).what(), "target: unknown node 'wonn' (did you mean 'won'?)"));
}

// Issue #18: a denormal source rate passed validation and the engines answered "lost
// 100%" (products of the rate underflow), or crashed; huge counts ran for minutes.
TEST_CASE("rates and counts outside the accepted magnitudes are refused, naming the field and the range") {
  model m = two_stage();
  m.sources[0].rate = 5e-324;  // the smallest denormal double
  auto e = rejected(m);
  CHECK(e.path() == "/sources/0/rate");
  CHECK(contains(e.what(), "rate must be 0 or in [1e-09, 1000000000] deals per time unit, got 4.94065645841e-324 "
                           "(write 0 for no inflow)"));
  m = two_stage();
  m.sources[0].from(12, 1e-300);
  e = rejected(m);
  CHECK(e.path() == "/sources/0/schedule/0/rate");
  CHECK(contains(e.what(), "sources[0] (into 'a'): schedule[0].rate must be 0 or in [1e-09, 1000000000]"));
  m = two_stage();
  m.sources[0].rate = 2e9;
  CHECK(rejected(m).path() == "/sources/0/rate");
  m = two_stage();
  m.sources[0].rate = std::numeric_limits<double>::infinity();
  CHECK(rejected(m).path() == "/sources/0/rate");

  m = two_stage();
  m.add_open("b", 9007199254740992ull, 0.5);
  e = rejected(m);
  CHECK(e.path() == "/open_pipeline/0/count");
  CHECK(contains(e.what(), "open_pipeline[0] (stage 'b'): count must be at most 1000000000, got 9007199254740992"));

  m = two_stage();
  m.set_target("won", 1e-320);
  CHECK(rejected(m).path() == "/target/per_period");

  // The edges themselves are accepted, and zero still means "no inflow".
  m = two_stage();
  m.sources[0].rate = min_positive_rate;
  m.add_open("b", max_open_count, 0.5);
  CHECK_NOTHROW(pipeline{m});
  m.sources[0].rate = max_rate;
  CHECK_NOTHROW(pipeline{m});
  m.sources[0].rate = 0;
  CHECK_NOTHROW(pipeline{m});
}

TEST_CASE("an open deal older than its stage's durations allow is impossible") {
  model m;
  m.add_stage("a", uniform_dist(1, 2)).to("won", 1);
  m.add_outcome("won");
  m.add_open("a", 1, 1.5);
  CHECK_NOTHROW(pipeline{m});
  m.add_open("a", 1, 2.5);
  auto e = rejected(m);
  CHECK(contains(e.what(), "no deal stays in stage 'a' beyond age 2.5"));

  model emp;
  emp.add_stage("a", empirical_dist({1, 2, 3})).to("won", 1);
  emp.add_outcome("won");
  emp.add_open("a", 2, 3.0);
  CHECK(contains(rejected(emp).what(), "stage 'a' beyond age 3"));
}

TEST_CASE("the funnel builder makes a linear pipeline") {
  const pipeline p = funnel("f")
                         .stage("Lead", 0.4, exponential_dist(0.5))
                         .stage("MQL", 0.5, gamma_dist::with_mean(2, 1))
                         .outcome("Won")
                         .value(lognormal_dist::with_mean_sd(20000, 10000))
                         .inflow(300)
                         .target(60)
                         .build();
  REQUIRE(p.stage_count() == 2);
  CHECK(p.node_id(p.stage(0).routes[0].to_node) == "MQL");
  CHECK(p.node_id(p.stage(1).routes[0].to_node) == "Won");
  CHECK(p.stage(1).routes[1].to == "lost");
  CHECK(p.outcomes()[0].on_enter.has_value());
  CHECK(p.sources()[0].rate == 300);
  CHECK(p.target()->node_index == 2);
  CHECK_THROWS_AS(funnel("bad").stage("x", 1.2, fixed_dist(1)).build(), invalid_model);
}

TEST_CASE("the built-in example model validates") {
  pipeline p(example_model());
  CHECK(p.stage_count() == 5);
  CHECK(p.target()->node == "customer");
  CHECK(p.sources()[0].rate_at(11.9) == 45);
  CHECK(p.sources()[0].rate_at(12) == 67.5);
}

TEST_CASE("time units parse and print") {
  CHECK(to_string(time_unit::quarter) == "quarter");
  CHECK(parse_time_unit("week") == time_unit::week);
  CHECK_FALSE(parse_time_unit("fortnight"));
}

TEST_CASE("rounding in route sums makes no remainder route; a deliberate tiny one stays") {
  model m;
  m.add_stage("a", fixed_dist(1)).to("b", 0.7).to("c", 0.2).to("won", 0.1);
  m.add_stage("b", fixed_dist(1)).to("won", 1 - 1e-12);
  m.add_stage("c", fixed_dist(1)).to("won", 1);
  m.add_outcome("won");
  pipeline p(m);
  CHECK(p.stage(0).routes.size() == 3);  // 0.7 + 0.2 + 0.1 = 1 − 1.1e-16 in doubles
  REQUIRE(p.stage(1).routes.size() == 2);
  CHECK(p.stage(1).routes[1].implicit);
  CHECK(p.stage(1).routes[1].p == doctest::Approx(1e-12).epsilon(1e-3));
}
