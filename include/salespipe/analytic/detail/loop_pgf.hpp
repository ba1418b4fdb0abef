// salespipe/analytic/detail/loop_pgf.hpp — the backward recursion behind
// analytic/loop_counts.hpp: per stage and lattice start time, the probability generating
// function of the number of entries a deal makes into one node within one lattice window.
//
// On the forecast's lattice (step h, duration masses q_g of detail/renewal.hpp's route
// groups), for a window [A, B) of lattice indices and a node v, each lane k carries a
// "mark": a factor w_k for each entry into v within the window (w = z for the count's
// pgf, w = E[e^{iωX}] for a value X booked on entry) and a factor f_{r,k} for each route r
// into v taken within the window (its on_take value's characteristic function). Then
//   χ_u(t) = E[Π marks of the deal's moves within [A, B) | the deal enters u at t],
// counting that entry itself (w when u = v and A <= t < B). χ = 1 for t >= B and, for an
// outcome o, χ_o(t) = (w if o = v and t in [A, B), else 1). For a stage s,
//   φ_s(t) = Σ_{groups g of s} Σ_m q_g[m] ρ_g(t + m),   ρ_g(t) = Σ_{routes i of g} p_i f_i(t) χ_{to_i}(t),
// run backwards from t = B − 1 to −1. The m >= 1 terms are known; the m = 0 terms couple
// the stages at the same t: (I − A0_t) φ = c, where the marks change only the column of v
// of A0[s][u] = Σ_g q_g[0] p_{g,u}: solved with (I − A0)^{-1} (precomputed, real; invertible
// as for renewal.hpp: no zero-duration loop) and a rank-one (Sherman–Morrison) correction
// per lane. Masses beyond the horizon (dropped by lattice_masses) and at t + m >= B count
// as "no further move in the window" (χ = 1).
//
// Cost O(lanes · Σ_t Σ_g min(support_g, B − t)) time, O((stages + groups) · B · lanes)
// memory; lanes = the z values, evaluated together (the inner loops run over them).
#ifndef SALESPIPE_ANALYTIC_DETAIL_LOOP_PGF_HPP
#define SALESPIPE_ANALYTIC_DETAIL_LOOP_PGF_HPP

#include <algorithm>
#include <complex>
#include <cstddef>
#include <vector>

#include <Eigen/Dense>

#include <salespipe/analytic/detail/renewal.hpp>

namespace salespipe::analytic::detail {

/// χ_s(t; z_k) for stages s, t in [−1, B), lanes k: re/im interleaved per (t, s) row.
struct chi_table {
  std::size_t stages = 0, lanes = 0, end = 0;  ///< end = B
  std::vector<double> data;
  const double* row(long t, std::size_t s) const noexcept {
    return data.data() + (static_cast<std::size_t>(t + 1) * stages + s) * 2 * lanes;
  }
};

/// The marks of the lanes: per lane, the factor of an entry into v (enter) and, per group
/// and route of the group, the factor of taking that route into v (take; an empty vector
/// = no mark, factor 1). Marks apply within the window only.
struct lane_marks {
  std::vector<std::complex<double>> enter;
  std::vector<std::vector<std::vector<std::complex<double>>>> take;
  std::size_t lanes() const noexcept { return enter.size(); }
  // Factor of route i of group g at lane k (1 without a mark).
  std::complex<double> route(std::size_t g, std::size_t i, std::size_t k) const noexcept {
    if (take.empty() || take[g][i].empty()) return 1.0;
    return take[g][i][k];
  }
};

/// The recursion's fixed parts for one pipeline, lattice and node v.
class loop_pgf {
 public:
  loop_pgf(const renewal_grid& grid, std::size_t stages, std::size_t node)
      : g_(grid.groups()), S_(stages), N_(grid.node_count()), v_(node), n_(grid.size()) {
    Eigen::MatrixXd a0 = Eigen::MatrixXd::Zero(idx(S_), idx(S_));
    cum_.resize(g_.size());
    for (std::size_t gi = 0; gi < g_.size(); ++gi) {
      const auto& g = g_[gi];
      auto& c = cum_[gi];
      c.assign(g.q.size() + 1, 0.0);
      for (std::size_t m = 0; m < g.q.size(); ++m) c[m + 1] = c[m] + g.q[m];
      for (std::size_t i = 0; i < g.to.size(); ++i)
        if (g.to[i] < S_) a0(idx(g.stage), idx(g.to[i])) += g.q[0] * g.p[i];
    }
    const Eigen::MatrixXd binv =
        Eigen::PartialPivLU<Eigen::MatrixXd>(Eigen::MatrixXd::Identity(idx(S_), idx(S_)) - a0).inverse();
    // Stages that can reach v (a path of routes with p > 0 of length >= 1): for the others
    // φ ≡ 1 (no later entry into v, no route into v), so their groups need no convolution.
    reach_.assign(S_, 0);
    for (bool changed = true; changed;) {
      changed = false;
      for (const auto& g : g_)
        for (std::size_t i = 0; i < g.to.size(); ++i)
          if (!reach_[g.stage] && g.p[i] > 0 && (g.to[i] == v_ || (g.to[i] < S_ && reach_[g.to[i]])))
            reach_[g.stage] = 1, changed = true;
    }
    binv_.assign(S_ * S_, 0.0);
    for (std::size_t r = 0; r < S_; ++r)
      for (std::size_t c = 0; c < S_; ++c) binv_[r * S_ + c] = binv(idx(r), idx(c));
  }

