// salespipe/analytic/detail/renewal.hpp — the discretised Markov renewal equation (used only by
// analytic/transient.hpp and analytic/forecast.hpp; Eigen is allowed here for that reason).
//
// On the lattice t_n = n·h, the expected-entries masses of a deal started by `inj`
// (entries injected into nodes, node × n) satisfy, for every node v,
//   ent_v[n] = inj_v[n] + Σ_{groups g into v} p_g,v Σ_{m=0..n} q_g[m] ent_{s(g)}[n − m],
// where a group is the set of routes of stage s(g) that share one duration (the stage's,
// or a route's override) and q_g its moment-matched lattice masses (detail/lattice.hpp).
// The m = 0 terms couple the stages at the same n: (I − A0) x = b, solved with one LU
// factorisation of the stage×stage matrix (invertible unless a loop has all its durations
// zero, which zero_duration_loop() rejects first). With a loop of routes: direct causal
// convolution, O(n · Σ_g min(n, support_g)) time. Without one (most funnels): stage by
// stage in topological order, each group's completions one convolution by real FFT
// (detail/lattice.hpp) when cheaper, O(groups · n log n). Memory O((nodes + groups) · n).
#ifndef SALESPIPE_ANALYTIC_DETAIL_RENEWAL_HPP
#define SALESPIPE_ANALYTIC_DETAIL_RENEWAL_HPP

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include <Eigen/Dense>

#include <salespipe/analytic/detail/fft.hpp>
#include <salespipe/analytic/detail/lattice.hpp>
#include <salespipe/error.hpp>
#include <salespipe/pipeline.hpp>

