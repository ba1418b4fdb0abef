// Key links (issue 5): sensitivities (analytic vs central finite differences), forecast
// derivatives (tangent-linear vs central differences of the forecast), the
// remainder-to-lost convention, the tornado ranking, scenarios with common random numbers,
// budget reallocation (greedy vs brute force), bad input.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include <salespipe/analytic/forecast_sensitivity.hpp>
#include <salespipe/analytic/steady_state.hpp>
#include <salespipe/example_model.hpp>
#include <salespipe/keylinks/ranking.hpp>
#include <salespipe/keylinks/reallocate.hpp>
#include <salespipe/keylinks/scenario.hpp>
#include <salespipe/keylinks/sensitivity.hpp>

#include "support/funnel6.hpp"

namespace kl = salespipe::keylinks;
using salespipe::model;
using salespipe::pipeline;

namespace {

// Loops (lost → nurture → lead), a self-loop, an explicit lost route with its own
// duration, on_take values, rewards and an outcome value: every term of the KPIs.
model loop_model() {
  using namespace salespipe;
  model m;
  m.name = "loop";
  m.add_stage("lead", gamma_dist::with_mean(2, 0.7)).to("qualified", 0.5).to("nurture", 0.3);
  m.add_stage("qualified", exponential_dist(1.2))
      .to("qualified", 0.1)
      .to("won", 0.45)
      .on_take(lognormal_dist::with_mean_sd(5000, 2000))
      .to("lost", 0.45, exponential_dist(0.4));
  m.add_stage("nurture", weibull_dist(1.5, 3)).to("lead", 0.4).reward(50);
  m.add_stage("account", gamma_dist::with_mean(3, 12)).reward(900).to("churned", 1);
  m.add_outcome("won").value_on_enter(gamma_dist::with_mean(4, 8000));
  m.add_outcome("churned");
  m.add_source("lead", 20);
  m.add_source("account", 1.5);
  return m;
}

double steady_kpi(const pipeline& p, kl::kpi_kind kind, const std::string& node) {
  kl::kpi_spec k;
  k.kind = kind;
  k.node = node;
  return kl::evaluate(p, k);
}

// Central finite difference of KPI k in the lever's relative size (step eps).
double fd(const pipeline& p, const kl::kpi_spec& k, const kl::lever& l, double eps) {
  const double up = kl::evaluate(pipeline(kl::scale_lever(p, l, 1 + eps)), k);
  const double down = kl::evaluate(pipeline(kl::scale_lever(p, l, 1 - eps)), k);
  return (up - down) / (2 * eps);  // d KPI / d ln θ
}

}  // namespace

TEST_CASE("keylinks: steady-state KPIs agree with solve_steady_state") {
  for (const model& m : {salespipe::example_model(), loop_model()}) {
    const pipeline p(m);
    const auto ss = salespipe::analytic::solve_steady_state(p);
    for (std::size_t n = 0; n < p.node_count(); ++n) {
      const std::string id = p.node_id(n);
      CHECK(steady_kpi(p, kl::kpi_kind::entry_rate, id) == doctest::Approx(ss.entry_rate(n)).epsilon(1e-12));
      CHECK(steady_kpi(p, kl::kpi_kind::value_rate, id) == doctest::Approx(ss.value_rate).epsilon(1e-12));
      double G = 0, H = 0;
      for (std::size_t a = 0; a < p.stage_count(); ++a) {
        const double s = ss.stages[a].source_rate, g = ss.reach(a, n);
        if (s > 0 && g > 0) G += s * g, H += s * g * ss.time_to_reach(a, n);
      }
      const double ct = steady_kpi(p, kl::kpi_kind::cycle_time, id);
      if (G > 0)
        CHECK(ct == doctest::Approx(H / G).epsilon(1e-10));
      else
        CHECK(std::isnan(ct));
    }
  }
}

