// salespipe/distributions/gamma.hpp — gamma duration or value.
#ifndef SALESPIPE_DISTRIBUTIONS_GAMMA_HPP
#define SALESPIPE_DISTRIBUTIONS_GAMMA_HPP

#include <boost/math/distributions/gamma.hpp>

#include <salespipe/detail/samplers.hpp>
#include <salespipe/distributions/check.hpp>
#include <salespipe/random.hpp>

namespace salespipe {

/// Gamma distribution with `shape` k and `scale` θ (mean kθ, variance kθ²).
/// Throws invalid_model unless both are finite and > 0 and k <= max_shape.
struct gamma_dist {
  /// Largest shape: CV 0.1%, far inside what Boost's incomplete gamma evaluates (its series
  /// gives up near 1e12, found by fuzz_model); a deterministic time is `fixed`.
  static constexpr double max_shape = 1e6;
  double shape;
  double scale;
  bool given_as_mean = false;  ///< built by with_mean (kept so files round-trip)

  gamma_dist(double shape_k, double scale_theta)
      : shape(checked_shape(shape_k)), scale(detail::require_positive("gamma", "scale", scale_theta)) {}

  /// Gamma with the given shape and mean (scale = mean / shape).
  static gamma_dist with_mean(double shape_k, double mean) {
    checked_shape(shape_k);
    gamma_dist d(shape_k, detail::require_positive("gamma", "mean", mean) / shape_k);
    d.given_as_mean = true;
    return d;
  }
  boost::math::gamma_distribution<double> boost_dist() const { return {shape, scale}; }

 private:
  static double checked_shape(double k) {
    detail::require_positive("gamma", "shape", k);
    if (k > max_shape)
      throw invalid_model("gamma: shape must be at most 1e6 (a CV of 0.1%; use fixed for a deterministic time), got " +
                          detail::num(k));
    return k;
  }
};

inline double mean(const gamma_dist& d) { return d.shape * d.scale; }
inline double variance(const gamma_dist& d) { return d.shape * d.scale * d.scale; }
inline double cdf(const gamma_dist& d, double x) { return x <= 0 ? 0.0 : boost::math::cdf(d.boost_dist(), x); }
inline double survival(const gamma_dist& d, double x) {
  return x <= 0 ? 1.0 : boost::math::cdf(boost::math::complement(d.boost_dist(), x));
}
inline double quantile(const gamma_dist& d, double p) { return boost::math::quantile(d.boost_dist(), p); }
inline double sample(const gamma_dist& d, random_engine& rng) { return detail::gamma(rng, d.shape, d.scale); }
/// Remaining time given `age` (S(age) > 0): inversion on the upper tail, exact in the
/// far tail. Not for hot loops (open deals only).
inline double sample_remaining(const gamma_dist& d, double age, random_engine& rng) {
  if (age <= 0) return sample(d, rng);
  const double q = survival(d, age) * rng.uniform_open();
  const double t = boost::math::quantile(boost::math::complement(d.boost_dist(), q));
  return t > age ? t - age : 0.0;
}

}  // namespace salespipe

#endif  // SALESPIPE_DISTRIBUTIONS_GAMMA_HPP
