// salespipe/distributions/uniform.hpp — uniform duration or value on [min, max].
#ifndef SALESPIPE_DISTRIBUTIONS_UNIFORM_HPP
#define SALESPIPE_DISTRIBUTIONS_UNIFORM_HPP

#include <salespipe/detail/samplers.hpp>
#include <salespipe/distributions/check.hpp>
#include <salespipe/random.hpp>

namespace salespipe {

/// Uniform on [min, max], 0 <= min < max. Throws invalid_model otherwise.
struct uniform_dist {
  double min;
  double max;
  uniform_dist(double lo, double hi)
      : min(detail::require_non_negative("uniform", "min", lo)),
        max(detail::require_non_negative("uniform", "max", hi)) {
    if (!(min < max))
      throw invalid_model("uniform: min must be < max, got min " + detail::num(min) + " and max " + detail::num(max));
  }
};

inline double mean(const uniform_dist& d) { return (d.min + d.max) / 2; }
inline double variance(const uniform_dist& d) { return (d.max - d.min) * (d.max - d.min) / 12; }
inline double cdf(const uniform_dist& d, double x) {
  return x <= d.min ? 0.0 : x >= d.max ? 1.0 : (x - d.min) / (d.max - d.min);
}
inline double survival(const uniform_dist& d, double x) { return 1.0 - cdf(d, x); }
inline double quantile(const uniform_dist& d, double p) { return d.min + p * (d.max - d.min); }
inline double sample(const uniform_dist& d, random_engine& rng) { return detail::uniform(rng, d.min, d.max); }
/// Remaining time given `age` < max: uniform on [max(min, age), max] minus age.
inline double sample_remaining(const uniform_dist& d, double age, random_engine& rng) {
  const double lo = age > d.min ? age : d.min;
  return detail::uniform(rng, lo, d.max) - age;
}

}  // namespace salespipe

#endif  // SALESPIPE_DISTRIBUTIONS_UNIFORM_HPP
