// salespipe/analytic/coverage.hpp — what the pipeline must hold to hit a target rate of
// entries into a node, and where the open pipeline falls short (the "loophole").
//
//     salespipe::pipeline p(salespipe::example_model());
//     auto cov = salespipe::analytic::solve_coverage(p);   // the model's target
//     cov.find("prospect")->required_wip;                  // 36
//     cov.loophole;                                        // "prospect"
//
// Everything in steady state is linear in the source rates, so hitting `per_period`
// entries per time unit into the node means scaling every source by
// scale = per_period / (current entry rate of the node), keeping the source mix:
// required source rate = scale × source rate, required WIP of a stage = scale × its WIP.
//
// Only stages from which the node can still be reached are part of coverage (a path of
// routes with p > 0; the node itself only if a deal can re-enter it): deals elsewhere
// (e.g. active customers when the target is "customer") do not feed the target.
//
// Required pipeline value = Σ over those stages of required WIP × expected future
// entries into the node per deal found in the stage × mean value booked per entry into
// the node (its on_enter mean plus the flow-weighted on_take of the routes into it). A
// deal "found in the stage" is one seen at a random time: its route mix is weighted by
// the time spent on each route (p_r E[T_r]), since slow routes hold more of the WIP.
#ifndef SALESPIPE_ANALYTIC_COVERAGE_HPP
#define SALESPIPE_ANALYTIC_COVERAGE_HPP

#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <string_view>
#include <utility>

#include <salespipe/analytic/results.hpp>
#include <salespipe/analytic/steady_state.hpp>
#include <salespipe/detail/format.hpp>
#include <salespipe/error.hpp>
#include <salespipe/pipeline.hpp>

namespace salespipe {
namespace analytic {

/// Coverage for `per_period` entries per time unit into node `node`, from the steady
/// state `ss` of `pl` (solve_steady_state(pl, opt)): its source rates are the ones
/// scaled. Open WIP is the count of the pipeline's open deals per stage.
///
/// Throws invalid_option (unknown node, per_period not finite and > 0, `ss` not from
/// `pl`), invalid_model when there is no source rate to scale ("/sources") or the node
/// cannot be reached from any source ("/target/node").
template <class Duration>
coverage solve_coverage(const basic_pipeline<Duration>& pl, const steady_state& ss, std::string_view node,
                        double per_period) {
  if (ss.node_ids != pl.node_ids()) throw invalid_option("coverage: the steady state was not solved for this pipeline");
  if (!(std::isfinite(per_period) && per_period > 0))
    throw invalid_option("coverage: per_period must be finite and > 0, got " + salespipe::detail::num(per_period));
  const std::size_t n = ss.index_of(node);
  const std::size_t S = ss.stage_count();

  coverage cov;
  cov.node = std::string(node);
  cov.node_index = n;
  cov.per_period = per_period;
  cov.source_rate = ss.source_rate;
  cov.current_rate = ss.entry_rate(n);
  if (!(ss.source_rate > 0))
    throw invalid_model("/sources", "coverage of '" + cov.node +
                                        "': the model has no source rate to scale (every "
                                        "source has rate 0 at time " +
                                        salespipe::detail::num(ss.rates_at) + ")");
  if (!(cov.current_rate > 0))
    throw invalid_model("/target/node", "coverage: node '" + cov.node +
                                            "' cannot be reached from any source, so no "
                                            "source rate reaches " +
                                            salespipe::detail::num(per_period) + " per period");
  cov.scale = per_period / cov.current_rate;
  cov.required_source_rate = cov.scale * ss.source_rate;
  for (const auto& so : pl.sources()) {
    cov.required_source_rates.push_back(cov.scale * so.rate_at(ss.rates_at));
    cov.source_stages.push_back(so.stage);
  }
  cov.value_per_entry = ss.mean_value_on_entry(n);

  // Expected entries into n from entering node `to` (its own entry counted).
  auto entries_from = [&](std::size_t to) -> double {
    if (to == n) return n < S ? ss.visits(n, n) : 1.0;
    if (to >= S) return 0.0;
    return n < S ? ss.visits(to, n) : ss.absorption(to, n - S);
  };
  // P(enter n later | enter `to`).
  auto reach_from = [&](std::size_t to) -> double {
    if (to == n) return 1.0;
    return to < S ? ss.stages[to].p_reach[n] : 0.0;
  };

  double worst = 0;
  for (std::size_t s = 0; s < S; ++s) {
    const auto& st = ss.stages[s];
    const bool feeds = s == n ? st.p_return > 0 : st.p_reach[n] > 0;
    if (!feeds) continue;
    coverage_stage cs;
    cs.id = st.id;
    cs.node = s;
    cs.required_wip = cov.scale * st.wip;
    for (const auto& o : pl.open_pipeline())
      if (o.stage_node == s) cs.open_wip += static_cast<double>(o.size());
    cs.gap = cs.open_wip - cs.required_wip;
    cs.ratio = cs.required_wip > 0 ? cs.open_wip / cs.required_wip : std::numeric_limits<double>::infinity();
    // Route mix of a deal found in the stage: weights p_r E[T_r] (p_r if no time is spent).
    double w = 0, pr = 0, ent = 0;
    const bool timed = st.mean_time_in_stage > 0;
    for (const auto& r : st.routes) {
      const double wr = timed ? r.p * r.mean_duration : r.p;
      w += wr;
      pr += wr * reach_from(r.to_node);
      ent += wr * entries_from(r.to_node);
    }
    cs.p_reach_target = w > 0 ? pr / w : 0.0;
    cs.expected_target_entries = w > 0 ? ent / w : 0.0;
    cs.required_value = cs.required_wip * cs.expected_target_entries * cov.value_per_entry;
    cov.required_wip += cs.required_wip;
    cov.open_wip += cs.open_wip;
    cov.required_pipeline_value += cs.required_value;
    if (cs.required_wip > 0 && cs.open_wip < cs.required_wip) {
      const double shortfall = 1.0 - cs.open_wip / cs.required_wip;
      if (shortfall > worst) {
        worst = shortfall;
        cov.loophole = cs.id;
        cov.loophole_index = cov.stages.size();
      }
    }
    cov.stages.push_back(std::move(cs));
  }
  return cov;
}

/// Coverage for `per_period` entries per time unit into node `node`; solves the steady
/// state with `opt` first. Throws as solve_steady_state and the overload above.
template <class Duration>
coverage solve_coverage(const basic_pipeline<Duration>& pl, std::string_view node, double per_period,
                        const steady_state_options& opt = {}) {
  return solve_coverage(pl, solve_steady_state(pl, opt), node, per_period);
}

/// Coverage for the model's target (node and per_period). Throws invalid_option when
/// the model has no target, otherwise as the overloads above.
template <class Duration>
coverage solve_coverage(const basic_pipeline<Duration>& pl, const steady_state_options& opt = {}) {
  if (!pl.target()) throw invalid_option("coverage: the model has no target; give a node and a rate");
  return solve_coverage(pl, pl.target()->node, pl.target()->per_period, opt);
}

/// Coverage for the model's target from an already solved steady state of `pl`.
template <class Duration>
coverage solve_coverage(const basic_pipeline<Duration>& pl, const steady_state& ss) {
  if (!pl.target()) throw invalid_option("coverage: the model has no target; give a node and a rate");
  return solve_coverage(pl, ss, pl.target()->node, pl.target()->per_period);
}

}  // namespace analytic
}  // namespace salespipe

#endif  // SALESPIPE_ANALYTIC_COVERAGE_HPP
