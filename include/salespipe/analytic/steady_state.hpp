// salespipe/analytic/steady_state.hpp — the exact steady state of a pipeline with
// constant source rates: entry rates, WIP, absorption, visits, times to absorption and
// to each node, value rates.
//
//     salespipe::pipeline p(salespipe::example_model());
//     salespipe::analytic::steady_state ss = salespipe::analytic::solve_steady_state(p);
//     double prospects = ss.stage("prospect").wip;   // 36
//
// Model (DESIGN.md): a deal entering stage s takes route r with probability p_r, spends
// T_r (the route's duration, else the stage's) in s, then enters node to(r). Stages are
// infinite-server: no queueing, so WIP = entry rate × mean time per visit (Little's law)
// holds exactly in steady state. Q is the stage→stage part of the route probabilities,
// R the stage→outcome part; N = (I−Q)⁻¹.
//
// Method (all by LU solves of one factorisation of the row-scaled I − Q, never an
// explicit inverse used to solve; see analytic/detail/chain.hpp):
// - entry rates: λ = s + Qᵀλ;
// - absorption probabilities: (I−Q)B = R; expected visits: N = (I−Q)⁻¹ (its columns by
//   solves, since N is itself a result);
// - mean time to absorption: (I−Q)m = τ̄ with τ̄_s = Σ_r p_r E[T_r];
// - its variance: (I−Q)V = c, c_s = Σ_r p_r (Var T_r + (E[T_r] + m_to(r) − m_s)²), the law
//   of total variance over the first route. Algebraically the same as the second-moment
//   system (I−Q)s₂ = b, b_s = Σ_r p_r (E[T_r²] + 2E[T_r] m_to(r)), V = s₂ − m², but with a
//   non-negative right-hand side and no final subtraction (no cancellation when V ≪ m²);
// - E[T·1{end in k}]: (I−Q)h = c, c_s = Σ_r p_r E[T_r] B_to(r),k; mean time to k for the
//   deals that end there = h / B;
// - P(reach stage n) and the mean first-passage time to n: the same systems with the
//   column n of Q cut (entering n stops the clock), one extra LU per stage.
//
// Values: on_enter is booked on every entry; on_take is booked when the route is taken,
// which is the instant the deal enters the route's destination, so it is credited to the
// destination node's value rate; reward_rate accrues while in the stage (rate × WIP).
//
// Complexity: O(S³) for the main factorisation plus O(S⁴) for the first-passage systems
// (one LU per stage); S = number of stages.
#ifndef SALESPIPE_ANALYTIC_STEADY_STATE_HPP
#define SALESPIPE_ANALYTIC_STEADY_STATE_HPP

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include <salespipe/analytic/detail/chain.hpp>
#include <salespipe/analytic/results.hpp>
#include <salespipe/detail/format.hpp>
#include <salespipe/error.hpp>
#include <salespipe/pipeline.hpp>

