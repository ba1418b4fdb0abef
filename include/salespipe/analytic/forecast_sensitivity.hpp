// salespipe/analytic/forecast_sensitivity.hpp — exact derivatives of the forecast (analytic/
// forecast.hpp) along directions in parameter space: route probabilities and the time scale
// of each stage's durations (shape kept); and of P(entries over a window >= goal).
//
//     salespipe::forecast_direction d = salespipe::zero_forecast_direction(p);
//     d.dscale[s] = 1;  // d/d ln(time scale of stage s): "+100% time", linearised
//     auto dr = salespipe::forecast_derivatives(p, 36, {d}).front();
//     double dv = dr.sum({0, 12}, [&](std::size_t k) { return dr.total_value(k); });
//
// Method: forward (tangent-linear) differentiation of the discretised computation itself,
// so the result is the exact derivative of what forecast() returns (finite differences of
// forecast() converge to it; tests/forecast_sensitivity_test.cpp checks that):
// - route probabilities and duration masses enter the renewal equation e = inj + K e
//   bilinearly, so de = (I − K)⁻¹ (d inj + dK e): one more renewal run per base run, fed
//   with dp_r · (q_g ⊛ e_s) + p_r · (dq_g ⊛ e_s) on each route r of group g out of stage s;
//   the stage flows' derivative is p_r · (q_g ⊛ de_s + dq_g ⊛ e_s) + dp_r · (q_g ⊛ e_s);
// - duration masses (detail/lattice.hpp) come from L(x) = E[min(X, x)]; for X scaled by f,
//   dL/df = L(x) − x S(x) = E[X; X < x] and dS(a)/df = a f_X(a) at f = 1, which
//   differentiates the masses (also those of an open deal's remaining time given its age);
// - an open deal's route weights p_j S_j(a) / Σ p_k S_k(a) by the quotient rule;
// - P(N >= g) with N = Poisson(μ) + Σ Bernoulli(π_i) (forecast_result::entries_distribution):
//   dP = P(N = g − 1) dμ + Σ_i P(N − B_i = g − 1) dπ_i, N − B_i by deconvolving one
//   Bernoulli from N's pmf (in the stable direction).
// Cost per direction: one renewal run per source stage and per open class, plus one direct
// convolution per route group whose duration changes. Derivatives of the per-period means
// only: the returned forecast_result's distribution functions do not apply to it.
#ifndef SALESPIPE_ANALYTIC_FORECAST_SENSITIVITY_HPP
#define SALESPIPE_ANALYTIC_FORECAST_SENSITIVITY_HPP

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

#include <boost/math/special_functions/gamma.hpp>

#include <salespipe/analytic/forecast.hpp>
#include <salespipe/analytic/sensitivity.hpp>
#include <salespipe/fwd.hpp>

