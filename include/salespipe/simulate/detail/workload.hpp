// salespipe/simulate/detail/workload.hpp — how much work one replication is, known before
// the run: the expected deals entering each stage, so that a run too large to finish or to
// fit in memory is refused up front with the part of the model that makes it large.
//
// x = b + x·P over the stage-to-stage route probabilities P, where b holds the deals
// injected per replication (∫₀^H source rate, open-deal counts): x = b (I − P)⁻¹, the
// expected entries per stage, re-entries through loops included. It is an upper bound of
// the simulated work (entries after the horizon are counted too). Solved by the same
// fixed-point iteration, stopped at 1e-6 relative change or 100,000 sweeps.
#ifndef SALESPIPE_SIMULATE_DETAIL_WORKLOAD_HPP
#define SALESPIPE_SIMULATE_DETAIL_WORKLOAD_HPP

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

#include <salespipe/detail/format.hpp>
#include <salespipe/pipeline.hpp>

namespace salespipe::simulate::detail {

/// Expected entries per replication, per stage and in total, and the model entry
/// (a source or an open-pipeline row) that contributes most, named for messages.
struct workload {
  std::vector<double> stage_entries;
  double total = 0;
  std::string largest;  ///< e.g. "sources[0] (rate 1e+06 into 'lead')"
};

template <class D>
workload expected_workload(const basic_pipeline<D>& p, double H) {
  const std::size_t S = p.stage_count();
  // Entries per stage caused by one deal entering it (row sums of (I − P)⁻¹): V = 1 + P·V.
  auto sweep = [&](auto&& step) {
    for (std::size_t it = 0; it < 100000; ++it)
      if (!step()) return;
  };
  std::vector<double> V(S, 1.0), b(S, 0.0), x(S, 0.0);
  sweep([&] {
    double change = 0;
    for (std::size_t s = 0; s < S; ++s) {
      double v = 1;
      for (const auto& r : p.stage(s).routes)
        if (r.to_node < S) v += r.p * V[r.to_node];
      change = std::max(change, std::abs(v - V[s]) / v);
      V[s] = v;
    }
    return change > 1e-6;
  });
  workload w;
  double most = -1;
  auto contribute = [&](std::size_t stage, double deals, const std::string& who) {
    b[stage] += deals;
    if (deals * V[stage] > most) most = deals * V[stage], w.largest = who;
  };
  for (std::size_t i = 0; i < p.sources().size(); ++i) {
    const auto& src = p.sources()[i];
    contribute(
        src.stage_node, src.cumulative(H),
        "sources[" + std::to_string(i) + "] (rate " + salespipe::detail::num(src.rate) + " into '" + src.stage + "')");
  }
  for (std::size_t i = 0; i < p.open_pipeline().size(); ++i) {
    const auto& o = p.open_pipeline()[i];
    contribute(
        o.stage_node, static_cast<double>(o.size()),
        "open_pipeline[" + std::to_string(i) + "] (" + std::to_string(o.size()) + " deals in '" + o.stage + "')");
  }
  x = b;  // x = b + x·P
  sweep([&] {
    std::vector<double> next = b;
    for (std::size_t s = 0; s < S; ++s)
      for (const auto& r : p.stage(s).routes)
        if (r.to_node < S) next[r.to_node] += x[s] * r.p;
    double change = 0;
    for (std::size_t s = 0; s < S; ++s) change = std::max(change, std::abs(next[s] - x[s]) / std::max(next[s], 1e-300));
    x.swap(next);
    return change > 1e-6;
  });
  w.stage_entries = x;
  for (double e : x) w.total += e;
  return w;
}

}  // namespace salespipe::simulate::detail

#endif  // SALESPIPE_SIMULATE_DETAIL_WORKLOAD_HPP
