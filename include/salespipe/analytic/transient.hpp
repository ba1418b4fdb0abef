// salespipe/analytic/transient.hpp — time to outcome: for a deal entering a stage at
// time 0, the distribution of the time until it enters each node, on a time grid.
//
// Method: every route duration is discretised on the lattice t_n = n·h by local moment
// matching (detail/lattice.hpp: mean exact, fixed durations on the lattice exact) and the
// Markov renewal equation is run forward by direct causal convolution
// (detail/renewal.hpp). For a node a deal enters at most once (every outcome) the masses
// are the defective density of the entry time; for a node on a loop they are the
// expected-entries density. The cdf between lattice points treats each mass as spread
// uniformly over [t_n − h/2, t_n + h/2]. Error: O(h²) for smooth durations; each stage
// passage adds at most h²/4 to the variance. The error is estimated by comparing with
// the run at step 2h (Richardson: |F_h − F_2h| / 3 at the lattice points) and, with
// step = 0 (automatic), h is halved until that estimate is below the tolerance.
//
//   auto t = salespipe::time_to_outcome(pipeline, "Lead");
//   double p50 = t.node("Won").quantile(0.5);     // months, for deals that are won
#ifndef SALESPIPE_ANALYTIC_TRANSIENT_HPP
#define SALESPIPE_ANALYTIC_TRANSIENT_HPP

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <salespipe/analytic/detail/renewal.hpp>
#include <salespipe/detail/format.hpp>
#include <salespipe/error.hpp>
#include <salespipe/pipeline.hpp>

namespace salespipe::analytic {

/// Options of time_to_outcome. Times in the model's time unit.
struct transient_options {
  double step = 0;                                 ///< grid step h (> 0), or 0: automatic (see tolerance)
  double horizon = 0;                              ///< grid end, or 0: automatic (mean + 12 sd of absorption, grown
                                                   ///< until the unabsorbed mass is below `tolerance`)
  double tolerance = 1e-4;                         ///< target for the estimated cdf error and the unabsorbed mass
  std::size_t max_bytes = std::size_t(256) << 20;  ///< memory limit of the grid (bytes)
  /// Automatic refinement (step or horizon = 0) stops before a grid would exceed this many
  /// points, even if the tolerance is not reached: atoms (fixed, empirical durations off
  /// the grid) keep the cdf error estimate near the atom's mass at any step. The result's
  /// error_estimate() then says what was reached.
  std::size_t max_auto_points = std::size_t(1) << 15;
};

/// The entry-time measure of one node for a deal started at time 0: masses on the
/// lattice n·h (expected entries at each point; a defective density for a node entered
/// at most once).
class entry_time {
 public:
  entry_time() = default;
  entry_time(double h, std::vector<double> masses) : h_(h), m_(std::move(masses)) {
    c_.resize(m_.size() + 1, 0.0);
    for (std::size_t n = 0; n < m_.size(); ++n) c_[n + 1] = c_[n] + m_[n];
  }
  double step() const noexcept { return h_; }
  std::size_t size() const noexcept { return m_.size(); }
  /// Lattice masses (expected entries at n·h).
  const std::vector<double>& masses() const noexcept { return m_; }
  /// Expected entries within the horizon (P(enter) for a node entered at most once).
  double total() const noexcept { return c_.back(); }
  /// Expected entries by time t (the cdf, defective, for a node entered at most once).
  double cumulative(double t) const noexcept {
    if (m_.empty() || t < 0) return 0.0;
    const double u = t / h_ + 0.5;  // mass n spread uniformly over [n − ½, n + ½]·h
    const auto n = static_cast<std::size_t>(std::floor(u));
    if (n >= m_.size()) return total();
    const double frac = n == 0 ? std::min(1.0, 2 * t / h_) : u - static_cast<double>(n);
    return c_[n] + frac * m_[n];
  }
  /// Entry density at t (per time unit).
  double density(double t) const noexcept {
    if (m_.empty() || t < 0) return 0.0;
    const auto n = static_cast<std::size_t>(std::floor(t / h_ + 0.5));
    if (n >= m_.size()) return 0.0;
    return n == 0 ? 2 * m_[0] / h_ : m_[n] / h_;
  }
  /// Quantile of the entry time given entry within the horizon (p in (0, 1)); for a
  /// node on a loop: of the normalised expected-entries measure. NaN if never entered.
  double quantile(double p) const noexcept {
    const double tot = total();
    if (!(tot > 0) || !(p > 0 && p < 1)) return std::nan("");
    const double target = p * tot;
    const auto it = std::lower_bound(c_.begin() + 1, c_.end(), target);
    const auto n = static_cast<std::size_t>(it - c_.begin()) - 1;  // mass n holds it
    const double frac = m_[n] > 0 ? (target - c_[n]) / m_[n] : 0.5;
    if (n == 0) return frac * h_ / 2;
    return (static_cast<double>(n) - 0.5 + frac) * h_;
  }
  /// Mean entry time given entry (exact for the lattice; NaN if never entered).
  double mean() const noexcept {
    double s = 0;
    for (std::size_t n = 0; n < m_.size(); ++n) s += m_[n] * static_cast<double>(n);
    return total() > 0 ? s * h_ / total() : std::nan("");
  }
  /// Variance of the entry time given entry (lattice variance; see the header comment).
  double variance() const noexcept {
    const double mu = mean();
    double s = 0;
    for (std::size_t n = 0; n < m_.size(); ++n) {
      const double d = static_cast<double>(n) * h_ - mu;
      s += m_[n] * d * d;
    }
    return total() > 0 ? s / total() : std::nan("");
  }

