// salespipe/analytic/forecast_result.hpp — the per-period forecast (analytic/forecast.hpp
// computes it) and the exact distributions of counts and values over windows of periods.
//
// Entries into a node a deal enters at most once are, over any window, Poisson (deals from
// the sources, marking theorem) plus one Bernoulli per open deal (Poisson-binomial),
// independent. Counts: the Poisson pmf (Boost.Math) convolved with the binomials of the
// open-deal classes (deals of one stage and age: one binomial), each term on mode ± (14 sd
// + 40), so work follows the spread, not the count; refused above max_count_support
// points. Values booked on
// entry (on_enter): compound sum over that count; computed by FFT: the value distribution is
// discretised on a grid of step δ by local moment matching (mean exact, quantiles within ±δ),
// the count's pgf applied to its transform (exp(μ(φ − 1)) Π (1 − π + πφ)^n), inverted. The
// grid spans mean + 12 sd + the value's 1 − 1e-10 quantile, so the aliased mass is
// below ~1e-10; δ = that span / value_bins.
#ifndef SALESPIPE_ANALYTIC_FORECAST_RESULT_HPP
#define SALESPIPE_ANALYTIC_FORECAST_RESULT_HPP

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/poisson.hpp>

#include <salespipe/analytic/detail/fft.hpp>
#include <salespipe/analytic/detail/lattice.hpp>
#include <salespipe/calendar.hpp>
#include <salespipe/distribution.hpp>
#include <salespipe/error.hpp>

