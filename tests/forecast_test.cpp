// The per-period forecast (analytic/forecast.hpp) against hand computations.
#include <doctest/doctest.h>

#include <cmath>
#include <complex>
#include <vector>

#include <boost/math/special_functions/gamma.hpp>

#include <salespipe/analytic/forecast.hpp>
#include <salespipe/analytic/transient.hpp>
#include <salespipe/funnel.hpp>
#include <salespipe/fwd.hpp>

#include "support/funnel6.hpp"

using namespace salespipe;

namespace {

using salespipe_test::funnel6;

}  // namespace

TEST_CASE("Poisson arrivals into one exponential stage: per-period closed forms") {
  // λ = 6 per period into a stage of mean θ = 1.5, then won w.p. 0.7, reward 10 per time.
  const double lam = 6, th = 1.5;
  model m;
  m.add_stage("s", exponential_dist(th)).to("won", 0.7).reward(10);
  m.add_outcome("won");
  m.add_source("s", lam);
  const pipeline p(m);
  const auto f = analytic::forecast(p, 12);
  const std::size_t won = f.node("won"), s = 0;
  for (std::size_t k = 0; k < 12; ++k) {
    const double a = static_cast<double>(k), b = a + 1;
    const double ends = lam * (1 - th * (std::exp(-a / th) - std::exp(-b / th)));
    const double wip = lam * th * (1 - std::exp(-b / th));
    const double time = lam * th * (1 - th * (std::exp(-a / th) - std::exp(-b / th)));
    CHECK(f.entries(won, k) == doctest::Approx(0.7 * ends).epsilon(2e-5));
    CHECK(f.entries(s, k) == doctest::Approx(lam).epsilon(1e-12));
    CHECK(f.wip(s, k) == doctest::Approx(wip).epsilon(2e-5));
    CHECK(f.reward(s, k) == doctest::Approx(10 * time).epsilon(2e-4));  // O(h²) in ∫ occupancy
  }
  // Counts over a window are Poisson with the summed mean.
  const auto d = f.entries_distribution(won, {0, 12});
  double mu = 0;
  for (std::size_t k = 0; k < 12; ++k) mu += f.entries(won, k);
  CHECK(d.mean() == doctest::Approx(mu).epsilon(1e-10));
  double var = 0;
  for (std::size_t i = 0; i < d.pmf.size(); ++i) var += d.pmf[i] * (double(i) - mu) * (double(i) - mu);
  CHECK(var == doctest::Approx(mu).epsilon(1e-8));
}

TEST_CASE("funnel6: expected won per period approaches the steady state 9.9 per month") {
  const auto p = funnel6();
  const auto f = analytic::forecast(p, 36);
  const std::size_t won = f.node("Won");
  CHECK(f.entries(won, 35) == doctest::Approx(9.9).epsilon(1e-4));
  CHECK(f.entries(won, 0) < 0.5);
  CHECK(f.booked(won, 35) == doctest::Approx(198000).epsilon(1e-4));
  // Sum over the horizon: ∫_0^36 300 · P(won by 36 − t) dt from the time-to-outcome cdf.
  analytic::transient_options o;
  o.step = 1.0 / 64;
  o.horizon = 36;
  const auto t = analytic::time_to_outcome(p, "Lead", o);
  double integral = 0;
  const int steps = 36 * 64;
  for (int i = 0; i < steps; ++i) integral += 300 * t.node("Won").cumulative(36 - (i + 0.5) / 64) / 64;
  double sum = 0;
  for (std::size_t k = 0; k < 36; ++k) sum += f.entries(won, k);
  CHECK(sum == doctest::Approx(integral).epsilon(2e-4));
  // Lattice refinement: h = 1/32 vs 1/128 agree to O(h²).
  analytic::forecast_options fine;
  fine.steps_per_period = 128;
  const auto g = analytic::forecast(p, 36, fine);
  for (std::size_t k = 0; k < 36; ++k)
    CHECK(f.entries(won, k) == doctest::Approx(g.entries(won, k)).epsilon(1e-3).scale(1));
}