  /// Bytes run() needs for B lattice points and `lanes` z values.
  double bytes(std::size_t B, std::size_t lanes) const noexcept {
    return static_cast<double>(S_ + g_.size()) * static_cast<double>(B + 1) * static_cast<double>(lanes) * 16.0;
  }

  /// χ for window [A, B) (lattice indices, 0 <= A < B < n) with the lanes' marks.
  chi_table run(std::size_t A, std::size_t B, const lane_marks& mk) const {
    const std::size_t F = mk.lanes(), W = 2 * F, G = g_.size(), T = B + 1;  // t = −1 .. B−1
    chi_table out{S_, F, B, std::vector<double>(T * S_ * W, 0.0)};
    std::vector<double> rho(G * T * W, 0.0);  // ρ_g(t): row (g · T + t + 1)
    std::vector<double> c(S_ * W), x(S_ * W), acc(W);
    // Inside the window, v's column of A0 becomes Σ_g q_g[0] Σ_{i into v} p_i f_i w: with
    // u_k = that − the unmarked column, y_k = (I − A0)^{-1} u_k (lane k at y[k · S + s]).
    std::vector<std::complex<double>> y;
    if (v_ < S_) {
      y.assign(F * S_, 0.0);
      std::vector<std::complex<double>> u(S_);
      for (std::size_t k = 0; k < F; ++k) {
        std::fill(u.begin(), u.end(), 0.0);
        for (std::size_t gi = 0; gi < G; ++gi)
          for (std::size_t i = 0; i < g_[gi].to.size(); ++i)
            if (g_[gi].to[i] == v_)
              u[g_[gi].stage] += g_[gi].q[0] * g_[gi].p[i] * (mk.route(gi, i, k) * mk.enter[k] - 1.0);
        for (std::size_t r = 0; r < S_; ++r)
          for (std::size_t s = 0; s < S_; ++s) y[k * S_ + r] += binv_[r * S_ + s] * u[s];
      }
    }
    for (long t = static_cast<long>(B) - 1; t >= -1; --t) {
      const bool in = t >= static_cast<long>(A);
      const std::size_t ti = static_cast<std::size_t>(t + 1);
      const std::size_t ahead = B - ti;  // = B − 1 − t: the largest m with t + m < B
      std::fill(c.begin(), c.end(), 0.0);
      for (std::size_t gi = 0; gi < G; ++gi) {
        const auto& g = g_[gi];
        double P = 0;
        for (double p : g.p) P += p;
        double* cs = c.data() + g.stage * W;
        if (!reach_[g.stage]) {  // ρ_g ≡ P: the m >= 1 terms sum to P (1 − q[0])
          for (std::size_t k = 0; k < F; ++k) cs[2 * k] += P * (1 - g.q[0]);
        } else {
          // m >= 1 with t + m < B, i.e. m <= B − 1 − t = ahead.
          const std::size_t top = std::min(g.q.size() - 1, ahead);
          std::fill(acc.begin(), acc.end(), 0.0);
          for (std::size_t m = 1; m <= top; ++m) {
            const double qm = g.q[m];
            if (qm == 0) continue;
            const double* r = rho.data() + (gi * T + ti + m) * W;
            for (std::size_t k = 0; k < W; ++k) acc[k] += qm * r[k];
          }
          // t + m >= B (and masses dropped beyond the horizon): χ = 1, ρ = P.
          const double tail = P * std::max(0.0, 1.0 - cum_[gi][std::min(g.q.size(), ahead + 1)]);
          for (std::size_t k = 0; k < F; ++k) cs[2 * k] += acc[2 * k] + tail, cs[2 * k + 1] += acc[2 * k + 1];
        }
        // m = 0 routes into outcomes (known χ).
        for (std::size_t i = 0; i < g.to.size(); ++i)
          if (g.to[i] >= S_) {
            const double w = g.q[0] * g.p[i];
            if (w == 0) continue;
            if (!(in && g.to[i] == v_)) {
              for (std::size_t k = 0; k < F; ++k) cs[2 * k] += w;
              continue;
            }
            for (std::size_t k = 0; k < F; ++k) {
              const std::complex<double> f = w * mk.route(gi, i, k) * mk.enter[k];
              cs[2 * k] += f.real(), cs[2 * k + 1] += f.imag();
            }
          }
      }
      // x = (I − A0)^{-1} c, then the Sherman–Morrison correction for w at v.
      std::fill(x.begin(), x.end(), 0.0);
      for (std::size_t r = 0; r < S_; ++r)
        for (std::size_t s = 0; s < S_; ++s) {
          const double b = binv_[r * S_ + s];
          if (b == 0) continue;
          const double* cs = c.data() + s * W;
          double* xr = x.data() + r * W;
          for (std::size_t k = 0; k < W; ++k) xr[k] += b * cs[k];
        }
      if (in && v_ < S_)
        for (std::size_t k = 0; k < F; ++k) {  // φ_v = x_v / (1 − y_v), φ = x + y φ_v
          const std::complex<double>* yk = y.data() + k * S_;
          const std::complex<double> xv(x[v_ * W + 2 * k], x[v_ * W + 2 * k + 1]);
          const std::complex<double> pv = xv / (1.0 - yk[v_]);
          for (std::size_t s = 0; s < S_; ++s) {
            const std::complex<double> d = yk[s] * pv;
            x[s * W + 2 * k] += d.real();
            x[s * W + 2 * k + 1] += d.imag();
          }
        }
      // χ_s(t) = φ_s(t), times the entry mark at v inside the window.
      double* chi = out.data.data() + ti * S_ * W;
      std::copy(x.begin(), x.end(), chi);
      if (in && v_ < S_)
        for (std::size_t k = 0; k < F; ++k) {
          const std::complex<double> p =
              std::complex<double>(chi[v_ * W + 2 * k], chi[v_ * W + 2 * k + 1]) * mk.enter[k];
          chi[v_ * W + 2 * k] = p.real();
          chi[v_ * W + 2 * k + 1] = p.imag();
        }
      // ρ_g(t) = Σ_i p_i f_i χ_{to_i}(t).
      for (std::size_t gi = 0; gi < G; ++gi) {
        const auto& g = g_[gi];
        if (!reach_[g.stage]) continue;  // never read
        double* r = rho.data() + (gi * T + ti) * W;
        for (std::size_t i = 0; i < g.to.size(); ++i) {
          const double p = g.p[i];
          const bool hit = in && g.to[i] == v_;
          if (!hit && g.to[i] < S_) {
            const double* cu = chi + g.to[i] * W;
            for (std::size_t k = 0; k < W; ++k) r[k] += p * cu[k];
          } else if (!hit) {
            for (std::size_t k = 0; k < F; ++k) r[2 * k] += p;
          } else {  // into v inside the window: route mark (χ_v holds the entry mark)
            for (std::size_t k = 0; k < F; ++k) {
              const std::complex<double> cv =
                  g.to[i] < S_ ? std::complex<double>(chi[v_ * W + 2 * k], chi[v_ * W + 2 * k + 1]) : mk.enter[k];
              const std::complex<double> f = p * mk.route(gi, i, k) * cv;
              r[2 * k] += f.real(), r[2 * k + 1] += f.imag();
            }
          }
        }
      }
    }
    return out;
  }

