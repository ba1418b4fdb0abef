// Count distributions for nodes on a loop (analytic/loop_counts.hpp): against
// forecast_result::entries_distribution (single-entry nodes), closed forms (geometric,
// compound Poisson by Panjer), forecast() means, the simulator, and bad input.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <vector>

#include <salespipe/analytic/forecast.hpp>
#include <salespipe/analytic/loop_counts.hpp>
#include <salespipe/fwd.hpp>
#include <salespipe/simulate/engine.hpp>

using namespace salespipe;

namespace {

double max_diff(const std::vector<double>& a, const std::vector<double>& b) {
  double d = 0;
  for (std::size_t i = 0; i < std::max(a.size(), b.size()); ++i)
    d = std::max(d, std::abs((i < a.size() ? a[i] : 0.0) - (i < b.size() ? b[i] : 0.0)));
  return d;
}

// Recycling loop (lead → mql ⇄ nurture) with a source whose rate steps up, and open deals.
model recycling(bool open_deals) {
  model m;
  m.add_stage("lead", exponential_dist(0.5)).to("mql", 0.6).to("nurture", 0.4);
  m.add_stage("mql", gamma_dist::with_mean(2, 1)).to("won", 0.4).to("nurture", 0.3);
  m.add_stage("nurture", exponential_dist(2)).to("mql", 0.5);
  m.add_outcome("won");
  m.add_outcome("lost");
  m.add_source("lead", 4).from(2.5, 6);
  if (open_deals) {
    m.add_open("mql", 5, 0.7);
    m.add_open("nurture", std::vector<double>{0.2, 1.0, 3.0});
  }
  return m;
}

}  // namespace

TEST_CASE("single-entry nodes: equal to analytic::forecast_result::entries_distribution") {
  // 'won' and 'lead' are entered at most once even though the pipeline has a loop; 'b' of
  // an acyclic funnel too. Sources and open deals (ages on and off the lattice), windows
  // starting at 0 and later (the open deals' ±h/2 split at period boundaries).
  model acyclic;
  acyclic.add_stage("a", gamma_dist::with_mean(2, 1.3)).to("b", 0.7);
  acyclic.add_stage("b", lognormal_dist::with_mean_sd(1, 0.6)).to("won", 0.5);
  acyclic.add_outcome("won");
  acyclic.add_source("a", 3).from(1.5, 5);
  acyclic.add_open("a", 4, 0.3);
  acyclic.add_open("b", std::vector<double>{0.1, 0.55, 2});
  const std::vector<period_window> ws{{0, 1}, {0, 6}, {2, 3}, {3, 6}, {5, 6}};
  analytic::forecast_options o;
  o.steps_per_period = 16;
  double worst = 0;
  for (const model& m : {recycling(true), acyclic}) {
    const pipeline p(m);
    const auto f = analytic::forecast(p, 6, o);
    for (const char* id : {"lead", "won", "b"}) {
      const auto v = p.find(id);
      if (!v) continue;
      REQUIRE(f.single_entry(*v));
      const auto d = analytic::loop_entries_distributions(p, 6, *v, ws, o);
      for (std::size_t i = 0; i < ws.size(); ++i) {
        const double e = max_diff(d[i].pmf, f.entries_distribution(*v, ws[i]).pmf);
        CAPTURE(id);
        CAPTURE(i);
        CHECK(e < 1e-9);
        worst = std::max(worst, e);
      }
    }
  }
  MESSAGE("largest pmf difference to entries_distribution: " << worst);
}

