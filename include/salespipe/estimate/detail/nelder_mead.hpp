// salespipe/estimate/detail/nelder_mead.hpp — a small Nelder–Mead minimiser and a
// numerical Hessian, for the 2-parameter censored likelihoods of duration_fit.hpp.
//
// Why our own: Boost.Math's minimisers (tools/minima.hpp: Brent) are one-dimensional;
// gamma and lognormal with censoring have no profile-likelihood shortcut, so a
// 2-D simplex search (~100 lines) is the smallest thing that fits. Non-finite function
// values are treated as +infinity.
#ifndef SALESPIPE_ESTIMATE_DETAIL_NELDER_MEAD_HPP
#define SALESPIPE_ESTIMATE_DETAIL_NELDER_MEAD_HPP

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <limits>

namespace salespipe::estimate::detail {

using point2 = std::array<double, 2>;

struct nm_result {
  point2 x{};
  double f = 0;
  bool converged = false;
  int evaluations = 0;
};

/// Minimises f(point2) from `start` with initial steps `step`; stops when the spread of
/// the simplex values is below `ftol` (absolute) or after `max_eval` evaluations.
template <class F>
nm_result nelder_mead(F&& f, point2 start, point2 step, double ftol = 1e-9, int max_eval = 4000) {
  constexpr double inf = std::numeric_limits<double>::infinity();
  int evals = 0;
  auto eval = [&](const point2& p) {
    ++evals;
    const double v = f(p);
    return std::isfinite(v) ? v : inf;
  };
  std::array<point2, 3> s{start, start, start};
  s[1][0] += step[0];
  s[2][1] += step[1];
  std::array<double, 3> fv{eval(s[0]), eval(s[1]), eval(s[2])};
  bool converged = false;
  while (evals < max_eval) {
    // order: best 0, worst 2
    for (int a = 0; a < 2; ++a)
      for (int b = 0; b < 2 - a; ++b)
        if (fv[static_cast<std::size_t>(b + 1)] < fv[static_cast<std::size_t>(b)]) {
          std::swap(fv[static_cast<std::size_t>(b)], fv[static_cast<std::size_t>(b + 1)]);
          std::swap(s[static_cast<std::size_t>(b)], s[static_cast<std::size_t>(b + 1)]);
        }
    if (std::isfinite(fv[2]) && fv[2] - fv[0] <= ftol * (1 + std::abs(fv[0]))) {
      converged = true;
      break;
    }
    const point2 c{(s[0][0] + s[1][0]) / 2, (s[0][1] + s[1][1]) / 2};
    auto along = [&](double t) { return point2{c[0] + t * (s[2][0] - c[0]), c[1] + t * (s[2][1] - c[1])}; };
    const point2 r = along(-1);
    const double fr = eval(r);
    if (fr < fv[0]) {
      const point2 e = along(-2);
      const double fe = eval(e);
      if (fe < fr)
        s[2] = e, fv[2] = fe;
      else
        s[2] = r, fv[2] = fr;
    } else if (fr < fv[1]) {
      s[2] = r, fv[2] = fr;
    } else {
      const point2 k = fr < fv[2] ? along(-0.5) : along(0.5);
      const double fk = eval(k);
      if (fk < std::min(fr, fv[2])) {
        s[2] = k, fv[2] = fk;
      } else {  // shrink towards the best
        for (std::size_t j = 1; j < 3; ++j) {
          s[j] = {(s[0][0] + s[j][0]) / 2, (s[0][1] + s[j][1]) / 2};
          fv[j] = eval(s[j]);
        }
      }
    }
  }
  std::size_t best = 0;
  for (std::size_t j = 1; j < 3; ++j)
    if (fv[j] < fv[best]) best = j;
  return {s[best], fv[best], converged, evals};
}

/// Inverse of the central-difference Hessian of f at x (step h): the asymptotic
/// covariance of a maximum-likelihood estimate when f is the negative log-likelihood.
/// Returns false when the Hessian is not positive definite.
template <class F>
bool inverse_hessian(F&& f, const point2& x, double h, double cov[2][2]) {
  auto at = [&](double d0, double d1) { return f(point2{x[0] + d0, x[1] + d1}); };
  const double f0 = at(0, 0);
  const double h00 = (at(h, 0) - 2 * f0 + at(-h, 0)) / (h * h);
  const double h11 = (at(0, h) - 2 * f0 + at(0, -h)) / (h * h);
  const double h01 = (at(h, h) - at(h, -h) - at(-h, h) + at(-h, -h)) / (4 * h * h);
  const double det = h00 * h11 - h01 * h01;
  if (!(h00 > 0 && h11 > 0 && det > 0 && std::isfinite(det))) return false;
  cov[0][0] = h11 / det;
  cov[1][1] = h00 / det;
  cov[0][1] = cov[1][0] = -h01 / det;
  return true;
}

}  // namespace salespipe::estimate::detail

#endif  // SALESPIPE_ESTIMATE_DETAIL_NELDER_MEAD_HPP
