// The Monte Carlo engine against the exact analytic steady state on six model shapes:
// long-run entry rates, WIP and value rates (calendar runs with a warm-up), absorption
// probabilities and mean times to absorption (cohort mode), within 4 standard errors.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>

#include <boost/math/distributions/gamma.hpp>

#include <salespipe/analytic/steady_state.hpp>
#include <salespipe/example_model.hpp>
#include <salespipe/funnel.hpp>
#include <salespipe/pipeline.hpp>
#include <salespipe/simulate/cohort.hpp>
#include <salespipe/simulate/engine.hpp>
#include <salespipe/simulate/summary.hpp>

#include "support/funnel6.hpp"

using namespace salespipe;
namespace sim = salespipe::simulate;
using sim::quantity;

namespace {

#ifdef NDEBUG
constexpr std::size_t scale = 5;  // Release: 5x the replications and cohort deals
#else
constexpr std::size_t scale = 1;  // Debug + sanitizers: smaller, still 4-SE checks
#endif

void close(double sim_value, double se, double exact, const std::string& what) {
  INFO(what << ": simulated " << sim_value << " ± " << se << ", exact " << exact);
  CHECK(std::fabs(sim_value - exact) <= 4 * se + 1e-9 * (1 + std::fabs(exact)));
}

// Calendar run over [0, horizon), measured over [warm, horizon): per node the entry rate
// and value rate (value + reward) per time unit, per stage the mean period-end WIP.
void check_steady(const pipeline& p, std::size_t horizon, std::size_t warm, std::size_t reps, double rates_at = 0) {
  analytic::steady_state_options so;
  so.rates_at = rates_at;
  const auto ss = analytic::solve_steady_state(p, so);
  sim::options o;
  o.periods = horizon;
  o.replications = reps;
  o.seed = 7;
  o.chunk_size = 8;
  o.threads = 2;
  const auto r = sim::run(p, o);
  const sim::window w{warm, horizon};
  const double len = static_cast<double>(horizon - warm);
  for (std::size_t n = 0; n < p.node_count(); ++n) {
    const std::string id = p.node_id(n);
    const auto e = sim::summarize(r, quantity::entries, n, w);
    close(e.mean / len, e.standard_error / len, ss.entry_rate(n), id + " entry rate");
    auto v = sim::window_totals(r, quantity::value, n, w);
    if (p.is_stage(n)) {
      const auto rw = sim::window_totals(r, quantity::reward, n, w);
      for (std::size_t i = 0; i < v.size(); ++i) v[i] += rw[i];
      const auto wip = sim::summarize(r, quantity::wip, n, w);
      close(wip.mean / len, wip.standard_error / len, ss.stages[n].wip, id + " WIP");
    }
    const auto vs = sim::summarize(v);
    close(vs.mean / len, vs.standard_error / len, ss.value_rate_of(n), id + " value rate");
  }
}

// Cohort from `stage`: absorption probabilities, mean time to each outcome, mean time to
// absorption, visits per stage.
void check_cohort(const pipeline& p, const std::string& stage, std::size_t deals) {
  const auto ss = analytic::solve_steady_state(p);
  sim::cohort_options co;
  co.deals = deals;
  co.seed = 3;
  co.threads = 2;
  const auto c = sim::run_cohort(p, stage, co);
  const auto& st = ss.stage(stage);
  for (std::size_t k = 0; k < p.outcome_count(); ++k) {
    const auto& out = c.outcomes[k];
    close(out.probability.value, out.probability.standard_error, st.p_absorb[k], out.id + " P(absorb)");
    if (out.count > 30)
      close(out.time.mean, out.time.standard_error, st.mean_time_to_outcome[k], out.id + " time to it");
  }
  close(c.time_to_absorption.mean, c.time_to_absorption.standard_error, st.mean_time_to_absorption,
        "time to absorption");
  const std::size_t s0 = p.index_of(stage);
  for (std::size_t s = 0; s < p.stage_count(); ++s)
    close(c.visits[s].value, c.visits[s].standard_error, ss.visits(s0, s), p.node_id(s) + " visits");
}

using salespipe_test::funnel6;

}  // namespace

TEST_CASE("agreement: funnel6") {
  const pipeline p = funnel6();
  check_steady(p, 30, 15, 20 * scale);
  check_cohort(p, "Lead", 20000 * scale);
}

TEST_CASE("agreement: the built-in example (long-run rates after the +50% step)") {
  const pipeline p(example_model());
  check_steady(p, 400, 300, 8 * scale, std::numeric_limits<double>::infinity());
  check_cohort(p, "lead", 4000 * scale);
}