TEST_CASE("keylinks: analytic steady-state sensitivities match central finite differences") {
  // Tolerance: |analytic − FD| <= 1e-6 (|FD| + |KPI|) in d KPI / d ln θ; the FD (step 1e-5)
  // has truncation ~1e-10 and rounding ~1e-11 relative to the KPI.
  const pipeline f6 = salespipe_test::funnel6();
  const std::vector<std::pair<pipeline, std::vector<std::string>>> cases = {
      {pipeline(salespipe::example_model()), {"customer", "prospect", "churned", "lost"}},
      {pipeline(loop_model()), {"won", "qualified", "lead", "churned"}},
      {f6, {"Won", "Proposal"}}};
  std::size_t checked = 0;
  double worst = 0;
  for (const auto& [p, nodes] : cases) {
    const auto levers = kl::all_levers(p);
    REQUIRE(levers.size() >= 5);
    for (const auto& node : nodes)
      for (auto kind : {kl::kpi_kind::entry_rate, kl::kpi_kind::value_rate, kl::kpi_kind::cycle_time}) {
        kl::kpi_spec k;
        k.kind = kind;
        k.node = node;
        const auto t = kl::sensitivities(p, k);
        REQUIRE(t.rows.size() == levers.size());
        for (const auto& r : t.rows) {
          CHECK(r.how == kl::method::analytic);
          const double num = fd(p, k, r.lv, 1e-5);
          const double scale = std::abs(num) + std::abs(t.value);  // 0: a cycle time at a source stage
          const double err = scale > 0 ? std::abs(r.d_log - num) / scale : std::abs(r.d_log);
          worst = std::max(worst, err);
          CHECK_MESSAGE(err <= 1e-6, r.name << " " << kl::to_string(kind) << " at " << node << ": analytic " << r.d_log
                                            << " FD " << num);
          CHECK(r.d_log == doctest::Approx(r.derivative * r.parameter).epsilon(1e-12));
          ++checked;
        }
      }
  }
  MESSAGE("steady-state sensitivities checked: " << checked << ", worst relative error " << worst);
  CHECK(checked > 150);
}

TEST_CASE("keylinks: known elasticities of the built-in example") {
  const pipeline p(salespipe::example_model());
  kl::kpi_spec k;  // entry rate into the target 'customer' = 45 × 0.4 × 0.5 × 1/3 = 3
  const auto t = kl::sensitivities(p, k);
  CHECK(t.value == doctest::Approx(3).epsilon(1e-12));
  for (const auto& r : t.rows) {
    const bool on_path = r.name == "conversion:lead->qualified" || r.name == "conversion:qualified->prospect" ||
                         r.name == "conversion:prospect->customer" || r.name == "source:lead";
    CHECK_MESSAGE(r.elasticity == doctest::Approx(on_path ? 1.0 : 0.0).epsilon(1e-12), r.name);
  }
  // Cycle time lead → customer = 0.5 + 1.5 + 4 (means on the route that gets there; the
  // explicit lost route's duration does not count): d/dτ(prospect) = 1.
  k.kind = kl::kpi_kind::cycle_time;
  const auto c = kl::sensitivities(p, k, {kl::parse_lever(p, "duration:prospect")});
  CHECK(c.value == doctest::Approx(6).epsilon(1e-12));
  CHECK(c.rows[0].derivative == doctest::Approx(1).epsilon(1e-12));
}

TEST_CASE("keylinks: remainder-to-lost convention") {
  const pipeline p(salespipe::example_model());
  // Explicit lost route: qualified → prospect 0.5, → lost 0.5 (own duration kept).
  const auto l = kl::parse_lever(p, "conversion:qualified->prospect");
  const pipeline q(kl::scale_lever(p, l, 1.1));
  const auto& st = q.stage(q.index_of("qualified"));
  REQUIRE(st.routes.size() == 2);  // no implicit route appears
  CHECK(st.routes[0].p == doctest::Approx(0.55));
  CHECK(st.routes[1].to == "lost");
  CHECK(st.routes[1].p == doctest::Approx(0.45));
  CHECK(salespipe::mean(*st.routes[1].duration) == doctest::Approx(0.5));
  // Implicit remainder: prospect → customer 1/3, remainder 2/3 → 1 − 0.4.
  const pipeline r(kl::scale_lever(p, kl::parse_lever(p, "conversion:prospect->customer"), 1.2));
  const auto& ps = r.stage(r.index_of("prospect"));
  REQUIRE(ps.routes.size() == 2);
  CHECK(ps.routes[1].implicit);
  CHECK(ps.routes[1].p == doctest::Approx(0.6));
  // Stages whose routes sum to 1 without a lost route have no conversion levers.
  CHECK_THROWS_WITH_AS(kl::parse_lever(p, "conversion:customer->big_customer"), doctest::Contains("no route to 'lost'"),
                       salespipe::invalid_model);
  for (const auto& lv : kl::all_levers(p)) CHECK(lv.name() != "conversion:customer->big_customer");
}

