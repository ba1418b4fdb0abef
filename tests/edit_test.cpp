// The model-editing vocabulary (edit.hpp): parameters resolved once to indices, value(),
// with() by index with one validation, scaled() on every distribution, and the builders on a
// plain model. Key links, scenarios and budgets are layers over it (keylinks_test.cpp).
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include <salespipe/analytic/steady_state.hpp>
#include <salespipe/edit.hpp>
#include <salespipe/example_model.hpp>

using salespipe::find_parameter;
using salespipe::parameter_kind;
using salespipe::pipeline;
using salespipe::value;
using salespipe::with;

TEST_CASE("edit: every parameter's name resolves back to the same indices") {
  const pipeline p(salespipe::example_model());
  const auto all = salespipe::all_parameters(p);
  std::vector<std::string> names;
  for (const auto& x : all) {
    const auto y = find_parameter(p, x.name());
    CHECK(y.kind == x.kind);
    CHECK(y.stage_node == x.stage_node);
    CHECK(y.node == x.node);
    CHECK(y.route == x.route);
    CHECK(y.lost_route == x.lost_route);
    names.push_back(x.name());
  }
  // In model order by kind; "prospect" has only the implicit remainder, "customer" none.
  const std::vector<std::string> expected = {"conversion:lead->qualified",
                                             "conversion:qualified->prospect",
                                             "conversion:prospect->customer",
                                             "duration:lead",
                                             "duration:qualified",
                                             "duration:prospect",
                                             "duration:customer",
                                             "duration:big_customer",
                                             "source:lead",
                                             "value:customer",
                                             "reward:customer",
                                             "reward:big_customer"};
  CHECK(names == expected);
  const auto win = find_parameter(p, "conversion:qualified->prospect");
  CHECK(win.stage_node == 1);
  CHECK(win.node == 2);
  CHECK(win.route == 0);
  CHECK(win.lost_route == 1);  // the explicit route to lost gives the mass
}

TEST_CASE("edit: value() and with() on every kind, by index, the remainder to lost adjusting") {
  const pipeline p(salespipe::example_model());
  auto scaled_by = [&](const std::string& name, double f) {
    const auto x = find_parameter(p, name);
    return value(with(p, x, f), x) / value(p, x);
  };
  for (const char* name : {"conversion:lead->qualified", "conversion:qualified->prospect", "duration:prospect",
                           "duration:qualified", "source:lead", "value:customer", "reward:customer"})
    CHECK(scaled_by(name, 1.25) == doctest::Approx(1.25));

  // Explicit lost route: p(qualified → prospect) 0.5 → 0.6 takes 0.1 from the route to lost.
  const auto conv = find_parameter(p, "conversion:qualified->prospect");
  const pipeline q = with(p, conv, 1.2);
  CHECK(q.stage(1).routes[0].p == doctest::Approx(0.6));
  CHECK(q.stage(1).routes[1].p == doctest::Approx(0.4));
  CHECK(q.stage(1).routes.size() == 2);  // no implicit remainder appears
  // Implicit remainder: lead → qualified 0.4 → 0.5, the remainder 0.5.
  const pipeline r = with(p, find_parameter(p, "conversion:lead->qualified"), 1.25);
  CHECK(r.stage(0).routes.back().implicit);
  CHECK(r.stage(0).routes.back().p == doctest::Approx(0.5));
  // Durations: shape kept, every route's override scaled with the stage (qualified → lost).
  const pipeline d = with(p, find_parameter(p, "duration:qualified"), 2);
  CHECK(mean(d.stage(1).duration) == doctest::Approx(3));
  CHECK(mean(*d.stage(1).routes[1].duration) == doctest::Approx(1));
  CHECK(d.stage(1).duration.get_if<salespipe::gamma_dist>()->shape == doctest::Approx(2));
  // Sources: the whole schedule.
  const pipeline s = with(p, find_parameter(p, "source:lead"), 2);
  CHECK(s.sources()[0].rate_at(0) == doctest::Approx(90));
  CHECK(s.sources()[0].rate_at(12) == doctest::Approx(135));
  CHECK(value(s, find_parameter(s, "source:lead"), 12) == doctest::Approx(135));
}

TEST_CASE("edit: several changes in one copy equal the changes one by one, bit for bit") {
  const pipeline p(salespipe::example_model());
  std::vector<salespipe::parameter_change> changes;
  double f = 1.01;
  for (const auto& x : salespipe::all_parameters(p)) changes.push_back({x, f += 0.01});
  const pipeline once = with(p, changes);
  pipeline step = p;
  for (const auto& c : changes) step = with(step, c.what, c.factor);
  const auto a = salespipe::analytic::solve_steady_state(once);
  const auto b = salespipe::analytic::solve_steady_state(step);
  for (std::size_t s = 0; s < a.stage_count(); ++s) {
    CHECK(a.stages[s].entry_rate == b.stages[s].entry_rate);
    CHECK(a.stages[s].wip == b.stages[s].wip);
    CHECK(a.stages[s].value_rate == b.stages[s].value_rate);
  }
  CHECK(a.value_rate == b.value_rate);
  // Every parameter moved by its factor; a duration's mean time per visit Σ p_r E[T_r] also
  // moves with its stage's conversions, so durations are checked on their stage's mean.
  for (const auto& c : changes) {
    CAPTURE(c.what.name());
    if (c.what.kind == parameter_kind::duration)
      CHECK(mean(once.stage(c.what.stage_node).duration) ==
            doctest::Approx(mean(p.stage(c.what.stage_node).duration) * c.factor));
    else
      CHECK(value(once, c.what) == doctest::Approx(value(p, c.what) * c.factor));
  }
}

