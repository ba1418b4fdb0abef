// salespipe/detail/renewal.hpp — the discretised Markov renewal equation (used only by
// analytic/transient.hpp and analytic/forecast.hpp; Eigen is allowed here for that reason).
//
// On the lattice t_n = n·h, the expected-entries masses of a deal started by `inj`
// (entries injected into nodes, node × n) satisfy, for every node v,
//   ent_v[n] = inj_v[n] + Σ_{groups g into v} p_g,v Σ_{m=0..n} q_g[m] ent_{s(g)}[n − m],
// where a group is the set of routes of stage s(g) that share one duration (the stage's,
// or a route's override) and q_g its moment-matched lattice masses (detail/lattice.hpp).
// The m = 0 terms couple the stages at the same n: (I − A0) x = b, solved with one LU
// factorisation of the stage×stage matrix (invertible unless a loop has all its durations
// zero, which zero_duration_loop() rejects first). Direct causal convolution:
// O(n · Σ_g min(n, support_g)) time, O((nodes + groups) · n) memory.
#ifndef SALESPIPE_DETAIL_RENEWAL_HPP
#define SALESPIPE_DETAIL_RENEWAL_HPP

#include <cstddef>
#include <string>
#include <vector>

#include <Eigen/Dense>

#include <salespipe/detail/lattice.hpp>
#include <salespipe/error.hpp>
#include <salespipe/pipeline.hpp>

namespace salespipe::detail {

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
      if (r.p > 0 && r.to_node < S && cdf(route_duration(pl.stage(s), r), 0.0) > 0)
        out[s].push_back(r.to_node);
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
    Eigen::MatrixXd a = Eigen::MatrixXd::Identity(static_cast<Eigen::Index>(stages_),
                                                  static_cast<Eigen::Index>(stages_));
    for (const auto& g : groups_)
      for (std::size_t i = 0; i < g.to.size(); ++i)
        if (g.to[i] < stages_)
          a(static_cast<Eigen::Index>(g.to[i]), static_cast<Eigen::Index>(g.stage)) -=
              g.p[i] * g.q[0];
    lu_.compute(a);
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
  /// may be empty for "none").
  run_result run(const std::vector<std::vector<double>>& inj) const {
    run_result r;
    r.entries.assign(nodes_, std::vector<double>(n_, 0.0));
    r.completions.assign(groups_.size(), std::vector<double>(n_, 0.0));
    const auto S = static_cast<Eigen::Index>(stages_);
    Eigen::VectorXd b(S), x(S);
    std::vector<double> outb(nodes_ - stages_, 0.0);
    for (std::size_t n = 0; n < n_; ++n) {
      b.setZero();
      for (std::size_t v = 0; v < nodes_; ++v) {
        const double in = inj[v].empty() ? 0.0 : inj[v][n];
        if (v < stages_)
          b(static_cast<Eigen::Index>(v)) = in;
        else
          outb[v - stages_] = in;
      }
      // Past part of each group's convolution (m >= 1), four accumulators for ILP.
      for (std::size_t gi = 0; gi < groups_.size(); ++gi) {
        const auto& g = groups_[gi];
        const std::vector<double>& e = r.entries[g.stage];
        const std::size_t M = std::min(g.q.size() - 1, n);
        const double* q = g.q.data();
        const double* en = e.data() + n;
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        std::size_t m = 1;
        for (; m + 3 <= M; m += 4) {
          s0 += q[m] * en[-static_cast<std::ptrdiff_t>(m)];
          s1 += q[m + 1] * en[-static_cast<std::ptrdiff_t>(m + 1)];
          s2 += q[m + 2] * en[-static_cast<std::ptrdiff_t>(m + 2)];
          s3 += q[m + 3] * en[-static_cast<std::ptrdiff_t>(m + 3)];
        }
        for (; m <= M; ++m) s0 += q[m] * en[-static_cast<std::ptrdiff_t>(m)];
        const double c = (s0 + s1) + (s2 + s3);
        r.completions[gi][n] = c;
        for (std::size_t i = 0; i < g.to.size(); ++i) {
          if (g.to[i] < stages_)
            b(static_cast<Eigen::Index>(g.to[i])) += g.p[i] * c;
          else
            outb[g.to[i] - stages_] += g.p[i] * c;
        }
      }
      x = lu_.solve(b);
      for (std::size_t s = 0; s < stages_; ++s) r.entries[s][n] = x(static_cast<Eigen::Index>(s));
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
  double h_;
  std::size_t n_, stages_, nodes_;
  std::vector<route_group> groups_;
  Eigen::PartialPivLU<Eigen::MatrixXd> lu_;
};

/// Mean and second moment of the time to absorption from each stage (route then time),
/// from (I − P) τ = b; used to choose a horizon. Throws singular_model if not solvable.
template <class D>
void absorption_moments(const basic_pipeline<D>& pl, std::vector<double>& m1,
                        std::vector<double>& m2) {
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
      if (r.to_node < S)
        a(static_cast<Eigen::Index>(s), static_cast<Eigen::Index>(r.to_node)) -= r.p;
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

}  // namespace salespipe::detail

#endif  // SALESPIPE_DETAIL_RENEWAL_HPP
