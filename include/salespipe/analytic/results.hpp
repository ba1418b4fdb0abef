// salespipe/analytic/results.hpp — the plain result types of the analytic engine:
// `steady_state` (solve_steady_state, steady_state.hpp) and `coverage` (solve_coverage,
// coverage.hpp). No Eigen, no model: KPIs (kpi.hpp), the JSON writer and reports depend
// on these types only.
//
// Units: rates are per time unit of the model (`unit`), times are in time units, values
// in the model's currency. Node indices follow the pipeline: stages 0..S-1, then
// outcomes S..S+O-1; `node_ids` lists them. Vectors indexed "[k]" run over outcomes in
// model order, "[n]" over all nodes.
#ifndef SALESPIPE_ANALYTIC_RESULTS_HPP
#define SALESPIPE_ANALYTIC_RESULTS_HPP

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <salespipe/detail/format.hpp>
#include <salespipe/error.hpp>
#include <salespipe/matrix.hpp>
#include <salespipe/time_unit.hpp>

namespace salespipe {
namespace analytic {

/// Flow along one route of a stage in steady state.
struct route_flow {
  std::string to;            ///< id of the node entered
  std::size_t to_node = 0;   ///< its index
  double p = 0;              ///< route probability
  double rate = 0;           ///< deals taking the route per time unit (entry_rate × p)
  double mean_duration = 0;  ///< mean time in the stage of the deals taking it
  bool implicit = false;     ///< the remainder-to-"lost" route
};

/// One stage in steady state. "Enter" means: a deal has just entered the stage.
struct stage_result {
  std::string id;
  std::size_t node = 0;
  double source_rate = 0;  ///< arrivals from the sources into this stage per time unit
  /// Entries per time unit, re-entries through loops and self-loops included (the
  /// traffic equations λ = s + Qᵀλ).
  double entry_rate = 0;
  /// Mean entries per deal arriving from the sources (source-mix weighted row of the
  /// fundamental matrix N; 0 when there is no source rate).
  double visits = 0;
  /// Mean number of deals in the stage (Little's law: entry_rate × mean_time_in_stage).
  /// Stages are infinite-server: no queueing, every deal is worked at once.
  double wip = 0;
  double mean_time_in_stage = 0;       ///< mean time per visit: Σ_r p_r E[T_r]
  double var_time_in_stage = 0;        ///< variance of the time per visit (mixture over routes)
  double p_return = 0;                 ///< P(the deal enters this stage again later | enter)
  double mean_time_to_absorption = 0;  ///< E[time until the deal enters an outcome | enter]
  double var_time_to_absorption = 0;   ///< its variance
  std::vector<double> p_absorb;        ///< [k] P(end in outcome k | enter)
  /// [k] mean time from entering this stage to entering outcome k, for the deals that
  /// end in k: E[T·1{end in k}] / P(end in k). NaN where p_absorb[k] == 0.
  std::vector<double> mean_time_to_outcome;
  /// [n] P(the deal enters node n at some time from this entry on). The stage's own
  /// entry counts: p_reach[node] == 1 (see p_return for a later re-entry).
  std::vector<double> p_reach;
  /// [n] mean time from entering this stage to the first entry into node n, for the
  /// deals that get there. 0 at the stage's own node, NaN where p_reach[n] == 0.
  std::vector<double> mean_time_to_reach;
  std::vector<route_flow> routes;  ///< the stage's routes, the implicit one included
  /// Mean value booked per entry into this stage: on_enter mean plus the flow-weighted
  /// on_take means of the routes that enter it (they are booked at that instant).
  double mean_value_on_entry = 0;
  double on_enter_value_rate = 0;  ///< on_enter mean × entry_rate
  double on_take_value_rate = 0;   ///< Σ over routes INTO this stage of on_take mean × route rate
  double reward_value_rate = 0;    ///< reward_rate × wip
  double value_rate = 0;           ///< sum of the three
};

/// One outcome in steady state.
struct outcome_result {
  std::string id;
  std::size_t node = 0;
  double entry_rate = 0;   ///< deals ending here per time unit (its throughput)
  double probability = 0;  ///< share of the source deals that end here (0 without sources)
  /// Mean time from arrival (at a source) to this outcome for the deals that end here,
  /// source-mix weighted. NaN when no source deal ends here.
  double mean_time_from_source = 0;
  double mean_value_on_entry = 0;  ///< on_enter mean + flow-weighted on_take of routes in
  double on_enter_value_rate = 0;  ///< on_enter mean × entry_rate
  double on_take_value_rate = 0;   ///< Σ over routes into it of on_take mean × route rate
  double value_rate = 0;           ///< the sum of the two
};

/// The exact steady state of a pipeline with constant source rates (steady_state.hpp).
struct steady_state {
  std::string name;
  time_unit unit = time_unit::month;
  double rates_at = 0;                ///< the time at which the source rates were read
  std::vector<std::string> node_ids;  ///< stages, then outcomes
  std::optional<std::size_t> target;  ///< the model's target node, when it has one
  std::vector<stage_result> stages;
  std::vector<outcome_result> outcomes;
  double source_rate = 0;  ///< total arrivals per time unit
  double wip = 0;          ///< total deals in all stages
  double value_rate = 0;   ///< total value booked per time unit, all nodes
  /// Estimated reciprocal condition number (1-norm) of the row-scaled I − Q that was
  /// factorised; results are refused (singular_model) below the option min_rcond.
  double rcond = 0;