TEST_CASE("open pipeline only: Poisson-binomial by hand") {
  // Exponential stage (memoryless): each open deal is won in period k w.p.
  // 0.5 (e^{-k/θ} − e^{-(k+1)/θ}) whatever its age.
  const double th = 2;
  model m;
  m.add_stage("s", exponential_dist(th)).to("won", 0.5);
  m.add_outcome("won").value_on_enter(fixed_dist(1000));
  m.add_open("s", 3, 1.0);
  m.add_open("s", std::vector<double>{4.0, 0.5});
  const pipeline p(m);
  const auto f = analytic::forecast(p, 6);
  const std::size_t won = f.node("won");
  auto pk = [&](double a, double b) { return 0.5 * (std::exp(-a / th) - std::exp(-b / th)); };
  for (std::size_t k = 0; k < 6; ++k)
    CHECK(f.entries(won, k) == doctest::Approx(5 * pk(double(k), double(k) + 1)).epsilon(1e-4));
  CHECK(f.wip(0, 0) == doctest::Approx(5 * std::exp(-1 / th)).epsilon(1e-4));
  // Window [0, 2): 5 deals each won w.p. q: Binomial(5, q) by hand.
  const double q = pk(0, 2);
  const auto d = f.entries_distribution(won, {0, 2});
  const double by_hand[] = {std::pow(1 - q, 5), 5 * q * std::pow(1 - q, 4), 10 * q * q * std::pow(1 - q, 3)};
  for (std::size_t i = 0; i < 3; ++i) CHECK(d.pmf[i] == doctest::Approx(by_hand[i]).epsilon(1e-3));
  // Values: 1000 per win, so P(value >= 2000) = P(count >= 2).
  const auto v = f.booked_distribution(won, {0, 2});
  CHECK(v.prob_at_least(2000 - v.step / 2) == doctest::Approx(d.prob_at_least(2)).epsilon(1e-3));
}

TEST_CASE("window value quantiles vs brute force: compound Poisson with gamma values") {
  // λ = 4 into a stage of fixed duration 0.25, won w.p. 1, value Gamma(2, 500).
  // Counts in [1, 4) are Poisson(12); S | N = n ~ Gamma(2n, 500).
  model m;
  m.add_stage("s", fixed_dist(0.25)).to("won", 1);
  m.add_outcome("won").value_on_enter(gamma_dist(2, 500));
  m.add_source("s", 4);
  const pipeline p(m);
  const auto f = analytic::forecast(p, 6);
  const std::size_t won = f.node("won");
  const auto v = f.booked_distribution(won, {1, 4});
  const double mu = 12;
  for (double x : {5000.0, 10000.0, 12000.0, 15000.0, 20000.0}) {
    double tail = 0, pn = std::exp(-mu);
    for (int n = 1; n < 80; ++n) {
      pn *= mu / n;
      tail += pn * boost::math::gamma_q(2.0 * n, x / 500);
    }
    CHECK(v.prob_at_least(x) == doctest::Approx(tail).epsilon(2e-3).scale(1));
  }
  CHECK(v.mean() == doctest::Approx(12 * 1000).epsilon(1e-6));
  // Count quantiles: Poisson(12) exactly.
  const auto c = f.entries_distribution(won, {1, 4});
  CHECK(c.quantile(0.5) == 12);
  CHECK(c.quantile(0.9) == 17);  // Poisson(12): P(N <= 16) = 0.899, P(N <= 17) = 0.937
}

TEST_CASE("bad input") {
  const auto p = funnel6();
  CHECK_THROWS_AS(analytic::forecast(p, 0), invalid_option);
  const auto f = analytic::forecast(p, 12);
  CHECK_THROWS_AS(f.entries_distribution(f.node("Won"), {3, 13}), invalid_option);
  CHECK_THROWS_AS(f.entries_distribution(f.node("Won"), {3, 3}), invalid_option);
  CHECK_THROWS_AS(fiscal_year(12, 12, 0), invalid_option);
  analytic::forecast_options o;
  o.steps_per_period = 1u << 20;
  CHECK_THROWS_AS(analytic::forecast(p, 36, o), invalid_option);
  // A node on a loop: means yes, distributions refused.
  model m;
  m.add_stage("a", exponential_dist(1)).to("b", 1);
  m.add_stage("b", exponential_dist(1)).to("a", 0.5).to("won", 0.5);
  m.add_outcome("won");
  m.add_source("a", 1);
  const auto g = analytic::forecast(pipeline(m), 6);
  CHECK(g.entries(0, 5) > 1);
  CHECK_THROWS_AS(g.entries_distribution(0, {0, 6}), invalid_option);
  CHECK_NOTHROW(g.entries_distribution(g.node("won"), {0, 6}));
}

