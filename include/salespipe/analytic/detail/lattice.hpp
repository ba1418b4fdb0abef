// salespipe/analytic/detail/lattice.hpp — moment-matched lattice discretisation of a duration or
// value: the masses the analytic time model (analytic/transient.hpp, forecast.hpp) convolves.
//
// Why this scheme (local moment matching, Gerber 1982): a mass at x in [kh, (k+1)h] is
// split between kh and (k+1)h by linear interpolation, so the lattice variable has exactly
// the mean of X, and E[g(lattice)] = E[g_I(X)] for g_I the piecewise-linear interpolant of
// g on the lattice: expectations of functions that are linear between lattice points are
// exact, smooth ones have O(h²) error. Each discretisation adds at most h²/4 variance.
// Fixed durations on the lattice are represented exactly.
//
// The masses follow from L(x) = E[min(X, x)] (closed forms for the built-in
// distributions, Gauss–Legendre on the survival function for user types):
//   m_0 = 1 − L(h)/h,   m_k = (2 L(kh) − L((k−1)h) − L((k+1)h)) / h.
// The FFT that convolves such masses is analytic/detail/fft.hpp.
#ifndef SALESPIPE_ANALYTIC_DETAIL_LATTICE_HPP
#define SALESPIPE_ANALYTIC_DETAIL_LATTICE_HPP

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

#include <boost/math/special_functions/gamma.hpp>

#include <salespipe/distribution.hpp>
#include <salespipe/duration.hpp>

namespace salespipe::analytic::detail {

inline double std_normal_cdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

// E[min(X, x)] for x >= 0, one closed form per built-in distribution.
inline double limited_mean(const exponential_dist& d, double x) {
  return d.mean_value * -std::expm1(-x / d.mean_value);
}
// Boost.Math in double precision: the default policy evaluates double arguments in long
// double, about 5x slower, for digits the lattice's second differences do not keep (their
// absolute rounding is ~1e-16 / h either way).
using lattice_policy = boost::math::policies::policy<boost::math::policies::promote_double<false>>;
inline double limited_mean(const gamma_dist& d, double x) {
  if (x <= 0) return 0.0;
  // L(x) = a θ P(a+1, z) + x Q(a, z), z = x/θ, with P(a+1, z) = P(a, z) − z^a e^{−z}/Γ(a+1).
  const double a = d.shape, z = x / d.scale;
  double q, term;  // Q(a, z) and z^a e^{−z} / Γ(a + 1)
  if (a >= 1 && a <= 64 && a == std::floor(a)) {
    // Integer shape (Erlang): Q(a, z) = e^{−z} Σ_{j<a} z^j / j!, all terms positive.
    double t = std::exp(-z), s = 0;
    for (double j = 1; j <= a; ++j) {
      s += t;
      t *= z / j;
    }
    q = s;
    term = t;
  } else {
    q = boost::math::gamma_q(a, z, lattice_policy());
    term = boost::math::gamma_p_derivative(a + 1, z, lattice_policy());
  }
  return a * d.scale * (1 - q - term) + x * q;
}
// scale = E X = exp(μ + σ²/2), passed in so a lattice computes it once.
inline double lognormal_limited_mean(const lognormal_dist& d, double x, double scale) {
  if (x <= 0) return 0.0;
  const double lx = std::log(x);
  return scale * std_normal_cdf((lx - d.mu - d.sigma * d.sigma) / d.sigma) + x * std_normal_cdf(-(lx - d.mu) / d.sigma);
}
inline double limited_mean(const lognormal_dist& d, double x) {
  return lognormal_limited_mean(d, x, std::exp(d.mu + d.sigma * d.sigma / 2));
}
inline double limited_mean(const weibull_dist& d, double x) {
  if (x <= 0) return 0.0;
  const double z = std::pow(x / d.scale, d.shape), a = 1 + 1 / d.shape;
  return d.scale * boost::math::tgamma(a, lattice_policy()) * boost::math::gamma_p(a, z, lattice_policy()) +
         x * std::exp(-z);
}
inline double limited_mean(const fixed_dist& d, double x) { return std::min(x, d.value); }
inline double limited_mean(const uniform_dist& d, double x) {
  if (x <= d.min) return std::max(x, 0.0);
  if (x >= d.max) return (d.min + d.max) / 2;
  const double w = d.max - d.min, y = x - d.min;
  return d.min + y - y * y / (2 * w);
}
inline double limited_mean(const empirical_dist& d, double x) {
  double s = 0;
  for (double v : d.sorted()) s += std::min(v, x);
  return s / static_cast<double>(d.size());
}
inline double limited_mean(const distribution& d, double x) {
  return d.visit([x](const auto& a) { return limited_mean(a, x); });
}
// User-defined Duration types: 8-point Gauss–Legendre of the survival function on
// unit-sized pieces of [0, x] (accurate for smooth survival functions).
template <class D>
double limited_mean(const D& d, double x) {
  static constexpr double node[4] = {0.1834346424956498, 0.5255324099163290, 0.7966664774136267, 0.9602898564975363};
  static constexpr double weight[4] = {0.3626837833783620, 0.3137066458778873, 0.2223810344533745, 0.1012285362903763};
  if (x <= 0) return 0.0;
  const double m = mean(d), piece = m > 0 ? m / 4 : x;
  const auto pieces = static_cast<std::size_t>(std::ceil(x / piece));
  double s = 0;
  for (std::size_t i = 0; i < pieces; ++i) {
    const double a = x * static_cast<double>(i) / static_cast<double>(pieces);
    const double b = x * static_cast<double>(i + 1) / static_cast<double>(pieces);
    const double c = (a + b) / 2, r = (b - a) / 2;
    for (int k = 0; k < 4; ++k)
      s += r * weight[k] * (survival_of(d, c - r * node[k]) + survival_of(d, c + r * node[k]));
  }
  return s;
}

// limited_mean(d, ·) with the distribution's constants computed once (the same values).
template <class D>
class limited_mean_at {
 public:
  explicit limited_mean_at(const D& d) : d_(d) {}
  double operator()(double x) const { return limited_mean(d_, x); }

