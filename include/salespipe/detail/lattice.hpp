// salespipe/detail/lattice.hpp — moment-matched lattice discretisation of a duration or
// value: the masses the analytic time model (analytic/transient.hpp, forecast.hpp) convolves.
//
// Why this scheme (local moment matching, Gerber 1982): a mass at x in [kh, (k+1)h] is
// split between kh and (k+1)h by linear interpolation, so the lattice variable has exactly
// the mean of X, and E[g(lattice)] = E[g_I(X)] for g_I the piecewise-linear interpolant of
// g on the lattice: expectations of functions that are linear between lattice points are
// exact, smooth ones have O(h²) error. Each discretisation adds at most h²/4 variance.
// Fixed durations on the lattice are represented exactly.
//
// The masses follow from L(x) = E[min(X, x)] (closed forms for the built-in
// distributions, Gauss–Legendre on the survival function for user types):
//   m_0 = 1 − L(h)/h,   m_k = (2 L(kh) − L((k−1)h) − L((k+1)h)) / h.
// Also real_fft, the power-of-two real FFT that convolves such masses.
#ifndef SALESPIPE_DETAIL_LATTICE_HPP
#define SALESPIPE_DETAIL_LATTICE_HPP

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <vector>

#include <boost/math/special_functions/gamma.hpp>

#include <salespipe/distribution.hpp>
#include <salespipe/duration.hpp>

namespace salespipe::detail {

inline double std_normal_cdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

// E[min(X, x)] for x >= 0, one closed form per built-in distribution.
inline double limited_mean(const exponential_dist& d, double x) {
  return d.mean_value * -std::expm1(-x / d.mean_value);
}
// Boost.Math in double precision: the default policy evaluates double arguments in long
// double, about 5x slower, for digits the lattice's second differences do not keep (their
// absolute rounding is ~1e-16 / h either way).
using lattice_policy = boost::math::policies::policy<boost::math::policies::promote_double<false>>;
inline double limited_mean(const gamma_dist& d, double x) {
  if (x <= 0) return 0.0;
  // L(x) = a θ P(a+1, z) + x Q(a, z), z = x/θ, with P(a+1, z) = P(a, z) − z^a e^{−z}/Γ(a+1).
  const double a = d.shape, z = x / d.scale;
  double q, term;  // Q(a, z) and z^a e^{−z} / Γ(a + 1)
  if (a >= 1 && a <= 64 && a == std::floor(a)) {
    // Integer shape (Erlang): Q(a, z) = e^{−z} Σ_{j<a} z^j / j!, all terms positive.
    double t = std::exp(-z), s = 0;
    for (double j = 1; j <= a; ++j) {
      s += t;
      t *= z / j;
    }
    q = s;
    term = t;
  } else {
    q = boost::math::gamma_q(a, z, lattice_policy());
    term = boost::math::gamma_p_derivative(a + 1, z, lattice_policy());
  }
  return a * d.scale * (1 - q - term) + x * q;
}
// scale = E X = exp(μ + σ²/2), passed in so a lattice computes it once.
inline double lognormal_limited_mean(const lognormal_dist& d, double x, double scale) {
  if (x <= 0) return 0.0;
  const double lx = std::log(x);
  return scale * std_normal_cdf((lx - d.mu - d.sigma * d.sigma) / d.sigma) +
         x * std_normal_cdf(-(lx - d.mu) / d.sigma);
}
inline double limited_mean(const lognormal_dist& d, double x) {
  return lognormal_limited_mean(d, x, std::exp(d.mu + d.sigma * d.sigma / 2));
}
inline double limited_mean(const weibull_dist& d, double x) {
  if (x <= 0) return 0.0;
  const double z = std::pow(x / d.scale, d.shape), a = 1 + 1 / d.shape;
  return d.scale * boost::math::tgamma(a, lattice_policy()) * boost::math::gamma_p(a, z, lattice_policy()) +
         x * std::exp(-z);
}
inline double limited_mean(const fixed_dist& d, double x) { return std::min(x, d.value); }
inline double limited_mean(const uniform_dist& d, double x) {
  if (x <= d.min) return std::max(x, 0.0);
  if (x >= d.max) return (d.min + d.max) / 2;
  const double w = d.max - d.min, y = x - d.min;
  return d.min + y - y * y / (2 * w);
}
inline double limited_mean(const empirical_dist& d, double x) {
  double s = 0;
  for (double v : d.sorted()) s += std::min(v, x);
  return s / static_cast<double>(d.size());
}
inline double limited_mean(const distribution& d, double x) {
  return d.visit([x](const auto& a) { return limited_mean(a, x); });
}
// User-defined Duration types: 8-point Gauss–Legendre of the survival function on
// unit-sized pieces of [0, x] (accurate for smooth survival functions).
template <class D>
double limited_mean(const D& d, double x) {
  static constexpr double node[4] = {0.1834346424956498, 0.5255324099163290,
                                     0.7966664774136267, 0.9602898564975363};
  static constexpr double weight[4] = {0.3626837833783620, 0.3137066458778873,
                                       0.2223810344533745, 0.1012285362903763};
  if (x <= 0) return 0.0;
  const double m = mean(d), piece = m > 0 ? m / 4 : x;
  const auto pieces = static_cast<std::size_t>(std::ceil(x / piece));
  double s = 0;
  for (std::size_t i = 0; i < pieces; ++i) {
    const double a = x * static_cast<double>(i) / static_cast<double>(pieces);
    const double b = x * static_cast<double>(i + 1) / static_cast<double>(pieces);
    const double c = (a + b) / 2, r = (b - a) / 2;
    for (int k = 0; k < 4; ++k)
      s += r * weight[k] * (survival_of(d, c - r * node[k]) + survival_of(d, c + r * node[k]));
  }
  return s;
}

// limited_mean(d, ·) with the distribution's constants computed once (the same values).
template <class D>
class limited_mean_at {
 public:
  explicit limited_mean_at(const D& d) : d_(d) {}
  double operator()(double x) const { return limited_mean(d_, x); }

