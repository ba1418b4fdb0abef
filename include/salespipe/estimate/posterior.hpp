// salespipe/estimate/posterior.hpp — the (approximate) posterior of a fitted model's
// parameters, and draws of whole models from it.
//
// - route probabilities of a stage: Dirichlet(alpha) (alpha = prior 1 + counts, open
//   deals' expected shares included), drawn as normalised Gamma(alpha_j, 1) variates;
// - a parametric duration: multivariate normal on the fit's working scale (log mean;
//   log shape, log scale; lognormal mu, log sigma) with the inverse observed information
//   as covariance (the large-sample posterior under a flat prior on that scale);
//   an empirical duration: a bootstrap resample of its samples, always keeping the largest
//   (so that an open deal possible under the fit stays possible in every draw);
// - a source rate: Gamma(n, span) posterior of a Poisson rate (n deals in span time units,
//   Jeffreys-like prior 1/rate);
// - the value distribution of an outcome: a bootstrap resample of the observed values.
// The open pipeline is observed, not estimated: it is the same in every draw.
#ifndef SALESPIPE_ESTIMATE_POSTERIOR_HPP
#define SALESPIPE_ESTIMATE_POSTERIOR_HPP

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <salespipe/detail/samplers.hpp>
#include <salespipe/distribution.hpp>
#include <salespipe/error.hpp>
#include <salespipe/estimate/duration_fit.hpp>
#include <salespipe/fwd.hpp>
#include <salespipe/model.hpp>
#include <salespipe/random.hpp>

namespace salespipe::estimate {

/// Posterior of one duration distribution.
struct duration_posterior {
  family kind = family::empirical;
  std::vector<double> mean;     ///< working-scale estimate (1 or 2 entries)
  std::vector<double> chol;     ///< lower Cholesky factor of the covariance, row-major; empty: no spread
  std::vector<double> samples;  ///< empirical: the samples to resample

  /// A distribution drawn from the posterior.
  distribution draw(random_engine& rng) const {
    if (kind == family::empirical) {  // bootstrap; the largest sample is always kept
      std::vector<double> s(samples.size());
      for (auto& x : s)
        x = samples[static_cast<std::size_t>(rng.uniform() * static_cast<double>(samples.size())) % samples.size()];
      s.back() = *std::max_element(samples.begin(), samples.end());
      return empirical_dist(std::move(s));
    }
    std::vector<double> x = mean;
    if (!chol.empty()) {
      const std::size_t n = mean.size();
      std::vector<double> z(n);
      for (auto& v : z) v = salespipe::detail::standard_normal(rng);
      for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j <= i; ++j) x[i] += chol[i * n + j] * z[j];
    }
    switch (kind) {
      case family::exponential: return exponential_dist(std::exp(x[0]));
      case family::gamma: return gamma_dist(std::exp(x[0]), std::exp(x[1]));
      case family::weibull: return weibull_dist(std::exp(x[0]), std::exp(x[1]));
      default: return lognormal_dist(x[0], std::exp(x[1]));
    }
  }
};

/// The posterior of a duration fit: its chosen family's working-scale estimate and
/// covariance, or the empirical samples.
inline duration_posterior posterior_of(const duration_fit& f) {
  duration_posterior p;
  p.kind = f.chosen;
  if (const auto* b = f.best()) {
    p.mean = b->kind == family::lognormal ? std::vector<double>{b->params[0], std::log(b->params[1])}
                                          : std::vector<double>{};
    if (p.mean.empty())
      for (double v : b->params) p.mean.push_back(std::log(v));
    if (b->cov.size() == 1 && b->cov[0] > 0) p.chol = {std::sqrt(b->cov[0])};
    if (b->cov.size() == 4 && b->cov[0] > 0) {
      const double l00 = std::sqrt(b->cov[0]), l10 = b->cov[2] / l00, d = b->cov[3] - l10 * l10;
      if (d > 0) p.chol = {l00, 0, l10, std::sqrt(d)};
    }
  } else if (const auto* e = std::get_if<empirical_dist>(&f.dist.get())) {
    p.samples = e->given();
  } else {
    throw invalid_option("posterior_of: the duration fit holds no distribution to draw from");
  }
  return p;
}

/// Posterior of a fitted model; draw() gives a model with every estimated parameter drawn.
struct model_posterior {
  model point;  ///< the fitted model (posterior means / estimates)
  /// Per stage of `point` (same order): Dirichlet alpha of its routes (same order); empty
  /// when the stage's routes are not estimated.
  std::vector<std::vector<double>> alpha;
  struct route_duration {
    std::size_t stage = 0, route = 0;
    duration_posterior d;
  };
  std::vector<route_duration> durations;  ///< route duration overrides
  struct stage_duration {
    std::size_t stage = 0;
    duration_posterior d;
  };
  std::vector<stage_duration> stage_durations;
  /// A source's rate (and its schedule) is scaled by Gamma(deals, 1) / deals: the
  /// posterior of deals / span relative to its estimate.
  struct source_rate {
    std::size_t source = 0;  ///< index into point.sources
    double deals = 0;        ///< deals seen
    double span = 0;         ///< over this many time units
  };
  std::vector<source_rate> sources;
  std::optional<std::size_t> value_outcome;  ///< index into point.outcomes
  std::vector<double> values;                ///< observed values of that outcome

  /// A model with parameters drawn from the posterior (same structure as `point`).
  model draw(random_engine& rng) const {
    model m = point;
    for (std::size_t s = 0; s < alpha.size() && s < m.stages.size(); ++s) {
      const auto& a = alpha[s];
      if (a.empty()) continue;
      if (a.size() != m.stages[s].routes.size())
        throw invalid_option("model_posterior: stage '" + m.stages[s].id + "' has " +
                             std::to_string(m.stages[s].routes.size()) + " routes but " + std::to_string(a.size()) +
                             " Dirichlet parameters");
      std::vector<double> g(a.size());
      double sum = 0;
      for (std::size_t j = 0; j < a.size(); ++j) sum += g[j] = salespipe::detail::gamma(rng, a[j], 1.0);
      for (std::size_t j = 0; j < a.size(); ++j) m.stages[s].routes[j].p = g[j] / sum;
    }
    for (const auto& d : durations) m.stages.at(d.stage).routes.at(d.route).duration = d.d.draw(rng);
    for (const auto& d : stage_durations) m.stages.at(d.stage).duration = d.d.draw(rng);
    for (const auto& s : sources) {  // the whole schedule scaled by drawn rate / estimate
      auto& src = m.sources.at(s.source);
      const double f = salespipe::detail::gamma(rng, s.deals, 1.0) / s.deals;
      src.rate *= f;
      for (auto& c : src.schedule) c.rate *= f;
    }
    if (value_outcome && !values.empty()) {
      std::vector<double> v(values.size());
      for (auto& x : v)
        x = values[static_cast<std::size_t>(rng.uniform() * static_cast<double>(values.size())) % values.size()];
      m.outcomes.at(*value_outcome).on_enter = empirical_dist(std::move(v));
    }
    return m;
  }
};

}  // namespace salespipe::estimate

#endif  // SALESPIPE_ESTIMATE_POSTERIOR_HPP