TEST_CASE("keylinks: bad levers and probabilities outside [0, 1] name the lever and the value") {
  const pipeline p(salespipe::example_model());
  CHECK_THROWS_WITH_AS(kl::parse_lever(p, "conversion:prospekt->customer"),
                       doctest::Contains("unknown stage 'prospekt'"), salespipe::invalid_model);
  CHECK_THROWS_WITH_AS(kl::parse_lever(p, "conversion:prospect->nobody"), doctest::Contains("unknown node 'nobody'"),
                       salespipe::invalid_model);
  CHECK_THROWS_WITH_AS(kl::parse_lever(p, "speed:lead"), doctest::Contains("unknown lever kind 'speed'"),
                       salespipe::invalid_model);
  CHECK_THROWS_WITH_AS(kl::parse_lever(p, "value:lead"), doctest::Contains("no on_enter value"),
                       salespipe::invalid_model);
  CHECK_THROWS_WITH_AS(kl::parse_lever(p, "source:prospect"), doctest::Contains("no source"), salespipe::invalid_model);
  const auto l = kl::parse_lever(p, "conversion:qualified->prospect");
  CHECK_THROWS_WITH_AS(kl::scale_lever(p, l, 2.5), doctest::Contains("conversion:qualified->prospect"),
                       salespipe::invalid_model);
  CHECK_THROWS_WITH_AS(kl::scale_lever(p, l, 2.5), doctest::Contains("= 1.25 is outside [0, 1]"),
                       salespipe::invalid_model);
  // p itself within [0, 1] but the remainder would go negative.
  model m;
  m.add_stage("a", salespipe::exponential_dist(1)).to("x", 0.6).to("y", 0.3);
  m.add_outcome("x");
  m.add_outcome("y");
  m.add_source("a", 1);
  const pipeline pm(m);
  CHECK_THROWS_WITH_AS(kl::scale_lever(pm, kl::parse_lever(pm, "conversion:a->x"), 1.5),
                       doctest::Contains("leaves -0.2 for the route to 'lost'"), salespipe::invalid_model);
  kl::ranking_options o;
  o.change = 0.5;
  CHECK_THROWS_WITH_AS(kl::rank_levers(pm, kl::kpi_spec{kl::kpi_kind::entry_rate, "x", {}, {}, 0, {}}, o),
                       doctest::Contains("lever 'conversion:a->x' x1.5"), salespipe::invalid_model);
  kl::kpi_spec k;
  k.node = "nobody";
  CHECK_THROWS_WITH_AS(kl::evaluate(p, k), doctest::Contains("unknown node 'nobody'"), salespipe::invalid_model);
}

namespace {

// An acyclic model with every duration family, a route override, fixed and empirical
// durations off the lattice points, on_take values, rewards and open deals of several ages.
model families_model() {
  using namespace salespipe;
  model m;
  m.name = "families";
  m.add_stage("a", uniform_dist(0.3, 1.9)).to("b", 0.6).to("c", 0.3, fixed_dist(0.61)).reward(10);
  m.add_stage("b", empirical_dist({0.37, 1.13, 2.71, 0.52})).to("won", 0.7).on_take(gamma_dist::with_mean(2, 100));
  m.add_stage("c", lognormal_dist::with_mean_sd(1.4, 0.9)).to("won", 0.5, weibull_dist(1.7, 1.1));
  m.add_outcome("won").value_on_enter(gamma_dist::with_mean(3, 1000));
  m.add_source("a", 6);
  m.add_open("a", {0.2, 1.05});
  m.add_open("b", 2, 0.9);
  m.add_open("c", {0.4, 2.3});
  return m;
}

// The loop model with open deals in every stage.
model loop_model_open() {
  model m = loop_model();
  m.add_open("lead", {0.0, 0.9});
  m.add_open("qualified", {0.3, 1.1, 2.5});
  m.add_open("nurture", 2, 0.8);
  m.add_open("account", 1, 4.0);
  return m;
}

}  // namespace