 private:
  const D& d_;
};
template <>
class limited_mean_at<lognormal_dist> {
 public:
  explicit limited_mean_at(const lognormal_dist& d) : d_(d), scale_(std::exp(d.mu + d.sigma * d.sigma / 2)) {}
  double operator()(double x) const { return lognormal_limited_mean(d_, x, scale_); }

 private:
  const lognormal_dist& d_;
  double scale_;
};

/// Lattice masses m[0..n) of X − age given X > age (age = 0: X itself) on the points
/// k·h. Mass that would fall at or beyond n·h is dropped (beyond the horizon). Trailing
/// masses are trimmed once the survival beyond the last point is below 1e-16 (the
/// returned size is the support length). Precondition: h > 0, survival_of(d, age) > 0.
template <class D>
std::vector<double> lattice_masses(const D& d, double h, std::size_t n, double age = 0) {
  std::vector<double> m;
  if (n == 0) return m;
  const double s_age = age > 0 ? survival_of(d, age) : 1.0;
  const limited_mean_at<D> lm(d);
  const double l_age = age > 0 ? lm(age) : 0.0;
  auto L = [&](std::size_t k) { return (lm(age + static_cast<double>(k) * h) - l_age) / s_age; };
  m.reserve(std::min<std::size_t>(n, 4096));
  double prev = 0, cur = L(1);
  m.push_back(std::max(0.0, 1 - cur / h));
  for (std::size_t k = 1; k < n; ++k) {
    const double next = L(k + 1);
    const double mk = std::max(0.0, (2 * cur - prev - next) / h);
    m.push_back(mk);
    if ((next - cur) / h < 1e-16) break;  // survival beyond (k+1)h is below 1e-16
    prev = cur;
    cur = next;
  }
  return m;
}
/// The same for a distribution: one visit, then the loop of its alternative.
inline std::vector<double> lattice_masses(const distribution& d, double h, std::size_t n, double age = 0) {
  return d.visit([&](const auto& a) { return lattice_masses(a, h, n, age); });
}

/// Real FFT of a power-of-two length N >= 8 (the convolutions of lattice masses: forecast
/// values, renewal runs): a half-size complex radix-2 transform on split re/im arrays (the
/// inner loops vectorise) with precomputed twiddles, and the usual even/odd split. Error
/// like any FFT: ~1e-16 · log2 N relative to the largest values. Immutable after
/// construction (safe to share between threads).
class real_fft {
 public:
  explicit real_fft(std::size_t N) : n_(N), m_(N / 2) {
    const double pi = 3.14159265358979323846;
    rev_.resize(m_);
    std::size_t bits = 0;
    while ((std::size_t(1) << bits) < m_) ++bits;
    for (std::size_t i = 1; i < m_; ++i)  // reverse of i = reverse of i/2 shifted, plus i's low bit on top
      rev_[i] = (rev_[i >> 1] >> 1) | ((i & 1) << (bits - 1));
    // W^k = e^{−2πi k/N}, k <= m: sincos on the first eighth, the rest by symmetry.
    wr_.resize(m_ + 1);
    wi_.resize(m_ + 1);
    const std::size_t q4 = m_ / 2, e8 = m_ / 4;  // angle π/2 at k = m/2, π/4 at k = m/4
    for (std::size_t k = 0; k <= e8; ++k) {
      const double a = 2 * pi * static_cast<double>(k) / static_cast<double>(n_);
      wr_[k] = std::cos(a);
      wi_[k] = -std::sin(a);
    }
    for (std::size_t k = e8 + 1; k <= q4; ++k) wr_[k] = -wi_[q4 - k], wi_[k] = -wr_[q4 - k];
    for (std::size_t k = q4 + 1; k <= m_; ++k) wr_[k] = -wr_[m_ - k], wi_[k] = wi_[m_ - k];
    // Stage twiddles e^{−πi j/half}, j < half, contiguous per stage at half − 1: W^{j·m/half}.
    tr_.resize(m_);
    ti_.resize(m_);
    for (std::size_t half = 1; half < m_; half *= 2)
      for (std::size_t j = 0; j < half; ++j) {
        tr_[half - 1 + j] = wr_[j * (m_ / half)];
        ti_[half - 1 + j] = wi_[j * (m_ / half)];
      }
  }
  std::size_t size() const noexcept { return n_; }
  /// X[k] = Σ_j x[j] e^{−2πi jk/N}, k = 0..N/2 (x: N values; X: N/2 + 1 values each);
  /// `work` is scratch space (resized to N).
  void forward(const double* x, double* Xr, double* Xi, std::vector<double>& work) const {
    work.resize(n_);
    double* zr = work.data();
    double* zi = zr + m_;
    for (std::size_t j = 0; j < m_; ++j) zr[rev_[j]] = x[2 * j], zi[rev_[j]] = x[2 * j + 1];
    complex_pass<false>(zr, zi);
    Xr[0] = zr[0] + zi[0], Xi[0] = 0;  // k = 0 and k = m: E = Re Z[0], O = Im Z[0], W^m = −1
    Xr[m_] = zr[0] - zi[0], Xi[m_] = 0;
    for (std::size_t k = 1; k < m_; ++k) {  // E = (Z[k] + conj Z[m−k])/2, O = (Z[k] − conj Z[m−k])/2i
      const double er = (zr[k] + zr[m_ - k]) / 2, ei = (zi[k] - zi[m_ - k]) / 2;
      const double orr = (zi[k] + zi[m_ - k]) / 2, oi = -(zr[k] - zr[m_ - k]) / 2;
      Xr[k] = er + wr_[k] * orr - wi_[k] * oi;
      Xi[k] = ei + wr_[k] * oi + wi_[k] * orr;
    }
  }
  /// x[j] = (1/N) Σ_k X[k] e^{+2πi jk/N} for a Hermitian spectrum given by k = 0..N/2.
  void inverse(const double* Xr, const double* Xi, double* x, std::vector<double>& work) const {
    work.resize(n_);
    double* zr = work.data();
    double* zi = zr + m_;
    for (std::size_t k = 0; k < m_; ++k) {  // E = (X[k] + conj X[m−k])/2, O = (X[k] − conj X[m−k]) conj(W^k)/2
      const double er = (Xr[k] + Xr[m_ - k]) / 2, ei = (Xi[k] - Xi[m_ - k]) / 2;
      const double dr = (Xr[k] - Xr[m_ - k]) / 2, di = (Xi[k] + Xi[m_ - k]) / 2;
      const double orr = dr * wr_[k] + di * wi_[k], oi = di * wr_[k] - dr * wi_[k];
      zr[rev_[k]] = er - oi;  // Z = E + i·O
      zi[rev_[k]] = ei + orr;
    }
    complex_pass<true>(zr, zi);
    const double s = 1.0 / static_cast<double>(m_);
    for (std::size_t j = 0; j < m_; ++j) x[2 * j] = zr[j] * s, x[2 * j + 1] = zi[j] * s;
  }

