// salespipe/distributions/gamma.hpp — gamma duration or value.
#ifndef SALESPIPE_DISTRIBUTIONS_GAMMA_HPP
#define SALESPIPE_DISTRIBUTIONS_GAMMA_HPP

#include <boost/math/distributions/gamma.hpp>

#include <salespipe/detail/samplers.hpp>
#include <salespipe/distributions/check.hpp>
#include <salespipe/random.hpp>

namespace salespipe {

/// Gamma distribution with `shape` k and `scale` θ (mean kθ, variance kθ²).
/// Throws invalid_model unless both are finite and > 0.
struct gamma_dist {
  double shape;
  double scale;
  bool given_as_mean = false;  ///< built by with_mean (kept so files round-trip)

  gamma_dist(double shape_k, double scale_theta)
      : shape(detail::require_positive("gamma", "shape", shape_k)),
        scale(detail::require_positive("gamma", "scale", scale_theta)) {}

  /// Gamma with the given shape and mean (scale = mean / shape).
  static gamma_dist with_mean(double shape_k, double mean) {
    detail::require_positive("gamma", "shape", shape_k);
    gamma_dist d(shape_k, detail::require_positive("gamma", "mean", mean) / shape_k);
    d.given_as_mean = true;
    return d;
  }
  boost::math::gamma_distribution<double> boost_dist() const { return {shape, scale}; }
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
