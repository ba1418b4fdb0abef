// salespipe/simulate/cohort.hpp — cohort mode: N deals enter one stage at time 0 and are
// followed until each ends in an outcome (no horizon): the probability of each outcome,
// the distribution of the time to it, and the visits per stage.
#ifndef SALESPIPE_SIMULATE_COHORT_HPP
#define SALESPIPE_SIMULATE_COHORT_HPP

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include <salespipe/pipeline.hpp>
#include <salespipe/random.hpp>
#include <salespipe/simulate/detail/layout.hpp>
#include <salespipe/simulate/parallel.hpp>
#include <salespipe/simulate/streams.hpp>
#include <salespipe/simulate/summary.hpp>

namespace salespipe::simulate {

/// Options of run_cohort(). Deal i belongs to chunk i / chunk_size, which draws from
/// random_engine(seed, chunk): results do not depend on threads (0 = all cores).
struct cohort_options {
  std::size_t deals = 10000;
  std::uint64_t seed = 0;
  std::size_t chunk_size = 1000;
  int threads = 1;
};

/// One outcome of a cohort.
struct cohort_outcome {
  std::string id;
  std::size_t node = 0;
  std::size_t count = 0;    ///< deals that ended here
  mc_estimate probability;  ///< count / deals, binomial standard error
  /// Time from entry to this outcome for the deals that end here (time units): mean with
  /// its standard error and quantiles. All NaN when count == 0.
  summary time;
};

/// Result of run_cohort().
struct cohort_result {
  std::string stage;
  std::size_t deals = 0;
  std::vector<cohort_outcome> outcomes;  ///< in pipeline outcome order
  /// [s] mean entries into stage s per deal, the initial entry included, with its SE.
  std::vector<mc_estimate> visits;
  summary time_to_absorption;  ///< time from entry to the outcome, all deals
};

/// Follows `o.deals` deals entering stage `stage` at time 0 (route, then time; loops
/// followed; values ignored) until absorption. Throws invalid_option for an unknown id,
/// an outcome id, deals = 0, chunk_size = 0 or threads < 0. O(deals × visits per deal).
template <class D>
cohort_result run_cohort(const basic_pipeline<D>& p, std::string_view stage, const cohort_options& o) {
  const auto start = p.find(stage);
  if (!start)
    throw invalid_option("cohort: unknown stage '" + std::string(stage) + "'" +
                         salespipe::detail::did_you_mean(stage, p.node_ids()));
  if (!p.is_stage(*start)) throw invalid_option("cohort: '" + std::string(stage) + "' is an outcome");
  if (o.deals == 0) throw invalid_option("cohort: deals must be > 0");
  if (o.chunk_size == 0) throw invalid_option("cohort: chunk_size must be > 0");
  const std::size_t S = p.stage_count(), n_chunks = detail::chunk_count(o.deals, o.chunk_size);
  const std::size_t workers = detail::resolve_threads(o.threads, n_chunks);

  std::vector<std::uint32_t> outcome(o.deals);
  std::vector<double> time(o.deals);
  std::vector<double> vsum(n_chunks * S, 0.0), vsq(n_chunks * S, 0.0);
  detail::for_each_chunk(n_chunks, workers, {}, [&](std::size_t c, std::size_t) {
    random_engine rng(o.seed, streams::chunk(c));
    std::vector<double> v(S);
    const std::size_t end = std::min((c + 1) * o.chunk_size, o.deals);
    for (std::size_t i = c * o.chunk_size; i < end; ++i) {
      std::fill(v.begin(), v.end(), 0.0);
      std::size_t node = *start;
      double t = 0;
      while (node < S) {
        v[node] += 1;
        const auto& st = p.stages()[node];
        const double u = rng.uniform();
        double cum = 0;
        std::size_t j = 0;
        for (; j + 1 < st.routes.size(); ++j)
          if (u < (cum += st.routes[j].p)) break;
        t += sample(route_duration(st, st.routes[j]), rng);
        node = st.routes[j].to_node;
      }
      outcome[i] = static_cast<std::uint32_t>(node - S);
      time[i] = t;
      for (std::size_t s = 0; s < S; ++s) vsum[c * S + s] += v[s], vsq[c * S + s] += v[s] * v[s];
    }
  });

  cohort_result r;
  r.stage = std::string(stage);
  r.deals = o.deals;
  const double n = static_cast<double>(o.deals);
  std::vector<std::vector<double>> times(p.outcome_count());
  for (std::size_t i = 0; i < o.deals; ++i) times[outcome[i]].push_back(time[i]);
  for (std::size_t k = 0; k < p.outcome_count(); ++k) {
    cohort_outcome co;
    co.id = p.node_id(p.outcome_node(k));
    co.node = p.outcome_node(k);
    co.count = times[k].size();
    const double pk = static_cast<double>(co.count) / n;
    co.probability = {pk, std::sqrt(pk * (1 - pk) / n)};
    if (co.count > 0) {
      co.time = summarize(times[k]);
    } else {
      const double nan = std::numeric_limits<double>::quiet_NaN();
      co.time = {0, nan, nan, nan, nan, nan, nan, nan, nan};
    }
    r.outcomes.push_back(std::move(co));
  }
  for (std::size_t s = 0; s < S; ++s) {
    double sum = 0, sq = 0;
    for (std::size_t c = 0; c < n_chunks; ++c) sum += vsum[c * S + s], sq += vsq[c * S + s];
    const double m = sum / n, var = n > 1 ? std::max(0.0, (sq - n * m * m) / (n - 1)) : 0.0;
    r.visits.push_back({m, std::sqrt(var / n)});
  }
  r.time_to_absorption = summarize(time);
  return r;
}

}  // namespace salespipe::simulate

#endif  // SALESPIPE_SIMULATE_COHORT_HPP