TEST_CASE("self-loop, one deal at time 0, window over the whole horizon: geometric") {
  // A deal in stage 'a' (age 0) re-enters 'a' w.p. r each time it leaves: re-entries
  // N ~ Geometric, P(N = k) = (1 − r) r^k, whatever the duration (fixed on the lattice, or
  // exponential: lattice masses at 0 give zero-time loops, the m = 0 solve). The horizon
  // cuts off P(N >= 30) < 1e-9.
  for (int kind = 0; kind < 2; ++kind) {
    const double r = 0.5;
    model m;
    if (kind == 0)
      m.add_stage("a", fixed_dist(0.75)).to("a", r).to("won", 1 - r);
    else
      m.add_stage("a", exponential_dist(0.5)).to("a", r).to("won", 1 - r);
    m.add_outcome("won");
    m.add_open("a", 1, 0.0);
    const pipeline p(m);
    analytic::forecast_options o;
    o.steps_per_period = 4;
    const auto d = analytic::loop_entries_distribution(p, 24, "a", {0, 24}, o);
    double e = 0;
    for (std::size_t k = 0; k < 40; ++k)
      e = std::max(e, std::abs((k < d.pmf.size() ? d.pmf[k] : 0.0) - (1 - r) * std::pow(r, static_cast<double>(k))));
    CAPTURE(kind);
    CHECK(e < 1e-9);
    CHECK(d.mean() == doctest::Approx(r / (1 - r)).epsilon(1e-8));
    MESSAGE("geometric (kind " << kind << "): max |pmf − (1−r)r^k| = " << e);
  }
}

TEST_CASE("Poisson source into a self-loop: compound Poisson (Panjer)") {
  // Arrivals at rate λ during [0, 1) only, fixed duration 1, self-loop r: each deal enters
  // 'a' 1 + Geometric(r) times, all within the 40-period window up to P(N > 40) = r^40 ≈ 1e-12.
  // N = Σ_{i <= Poisson(λ)} (1 + G_i); Panjer: P(0) = e^{−λ},
  // P(k) = λ/k Σ_j j f(j) P(k − j), f(j) = (1 − r) r^{j−1}. λ = 300: mean 600, sd 42, so
  // the pmf is read in a range starting above 0 (mean − 12 sd = 91).
  for (double lam : {3.0, 300.0}) {
    const double r = 0.5;
    model m;
    m.add_stage("a", fixed_dist(1)).to("a", r).to("won", 1 - r);
    m.add_outcome("won");
    m.add_source("a", lam).from(1, 0);
    const pipeline p(m);
    analytic::forecast_options o;
    o.steps_per_period = 2;
    const auto d = analytic::loop_entries_distribution(p, 40, "a", {0, 40}, o);
    std::vector<double> ref(lam < 10 ? 80 : 1400, 0.0);
    ref[0] = std::exp(-lam);
    for (std::size_t k = 1; k < ref.size(); ++k) {
      double s = 0;
      for (std::size_t j = 1; j <= k; ++j)
        s += static_cast<double>(j) * (1 - r) * std::pow(r, static_cast<double>(j - 1)) * ref[k - j];
      ref[k] = lam / static_cast<double>(k) * s;
    }
    const double e = max_diff(d.pmf, ref);
    CAPTURE(lam);
    CHECK(e < 1e-9);
    CHECK(d.mean() == doctest::Approx(lam / (1 - r)).epsilon(1e-8));
    MESSAGE("compound Poisson (λ = " << lam << ") vs Panjer: max pmf difference " << e);
  }
}

TEST_CASE("loop nodes: means equal analytic::forecast(), mass 1, windows of one length share a run") {
  const pipeline p(recycling(true));
  const std::size_t H = 8;
  const auto f = analytic::forecast(p, H);
  double worst = 0;
  for (const char* id : {"mql", "nurture"}) {
    const std::size_t v = p.index_of(id);
    REQUIRE_FALSE(f.single_entry(v));
    std::vector<period_window> ws;
    for (std::size_t k = 0; k < H; ++k) ws.push_back({k, k + 1});
    ws.push_back({0, H});
    ws.push_back({3, 7});
    const auto d = analytic::loop_entries_distributions(p, H, v, ws);
    for (std::size_t i = 0; i < ws.size(); ++i) {
      const double exact = f.sum(ws[i], [&](std::size_t k) { return f.entries(v, k); });
      double mass = 0;
      for (double x : d[i].pmf) mass += x;
      CHECK(mass == doctest::Approx(1).epsilon(1e-10));
      CHECK(d[i].mean() == doctest::Approx(exact).epsilon(1e-9));
      worst = std::max(worst, std::abs(d[i].mean() - exact) / exact);
      // Alone, a window gives the same result as within the batch (shifted shared run).
      if (i == 4 || i == H + 1)
        CHECK(max_diff(analytic::loop_entries_distribution(p, H, v, ws[i]).pmf, d[i].pmf) < 1e-13);
    }
  }
  MESSAGE("loop nodes: largest relative difference of the pmf mean to analytic::forecast(): " << worst);
}

