// salespipe/simulate/engine.hpp — the Monte Carlo engine: simulates a basic_pipeline<D>
// deal by deal in continuous calendar time over `periods` time units, many replications
// (the body, and how it is fast: simulate/detail/engine.hpp).
//
// Semantics (DESIGN.md): route, then time; Poisson sources exact per constant-rate
// segment (Poisson count, uniform times); open deals of age a take route j with
// probability p_j S_j(a) / Σ p_k S_k(a) and stay T_j − a | T_j > a; on_enter booked at
// entry, on_take when the route is taken (recorded under the node the route ENTERS, as
// the analytic engine does),
// reward accrued over the time in stage, split across periods; period k = [k, k+1);
// deals in a stage at the horizon are WIP. Every value is drawn whatever is recorded, so
// a recorded number does not depend on which other numbers are recorded.
//
// Determinism: replication r belongs to chunk r / chunk_size; chunk k draws from
// random_engine(seed, streams::chunk(k)), except what happens on a route into an outcome (its
// duration, the on_take and outcome values): replication g draws those of the t-th such route
// (in stage, route order; T of them) from random_engine(seed, streams::outcome_route(g, T, t)),
// 2^63 + g·T + t (simulate/streams.hpp reserves every family's range). Nothing
// downstream of an outcome uses a draw, so no other sequence depends on them, and a
// route into an outcome whose results nobody records (the outcome's entries and value,
// the stage's WIP and reward) is skipped without changing any recorded number (funnel6's
// "lost" routes when only Won is recorded: a third of the draws). Rows are written in place, so the result is
// bit-identical for any thread count and any split into chunk ranges merged with `+=`.
#ifndef SALESPIPE_SIMULATE_ENGINE_HPP
#define SALESPIPE_SIMULATE_ENGINE_HPP

#include <salespipe/pipeline.hpp>
#include <salespipe/simulate/detail/engine.hpp>
#include <salespipe/simulate/options.hpp>
#include <salespipe/simulate/results.hpp>

namespace salespipe::simulate {

/// Simulates `p` as `o` says and returns the record. Throws invalid_option for bad
/// options (periods = 0, replications = 0, chunk_size = 0, threads < 0, a chunk range
/// outside the run, an unknown node in o.record.nodes, a record above o.memory_limit), for a
/// run expected to simulate more than o.max_stage_entries stage entries or whose per-thread
/// workspace and record pass o.memory_limit (both before running, naming the source or
/// open-pipeline row that makes it large: simulate/detail/workload.hpp), and for a model
/// with nothing to simulate (no source with a positive rate, no open deal).
/// Work: O(replications × stage completions); memory: the record plus one workspace per
/// thread. threads = 0 uses every core.
template <class D>
results run(const basic_pipeline<D>& p, const options& o) {
  return detail::engine<D>(p, o).run();
}

}  // namespace salespipe::simulate

#endif  // SALESPIPE_SIMULATE_ENGINE_HPP
