// salespipe/analytic/detail/chain.hpp — the absorbing semi-Markov chain of a pipeline
// as Eigen arrays, and the one factorisation every steady-state quantity is solved with.
//
// Why the row scaling: I − Q has diagonal 1 − p_ss. Forming it by subtraction loses
// everything for a self-loop of p = 1 − 1e−12 (catastrophic cancellation), so the
// diagonal is built as the exit probability Σ_{j≠s} p_sj instead (a sum, exact enough),
// and each row is divided by it: M = D⁻¹(I − Q) = I − P, with P the jump chain without
// self-loops. Self-loops then cost nothing in conditioning and rcond(M) measures what is
// really hard: loops among different stages that are almost closed. Those are refused
// (singular_model) when rcond(M) is below the caller's threshold, because an LU
// solution's relative error is about u / rcond and we never return a wrong number.
#ifndef SALESPIPE_ANALYTIC_DETAIL_CHAIN_HPP
#define SALESPIPE_ANALYTIC_DETAIL_CHAIN_HPP

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

#include <Eigen/Core>
#include <Eigen/LU>

#include <salespipe/detail/format.hpp>
#include <salespipe/error.hpp>
#include <salespipe/matrix.hpp>
#include <salespipe/pipeline.hpp>

namespace salespipe {
namespace analytic {
namespace detail {

/// Eigen's signed index from ours (the one place the conversion is written).
inline Eigen::Index ix(std::size_t i) noexcept { return static_cast<Eigen::Index>(i); }

/// Copies an Eigen matrix into the public matrix type.
inline salespipe::matrix to_matrix(const Eigen::MatrixXd& a) {
  salespipe::matrix m(static_cast<std::size_t>(a.rows()), static_cast<std::size_t>(a.cols()));
  for (std::size_t i = 0; i < m.rows(); ++i)
    for (std::size_t j = 0; j < m.cols(); ++j) m(i, j) = a(ix(i), ix(j));
  return m;
}

/// One route with its moments.
struct route_info {
  std::size_t from = 0, to = 0;  ///< node indices
  double p = 0;                  ///< probability
  double mean = 0, var = 0;      ///< of the time in the stage on this route
};

/// The chain of a pipeline: Q (stage→stage), R (stage→outcome), exit probabilities,
/// route moments, structural reachability.
struct chain {
  std::size_t S = 0, O = 0;
  Eigen::MatrixXd Q, R;
  Eigen::VectorXd exit;  ///< Σ_{j≠s} p_sj, summed, never 1 − p_ss
  Eigen::VectorXd tau;   ///< mean time per visit Σ_r p_r E[T_r]
  std::vector<route_info> routes;
  std::vector<std::vector<char>> reaches;  ///< [s][n]: a path of p > 0 routes from s to n
  std::vector<std::string> ids;
};

template <class Duration>
chain make_chain(const basic_pipeline<Duration>& pl) {
  chain c;
  c.S = pl.stage_count();
  c.O = pl.outcome_count();
  c.ids = pl.node_ids();
  const std::size_t S = c.S, NN = c.S + c.O;
  c.Q = Eigen::MatrixXd::Zero(ix(S), ix(S));
  c.R = Eigen::MatrixXd::Zero(ix(S), ix(c.O));
  c.exit = Eigen::VectorXd::Zero(ix(S));
  c.tau = Eigen::VectorXd::Zero(ix(S));
  c.reaches.assign(S, std::vector<char>(NN, 0));
  for (std::size_t s = 0; s < S; ++s) {
    const auto& st = pl.stage(s);
    for (const auto& r : st.routes) {
      const auto& d = route_duration(st, r);
      route_info ri{s, r.to_node, r.p, static_cast<double>(mean(d)), static_cast<double>(variance(d))};
      if (ri.to < S)
        c.Q(ix(s), ix(ri.to)) += ri.p;
      else
        c.R(ix(s), ix(ri.to - S)) += ri.p;
      if (ri.to != s) c.exit(ix(s)) += ri.p;
      c.tau(ix(s)) += ri.p * ri.mean;
      if (ri.p > 0) c.reaches[s][ri.to] = 1;
      c.routes.push_back(ri);
    }
  }
  // Transitive closure (Warshall): S is small; O(S²·N).
  for (std::size_t k = 0; k < S; ++k)
    for (std::size_t s = 0; s < S; ++s)
      if (c.reaches[s][k])
        for (std::size_t n = 0; n < NN; ++n)
          if (c.reaches[k][n]) c.reaches[s][n] = 1;
  return c;
}

/// An LU of a row-scaled system with its row scales: solve((I−Q')x = b) = lu.solve(b ./ scale).
struct factor {
  Eigen::PartialPivLU<Eigen::MatrixXd> lu;
  Eigen::VectorXd scale;
  double rcond = 0;