TEST_CASE("fiscal years, quarters, rolling windows") {
  CHECK(fiscal_year(36, 0, 0).from == 0);
  CHECK(fiscal_year(36, 0, 0).to == 12);
  CHECK(fiscal_year(36, 3, 0).to == 3);
  CHECK(fiscal_year(36, 3, 1).from == 3);
  CHECK(fiscal_year(36, 3, 1).to == 15);
  CHECK(fiscal_year(36, 3, 3).to == 36);  // clipped
  CHECK_THROWS_AS(fiscal_year(36, 3, 4), invalid_option);
  CHECK(fiscal_quarter(36, 0, 1).from == 3);
  CHECK(rolling_window(36, 5).from == 0);
  CHECK(rolling_window(36, 20).from == 9);
  CHECK_THROWS_AS(rolling_window(36, 36), invalid_option);
}

// --- the lag of a change ---
#include <salespipe/analytic/lag.hpp>
#include <salespipe/example_model.hpp>

TEST_CASE("lag of a +50% inflow step: per-period extra and fiscal-year split in closed form") {
  const double lam = 6, th = 1.5, p = 0.7, f = 0.5, t0 = 1;
  model m;
  m.add_stage("s", exponential_dist(th)).to("won", p);
  m.add_outcome("won").value_on_enter(fixed_dist(100));
  m.add_source("s", lam);
  const pipeline base(m), more(scale_source_from(m, 0, t0, 1 + f));
  const auto e = analytic::lag(base, more, 36, 0, "won");
  // Extra won in period k: f λ p ∫_{max(k, t0)}^{k+1} (1 − e^{−(t − t0)/θ}) dt.
  auto extra = [&](double a, double b) {
    a = std::max(a, t0);
    if (b <= a) return 0.0;
    return f * lam * p * ((b - a) - th * (std::exp(-(a - t0) / th) - std::exp(-(b - t0) / th)));
  };
  for (std::size_t k = 0; k < 36; ++k)
    CHECK(e.extra_entries[k] == doctest::Approx(extra(double(k), double(k) + 1)).epsilon(1e-4).scale(1));
  CHECK(e.measured_as_value);
  CHECK(e.extra_this == doctest::Approx(100 * extra(0, 12)).epsilon(1e-4));
  CHECK(e.extra_next == doctest::Approx(100 * extra(12, 24)).epsilon(1e-4));
  CHECK(e.extra_later == doctest::Approx(100 * extra(24, 36)).epsilon(1e-4));
  const double base_this = 100 * lam * p * (12 - th * (1 - std::exp(-12 / th)));
  CHECK(e.base_this == doctest::Approx(base_this).epsilon(1e-4));
  const std::string s = analytic::describe(e, "+50% leads from month 1");
  CHECK(s.find("+50% leads from month 1 raises this fiscal year's 'won' value by") == 0);
  CHECK(s.find("and next year's by 50.0%") != std::string::npos);  // fully ramped next year
  // A fiscal year starting at period 3: this year is [0, 3).
  const auto g = analytic::compare(analytic::forecast(base, 36), analytic::forecast(more, 36), "won", 3);
  CHECK(g.extra_this == doctest::Approx(100 * extra(0, 3)).epsilon(1e-4));
  CHECK_THROWS_AS(analytic::compare(analytic::forecast(base, 36), analytic::forecast(more, 36), "won", 36),
                  invalid_option);
  // Horizon of one fiscal year: the next one is empty and the sentence says so.
  const auto h = analytic::compare(analytic::forecast(base, 12), analytic::forecast(more, 12), "won", 0);
  CHECK(h.next_year.size() == 0);
  CHECK(h.extra_this == doctest::Approx(100 * extra(0, 12)).epsilon(1e-4));
  CHECK(analytic::describe(h, "x").find("beyond the horizon") != std::string::npos);
}

TEST_CASE("lag: conversion and duration changes; the built-in example's planned step") {
  model m;
  m.add_stage("a", exponential_dist(1)).to("won", 0.3);
  m.add_outcome("won");
  m.add_source("a", 10);
  const pipeline base(m);
  // Conversion 0.3 → 0.45: +50% entries into won in every period.
  const auto c = analytic::lag(base, pipeline(set_conversion(m, "a", "won", 0.45)), 24, 0, "won");
  CHECK(!c.measured_as_value);
  CHECK(c.percent_this() == doctest::Approx(50).epsilon(1e-9));
  // Twice the duration: same long-run rate, fewer wins early.
  const auto d = analytic::lag(base, pipeline(scale_mean_duration(m, "a", 2)), 24, 0, "won");
  CHECK(d.extra_entries[0] < 0);
  CHECK(std::abs(d.extra_entries[23]) < 1e-3);
  // The example: +50% leads from month 12 is in its schedule; this fiscal year (from 0)
  // sees nothing of it, the next sees a part.
  const model ex = example_model();
  const auto e = analytic::lag(pipeline(remove_rate_change(ex, 0, 0)), pipeline(ex), 36, 0, "customer");
  CHECK(e.extra_this == doctest::Approx(0).scale(1));
  CHECK(e.percent_next() > 5);
  CHECK(e.percent_next() < 50);
  const std::string s = analytic::describe(e, "+50% leads from month 12");
  MESSAGE(s);
  CHECK(s.find("raises this fiscal year's 'customer' value by 0.0% and next year's by") == 25);
}