namespace salespipe::analytic {

namespace detail {

// exp(re + i·im) for arrays, written so the compiler can vectorise it (no calls, no branches
// in the main loop): exp by Cody–Waite reduction by ln 2 and a degree-13 Taylor polynomial
// on |r| <= ln2/2 (truncation < 4e-18), scaled by 2^n in two halves (exact down to the
// subnormals); cos/sin by reduction by π/2 with a three-part π/2 (exact products for
// |k| < 2^20) and degree-18/17 Taylor polynomials on |r| <= π/4 (truncation < 1e-19).
// About 1–2 ulp, like libm, several times faster than std::exp(std::complex). Arguments
// with |im| >= 1.6e6 (where that reduction stops being exact) go to std::cos/std::sin.
// One kernel for a scalar (V = double, U = uint64_t) and, with GCC/Clang, for two lanes
// (SSE2/NEON vector extensions): bit casts by memcpy, selects by masks.
template <class To, class From>
inline To bit_cast_(const From& x) noexcept {
  static_assert(sizeof(To) == sizeof(From), "same size");
  To t;
  std::memcpy(&t, &x, sizeof t);
  return t;
}
template <class U, class M>
inline U mask_of(M m) noexcept {  // all-ones lanes where the comparison m holds
  if constexpr (std::is_same_v<M, bool>)
    return 0 - static_cast<U>(m);
  else
    return bit_cast_<U>(m);
}
template <class V, class U>
inline void cexp_kernel(V re, V im, V& out_re, V& out_im) noexcept {
  const V shifter = V{} + 6755399441055744.0;  // 1.5·2^52: x + shifter rounds x into the low bits
  const U shifter_bits = bit_cast_<U>(shifter);
  const U lo = bit_cast_<U>(V{} - 746.0), hi = bit_cast_<U>(V{} + 709.0);
  const U m_lo = mask_of<U>(re > -746.0), m_hi = mask_of<U>(re < 709.0);  // NaN: both false → 709
  U xb = (bit_cast_<U>(re) & m_lo) | (lo & ~m_lo);
  xb = (xb & m_hi) | (hi & ~m_hi);
  const V x = bit_cast_<V>(xb);
  const V kx = x * 1.4426950408889634 + shifter, nx = kx - shifter;
  const V r = (x - nx * 6.93147180369123816490e-01) - nx * 1.90821492927058770002e-10;
  // Σ_{j<=13} r^j/j! in Estrin's form (short dependency chains; the same terms as Horner).
  const V r2 = r * r, r4 = r2 * r2, r8 = r4 * r4;
  const V p01 = 1.0 + r, p23 = 0.5 + r * (1.0 / 6), p45 = 1.0 / 24 + r * (1.0 / 120),
          p67 = 1.0 / 720 + r * (1.0 / 5040), p89 = 1.0 / 40320 + r * (1.0 / 362880),
          pab = 1.0 / 3628800 + r * (1.0 / 39916800), pcd = 1.0 / 479001600 + r * (1.0 / 6227020800);
  const V p = (p01 + r2 * p23) + r4 * (p45 + r2 * p67) + r8 * ((p89 + r2 * pab) + r4 * pcd);
  // 2^n, n = round(x / ln 2) in [−1076, 1024], as 2^n1 · 2^n2 (n1 = ⌊n/2⌋ biased to stay
  // non-negative in unsigned lanes), so subnormal results are rounded once.
  const U eb = (bit_cast_<U>(kx) - shifter_bits) + 1100u, e1b = eb >> 1;
  const V mag = p * bit_cast_<V>((e1b + 473u) << 52) * bit_cast_<V>((eb - e1b + 473u) << 52);
  const V ky = im * 6.36619772367581382433e-01 + shifter, k = ky - shifter;
  const V t = ((im - k * 1.57079632673412561417e+00) - k * 6.07710050630396597660e-11) - k * 2.02226624879595063154e-21;
  const V t2 = t * t;
  // sin t = t + t³·sp(t²) (to t^17/17!), cos t = 1 − t²/2 + t⁴·cp(t²) (to t^18/18!), Estrin.
  const V t4 = t2 * t2, t8 = t4 * t4;
  const V sp =
      (-1.0 / 6 + t2 * (1.0 / 120)) + t4 * (-1.0 / 5040 + t2 * (1.0 / 362880)) +
      t8 * ((-1.0 / 39916800 + t2 * (1.0 / 6227020800)) + t4 * (-1.0 / 1307674368000 + t2 * (1.0 / 355687428096000)));
  const V cp =
      (1.0 / 24 - t2 * (1.0 / 720)) + t4 * (1.0 / 40320 - t2 * (1.0 / 3628800)) +
      t8 * ((1.0 / 479001600 - t2 * (1.0 / 87178291200)) + t4 * (1.0 / 20922789888000 - t2 * (1.0 / 6402373705728000)));
  const U sb = bit_cast_<U>(t + t * t2 * sp), cb = bit_cast_<U>(1.0 - 0.5 * t2 + t2 * t2 * cp);
  // Quadrant q of y = t + qπ/2: sin y = ±(q odd ? cos t : sin t), sign bit (q & 2);
  // cos y = ±(q odd ? sin t : cos t), sign bit ((q + 1) & 2).
  const U q = bit_cast_<U>(ky) - shifter_bits, odd = (q & 1u) * ~std::uint64_t(0);
  out_im = mag * bit_cast_<V>(((cb & odd) | (sb & ~odd)) ^ ((q & 2u) << 62));
  out_re = mag * bit_cast_<V>(((sb & odd) | (cb & ~odd)) ^ (((q + 1u) & 2u) << 62));
}

// exp(re + i·im) for arrays: exp by Cody–Waite reduction by ln 2 and a degree-13 Taylor
// polynomial on |r| <= ln2/2 (truncation < 4e-18); cos/sin by reduction by π/2 with a
// three-part π/2 (exact products for |k| < 2^20) and degree-17/18 Taylor polynomials on
// |r| <= π/4 (truncation < 1e-19). Within ~2 ulp of the exact value (like libm), several
// times faster than std::exp(std::complex). |im| >= 1.6e6 (beyond that reduction) goes
// to std::cos/std::sin; re is clamped to [−746, 709] (exp underflows to 0 below).
inline void cexp_n(const double* re, const double* im, double* out_re, double* out_im, std::size_t n) noexcept {
  std::size_t i = 0;
#if defined(__GNUC__) || defined(__clang__)
  typedef double v2d __attribute__((vector_size(16)));
  typedef std::uint64_t v2u __attribute__((vector_size(16)));
  for (; i + 4 <= n; i += 4) {  // two independent pairs per step: more work in flight
    v2d a[2], b[2], c[2], d[2];
    std::memcpy(a, re + i, sizeof a);
    std::memcpy(b, im + i, sizeof b);
    cexp_kernel<v2d, v2u>(a[0], b[0], c[0], d[0]);
    cexp_kernel<v2d, v2u>(a[1], b[1], c[1], d[1]);
    std::memcpy(out_re + i, c, sizeof c);
    std::memcpy(out_im + i, d, sizeof d);
  }
#endif
  for (; i < n; ++i) cexp_kernel<double, std::uint64_t>(re[i], im[i], out_re[i], out_im[i]);
  for (i = 0; i < n; ++i)
    if (!(std::fabs(im[i]) < 1.6e6)) {
      const double mag = std::exp(std::min(709.0, re[i]));
      out_re[i] = mag * std::cos(im[i]);
      out_im[i] = mag * std::sin(im[i]);
    }
}

// exp(w) · r for arrays, for |w| <= t <= 1/16: exp(w) by its Taylor series (Horner) to the
// degree whose next term t^(k+1)/(k+1)! is below 2^-55 (at most 9), within a few ulp like
// cexp_n; about 4–10 times cheaper than it for small t (t = 0: a copy of r).
inline void cexp_near_n(const double* wr, const double* wi, double t, const double* rr, const double* ri,
                        double* out_re, double* out_im, std::size_t n) noexcept {
  static constexpr double inv_fact[] = {
      1.0,        1.0,         1.0 / 2,      1.0 / 6,       1.0 / 24,       1.0 / 120,      1.0 / 720,
      1.0 / 5040, 1.0 / 40320, 1.0 / 362880, 1.0 / 3628800, 1.0 / 39916800, 1.0 / 479001600};
  std::size_t deg = 0;
  for (double next = t; next > 0x1p-55 && deg < 12; next *= t / static_cast<double>(deg + 1)) ++deg;
  for (std::size_t i = 0; i < n; ++i) out_re[i] = inv_fact[deg], out_im[i] = 0;
  for (std::size_t j = deg; j-- > 0;)
    for (std::size_t i = 0; i < n; ++i) {
      const double a = out_re[i] * wr[i] - out_im[i] * wi[i] + inv_fact[j];
      const double b = out_re[i] * wi[i] + out_im[i] * wr[i];
      out_re[i] = a, out_im[i] = b;
    }
  for (std::size_t i = 0; i < n; ++i) {
    const double a = out_re[i] * rr[i] - out_im[i] * ri[i], b = out_re[i] * ri[i] + out_im[i] * rr[i];
    out_re[i] = a, out_im[i] = b;
  }
}

}  // namespace detail

/// A distribution on the lattice 0, δ, 2δ, ... (δ = 1 for counts).
struct lattice_distribution {
  double step = 1;
  std::vector<double> pmf;