TEST_CASE("edit: bad changes are refused, naming the lever and the value; the model is unchanged") {
  const pipeline p(salespipe::example_model());
  const auto conv = find_parameter(p, "conversion:qualified->prospect");
  CHECK_THROWS_WITH_AS(with(p, conv, 2.5),
                       "lever 'conversion:qualified->prospect' x2.5: p(qualified->prospect) = 1.25 is outside [0, 1]",
                       salespipe::invalid_model);
  CHECK_THROWS_WITH_AS(with(p, conv, -1), "lever 'conversion:qualified->prospect' x-1: the factor must be >= 0",
                       salespipe::invalid_model);
  CHECK_THROWS_WITH_AS(with(p, find_parameter(p, "duration:lead"), 0),
                       "lever 'duration:lead' x0: the factor must be > 0", salespipe::invalid_model);
  CHECK_THROWS_WITH_AS(with(p, conv, std::nan("")), doctest::Contains("the factor must be >= 0"),
                       salespipe::invalid_model);
  salespipe::model m = p.model();
  CHECK_THROWS_AS(salespipe::scale_in_place(m, conv, 2.5), salespipe::invalid_model);
  CHECK(m.stages[1].routes[0].p == 0.5);
  // The lost route cannot give more than it has: with 0.1 on the explicit route to lost,
  // 0.5 → 0.75 would leave it -0.15 (the implicit remainder is not taken from).
  salespipe::model two = salespipe::example_model();
  two.stages[1].routes[1].p = 0.1;  // qualified: prospect 0.5, lost 0.1, remainder 0.4 to lost
  const pipeline pt(two);
  CHECK_THROWS_WITH_AS(with(pt, find_parameter(pt, "conversion:qualified->prospect"), 1.5),
                       doctest::Contains("leaves -0.15 for the route to 'lost', outside [0, 1]"),
                       salespipe::invalid_model);
  // Names: unknown kind, stage and node, with a suggestion.
  CHECK_THROWS_WITH_AS(find_parameter(p, "duration:prospekt"),
                       "lever 'duration:prospekt': unknown stage 'prospekt' (did you mean 'prospect'?)",
                       salespipe::invalid_model);
  CHECK_THROWS_WITH_AS(find_parameter(p, "conversion:customer"),
                       "lever 'conversion:customer': expected conversion:STAGE->NODE", salespipe::invalid_model);
  CHECK_THROWS_WITH_AS(find_parameter(p, "reward:lost"), "lever 'reward:lost': 'lost' is an outcome, not a stage",
                       salespipe::invalid_model);
}

TEST_CASE("edit: scaled() multiplies the mean of every distribution and keeps its shape") {
  using namespace salespipe;
  const std::vector<distribution> ds = {
      exponential_dist(2), gamma_dist::with_mean(3, 4), lognormal_dist::with_mean_sd(5, 2), weibull_dist(1.5, 3),
      fixed_dist(2),       uniform_dist(1, 3),          empirical_dist({1, 2, 4})};
  for (const auto& d : ds) {
    CAPTURE(d.kind());
    const distribution s = scaled(d, 1.5);
    CHECK(s.kind() == d.kind());
    CHECK(mean(s) == doctest::Approx(1.5 * mean(d)));
    CHECK(variance(s) == doctest::Approx(1.5 * 1.5 * variance(d)));  // a change of scale
  }
  CHECK_THROWS_WITH_AS(scaled(exponential_dist(1), 0), doctest::Contains("factor must be > 0"), invalid_option);
}

TEST_CASE("edit: restrictions for the exact sensitivities, by index") {
  using namespace salespipe;
  model m = example_model();
  m.add_stage("partner", exponential_dist(1)).to("prospect", 0.5);
  m.add_source("partner", 5);
  const pipeline p(m);
  const pipeline alone(only_sources_into(p, *p.find("partner")));
  CHECK(alone.sources().size() == 1);
  CHECK(alone.sources()[0].stage == "partner");
  CHECK(alone.open_pipeline().empty());

  model t = example_model();
  t.stages[2].routes[0].on_take = fixed_dist(100);
  const pipeline pt(t);
  const pipeline take(only_take_of(pt, find_parameter(pt, "value:prospect->customer")));
  CHECK(take.stage(2).routes[0].on_take.has_value());
  CHECK_FALSE(take.stage(3).on_enter.has_value());
  CHECK(take.stage(3).reward_rate == 0);
}