// --- agreement with the Monte Carlo engine on six model shapes ---
#include <salespipe/simulate/engine.hpp>

namespace {

model shape(int i) {
  model m;
  switch (i) {
    case 0: return funnel6().model();
    case 1: return example_model();
    case 2:  // recycling loop: lost deals go to nurture, which sends some back to MQL
      m.add_stage("lead", exponential_dist(0.5)).to("mql", 0.6).to("nurture", 0.4);
      m.add_stage("mql", gamma_dist::with_mean(2, 1)).to("won", 0.4).to("nurture", 0.3);
      m.add_stage("nurture", exponential_dist(2)).to("mql", 0.5);
      m.add_outcome("won").value_on_enter(gamma_dist(4, 2500));
      m.add_outcome("lost");
      m.add_source("lead", 20).from(4.5, 30);
      return m;
    case 3:  // competing routes with their own durations and on_take values
      m.add_stage("opp", gamma_dist::with_mean(2, 2))
          .to("won", 0.3, gamma_dist::with_mean(3, 3))
          .on_take(fixed_dist(500))
          .to("lost", 0.7, exponential_dist(0.5));
      m.add_outcome("won").value_on_enter(lognormal_dist::with_mean_sd(10000, 4000));
      m.add_outcome("lost");
      m.add_source("opp", 15);
      return m;
    case 4:  // expansion and churn with reward rates
      m.add_stage("prospect", gamma_dist::with_mean(3, 2)).to("customer", 0.5);
      m.add_stage("customer", exponential_dist(6)).reward(100).to("big", 0.3).to("churned", 0.7);
      m.add_stage("big", weibull_dist(1.5, 8)).reward(300).to("churned", 1);
      m.add_outcome("churned");
      m.add_source("prospect", 8);
      m.add_open("customer", 40, 3);
      return m;
    default:  // open pipeline only
      m.add_stage("opp", gamma_dist::with_mean(2, 3)).to("proposal", 0.6);
      m.add_stage("proposal", uniform_dist(0.5, 2.5)).to("won", 0.5);
      m.add_outcome("won").value_on_enter(gamma_dist(2, 5000));
      m.add_open("opp", std::vector<double>{0.1, 0.5, 1, 2, 4, 6});
      m.add_open("opp", 20, 1.5);
      m.add_open("proposal", 10, 0.8);
      return m;
  }
}

}  // namespace