  double mean() const noexcept {
    double s = 0;
    for (std::size_t i = 0; i < pmf.size(); ++i) s += pmf[i] * static_cast<double>(i);
    return s * step;
  }
  /// Smallest lattice value x with P(X <= x) >= p.
  double quantile(double p) const noexcept {
    double c = 0;
    for (std::size_t i = 0; i < pmf.size(); ++i)
      if ((c += pmf[i]) >= p * (1 - 1e-12)) return static_cast<double>(i) * step;
    return static_cast<double>(pmf.size()) * step;
  }
  /// P(X >= x).
  double prob_at_least(double x) const noexcept {
    double s = 0;
    for (std::size_t i = 0; i < pmf.size(); ++i)
      if (static_cast<double>(i) * step >= x - 1e-9 * step) s += pmf[i];
    return s;
  }
};

/// Expected flows per period and the ingredients of the exact distributions.
class forecast_result {
 public:
  /// Largest support (points) of an exact count distribution; entries_distribution refuses
  /// above it (128 MiB of doubles): at such volumes use the means and variances.
  static constexpr std::size_t max_count_support = std::size_t(1) << 24;
  /// Open deals that share a stage and an age: each enters node v in period k with
  /// probability prob[v][k] (for nodes entered at most once; expected entries otherwise).
  struct open_class {
    std::size_t stage = 0;
    double age = 0;
    std::size_t count = 0;
    std::vector<std::vector<double>> prob;
  };

