// salespipe/analytic/loop_counts.hpp — exact distributions over windows of periods of
//  - the number of entries into a node, in particular one a deal can enter more than once
//    (a node on a loop; forecast_result::entries_distribution covers the others and this
//    agrees with it): loop_entries_distributions();
//  - the value booked at a node on entry (on_enter, loops included) or on the routes into
//    it (on_take, attributed to the node the route enters, like forecast_result::taken_into
//    and the simulator): booked_value_distributions();
//  - for any node, whichever of the two ways applies: entries_distributions(),
//    on_enter_value_distributions(), and p_hit_target() over a window.
//
// Model: forecast()'s lattice (analytic/forecast.hpp: step h = 1 / steps_per_period,
// moment-matched duration masses, route groups), the same sources and open deals. Per deal,
// the transform E[Π marks] of its moves within the window (z per entry for counts; the
// value's characteristic function per entry or route taken for values) comes from a
// backward recursion over lattice start times (detail/loop_pgf.hpp); the sources give a
// compound Poisson sum, the open deals independent factors (detail/loop_windows.hpp). The
// total transform is evaluated on a lattice of frequencies and inverted by a real FFT.
//
// Lattice size and error. Counts: the pmf is read in [o, o + M), o = ⌊mean − 12 sd⌋ (>= 0),
// M = the power of two >= 24 sd + 64 (or mean + 12 sd + 64 when o = 0); windows needing
// the same M share the run. Mean and variance come from a first run at one small
// frequency ε (Taylor marks 1 + iεμ − ε²E[X²]/2, ε·scale = 1e-4). Values: value_bins
// points of step δ = (mean + 12 sd + the largest marked value's 1 − 1e-10 quantile) /
// value_bins, each value discretised on it by local moment matching (mean exact,
// quantiles within ±δ).
// M (counts) or δ (values) is doubled while a value of the inverted pmf in its top eighth
// exceeds 1e-12 (aliasing check: with mean + 12 sd inside the lattice, the tail beyond
// it is far below that for the geometric-or-lighter tails these sums have). Rounding: the
// recursion's B steps each add ~1e-16 to the transform, ~1e-14 absolute per pmf point
// (measured); negative values are clipped to 0 and trailing values below 1e-13 trimmed.
// The lattice in time adds forecast()'s own error (O(h²) in the means).
//
// Cost: one recursion per distinct window length (windows of one length share it), twice
// (1 frequency, then M/2 + 1): O(M · B · Σ_groups min(support, B)) with B = the latest
// window end in lattice points; memory (stages + groups) · B · M · 8 bytes, checked
// against forecast_options::max_bytes. E.g. 12 periods × 32 steps, 3 stages, counts of
// mean ~50 (M = 256): ~0.1 s.
#ifndef SALESPIPE_ANALYTIC_LOOP_COUNTS_HPP
#define SALESPIPE_ANALYTIC_LOOP_COUNTS_HPP

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstddef>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <salespipe/analytic/detail/fft.hpp>
#include <salespipe/analytic/detail/loop_windows.hpp>
#include <salespipe/analytic/forecast.hpp>
#include <salespipe/detail/format.hpp>
#include <salespipe/pipeline.hpp>

