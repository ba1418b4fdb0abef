// Monte Carlo engine: semantics on deterministic models, recording options, summaries,
// bad input.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include <salespipe/example_model.hpp>
#include <salespipe/funnel.hpp>
#include <salespipe/pipeline.hpp>
#include <salespipe/simulate/engine.hpp>
#include <salespipe/simulate/summary.hpp>

#include "support/funnel6.hpp"

using namespace salespipe;
namespace sim = salespipe::simulate;
using sim::quantity;

namespace {

// 10 open deals of age 0 in A (fixed 1.5, reward 2/time unit); A -> B (outcome, value 100
// on entry) with on_take 5. Everything is deterministic.
pipeline fixed_model(double dur = 1.5) {
  model m;
  m.add_stage("A", fixed_dist(dur)).reward(2).to("B", 1.0).on_take(fixed_dist(5));
  m.add_outcome("B").value_on_enter(fixed_dist(100));
  m.add_open("A", 10, 0.0);
  return pipeline(m);
}

sim::options opts(std::size_t periods, std::size_t reps, std::uint64_t seed = 1) {
  sim::options o;
  o.periods = periods;
  o.replications = reps;
  o.seed = seed;
  o.chunk_size = 10;
  return o;
}

}  // namespace

TEST_CASE("deterministic model: entries, values, on_take, reward split, WIP") {
  const pipeline p = fixed_model();
  const auto r = sim::run(p, opts(3, 2));
  const std::size_t A = p.index_of("A"), B = p.index_of("B");
  for (std::size_t i = 0; i < 2; ++i) {
    // Open deals are not entries; they leave at 1.5, so B gets 10 entries in period 1.
    CHECK(r.at(quantity::entries, A, i, 0) == 0);
    CHECK(r.at(quantity::entries, B, i, 0) == 0);
    CHECK(r.at(quantity::entries, B, i, 1) == 10);
    CHECK(r.at(quantity::entries, B, i, 2) == 0);
    CHECK(r.at(quantity::value, B, i, 1) == 1050);                  // on_enter 10 × 100 + on_take 10 × 5 at 1.5
    CHECK(r.at(quantity::value, A, i, 1) == 0);                     // on_take is booked under the node entered
    CHECK(r.at(quantity::reward, A, i, 0) == doctest::Approx(20));  // 10 deals × 2 × 1
    CHECK(r.at(quantity::reward, A, i, 1) == doctest::Approx(10));  // 10 × 2 × 0.5
    CHECK(r.at(quantity::reward, A, i, 2) == 0);
    CHECK(r.at(quantity::wip, A, i, 0) == 10);  // at time 1
    CHECK(r.at(quantity::wip, A, i, 1) == 0);   // at time 2
  }
  CHECK_FALSE(r.has(quantity::wip, B));
  CHECK_FALSE(r.has(quantity::reward, B));
  CHECK(r.status() == sim::run_status::completed);
  CHECK(r.replications() == 2);
}

TEST_CASE("deals still in a stage at the horizon are WIP, not lost") {
  const pipeline p = fixed_model(5.0);
  const auto r = sim::run(p, opts(3, 1));
  const std::size_t A = p.index_of("A"), B = p.index_of("B");
  for (std::size_t k = 0; k < 3; ++k) {
    CHECK(r.at(quantity::wip, A, 0, k) == 10);
    CHECK(r.at(quantity::entries, B, 0, k) == 0);
    CHECK(r.at(quantity::reward, A, 0, k) == doctest::Approx(20));
  }
}

