// detail::poisson: chi-square against Boost.Math's Poisson distribution at a fixed seed,
// and moments, across the inversion (mean < 10) and PTRS (mean >= 10) branches.
#include <doctest/doctest.h>

#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/poisson.hpp>

#include <cmath>
#include <cstdint>
#include <vector>

#include <salespipe/random.hpp>
#include <salespipe/simulate/detail/poisson.hpp>

namespace {

// Chi-square goodness of fit with bins of expected count >= 20 (merged at both tails);
// returns the p-value.
double chi_square_p(double mean, std::size_t n, std::uint64_t seed) {
  salespipe::random_engine rng(seed, 7);
  const boost::math::poisson_distribution<double> dist(mean);
  const auto hi = static_cast<std::size_t>(mean + 12 * std::sqrt(mean) + 20);
  std::vector<double> obs(hi + 1, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    const auto k = salespipe::detail::poisson(rng, mean);
    obs[std::min<std::size_t>(static_cast<std::size_t>(k), hi)] += 1;
  }
  double chi2 = 0, o = 0, e = 0, prev_cdf = 0;
  std::size_t bins = 0;
  for (std::size_t k = 0; k <= hi; ++k) {
    const double c = k == hi ? 1.0 : boost::math::cdf(dist, static_cast<double>(k));
    o += obs[k];
    e += (c - prev_cdf) * static_cast<double>(n);
    prev_cdf = c;
    if ((e >= 20 && (1 - c) * static_cast<double>(n) >= 20) || k == hi) {
      chi2 += (o - e) * (o - e) / e;
      o = e = 0;
      ++bins;
    }
  }
  const boost::math::chi_squared_distribution<double> ref(static_cast<double>(bins - 1));
  return boost::math::cdf(boost::math::complement(ref, chi2));
}

}  // namespace

TEST_CASE("poisson: chi-square against Boost.Math at a fixed seed") {
#ifdef NDEBUG
  const std::size_t n = 200000;
#else
  const std::size_t n = 50000;
#endif
  for (double mean : {0.3, 2.5, 9.99, 10.0, 37.0, 300.0, 10800.0}) {
    CAPTURE(mean);
    CHECK(chi_square_p(mean, n, 1) > 1e-3);
  }
}

TEST_CASE("poisson: mean and variance within 4 standard errors") {
  salespipe::random_engine rng(42, 0);
  const std::size_t n = 100000;
  for (double mean : {0.05, 4.0, 15.0, 1e6}) {
    CAPTURE(mean);
    double s = 0, s2 = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const auto k = static_cast<double>(salespipe::detail::poisson(rng, mean));
      s += k, s2 += k * k;
    }
    const double m = s / static_cast<double>(n), v = s2 / static_cast<double>(n) - m * m;
    CHECK(std::fabs(m - mean) < 4 * std::sqrt(mean / static_cast<double>(n)));
    // Var of the sample variance ≈ (μ4 − σ⁴)/n with μ4 = λ(1 + 3λ) for Poisson.
    CHECK(std::fabs(v - mean) < 4 * std::sqrt((mean * (1 + 3 * mean) - mean * mean) / static_cast<double>(n)));
  }
}

TEST_CASE("poisson: edge cases and log_factorial") {
  salespipe::random_engine rng(1, 0);
  CHECK(salespipe::detail::poisson(rng, 0.0) == 0);
  CHECK(salespipe::detail::poisson(rng, -1.0) == 0);
  CHECK(salespipe::detail::poisson(rng, std::nan("")) == 0);
  CHECK(salespipe::detail::log_factorial(0) == 0);
  CHECK(salespipe::detail::log_factorial(10) == doctest::Approx(std::log(3628800.0)).epsilon(1e-14));
  for (std::uint64_t k : {255u, 256u, 1000u, 123456u})
    CHECK(salespipe::detail::log_factorial(k) ==
          doctest::Approx(std::lgamma(static_cast<double>(k) + 1)).epsilon(1e-13));
}