TEST_CASE("loop nodes: agreement with the simulator") {
  // 2,000 replications, seed fixed. Means within 4 SE + 2e-3 relative (lattice O(h²));
  // P(N >= x) at the exact P10/P50/P90 (and the mean) within 4 SE of a proportion
  // (sqrt(p(1−p)/R) ≈ 0.011 at p = 0.5) + 0.005 for the lattice.
  const pipeline p(recycling(true));
  const std::size_t H = 12, R = 2000;
  simulate::options so;
  so.periods = H;
  so.replications = R;
  so.seed = 4242;
  const auto sim = simulate::run(p, so);
  const auto t0 = std::chrono::steady_clock::now();
  for (const char* id : {"mql", "nurture"}) {
    const std::size_t v = p.index_of(id);
    const std::vector<period_window> ws{{0, 1}, {5, 6}, {11, 12}, {0, 12}, {6, 12}};
    const auto d = analytic::loop_entries_distributions(p, H, v, ws);
    for (std::size_t i = 0; i < ws.size(); ++i) {
      std::vector<double> x(R, 0.0);
      for (std::size_t rep = 0; rep < R; ++rep)
        for (std::size_t k = ws[i].from; k < ws[i].to; ++k) x[rep] += sim.at(simulate::quantity::entries, v, rep, k);
      double s = 0, s2 = 0;
      for (double y : x) s += y, s2 += y * y;
      const double mu = s / R, se = std::sqrt((s2 / R - mu * mu) / (R - 1));
      CAPTURE(id);
      CAPTURE(i);
      CHECK(std::abs(mu - d[i].mean()) <= 4 * se + 2e-3 * d[i].mean());
      for (double q : {0.1, 0.5, 0.9}) {
        const double at = d[i].quantile(q);
        if (at == 0) continue;
        const double pe = d[i].prob_at_least(at);
        double ps = 0;
        for (double y : x) ps += y >= at - 1e-9 ? 1.0 : 0.0;
        ps /= R;
        CAPTURE(q);
        CHECK(std::abs(ps - pe) <= 4 * std::sqrt(pe * (1 - pe) / R) + 0.005);
      }
    }
  }
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  MESSAGE("2 nodes x 5 windows (3 lengths), 32 steps per period, 12 periods: " << ms << " ms");
}

TEST_CASE("on_take values: the same money booked on entry gives the same distribution") {
  // Route opp → won with on_take X, versus won with on_enter X: one value lattice (same
  // moments, same δ), so the pmfs agree to rounding; the on_enter path agrees with
  // forecast_result::booked_distributions (its own δ: quantiles within both δ's) and the
  // means with forecast()'s taken_into / booked sums.
  auto build = [](bool take) {
    model m;
    auto& opp = m.add_stage("opp", gamma_dist::with_mean(2, 1.5));
    opp.to("won", 0.3);
    if (take) opp.on_take(gamma_dist(4, 2500));
    opp.to("lost", 0.7, exponential_dist(0.5));
    m.add_outcome("won");
    if (!take) m.outcomes.back().value_on_enter(gamma_dist(4, 2500));
    m.add_outcome("lost");
    m.add_source("opp", 6);
    m.add_open("opp", 7, 0.4);
    return pipeline(m);
  };
  const pipeline pt = build(true), pe = build(false);
  const std::vector<period_window> ws{{0, 1}, {2, 5}, {0, 6}};
  const std::size_t won = pt.index_of("won");
  const auto vt = analytic::booked_value_distributions(pt, 6, won, analytic::booking::on_take, ws, {}, 1024);
  const auto ve = analytic::booked_value_distributions(pe, 6, won, analytic::booking::on_enter, ws, {}, 1024);
  const auto ft = analytic::forecast(pt, 6), fe = analytic::forecast(pe, 6);
  const auto vb = fe.booked_distributions(won, ws, 1024);
  for (std::size_t i = 0; i < ws.size(); ++i) {
    CAPTURE(i);
    CHECK(vt[i].step == ve[i].step);
    CHECK(max_diff(vt[i].pmf, ve[i].pmf) < 1e-12);
    const double taken = ft.sum(ws[i], [&](std::size_t k) { return ft.taken_into(won, k); });
    CHECK(vt[i].mean() == doctest::Approx(taken).epsilon(1e-9));
    const double tol = vt[i].step + vb[i].step;
    for (double q : {0.1, 0.5, 0.9}) CHECK(std::abs(vt[i].quantile(q) - vb[i].quantile(q)) <= tol);
  }
  CHECK_THROWS_AS(analytic::booked_value_distributions(pt, 6, won, analytic::booking::on_enter, ws), invalid_option);
  CHECK_THROWS_AS(analytic::booked_value_distributions(pt, 6, pt.index_of("lost"), analytic::booking::on_take, ws),
                  invalid_option);
  CHECK_THROWS_AS(analytic::booked_value_distributions(pt, 6, won, analytic::booking::on_take, ws, {}, 32),
                  invalid_option);
}

