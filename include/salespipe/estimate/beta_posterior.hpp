// salespipe/estimate/beta_posterior.hpp — route probabilities: Beta and Dirichlet
// posteriors from counts, with equal-tailed credible intervals (Boost.Math quantiles).
//
// Beta(a, b) prior + k successes in n trials -> Beta(a + k, b + n - k). With several
// routes, Dirichlet(prior + counts); each route's marginal is Beta(alpha_j, sum - alpha_j).
#ifndef SALESPIPE_ESTIMATE_BETA_POSTERIOR_HPP
#define SALESPIPE_ESTIMATE_BETA_POSTERIOR_HPP

#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

#include <boost/math/distributions/beta.hpp>

#include <salespipe/error.hpp>
#include <salespipe/estimate/interval.hpp>

namespace salespipe::estimate {

/// A Beta(a, b) posterior of a probability.
struct beta_posterior {
  double a = 1;
  double b = 1;

  double mean() const noexcept { return a / (a + b); }
  double sd() const noexcept {
    const double s = a + b;
    return std::sqrt(a * b / (s * s * (s + 1)));
  }
  /// The p-quantile, p in [0, 1] (Boost.Math beta_distribution).
  double quantile(double p) const { return boost::math::quantile(boost::math::beta_distribution<double>(a, b), p); }
  /// Equal-tailed credible interval of probability `level` (e.g. 0.95).
  interval credible(double level = 0.95) const { return {quantile((1 - level) / 2), quantile((1 + level) / 2)}; }
};

/// Posterior of a probability after k successes in n trials, prior Beta(prior_a, prior_b)
/// (default uniform). Throws invalid_option when k > n or a prior parameter is not > 0.
inline beta_posterior beta_binomial(std::size_t k, std::size_t n, double prior_a = 1, double prior_b = 1) {
  if (k > n)
    throw invalid_option("beta_binomial: successes (" + std::to_string(k) + ") > trials (" + std::to_string(n) + ")");
  if (!(prior_a > 0 && prior_b > 0 && std::isfinite(prior_a) && std::isfinite(prior_b)))
    throw invalid_option("beta_binomial: prior parameters must be finite and > 0");
  return {prior_a + static_cast<double>(k), prior_b + static_cast<double>(n - k)};
}

/// A Dirichlet(alpha) posterior of route probabilities.
struct dirichlet_posterior {
  std::vector<double> alpha;

  double total() const noexcept {
    double s = 0;
    for (double x : alpha) s += x;
    return s;
  }
  /// Posterior means (they sum to 1).
  std::vector<double> mean() const {
    std::vector<double> m;
    const double s = total();
    for (double x : alpha) m.push_back(x / s);
    return m;
  }
  /// Marginal posterior of route j: Beta(alpha_j, total - alpha_j).
  beta_posterior marginal(std::size_t j) const { return {alpha.at(j), total() - alpha.at(j)}; }
};

/// Posterior of route probabilities after `counts` deals took each route, prior
/// Dirichlet(prior, ..., prior) (default 1: uniform). Throws invalid_option for fewer
/// than two routes or prior not > 0.
inline dirichlet_posterior dirichlet_multinomial(const std::vector<std::size_t>& counts, double prior = 1) {
  if (counts.size() < 2) throw invalid_option("dirichlet_multinomial: needs at least two routes");
  if (!(prior > 0 && std::isfinite(prior))) throw invalid_option("dirichlet_multinomial: prior must be finite and > 0");
  dirichlet_posterior d;
  for (auto c : counts) d.alpha.push_back(prior + static_cast<double>(c));
  return d;
}

}  // namespace salespipe::estimate

#endif  // SALESPIPE_ESTIMATE_BETA_POSTERIOR_HPP