TEST_CASE("open deals: remaining time given the age, route given the age") {
  model m;
  // Route to W takes fixed 1, route to L fixed 3: at age 2 only the L route is possible.
  m.add_stage("S", fixed_dist(1)).to("W", 0.5, fixed_dist(1)).to("L", 0.5, fixed_dist(3));
  m.add_outcome("W");
  m.add_outcome("L");
  m.add_open("S", 7, 2.0);
  // Uniform(0, 2) at age 1: remaining uniform on (0, 1), so all leave in period 0.
  m.add_stage("U", uniform_dist(0, 2)).to("W", 1.0);
  m.add_open("U", 5, 1.0);
  const pipeline p(m);
  const auto r = sim::run(p, opts(2, 20));
  for (std::size_t i = 0; i < 20; ++i) {
    CHECK(r.at(quantity::entries, p.index_of("L"), i, 1) == 7);  // leaves at 3 − 2 = 1
    CHECK(r.at(quantity::entries, p.index_of("W"), i, 0) == 5);
    CHECK(r.at(quantity::entries, p.index_of("W"), i, 1) == 0);
  }
}

TEST_CASE("sources: piecewise-constant schedule, self-loops count every entry") {
  model m;
  m.add_stage("A", exponential_dist(0.1)).to("A", 0.5).to("done", 0.5);
  m.add_outcome("done");
  m.add_source("A", 0).from(5, 40);
  const pipeline p(m);
  const auto r = sim::run(p, opts(10, 200));
  const std::size_t A = p.index_of("A");
  for (std::size_t k = 0; k < 5; ++k) CHECK(sim::summarize(r, quantity::entries, A, {k, k + 1}).mean == 0);
  // Arrivals 40 per period from 5 on; each arrival enters A on average 2 times.
  const auto s = sim::summarize(r, quantity::entries, A, {6, 10});
  CHECK(std::fabs(s.mean - 4 * 80) < 4 * s.standard_error);
  const auto d = sim::summarize(r, quantity::entries, p.index_of("done"), {6, 10});
  CHECK(std::fabs(d.mean - 4 * 40) < 4 * d.standard_error);
}

TEST_CASE("funnel6: long-run won rate and value (closed form 9.9/month, 198,000/month)") {
  const pipeline p = salespipe_test::funnel6();
#ifdef NDEBUG
  const auto r = sim::run(p, opts(36, 200));
#else
  const auto r = sim::run(p, opts(36, 60));  // Debug/sanitizers: fewer, same 4-SE checks
#endif
  const std::size_t won = p.index_of("Won");
  const auto n = sim::summarize(r, quantity::entries, won, {24, 36});  // well past 5 months
  CHECK(std::fabs(n.mean - 12 * 9.9) < 4 * n.standard_error);
  const auto v = sim::summarize(r, quantity::value, won, {24, 36});
  CHECK(std::fabs(v.mean - 12 * 198000) < 4 * v.standard_error);
  // WIP of Lead at month end: Little's law 300 × 0.5.
  const auto w = sim::summarize(r, quantity::wip, 0, {35, 36});
  CHECK(std::fabs(w.mean - 150) < 4 * w.standard_error);
}

TEST_CASE("recording only some nodes changes nothing that is recorded") {
  const pipeline p(example_model());
  auto o = opts(24, 30);
  const auto all = sim::run(p, o);
  o.record.nodes = {"customer"};
  o.record.wip = false;
  const auto one = sim::run(p, o);
  const std::size_t c = p.index_of("customer");
  CHECK(one.has(quantity::entries, c));
  CHECK_FALSE(one.has(quantity::wip, c));
  CHECK_FALSE(one.has(quantity::entries, p.index_of("lead")));
  CHECK(one.record_bytes() < all.record_bytes());
  for (std::size_t i = 0; i < 30; ++i)
    for (std::size_t k = 0; k < 24; ++k) {
      CHECK(one.at(quantity::entries, c, i, k) == all.at(quantity::entries, c, i, k));
      CHECK(one.at(quantity::value, c, i, k) == all.at(quantity::value, c, i, k));
      CHECK(one.at(quantity::reward, c, i, k) == all.at(quantity::reward, c, i, k));
    }
  CHECK_THROWS_AS(one.row(quantity::entries, p.index_of("lead"), 0), invalid_option);
}

