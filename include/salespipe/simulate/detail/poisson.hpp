// salespipe/simulate/detail/poisson.hpp — a fast, portable Poisson sampler on random_engine.
//
// Why our own: std::poisson_distribution's sequence is implementation-defined, and the
// simulator draws one Poisson count per constant-rate segment of every source in every
// replication. Small means use sequential inversion (exact, O(mean) work); means >= 10
// use PTRS, the transformed rejection with squeeze of Hörmann (1993), "The transformed
// rejection method for generating Poisson random variables", Insurance: Mathematics and
// Economics 12, 39–45 (acceptance ≈ 0.9–0.99, O(1) work). log k! comes from a table
// (k < 256) and the Stirling series otherwise, so no std::lgamma (not thread-safe on
// every libc: it writes signgam).
#ifndef SALESPIPE_SIMULATE_DETAIL_POISSON_HPP
#define SALESPIPE_SIMULATE_DETAIL_POISSON_HPP

#include <array>
#include <cmath>
#include <cstdint>

#include <salespipe/random.hpp>

namespace salespipe::detail {

/// log(k!) for k >= 0: exact sums below 256, Stirling series (error < 1e-15) above.
inline double log_factorial(std::uint64_t k) noexcept {
  struct table {
    std::array<double, 256> v{};
    table() noexcept {
      v[0] = 0;
      for (std::size_t i = 1; i < v.size(); ++i) v[i] = v[i - 1] + std::log(static_cast<double>(i));
    }
  };
  static const table t;
  if (k < t.v.size()) return t.v[k];
  const double n = static_cast<double>(k) + 1;  // log Γ(n)
  const double inv = 1 / n, inv2 = inv * inv;
  return (n - 0.5) * std::log(n) - n + 0.91893853320467274178 +
         inv * (1.0 / 12 - inv2 * (1.0 / 360 - inv2 * (1.0 / 1260 - inv2 / 1680)));
}

/// One draw from Poisson(mean). mean <= 0 (or NaN) gives 0. Never throws.
inline std::uint64_t poisson(random_engine& rng, double mean) noexcept {
  if (!(mean > 0)) return 0;
  if (mean < 10) {
    // Inversion: walk the cdf from 0 (mean < 10: at most a few dozen steps).
    const double u = rng.uniform();
    double p = std::exp(-mean), cum = p;
    std::uint64_t k = 0;
    while (u >= cum) {
      ++k;
      p *= mean / static_cast<double>(k);
      const double next = cum + p;
      if (next == cum) break;  // tail below rounding: stop (probability < 1e-16)
      cum = next;
    }
    return k;
  }
  // PTRS (Hörmann 1993, algorithm PTRS), constants as published.
  const double slam = std::sqrt(mean), loglam = std::log(mean);
  const double b = 0.931 + 2.53 * slam;
  const double a = -0.059 + 0.02483 * b;
  const double log_inv_alpha = std::log(1.1239 + 1.1328 / (b - 3.4));
  const double vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const double u = rng.uniform() - 0.5;
    const double v = rng.uniform_open();
    const double us = 0.5 - std::fabs(u);
    const double kf = std::floor((2 * a / us + b) * u + mean + 0.43);
    if (us >= 0.07 && v <= vr) return static_cast<std::uint64_t>(kf);
    if (kf < 0 || (us < 0.013 && v > us)) continue;
    const auto k = static_cast<std::uint64_t>(kf);
    if (std::log(v) + log_inv_alpha - std::log(a / (us * us) + b) <= -mean + kf * loglam - log_factorial(k)) return k;
  }
}

}  // namespace salespipe::detail

#endif  // SALESPIPE_SIMULATE_DETAIL_POISSON_HPP