 private:
  const D& d_;
};
template <>
class limited_mean_at<lognormal_dist> {
 public:
  explicit limited_mean_at(const lognormal_dist& d) : d_(d), scale_(std::exp(d.mu + d.sigma * d.sigma / 2)) {}
  double operator()(double x) const { return lognormal_limited_mean(d_, x, scale_); }

 private:
  const lognormal_dist& d_;
  double scale_;
};

/// Lattice masses m[0..n) of X − age given X > age (age = 0: X itself) on the points
/// k·h. Mass that would fall at or beyond n·h is dropped (beyond the horizon). Trailing
/// masses are trimmed once the survival beyond the last point is below 1e-16 (the
/// returned size is the support length). Precondition: h > 0, survival_of(d, age) > 0.
template <class D>
std::vector<double> lattice_masses(const D& d, double h, std::size_t n, double age = 0) {
  std::vector<double> m;
  if (n == 0) return m;
  const double s_age = age > 0 ? survival_of(d, age) : 1.0;
  const limited_mean_at<D> lm(d);
  const double l_age = age > 0 ? lm(age) : 0.0;
  auto L = [&](std::size_t k) { return (lm(age + static_cast<double>(k) * h) - l_age) / s_age; };
  m.reserve(std::min<std::size_t>(n, 4096));
  double prev = 0, cur = L(1);
  m.push_back(std::max(0.0, 1 - cur / h));
  for (std::size_t k = 1; k < n; ++k) {
    const double next = L(k + 1);
    const double mk = std::max(0.0, (2 * cur - prev - next) / h);
    m.push_back(mk);
    if ((next - cur) / h < 1e-16) break;  // survival beyond (k+1)h is below 1e-16
    prev = cur;
    cur = next;
  }
  return m;
}
/// The same for a distribution: one visit, then the loop of its alternative.
inline std::vector<double> lattice_masses(const distribution& d, double h, std::size_t n, double age = 0) {
  return d.visit([&](const auto& a) { return lattice_masses(a, h, n, age); });
}

}  // namespace salespipe::analytic::detail

#endif  // SALESPIPE_ANALYTIC_DETAIL_LATTICE_HPP