TEST_CASE("summaries: windows, rolling, quantiles, P(total >= threshold)") {
  const pipeline p(example_model());
  const auto r = sim::run(p, opts(24, 100));
  const std::size_t c = p.index_of("customer");
  const auto fy = sim::summarize(r, quantity::entries, c, {12, 24});
  CHECK(fy.n == 100);
  CHECK(fy.p5 <= fy.p10);
  CHECK(fy.p10 <= fy.p50);
  CHECK(fy.p50 <= fy.p90);
  CHECK(fy.p90 <= fy.p95);
  CHECK(fy.standard_error == doctest::Approx(fy.sd / 10));
  const auto roll = sim::rolling(r, quantity::entries, c, 12);
  REQUIRE(roll.size() == 13);
  CHECK(roll[12].mean == fy.mean);
  const auto tot = sim::window_totals(r, quantity::entries, c, {12, 24});
  std::size_t hits = 0;
  for (double x : tot) hits += x >= 36;
  const auto pr = sim::probability_at_least(r, quantity::entries, c, {12, 24}, 36);
  CHECK(pr.value == static_cast<double>(hits) / 100);
  CHECK(sim::quantile_sorted({1, 2, 3, 4, 5}, 0.5) == 3);
  CHECK(sim::quantile_sorted({1, 2}, 0.25) == doctest::Approx(1.25));
  CHECK_THROWS_AS(sim::summarize(r, quantity::entries, c, {12, 25}), invalid_option);
  CHECK_THROWS_AS(sim::summarize(r, quantity::entries, c, {5, 5}), invalid_option);
  CHECK_THROWS_AS(sim::rolling(r, quantity::entries, c, 25), invalid_option);
}

TEST_CASE("bad options and models are refused with invalid_option") {
  const pipeline p(example_model());
  auto bad = [&](auto change) {
    auto o = opts(12, 20);
    change(o);
    CHECK_THROWS_AS(sim::run(p, o), invalid_option);
  };
  bad([](sim::options& o) { o.replications = 0; });
  bad([](sim::options& o) { o.periods = 0; });
  bad([](sim::options& o) { o.threads = -1; });
  bad([](sim::options& o) { o.chunk_size = 0; });
  bad([](sim::options& o) { o.chunks = sim::chunk_range{1, 3}; });  // 2 chunks of 10
  bad([](sim::options& o) { o.chunks = sim::chunk_range{1, 1}; });
  bad([](sim::options& o) { o.record.nodes = {"custommer"}; });
  bad([](sim::options& o) { o.memory_limit = 1000; });
  try {
    auto o = opts(120, 100000);
    o.memory_limit = std::size_t(1) << 30;
    sim::run(p, o);
    FAIL("expected invalid_option");
  } catch (const invalid_option& e) {
    CHECK(std::string(e.what()).find("memory_limit") != std::string::npos);
  }
  model empty;
  empty.add_stage("A", exponential_dist(1)).to("won", 1);
  empty.add_outcome("won");
  try {
    sim::run(pipeline(empty), opts(12, 10));
    FAIL("expected invalid_option");
  } catch (const invalid_option& e) {
    CHECK(std::string(e.what()).find("nothing to simulate") != std::string::npos);
  }
}

TEST_CASE("progress callback and cancellation") {
  const pipeline p(example_model());
  auto o = opts(12, 100);
  std::size_t calls = 0;
  double last = 0;
  o.progress = [&](double f) {
    ++calls;
    CHECK(f >= last);
    last = f;
    return true;
  };
  const auto full = sim::run(p, o);
  CHECK(calls == 10);
  CHECK(last == 1.0);
  o.progress = [](double f) { return f < 0.25; };  // stops after the third chunk
  const auto part = sim::run(p, o);
  CHECK(part.status() == sim::run_status::cancelled);
  CHECK(part.replications() == 30);
  CHECK(part.chunks().last == 3);
  for (std::size_t i = 0; i < 30; ++i)
    CHECK(part.at(quantity::entries, 3, i, 5) == full.at(quantity::entries, 3, i, 5));
}