namespace salespipe::analytic {

/// A direction for forecast_derivatives(). Routes are numbered as in
/// analytic::steady_direction (analytic::route_number).
struct forecast_direction {
  std::vector<double> dp;      ///< per route: d probability
  std::vector<double> dscale;  ///< per stage: d ln(time scale) of all its durations (shape kept)
};

/// The zero direction of `pl` (right sizes).
inline forecast_direction zero_forecast_direction(const pipeline& pl) {
  return {std::vector<double>(analytic::route_count(pl), 0.0), std::vector<double>(pl.stage_count(), 0.0)};
}

namespace detail {

// Density of a built-in distribution at x > 0 (0 where it has none: fixed, empirical; their
// survival is a step, flat almost everywhere).
inline double density(const distribution& d, double x) {
  struct visitor {
    double x;
    double operator()(const exponential_dist& e) const { return std::exp(-x / e.mean_value) / e.mean_value; }
    double operator()(const gamma_dist& g) const {
      return boost::math::gamma_p_derivative(g.shape, x / g.scale, lattice_policy()) / g.scale;
    }
    double operator()(const lognormal_dist& l) const {
      const double z = (std::log(x) - l.mu) / l.sigma;
      return std::exp(-z * z / 2) / (x * l.sigma * 2.5066282746310002);
    }
    double operator()(const weibull_dist& w) const {
      const double z = x / w.scale;
      return w.shape / w.scale * std::pow(z, w.shape - 1) * std::exp(-std::pow(z, w.shape));
    }
    double operator()(const uniform_dist& u) const { return x > u.min && x < u.max ? 1 / (u.max - u.min) : 0.0; }
    double operator()(const fixed_dist&) const { return 0.0; }
    double operator()(const empirical_dist&) const { return 0.0; }
  };
  return x > 0 ? d.visit(visitor{x}) : 0.0;
}

// d/df of lattice_masses(f·X, h, n, age) at f = 1, given those masses q: support one point
// longer (mass moves right), at most n.
inline std::vector<double> lattice_masses_dscale(const distribution& d, double h, std::size_t n,
                                                 const std::vector<double>& q, double age) {
  const double s_age = age > 0 ? survival(d, age) : 1.0, l_age = age > 0 ? limited_mean(d, age) : 0.0;
  const double dl_age = age > 0 ? l_age - age * s_age : 0.0, ds_age = age * density(d, age);
  auto dL = [&](std::size_t k) {  // d/df of (L(age + kh) − L(age)) / S(age)
    if (k == 0) return 0.0;
    const double x = age + static_cast<double>(k) * h;
    const double la = (limited_mean(d, x) - l_age) / s_age;
    return (limited_mean(d, x) - x * survival(d, x) - dl_age) / s_age - la * ds_age / s_age;
  };
  const std::size_t size = std::min(n, q.size() + 1);
  std::vector<double> dm(size);
  double prev = 0, cur = dL(1);
  dm[0] = -cur / h;
  for (std::size_t k = 1; k < size; ++k) {
    const double next = dL(k + 1);
    dm[k] = (2 * cur - prev - next) / h;
    prev = cur;
    cur = next;
  }
  return dm;
}

// c[0..n) += (a ⊛ b)[0..n), directly (derivative runs only).
inline void add_convolution(const std::vector<double>& a, const std::vector<double>& b, std::vector<double>& c) {
  const std::size_t n = c.size();
  for (std::size_t j = 0; j < std::min(a.size(), n); ++j)
    if (a[j] != 0) {
      const std::size_t top = std::min(b.size(), n - j);
      for (std::size_t m = 0; m < top; ++m) c[j + m] += a[j] * b[m];
    }
}

// The derivative of open_class_start() along (dp, dscale) at stage s.
inline open_start open_class_start_derivative(const pipeline& pl, const forecast_direction& dir, std::size_t s,
                                              double age, double h, std::size_t n) {
  const auto& st = pl.stage(s);
  const std::size_t first = analytic::route_number(pl, s, 0);
  const double ds = dir.dscale[s];
  double alive = 0, dalive = 0;
  std::vector<double> sj(st.routes.size()), dsj(st.routes.size());
  for (std::size_t j = 0; j < st.routes.size(); ++j) {
    const auto& d = route_duration(st, st.routes[j]);
    sj[j] = survival(d, age);
    dsj[j] = ds * age * density(d, age);
    alive += st.routes[j].p * sj[j];
    dalive += dir.dp[first + j] * sj[j] + st.routes[j].p * dsj[j];
  }
  open_start o;
  o.inj.resize(pl.node_count());
  o.take.resize(pl.node_count());
  o.dep.assign(n, 0.0);
  for (std::size_t j = 0; j < st.routes.size(); ++j) {
    const auto& r = st.routes[j];
    const auto& d = route_duration(st, r);
    const double wj = r.p * sj[j] / alive;
    const double dwj = (dir.dp[first + j] * sj[j] + r.p * dsj[j]) / alive - wj * dalive / alive;
    if (!(sj[j] > 0) || (wj == 0 && dwj == 0)) continue;
    const auto q = lattice_masses(d, h, n, age);
    std::vector<double> dq = ds != 0 && wj != 0 ? lattice_masses_dscale(d, h, n, q, age) : std::vector<double>{};
    std::vector<double> x(n, 0.0);  // d(wj q)
    for (std::size_t m = 0; m < q.size(); ++m) x[m] += dwj * q[m];
    for (std::size_t m = 0; m < dq.size(); ++m) x[m] += wj * ds * dq[m];
    if (o.inj[r.to_node].empty()) o.inj[r.to_node].assign(n, 0.0);
    if (r.on_take && o.take[r.to_node].empty()) o.take[r.to_node].assign(n, 0.0);
    for (std::size_t m = 0; m < n; ++m) {
      o.inj[r.to_node][m] += x[m];
      o.dep[m] += x[m];
      if (r.on_take) o.take[r.to_node][m] += x[m] * mean(*r.on_take);
    }
  }
  return o;
}

// pmf of N − B for B ~ Bernoulli(pi) independent of N − B, given N's pmf.
inline std::vector<double> remove_bernoulli(const std::vector<double>& pmf, double pi) {
  const std::size_t K = pmf.size();
  if (K < 2) return pmf;
  std::vector<double> x(K - 1, 0.0);
  if (pi <= 0.5) {  // x[k] = (pmf[k] − π x[k−1]) / (1 − π): errors shrink by π/(1−π) <= 1
    for (std::size_t k = 0; k + 1 < K; ++k) x[k] = (pmf[k] - (k > 0 ? pi * x[k - 1] : 0.0)) / (1 - pi);
  } else {  // from the top: x[k−1] = (pmf[k] − (1 − π) x[k]) / π
    for (std::size_t k = K - 1; k >= 1; --k) x[k - 1] = (pmf[k] - (k < K - 1 ? (1 - pi) * x[k] : 0.0)) / pi;
  }
  return x;
}

}  // namespace detail

/// Derivatives of every expected flow of forecast(pl, periods, opt) along each direction:
/// the k-th result holds d(entries), d(values), d(WIP), d(open-class probabilities) ... per
/// unit of direction k, read with the same accessors (entries(), total_value(), sum(), ...;
/// not the distribution functions). Throws like forecast(), and invalid_option for a
/// direction of the wrong size.
inline std::vector<forecast_result> forecast_derivatives(const pipeline& pl, std::size_t periods,
                                                         const std::vector<forecast_direction>& dirs,
                                                         const forecast_options& opt = {}) {
  const std::size_t n = detail::forecast_lattice(pl, periods, opt), N = pl.node_count(), S = pl.stage_count();
  for (const auto& d : dirs)
    if (d.dp.size() != analytic::route_count(pl) || d.dscale.size() != S)
      throw invalid_option("forecast_derivatives: a direction needs " + std::to_string(analytic::route_count(pl)) +
                           " route and " + std::to_string(S) + " stage entries");
  const double h = 1.0 / static_cast<double>(opt.steps_per_period);
  const detail::renewal_grid grid(pl, h, n);
  const auto& groups = grid.groups();
  detail::period_integrator pi{opt.steps_per_period, periods, n, {}, {}, {}, {}};
  std::vector<std::vector<double>> route_p(groups.size());
  for (std::size_t gi = 0; gi < groups.size(); ++gi) route_p[gi] = groups[gi].p;
  // Per group, d/df of its duration masses (when some direction scales its stage).
  std::vector<std::vector<double>> dq(groups.size());
  for (std::size_t gi = 0; gi < groups.size(); ++gi) {
    bool scaled = false;
    for (const auto& d : dirs) scaled = scaled || d.dscale[groups[gi].stage] != 0;
    if (!scaled) continue;
    const auto& st = pl.stage(groups[gi].stage);
    const auto& r = st.routes[groups[gi].routes.front()];
    dq[gi] = detail::lattice_masses_dscale(route_duration(st, r), h, n, groups[gi].q, 0.0);
  }
  std::vector<forecast_result> out(dirs.size(), detail::empty_forecast(pl, periods));
  // One base run r, then per direction its derivative run from the extra injection dinj.
  auto derive = [&](const detail::renewal_grid::run_result& r, const std::vector<std::vector<double>>& dinj0,
                    std::size_t k, const std::vector<double>* ddep, std::size_t init_stage, double w,
                    std::vector<std::vector<double>>& ent_out) {
    const forecast_direction& dir = dirs[k];
    std::vector<std::vector<double>> dinj = dinj0, conv(groups.size()), route_dp(groups.size());
    for (std::size_t gi = 0; gi < groups.size(); ++gi) {
      const auto& g = groups[gi];
      route_dp[gi].resize(g.routes.size());
      for (std::size_t i = 0; i < g.routes.size(); ++i)
        route_dp[gi][i] = dir.dp[analytic::route_number(pl, g.stage, g.routes[i])];
      conv[gi].assign(n, 0.0);
      if (dir.dscale[g.stage] != 0) {
        detail::add_convolution(r.entries[g.stage], dq[gi], conv[gi]);
        for (double& x : conv[gi]) x *= dir.dscale[g.stage];
      }
      for (std::size_t i = 0; i < g.routes.size(); ++i) {
        if (route_dp[gi][i] == 0 && dir.dscale[g.stage] == 0) continue;
        auto& to = dinj[g.to[i]];
        if (to.empty()) to.assign(n, 0.0);
        for (std::size_t m = 0; m < n; ++m) to[m] += route_dp[gi][i] * r.completions[gi][m] + g.p[i] * conv[gi][m];
      }
    }
    const auto dr = grid.run(dinj, true);
    for (std::size_t gi = 0; gi < groups.size(); ++gi)
      for (std::size_t m = 0; m < n; ++m) conv[gi][m] += dr.completions[gi][m];  // now d completions
    detail::book_run(pl, grid, pi, dr.entries, {{&conv, &route_p}, {&r.completions, &route_dp}}, ddep, init_stage, w,
                     false, out[k], ent_out);
  };
  for (const auto& [entry, srcs] : detail::sources_by_stage(pl)) {
    detail::integrate_sources(pi, srcs, h);
    std::vector<std::vector<double>> inj(N);
    inj[entry].assign(n, 0.0);
    inj[entry][0] = 1.0;
    const auto r = grid.run(inj);
    const std::vector<std::vector<double>> none(N);
    for (std::size_t k = 0; k < dirs.size(); ++k) derive(r, none, k, nullptr, 0, 1.0, out[k].source_);
  }
  detail::integrate_open(pi, h);
  for (const auto& [key, count] : detail::open_classes_of(pl)) {
    const auto [s, age] = key;
    const auto r = grid.run(detail::open_class_start(pl, s, age, h, n).inj);
    const double w = static_cast<double>(count);
    for (std::size_t k = 0; k < dirs.size(); ++k) {
      const detail::open_start d = detail::open_class_start_derivative(pl, dirs[k], s, age, h, n);
      forecast_result::open_class c;
      c.stage = s;
      c.age = age;
      c.count = count;
      c.prob.assign(N, std::vector<double>(periods, 0.0));
      derive(r, d.inj, k, &d.dep, s, w, c.prob);
      detail::book_open_take(pi, d.take, s, w, out[k]);
      out[k].open_.push_back(std::move(c));
    }
  }
  for (auto& o : out) detail::book_rewards(pl, o);
  return out;
}

/// d P(entries into v over window w >= goal) given the base forecast and its derivative
/// d (forecast_derivatives() of the same model and periods); see the header comment.
/// Throws like forecast_result::entries_distribution.
inline double prob_at_least_derivative(const forecast_result& base, const forecast_result& d, std::size_t v,
                                       period_window w, double goal) {
  const std::vector<double> pmf = base.entries_distribution(v, w).pmf;
  const double g = std::ceil(goal - 1e-9);
  if (g < 1 || g - 1 >= static_cast<double>(pmf.size())) return 0.0;
  const auto at = static_cast<std::size_t>(g) - 1;
  double out = pmf[at] * d.sum(w, [&](std::size_t k) { return d.source_entries(v, k); });
  for (std::size_t i = 0; i < base.open_classes().size(); ++i) {
    const auto& c = base.open_classes()[i];
    double pi = 0, dpi = 0;
    for (std::size_t k = w.from; k < w.to; ++k) pi += c.prob[v][k], dpi += d.open_classes()[i].prob[v][k];
    if (c.count == 0 || dpi == 0) continue;
    const auto x = detail::remove_bernoulli(pmf, std::min(1.0, std::max(0.0, pi)));
    out += static_cast<double>(c.count) * dpi * (at < x.size() ? x[at] : 0.0);
  }
  return out;
}

}  // namespace salespipe::analytic

#endif  // SALESPIPE_ANALYTIC_FORECAST_SENSITIVITY_HPP