TEST_CASE("agreement with the simulator: per-period means within 4 SE, distributions consistent") {
  // Tolerance: |simulated mean − exact| <= 4 SE + 2e-3 · max(unit, |exact|), unit = one
  // deal (counts) or one mean value / reward rate (values). 4 SE because
  // about 2,500 comparisons are made at a fixed seed (P(|Z| > 4) ≈ 6e-5 each); the
  // 2e-3 relative allowance covers the lattice's O(h²) error at 32 steps per period
  // (measured <= 1e-3 in the refinement test above) and SE = 0 cells.
  const std::size_t H = 12, R = 2000;
  for (int i = 0; i < 6; ++i) {
    const pipeline p(shape(i));
    CAPTURE(i);
    const auto f = analytic::forecast(p, H);
    simulate::options o;
    o.periods = H;
    o.replications = R;
    o.seed = 2024 + static_cast<std::uint64_t>(i);
    const auto r = simulate::run(p, o);
    // Unit of a quantity at a node: 1 deal, or one typical value / reward per period.
    auto unit = [&](simulate::quantity q, std::size_t v) {
      double u = 1;
      if (q == simulate::quantity::reward) u = std::max(u, p.stage(v).reward_rate);
      if (q == simulate::quantity::value) {
        const auto& ev = v < p.stage_count() ? p.stage(v).on_enter : p.outcomes()[v - p.stage_count()].on_enter;
        if (ev) u = std::max(u, mean(*ev));
        for (const auto& st : p.stages())
          for (const auto& rt : st.routes)
            if (rt.to_node == v && rt.on_take) u = std::max(u, mean(*rt.on_take));
      }
      return u;
    };
    auto check = [&](simulate::quantity q, std::size_t v, std::size_t k, double exact) {
      double s = 0, s2 = 0;
      for (std::size_t rep = 0; rep < R; ++rep) {
        const double x = r.at(q, v, rep, k);
        s += x;
        s2 += x * x;
      }
      const double mu = s / R, se = std::sqrt(std::max(0.0, s2 / R - mu * mu) / (R - 1));
      const bool ok = std::abs(mu - exact) <= 4 * se + 2e-3 * std::max(unit(q, v), std::abs(exact));
      if (!ok)
        FAIL_CHECK("shape " << i << " node " << p.node_id(v) << " quantity " << int(q) << " period " << k
                            << ": simulated " << mu << " ± " << se << ", exact " << exact);
    };
    for (std::size_t v = 0; v < p.node_count(); ++v)
      for (std::size_t k = 0; k < H; ++k) {
        check(simulate::quantity::entries, v, k, f.entries(v, k));
        if (v < p.stage_count()) {
          check(simulate::quantity::wip, v, k, f.wip(v, k));
          check(simulate::quantity::reward, v, k, f.reward(v, k));
        }
        // The simulator records on_take under the node the route enters.
        check(simulate::quantity::value, v, k, f.booked(v, k) + f.taken_into(v, k));
      }
    // Distributions of the last outcome-with-value node (or the target) over the window
    // and the last period: empirical P(N <= q_p) brackets p within 4 binomial SE.
    std::size_t v = p.target() ? p.target()->node_index : p.node_count();
    for (std::size_t u = p.stage_count(); u < p.node_count() && v == p.node_count(); ++u)
      if (p.outcomes()[u - p.stage_count()].on_enter) v = u;
    if (v == p.node_count()) v = p.index_of("churned");  // shape 4: counts only
    REQUIRE(v < p.node_count());
    for (const period_window w : {period_window{0, H}, period_window{H - 1, H}}) {
      const auto d = f.entries_distribution(v, w);
      std::vector<double> tot(R, 0.0), val(R, 0.0);
      for (std::size_t rep = 0; rep < R; ++rep)
        for (std::size_t k = w.from; k < w.to; ++k) {
          tot[rep] += r.at(simulate::quantity::entries, v, rep, k);
          val[rep] += r.at(simulate::quantity::value, v, rep, k);
        }
      auto frac = [&](const std::vector<double>& x, auto pred) {
        double c = 0;
        for (double y : x) c += pred(y) ? 1 : 0;
        return c / R;
      };
      for (double pr : {0.1, 0.5, 0.9}) {
        const double q = d.quantile(pr), se = std::sqrt(pr * (1 - pr) / R);
        CHECK(frac(tot, [&](double y) { return y <= q; }) >= pr - 4 * se);
        CHECK(frac(tot, [&](double y) { return y <= q - 1; }) <= pr + 4 * se);
      }
      const double thr = std::ceil(d.mean());  // "target": at least the mean, rounded up
      const double pe = d.prob_at_least(thr), se = std::sqrt(pe * (1 - pe) / R) + 1e-3;
      CHECK(std::abs(frac(tot, [&](double y) { return y >= thr; }) - pe) <= 4 * se);
      {
        const bool has_value =
            v >= p.stage_count() ? bool(p.outcomes()[v - p.stage_count()].on_enter) : bool(p.stage(v).on_enter);
        bool has_take = false;  // on_take into v would add to the simulated value
        for (const auto& st : p.stages())
          for (const auto& rt : st.routes) has_take = has_take || (rt.to_node == v && rt.on_take);
        if (has_value && !has_take) {
          const auto vd = f.booked_distribution(v, w);
          const double vt = vd.mean();
          const double pv = vd.prob_at_least(vt), sv = std::sqrt(pv * (1 - pv) / R) + 1e-3;
          CHECK(std::abs(frac(val, [&](double y) { return y >= vt; }) - pv) <= 4 * sv);
        }
      }
    }
  }
}

// --- the fast kernels behind forecast(), against long-double / direct references ---

