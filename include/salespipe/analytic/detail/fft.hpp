// salespipe/analytic/detail/fft.hpp — real_fft, the power-of-two real FFT with which the
// analytic engine convolves lattice masses (analytic/detail/lattice.hpp): forecast value
// distributions, the FFT renewal runs of acyclic pipelines, loop counts.
//
// Why our own and not Eigen's (unsupported/Eigen/FFT, a kissfft port): the convolutions run
// on the same few power-of-two sizes thousands of times per forecast; with the twiddles and
// bit reversal computed once, split re/im arrays whose inner loops vectorise and no
// allocation per call, this one measured about 2x faster than Eigen's on the forecast's
// sizes (commit 36b9e25), and it is immutable after construction, so one plan is shared by
// all threads. forecast_test checks it against the direct DFT.
#ifndef SALESPIPE_ANALYTIC_DETAIL_FFT_HPP
#define SALESPIPE_ANALYTIC_DETAIL_FFT_HPP

#include <cmath>
#include <cstddef>
#include <cstring>
#include <vector>

namespace salespipe::analytic::detail {

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
          const V y3r = sg * t3i, y3i = -sg * t3r;                       // ∓i · w2 · b3
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

}  // namespace salespipe::analytic::detail

#endif  // SALESPIPE_ANALYTIC_DETAIL_FFT_HPP