TEST_CASE("keylinks: forecast derivatives are the exact derivatives of the analytic::forecast (central differences)") {
  // Every per-period flow of forecast_derivatives() against central differences of forecast()
  // in the lever's relative size (step 1e-4: truncation ~1e-8, FFT rounding ~1e-9 relative),
  // for every conversion and duration lever of three models: with loops (time-stepping),
  // without (FFT at 24 steps), open deals in the levers' stages. Tolerance 1e-6 relative
  // to the flow's largest value.
  struct item {
    model m;
    std::size_t periods, steps;
  };
  double worst_rel = 0;
  std::size_t checks = 0;
  for (const item& it :
       {item{loop_model_open(), 8, 6}, item{families_model(), 6, 8}, item{salespipe::example_model(), 10, 24}}) {
    const pipeline p(it.m);
    salespipe::analytic::forecast_options o;
    o.steps_per_period = it.steps;
    const auto base = salespipe::analytic::forecast(p, it.periods, o);
    std::vector<kl::lever> ls;
    std::vector<salespipe::analytic::forecast_direction> dirs;
    for (const auto& l : kl::all_levers(p)) {
      if (l.kind != kl::lever_kind::conversion && l.kind != kl::lever_kind::duration) continue;
      auto d = salespipe::analytic::zero_forecast_direction(p);
      if (l.kind == kl::lever_kind::duration) {
        d.dscale[l.stage_node] = 1;
      } else {  // d/d ln p: the derivative times p
        const double pr = kl::lever_value(p, l);
        d.dp[salespipe::analytic::route_number(p, l.stage_node, l.route)] = pr;
        d.dp[salespipe::analytic::route_number(p, l.stage_node, l.lost_route)] = -pr;
      }
      ls.push_back(l);
      dirs.push_back(d);
    }
    REQUIRE(ls.size() >= 5);
    const auto ds = salespipe::analytic::forecast_derivatives(p, it.periods, dirs, o);
    const double eps = 1e-4;
    for (std::size_t i = 0; i < ls.size(); ++i) {
      const auto up = salespipe::analytic::forecast(pipeline(kl::scale_lever(p, ls[i], 1 + eps)), it.periods, o);
      const auto down = salespipe::analytic::forecast(pipeline(kl::scale_lever(p, ls[i], 1 - eps)), it.periods, o);
      const auto& d = ds[i];
      auto compare = [&](const char* what, auto f) {
        double ref = 0, worst = 0;
        for (std::size_t k = 0; k < it.periods; ++k) ref = std::max(ref, std::abs(f(base, k)));
        for (std::size_t k = 0; k < it.periods; ++k) {
          const double num = (f(up, k) - f(down, k)) / (2 * eps);
          worst = std::max(worst, std::abs(f(d, k) - num));
        }
        if (ref > 0) worst_rel = std::max(worst_rel, worst / ref);
        ++checks;
        CHECK_MESSAGE(worst <= 1e-6 * ref + 1e-12,
                      it.m.name << " " << ls[i].name() << " " << std::string(what) << ": " << worst << " vs " << ref);
      };
      for (std::size_t v = 0; v < p.node_count(); ++v) {
        compare("entries",
                [&](const salespipe::analytic::forecast_result& f, std::size_t k) { return f.entries(v, k); });
        compare("taken_into",
                [&](const salespipe::analytic::forecast_result& f, std::size_t k) { return f.taken_into(v, k); });
        for (std::size_t c = 0; c < base.open_classes().size(); ++c)
          compare("open class", [&](const salespipe::analytic::forecast_result& f, std::size_t k) {
            return f.open_classes()[c].prob[v][k];
          });
      }
      for (std::size_t s = 0; s < p.stage_count(); ++s) {
        compare("wip", [&](const salespipe::analytic::forecast_result& f, std::size_t k) { return f.wip(s, k); });
        compare("time",
                [&](const salespipe::analytic::forecast_result& f, std::size_t k) { return f.time_in_stage(s, k); });
        compare("reward", [&](const salespipe::analytic::forecast_result& f, std::size_t k) { return f.reward(s, k); });
      }
      compare("total value",
              [&](const salespipe::analytic::forecast_result& f, std::size_t k) { return f.total_value(k); });
    }
  }
  MESSAGE(checks << " flows compared, worst error relative to the flow's largest value " << worst_rel);
}

TEST_CASE("keylinks: forecast KPI sensitivities are exact for every lever (central differences)") {
  // Source and value levers (on_enter, on_take, reward) by linearity, conversions and
  // durations by forecast derivatives; each against a central difference (step 1e-5) of
  // the KPI, 1e-6 relative. p_hit of the built-in example with open deals added, so its
  // count is Poisson-binomial; the families model has on_take values and a reward.
  model ex = salespipe::example_model();
  ex.add_open("prospect", {0.5, 1.5, 2.5, 3.5, 0.5});
  ex.add_open("qualified", 3, 1.0);
  for (const model& m : {ex, families_model()}) {
    const pipeline p(m);
    for (auto kind : {kl::kpi_kind::window_value, kl::kpi_kind::p_hit}) {
      kl::kpi_spec k;
      k.kind = kind;
      k.window = {0, 6};
      k.forecast.steps_per_period = 16;
      if (!p.target()) k.node = "won", k.goal = 20;
      const auto t = kl::sensitivities(p, k);
      REQUIRE(t.rows.size() >= 7);
      for (const auto& r : t.rows) {
        const bool linear = r.lv.kind != kl::lever_kind::conversion && r.lv.kind != kl::lever_kind::duration;
        CHECK(r.how == (linear ? kl::method::linear_scaling : kl::method::analytic));
        const double num = fd(p, k, r.lv, 1e-5);
        CHECK_MESSAGE(r.d_log == doctest::Approx(num).epsilon(1e-6).scale(1e-9 * std::abs(t.value)),
                      m.name << " " << r.name << " " << kl::to_string(kind) << " " << r.d_log << " vs " << num);
      }
    }
  }
}