 private:
  double h_ = 1;
  std::vector<double> m_;
  std::vector<double> c_{0.0};
};

/// Entry times of every node for a deal entering `start()` at time 0.
class transient_result {
 public:
  transient_result(std::vector<std::string> ids, std::size_t stages, std::size_t start, std::vector<entry_time> nodes,
                   double error)
      : ids_(std::move(ids)), stages_(stages), start_(start), nodes_(std::move(nodes)), error_(error) {}
  std::size_t start() const noexcept { return start_; }
  double step() const noexcept { return nodes_.front().step(); }
  /// Grid end (time units).
  double horizon() const noexcept { return step() * static_cast<double>(nodes_.front().size()); }
  /// Node n's entry times.
  const entry_time& node(std::size_t n) const { return nodes_.at(n); }
  /// Node `id`'s entry times; throws invalid_model for an unknown id.
  const entry_time& node(std::string_view id) const {
    for (std::size_t i = 0; i < ids_.size(); ++i)
      if (ids_[i] == id) return nodes_[i];
    throw invalid_model("unknown node '" + std::string(id) + "'" + salespipe::detail::did_you_mean(id, ids_));
  }
  /// Probability of not having reached an outcome by the horizon.
  double unabsorbed() const noexcept {
    double s = 1;
    for (std::size_t i = stages_; i < nodes_.size(); ++i) s -= nodes_[i].total();
    return std::max(0.0, s);
  }
  /// Estimated discretisation error of the cumulative functions: max |F_h − F_2h| / 3
  /// over the lattice points of step 2h, over all nodes.
  double error_estimate() const noexcept { return error_; }

