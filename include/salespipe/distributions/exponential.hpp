// salespipe/distributions/exponential.hpp — exponential duration or value.
#ifndef SALESPIPE_DISTRIBUTIONS_EXPONENTIAL_HPP
#define SALESPIPE_DISTRIBUTIONS_EXPONENTIAL_HPP

#include <cmath>

#include <salespipe/detail/samplers.hpp>
#include <salespipe/distributions/check.hpp>
#include <salespipe/random.hpp>

namespace salespipe {

/// Exponential distribution with the given mean (time units or currency).
/// Throws invalid_model unless mean is finite and > 0.
struct exponential_dist {
  double mean_value;
  explicit exponential_dist(double mean) : mean_value(detail::require_positive("exponential", "mean", mean)) {}
};

inline double mean(const exponential_dist& d) { return d.mean_value; }
inline double variance(const exponential_dist& d) { return d.mean_value * d.mean_value; }
inline double cdf(const exponential_dist& d, double x) { return x <= 0 ? 0.0 : -std::expm1(-x / d.mean_value); }
inline double survival(const exponential_dist& d, double x) { return x <= 0 ? 1.0 : std::exp(-x / d.mean_value); }
inline double quantile(const exponential_dist& d, double p) { return -d.mean_value * std::log1p(-p); }
inline double sample(const exponential_dist& d, random_engine& rng) { return detail::exponential(rng, d.mean_value); }
/// Remaining time given the age already spent: memoryless, so a fresh draw.
inline double sample_remaining(const exponential_dist& d, double /*age*/, random_engine& rng) { return sample(d, rng); }

}  // namespace salespipe

#endif  // SALESPIPE_DISTRIBUTIONS_EXPONENTIAL_HPP