namespace salespipe::analytic {

/// Which value booked_value_distributions() adds up.
enum class booking {
  on_enter,  ///< the node's on_enter value, at each entry into it
  on_take    ///< the on_take values of the routes into the node, when taken
};

namespace detail {

using lanes_t = std::vector<std::complex<double>>;

inline std::complex<double> ipow(std::complex<double> x, std::size_t e) noexcept {
  std::complex<double> r = 1.0;
  for (; e > 0; e >>= 1, x *= x)
    if (e & 1) r *= x;
  return r;
}

// Mean and variance of each window's sum from the parts at one small frequency eps
// (log transform ≈ iε mean − ε² var / 2): {mean − 12 sd, mean + 12 sd} per window.
inline std::vector<std::pair<double, double>> moment_spans(const std::vector<window_parts>& parts,
                                                           const std::vector<open_group>& open, double eps) {
  std::vector<std::pair<double, double>> need;
  for (const auto& p : parts) {
    std::complex<double> lk = p.L[0];
    for (std::size_t c = 0; c < open.size(); ++c)
      lk += static_cast<double>(open[c].count) * std::log(0.5 * (p.g1[c][0] + p.g2[c][0]));
    const double mu = lk.imag() / eps, var = std::max(0.0, -2 * lk.real() / (eps * eps));
    need.emplace_back(mu - 12 * std::sqrt(var), mu + 12 * std::sqrt(var));
  }
  return need;
}

// Inverts each window's half spectrum (M/2 + 1 lanes) into a pmf of step `step` whose
// mass lies in [offset[i], offset[i] + M) (the inverse gives Σ_j p[x + jM]: x is read
// there); sets `aliased` when a pmf value in the top eighth of that range exceeds 1e-12.
inline std::vector<lattice_distribution> invert(const std::vector<window_parts>& parts,
                                                const std::vector<open_group>& open, std::size_t M, double step,
                                                const std::vector<std::size_t>& offset, bool& aliased) {
  const std::size_t F = M / 2 + 1;
  const real_fft fft(M);
  std::vector<double> re(F), im(F), work;
  std::vector<lattice_distribution> out;
  aliased = false;
  for (std::size_t w = 0; w < parts.size(); ++w) {
    const auto& p = parts[w];
    for (std::size_t k = 0; k < F; ++k) {
      std::complex<double> g = std::exp(p.L[k]);
      for (std::size_t c = 0; c < open.size(); ++c) g *= ipow(0.5 * (p.g1[c][k] + p.g2[c][k]), open[c].count);
      re[k] = g.real();
      im[k] = k == 0 || k == F - 1 ? 0.0 : g.imag();
    }
    std::vector<double> wrapped(M), pmf(offset[w] + M, 0.0);
    fft.inverse(re.data(), im.data(), wrapped.data(), work);
    for (std::size_t j = 0; j < M; ++j) pmf[offset[w] + (j + M - offset[w] % M) % M] = wrapped[j];
    double top = 0;
    for (std::size_t i = offset[w] + M - M / 8; i < offset[w] + M; ++i) top = std::max(top, pmf[i]);
    aliased = aliased || top > 1e-12;
    for (auto& y : pmf) y = std::max(0.0, y);
    while (pmf.size() > 1 && pmf.back() < 1e-13) pmf.pop_back();
    out.push_back({step, std::move(pmf)});
  }
  return out;
}

// The transform of a lattice distribution (masses on 0, δ, ..) at the M/2 + 1 lanes.
inline lanes_t lattice_transform(const std::vector<double>& masses, std::size_t M) {
  std::vector<double> a(M, 0.0), re(M / 2 + 1), im(M / 2 + 1), work;
  std::copy(masses.begin(), masses.begin() + static_cast<std::ptrdiff_t>(std::min(M, masses.size())), a.begin());
  real_fft(M).forward(a.data(), re.data(), im.data(), work);
  lanes_t t(M / 2 + 1);
  for (std::size_t k = 0; k < t.size(); ++k) t[k] = {re[k], im[k]};
  return t;
}

inline std::complex<double> taylor_mark(double mean, double second, double eps) noexcept {
  return {1 - eps * eps * second / 2, eps * mean};  // E[e^{iεX}] to O(ε³)
}

}  // namespace detail

/// Exact-to-tolerance distributions of the number of entries into node `node` over each
/// window (periods [from, to)) of a `periods`-period forecast with options `opt` (the same
/// lattice as forecast(pl, periods, opt)). Any node; for one a deal enters at most once
/// the result equals forecast_result::entries_distribution (to ~1e-12). Method, error and
/// cost: see the header comment. Throws invalid_option (periods or steps_per_period 0, an
/// empty window or one beyond the horizon, an unknown node, memory above opt.max_bytes),
/// invalid_model (a zero-duration loop).
template <class D>
std::vector<lattice_distribution> loop_entries_distributions(const basic_pipeline<D>& pl, std::size_t periods,
                                                             std::size_t node, const std::vector<period_window>& ws,
                                                             const forecast_options& opt = {}) {
  const std::string who = "loop_entries_distributions: ";
  const detail::loop_windows<D> lw(pl, periods, node, ws, opt, who);
  auto none = [](std::size_t, std::size_t) { return detail::lanes_t{}; };
  const double eps = 1e-4;
  const auto need = detail::moment_spans(lw.evaluate({detail::taylor_mark(1, 1, eps)}, none), lw.open(), eps);
  // Window i's pmf lives in [offset, offset + M): offset = mean − 12 sd (rounded down, >= 0),
  // M >= 24 sd + 64. Windows grouped by M (a year's count needs more points than a month's).
  std::map<std::size_t, std::vector<std::size_t>> by_m;
  std::vector<std::size_t> offset(ws.size());
  for (std::size_t i = 0; i < ws.size(); ++i) {
    offset[i] = static_cast<std::size_t>(std::max(0.0, std::floor(need[i].first)));
    std::size_t M = 64;
    while (static_cast<double>(M) < need[i].second - static_cast<double>(offset[i]) + 64) M *= 2;
    by_m[M].push_back(i);
  }
  std::vector<lattice_distribution> out(ws.size());
  for (const auto& [m0, idx] : by_m) {
    std::vector<period_window> sub;
    std::vector<std::size_t> off;
    for (std::size_t i : idx) sub.push_back(ws[i]), off.push_back(offset[i]);
    const detail::loop_windows<D> lws(pl, periods, node, sub, opt, who);
    for (std::size_t M = m0;; M *= 2) {
      const detail::lanes_t z = detail::lattice_transform({0.0, 1.0}, M);  // z_k = e^{−2πik/M}
      bool aliased = false;
      auto d = detail::invert(lws.evaluate(z, none), lws.open(), M, 1.0, off, aliased);
      if (aliased && M < (std::size_t(1) << 22)) continue;
      for (std::size_t j = 0; j < idx.size(); ++j) out[idx[j]] = std::move(d[j]);
      break;
    }
  }
  return out;
}

/// Exact-to-tolerance distributions of the value booked at node `node` over each window:
/// `which` = on_enter: the node's on_enter value at every entry (nodes on loops included);
/// on_take: the on_take values of the routes entering the node, at the time they are
/// taken (attributed like forecast_result::taken_into). On a lattice of value_bins points
/// (see the header comment). Throws like loop_entries_distributions, and invalid_option
/// when there is no such value or value_bins < 64.
template <class D>
std::vector<lattice_distribution> booked_value_distributions(const basic_pipeline<D>& pl, std::size_t periods,
                                                             std::size_t node, booking which,
                                                             const std::vector<period_window>& ws,
                                                             const forecast_options& opt = {},
                                                             std::size_t value_bins = 4096) {
  const std::string who = "booked_value_distributions: ";
  const detail::loop_windows<D> lw(pl, periods, node, ws, opt, who);
  if (value_bins < 64) throw invalid_option(who + "value_bins must be >= 64");
  const std::size_t S = pl.stage_count();
  const distribution* enter = nullptr;  // the marked values
  std::map<std::pair<std::size_t, std::size_t>, const distribution*> take;
  if (which == booking::on_enter) {
    const auto& e = node < S ? pl.stage(node).on_enter : pl.outcomes()[node - S].on_enter;
    if (e) enter = &*e;
  } else {
    for (std::size_t s = 0; s < S; ++s)
      for (std::size_t j = 0; j < pl.stage(s).routes.size(); ++j)
        if (const auto& r = pl.stage(s).routes[j]; r.to_node == node && r.on_take) take[{s, j}] = &*r.on_take;
  }
  if (!enter && take.empty())
    throw invalid_option(who + "node '" + pl.node_id(node) + "' has no " +
                         (which == booking::on_enter ? "on_enter value" : "route with an on_take value into it"));
  std::vector<const distribution*> xs;
  if (enter) xs.push_back(enter);
  for (const auto& [key, x] : take) xs.push_back(x);
  double scale = 0, top = 0;
  for (const distribution* x : xs) {
    scale = std::max(scale, salespipe::mean(*x) + std::sqrt(salespipe::variance(*x)));
    top = std::max(top, salespipe::quantile(*x, 1 - 1e-10));
  }
  const double eps = 1e-4 / std::max(scale, 1e-300);
  auto mark1 = [&](const distribution& x) {
    const double m = salespipe::mean(x);
    return detail::lanes_t{detail::taylor_mark(m, salespipe::variance(x) + m * m, eps)};
  };
  const auto p1 = lw.evaluate(enter ? mark1(*enter) : detail::lanes_t(1, 1.0), [&](std::size_t s, std::size_t j) {
    const auto it = take.find({s, j});
    return it == take.end() ? detail::lanes_t{} : mark1(*it->second);
  });
  std::size_t L = 64;
  while (L < value_bins) L *= 2;
  const auto spans = detail::moment_spans(p1, lw.open(), eps);
  double hi = 0;
  for (const auto& sp : spans) hi = std::max(hi, sp.second);
  double delta = (hi + top) / static_cast<double>(L);
  if (!(delta > 0)) delta = 1;  // nothing can be booked in these windows: all mass at 0
  for (int tries = 0;; ++tries) {
    auto tf = [&](const distribution& x) { return detail::lattice_transform(detail::lattice_masses(x, delta, L), L); };
    std::map<std::pair<std::size_t, std::size_t>, detail::lanes_t> take_tf;
    for (const auto& [key, x] : take) take_tf[key] = tf(*x);
    const auto parts =
        lw.evaluate(enter ? tf(*enter) : detail::lanes_t(L / 2 + 1, 1.0), [&](std::size_t s, std::size_t j) {
          const auto it = take_tf.find({s, j});
          return it == take_tf.end() ? detail::lanes_t{} : it->second;
        });
    bool aliased = false;
    auto out = detail::invert(parts, lw.open(), L, delta, std::vector<std::size_t>(ws.size(), 0), aliased);
    if (!aliased || tries >= 8) return out;
    delta *= 2;
  }
}

// --- one API for any node: the forecast's closed forms where they hold, the loop recursion where not ---

/// Exact distributions of the number of entries into `node` over each window, for any node:
/// Poisson + Poisson-binomial from `f` when no deal can enter the node twice
/// (forecast_result::entries_distribution), compound Poisson by loop_entries_distributions
/// otherwise. `f` is forecast(pl, f.periods(), opt). Throws like those two.
template <class D>
std::vector<lattice_distribution> entries_distributions(const basic_pipeline<D>& pl, const forecast_result& f,
                                                        std::size_t node, const std::vector<period_window>& ws,
                                                        const forecast_options& opt = {}) {
  if (!f.single_entry(node)) return loop_entries_distributions(pl, f.periods(), node, ws, opt);
  std::vector<lattice_distribution> out;
  for (const auto& w : ws) out.push_back(f.entries_distribution(node, w));
  return out;
}

/// Distributions of the on_enter value booked at `node` over each window, on one value
/// lattice of value_bins points, for any node: forecast_result::booked_distributions when no
/// deal can enter it twice, booked_value_distributions (booking::on_enter) otherwise. Throws
/// like those (no on_enter value, value_bins < 64, a bad window).
template <class D>
std::vector<lattice_distribution> on_enter_value_distributions(const basic_pipeline<D>& pl, const forecast_result& f,
                                                               std::size_t node, const std::vector<period_window>& ws,
                                                               std::size_t value_bins = 4096,
                                                               const forecast_options& opt = {}) {
  if (f.single_entry(node)) return f.booked_distributions(node, ws, value_bins);
  return booked_value_distributions(pl, f.periods(), node, booking::on_enter, ws, opt, value_bins);
}

/// P(entries into the model's target node over window w >= target per period × |w|), exact
/// (entries_distributions). Throws invalid_option when the model has no target, and like
/// entries_distributions.
template <class D>
double p_hit_target(const basic_pipeline<D>& pl, const forecast_result& f, period_window w,
                    const forecast_options& opt = {}) {
  if (!pl.target()) throw invalid_option("p_hit_target: the model has no target");
  const auto& t = *pl.target();
  return entries_distributions(pl, f, t.node_index, {w}, opt)
      .front()
      .prob_at_least(t.per_period * static_cast<double>(w.size()));
}

/// loop_entries_distributions for one window.
template <class D>
lattice_distribution loop_entries_distribution(const basic_pipeline<D>& pl, std::size_t periods, std::size_t node,
                                               period_window w, const forecast_options& opt = {}) {
  return loop_entries_distributions(pl, periods, node, std::vector<period_window>{w}, opt).front();
}

/// By node id; throws invalid_option "unknown node 'x' (did you mean 'y'?)" for an unknown id.
template <class D>
lattice_distribution loop_entries_distribution(const basic_pipeline<D>& pl, std::size_t periods,
                                               const std::string& node, period_window w,
                                               const forecast_options& opt = {}) {
  const auto v = pl.find(node);
  if (!v)
    throw invalid_option("loop_entries_distribution: unknown node '" + node + "'" +
                         salespipe::detail::did_you_mean(node, pl.node_ids()));
  return loop_entries_distribution(pl, periods, *v, w, opt);
}

}  // namespace salespipe::analytic

#endif  // SALESPIPE_ANALYTIC_LOOP_COUNTS_HPP
