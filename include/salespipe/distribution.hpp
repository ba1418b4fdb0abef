// salespipe/distribution.hpp — `distribution`, the built-in set of durations and values.
//
// A value type holding one of exponential, gamma, lognormal, weibull, fixed, uniform,
// empirical. It models the Duration concept (duration.hpp), so the free functions
// mean/variance/cdf/survival/quantile/sample work on it as on each alternative.
#ifndef SALESPIPE_DISTRIBUTION_HPP
#define SALESPIPE_DISTRIBUTION_HPP

#include <cmath>
#include <cstddef>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <salespipe/distributions/empirical.hpp>
#include <salespipe/distributions/exponential.hpp>
#include <salespipe/distributions/fixed.hpp>
#include <salespipe/distributions/gamma.hpp>
#include <salespipe/distributions/lognormal.hpp>
#include <salespipe/distributions/uniform.hpp>
#include <salespipe/distributions/weibull.hpp>
#include <salespipe/duration.hpp>
#include <salespipe/error.hpp>

namespace salespipe {

/// One of the built-in distributions. Implicitly constructible from each of them:
/// `distribution d = gamma_dist::with_mean(2, 1.5);`
class distribution {
 public:
  using variant_type = std::variant<exponential_dist, gamma_dist, lognormal_dist, weibull_dist, fixed_dist,
                                    uniform_dist, empirical_dist>;

  distribution(exponential_dist d) : v_(std::move(d)) {}
  distribution(gamma_dist d) : v_(std::move(d)) {}
  distribution(lognormal_dist d) : v_(std::move(d)) {}
  distribution(weibull_dist d) : v_(std::move(d)) {}
  distribution(fixed_dist d) : v_(std::move(d)) {}
  distribution(uniform_dist d) : v_(std::move(d)) {}
  distribution(empirical_dist d) : v_(std::move(d)) {}

  /// The alternative held.
  const variant_type& get() const noexcept { return v_; }
  /// Pointer to the alternative T, or nullptr.
  template <class T>
  const T* get_if() const noexcept {
    return std::get_if<T>(&v_);
  }
  /// The model-file name of the alternative: "exponential", "gamma", ...
  std::string_view kind() const noexcept {
    constexpr std::string_view names[] = {"exponential", "gamma",   "lognormal", "weibull",
                                          "fixed",       "uniform", "empirical"};
    return names[v_.index()];
  }
  /// Calls f(alternative) and returns its result.
  template <class F>
  decltype(auto) visit(F&& f) const {
    return std::visit(std::forward<F>(f), v_);
  }

 private:
  variant_type v_;
};

inline double mean(const distribution& d) {
  return d.visit([](const auto& x) { return mean(x); });
}
inline double variance(const distribution& d) {
  return d.visit([](const auto& x) { return variance(x); });
}
inline double cdf(const distribution& d, double t) {
  return d.visit([t](const auto& x) { return cdf(x, t); });
}
inline double survival(const distribution& d, double t) {
  return d.visit([t](const auto& x) { return survival(x, t); });
}
inline double quantile(const distribution& d, double p) {
  return d.visit([p](const auto& x) { return quantile(x, p); });
}
inline double sample(const distribution& d, random_engine& rng) {
  return d.visit([&rng](const auto& x) { return sample(x, rng); });
}
inline double sample_remaining(const distribution& d, double age, random_engine& rng) {
  return d.visit([&](const auto& x) { return sample_remaining(x, age, rng); });
}
/// Batch draws with one dispatch per call (the simulator's hot path).
inline void sample_n(const distribution& d, random_engine& rng, double* out, std::size_t n) {
  d.visit([&](const auto& x) {
    for (std::size_t i = 0; i < n; ++i) out[i] = sample(x, rng);
  });
}

/// `d` with every time (or value) multiplied by f > 0: mean × f, shape kept. Throws
/// invalid_option for f <= 0 or not a number.
inline distribution scaled(const distribution& d, double f) {
  if (!(f > 0)) throw invalid_option("scaled: the factor must be > 0, got " + std::to_string(f));
  struct visitor {
    double f;
    distribution operator()(const exponential_dist& x) const { return exponential_dist(x.mean_value * f); }
    distribution operator()(const gamma_dist& x) const { return gamma_dist(x.shape, x.scale * f); }
    distribution operator()(const lognormal_dist& x) const { return lognormal_dist(x.mu + std::log(f), x.sigma); }
    distribution operator()(const weibull_dist& x) const { return weibull_dist(x.shape, x.scale * f); }
    distribution operator()(const fixed_dist& x) const { return fixed_dist(x.value * f); }
    distribution operator()(const uniform_dist& x) const { return uniform_dist(x.min * f, x.max * f); }
    distribution operator()(const empirical_dist& x) const {
      std::vector<double> s = x.given();
      for (auto& v : s) v *= f;
      return empirical_dist(std::move(s));
    }
  };
  return d.visit(visitor{f});
}

static_assert(is_duration_v<distribution>, "distribution must model Duration");

}  // namespace salespipe

#endif  // SALESPIPE_DISTRIBUTION_HPP
