// salespipe/analytic/sensitivity.hpp — exact derivatives of the steady-state KPIs (entry
// rate of a node, total value rate, mean time from arrival to a node) along any direction
// in parameter space: route probabilities, route mean durations, source rates, on_enter
// and on_take value means, reward rates. The key-links layer (keylinks/) builds levers on it.
//
//     salespipe::analytic::steady_direction d = salespipe::analytic::zero_direction(p);
//     d.dsource[0] = 1;  // +1 deal per time unit into stage 0
//     auto s = salespipe::analytic::steady_sensitivity(p, target, {d});
//     double dE = s.derivative[0].entry_rate;  // d(entry rate of target) / d(source rate)
//
// Method: forward (tangent-linear) differentiation of the solved linear systems, using the
// same LU factorisations as solve_steady_state (analytic/detail/chain.hpp):
// - rates: (I − Q)ᵀλ = s, so (I − Q)ᵀ dλ = ds + dQᵀλ;
// - first passage to node n (Q' = Q with column n cut): (I − Q')g = b_n (P(reach n)),
//   (I − Q')h = c (E[T·1{reach n}]), so (I − Q')dg = Σ_r dp_r g̃_to(r) and
//   (I − Q')dh = Σ_r [dp_r (m_r g̃_to + h̃_to) + p_r dm_r g̃_to + p_r m_r dg̃_to], with g̃, h̃
//   the extended vectors (g̃ = 1 at n, 0 at the other outcomes; h̃ = 0 at n and outcomes);
// - value rate V = Σ_n e_n E_n + Σ_r λ_from(r) p_r t_r + Σ_s ρ_s λ_s τ_s, τ_s = Σ_r p_r m_r,
//   differentiated by the product rule.
// Cost: one extra pair of triangular solves per direction and system; no finite differences.
//
// A direction is per unit of the lever: a conversion lever (raise p(s→x), the mass taken
// from the route to "lost") is dp = +1 on that route and −1 on the lost route.
#ifndef SALESPIPE_ANALYTIC_SENSITIVITY_HPP
#define SALESPIPE_ANALYTIC_SENSITIVITY_HPP

#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include <salespipe/analytic/detail/chain.hpp>
#include <salespipe/analytic/steady_state.hpp>
#include <salespipe/error.hpp>
#include <salespipe/pipeline.hpp>

