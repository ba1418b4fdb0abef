// salespipe/simulate/options.hpp — what a Monte Carlo run does: horizon, replications,
// seed, threads, chunking, what to record, memory limit, progress callback.
#ifndef SALESPIPE_SIMULATE_OPTIONS_HPP
#define SALESPIPE_SIMULATE_OPTIONS_HPP

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace salespipe::simulate {

/// A half-open range [first, last) of chunk indices.
struct chunk_range {
  std::size_t first = 0;
  std::size_t last = 0;
};

/// What is recorded per replication and period. Quantities:
/// - entries: entries into a node during the period (every entry, incl. loops);
/// - value:   values booked in the period at a node: its on_enter values (at the entry
///            time) plus the on_take values of the routes INTO it (at the time the route
///            is taken, which is the entry time), as the analytic engine attributes them;
/// - reward:  reward_rate accrued by deals while in the stage during the period (stages);
/// - wip:     deals in the stage at the end of the period, time k+1 (stages).
struct record_options {
  /// Node ids to record; empty means every node.
  std::vector<std::string> nodes;
  bool entries = true;
  bool value = true;
  bool reward = true;
  bool wip = true;
};

/// Default memory limit of the full record: 2 GiB.
inline constexpr std::size_t default_memory_limit = std::size_t(2) << 30;

/// Default work limit: expected stage entries over the whole run (about a minute per
/// thread at funnel6's ~1.5e8 entries per second).
inline constexpr double default_max_stage_entries = 1e10;

/// Options of simulate(). Every count must be > 0; run() throws invalid_option naming
/// the option otherwise.
struct options {
  std::size_t periods = 12;  ///< horizon H in model time units; periods k = [k, k+1)
  std::size_t replications = 1000;
  std::uint64_t seed = 0;
  /// Worker threads; 0 = all cores (std::thread::hardware_concurrency()); negative is an
  /// error. Results do not depend on it.
  int threads = 1;
  /// Replications per chunk. Chunk k draws from random_engine(seed, k); the chunk size,
  /// not the thread count, fixes which stream each replication uses.
  std::size_t chunk_size = 50;
  /// Run only these chunks (for sharding a run across processes); the default is all,
  /// [0, ceil(replications / chunk_size)).
  std::optional<chunk_range> chunks;
  record_options record;
  /// Refuse (invalid_option) a record larger than this many bytes, checked before allocating.
  std::size_t memory_limit = default_memory_limit;
  /// Refuse (invalid_option) a run expected to simulate more stage entries than this in
  /// all (replications × expected entries per replication, loops included), naming the
  /// source or open-pipeline row that makes it large; checked before running. The
  /// per-thread workspace of one replication counts against memory_limit too.
  double max_stage_entries = default_max_stage_entries;
  /// Called with the fraction of chunks done (in [0, 1]) from the calling thread; return
  /// false to stop early (the result then has status cancelled and holds the completed
  /// leading chunks).
  std::function<bool(double)> progress;
};

}  // namespace salespipe::simulate

#endif  // SALESPIPE_SIMULATE_OPTIONS_HPP