TEST_CASE("values on a loop: on_take of a loop route and on_enter of a loop stage vs the simulator") {
  // Route nurture → mql (on a loop) books 1000 ± 400 when taken; 'nurture' books 50 on every
  // entry. Means equal forecast()'s; against 2,000 simulated replications: mean within
  // 4 SE + 2e-3 relative, P(V >= x) at the exact P10/P50/P90 within 4 SE + 0.005 + the
  // value lattice's step (as a probability shift, at most the pmf mass within ±δ).
  model m = recycling(true);
  m.stages[2].routes[0].on_take = lognormal_dist::with_mean_sd(1000, 400);
  m.stages[2].value_on_enter(fixed_dist(50));
  const pipeline p(m);
  const std::size_t H = 8, R = 2000;
  const auto f = analytic::forecast(p, H);
  simulate::options so;
  so.periods = H;
  so.replications = R;
  so.seed = 77;
  const auto sim = simulate::run(p, so);
  const std::vector<period_window> ws{{0, 1}, {5, 6}, {0, 8}};
  for (int kind = 0; kind < 2; ++kind) {
    const std::size_t v = p.index_of(kind == 0 ? "mql" : "nurture");
    const auto d = analytic::booked_value_distributions(
        p, H, v, kind == 0 ? analytic::booking::on_take : analytic::booking::on_enter, ws, {}, 512);
    for (std::size_t i = 0; i < ws.size(); ++i) {
      CAPTURE(kind);
      CAPTURE(i);
      const double exact = f.sum(ws[i], [&](std::size_t k) { return kind == 0 ? f.taken_into(v, k) : f.booked(v, k); });
      CHECK(d[i].mean() == doctest::Approx(exact).epsilon(1e-9));
      std::vector<double> x(R, 0.0);
      for (std::size_t rep = 0; rep < R; ++rep)
        for (std::size_t k = ws[i].from; k < ws[i].to; ++k) x[rep] += sim.at(simulate::quantity::value, v, rep, k);
      double s = 0, s2 = 0;
      for (double y : x) s += y, s2 += y * y;
      const double mu = s / R, se = std::sqrt((s2 / R - mu * mu) / (R - 1));
      CHECK(std::abs(mu - exact) <= 4 * se + 2e-3 * exact);
      for (double q : {0.1, 0.5, 0.9}) {
        const double at = d[i].quantile(q);
        if (at == 0) continue;
        const double pe = d[i].prob_at_least(at);
        double ps = 0;
        for (double y : x) ps += y >= at - 1e-9 ? 1.0 : 0.0;
        ps /= R;
        const double near = d[i].prob_at_least(at - d[i].step) - d[i].prob_at_least(at + d[i].step);
        CAPTURE(q);
        CHECK(std::abs(ps - pe) <= 4 * std::sqrt(pe * (1 - pe) / R) + 0.005 + near);
      }
    }
  }
}