namespace salespipe::analytic::detail {

#if defined(__GNUC__) || defined(__clang__)
typedef double renewal_v2d __attribute__((vector_size(16)));  // two doubles (SSE2, NEON)
inline renewal_v2d renewal_load2(const double* p) noexcept {
  renewal_v2d v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
#endif

/// Σ_{m in [a, b)} q[m]·e[m] with several accumulators; with GCC/Clang in two-lane vectors
/// (half the instructions; the sums differ from the portable loop only by rounding).
inline double dot(const double* q, const double* e, std::size_t a, std::size_t b) noexcept {
  std::size_t m = a;
#if defined(__GNUC__) || defined(__clang__)
  renewal_v2d s01 = {0, 0}, s23 = {0, 0}, t01 = {0, 0}, t23 = {0, 0};
  for (; m + 8 <= b; m += 8) {  // eight lanes: two independent add chains per pair
    s01 += renewal_load2(q + m) * renewal_load2(e + m);
    s23 += renewal_load2(q + m + 2) * renewal_load2(e + m + 2);
    t01 += renewal_load2(q + m + 4) * renewal_load2(e + m + 4);
    t23 += renewal_load2(q + m + 6) * renewal_load2(e + m + 6);
  }
  s01 += t01;
  s23 += t23;
  double s0 = s01[0], s1 = s01[1], s2 = s23[0], s3 = s23[1];
#else
  double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  for (; m + 4 <= b; m += 4) {
    s0 += q[m] * e[m];
    s1 += q[m + 1] * e[m + 1];
    s2 += q[m + 2] * e[m + 2];
    s3 += q[m + 3] * e[m + 3];
  }
#endif
  for (; m < b; ++m) s0 += q[m] * e[m];
  return (s0 + s1) + (s2 + s3);
}

/// Routes of one stage that share one duration.
struct route_group {
  std::size_t stage = 0;
  std::vector<std::size_t> routes;  ///< route indices within the stage
  std::vector<std::size_t> to;      ///< target node of each route
  std::vector<double> p;            ///< probability of each route
  std::vector<double> q;            ///< lattice masses of the shared duration
};

/// Stages on a cycle of routes (p > 0) whose durations can all be 0 (P(T = 0) > 0),
/// as "'a', 'b'"; empty when there is none.
template <class D>
std::string zero_duration_loop(const basic_pipeline<D>& pl) {
  const std::size_t S = pl.stage_count();
  std::vector<std::vector<std::size_t>> out(S);
  for (std::size_t s = 0; s < S; ++s)
    for (const auto& r : pl.stage(s).routes)
      if (r.p > 0 && r.to_node < S && cdf(route_duration(pl.stage(s), r), 0.0) > 0) out[s].push_back(r.to_node);
  // Peel stages with no zero-time way out or in among the remaining ones; what is left
  // lies on (or between) zero-duration cycles.
  std::vector<char> alive(S, 1);
  for (bool changed = true; changed;) {
    changed = false;
    std::vector<std::size_t> in(S, 0), outn(S, 0);
    for (std::size_t s = 0; s < S; ++s)
      if (alive[s])
        for (std::size_t t : out[s])
          if (alive[t]) ++outn[s], ++in[t];
    for (std::size_t s = 0; s < S; ++s)
      if (alive[s] && (in[s] == 0 || outn[s] == 0)) alive[s] = 0, changed = true;
  }
  std::string names;
  for (std::size_t s = 0; s < S; ++s)
    if (alive[s]) names += (names.empty() ? "'" : ", '") + pl.stage(s).id + "'";
  return names;
}

/// Throws invalid_model naming the stages when the pipeline has a zero-duration loop.
template <class D>
void check_no_zero_duration_loop(const basic_pipeline<D>& pl) {
  const std::string names = zero_duration_loop(pl);
  if (!names.empty())
    throw invalid_model("stages " + names +
                        " form a loop whose durations can all be 0: a deal could enter them "
                        "infinitely often in no time; give one of them a positive duration");
}

/// The lattice form of a pipeline's routes, ready to run forward in time.
class renewal_grid {
 public:
  /// Lattice of `n` points of step `h`. Precondition: no zero-duration loop.
  template <class D>
  renewal_grid(const basic_pipeline<D>& pl, double h, std::size_t n)
      : h_(h), n_(n), stages_(pl.stage_count()), nodes_(pl.node_count()) {
    for (std::size_t s = 0; s < stages_; ++s) {
      const auto& st = pl.stage(s);
      route_group shared;
      shared.stage = s;
      for (std::size_t j = 0; j < st.routes.size(); ++j) {
        const auto& r = st.routes[j];
        route_group& g = r.duration ? groups_.emplace_back() : shared;
        g.stage = s;
        g.routes.push_back(j);
        g.to.push_back(r.to_node);
        g.p.push_back(r.p);
        if (r.duration) g.q = lattice_masses(*r.duration, h, n);
      }
      if (!shared.routes.empty()) {
        shared.q = lattice_masses(st.duration, h, n);
        groups_.push_back(std::move(shared));
      }
    }
    Eigen::MatrixXd a =
        Eigen::MatrixXd::Identity(static_cast<Eigen::Index>(stages_), static_cast<Eigen::Index>(stages_));
    for (const auto& g : groups_)
      for (std::size_t i = 0; i < g.to.size(); ++i)
        if (g.to[i] < stages_)
          a(static_cast<Eigen::Index>(g.to[i]), static_cast<Eigen::Index>(g.stage)) -= g.p[i] * g.q[0];
    lu_.compute(a);
    plan_transforms();
  }

  double step() const noexcept { return h_; }
  std::size_t size() const noexcept { return n_; }
  std::size_t node_count() const noexcept { return nodes_; }
  const std::vector<route_group>& groups() const noexcept { return groups_; }

  /// Entries per node (node × n) and, per group, the stage's entries convolved with the
  /// group's duration (group × n): the group's completions are Σ p of it.
  struct run_result {
    std::vector<std::vector<double>> entries;
    std::vector<std::vector<double>> completions;
  };

  /// Runs the renewal equation from the injected entries `inj` (node × n; a node's row
  /// may be empty for "none"). `signed_masses`: inj may be negative (a derivative run,
  /// analytic/forecast_sensitivity.hpp), so FFT rounding is not clipped at 0.
  run_result run(const std::vector<std::vector<double>>& inj, bool signed_masses = false) const {
    if (!topo_.empty()) return run_acyclic(inj, signed_masses);
    run_result r;
    r.entries.assign(nodes_, std::vector<double>(n_, 0.0));
    r.completions.assign(groups_.size(), std::vector<double>(n_, 0.0));
    const auto S = static_cast<Eigen::Index>(stages_);
    Eigen::VectorXd b(S), x(S);
    std::vector<double> outb(nodes_ - stages_, 0.0);
    // Each stage's entries also stored reversed (rev[s][n_ − 1 − n] = entries[s][n]), so the
    // convolution sums below read both arrays forwards (the compiler pairs them into SIMD
    // lanes), and the lattice range [lo, hi] of its nonzero entries so far, so a sum skips
    // the terms where they are 0 (a stage entered only at time 0 costs one term, not n).
    std::vector<std::vector<double>> rev(stages_, std::vector<double>(n_, 0.0));
    std::vector<std::size_t> lo(stages_, n_), hi(stages_, 0);
    for (std::size_t n = 0; n < n_; ++n) {
      b.setZero();
      for (std::size_t v = 0; v < nodes_; ++v) {
        const double in = inj[v].empty() ? 0.0 : inj[v][n];
        if (v < stages_)
          b(static_cast<Eigen::Index>(v)) = in;
        else
          outb[v - stages_] = in;
      }
      // Past part of each group's convolution (m >= 1), four accumulators for ILP:
      // Σ_{m=1..M} q[m] e[n − m] = Σ_m q[m] rev[n_ − 1 − n + m], over the m where
      // e[n − m] can be nonzero (lo <= n − m <= hi).
      for (std::size_t gi = 0; gi < groups_.size(); ++gi) {
        const auto& g = groups_[gi];
        double c = 0;
        if (lo[g.stage] < n) {
          const std::size_t m0 = std::max<std::size_t>(1, n > hi[g.stage] ? n - hi[g.stage] : 1);
          const std::size_t m1 = std::min(g.q.size() - 1, n - lo[g.stage]);
          const double* q = g.q.data();
          const double* e = rev[g.stage].data() + (n_ - 1 - n);
          c = dot(q, e, m0, m1 + 1);
        }
        r.completions[gi][n] = c;
        for (std::size_t i = 0; i < g.to.size(); ++i) {
          if (g.to[i] < stages_)
            b(static_cast<Eigen::Index>(g.to[i])) += g.p[i] * c;
          else
            outb[g.to[i] - stages_] += g.p[i] * c;
        }
      }
      x = lu_.solve(b);
      for (std::size_t s = 0; s < stages_; ++s) {
        const double e = x(static_cast<Eigen::Index>(s));
        r.entries[s][n] = rev[s][n_ - 1 - n] = e;
        if (e != 0) lo[s] = std::min(lo[s], n), hi[s] = n;
      }
      for (std::size_t gi = 0; gi < groups_.size(); ++gi) {
        const auto& g = groups_[gi];
        const double now = g.q[0] * r.entries[g.stage][n];
        r.completions[gi][n] += now;
        for (std::size_t i = 0; i < g.to.size(); ++i)
          if (g.to[i] >= stages_) outb[g.to[i] - stages_] += g.p[i] * now;
      }
      for (std::size_t o = 0; o < nodes_ - stages_; ++o) r.entries[stages_ + o][n] = outb[o];
    }
    return r;
  }

 private:
  // Without a cycle of routes the stages can be run one after another in topological order,
  // each stage's entries complete before its completions are needed, so each group's
  // completions are one convolution of two known arrays: by FFT (O(n log n); rounding
  // ~1e-16 · log n relative to the largest mass, negative rounding clipped since the exact
  // values are >= 0, exact zeros kept outside the support) when that is cheaper than the
  // direct sum, else directly. topo_ stays empty for a pipeline with a cycle (time-stepping
  // below). Transforms of the duration masses are made once here (for stages entered from
  // other stages: those whose entries spread over the lattice).
  void plan_transforms() {
    std::vector<std::size_t> indeg(stages_, 0);
    std::vector<char> entered(stages_, 0);
    for (const auto& g : groups_)
      for (std::size_t i = 0; i < g.to.size(); ++i)
        if (g.to[i] < stages_ && g.p[i] > 0) ++indeg[g.to[i]], entered[g.to[i]] = 1;
    std::vector<std::size_t> order;
    for (std::size_t s = 0; s < stages_; ++s)
      if (indeg[s] == 0) order.push_back(s);
    for (std::size_t k = 0; k < order.size(); ++k)
      for (const auto& g : groups_)
        if (g.stage == order[k])
          for (std::size_t i = 0; i < g.to.size(); ++i)
            if (g.to[i] < stages_ && g.p[i] > 0 && --indeg[g.to[i]] == 0) order.push_back(g.to[i]);
    if (order.size() != stages_ || n_ < 2) return;  // a cycle: time-stepping
    topo_ = std::move(order);
    // Transform size per group (q of support Q): P = the smallest power of two >= n (real_fft
    // needs >= 8). A circular convolution of size P wraps the terms t >= P of the linear one
    // onto t − P (once: t <= 2n − 2 < 2P); they involve only the tails of e and q, D + 1
    // points with D = len(e) + Q − 2 − P, and are subtracted directly in O(D²) when that
    // is cheaper than transforms of size 2P (no wrap); else size 2P.
    std::size_t P = 8;
    while (P < n_) P *= 2;
    double logP = 0;
    for (std::size_t m = P; m > 1; m /= 2) ++logP;
    qhat_.resize(groups_.size());
    qrev_.resize(groups_.size());
    std::vector<double> x, work;
    for (std::size_t gi = 0; gi < groups_.size(); ++gi) {
      const auto& q = groups_[gi].q;
      if (!entered[groups_[gi].stage] || q.size() < 2) continue;
      const std::size_t Q = std::min(q.size(), n_);
      const double wrapped = static_cast<double>(n_ + Q) - static_cast<double>(P) - 1;  // D + 1
      const bool big = wrapped > 0 && wrapped * wrapped > 4 * static_cast<double>(P) * logP;
      std::optional<real_fft>& f = big ? fft2_ : fft_;
      if (!f) f.emplace(big ? 2 * P : P);
      const std::size_t M = f->size();
      x.assign(M, 0.0);
      std::copy(q.begin(), q.begin() + static_cast<std::ptrdiff_t>(Q), x.begin());
      auto& t = qhat_[gi];
      t.assign(M + 2, 0.0);  // re[0..M/2], im[0..M/2]
      f->forward(x.data(), t.data(), t.data() + M / 2 + 1, work);
      if (!big && wrapped > 0) qrev_[gi].assign(q.rend() - static_cast<std::ptrdiff_t>(Q), q.rend());
    }
  }

  struct scratch {
    std::vector<double> x, xr, xi, work;
  };
  // c[0..n) = (e ⊛ q)[0..n) for e nonzero only in [lo, hi]; e >= 0 unless signed_masses.
  void convolve(const std::vector<double>& e, std::size_t lo, std::size_t hi, std::size_t gi, std::vector<double>& c,
                scratch& w, bool signed_masses) const {
    const auto& q = groups_[gi].q;
    const std::size_t Q = std::min(q.size(), n_), len = hi - lo + 1;
    std::size_t qlo = 0;
    while (qlo < Q && q[qlo] == 0) ++qlo;
    if (qlo == Q) return;
    const real_fft* fft = qhat_[gi].empty() ? nullptr : fft_ && qhat_[gi].size() == fft_->size() + 2 ? &*fft_ : &*fft2_;
    const std::size_t M = fft ? fft->size() : 0;
    double logM = 0;
    for (std::size_t m = M; m > 1; m /= 2) ++logM;
    if (qhat_[gi].empty() ||
        static_cast<double>(len) * static_cast<double>(Q - qlo) <= 4 * static_cast<double>(M) * logM) {
      for (std::size_t j = lo; j <= hi; ++j) {  // direct: c[j + m] += e[j] q[m]
        const double ej = e[j];
        if (ej == 0) continue;
        const std::size_t top = std::min(Q, n_ - j);
        double* cj = c.data() + j;
        for (std::size_t m = qlo; m < top; ++m) cj[m] += ej * q[m];
      }
      return;
    }
    const std::size_t F = M / 2 + 1;
    std::vector<double>&x = w.x, &xr = w.xr, &xi = w.xi;
    x.assign(M, 0.0);
    xr.resize(F);
    xi.resize(F);
    std::copy(e.begin() + static_cast<std::ptrdiff_t>(lo), e.begin() + static_cast<std::ptrdiff_t>(hi + 1), x.begin());
    fft->forward(x.data(), xr.data(), xi.data(), w.work);
    const double* qr = qhat_[gi].data();
    const double* qi = qr + F;
    for (std::size_t k = 0; k < F; ++k) {
      const double a = xr[k] * qr[k] - xi[k] * qi[k], b = xr[k] * qi[k] + xi[k] * qr[k];
      xr[k] = a;
      xi[k] = b;
    }
    fft->inverse(xr.data(), xi.data(), x.data(), w.work);
    // Support of the exact result: [lo + qlo, hi + Q − 1]; zero (as computed) elsewhere.
    const std::size_t top = std::min(n_, hi + Q);
    if (len + Q >= M + 2) {                     // wrapped: x[j] = lin[j] + lin[j + M] for j <= len + Q − 2 − M
      const double* qr_rev = qrev_[gi].data();  // qr_rev[k] = q[Q − 1 − k]
      const std::size_t D = std::min(len + Q - 2 - M, top - lo - 1);
      for (std::size_t j = 0; j <= D; ++j) {  // lin[j + M] = Σ_{i >= i0} e[lo + i] q[j + M − i]
        const std::size_t i0 = j + M + 1 - Q;
        x[j] -= dot(e.data() + lo + i0, qr_rev, 0, len - i0);
      }
    }
    for (std::size_t j = lo + qlo; j < top; ++j) c[j] = signed_masses ? x[j - lo] : std::max(0.0, x[j - lo]);
  }

  run_result run_acyclic(const std::vector<std::vector<double>>& inj, bool signed_masses) const {
    run_result r;
    r.entries.assign(nodes_, std::vector<double>(n_, 0.0));
    r.completions.assign(groups_.size(), std::vector<double>(n_, 0.0));
    for (std::size_t v = 0; v < nodes_; ++v)
      if (!inj[v].empty())
        std::copy(inj[v].begin(), inj[v].begin() + static_cast<std::ptrdiff_t>(n_), r.entries[v].begin());
    scratch w;
    for (std::size_t s : topo_) {
      const std::vector<double>& e = r.entries[s];
      std::size_t lo = 0, hi = n_;
      while (lo < n_ && e[lo] == 0) ++lo;
      if (lo == n_) continue;
      while (e[hi - 1] == 0) --hi;
      for (std::size_t gi = 0; gi < groups_.size(); ++gi) {
        const auto& g = groups_[gi];
        if (g.stage != s) continue;
        std::vector<double>& c = r.completions[gi];
        convolve(e, lo, hi - 1, gi, c, w, signed_masses);
        for (std::size_t i = 0; i < g.to.size(); ++i) {
          std::vector<double>& to = r.entries[g.to[i]];
          const double p = g.p[i];
          for (std::size_t m = 0; m < n_; ++m) to[m] += p * c[m];
        }
      }
    }
    return r;
  }

  double h_;
  std::size_t n_, stages_, nodes_;
  std::vector<route_group> groups_;
  Eigen::PartialPivLU<Eigen::MatrixXd> lu_;
  std::vector<std::size_t> topo_;          // stages in topological order; empty: a cycle
  std::optional<real_fft> fft_, fft2_;     // sizes P (the power of two >= n) and 2P, if used
  std::vector<std::vector<double>> qhat_;  // per group: transform of q (re then im), or empty
  std::vector<std::vector<double>> qrev_;  // per group at size P that can wrap: q reversed
};

/// Mean and second moment of the time to absorption from each stage (route then time),
/// from (I − P) τ = b; used to choose a horizon. Throws singular_model if not solvable.
template <class D>
void absorption_moments(const basic_pipeline<D>& pl, std::vector<double>& m1, std::vector<double>& m2) {
  const std::size_t S = pl.stage_count();
  const auto N = static_cast<Eigen::Index>(S);
  Eigen::MatrixXd a = Eigen::MatrixXd::Identity(N, N);
  Eigen::VectorXd b1 = Eigen::VectorXd::Zero(N), b2 = Eigen::VectorXd::Zero(N);
  for (std::size_t s = 0; s < S; ++s)
    for (const auto& r : pl.stage(s).routes) {
      const auto& d = route_duration(pl.stage(s), r);
      const double e1 = mean(d), e2 = variance(d) + e1 * e1;
      b1(static_cast<Eigen::Index>(s)) += r.p * e1;
      b2(static_cast<Eigen::Index>(s)) += r.p * e2;
      if (r.to_node < S) a(static_cast<Eigen::Index>(s), static_cast<Eigen::Index>(r.to_node)) -= r.p;
    }
  Eigen::PartialPivLU<Eigen::MatrixXd> lu(a);
  const Eigen::VectorXd t1 = lu.solve(b1);
  // τ2_s = Σ p (E T² + 2 E T τ_to) + Σ p τ2_to
  for (std::size_t s = 0; s < S; ++s)
    for (const auto& r : pl.stage(s).routes)
      if (r.to_node < S)
        b2(static_cast<Eigen::Index>(s)) +=
            2 * r.p * mean(route_duration(pl.stage(s), r)) * t1(static_cast<Eigen::Index>(r.to_node));
  const Eigen::VectorXd t2 = lu.solve(b2);
  if (!t1.allFinite() || !t2.allFinite())
    throw singular_model("time to absorption: the route equations have no finite solution");
  m1.assign(t1.data(), t1.data() + S);
  m2.assign(t2.data(), t2.data() + S);
}

}  // namespace salespipe::analytic::detail

#endif  // SALESPIPE_ANALYTIC_DETAIL_RENEWAL_HPP