  std::size_t periods() const noexcept { return periods_; }
  const std::vector<std::string>& node_ids() const noexcept { return ids_; }
  std::size_t stage_count() const noexcept { return stages_; }
  /// Index of node `id`; throws invalid_option for an unknown id.
  std::size_t node(const std::string& id) const {
    for (std::size_t i = 0; i < ids_.size(); ++i)
      if (ids_[i] == id) return i;
    throw invalid_option("forecast: unknown node '" + id + "'");
  }

  /// Expected entries into node v in period k (sources plus open deals).
  double entries(std::size_t v, std::size_t k) const {
    double s = source_[v].at(k);
    for (const auto& c : open_) s += static_cast<double>(c.count) * c.prob[v][k];
    return s;
  }
  /// Expected entries from the sources only (the Poisson mean).
  double source_entries(std::size_t v, std::size_t k) const { return source_[v].at(k); }
  /// Expected on_enter value booked at node v in period k.
  double booked(std::size_t v, std::size_t k) const { return entries(v, k) * enter_mean_[v]; }
  /// Expected on_take value of the routes out of stage s taken in period k.
  double taken(std::size_t s, std::size_t k) const { return taken_[s].at(k); }
  /// Expected on_take value of the routes entering node v taken in period k (the same
  /// money as taken(), attributed to the node the route enters, as the simulator does).
  double taken_into(std::size_t v, std::size_t k) const { return taken_into_[v].at(k); }
  /// Expected reward accrued in stage s in period k (reward_rate × expected time in s).
  double reward(std::size_t s, std::size_t k) const { return reward_[s].at(k); }
  /// Expected time deals spend in stage s during period k (deal × time units).
  double time_in_stage(std::size_t s, std::size_t k) const { return time_[s].at(k); }
  /// Expected deals in stage s at the end of period k (time k + 1).
  double wip(std::size_t s, std::size_t k) const { return wip_[s].at(k); }
  /// Expected value of period k: booked + taken + reward over all nodes.
  double total_value(std::size_t k) const {
    double s = 0;
    for (std::size_t v = 0; v < ids_.size(); ++v) s += booked(v, k);
    for (std::size_t st = 0; st < stages_; ++st) s += taken(st, k) + reward(st, k);
    return s;
  }
  /// Sum of f(k) over the window (checked).
  template <class F>
  double sum(period_window w, F f) const {
    check_window(w, periods_);
    double s = 0;
    for (std::size_t k = w.from; k < w.to; ++k) s += f(k);
    return s;
  }
  /// True when no deal can enter node v twice (v is on no loop): its counts are
  /// Poisson(-binomial) and their distributions are available.
  bool single_entry(std::size_t v) const { return single_.at(v) != 0; }
  const std::vector<open_class>& open_classes() const noexcept { return open_; }