TEST_CASE("keylinks: on_take and reward levers") {
  const pipeline p(families_model());
  const auto take = kl::parse_lever(p, "value:b->won");
  CHECK(take.kind == kl::lever_kind::take);
  CHECK(take.name() == "value:b->won");
  CHECK(kl::lever_value(p, take) == doctest::Approx(100));
  const auto reward = kl::parse_lever(p, "reward:a");
  CHECK(kl::lever_value(p, reward) == doctest::Approx(10));
  CHECK(kl::lever_value(pipeline(kl::scale_lever(p, take, 1.5)), take) == doctest::Approx(150));
  CHECK(kl::lever_value(pipeline(kl::scale_lever(p, reward, 0.5)), reward) == doctest::Approx(5));
  const auto all = kl::all_levers(p);
  CHECK(std::count_if(all.begin(), all.end(), [](const kl::lever& l) { return l.kind == kl::lever_kind::take; }) == 1);
  CHECK(std::count_if(all.begin(), all.end(), [](const kl::lever& l) { return l.kind == kl::lever_kind::reward; }) ==
        1);
  // Steady value rate: d/d(take mean) = rate of the route, d/d(reward) = λ_a τ_a.
  kl::kpi_spec v;
  v.kind = kl::kpi_kind::value_rate;
  const auto t = kl::sensitivities(p, v, {take, reward});
  const auto ss = salespipe::analytic::solve_steady_state(p);
  CHECK(t.rows[0].derivative == doctest::Approx(ss.entry_rate(1) * 0.7).epsilon(1e-12));  // λ_b · p(b→won)
  const double tau_a = 0.6 * 1.1 + 0.3 * 0.61 + 0.1 * 1.1;  // routes: b (uniform), c (fixed), lost (uniform)
  CHECK(t.rows[1].derivative == doctest::Approx(ss.entry_rate(0) * tau_a).epsilon(1e-12));
  CHECK_THROWS_WITH_AS(kl::parse_lever(p, "value:a->b"), doctest::Contains("has no on_take value"),
                       salespipe::invalid_model);
  CHECK_THROWS_WITH_AS(kl::parse_lever(p, "reward:b"), doctest::Contains("stage 'b' has no reward rate"),
                       salespipe::invalid_model);
  CHECK_THROWS_WITH_AS(kl::parse_lever(p, "value:a->nowhere"), doctest::Contains("unknown node 'nowhere'"),
                       salespipe::invalid_model);
}

TEST_CASE("keylinks: window derivatives far from time 0 approach the steady-state ones") {
  // funnel6 reaches its steady state within ~2 years; window [24, 30) with no open deals:
  // window value / 6 ≈ value rate and the same for their derivatives (tolerance 0.5%: the
  // forecast's lattice error and the remaining transient).
  const pipeline p = salespipe_test::funnel6();
  kl::kpi_spec w;
  w.kind = kl::kpi_kind::window_value;
  w.window = {24, 30};
  w.forecast.steps_per_period = 16;
  kl::kpi_spec v;
  v.kind = kl::kpi_kind::value_rate;
  std::vector<kl::lever> ls = {kl::parse_lever(p, "conversion:Opportunity->Proposal"),
                               kl::parse_lever(p, "conversion:Lead->MQL"), kl::parse_lever(p, "source:Lead")};
  const auto tw = kl::sensitivities(p, w, ls);
  const auto tv = kl::sensitivities(p, v, ls);
  CHECK(tw.value / 6 == doctest::Approx(tv.value).epsilon(5e-3));
  for (std::size_t i = 0; i < ls.size(); ++i)
    CHECK_MESSAGE(tw.rows[i].d_log / 6 == doctest::Approx(tv.rows[i].d_log).epsilon(5e-3), ls[i].name());
}