TEST_CASE("analytic::detail::cexp_n: within 1e-15 relative of exp over the pgf's argument range") {
  std::vector<double> re, im;
  for (int i = 0; i <= 400; ++i)
    for (double mu : {1e-3, 0.7, 12.0, 3e2, 4e4, 2e6}) {
      const double u = i / 400.0;
      re.push_back(-mu * 2 * u);             // μ(Re φ − 1) in [−2μ, 0]
      im.push_back(mu * std::sin(7.3 * u));  // μ Im φ in [−μ, μ]
    }
  re.push_back(-INFINITY), im.push_back(0.0);  // (1 − π + πφ) = 0 gives log 0
  std::vector<double> outr(re.size()), outi(re.size());
  analytic::detail::cexp_n(re.data(), im.data(), outr.data(), outi.data(), re.size());
  double worst = 0;
  for (std::size_t i = 0; i + 1 < re.size(); ++i) {
    const auto ex = std::exp(std::complex<long double>(re[i], im[i]));
    const long double m = std::abs(ex);
    if (m < 1e-290L) continue;  // subnormal range: absolute error only
    worst = std::max(worst, static_cast<double>(std::abs(std::complex<long double>(outr[i], outi[i]) - ex) / m));
  }
  CHECK(worst < 1e-15);
  CHECK(outr.back() == 0.0);
  CHECK(outi.back() == 0.0);
}

TEST_CASE("analytic::detail::real_fft: matches the direct DFT and round-trips") {
  for (std::size_t N : {8u, 64u, 1024u}) {
    std::vector<double> x(N), back(N), Xr(N / 2 + 1), Xi(N / 2 + 1), work;
    for (std::size_t j = 0; j < N; ++j) x[j] = std::cos(0.37 * static_cast<double>(j * j % 97)) + 0.1;
    const analytic::detail::real_fft f(N);
    f.forward(x.data(), Xr.data(), Xi.data(), work);
    double err = 0;
    for (std::size_t k = 0; k <= N / 2; k += (N > 64 ? 37 : 1)) {
      std::complex<long double> s = 0;
      for (std::size_t j = 0; j < N; ++j)
        s += static_cast<long double>(x[j]) *
             std::polar(1.0L, -2 * 3.14159265358979323846264L * static_cast<long double>(j * k % N) /
                                  static_cast<long double>(N));
      err = std::max(err, static_cast<double>(std::abs(s - std::complex<long double>(Xr[k], Xi[k]))));
    }
    CHECK(err < 1e-13 * static_cast<double>(N));
    f.inverse(Xr.data(), Xi.data(), back.data(), work);
    for (std::size_t j = 0; j < N; ++j) CHECK(back[j] == doctest::Approx(x[j]).epsilon(1e-13));
  }
}

TEST_CASE("renewal by FFT (acyclic pipelines) agrees with time-stepping (a loop of tiny probability)") {
  // The same funnel twice: once acyclic (FFT convolutions), once with a loop route of tiny
  // probability that forces the time-stepping path; the flows differ by O(1e-9) only.
  auto build = [](double loop) {
    model m;
    m.add_stage("lead", exponential_dist(0.5)).to("mql", 0.4);
    m.add_stage("mql", gamma_dist::with_mean(2, 1)).to("sql", 0.5);
    auto& s = m.add_stage("sql", lognormal_dist::with_mean_sd(1.5, 0.8));
    s.to("close", 0.6);
    if (loop > 0) s.to("lead", loop);
    m.add_stage("close", uniform_dist(0.5, 2.5)).to("won", 0.9);  // a short support: 81 points
    m.add_outcome("won");
    m.add_source("lead", 100);
    return pipeline(m);
  };
  // Horizons of 24, 31 and 40 months (n = 769, 993, 1281 lattice points) take every path of
  // detail::renewal_grid's convolution: a transform of the smallest power of two >= n
  // without wrap ('close', 24), with the wrapped tail subtracted directly ('close', 31),
  // the double-size transform (long supports) and the direct sum.
  for (std::size_t H : {std::size_t{24}, std::size_t{31}, std::size_t{40}}) {
    const auto a = analytic::forecast(build(0), H), b = analytic::forecast(build(1e-9), H);
    const std::size_t won = a.node("won");
    for (std::size_t k = 0; k < H; ++k) {
      CHECK(a.entries(won, k) == doctest::Approx(b.entries(won, k)).epsilon(1e-7));
      CHECK(a.wip(1, k) == doctest::Approx(b.wip(1, k)).epsilon(1e-7));
      CHECK(a.wip(3, k) == doctest::Approx(b.wip(3, k)).epsilon(1e-7));
    }
  }
}
