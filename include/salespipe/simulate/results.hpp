// salespipe/simulate/results.hpp — the record of a Monte Carlo run: per replication and
// period, the quantities chosen in record_options, for a contiguous range of chunks.
//
// Results of consecutive chunk ranges of the same run merge with `+=` (appending), and
// the merge is bit-identical to running the union at once.
#ifndef SALESPIPE_SIMULATE_RESULTS_HPP
#define SALESPIPE_SIMULATE_RESULTS_HPP

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <salespipe/error.hpp>
#include <salespipe/simulate/options.hpp>

namespace salespipe::simulate {

/// A recorded quantity (see record_options).
enum class quantity : unsigned char { entries = 0, value = 1, reward = 2, wip = 3 };
inline constexpr std::size_t quantity_count = 4;

/// "entries", "value", "reward", "wip".
constexpr std::string_view to_string(quantity q) noexcept {
  constexpr std::string_view names[] = {"entries", "value", "reward", "wip"};
  return names[static_cast<int>(q)];
}

/// completed: every requested chunk ran; cancelled: the progress callback returned false,
/// the result holds the leading chunks that completed (possibly none).
enum class run_status { completed, cancelled };

namespace detail {
struct results_access;
}

/// Per-replication, per-period record of a run (or of a chunk range of it).
class results {
 public:
  results() = default;

  std::size_t periods() const noexcept { return periods_; }
  /// Replications held (those of chunks()).
  std::size_t replications() const noexcept { return reps_; }
  /// Index, within the whole run, of the first replication held.
  std::size_t first_replication() const noexcept { return chunks_.first * chunk_size_; }
  /// Chunks held, [first, last).
  chunk_range chunks() const noexcept { return chunks_; }
  std::uint64_t seed() const noexcept { return seed_; }
  std::size_t chunk_size() const noexcept { return chunk_size_; }
  /// Replications of the whole run (options::replications).
  std::size_t run_replications() const noexcept { return run_reps_; }
  run_status status() const noexcept { return status_; }
  bool cancelled() const noexcept { return status_ == run_status::cancelled; }

  /// Node ids of the pipeline (stages first); stage_count() of them are stages.
  const std::vector<std::string>& node_ids() const noexcept { return ids_; }
  std::size_t stage_count() const noexcept { return stages_; }
  /// Index of a node by id; throws invalid_option if unknown.
  std::size_t node_index(std::string_view id) const {
    for (std::size_t i = 0; i < ids_.size(); ++i)
      if (ids_[i] == id) return i;
    throw invalid_option("results: unknown node '" + std::string(id) + "'");
  }
  /// True when q was recorded for node.
  bool has(quantity q, std::size_t node) const noexcept { return node < ids_.size() && slot_[index(q, node)] != npos; }
  /// The periods() values of replication `rep` (0-based within this result).
  /// Throws invalid_option when q was not recorded for node or rep is out of range.
  const double* row(quantity q, std::size_t node, std::size_t rep) const {
    if (!has(q, node))
      throw invalid_option("results: " + std::string(to_string(q)) + " of node " +
                           (node < ids_.size() ? "'" + ids_[node] + "'" : std::to_string(node)) +
                           " was not recorded (see options::record)");
    if (rep >= reps_)
      throw invalid_option("results: replication " + std::to_string(rep) + " out of range (" + std::to_string(reps_) +
                           " held)");
    return series_[slot_[index(q, node)]].data() + rep * periods_;
  }
  /// Value of q for node in replication rep, period k.
  double at(quantity q, std::size_t node, std::size_t rep, std::size_t k) const {
    if (k >= periods_) throw invalid_option("results: period " + std::to_string(k) + " out of range");
    return row(q, node, rep)[k];
  }

  /// Appends `next`, which must be the chunks right after these of the same run (same
  /// seed, chunk size, periods, nodes and record layout); an empty `*this` (default
  /// constructed) becomes a copy. Throws invalid_option otherwise. The status becomes
  /// cancelled if either is.
  results& operator+=(const results& next) {
    if (ids_.empty() && reps_ == 0 && chunks_.last == 0) return *this = next;
    if (next.seed_ != seed_ || next.chunk_size_ != chunk_size_ || next.periods_ != periods_ ||
        next.run_reps_ != run_reps_ || next.ids_ != ids_ || next.slot_ != slot_)
      throw invalid_option("results +=: the results come from different runs or record options");
    if (next.chunks_.first != chunks_.last)
      throw invalid_option("results +=: chunks [" + std::to_string(next.chunks_.first) + ", " +
                           std::to_string(next.chunks_.last) + ") do not follow chunks [" +
                           std::to_string(chunks_.first) + ", " + std::to_string(chunks_.last) + ")");
    for (std::size_t i = 0; i < series_.size(); ++i)
      series_[i].insert(series_[i].end(), next.series_[i].begin(), next.series_[i].end());
    reps_ += next.reps_;
    chunks_.last = next.chunks_.last;
    if (next.cancelled()) status_ = run_status::cancelled;
    return *this;
  }

  /// Bit-for-bit equality of everything held (layout, metadata and every recorded double).
  friend bool operator==(const results& a, const results& b) {
    if (a.periods_ != b.periods_ || a.reps_ != b.reps_ || a.run_reps_ != b.run_reps_ || a.seed_ != b.seed_ ||
        a.chunk_size_ != b.chunk_size_ || a.chunks_.first != b.chunks_.first || a.chunks_.last != b.chunks_.last ||
        a.status_ != b.status_ || a.ids_ != b.ids_ || a.stages_ != b.stages_ || a.slot_ != b.slot_ ||
        a.series_.size() != b.series_.size())
      return false;
    for (std::size_t i = 0; i < a.series_.size(); ++i)
      if (a.series_[i].size() != b.series_[i].size() ||
          (!a.series_[i].empty() &&
           std::memcmp(a.series_[i].data(), b.series_[i].data(), a.series_[i].size() * sizeof(double)) != 0))
        return false;
    return true;
  }
  friend bool operator!=(const results& a, const results& b) { return !(a == b); }

