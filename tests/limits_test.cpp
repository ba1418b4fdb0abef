// Issue #18's reproducers at the engines: tiny and huge rates and counts get a correct
// answer or a clear refusal naming the field, never a crash or a run of minutes.
// (Validation of the accepted ranges: model_test.cpp.)
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include <boost/math/distributions/binomial.hpp>

#include <salespipe/analytic/coverage.hpp>
#include <salespipe/analytic/forecast.hpp>
#include <salespipe/analytic/steady_state.hpp>
#include <salespipe/example_model.hpp>
#include <salespipe/funnel.hpp>
#include <salespipe/simulate/detail/workload.hpp>
#include <salespipe/simulate/engine.hpp>

using namespace salespipe;
namespace an = salespipe::analytic;
namespace sim = salespipe::simulate;

namespace {
bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

// `n` open deals of age `age` in one exponential stage of mean 1, won w.p. 0.3, else lost.
model open_only(std::size_t n, double age) {
  model m;
  m.add_stage("a", exponential_dist(1)).to("won", 0.3);
  m.add_outcome("won");
  m.add_open("a", n, age);
  return m;
}

std::string refusal(const pipeline& p, const sim::options& o) {
  try {
    (void)sim::run(p, o);
  } catch (const invalid_option& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("the smallest accepted source rate answers like any other: the steady state scales exactly") {
  model m = example_model();
  const pipeline one(m);
  for (auto& s : m.sources) {
    s.rate *= min_positive_rate;
    for (auto& c : s.schedule) c.rate *= min_positive_rate;
  }
  m.open_pipeline.clear();
  const pipeline tiny(m);
  const auto a = an::solve_steady_state(one), b = an::solve_steady_state(tiny);
  for (std::size_t k = 0; k < a.outcomes.size(); ++k) {
    CHECK(b.outcomes[k].probability == doctest::Approx(a.outcomes[k].probability).epsilon(1e-12));
    CHECK(b.outcomes[k].entry_rate == doctest::Approx(min_positive_rate * a.outcomes[k].entry_rate).epsilon(1e-12));
  }
  const auto cov = an::solve_coverage(tiny);
  CHECK(cov.scale == doctest::Approx(an::solve_coverage(one).scale / min_positive_rate).epsilon(1e-12));
  CHECK(cov.loophole.empty() == false);
}

TEST_CASE("a class of a million open deals is one binomial: exact and quick") {
  // No sources; n deals of age 0 in a stage of mean 1, won w.p. 0.3.
  const std::size_t n = 1000000;
  model m = open_only(n, 0.0);
  const pipeline p(m);
  const auto f = an::forecast(p, 3);
  const std::size_t won = f.node("won");
  const double pi = f.entries(won, 0) / static_cast<double>(n);
  CHECK(pi == doctest::Approx(0.3 * (1 - std::exp(-1.0))).epsilon(2e-4));  // the lattice: O(h)
  const auto d = f.entries_distribution(won, {0, 1});
  const boost::math::binomial_distribution<> b(static_cast<double>(n), pi);
  CHECK(d.mean() == doctest::Approx(static_cast<double>(n) * pi).epsilon(1e-12));
  double cdf = 0;
  for (std::size_t i = 0; i < d.pmf.size(); ++i) {
    cdf += d.pmf[i];
    if (i % 97 == 0) CHECK(cdf == doctest::Approx(boost::math::cdf(b, static_cast<double>(i))).epsilon(1e-9));
  }
  const auto at = static_cast<std::size_t>(boost::math::quantile(b, 0.3));
  CHECK(d.pmf[at] == doctest::Approx(boost::math::pdf(b, static_cast<double>(at))).epsilon(1e-9));
  CHECK(d.pmf[at - 2000] == doctest::Approx(boost::math::pdf(b, static_cast<double>(at - 2000))).epsilon(1e-6));
  CHECK(d.pmf.size() < n);  // the window, not the whole support

  // Two large classes (ages 0 and 2) convolve by FFT: mean and variance still exact.
  m.add_open("a", n, 2.0);
  const auto g = an::forecast(pipeline(m), 3);
  const auto e = g.entries_distribution(won, {0, 2});
  double mean = 0, var = 0, total = 0;
  for (const auto& c : g.open_classes()) {
    const double q = c.prob[won][0] + c.prob[won][1], k = static_cast<double>(c.count);
    mean += k * q, var += k * q * (1 - q);
  }
  double m1 = 0, m2 = 0;
  for (std::size_t i = 0; i < e.pmf.size(); ++i) total += e.pmf[i], m1 += static_cast<double>(i) * e.pmf[i];
  for (std::size_t i = 0; i < e.pmf.size(); ++i)
    m2 += (static_cast<double>(i) - m1) * (static_cast<double>(i) - m1) * e.pmf[i];
  CHECK(total == doctest::Approx(1).epsilon(1e-9));
  CHECK(m1 == doctest::Approx(mean).epsilon(1e-9));
  CHECK(m2 == doctest::Approx(var).epsilon(1e-9));
}

TEST_CASE("a billion open deals: the forecast's means are exact and its distribution is refused by name") {
  model m = open_only(max_open_count, 0.5);
  const pipeline p(m);
  const auto f = an::forecast(p, 12);
  const std::size_t won = f.node("won");
  // Memoryless: the same share leaves in the first period as for new deals (to the lattice's O(h)).
  CHECK(f.entries(won, 0) == doctest::Approx(0.3e9 * (1 - std::exp(-1.0))).epsilon(2e-4));
  try {
    (void)f.entries_distribution(won, {0, 12});
    FAIL("expected a refusal");
  } catch (const invalid_option& e) {
    CHECK(contains(e.what(), "the count distribution of entries into 'won' over periods [0, 12) would span"));
    CHECK(contains(e.what(), "max_count_support"));
  }
  // The value distribution's pgf takes the count as an exponent: no int overflow.
  m.outcomes[0].on_enter = fixed_dist(2);
  m.open_pipeline[0].count = 2;
  const auto small = an::forecast(pipeline(m), 2).booked_distribution(won, {0, 2});
  CHECK(small.mean() == doctest::Approx(2 * 2 * 0.3 * (1 - std::exp(-2.0))).epsilon(1e-3));
}

TEST_CASE("the simulator's expected work: (I - P)^-1 entries, loops included") {
  model m;
  m.add_stage("a", exponential_dist(1)).to("a", 0.5).to("b", 0.25);  // V(a) = 2 entries, then b w.p. 1/2
  m.add_stage("b", exponential_dist(1)).to("won", 1);
  m.add_outcome("won");
  m.add_source("a", 10).from(6, 20);
  m.add_open("b", 7, 0.0);
  const pipeline p(m);
  const auto w = sim::detail::expected_workload(p, 12);
  const double injected = 10 * 6 + 20 * 6;  // ∫₀¹² rate
  CHECK(w.stage_entries[0] == doctest::Approx(2 * injected).epsilon(1e-5));
  CHECK(w.stage_entries[1] == doctest::Approx(0.5 * injected + 7).epsilon(1e-5));
  CHECK(w.total == doctest::Approx(2.5 * injected + 7).epsilon(1e-5));
  CHECK(contains(w.largest, "sources[0] (rate 10 into 'a')"));
}

TEST_CASE("simulate refuses a run too large to finish or to fit, naming what makes it large") {
  model m = open_only(max_open_count, 0.5);
  sim::options o;
  o.periods = 12;
  std::string e = refusal(pipeline(m), o);
  CHECK(contains(e, "this run would simulate about 1e+12 stage entries (1e+09 per replication x 1000 replications"));
  CHECK(contains(e, "most from open_pipeline[0] (1000000000 deals in 'a')"));
  CHECK(contains(e, "above max_stage_entries (1e+10)"));

  // One replication fits the work limit but not memory: a billion deals pending.
  o.replications = 1;
  e = refusal(pipeline(m), o);
  CHECK(contains(e, "a replication holds about 1e+09 deals (most from open_pipeline[0]"));
  CHECK(contains(e, "its workspace would take about 6.87e+04 MiB for 1 thread(s)"));
  CHECK(contains(e, "above memory_limit (2048 MiB)"));

  // A source of a billion deals a month: refused before any allocation.
  model s;
  s.add_stage("a", exponential_dist(1)).to("won", 0.3);
  s.add_outcome("won");
  s.add_source("a", max_rate);
  o.replications = 1000;
  CHECK(contains(refusal(pipeline(s), o), "most from sources[0] (rate 1000000000 into 'a')"));

  // Within the limits the same models run (fewer deals).
  m.open_pipeline[0].count = 1000;
  o.replications = 20;
  const auto r = sim::run(pipeline(m), o);
  CHECK(r.status() == sim::run_status::completed);
}