  /// Exact distribution of the number of entries into v over window w.
  /// Throws invalid_option for a bad window or a node on a loop (compound Poisson counts:
  /// see loop_entries_distributions in <salespipe/analytic/loop_counts.hpp>).
  lattice_distribution entries_distribution(std::size_t v, period_window w) const {
    check_window(w, periods_);
    require_single(v);
    double mu = 0;
    for (std::size_t k = w.from; k < w.to; ++k) mu += source_[v][k];
    // Each term on its window mode ± (14 sd + 40) (the mass outside is < 1e-40), so the
    // work grows with the spread, not with the count: a class of 10^9 open deals is one
    // binomial of about 28·sd points.
    struct term {
      double n, pi;  // binomial(n, pi); n < 0: Poisson(pi)
      std::size_t lo, hi;
    };
    std::vector<term> terms;
    auto window = [](double mean, double sd, double top) {
      const double lo = std::max(0.0, std::floor(mean - 14 * sd - 40));
      const double hi = std::min(top, std::ceil(mean + 14 * sd + 40));
      return std::pair<double, double>{lo, hi};
    };
    double support = 1;
    for (const auto& c : open_) {
      double pi = 0;
      for (std::size_t k = w.from; k < w.to; ++k) pi += c.prob[v][k];
      pi = std::min(1.0, std::max(0.0, pi));
      if (c.count == 0 || pi == 0) continue;
      const double n = static_cast<double>(c.count);
      const auto [lo, hi] = window(n * pi, std::sqrt(n * pi * (1 - pi)), n);
      terms.push_back({n, pi, static_cast<std::size_t>(lo), static_cast<std::size_t>(hi)});
      support += hi;
    }
    if (mu > 0) {
      const auto [lo, hi] = window(mu, std::sqrt(mu), std::numeric_limits<double>::infinity());
      terms.push_back({-1, mu, static_cast<std::size_t>(lo), static_cast<std::size_t>(hi)});
      support += hi;
    }
    if (support > static_cast<double>(max_count_support))
      throw invalid_option("the count distribution of entries into '" + ids_[v] + "' over periods [" +
                           std::to_string(w.from) + ", " + std::to_string(w.to) + ") would span " +
                           salespipe::detail::num(support) + " points, above the limit of " +
                           std::to_string(max_count_support) +
                           " (forecast_result::max_count_support): the volume is too large for an exact "
                           "distribution; use the means and variances, or a shorter window");
    std::vector<double> pmf{1.0};
    std::size_t offset = 0;  // pmf[i] is P(count = offset + i)
    for (const auto& t : terms) {
      std::vector<double> x(t.hi - t.lo + 1);
      const auto lo = static_cast<double>(t.lo);
      if (t.n >= 0) {
        const boost::math::binomial_distribution<double, detail::lattice_policy> b(t.n, t.pi);
        const double odds = t.pi / (1 - t.pi);
        const double mode = std::min(std::floor((t.n + 1) * t.pi), t.n);
        from_mode(
            x, static_cast<std::size_t>(std::max(0.0, mode - lo)),
            [&](double i) { return boost::math::pdf(b, lo + i); },
            [&](double i) { return (t.n - lo - i) / (lo + i + 1) * odds; });
      } else {
        const boost::math::poisson_distribution<double, detail::lattice_policy> pd(t.pi);  // double precision
        from_mode(
            x, static_cast<std::size_t>(std::max(0.0, std::floor(t.pi) - lo)),
            [&](double i) { return boost::math::pdf(pd, lo + i); }, [&](double i) { return t.pi / (lo + i + 1); });
      }
      pmf = convolve(pmf, x);
      offset += t.lo;
    }
    while (pmf.size() > 1 && pmf.back() < 1e-300) pmf.pop_back();
    pmf.insert(pmf.begin(), offset, 0.0);
    return {1.0, std::move(pmf)};
  }

  /// Exact-to-tolerance distribution of the on_enter value booked at v over window w
  /// (see the header comment for the method and its error). Throws invalid_option like
  /// entries_distribution, or when v has no on_enter value, or value_bins < 64.
  lattice_distribution booked_distribution(std::size_t v, period_window w, std::size_t value_bins = 4096) const {
    return booked_distributions(v, {w}, value_bins).front();
  }

