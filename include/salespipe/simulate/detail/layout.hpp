// salespipe/simulate/detail/layout.hpp — checks a run's options and sizes its record
// before anything is allocated.
#ifndef SALESPIPE_SIMULATE_DETAIL_LAYOUT_HPP
#define SALESPIPE_SIMULATE_DETAIL_LAYOUT_HPP

#include <cstddef>
#include <string>
#include <vector>

#include <salespipe/detail/format.hpp>
#include <salespipe/error.hpp>
#include <salespipe/pipeline.hpp>
#include <salespipe/simulate/options.hpp>
#include <salespipe/simulate/results.hpp>

namespace salespipe::simulate::detail {

/// Number of chunks of a run: ceil(replications / chunk_size).
inline std::size_t chunk_count(std::size_t replications, std::size_t chunk_size) {
  return replications / chunk_size + (replications % chunk_size != 0);
}

/// Validated options: chunk range, which series are recorded, their size.
struct run_plan {
  chunk_range range;
  std::size_t reps = 0;  // replications in range
  std::vector<std::size_t> slots;
  std::size_t series = 0;
  std::vector<std::string> ids;
  std::size_t stages = 0, periods = 0, run_reps = 0, chunk_size = 0;
  std::uint64_t seed = 0;

  template <class D>
  run_plan(const basic_pipeline<D>& p, const options& o) {
    if (o.periods == 0) throw invalid_option("periods must be > 0");
    if (o.replications == 0) throw invalid_option("replications must be > 0");
    if (o.chunk_size == 0) throw invalid_option("chunk_size must be > 0");
    if (o.threads < 0) throw invalid_option("threads must be >= 0 (0 = all cores), got " + std::to_string(o.threads));
    if (!p.has_deals())
      throw invalid_option("nothing to simulate: the model has no source with a positive rate "
                           "and no open deal");
    const std::size_t n = chunk_count(o.replications, o.chunk_size);
    range = o.chunks ? *o.chunks : chunk_range{0, n};
    if (!(range.first < range.last && range.last <= n))
      throw invalid_option("chunks [" + std::to_string(range.first) + ", " + std::to_string(range.last) +
                           ") is not a non-empty range inside [0, " + std::to_string(n) + ") (replications " +
                           std::to_string(o.replications) + ", chunk_size " + std::to_string(o.chunk_size) + ")");
    reps = std::min(range.last * o.chunk_size, o.replications) - range.first * o.chunk_size;
    ids = p.node_ids(), stages = p.stage_count(), periods = o.periods;
    run_reps = o.replications, chunk_size = o.chunk_size, seed = o.seed;

    std::vector<char> keep(p.node_count(), o.record.nodes.empty());
    for (const auto& id : o.record.nodes) {
      const auto k = p.find(id);
      if (!k)
        throw invalid_option("record.nodes: unknown node '" + id + "'" +
                             salespipe::detail::did_you_mean(id, p.node_ids()));
      keep[*k] = 1;
    }
    const bool want[quantity_count] = {o.record.entries, o.record.value, o.record.reward, o.record.wip};
    slots.assign(p.node_count() * quantity_count, results_access::npos);
    for (std::size_t node = 0; node < p.node_count(); ++node)
      for (std::size_t q = 0; q < quantity_count; ++q)
        if (keep[node] && want[q] && (q < 2 || node < stages)) slots[node * quantity_count + q] = series++;

    const double bytes =
        static_cast<double>(series) * static_cast<double>(reps) * static_cast<double>(periods) * sizeof(double);
    if (bytes > static_cast<double>(o.memory_limit))
      throw invalid_option("the record would take " + salespipe::detail::num(bytes / (1 << 20)) + " MiB (" +
                           std::to_string(series) + " series x " + std::to_string(reps) + " replications x " +
                           std::to_string(periods) + " periods x 8 bytes), above memory_limit (" +
                           salespipe::detail::num(static_cast<double>(o.memory_limit) / (1 << 20)) +
                           " MiB): record fewer nodes or quantities (options::record) or raise memory_limit");
  }

  /// A zeroed record of this plan.
  results allocate() const {
    results r;
    results_access::set_meta(r, ids, stages, periods, run_reps, seed, chunk_size, range, reps);
    results_access::slots(r) = slots;
    results_access::series(r).assign(series, std::vector<double>(reps * periods, 0.0));
    return r;
  }
};

}  // namespace salespipe::simulate::detail

#endif  // SALESPIPE_SIMULATE_DETAIL_LAYOUT_HPP
