// salespipe/distributions/lognormal.hpp — lognormal duration or value.
#ifndef SALESPIPE_DISTRIBUTIONS_LOGNORMAL_HPP
#define SALESPIPE_DISTRIBUTIONS_LOGNORMAL_HPP

#include <cmath>
#include <optional>

#include <boost/math/distributions/lognormal.hpp>

#include <salespipe/detail/samplers.hpp>
#include <salespipe/distributions/check.hpp>
#include <salespipe/random.hpp>

namespace salespipe {

/// Lognormal distribution: log X ~ Normal(mu, sigma).
/// Throws invalid_model unless mu is finite and sigma finite and > 0.
struct lognormal_dist {
  double mu;
  double sigma;
  /// (mean, sd) when built by with_mean_sd (kept so files round-trip).
  std::optional<std::pair<double, double>> given_mean_sd;

  lognormal_dist(double mu_log, double sigma_log)
      : mu(mu_log), sigma(detail::require_positive("lognormal", "sigma", sigma_log)) {
    if (!std::isfinite(mu)) throw invalid_model("lognormal: mu must be finite, got " + detail::num(mu));
  }

  /// Lognormal with the given mean and standard deviation of X (not of log X):
  /// sigma² = log(1 + sd²/mean²), mu = log(mean) − sigma²/2.
  static lognormal_dist with_mean_sd(double mean, double sd) {
    detail::require_positive("lognormal", "mean", mean);
    detail::require_positive("lognormal", "sd", sd);
    const double s2 = std::log1p((sd / mean) * (sd / mean));
    lognormal_dist d(std::log(mean) - s2 / 2, std::sqrt(s2));
    d.given_mean_sd = std::make_pair(mean, sd);
    return d;
  }
  boost::math::lognormal_distribution<double> boost_dist() const { return {mu, sigma}; }
};

inline double mean(const lognormal_dist& d) { return std::exp(d.mu + d.sigma * d.sigma / 2); }
inline double variance(const lognormal_dist& d) {
  const double s2 = d.sigma * d.sigma;
  return std::expm1(s2) * std::exp(2 * d.mu + s2);
}
inline double cdf(const lognormal_dist& d, double x) { return x <= 0 ? 0.0 : boost::math::cdf(d.boost_dist(), x); }
inline double survival(const lognormal_dist& d, double x) {
  return x <= 0 ? 1.0 : boost::math::cdf(boost::math::complement(d.boost_dist(), x));
}
inline double quantile(const lognormal_dist& d, double p) { return boost::math::quantile(d.boost_dist(), p); }
inline double sample(const lognormal_dist& d, random_engine& rng) { return detail::lognormal(rng, d.mu, d.sigma); }
/// Remaining time given `age` (S(age) > 0); inversion on the upper tail (open deals only).
inline double sample_remaining(const lognormal_dist& d, double age, random_engine& rng) {
  if (age <= 0) return sample(d, rng);
  const double q = survival(d, age) * rng.uniform_open();
  const double t = boost::math::quantile(boost::math::complement(d.boost_dist(), q));
  return t > age ? t - age : 0.0;
}

}  // namespace salespipe

#endif  // SALESPIPE_DISTRIBUTIONS_LOGNORMAL_HPP
