// salespipe/distributions/weibull.hpp — Weibull duration or value.
#ifndef SALESPIPE_DISTRIBUTIONS_WEIBULL_HPP
#define SALESPIPE_DISTRIBUTIONS_WEIBULL_HPP

#include <cmath>

#include <boost/math/special_functions/gamma.hpp>

#include <salespipe/detail/samplers.hpp>
#include <salespipe/distributions/check.hpp>
#include <salespipe/random.hpp>

namespace salespipe {

/// Weibull distribution, S(x) = exp(−(x/scale)^shape).
/// Throws invalid_model unless shape and scale are finite and > 0.
struct weibull_dist {
  double shape;
  double scale;
  weibull_dist(double shape_k, double scale_lambda)
      : shape(detail::require_positive("weibull", "shape", shape_k)),
        scale(detail::require_positive("weibull", "scale", scale_lambda)) {}
};

inline double mean(const weibull_dist& d) { return d.scale * boost::math::tgamma(1 + 1 / d.shape); }
inline double variance(const weibull_dist& d) {
  const double g1 = boost::math::tgamma(1 + 1 / d.shape);
  return d.scale * d.scale * (boost::math::tgamma(1 + 2 / d.shape) - g1 * g1);
}
inline double cdf(const weibull_dist& d, double x) {
  return x <= 0 ? 0.0 : -std::expm1(-std::pow(x / d.scale, d.shape));
}
inline double survival(const weibull_dist& d, double x) {
  return x <= 0 ? 1.0 : std::exp(-std::pow(x / d.scale, d.shape));
}
inline double quantile(const weibull_dist& d, double p) { return d.scale * std::pow(-std::log1p(-p), 1 / d.shape); }
inline double sample(const weibull_dist& d, random_engine& rng) { return detail::weibull(rng, d.shape, d.scale); }
/// Remaining time given `age`: closed form, H(t) = (t/scale)^shape, H(T) = H(age) + E.
inline double sample_remaining(const weibull_dist& d, double age, random_engine& rng) {
  if (age <= 0) return sample(d, rng);
  const double h = std::pow(age / d.scale, d.shape) + detail::standard_exponential(rng);
  const double t = d.scale * std::pow(h, 1 / d.shape);
  return t > age ? t - age : 0.0;
}

}  // namespace salespipe

#endif  // SALESPIPE_DISTRIBUTIONS_WEIBULL_HPP