 private:
  template <bool Inverse>
  void complex_pass(double* re, double* im) const {  // in place, input in bit-reversed order
    std::size_t first = 1;
    if (m_ >= 4) {  // the first two stages as one radix-4 pass (twiddles 1 and ∓i)
      first = 4;
      for (std::size_t i = 0; i < m_; i += 4) {
        const double s0r = re[i] + re[i + 1], s0i = im[i] + im[i + 1];
        const double d0r = re[i] - re[i + 1], d0i = im[i] - im[i + 1];
        const double s1r = re[i + 2] + re[i + 3], s1i = im[i + 2] + im[i + 3];
        const double d1r = re[i + 2] - re[i + 3], d1i = im[i + 2] - im[i + 3];
        const double tr = Inverse ? -d1i : d1i, ti = Inverse ? d1r : -d1r;  // ∓i · d1
        re[i] = s0r + s1r, im[i] = s0i + s1i;
        re[i + 2] = s0r - s1r, im[i + 2] = s0i - s1i;
        re[i + 1] = d0r + tr, im[i + 1] = d0i + ti;
        re[i + 3] = d0r - tr, im[i + 3] = d0i - ti;
      }
    }
#if defined(__GNUC__) || defined(__clang__)
    typedef double V __attribute__((vector_size(16)));  // two j at a time (half >= 4 here)
#else
    typedef double V;
#endif
    constexpr std::size_t L = sizeof(V) / sizeof(double);
    auto ld = [](const double* p) {
      V v;
      std::memcpy(&v, p, sizeof v);
      return v;
    };
    auto st = [](double* p, V v) { std::memcpy(p, &v, sizeof v); };
    const double sg = Inverse ? -1.0 : 1.0;  // inverse: conjugate twiddles
    std::size_t half = first;
    for (; 4 * half <= m_; half *= 4) {  // two radix-2 stages (half, 2·half) per pass
      const double* w1r = tr_.data() + half - 1;
      const double* w1i = ti_.data() + half - 1;
      const double* w2r = tr_.data() + 2 * half - 1;
      const double* w2i = ti_.data() + 2 * half - 1;
      for (std::size_t i = 0; i < m_; i += 4 * half) {
        double* r0 = re + i;
        double* i0 = im + i;
        for (std::size_t j = 0; j < half; j += L) {
          const V ar = ld(w1r + j), ai = sg * ld(w1i + j), br = ld(w2r + j), bi = sg * ld(w2i + j);
          const V a1r = ld(r0 + j + half), a1i = ld(i0 + j + half);
          const V a3r = ld(r0 + j + 3 * half), a3i = ld(i0 + j + 3 * half);
          const V x1r = a1r * ar - a1i * ai, x1i = a1r * ai + a1i * ar;  // w1 · a1
          const V x3r = a3r * ar - a3i * ai, x3i = a3r * ai + a3i * ar;  // w1 · a3
          const V a0r = ld(r0 + j), a0i = ld(i0 + j), a2r = ld(r0 + j + 2 * half), a2i = ld(i0 + j + 2 * half);
          const V b0r = a0r + x1r, b0i = a0i + x1i, b1r = a0r - x1r, b1i = a0i - x1i;
          const V b2r = a2r + x3r, b2i = a2i + x3i, b3r = a2r - x3r, b3i = a2i - x3i;
          const V y2r = b2r * br - b2i * bi, y2i = b2r * bi + b2i * br;  // w2 · b2
          const V t3r = b3r * br - b3i * bi, t3i = b3r * bi + b3i * br;  // w2 · b3
          const V y3r = sg * t3i, y3i = -sg * t3r;                        // ∓i · w2 · b3
          st(r0 + j, b0r + y2r), st(i0 + j, b0i + y2i);
          st(r0 + j + 2 * half, b0r - y2r), st(i0 + j + 2 * half, b0i - y2i);
          st(r0 + j + half, b1r + y3r), st(i0 + j + half, b1i + y3i);
          st(r0 + j + 3 * half, b1r - y3r), st(i0 + j + 3 * half, b1i - y3i);
        }
      }
    }
    for (; half < m_; half *= 2) {  // a last radix-2 stage
      const double* wr = tr_.data() + half - 1;
      const double* wi = ti_.data() + half - 1;
      for (std::size_t i = 0; i < m_; i += 2 * half) {
        double* r0 = re + i;
        double* i0 = im + i;
        for (std::size_t j = 0; j < half; j += L) {
          const V w_r = ld(wr + j), w_i = sg * ld(wi + j);
          const V b_r = ld(r0 + j + half), b_i = ld(i0 + j + half);
          const V vr = b_r * w_r - b_i * w_i, vi = b_r * w_i + b_i * w_r;
          const V a_r = ld(r0 + j), a_i = ld(i0 + j);
          st(r0 + j + half, a_r - vr), st(i0 + j + half, a_i - vi);
          st(r0 + j, a_r + vr), st(i0 + j, a_i + vi);
        }
      }
    }
  }
  std::size_t n_, m_;
  std::vector<std::size_t> rev_;
  std::vector<double> tr_, ti_, wr_, wi_;
};

}  // namespace salespipe::detail

#endif  // SALESPIPE_DETAIL_LATTICE_HPP