TEST_CASE("keylinks: tornado ranking of the built-in example") {
  const pipeline p(salespipe::example_model());
  kl::kpi_spec k;  // entry rate into 'customer'
  const auto r = kl::rank_levers(p, k);
  REQUIRE(r.rows.size() == kl::all_levers(p).size());
  for (std::size_t i = 0; i < 4; ++i) {  // the 3 conversions and the source: +10% → +0.3
    CHECK(r.rows[i].effect == doctest::Approx(0.3).epsilon(1e-10));
    CHECK(r.rows[i].linear == doctest::Approx(0.3).epsilon(1e-10));
    CHECK_FALSE(r.rows[i].negligible);
  }
  for (std::size_t i = 4; i < r.rows.size(); ++i) {  // durations and the value: no effect on the rate
    CHECK(std::abs(r.rows[i].effect) < 1e-12);
    CHECK(r.rows[i].negligible);
  }
  // Value in the next 12 months: durations matter (lag); sorted by |effect|; the linear
  // estimate is within 15% of the exact effect for a 10% change.
  k.kind = kl::kpi_kind::window_value;
  const auto w = kl::rank_levers(p, k);
  for (std::size_t i = 1; i < w.rows.size(); ++i) CHECK(std::abs(w.rows[i - 1].effect) >= std::abs(w.rows[i].effect));
  for (const auto& row : w.rows) {
    MESSAGE(row.name << ": effect " << row.effect << " linear " << row.linear);
    CHECK(std::abs(row.effect - row.linear) <= 0.15 * std::abs(row.effect) + 1e-9 * std::abs(w.value));
  }
  CHECK(w.rows.front().effect > 0);
}

TEST_CASE("keylinks: the tornado is two-sided: the opposite change re-solved exactly") {
  const pipeline p(salespipe::example_model());
  kl::kpi_spec k;  // entry rate into 'customer': linear in each conversion and the source
  const auto r = kl::rank_levers(p, k);
  for (const auto& row : r.rows) {
    CAPTURE(row.name);
    const double f = 1 - row.lv.improving_sign() * r.options.change;
    CHECK(row.kpi_worse == kl::evaluate(salespipe::with(p, row.lv, f), k));
    CHECK(row.effect_worse == row.kpi_worse - r.value);
  }
  for (std::size_t i = 0; i < 4; ++i) CHECK(r.rows[i].effect_worse == doctest::Approx(-0.3).epsilon(1e-10));
  // One-sided rankings leave the other side NaN.
  kl::ranking_options one;
  one.two_sided = false;
  for (const auto& row : kl::rank_levers(p, k, one).rows) CHECK(std::isnan(row.effect_worse));
  // The improving side is still checked first: a change outside [0, 1] is refused.
  salespipe::model m;
  m.add_stage("a", salespipe::exponential_dist(1)).to("won", 0.5).to("lost", 0.05);
  m.add_outcome("won");
  m.add_outcome("lost");
  m.add_source("a", 10);
  const pipeline q(m);
  kl::kpi_spec kw;
  kw.node = "won";
  kl::ranking_options big;
  big.change = 0.5;  // improving: 0.5 → 0.75 takes 0.25 from a lost route of 0.05: refused
  CHECK_THROWS_AS(kl::rank_levers(q, kw, big), salespipe::invalid_model);
}

