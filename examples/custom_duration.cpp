// custom_duration.cpp — a user-defined duration type through the Duration concept
// (duration.hpp): a fixed delay then an exponential tail. Both engines take it as is.
#include <cmath>
#include <cstdio>

#include <salespipe/analytic/steady_state.hpp>
#include <salespipe/simulate/engine.hpp>
#include <salespipe/simulate/summary.hpp>

namespace crm {
// "Legal review takes at least 1 month, then on average 2 more": found by ADL.
struct delayed_exponential {
  double delay, mean_tail;
};
inline double mean(const delayed_exponential& d) { return d.delay + d.mean_tail; }
inline double variance(const delayed_exponential& d) { return d.mean_tail * d.mean_tail; }
inline double cdf(const delayed_exponential& d, double x) {
  return x <= d.delay ? 0.0 : -std::expm1(-(x - d.delay) / d.mean_tail);
}
inline double quantile(const delayed_exponential& d, double p) { return d.delay - d.mean_tail * std::log1p(-p); }
inline double sample(const delayed_exponential& d, salespipe::random_engine& rng) {
  return d.delay - d.mean_tail * std::log(rng.uniform_open());  // our portable engine, no <random>
}
}  // namespace crm

static_assert(salespipe::is_duration_v<crm::delayed_exponential>);

int main() {
  using namespace salespipe;
  basic_model<crm::delayed_exponential> m;
  m.add_stage("proposal", {0.5, 1}).to("legal", 0.6);
  m.add_stage("legal", {1, 2}).to("won", 0.9);
  m.add_outcome("won");
  m.add_source("proposal", 10);  // 10 proposals a month
  const basic_pipeline<crm::delayed_exponential> p(m);

  const auto ss = analytic::solve_steady_state(p);  // 10 × 0.6 × 0.9 = 5.4 won a month
  std::printf("won per month %.2f, deals in legal %.1f\n", ss.outcome("won").entry_rate, ss.stage("legal").wip);

  simulate::options o;
  o.periods = 24;
  o.replications = 200;
  o.seed = 1;
  const simulate::results r = simulate::run(p, o);
  const auto late = simulate::summarize(r, simulate::quantity::entries, p.index_of("won"), {12, 24});
  std::printf("simulated won per month (months 12-23): %.2f ± %.2f\n", late.mean / 12, late.standard_error / 12);
  const bool ok = std::fabs(ss.outcome("won").entry_rate - 5.4) < 1e-9 &&
                  std::fabs(ss.stage("legal").wip - 18) < 1e-9 &&
                  std::fabs(late.mean / 12 - 5.4) < 4 * late.standard_error / 12 + 1e-9;
  return ok ? 0 : 1;
}