  /// χ_u(t; lane k) from a table for window [A, B): 1 at t >= B, the entry mark w_k for
  /// the outcome v inside the window, 1 for other outcomes.
  static std::complex<double> chi(const chi_table& tb, std::size_t A, std::size_t v, std::size_t u, long t,
                                  std::size_t k, const std::complex<double>& w) noexcept {
    if (t >= static_cast<long>(tb.end)) return 1.0;
    if (u < tb.stages) {
      const double* r = tb.row(t, u);
      return {r[2 * k], r[2 * k + 1]};
    }
    return u == v && t >= static_cast<long>(A) ? w : std::complex<double>(1.0);
  }

  std::size_t node() const noexcept { return v_; }
  std::size_t lattice_size() const noexcept { return n_; }
  std::size_t node_count() const noexcept { return N_; }

 private:
  static Eigen::Index idx(std::size_t i) noexcept { return static_cast<Eigen::Index>(i); }
  const std::vector<route_group>& g_;
  std::size_t S_, N_, v_, n_;
  std::vector<std::vector<double>> cum_;  // cum_[g][m] = Σ_{j<m} q_g[j]
  std::vector<double> binv_;              // (I − A0)^{-1}, row-major
  std::vector<char> reach_;               // stage can reach v
};

}  // namespace salespipe::analytic::detail

#endif  // SALESPIPE_ANALYTIC_DETAIL_LOOP_PGF_HPP