namespace salespipe {
namespace analytic {

/// The three steady-state KPIs at one node (rates per time unit, times in time units).
struct steady_kpis {
  double entry_rate = 0;  ///< entries into the node per time unit
  double value_rate = 0;  ///< total value booked per time unit, all nodes (= steady_state::value_rate)
  /// Mean time from arrival at a source to the first entry into the node, for the deals
  /// that get there, source-mix weighted (0 for deals arriving in the node itself). NaN
  /// when no source deal reaches the node.
  double cycle_time = 0;
};

/// A direction in parameter space. Routes are numbered stage by stage in pipeline order,
/// each stage's routes in order (the implicit remainder route included).
struct steady_direction {
  std::vector<double> dp;       ///< per route: d probability
  std::vector<double> dmean;    ///< per route: d mean time in the stage on that route
  std::vector<double> dsource;  ///< per stage: d source rate into it
  std::vector<double> denter;   ///< per node: d on_enter value mean
  std::vector<double> dtake;    ///< per route: d on_take value mean
  std::vector<double> dreward;  ///< per stage: d reward rate
};

/// Base KPIs and their derivatives along each direction.
struct steady_sensitivity_result {
  steady_kpis value;
  std::vector<steady_kpis> derivative;  ///< one per direction, same order
};

/// Number of routes of `pl` (the length of steady_direction::dp and dmean).
template <class D>
std::size_t route_count(const basic_pipeline<D>& pl) {
  std::size_t n = 0;
  for (std::size_t s = 0; s < pl.stage_count(); ++s) n += pl.stage(s).routes.size();
  return n;
}

/// Global number of route `j` of stage `s` (see steady_direction).
template <class D>
std::size_t route_number(const basic_pipeline<D>& pl, std::size_t s, std::size_t j) {
  std::size_t n = 0;
  for (std::size_t t = 0; t < s; ++t) n += pl.stage(t).routes.size();
  return n + j;
}

/// A direction of the right sizes, all zero.
template <class D>
steady_direction zero_direction(const basic_pipeline<D>& pl) {
  const std::size_t R = route_count(pl);
  return {std::vector<double>(R, 0.0),
          std::vector<double>(R, 0.0),
          std::vector<double>(pl.stage_count(), 0.0),
          std::vector<double>(pl.node_count(), 0.0),
          std::vector<double>(R, 0.0),
          std::vector<double>(pl.stage_count(), 0.0)};
}

/// The KPIs at node `node` and their exact derivatives along `dirs`, source rates read at
/// `opt.rates_at`. Throws invalid_option (node out of range, direction of the wrong size),
/// singular_model as solve_steady_state does.
template <class D>
steady_sensitivity_result steady_sensitivity(const basic_pipeline<D>& pl, std::size_t node,
                                             const std::vector<steady_direction>& dirs,
                                             const steady_state_options& opt = {}) {
  using detail::ix;
  detail::check_options(opt);
  const detail::chain c = detail::make_chain(pl);
  const std::size_t S = c.S, NN = S + c.O, R = c.routes.size();
  if (node >= NN) throw invalid_option("sensitivity: node " + std::to_string(node) + " out of range");
  for (const auto& d : dirs)
    if (d.dp.size() != R || d.dmean.size() != R || d.dsource.size() != S || d.denter.size() != NN ||
        d.dtake.size() != R || d.dreward.size() != S)
      throw invalid_option("sensitivity: a direction has the wrong sizes (see zero_direction)");

  const detail::factor f = detail::factorise(c, opt.min_rcond, S, "sensitivity");
  const detail::factor fn = detail::factorise(c, opt.min_rcond, node < S ? node : S, "sensitivity (first passage)");
  std::vector<double> e(NN, 0.0), take(R, 0.0), rho(S, 0.0);
  for (std::size_t s = 0; s < S; ++s) {
    const auto& st = pl.stage(s);
    if (st.on_enter) e[s] = mean(*st.on_enter);
    rho[s] = st.reward_rate;
  }
  for (std::size_t o = 0; o < c.O; ++o)
    if (pl.outcomes()[o].on_enter) e[S + o] = mean(*pl.outcomes()[o].on_enter);
  {
    std::size_t r = 0;
    for (std::size_t s = 0; s < S; ++s)
      for (const auto& rt : pl.stage(s).routes) take[r++] = rt.on_take ? mean(*rt.on_take) : 0.0;
  }
  Eigen::VectorXd src = Eigen::VectorXd::Zero(ix(S));
  for (const auto& so : pl.sources()) src(ix(so.stage_node)) += so.rate_at(opt.rates_at);

  // --- base ---
  const Eigen::VectorXd lam = f.solve_transposed(src);
  Eigen::VectorXd b = Eigen::VectorXd::Zero(ix(S));
  for (const auto& r : c.routes)
    if (r.to == node) b(ix(r.from)) += r.p;
  const Eigen::VectorXd g = fn.solve(b);
  auto gt = [&](std::size_t to) { return to == node ? 1.0 : (to < S ? g(ix(to)) : 0.0); };
  Eigen::VectorXd ch = Eigen::VectorXd::Zero(ix(S));
  for (const auto& r : c.routes) ch(ix(r.from)) += r.p * r.mean * gt(r.to);
  const Eigen::VectorXd h = fn.solve(ch);
  auto ht = [&](std::size_t to) { return to != node && to < S ? h(ix(to)) : 0.0; };
  if (!lam.allFinite() || !g.allFinite() || !h.allFinite())
    throw singular_model("sensitivity: the steady state is not finite (numerically singular chain)");

  // Entry rate into every node (stages: λ; outcomes: the flows of the routes into them).
  auto entries = [&](const Eigen::VectorXd& l, const std::vector<double>* dp, const Eigen::VectorXd* dl) {
    std::vector<double> E(NN, 0.0);
    for (std::size_t s = 0; s < S; ++s) E[s] = l(ix(s));
    for (std::size_t r = 0; r < R; ++r) {
      const auto& ri = c.routes[r];
      if (ri.to < S) continue;
      E[ri.to] += dp ? (*dl)(ix(ri.from)) * ri.p + lam(ix(ri.from)) * (*dp)[r] : l(ix(ri.from)) * ri.p;
    }
    return E;
  };
  const std::vector<double> E = entries(lam, nullptr, nullptr);
  steady_sensitivity_result out;
  out.value.entry_rate = E[node];
  double V = 0;
  for (std::size_t n = 0; n < NN; ++n) V += e[n] * E[n];
  for (std::size_t r = 0; r < R; ++r) V += take[r] * lam(ix(c.routes[r].from)) * c.routes[r].p;
  for (std::size_t s = 0; s < S; ++s) V += rho[s] * lam(ix(s)) * c.tau(ix(s));
  out.value.value_rate = V;
  double G = 0, H = 0;
  for (std::size_t a = 0; a < S; ++a)
    if (src(ix(a)) != 0 && a != node)
      G += src(ix(a)) * g(ix(a)), H += src(ix(a)) * h(ix(a));
    else if (a == node)
      G += src(ix(a));
  const double T = G > 0 ? H / G : std::numeric_limits<double>::quiet_NaN();
  out.value.cycle_time = T;

  // --- tangents ---
  for (const auto& d : dirs) {
    Eigen::VectorXd rl = Eigen::VectorXd::Zero(ix(S)), rg = Eigen::VectorXd::Zero(ix(S));
    std::vector<double> dtau(S, 0.0);
    for (std::size_t s = 0; s < S; ++s) rl(ix(s)) = d.dsource[s];
    for (std::size_t r = 0; r < R; ++r) {
      const auto& ri = c.routes[r];
      if (ri.to < S) rl(ix(ri.to)) += d.dp[r] * lam(ix(ri.from));
      rg(ix(ri.from)) += d.dp[r] * gt(ri.to);
      dtau[ri.from] += d.dp[r] * ri.mean + ri.p * d.dmean[r];
    }
    const Eigen::VectorXd dl = f.solve_transposed(rl);
    const Eigen::VectorXd dg = fn.solve(rg);
    Eigen::VectorXd rh = Eigen::VectorXd::Zero(ix(S));
    for (std::size_t r = 0; r < R; ++r) {
      const auto& ri = c.routes[r];
      const double dgt = ri.to != node && ri.to < S ? dg(ix(ri.to)) : 0.0;
      rh(ix(ri.from)) +=
          d.dp[r] * (ri.mean * gt(ri.to) + ht(ri.to)) + ri.p * d.dmean[r] * gt(ri.to) + ri.p * ri.mean * dgt;
    }
    const Eigen::VectorXd dh = fn.solve(rh);
    const std::vector<double> dE = entries(dl, &d.dp, &dl);
    steady_kpis k;
    k.entry_rate = dE[node];
    double dV = 0;
    for (std::size_t n = 0; n < NN; ++n) dV += d.denter[n] * E[n] + e[n] * dE[n];
    for (std::size_t r = 0; r < R; ++r) {
      const auto& ri = c.routes[r];
      dV += take[r] * (dl(ix(ri.from)) * ri.p + lam(ix(ri.from)) * d.dp[r]) + d.dtake[r] * lam(ix(ri.from)) * ri.p;
    }
    for (std::size_t s = 0; s < S; ++s)
      dV += rho[s] * (dl(ix(s)) * c.tau(ix(s)) + lam(ix(s)) * dtau[s]) + d.dreward[s] * lam(ix(s)) * c.tau(ix(s));
    k.value_rate = dV;
    double dG = 0, dH = 0;
    for (std::size_t a = 0; a < S; ++a) {
      if (a == node) {
        dG += d.dsource[a];
        continue;
      }
      dG += d.dsource[a] * g(ix(a)) + src(ix(a)) * dg(ix(a));
      dH += d.dsource[a] * h(ix(a)) + src(ix(a)) * dh(ix(a));
    }
    k.cycle_time = G > 0 ? (dH - T * dG) / G : std::numeric_limits<double>::quiet_NaN();
    out.derivative.push_back(k);
  }
  return out;
}

}  // namespace analytic
}  // namespace salespipe

#endif  // SALESPIPE_ANALYTIC_SENSITIVITY_HPP