  /// The same for several windows on one value lattice (δ from the widest window), so the
  /// value distribution is discretised and transformed once: O(bins · log bins) per window.
  std::vector<lattice_distribution> booked_distributions(std::size_t v, const std::vector<period_window>& ws,
                                                         std::size_t value_bins = 4096) const {
    require_single(v);
    if (!enter_value_.at(v)) throw invalid_option("node '" + ids_[v] + "' has no on_enter value");
    if (value_bins < 64) throw invalid_option("value_bins must be >= 64");
    std::size_t L = 64;
    while (L < value_bins) L *= 2;
    const distribution& x = *enter_value_[v];
    const double mx = salespipe::mean(x), vx = salespipe::variance(x);
    struct counts {
      double mu = 0;
      std::vector<std::pair<double, std::size_t>> bern;
    };
    std::vector<counts> cs;
    double span = 0;
    for (const auto& w : ws) {
      check_window(w, periods_);
      counts c;
      for (std::size_t k = w.from; k < w.to; ++k) c.mu += source_[v][k];
      double en = c.mu, vn = c.mu;
      for (const auto& oc : open_) {
        double pi = 0;
        for (std::size_t k = w.from; k < w.to; ++k) pi += oc.prob[v][k];
        pi = std::min(1.0, std::max(0.0, pi));
        if (oc.count > 0 && pi > 0) c.bern.emplace_back(pi, oc.count);
        en += static_cast<double>(oc.count) * pi;
        vn += static_cast<double>(oc.count) * pi * (1 - pi);
      }
      span = std::max(span, en * mx + 12 * std::sqrt(en * vx + vn * mx * mx));
      cs.push_back(std::move(c));
    }
    span += salespipe::quantile(x, 1 - 1e-10);
    const double delta = span / static_cast<double>(L);
    std::vector<double> a(L, 0.0);
    const auto fx = detail::lattice_masses(x, delta, L);
    std::copy(fx.begin(), fx.end(), a.begin());
    // Real transforms: the half spectrum (L/2 + 1 points) holds everything.
    const detail::real_fft fft(L);
    const std::size_t F = L / 2 + 1;
    std::vector<double> zr(F), zi(F), er(F), ei(F), gr(F), gi(F), work;
    fft.forward(a.data(), zr.data(), zi.data(), work);
    // Windows in decreasing order of μ; a window within 1/16 of the last one computed by
    // cexp_n (|μ − μ_r|·max|φ − 1| <= 1/16) takes exp(μ(φ − 1)) = exp(μ_r(φ − 1)) ·
    // exp((μ − μ_r)(φ − 1)), the second factor by a short series (a steady state's months
    // share one μ_r).
    double emax = 0;
    for (std::size_t i = 0; i < F; ++i) emax = std::max(emax, (zr[i] - 1) * (zr[i] - 1) + zi[i] * zi[i]);
    emax = std::sqrt(emax) * (1 + 1e-12);
    std::vector<std::size_t> order(cs.size());
    for (std::size_t j = 0; j < order.size(); ++j) order[j] = j;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t i, std::size_t j) { return cs[i].mu > cs[j].mu; });
    std::vector<double> rr(F), ri(F);
    double mu_r = 0;
    bool have_r = false;
    std::vector<lattice_distribution> out(cs.size());
    for (std::size_t idx : order) {
      const counts& c = cs[idx];
      // The count's pgf at the value's transform φ: exp(μ(φ − 1)) Π (1 − π + πφ)^n.
      const double d = c.mu - mu_r;
      if (have_r && -d * emax <= 1.0 / 16) {
        for (std::size_t i = 0; i < F; ++i) er[i] = d * (zr[i] - 1), ei[i] = d * zi[i];
        detail::cexp_near_n(er.data(), ei.data(), -d * emax, rr.data(), ri.data(), gr.data(), gi.data(), F);
      } else {
        for (std::size_t i = 0; i < F; ++i) er[i] = c.mu * (zr[i] - 1), ei[i] = c.mu * zi[i];
        detail::cexp_n(er.data(), ei.data(), rr.data(), ri.data(), F);
        std::copy(rr.begin(), rr.end(), gr.begin());
        std::copy(ri.begin(), ri.end(), gi.begin());
        mu_r = c.mu;
        have_r = true;
      }
      if (!c.bern.empty())
        for (std::size_t i = 0; i < F; ++i) {
          std::complex<double> pg(gr[i], gi[i]);
          const std::complex<double> z(zr[i], zi[i]);
          for (const auto& [pi, n] : c.bern) pg *= ipow(1.0 - pi + pi * z, n);
          gr[i] = pg.real();
          gi[i] = pg.imag();
        }
      std::vector<double> pmf(L);
      fft.inverse(gr.data(), gi.data(), pmf.data(), work);
      for (auto& y : pmf) y = std::max(0.0, y);
      out[idx] = {delta, std::move(pmf)};
    }
    return out;
  }

  // Filled by forecast() (analytic/forecast.hpp).
  std::size_t periods_ = 0, stages_ = 0;
  std::vector<std::string> ids_;
  std::vector<char> single_;
  std::vector<std::optional<distribution>> enter_value_;
  std::vector<double> enter_mean_;
  std::vector<std::vector<double>> source_, taken_, taken_into_, reward_, time_, wip_;
  std::vector<open_class> open_;

 private:
  void require_single(std::size_t v) const {
    if (!single_.at(v))
      throw invalid_option("node '" + ids_[v] +
                           "' can be entered more than once by a deal (it is "
                           "on a loop): its counts are compound Poisson; their distributions are "
                           "loop_entries_distribution(s) in <salespipe/analytic/loop_counts.hpp>");
  }
  // z^n by squaring (n up to any open-deal count; std::pow takes an int).
  static std::complex<double> ipow(std::complex<double> z, std::size_t n) {
    std::complex<double> r(1.0, 0.0);
    for (; n; n >>= 1, z *= z)
      if (n & 1) r *= z;
    return r;
  }
  // Fills x with a pmf: Boost.Math's value at the mode, then the ratio recurrence
  // x[i+1] = x[i]·ratio(i) both ways (one special-function call instead of one per point;
  // relative error grows by ~1e-16 per step).
  template <class Pdf, class Ratio>
  static std::vector<double>& from_mode(std::vector<double>& x, std::size_t mode, Pdf pdf, Ratio ratio) {
    mode = std::min(mode, x.size() - 1);
    x[mode] = pdf(static_cast<double>(mode));
    for (std::size_t i = mode; i + 1 < x.size(); ++i) x[i + 1] = x[i] * ratio(static_cast<double>(i));
    for (std::size_t i = mode; i > 0; --i) {
      const double r = ratio(static_cast<double>(i - 1));
      x[i - 1] = r > 0 ? x[i] / r : 0.0;
    }
    return x;
  }
  // Direct convolution (relative accuracy in the tails); by FFT when both are long (about
  // 1e-16 of the peak in absolute error, negatives cut to 0: only volumes of 10^5+ deals).
  static std::vector<double> convolve(const std::vector<double>& a, const std::vector<double>& b) {
    if (static_cast<double>(a.size()) * static_cast<double>(b.size()) > 1e8) {
      std::size_t L = 8;
      while (L < a.size() + b.size()) L *= 2;
      const detail::real_fft fft(L);
      std::vector<double> x(L, 0.0), ar(L / 2 + 1), ai(L / 2 + 1), br(L / 2 + 1), bi(L / 2 + 1), work;
      std::copy(a.begin(), a.end(), x.begin());
      fft.forward(x.data(), ar.data(), ai.data(), work);
      std::fill(x.begin(), x.end(), 0.0);
      std::copy(b.begin(), b.end(), x.begin());
      fft.forward(x.data(), br.data(), bi.data(), work);
      for (std::size_t i = 0; i < ar.size(); ++i) {
        const double re = ar[i] * br[i] - ai[i] * bi[i], im = ar[i] * bi[i] + ai[i] * br[i];
        ar[i] = re, ai[i] = im;
      }
      fft.inverse(ar.data(), ai.data(), x.data(), work);
      x.resize(a.size() + b.size() - 1);
      for (auto& y : x) y = std::max(0.0, y);
      return x;
    }
    std::vector<double> c(a.size() + b.size() - 1, 0.0);
    for (std::size_t i = 0; i < a.size(); ++i)
      if (a[i] > 1e-300)
        for (std::size_t j = 0; j < b.size(); ++j) c[i + j] += a[i] * b[j];
    return c;
  }
};

}  // namespace salespipe::analytic

#endif  // SALESPIPE_ANALYTIC_FORECAST_RESULT_HPP