  matrix visits;           ///< N = (I−Q)⁻¹, S×S: expected entries into j | enter i
  matrix absorption;       ///< B, S×O: P(end in outcome k | enter stage i)
  matrix time_to_outcome;  ///< S×O: stage_result::mean_time_to_outcome as a matrix
  matrix reach;            ///< S×(S+O): stage_result::p_reach as a matrix
  matrix time_to_reach;    ///< S×(S+O): stage_result::mean_time_to_reach as a matrix

  std::size_t stage_count() const noexcept { return stages.size(); }
  std::size_t outcome_count() const noexcept { return outcomes.size(); }
  std::size_t node_count() const noexcept { return node_ids.size(); }
  bool is_stage(std::size_t n) const noexcept { return n < stages.size(); }

  /// Index of the node with this id, or nullopt.
  std::optional<std::size_t> find(std::string_view id) const {
    for (std::size_t n = 0; n < node_ids.size(); ++n)
      if (node_ids[n] == id) return n;
    return std::nullopt;
  }
  /// Index of the node with this id; throws invalid_option (with a did-you-mean).
  std::size_t index_of(std::string_view id) const {
    if (auto n = find(id)) return *n;
    throw invalid_option("unknown node '" + std::string(id) + "'" + salespipe::detail::did_you_mean(id, node_ids));
  }
  /// The stage with this id; throws invalid_option if unknown or an outcome.
  const stage_result& stage(std::string_view id) const {
    const std::size_t n = index_of(id);
    if (!is_stage(n)) throw invalid_option("'" + std::string(id) + "' is an outcome, not a stage");
    return stages[n];
  }
  /// The outcome with this id; throws invalid_option if unknown or a stage.
  const outcome_result& outcome(std::string_view id) const {
    const std::size_t n = index_of(id);
    if (is_stage(n)) throw invalid_option("'" + std::string(id) + "' is a stage, not an outcome");
    return outcomes[n - stages.size()];
  }
  /// Entries into node n per time unit (stage or outcome).
  double entry_rate(std::size_t n) const {
    return is_stage(n) ? stages.at(n).entry_rate : outcomes.at(n - stages.size()).entry_rate;
  }
  /// Value booked per time unit at node n (stage or outcome).
  double value_rate_of(std::size_t n) const {
    return is_stage(n) ? stages.at(n).value_rate : outcomes.at(n - stages.size()).value_rate;
  }
  /// Mean value booked per entry into node n.
  double mean_value_on_entry(std::size_t n) const {
    return is_stage(n) ? stages.at(n).mean_value_on_entry : outcomes.at(n - stages.size()).mean_value_on_entry;
  }
};

/// Coverage of one stage from which the target node can be reached.
struct coverage_stage {
  std::string id;
  std::size_t node = 0;
  double required_wip = 0;  ///< mean deals needed in the stage to hit the target rate
  double open_wip = 0;      ///< deals in the model's open pipeline in this stage
  double gap = 0;           ///< open_wip − required_wip (negative: shortfall)
  double ratio = 0;         ///< open_wip / required_wip (coverage ratio)
  /// P(a deal found in this stage at a random time enters the target later): the route
  /// mix weighted by time spent on each route (competing routes shift it).
  double p_reach_target = 0;
  /// Mean number of future entries into the target per deal found in this stage
  /// (= p_reach_target unless the target can be entered more than once).
  double expected_target_entries = 0;
  double required_value = 0;  ///< required_wip × expected_target_entries × value per entry
};

/// What it takes to enter `node` at `per_period` per time unit (coverage.hpp).
struct coverage {
  std::string node;
  std::size_t node_index = 0;
  double per_period = 0;            ///< the target rate (entries per time unit)
  double current_rate = 0;          ///< steady-state entry rate of the node now
  double scale = 0;                 ///< per_period / current_rate
  double source_rate = 0;           ///< total source rate now
  double required_source_rate = 0;  ///< scale × source_rate (same source mix)
  /// Per source, in model order: the rate it must have (its current rate × scale).
  std::vector<double> required_source_rates;
  std::vector<std::string> source_stages;  ///< per source, in model order: the stage it feeds
  /// Only stages from which the node can be reached (a path of routes with p > 0, and
  /// the node itself if a deal can re-enter it), in model order.
  std::vector<coverage_stage> stages;
  double required_wip = 0;     ///< Σ stages' required_wip
  double open_wip = 0;         ///< Σ stages' open_wip
  double value_per_entry = 0;  ///< mean value booked per entry into the node
  /// Σ stages' required_value: the value the required pipeline will book at the node.
  double required_pipeline_value = 0;
  /// The stage with the largest relative shortfall 1 − open/required (only stages
  /// with required_wip > 0 and open < required); empty when none falls short.
  std::string loophole;
  std::optional<std::size_t> loophole_index;  ///< its index into `stages`

  /// The coverage record of stage `id`, or nullptr when the stage is not part of coverage.
  const coverage_stage* find(std::string_view id) const noexcept {
    for (const auto& s : stages)
      if (s.id == id) return &s;
    return nullptr;
  }
};

}  // namespace analytic
}  // namespace salespipe

#endif  // SALESPIPE_ANALYTIC_RESULTS_HPP