TEST_CASE("keylinks: scenarios on both engines; common random numbers shrink the paired SE") {
  const model m = salespipe::example_model();
  kl::kpi_spec k;
  k.kind = kl::kpi_kind::window_value;
  k.window = {0, 12};
  salespipe::simulate::options sim;
  sim.replications = 200;
  sim.seed = 11;
  const std::vector<kl::scenario> scs = {
      {"+20% win rate", {kl::change::scale_probability("prospect", "customer", 1.2)}},
      {"faster prospects, more leads",
       {kl::change::scale_duration("prospect", 0.8), kl::change::scale_source("lead", 1.5, 3),
        kl::change::add_open("prospect", 10, 1.0)}}};
  const auto c = kl::compare_scenarios(m, scs, k, sim);
  REQUIRE(c.scenarios.size() == 2);
  // The simulated base agrees with the exact forecast within 4 SE.
  CHECK(std::abs(c.base_sim_mean - c.base_analytic) < 4 * c.base_sim_se);
  // A run of the scenario with another seed: the independent difference, for comparison.
  salespipe::simulate::options other = sim;
  other.seed = 12;
  other.chunk_size = 1;
  salespipe::simulate::options same = sim;
  same.chunk_size = 1;  // what compare_scenarios uses
  for (std::size_t i = 0; i < scs.size(); ++i) {
    const auto& o = c.scenarios[i];
    MESSAGE(o.name << ": exact diff " << o.diff_analytic << ", paired " << o.diff_sim_mean << " ± " << o.diff_sim_se
                   << ", independent SE " << o.diff_se_independent);
    CHECK(o.diff_analytic > 0);
    CHECK(std::abs(o.diff_sim_mean - o.diff_analytic) < 4 * o.diff_sim_se);
    // Measured (200 replications, seed 11): paired SE / independent SE = 0.38 for the win
    // rate (only the prospect stage onward changes), 0.77 when the lead inflow changes too
    // (the extra arrivals shift the random stream of every later stage).
    CHECK(o.diff_sim_se < (i == 0 ? 0.5 : 0.9) * o.diff_se_independent);
    const auto xs = kl::simulated_kpi(pipeline(kl::apply(m, scs[i])), k, other);
    const auto xb = kl::simulated_kpi(pipeline(m), k, same);
    double mean = 0, ss = 0;
    for (std::size_t r = 0; r < xs.size(); ++r) mean += xs[r] - xb[r];
    mean /= static_cast<double>(xs.size());
    for (std::size_t r = 0; r < xs.size(); ++r) ss += (xs[r] - xb[r] - mean) * (xs[r] - xb[r] - mean);
    const double se_indep = std::sqrt(ss / static_cast<double>(xs.size() - 1) / static_cast<double>(xs.size()));
    CHECK(o.diff_sim_se < (i == 0 ? 0.5 : 0.9) * se_indep);
  }
  // Bad scenarios name the scenario, the change and the value.
  CHECK_THROWS_WITH_AS(
      kl::apply(m, {"too good", {kl::change::set_probability("prospect", "customer", 1.5)}}),
      doctest::Contains("scenario 'too good', change 0: p(prospect->customer) = 1.5 is outside [0, 1]"),
      salespipe::invalid_model);
  CHECK_THROWS_WITH_AS(kl::apply(m, {"typo", {kl::change::scale_duration("prospekt", 0.9)}}),
                       doctest::Contains("scenario 'typo', change 0"), salespipe::invalid_model);
  const pipeline set(kl::apply(
      m, {"set",
          {kl::change::set_probability("qualified", "prospect", 0.6), kl::change::set_source_rate("lead", 50, 6)}}));
  CHECK(set.stage(1).routes[0].p == doctest::Approx(0.6));
  CHECK(set.stage(1).routes[1].p == doctest::Approx(0.4));  // explicit lost route gave the mass
  CHECK(set.sources()[0].rate_at(7) == doctest::Approx(50));
  CHECK(set.sources()[0].rate_at(13) == doctest::Approx(50));  // the later change is dropped
  CHECK(set.sources()[0].rate_at(1) == doctest::Approx(45));
}

namespace {

model three_sources() {
  using namespace salespipe;
  model m;
  m.add_stage("a", exponential_dist(1)).to("c", 0.5);
  m.add_stage("b", exponential_dist(2)).to("c", 0.3);
  m.add_stage("c", exponential_dist(1)).to("won", 0.4);
  m.add_stage("d", exponential_dist(3)).to("won", 0.2);
  m.add_outcome("won");
  m.add_source("a", 10);
  m.add_source("b", 8);
  m.add_source("d", 5);
  return m;
}

// Best KPI over all allocations of `units` increments of `step` (brute force).
double brute_force(const pipeline& p, const kl::kpi_spec& k, const std::vector<kl::budget_lever>& ls, int units,
                   double step) {
  double best = -1e300;
  std::vector<double> x(ls.size());
  for (int i = 0; i <= units; ++i)
    for (int j = 0; i + j <= units; ++j) {
      const int rest = units - i - j;
      x[0] = ls[0].current + i * step;
      x[1] = ls[1].current + j * step;
      x[2] = ls[2].current + rest * step;
      best = std::max(best, kl::evaluate(pipeline(kl::model_at_spend(p, ls, x)), k));
    }
  return best;
}

}  // namespace