namespace salespipe {
namespace analytic {

/// Options of solve_steady_state.
struct steady_state_options {
  /// The time (in time units) at which source rates are read: each source contributes
  /// `rate_at(rates_at)`. The default 0 gives the rates in force at the start (schedules
  /// that change later are ignored); +infinity gives the final, long-run rates.
  double rates_at = 0;
  /// Refuse (singular_model) when the estimated reciprocal condition number of the
  /// row-scaled I − Q is below this. The relative error of the results is about
  /// 1.1e-16 / rcond, so the default 1e-9 keeps it below about 1e-7.
  double min_rcond = 1e-9;
};

namespace detail {

inline void check_options(const steady_state_options& o) {
  if (std::isnan(o.rates_at)) throw invalid_option("steady_state_options::rates_at must be a number, got nan");
  if (!(o.min_rcond >= 0 && o.min_rcond < 1))
    throw invalid_option("steady_state_options::min_rcond must be in [0, 1), got " +
                         salespipe::detail::num(o.min_rcond));
}

inline double clamp01(double x) { return std::min(1.0, std::max(0.0, x)); }

inline void require_finite(const Eigen::MatrixXd& a, const char* what) {
  if (!a.allFinite())
    throw singular_model(std::string("steady state: ") + what + " is not finite (the chain is numerically singular)");
}

}  // namespace detail

/// Solves the steady state of `pl` with constant source rates (read at
/// `opt.rates_at`). A pipeline without sources gives zero rates and WIP; the
/// per-deal quantities (absorption, visits, times) are still computed.
///
/// Throws singular_model when the chain is too close to singular (a loop among stages
/// that is almost closed; the message names its stages), invalid_option for bad options.
template <class Duration>
steady_state solve_steady_state(const basic_pipeline<Duration>& pl, const steady_state_options& opt = {}) {
  using detail::ix;
  detail::check_options(opt);
  const detail::chain c = detail::make_chain(pl);
  const std::size_t S = c.S, O = c.O, NN = S + O;

  const detail::factor f = detail::factorise(c, opt.min_rcond, S, "steady state");

  // --- per-deal quantities ---
  const Eigen::MatrixXd N = f.solve(Eigen::MatrixXd(Eigen::MatrixXd::Identity(ix(S), ix(S))));
  Eigen::MatrixXd B = f.solve(Eigen::MatrixXd(c.R));
  const Eigen::VectorXd m = f.solve(Eigen::VectorXd(c.tau));
  detail::require_finite(N, "the expected-visits matrix");
  detail::require_finite(B, "the absorption matrix");
  detail::require_finite(m, "the mean time to absorption");
  for (std::size_t s = 0; s < S; ++s)
    for (std::size_t k = 0; k < O; ++k) B(ix(s), ix(k)) = c.reaches[s][S + k] ? detail::clamp01(B(ix(s), ix(k))) : 0.0;

  Eigen::VectorXd cv = Eigen::VectorXd::Zero(ix(S));
  Eigen::MatrixXd ch = Eigen::MatrixXd::Zero(ix(S), ix(O));
  for (const auto& r : c.routes) {
    const double m_to = r.to < S ? m(ix(r.to)) : 0.0;
    const double dev = r.mean + m_to - m(ix(r.from));
    cv(ix(r.from)) += r.p * (r.var + dev * dev);
    for (std::size_t k = 0; k < O; ++k) {
      const double b_to = r.to < S ? B(ix(r.to), ix(k)) : (r.to - S == k ? 1.0 : 0.0);
      ch(ix(r.from), ix(k)) += r.p * r.mean * b_to;
    }
  }
  const Eigen::VectorXd V = f.solve(cv);
  const Eigen::MatrixXd H = f.solve(ch);
  detail::require_finite(V, "the variance of the time to absorption");
  detail::require_finite(H, "the time to each outcome");

  // --- reach probabilities and first-passage times: S × (S + O) ---
  const double nan = std::numeric_limits<double>::quiet_NaN();
  Eigen::MatrixXd reach = Eigen::MatrixXd::Zero(ix(S), ix(NN));
  Eigen::MatrixXd treach = Eigen::MatrixXd::Constant(ix(S), ix(NN), nan);
  Eigen::MatrixXd tout = Eigen::MatrixXd::Constant(ix(S), ix(O), nan);
  std::vector<double> p_return(S, 0.0);
  for (std::size_t s = 0; s < S; ++s)
    for (std::size_t k = 0; k < O; ++k) {
      const double b = B(ix(s), ix(k));
      reach(ix(s), ix(S + k)) = b;
      if (b > 0) {
        tout(ix(s), ix(k)) = std::max(0.0, H(ix(s), ix(k))) / b;
        treach(ix(s), ix(S + k)) = tout(ix(s), ix(k));
      }
    }
  for (std::size_t n = 0; n < S; ++n) {
    reach(ix(n), ix(n)) = 1.0;
    treach(ix(n), ix(n)) = 0.0;
    bool reachable = false;
    for (std::size_t s = 0; s < S; ++s) reachable = reachable || c.reaches[s][n];
    if (!reachable) continue;  // only entered from the sources: nothing to solve
    // Entering n stops the clock: cut column n of Q.
    const detail::factor fn =
        detail::factorise(c, opt.min_rcond, n, "steady state (first passage to '" + c.ids[n] + "')");
    const Eigen::VectorXd g = fn.solve(Eigen::VectorXd(c.Q.col(ix(n))));
    detail::require_finite(g, "a reach probability");
    Eigen::VectorXd cg = Eigen::VectorXd::Zero(ix(S));
    for (const auto& r : c.routes) {
      const double g_to = r.to == n ? 1.0 : (r.to < S && c.reaches[r.to][n] ? detail::clamp01(g(ix(r.to))) : 0.0);
      cg(ix(r.from)) += r.p * r.mean * g_to;
    }
    const Eigen::VectorXd h = fn.solve(cg);
    detail::require_finite(h, "a first-passage time");
    for (std::size_t s = 0; s < S; ++s) {
      const double gs = c.reaches[s][n] ? detail::clamp01(g(ix(s))) : 0.0;
      if (s == n) {
        p_return[s] = gs;
        reach(ix(s), ix(n)) = 1.0;
        treach(ix(s), ix(n)) = 0.0;
      } else {
        reach(ix(s), ix(n)) = gs;
        if (gs > 0) treach(ix(s), ix(n)) = std::max(0.0, h(ix(s))) / gs;
      }
    }
  }

  // --- rates: λ = s + Qᵀλ ---
  Eigen::VectorXd src = Eigen::VectorXd::Zero(ix(S));
  for (const auto& so : pl.sources()) src(ix(so.stage_node)) += so.rate_at(opt.rates_at);
  Eigen::VectorXd lambda = f.solve_transposed(src);
  detail::require_finite(lambda, "the entry rates");
  lambda = lambda.cwiseMax(0.0);
  const double total_src = src.sum();

  steady_state out;
  out.name = pl.name();
  out.unit = pl.unit();
  out.rates_at = opt.rates_at;
  out.node_ids = pl.node_ids();
  if (pl.target()) out.target = pl.target()->node_index;
  out.source_rate = total_src;
  out.rcond = f.rcond;

  // Outcome rates and on_take flows into every node.
  std::vector<double> in_rate(NN, 0.0), take_rate(NN, 0.0), take_p(NN, 0.0), take_pv(NN, 0.0);
  for (std::size_t s = 0; s < S; ++s) {
    const auto& st = pl.stage(s);
    for (const auto& r : st.routes) {
      const double rate = lambda(ix(s)) * r.p;
      in_rate[r.to_node] += rate;
      if (r.on_take) {
        const double v = mean(*r.on_take);
        take_rate[r.to_node] += rate * v;
        take_pv[r.to_node] += r.p * v;
      }
      take_p[r.to_node] += r.p;
    }
  }
  auto value_on_entry = [&](std::size_t n, double on_enter_mean, double entry_rate) {
    if (entry_rate > 0) return on_enter_mean + take_rate[n] / entry_rate;
    return on_enter_mean + (take_p[n] > 0 ? take_pv[n] / take_p[n] : 0.0);
  };

  out.stages.resize(S);
  for (std::size_t s = 0; s < S; ++s) {
    const auto& st = pl.stage(s);
    auto& r = out.stages[s];
    r.id = st.id;
    r.node = s;
    r.source_rate = src(ix(s));
    r.entry_rate = lambda(ix(s));
    double vis = 0;
    for (std::size_t i = 0; i < S; ++i) vis += src(ix(i)) * N(ix(i), ix(s));
    r.visits = total_src > 0 ? std::max(0.0, vis) / total_src : 0.0;
    r.mean_time_in_stage = c.tau(ix(s));
    double var = 0;
    for (const auto& ri : c.routes)
      if (ri.from == s) {
        const double dev = ri.mean - r.mean_time_in_stage;
        var += ri.p * (ri.var + dev * dev);
      }
    r.var_time_in_stage = var;
    r.wip = r.entry_rate * r.mean_time_in_stage;
    r.p_return = p_return[s];
    r.mean_time_to_absorption = std::max(0.0, m(ix(s)));
    r.var_time_to_absorption = std::max(0.0, V(ix(s)));
    r.p_absorb.resize(O);
    r.mean_time_to_outcome.resize(O);
    for (std::size_t k = 0; k < O; ++k) {
      r.p_absorb[k] = B(ix(s), ix(k));
      r.mean_time_to_outcome[k] = tout(ix(s), ix(k));
    }
    r.p_reach.resize(NN);
    r.mean_time_to_reach.resize(NN);
    for (std::size_t n = 0; n < NN; ++n) {
      r.p_reach[n] = reach(ix(s), ix(n));
      r.mean_time_to_reach[n] = treach(ix(s), ix(n));
    }
    for (const auto& rt : st.routes)
      r.routes.push_back(route_flow{rt.to, rt.to_node, rt.p, r.entry_rate * rt.p,
                                    static_cast<double>(mean(route_duration(st, rt))), rt.implicit});
    const double enter_mean = st.on_enter ? mean(*st.on_enter) : 0.0;
    r.mean_value_on_entry = value_on_entry(s, enter_mean, r.entry_rate);
    r.on_enter_value_rate = enter_mean * r.entry_rate;
    r.on_take_value_rate = take_rate[s];
    r.reward_value_rate = st.reward_rate * r.wip;
    r.value_rate = r.on_enter_value_rate + r.on_take_value_rate + r.reward_value_rate;
    out.wip += r.wip;
    out.value_rate += r.value_rate;
  }

  out.outcomes.resize(O);
  for (std::size_t k = 0; k < O; ++k) {
    const auto& oc = pl.outcomes()[k];
    auto& r = out.outcomes[k];
    r.id = oc.id;
    r.node = S + k;
    r.entry_rate = in_rate[S + k];
    double p = 0, h = 0;
    for (std::size_t s = 0; s < S; ++s) {
      p += src(ix(s)) * B(ix(s), ix(k));
      h += src(ix(s)) * std::max(0.0, H(ix(s), ix(k)));
    }
    r.probability = total_src > 0 ? p / total_src : 0.0;
    r.mean_time_from_source = p > 0 ? h / p : nan;
    const double enter_mean = oc.on_enter ? mean(*oc.on_enter) : 0.0;
    r.mean_value_on_entry = value_on_entry(S + k, enter_mean, r.entry_rate);
    r.on_enter_value_rate = enter_mean * r.entry_rate;
    r.on_take_value_rate = take_rate[S + k];
    r.value_rate = r.on_enter_value_rate + r.on_take_value_rate;
    out.value_rate += r.value_rate;
  }

  Eigen::MatrixXd Nm = N;
  for (std::size_t i = 0; i < S; ++i)
    for (std::size_t j = 0; j < S; ++j)
      Nm(ix(i), ix(j)) = (i == j || c.reaches[i][j]) ? std::max(0.0, N(ix(i), ix(j))) : 0.0;
  out.visits = detail::to_matrix(Nm);
  out.absorption = detail::to_matrix(B);
  out.time_to_outcome = detail::to_matrix(tout);
  out.reach = detail::to_matrix(reach);
  out.time_to_reach = detail::to_matrix(treach);
  return out;
}

}  // namespace analytic
}  // namespace salespipe

#endif  // SALESPIPE_ANALYTIC_STEADY_STATE_HPP
