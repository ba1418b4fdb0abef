// salespipe/distributions/fixed.hpp — a deterministic duration or value.
#ifndef SALESPIPE_DISTRIBUTIONS_FIXED_HPP
#define SALESPIPE_DISTRIBUTIONS_FIXED_HPP

#include <salespipe/distributions/check.hpp>
#include <salespipe/random.hpp>

namespace salespipe {

/// Always `value` (>= 0). Throws invalid_model for a negative or non-finite value.
struct fixed_dist {
  double value;
  explicit fixed_dist(double v) : value(detail::require_non_negative("fixed", "value", v)) {}
};

inline double mean(const fixed_dist& d) { return d.value; }
inline double variance(const fixed_dist&) { return 0.0; }
inline double cdf(const fixed_dist& d, double x) { return x >= d.value ? 1.0 : 0.0; }
inline double survival(const fixed_dist& d, double x) { return x >= d.value ? 0.0 : 1.0; }
inline double quantile(const fixed_dist& d, double) { return d.value; }
inline double sample(const fixed_dist& d, random_engine&) { return d.value; }
/// Remaining time given `age` < value.
inline double sample_remaining(const fixed_dist& d, double age, random_engine&) {
  return d.value > age ? d.value - age : 0.0;
}

}  // namespace salespipe

#endif  // SALESPIPE_DISTRIBUTIONS_FIXED_HPP