  /// Bytes held by the record (the series).
  std::size_t record_bytes() const noexcept {
    std::size_t n = 0;
    for (const auto& s : series_) n += s.size() * sizeof(double);
    return n;
  }

  /// A flat byte image (native endianness: for processes on the same architecture, e.g.
  /// MPI ranks), read back by deserialize().
  std::vector<char> serialize() const {
    std::vector<char> out;
    auto put = [&out](const void* p, std::size_t n) {
      const char* c = static_cast<const char*>(p);
      out.insert(out.end(), c, c + n);
    };
    auto put_u = [&put](std::uint64_t v) { put(&v, sizeof v); };
    put("SPMC1", 5);
    put_u(periods_), put_u(reps_), put_u(run_reps_), put_u(seed_), put_u(chunk_size_);
    put_u(chunks_.first), put_u(chunks_.last), put_u(static_cast<std::uint64_t>(status_));
    put_u(stages_), put_u(ids_.size());
    for (const auto& id : ids_) put_u(id.size()), put(id.data(), id.size());
    for (std::size_t s : slot_) put_u(s == npos ? ~std::uint64_t(0) : s);
    put_u(series_.size());
    for (const auto& s : series_) put_u(s.size()), put(s.data(), s.size() * sizeof(double));
    return out;
  }
  /// Inverse of serialize(); throws parse_error on a malformed image.
  static results deserialize(const char* data, std::size_t size) {
    std::size_t pos = 0;
    auto get = [&](void* p, std::size_t n) {
      if (size - pos < n) throw parse_error("results image", "truncated at byte " + std::to_string(pos));
      std::memcpy(p, data + pos, n);
      pos += n;
    };
    auto get_u = [&] {
      std::uint64_t v;
      get(&v, sizeof v);
      return v;
    };
    auto get_n = [&](std::size_t elem) {
      const std::uint64_t n = get_u();
      if (n > (size - pos) / elem) throw parse_error("results image", "bad length at byte " + std::to_string(pos));
      return static_cast<std::size_t>(n);
    };
    char magic[5];
    get(magic, 5);
    if (std::memcmp(magic, "SPMC1", 5) != 0) throw parse_error("results image", "not a results image");
    results r;
    r.periods_ = get_u(), r.reps_ = get_u(), r.run_reps_ = get_u(), r.seed_ = get_u();
    r.chunk_size_ = get_u(), r.chunks_.first = get_u(), r.chunks_.last = get_u();
    r.status_ = get_u() ? run_status::cancelled : run_status::completed;
    r.stages_ = get_u();
    r.ids_.resize(get_n(8));
    for (auto& id : r.ids_) {
      id.resize(get_n(1));
      get(id.data(), id.size());
    }
    r.slot_.resize(r.ids_.size() * quantity_count);
    for (auto& s : r.slot_) {
      const std::uint64_t v = get_u();
      s = v == ~std::uint64_t(0) ? npos : static_cast<std::size_t>(v);
    }
    r.series_.resize(get_n(8));
    for (auto& s : r.series_) {
      s.resize(get_n(sizeof(double)));
      get(s.data(), s.size() * sizeof(double));
    }
    for (std::size_t s : r.slot_)
      if (s != npos && (s >= r.series_.size() || r.series_[s].size() != r.reps_ * r.periods_))
        throw parse_error("results image", "inconsistent series layout");
    return r;
  }

 private:
  friend struct detail::results_access;
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);
  std::size_t index(quantity q, std::size_t node) const noexcept {
    return node * quantity_count + static_cast<std::size_t>(q);
  }

  std::size_t periods_ = 0, reps_ = 0, run_reps_ = 0, chunk_size_ = 0, stages_ = 0;
  std::uint64_t seed_ = 0;
  chunk_range chunks_;
  run_status status_ = run_status::completed;
  std::vector<std::string> ids_;
  std::vector<std::size_t> slot_;            // node * quantity_count + q -> series or npos
  std::vector<std::vector<double>> series_;  // each reps_ * periods_, replication-major
};

namespace detail {
/// The engine's write access to a results object.
struct results_access {
  static results& init(results& r) { return r; }
  static std::vector<std::size_t>& slots(results& r) { return r.slot_; }
  static std::vector<std::vector<double>>& series(results& r) { return r.series_; }
  static void set_meta(results& r, std::vector<std::string> ids, std::size_t stages, std::size_t periods,
                       std::size_t run_reps, std::uint64_t seed, std::size_t chunk_size, chunk_range chunks,
                       std::size_t reps) {
    r.ids_ = std::move(ids), r.stages_ = stages, r.periods_ = periods, r.run_reps_ = run_reps;
    r.seed_ = seed, r.chunk_size_ = chunk_size, r.chunks_ = chunks, r.reps_ = reps;
  }
  static void truncate(results& r, std::size_t last_chunk, std::size_t reps) {
    r.chunks_.last = last_chunk;
    r.reps_ = reps;
    for (auto& s : r.series_) {
      s.resize(reps * r.periods_);
      s.shrink_to_fit();
    }
    r.status_ = run_status::cancelled;
  }
  static constexpr std::size_t npos = results::npos;
};
}  // namespace detail

}  // namespace salespipe::simulate

#endif  // SALESPIPE_SIMULATE_RESULTS_HPP