TEST_CASE("loop counts: bad input") {
  const pipeline p(recycling(false));
  CHECK_THROWS_AS(analytic::loop_entries_distribution(p, 12, "mql", {3, 3}), invalid_option);
  CHECK_THROWS_AS(analytic::loop_entries_distribution(p, 12, "mql", {0, 13}), invalid_option);
  CHECK_THROWS_AS(analytic::loop_entries_distribution(p, 0, "mql", {0, 1}), invalid_option);
  CHECK_THROWS_AS(analytic::loop_entries_distribution(p, 12, std::size_t(99), {0, 1}), invalid_option);
  CHECK_THROWS_WITH_AS(analytic::loop_entries_distribution(p, 12, "mq1", {0, 1}),
                       doctest::Contains("did you mean 'mql'"), invalid_option);
  analytic::forecast_options o;
  o.steps_per_period = 0;
  CHECK_THROWS_AS(analytic::loop_entries_distribution(p, 12, "mql", {0, 1}, o), invalid_option);
  o.steps_per_period = 32;
  o.max_bytes = 1 << 16;
  CHECK_THROWS_WITH_AS(analytic::loop_entries_distribution(p, 12, "mql", {0, 12}, o), doctest::Contains("max_bytes"),
                       invalid_option);
  model z;  // a loop whose durations can be 0
  z.add_stage("a", fixed_dist(0)).to("b", 1);
  z.add_stage("b", fixed_dist(0)).to("a", 0.5);
  z.add_source("a", 1);
  CHECK_THROWS_AS(analytic::loop_entries_distribution(pipeline(z), 4, "a", {0, 4}), invalid_model);
  // forecast_result points to this header for loop nodes.
  const auto f = analytic::forecast(p, 12);
  CHECK_THROWS_WITH_AS(f.entries_distribution(p.index_of("mql"), {0, 12}), doctest::Contains("loop_counts.hpp"),
                       invalid_option);
}

TEST_CASE("any node: entries_distributions, on_enter_value_distributions and p_hit_target pick the exact method") {
  // A node on a loop (mql) goes through the loop recursion, a single-entry node (won) through
  // the forecast's Poisson-binomial; both equal the method they delegate to.
  model m = recycling(true);
  m.outcomes[0].on_enter = exponential_dist(100);
  m.set_target("won", 1.5);
  const pipeline p(m);
  const std::size_t H = 12;
  const analytic::forecast_result f = analytic::forecast(p, H);
  const std::vector<period_window> ws{{0, 1}, {0, 12}, {6, 12}};
  const std::size_t mql = p.index_of("mql"), won = p.index_of("won");
  REQUIRE_FALSE(f.single_entry(mql));
  REQUIRE(f.single_entry(won));
  const auto loop = analytic::entries_distributions(p, f, mql, ws);
  const auto direct = analytic::loop_entries_distributions(p, H, mql, ws);
  for (std::size_t i = 0; i < ws.size(); ++i) CHECK(loop[i].pmf == direct[i].pmf);
  const auto single = analytic::entries_distributions(p, f, won, ws);
  for (std::size_t i = 0; i < ws.size(); ++i) CHECK(single[i].pmf == f.entries_distribution(won, ws[i]).pmf);
  const auto values = analytic::on_enter_value_distributions(p, f, won, ws, 1024);
  const auto booked = f.booked_distributions(won, ws, 1024);
  for (std::size_t i = 0; i < ws.size(); ++i) CHECK(values[i].pmf == booked[i].pmf);
  // P(hit target) over the year = P(N >= 1.5 × 12), and the simulator agrees within 4 SE.
  const double exact = analytic::p_hit_target(p, f, {0, 12});
  CHECK(exact == single[1].prob_at_least(18));
  simulate::options so;
  so.periods = H;
  so.replications = 4000;
  so.seed = 77;
  const auto sim = simulate::run(p, so);
  double hit = 0;
  for (std::size_t rep = 0; rep < so.replications; ++rep) {
    double n = 0;
    for (std::size_t k = 0; k < H; ++k) n += sim.at(simulate::quantity::entries, won, rep, k);
    hit += n >= 18 ? 1.0 : 0.0;
  }
  hit /= static_cast<double>(so.replications);
  MESSAGE("P(hit) exact " << exact << ", simulated " << hit);
  CHECK(std::abs(hit - exact) <= 4 * std::sqrt(exact * (1 - exact) / 4000.0) + 0.005);
  CHECK_THROWS_WITH_AS(
      analytic::p_hit_target(pipeline(recycling(false)), analytic::forecast(pipeline(recycling(false)), H), {0, 12}),
      "p_hit_target: the model has no target", invalid_option);
}
