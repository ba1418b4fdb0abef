// salespipe/simulate/posterior.hpp — Monte Carlo with parameter uncertainty: the model's
// parameters are drawn once per replication (e.g. from a fitted model's posterior,
// estimate/posterior.hpp), so forecast intervals include estimation uncertainty.
//
// A wrapper around the engine (its hot loop is untouched): replication r
//  1. draws a model from draw_model(rng) with rng = random_engine(seed,
//     parameter_stream_base + r) (a reserved range of streams),
//  2. validates it and runs ONE replication of it with chunk size 1, i.e. replication r
//     of the run on stream random_engine(seed, r), as the engine does for chunk r,
//  3. the per-replication results are merged in replication order with results::+=.
// So the result is identical for any thread count (replications run in parallel with the
// engine's for_each_chunk). Cost: one model validation and engine set-up per replication
// (fine for hundreds to a few thousand replications of a CRM-sized model).
#ifndef SALESPIPE_SIMULATE_POSTERIOR_HPP
#define SALESPIPE_SIMULATE_POSTERIOR_HPP

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include <salespipe/error.hpp>
#include <salespipe/fwd.hpp>
#include <salespipe/pipeline.hpp>
#include <salespipe/random.hpp>
#include <salespipe/simulate/engine.hpp>
#include <salespipe/simulate/options.hpp>
#include <salespipe/simulate/parallel.hpp>
#include <salespipe/simulate/results.hpp>
#include <salespipe/simulate/streams.hpp>

namespace salespipe::simulate {

/// Replication r draws its parameters from random_engine(seed, parameter_stream_base + r):
/// streams::parameter_draw(r), a family of its own (simulate/streams.hpp). (Until 0.1 it was
/// 2^63 + r, the range of the routes into outcomes: a parameter draw could repeat a route's.)
inline constexpr std::uint64_t parameter_stream_base = streams::parameter_base;

/// Runs o.replications replications, each of a model drawn by `draw_model(random_engine&)
/// -> model` (called concurrently when o.threads != 1: it must be safe to call from several
/// threads, e.g. a const member of a posterior). Every drawn model must have the same nodes.
/// The result has chunk_size 1. Throws invalid_option for bad options (as run(), and
/// o.chunks is not supported here), invalid_model when a drawn model is invalid; when
/// o.progress stops the run the result holds the leading replications that completed.
template <class DrawModel>
results run_with_parameter_draws(const DrawModel& draw_model, const options& o) {
  if (o.chunks) throw invalid_option("run_with_parameter_draws: options::chunks is not supported");
  if (o.replications == 0) throw invalid_option("replications must be > 0");
  const std::size_t n = o.replications;
  std::vector<results> parts(n);
  const std::size_t workers = detail::resolve_threads(o.threads, n);
  const std::size_t done = detail::for_each_chunk(n, workers, o.progress, [&](std::size_t r, std::size_t) {
    random_engine prng(o.seed, streams::parameter_draw(r));
    const pipeline p(draw_model(prng));
    options one = o;
    one.chunk_size = 1;
    one.threads = 1;
    one.progress = nullptr;
    one.chunks = chunk_range{r, r + 1};
    parts[r] = run(p, one);
  });
  results out;
  for (std::size_t r = 0; r < done; ++r) out += parts[r];
  return out;
}

}  // namespace salespipe::simulate

#endif  // SALESPIPE_SIMULATE_POSTERIOR_HPP