TEST_CASE("keylinks: greedy allocation is exact for separable concave returns (brute force)") {
  const pipeline p(three_sources());
  kl::kpi_spec k;
  k.node = "won";  // entry rate: linear in each source rate → separable
  const std::vector<kl::budget_lever> ls = {
      {"source:a", 0, kl::cost_curve::saturating(10, 0.5)},
      {"source:b", 0, kl::cost_curve::piecewise_linear({{5, 0.2}, {10, 0.3}, {20, 0.35}})},
      {"source:d", 0, kl::cost_curve::saturating(4, 0.8)}};
  kl::allocation_options o;
  o.step = 1;
  for (int budget : {5, 12, 20}) {
    const auto a = kl::allocate_budget(p, k, ls, budget, o);
    const double bf = brute_force(p, k, ls, budget, 1.0);
    CHECK(a.optimum == doctest::Approx(bf).epsilon(1e-12));
    CHECK(a.spent == doctest::Approx(budget));
    // Marginal value = the gain of the next increment, which is what a budget one step
    // larger adds (greedy is exact here).
    const auto a1 = kl::allocate_budget(p, k, ls, budget + 1, o);
    CHECK(a1.optimum - a.optimum == doctest::Approx(a.marginal_value * 1.0).epsilon(1e-9));
    CHECK(a.marginal_value > 0);
  }
}

TEST_CASE("keylinks: greedy on interacting levers, withdrawal, bad budgets and curves") {
  const pipeline p(salespipe::example_model());
  kl::kpi_spec k;  // entry rate into 'customer': conversions in series multiply (not separable)
  const std::vector<kl::budget_lever> ls = {
      {"conversion:lead->qualified", 0, kl::cost_curve::saturating(6, 0.5)},
      {"conversion:prospect->customer", 2, kl::cost_curve::piecewise_linear({{4, 0.3}, {12, 0.5}})},
      {"duration:prospect", 3, kl::cost_curve::saturating(2, 0.4)}};
  kl::allocation_options o;
  o.step = 1;
  o.withdraw_loss = 0.01;
  const auto a = kl::allocate_budget(p, k, ls, 10, o);
  const double bf = brute_force(p, k, ls, 10, 1.0);
  MESSAGE("interacting levers: greedy " << a.optimum << ", brute force " << bf << ", base " << a.base);
  CHECK(a.optimum <= bf + 1e-12);
  CHECK(a.optimum - a.base >= 0.99 * (bf - a.base));  // measured: the same optimum here
  CHECK(a.levers[2].extra == 0);                      // a shorter duration does not move the entry rate
  CHECK(a.levers[2].withdrawable);                    // so its current spend can go, at no loss
  CHECK(a.levers[2].withdraw_loss == doctest::Approx(0).scale(1e-12));
  CHECK_FALSE(a.levers[1].withdrawable);  // the win-rate spend cannot
  CHECK(a.levers[1].withdraw_loss > 0.01 * a.base);
  CHECK_FALSE(a.levers[0].withdrawable);  // nothing spent now

  CHECK_THROWS_WITH_AS(kl::allocate_budget(p, k, ls, -1, o), doctest::Contains("budget must be >= 0, got -1"),
                       salespipe::invalid_option);
  auto bad = ls;
  bad[1].curve = kl::cost_curve::piecewise_linear({{4, 0.3}, {12, 0.2}});
  CHECK_THROWS_WITH_AS(kl::allocate_budget(p, k, bad, 10, o),
                       doctest::Contains("lever 'conversion:prospect->customer': cost curve is not increasing"),
                       salespipe::invalid_model);
  bad[1].curve = kl::cost_curve::piecewise_linear({{4, 0.1}, {8, 0.5}});
  CHECK_THROWS_WITH_AS(kl::allocate_budget(p, k, bad, 10, o), doctest::Contains("is not concave"),
                       salespipe::invalid_model);
  bad[1].curve = kl::cost_curve::saturating(3, -0.2);
  CHECK_THROWS_WITH_AS(kl::allocate_budget(p, k, bad, 10, o), doctest::Contains("is not increasing"),
                       salespipe::invalid_model);
  bad[1] = {"conversion:prospect->custmer", 0, kl::cost_curve::saturating(3, 0.2)};
  CHECK_THROWS_WITH_AS(kl::allocate_budget(p, k, bad, 10, o), doctest::Contains("unknown node 'custmer'"),
                       salespipe::invalid_model);
  // A budget that would push a probability above 1 names the lever and the value.
  const std::vector<kl::budget_lever> big = {{"conversion:prospect->customer", 0, kl::cost_curve::saturating(1, 5)}};
  CHECK_THROWS_WITH_AS(kl::allocate_budget(p, k, big, 10, o), doctest::Contains("is outside [0, 1]"),
                       salespipe::invalid_model);
}