  Eigen::MatrixXd solve(const Eigen::MatrixXd& b) const { return lu.solve(scale.asDiagonal().inverse() * b); }
  Eigen::VectorXd solve(const Eigen::VectorXd& b) const { return lu.solve(b.cwiseQuotient(scale)); }
  /// x with (I−Q')ᵀ x = b.
  Eigen::VectorXd solve_transposed(const Eigen::VectorXd& b) const {
    const Eigen::VectorXd y = lu.transpose().solve(b);
    return y.cwiseQuotient(scale);
  }
};

/// Factorises D⁻¹(I − Q'), Q' = Q with column `cut` zeroed (cut = S: none; a first-passage
/// system for target stage `cut` otherwise). Throws singular_model when the estimated
/// rcond is below min_rcond or not a number, naming the stages the near-closed loop runs
/// through (those with the most expected visits).
inline factor factorise(const chain& c, double min_rcond, std::size_t cut, const std::string& what) {
  const std::size_t S = c.S;
  factor f;
  f.scale = Eigen::VectorXd::Ones(ix(S));
  Eigen::MatrixXd M = Eigen::MatrixXd::Identity(ix(S), ix(S));
  for (std::size_t s = 0; s < S; ++s) {
    // Row s of I − Q' has diagonal exit_s (1 if the self-loop is the cut column).
    const double d = s == cut ? 1.0 : c.exit(ix(s));
    f.scale(ix(s)) = d;
    for (std::size_t t = 0; t < S; ++t)
      if (t != s && t != cut) M(ix(s), ix(t)) = -c.Q(ix(s), ix(t)) / d;
  }
  f.lu.compute(M);
  f.rcond = f.lu.rcond();
  if (!(f.rcond >= min_rcond) || !std::isfinite(f.rcond)) {
    // Name the stages of the almost-closed loop: the most visited ones. The numbers are
    // not trusted, only their order of magnitude.
    const Eigen::MatrixXd N = f.lu.solve(f.scale.cwiseInverse().asDiagonal().toDenseMatrix());
    std::vector<double> v(S, 0.0);
    double top = 0;
    for (std::size_t j = 0; j < S; ++j) {
      for (std::size_t i = 0; i < S; ++i) v[j] = std::max(v[j], std::abs(N(ix(i), ix(j))));
      if (std::isfinite(v[j])) top = std::max(top, v[j]);
    }
    std::string names;
    for (std::size_t j = 0; j < S; ++j)
      if (!std::isfinite(v[j]) || v[j] >= 0.01 * top) names += (names.empty() ? "'" : ", '") + c.ids[j] + "'";
    throw singular_model(what +
                         ": the chain is too close to singular to give trustworthy numbers (estimated "
                         "reciprocal condition number " +
                         salespipe::detail::num(f.rcond) + " < " + salespipe::detail::num(min_rcond) +
                         "): a loop through stages " + names + " is almost closed, deals would go round it about " +
                         salespipe::detail::num(top) + " times. Raise the exit probability of that loop.");
  }
  return f;
}

/// True when every entry is finite.
inline bool all_finite(const Eigen::MatrixXd& a) { return a.allFinite(); }

}  // namespace detail
}  // namespace analytic
}  // namespace salespipe

#endif  // SALESPIPE_ANALYTIC_DETAIL_CHAIN_HPP