TEST_CASE("agreement: a recycling loop") {
  model m;
  m.add_stage("lead", exponential_dist(0.5)).to("qualified", 0.5).to("nurture", 0.3);
  m.add_stage("qualified", gamma_dist::with_mean(2, 1.5)).to("won", 0.4).to("lead", 0.2);
  m.add_stage("nurture", gamma_dist::with_mean(2, 3)).to("lead", 0.6).to("nurture", 0.1);
  m.add_outcome("won").value_on_enter(gamma_dist::with_mean(2, 1000));
  m.add_source("lead", 40);
  const pipeline p(m);
  check_steady(p, 40, 20, 20 * scale);
  check_cohort(p, "lead", 5000 * scale);
}

TEST_CASE("agreement: competing routes with duration overrides") {
  model m;
  m.add_stage("deal", gamma_dist::with_mean(2, 2))
      .to("won", 0.3, gamma_dist::with_mean(3, 4))
      .to("lost", 0.5, exponential_dist(0.5))
      .to("stalled", 0.2);
  m.add_stage("stalled", weibull_dist(1.5, 3)).to("deal", 0.5).to("lost", 0.5, fixed_dist(1));
  m.add_outcome("won").value_on_enter(uniform_dist(1000, 3000));
  m.add_outcome("lost");
  m.add_source("deal", 25);
  const pipeline p(m);
  check_steady(p, 50, 30, 20 * scale);
  check_cohort(p, "deal", 5000 * scale);
}

TEST_CASE("agreement: expansion and churn with reward rates and on_take values") {
  model m;
  m.add_stage("customer", exponential_dist(12))
      .reward(100)
      .value_on_enter(fixed_dist(500))
      .to("big", 0.3, gamma_dist::with_mean(2, 8))
      .on_take(lognormal_dist::with_mean_sd(2000, 500))
      .to("churned", 0.7);
  m.add_stage("big", exponential_dist(20)).reward(300).to("churned", 1.0);
  m.add_outcome("churned");
  m.add_source("customer", 5);
  const pipeline p(m);
  check_steady(p, 260, 160, 10 * scale);
  check_cohort(p, "customer", 4000 * scale);
}

TEST_CASE("agreement: open pipeline only (ages condition route and remaining time)") {
  // neg: won after Gamma(3, mean 4), lost after Exp(mean 1); at age 3 the won route is far
  // more likely than 0.4. cust: Exp(mean 10), reward 50, so E[WIP at t] = n e^{-t/10}.
  model m;
  m.add_stage("neg", exponential_dist(1))
      .to("won", 0.4, gamma_dist::with_mean(3, 4))
      .to("lost", 0.6, exponential_dist(1));
  m.add_stage("cust", exponential_dist(10)).reward(50).to("churned", 1.0);
  m.add_outcome("won");
  m.add_outcome("lost");
  m.add_outcome("churned");
  m.add_open("neg", 40, 3.0);
  m.add_open("cust", 30, 7.0);
  const pipeline p(m);
  const auto ss = analytic::solve_steady_state(p);  // no sources: only per-deal quantities
  CHECK(ss.source_rate == 0);
  const boost::math::gamma_distribution<double> g(3, 4.0 / 3);
  const double sw = 0.4 * boost::math::cdf(boost::math::complement(g, 3.0)), sl = 0.6 * std::exp(-3.0);
  const double p_won = sw / (sw + sl);

  sim::options o;
  o.periods = 120;
  o.replications = 100 * scale;
  o.seed = 11;
  o.chunk_size = 16;
  const auto r = sim::run(p, o);
  const sim::window all{0, 120};
  const auto won = sim::summarize(r, quantity::entries, p.index_of("won"), all);
  close(won.mean, won.standard_error, 40 * p_won, "won entries");
  const auto churn = sim::summarize(r, quantity::entries, p.index_of("churned"), all);
  close(churn.mean, churn.standard_error, 30 * ss.stage("cust").p_absorb[2], "churned entries");
  const auto reward = sim::summarize(r, quantity::reward, p.index_of("cust"), all);
  close(reward.mean, reward.standard_error, 30 * 50 * ss.stage("cust").mean_time_in_stage,
        "cust reward (memoryless remaining time)");
  for (const std::size_t k : {std::size_t{0}, std::size_t{4}, std::size_t{19}}) {
    const auto wip = sim::summarize(r, quantity::wip, p.index_of("cust"), {k, k + 1});
    close(wip.mean, wip.standard_error, 30 * std::exp(-static_cast<double>(k + 1) / 10),
          "cust WIP at " + std::to_string(k + 1));
  }
  CHECK(sim::summarize(r, quantity::entries, p.index_of("neg"), all).mean == 0);  // open ≠ entries
}