 private:
  std::vector<std::string> ids_;
  std::size_t stages_, start_;
  std::vector<entry_time> nodes_;
  double error_;
};

namespace detail {

template <class D>
std::vector<entry_time> transient_run(const basic_pipeline<D>& pl, std::size_t start, double h, std::size_t n) {
  renewal_grid grid(pl, h, n);
  std::vector<std::vector<double>> inj(pl.node_count());
  inj[start].assign(n, 0.0);
  inj[start][0] = 1.0;
  auto r = grid.run(inj);
  std::vector<entry_time> out;
  for (auto& e : r.entries) out.emplace_back(h, std::move(e));
  return out;
}

inline double richardson(const std::vector<entry_time>& fine, const std::vector<entry_time>& coarse) {
  double err = 0;
  for (std::size_t v = 0; v < fine.size(); ++v)
    for (std::size_t n = 0; n < coarse[v].size(); ++n) {
      const double t = static_cast<double>(n) * coarse[v].step();
      err = std::max(err, std::abs(fine[v].cumulative(t) - coarse[v].cumulative(t)) / 3);
    }
  return err;
}

}  // namespace detail

/// Entry times of every node for a deal entering stage `start` at time 0.
/// Throws invalid_model (unknown or non-stage start; zero-duration loop, naming its
/// stages), invalid_option (step < 0 or NaN, horizon < 0, tolerance <= 0, or a grid
/// needing more than max_bytes). Complexity per run: O(n · Σ_groups support) time.
template <class D>
transient_result time_to_outcome(const basic_pipeline<D>& pl, std::string_view start,
                                 const transient_options& opt = {}) {
  const std::size_t s0 = pl.index_of(start);
  if (!pl.is_stage(s0)) throw invalid_model("time_to_outcome: '" + std::string(start) + "' is an outcome, not a stage");
  if (!(opt.step >= 0) || !std::isfinite(opt.step))
    throw invalid_option("transient step must be > 0 (or 0 for automatic), got " + salespipe::detail::num(opt.step));
  if (!(opt.horizon >= 0) || !std::isfinite(opt.horizon))
    throw invalid_option("transient horizon must be > 0 (or 0 for automatic), got " +
                         salespipe::detail::num(opt.horizon));
  if (!(opt.tolerance > 0))
    throw invalid_option("transient tolerance must be > 0, got " + salespipe::detail::num(opt.tolerance));
  detail::check_no_zero_duration_loop(pl);

  double horizon = opt.horizon;
  if (horizon == 0) {
    std::vector<double> m1, m2;
    detail::absorption_moments(pl, m1, m2);
    const double sd = std::sqrt(std::max(0.0, m2[s0] - m1[s0] * m1[s0]));
    horizon = std::max(m1[s0] + 12 * sd, 1e-9);
  }
  const std::size_t per_point = (pl.node_count() + 2 * pl.stage_count() + 2) * sizeof(double) * 3;
  auto points = [&](double h) {
    const double n = std::ceil(horizon / h - 1e-9);
    if (!(n * static_cast<double>(per_point) <= static_cast<double>(opt.max_bytes)))
      throw invalid_option(
          "transient grid of step " + salespipe::detail::num(h) + " up to " + salespipe::detail::num(horizon) +
          " needs " + salespipe::detail::num(n * static_cast<double>(per_point) / 1048576) + " MiB, above max_bytes (" +
          salespipe::detail::num(static_cast<double>(opt.max_bytes) / 1048576) +
          " MiB): raise the step or lower the horizon");
    return static_cast<std::size_t>(std::max(n, 2.0));
  };
  double h = opt.step > 0 ? opt.step : horizon / 512;
  for (;;) {
    auto fine = detail::transient_run(pl, s0, h, points(h));
    auto coarse = detail::transient_run(pl, s0, 2 * h, points(2 * h));
    const double err = detail::richardson(fine, coarse);
    transient_result res(pl.node_ids(), pl.stage_count(), s0, std::move(fine), err);
    const double auto_limit = static_cast<double>(opt.max_auto_points);
    if (opt.horizon == 0 && res.unabsorbed() > opt.tolerance && 2 * horizon / h <= auto_limit &&
        2 * horizon / h * static_cast<double>(per_point) <= static_cast<double>(opt.max_bytes)) {
      horizon *= 2;  // the tail is heavier than 12 sd: grow the horizon
      continue;
    }
    if (opt.step == 0 && err > opt.tolerance && 2 * horizon / h <= auto_limit &&
        2 * horizon / h * static_cast<double>(per_point) <= static_cast<double>(opt.max_bytes)) {
      h /= 2;
      continue;
    }
    return res;
  }
}

}  // namespace salespipe::analytic

#endif  // SALESPIPE_ANALYTIC_TRANSIENT_HPP
