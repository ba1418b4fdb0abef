// Distribution moments, cdf and quantiles against closed forms; the Duration concept.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include <salespipe/distribution.hpp>
#include <salespipe/pipeline.hpp>

using namespace salespipe;
using doctest::Approx;

TEST_CASE("moments of the built-in distributions") {
  CHECK(mean(distribution(exponential_dist(2))) == 2);
  CHECK(variance(distribution(exponential_dist(2))) == 4);
  const distribution g = gamma_dist::with_mean(3, 4);
  CHECK(mean(g) == Approx(4));
  CHECK(variance(g) == Approx(3 * (4.0 / 3) * (4.0 / 3)));
  const distribution ln = lognormal_dist::with_mean_sd(20000, 10000);
  CHECK(mean(ln) == Approx(20000).epsilon(1e-12));
  CHECK(std::sqrt(variance(ln)) == Approx(10000).epsilon(1e-12));
  const distribution w = weibull_dist(1, 3);  // exponential with mean 3
  CHECK(mean(w) == Approx(3));
  CHECK(variance(w) == Approx(9));
  CHECK(mean(distribution(uniform_dist(1, 3))) == 2);
  CHECK(variance(distribution(uniform_dist(1, 3))) == Approx(4.0 / 12));
  CHECK(mean(distribution(fixed_dist(5))) == 5);
  const distribution e = empirical_dist({1, 2, 3, 6});
  CHECK(mean(e) == 3);
  CHECK(variance(e) == Approx((4 + 1 + 0 + 9) / 4.0));
}

TEST_CASE("cdf, survival and quantile agree") {
  const std::vector<distribution> ds = {exponential_dist(2), gamma_dist(2.5, 1.5), lognormal_dist(0.3, 0.7),
                                        weibull_dist(1.7, 2), uniform_dist(1, 4)};
  for (const auto& d : ds) {
    CAPTURE(d.kind());
    for (double p : {0.01, 0.1, 0.5, 0.9, 0.99}) {
      const double x = quantile(d, p);
      CHECK(cdf(d, x) == Approx(p).epsilon(1e-9));
      CHECK(survival(d, x) == Approx(1 - p).epsilon(1e-9));
    }
    CHECK(cdf(d, -1) == 0);
  }
  CHECK(cdf(distribution(exponential_dist(2)), 2) == Approx(1 - std::exp(-1.0)));
  CHECK(cdf(distribution(weibull_dist(2, 3)), 3) == Approx(1 - std::exp(-1.0)));
  const distribution f = fixed_dist(2);
  CHECK(cdf(f, 1.999) == 0);
  CHECK(cdf(f, 2) == 1);
  const distribution e = empirical_dist({3, 1, 2, 2});
  CHECK(cdf(e, 2) == 0.75);
  CHECK(survival(e, 1.5) == 0.75);
  CHECK(quantile(e, 0.5) == 2);
  CHECK(quantile(e, 0.76) == 3);
  CHECK(e.kind() == "empirical");
  CHECK(e.get_if<empirical_dist>()->given() == std::vector<double>{3, 1, 2, 2});
}

TEST_CASE("remaining time of an aged deal is drawn from the conditional tail") {
  random_engine rng(42, 7);
  // Uniform(0, 10) at age 6: remaining time uniform on (0, 4).
  const distribution u = uniform_dist(0, 10);
  double sum = 0, mx = 0;
  const int n = 20000;
  for (int i = 0; i < n; ++i) {
    const double r = remaining_time(u, 6.0, rng);
    sum += r;
    mx = std::max(mx, r);
  }
  CHECK(sum / n == Approx(2).epsilon(0.03));
  CHECK(mx <= 4.0);
  // Fixed(5) at age 3: exactly 2 remain. Empirical {1,2,8,9} at age 5: 3 or 4 remain.
  CHECK(remaining_time(distribution(fixed_dist(5)), 3.0, rng) == 2);
  const distribution e = empirical_dist({1, 2, 8, 9});
  for (int i = 0; i < 100; ++i) {
    const double r = remaining_time(e, 5.0, rng);
    CHECK((r == 3 || r == 4));
  }
  // Gamma far in the tail: finite and positive (upper-tail inversion).
  const double r = remaining_time(distribution(gamma_dist(2, 1)), 40.0, rng);
  CHECK(std::isfinite(r));
  CHECK(r > 0);
  // Weibull shape 1 is memoryless: mean remaining = scale at any age.
  const distribution w = weibull_dist(1, 2);
  sum = 0;
  for (int i = 0; i < n; ++i) sum += remaining_time(w, 5.0, rng);
  CHECK(sum / n == Approx(2).epsilon(0.05));
}

namespace user {
// A user-defined duration: a shifted exponential (a fixed delay, then exponential).
struct shifted_exponential {
  double shift, mean_tail;
};
inline double mean(const shifted_exponential& d) { return d.shift + d.mean_tail; }
inline double variance(const shifted_exponential& d) { return d.mean_tail * d.mean_tail; }
inline double cdf(const shifted_exponential& d, double x) {
  return x <= d.shift ? 0.0 : -std::expm1(-(x - d.shift) / d.mean_tail);
}
inline double quantile(const shifted_exponential& d, double p) { return d.shift - d.mean_tail * std::log1p(-p); }
inline double sample(const shifted_exponential& d, salespipe::random_engine& rng) {
  return d.shift - d.mean_tail * std::log(rng.uniform_open());
}
}  // namespace user

TEST_CASE("a user-defined duration models the concept and builds a pipeline") {
  static_assert(is_duration_v<user::shifted_exponential>);
  static_assert(!is_duration_v<int>);
#if SALESPIPE_HAS_CONCEPTS
  static_assert(salespipe::duration<user::shifted_exponential>);
#endif
  basic_model<user::shifted_exponential> m;
  m.add_stage("a", {1, 2}).to("won", 0.5);
  m.add_outcome("won");
  m.add_open("a", 3, 2.0);
  basic_pipeline<user::shifted_exponential> p(m);
  CHECK(p.outcome_count() == 2);
  // Generic remaining_time uses inversion of the upper tail.
  random_engine rng(1);
  double sum = 0;
  for (int i = 0; i < 20000; ++i) sum += remaining_time(p.stage(0).duration, 2.0, rng);
  CHECK(sum / 20000 == Approx(2).epsilon(0.05));
  CHECK(survival_of(p.stage(0).duration, 0.5) == 1.0);
}
