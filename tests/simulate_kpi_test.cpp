// KPIs on Monte Carlo results: the built-in KPI types against the analytic engine
// (within 4 standard errors), and a user KPI through per_replication.
#include <doctest/doctest.h>

#include <cmath>

#include <salespipe/analytic/kpi.hpp>
#include <salespipe/analytic/steady_state.hpp>
#include <salespipe/funnel.hpp>
#include <salespipe/kpi.hpp>
#include <salespipe/simulate/engine.hpp>
#include <salespipe/simulate/kpi.hpp>

namespace my {
// Share of replications whose won value over the horizon reaches `threshold`.
struct big_run {
  double threshold;
};
inline double per_replication(const big_run& k, const salespipe::simulate::results& r, std::size_t rep) {
  const double* v = r.row(salespipe::simulate::quantity::value, r.node_index("won"), rep);
  double s = 0;
  for (std::size_t t = 0; t < r.periods(); ++t) s += v[t];
  return s >= k.threshold ? 1.0 : 0.0;
}
}  // namespace my

using namespace salespipe;
namespace sim = salespipe::simulate;

TEST_CASE("KPIs on simulation results agree with the analytic ones") {
  const pipeline p = funnel("f")
                         .stage("lead", 0.5, exponential_dist(0.5))
                         .stage("deal", 0.4, gamma_dist::with_mean(2, 1))
                         .outcome("won")
                         .value(fixed_dist(1000))
                         .inflow(50)
                         .build();
  const auto ss = analytic::solve_steady_state(p);
  sim::options o;
  o.periods = 20;
  o.replications = 200;
  o.seed = 4;
  const auto r = sim::run(p, o);
  const sim::window w{8, 20};
  auto near = [](sim::mc_estimate e, double exact) {
    INFO(e.value << " ± " << e.standard_error << " vs " << exact);
    CHECK(e.standard_error > 0);
    CHECK(std::fabs(e.value - exact) <= 4 * e.standard_error);
  };
  near(sim::evaluate(kpi::throughput{"won"}, r, w), kpi::evaluate(kpi::throughput{"won"}, ss));
  near(sim::evaluate(kpi::wip{"deal"}, r, w), kpi::evaluate(kpi::wip{"deal"}, ss));
  near(sim::evaluate(kpi::wip{""}, r, w), kpi::evaluate(kpi::wip{""}, ss));
  near(sim::evaluate(kpi::value_rate{"won"}, r, w), kpi::evaluate(kpi::value_rate{"won"}, ss));
  static_assert(is_kpi_v<kpi::throughput, sim::results>);
  static_assert(is_kpi_v<my::big_run, sim::results>);
  const auto whole = evaluate(kpi::throughput{"won"}, r);             // by ADL, whole horizon
  CHECK(whole.value < evaluate(kpi::throughput{"won"}, r, w).value);  // includes the ramp-up

  sim::cohort_options co;
  co.deals = 20000;
  const auto c = sim::run_cohort(p, "lead", co);
  near(evaluate(kpi::win_rate{"lead", "won"}, c), kpi::evaluate(kpi::win_rate{"lead", "won"}, ss));
  near(evaluate(kpi::cycle_time{"lead", "won"}, c), kpi::evaluate(kpi::cycle_time{"lead", "won"}, ss));
  CHECK_THROWS_AS(evaluate(kpi::win_rate{"deal", "won"}, c), invalid_option);
  CHECK_THROWS_AS(evaluate(kpi::cycle_time{"lead", "deal"}, c), invalid_option);
  CHECK_THROWS_AS(sim::evaluate(kpi::wip{"won"}, r), invalid_option);

  // User KPI: the share of runs with won value >= the median run's value is about 1/2.
  const auto big = evaluate(my::big_run{1000 * 0.2 * 50 * 18}, r);
  CHECK(big.value > 0);
  CHECK(big.value < 1);
  CHECK(big.standard_error == doctest::Approx(std::sqrt(big.value * (1 - big.value) / 199)));
}
