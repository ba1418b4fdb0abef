// salespipe/detail/samplers.hpp — fast portable samplers for the Monte Carlo hot
// loop: exponential, normal, gamma, lognormal, weibull, uniform on random_engine.
//
// Why our own and not <random>: std::*_distribution sequences are
// implementation-defined (different numbers on libstdc++, libc++, MSVC) and its
// gamma/lognormal are 3–10x slower; quantile inversion is slower still
// (DESIGN.md, "Determinism and scale").
//
// Valid parameter ranges are stated per function. Callers (the model) validate
// them when a model is built; here they are only assert()ed, since nothing in the
// hot loop throws. Outside the range the result is unspecified.
//
// Portability of the sequences (DESIGN.md: bit-identical for any split across
// processes or machines): every draw is a fixed function of the engine's 64-bit
// outputs. The ziggurat tables are computed at compile time with IEEE +,−,×,÷
// only (constexpr, below), so they are the same bits on every compiler. Fast paths
// (~98% of normal/exponential draws, most gamma draws) use integer ops and
// exactly-rounded IEEE arithmetic, and every product that is added to something
// or returned goes through no_fma(), so FMA contraction (-march=native,
// AArch64, -ffp-contract=fast) cannot change a bit: tested for g++/clang++,
// -O0..-O3, -march=native, -ffp-contract=fast. std::exp/log/pow appear in rare
// accept/reject tests (a last-ulp libm difference flips one with probability
// ~1e-16) and in the values of lognormal, weibull (shape ≠ 1) and gamma with
// shape < 1: those are identical across platforms whose libm agrees on the call
// (same glibc: yes).
#pragma once

#include <salespipe/random.hpp>

#include <cassert>
#include <cmath>
#include <cstddef>
#include <cstdint>

#ifndef SALESPIPE_DETAIL_COLD  // rarely taken path: keep it out of line
#if defined(__GNUC__) || defined(__clang__)
#define SALESPIPE_DETAIL_COLD __attribute__((noinline, cold))
#else
#define SALESPIPE_DETAIL_COLD
#endif
#endif

#ifndef SALESPIPE_DETAIL_HOT  // must inline: an out-of-line call would keep the engine in memory
#if defined(__GNUC__) || defined(__clang__)
#define SALESPIPE_DETAIL_HOT inline __attribute__((always_inline))
#else
#define SALESPIPE_DETAIL_HOT inline
#endif
#endif

namespace salespipe::detail {

/// Returns x unchanged, opaque to the optimiser, so that a product passed through
/// it is rounded before it is added: the compiler cannot fuse a*b+c into an FMA
/// across it, whatever -ffp-contract says (GCC in GNU mode and Clang fuse by
/// default when the target has FMA, e.g. -march=native or AArch64). Used on every
/// product that is added to something, and on every returned product, so samples
/// are the same bits with and without FMA. Emits no instruction (measured: no
/// cost). On targets not listed it does nothing (then build with -ffp-contract=off).
inline double no_fma(double x) noexcept {
#if (defined(__GNUC__) || defined(__clang__)) && (defined(__x86_64__) || (defined(__i386__) && defined(__SSE2_MATH__)))
  __asm__("" : "+x"(x));
#elif (defined(__GNUC__) || defined(__clang__)) && defined(__aarch64__)
  __asm__("" : "+w"(x));
#endif
  return x;
}

namespace zig {

// constexpr exp/log/sqrt for the tables only (std:: ones are not constexpr in
// C++17): within 1 ulp (exp, sqrt) and 3 ulp (log) on the ranges used, built from
// correctly-rounded IEEE operations so every compiler gets the same bits. The
// resulting x_i agree with a 50-digit mpmath evaluation of the same recurrence to
// 2e-13 relative (the recurrence amplifies rounding); layer areas off by 1e-13
// are a bias no simulation can see.
constexpr double ln2_hi = 0x1.62e42fee00000p-1;  // fdlibm split of ln 2
constexpr double ln2_lo = 0x1.a39ef35793c76p-33;

constexpr double cx_exp(double x) {            // |x| < 700
  const double kf = x * 0x1.71547652b82fep+0;  // x / ln 2
  long long k = static_cast<long long>(kf < 0 ? kf - 0.5 : kf + 0.5);
  const double r = (x - static_cast<double>(k) * ln2_hi) - static_cast<double>(k) * ln2_lo;
  double p = 1.0;  // Taylor series of e^r, |r| <= ln2/2, Horner form
  for (int n = 18; n >= 1; --n) p = 1.0 + p * r / n;
  for (; k > 0; --k) p *= 2.0;
  for (; k < 0; ++k) p *= 0.5;
  return p;
}

constexpr double cx_log(double y) {  // y > 0, normal
  int e = 0;
  while (y > 0x1.6a09e667f3bcdp+0) y *= 0.5, ++e;  // to [1/√2, √2]
  while (y < 0x1.6a09e667f3bcdp-1) y *= 2.0, --e;
  const double s = (y - 1.0) / (y + 1.0), s2 = s * s;  // log y = 2 atanh s
  double sum = 0.0;
  for (int n = 14; n >= 0; --n) sum = 1.0 / (2 * n + 1) + s2 * sum;
  return e * ln2_hi + (e * ln2_lo + 2.0 * s * sum);
}

constexpr double cx_sqrt(double y) {  // y > 0; Newton from above
  double g = y > 1.0 ? y : 1.0;
  for (int i = 0; i < 100; ++i) {
    const double next = 0.5 * (g + y / g);
    if (!(next < g)) break;
    g = next;
  }
  return g;
}

// Marsaglia & Tsang (2000) ziggurat with 256 layers of equal area v under the
// unnormalised density f (exp(-x²/2) or exp(-x)), in the 64-bit form of NumPy's
// Generator. Layer 0 is the base strip [0, r]×[0, f(r)] plus the tail x > r, drawn
// as a rectangle of width q = v/f(r); layer i ≥ 1 is [0, x_i]×[f(x_i), f(x_{i−1})]
// with x_255 = r, x_{i−1} = f⁻¹(v/x_i + f(x_i)), x_0 = 0. A draw takes an m-bit
// integer j and a layer i: x = j·w[i] (w[i] = x_i/2^m, w[0] = q/2^m) is accepted at
// once when j < k[i] (k[i] = ⌊2^m·x_{i−1}/x_i⌋, k[0] = ⌊2^m·r/q⌋, k[1] = 0),
// i.e. when x lies under the layer above; f[i] = f(x_i), f[0] = 1.
// (r, v) solve "the top layer closes at f(0) = 1": computed with 50-digit mpmath.
struct table {
  std::uint64_t k[256];
  double w[256];
  double f[256];
};

constexpr double normal_r = 0x1.d3bb48209ad33p+1;  // 3.6541528853610087716
constexpr double normal_v = 0x1.43016a5a43732p-8;  // 0.0049286732339746553
constexpr double exp_r = 0x1.ec9d9297ebb83p+2;     // 7.6971174701310497140
constexpr double exp_v = 0x1.02d84bc4b0285p-8;     // 0.0039496598225815572

constexpr double density(bool normal, double x) { return normal ? cx_exp(-0.5 * x * x) : cx_exp(-x); }
constexpr double inverse_density(bool normal, double y) { return normal ? cx_sqrt(-2.0 * cx_log(y)) : -cx_log(y); }

constexpr table make_table(bool normal) {
  const double r = normal ? normal_r : exp_r;
  const double v = normal ? normal_v : exp_v;
  const double scale = normal ? 0x1.0p52 : 0x1.0p53;  // 2^m
  table t{};
  const double fr = density(normal, r);
  const double q = v / fr;
  t.k[0] = static_cast<std::uint64_t>(r / q * scale);
  t.w[0] = q / scale;
  t.f[0] = 1.0;
  t.w[255] = r / scale;
  t.f[255] = fr;
  double x = r, fx = fr;
  for (int i = 254; i >= 1; --i) {
    const double xn = inverse_density(normal, v / x + fx);
    t.k[i + 1] = static_cast<std::uint64_t>(xn / x * scale);
    t.w[i] = xn / scale;
    t.f[i] = fx = density(normal, xn);
    x = xn;
  }
  t.k[1] = 0;
  return t;
}

inline constexpr table normal_table = make_table(true);
inline constexpr table exp_table = make_table(false);

}  // namespace zig

SALESPIPE_DETAIL_HOT double standard_exponential(random_engine& rng) noexcept;

namespace zig {

// Slow paths, out of line so the inlined fast paths stay small. They take the
// engine by value and hand it back: passing it by reference would let its address
// escape, and the caller would then keep the state in memory (a store and reload
// per draw) on the fast path too. With this, a caller's local engine stays in
// registers (checked in the generated code; the timing gain is within this
// machine's noise for the exponential, ~10%).
struct slow_draw {
  random_engine rng;  // the engine after the draws made here
  double value;       // the sample, when accepted
  bool accepted;      // false: draw again from scratch
};

SALESPIPE_DETAIL_COLD inline slow_draw exp_slow(random_engine rng, unsigned i, double x) noexcept {
  if (i == 0) {  // tail: X | X > r  =  r + Exp(1) (memoryless)
    const double e = standard_exponential(rng);
    return {rng, exp_r + e, true};
  }
  const table& t = exp_table;
  const double y = t.f[i] + no_fma(rng.uniform() * (t.f[i - 1] - t.f[i]));
  return {rng, x, y < std::exp(-x)};
}

SALESPIPE_DETAIL_COLD inline slow_draw normal_slow(random_engine rng, unsigned i, double x) noexcept {
  if (i == 0) {  // tail |Z| > r: Marsaglia (1964), with -log U drawn as Exp(1)
    for (;;) {
      const double a = no_fma(standard_exponential(rng) * (1.0 / normal_r));
      const double b = standard_exponential(rng);
      if (b + b > a * a) return {rng, x < 0 ? -(normal_r + a) : normal_r + a, true};
    }
  }
  const table& t = normal_table;
  const double y = t.f[i] + no_fma(rng.uniform() * (t.f[i - 1] - t.f[i]));
  return {rng, x, y < std::exp(-0.5 * x * x)};
}

}  // namespace zig

/// Exp(1) draw, ≥ 0. Ziggurat (Marsaglia & Tsang 2000): one engine call and no
/// libm call 97.8% of the time; the rest goes to zig::exp_slow.
SALESPIPE_DETAIL_HOT double standard_exponential(random_engine& rng) noexcept {
  for (;;) {
    const std::uint64_t u = rng();
    const unsigned i = static_cast<unsigned>(u & 0xFFu);  // layer: low 8 bits
    const std::uint64_t j = u >> 11;                      // 53-bit position: top bits
    const double x = static_cast<double>(static_cast<std::int64_t>(j)) * zig::exp_table.w[i];
    if (j < zig::exp_table.k[i]) return no_fma(x);
    const zig::slow_draw s = zig::exp_slow(rng, i, x);
    rng = s.rng;
    if (s.accepted) return no_fma(s.value);
  }
}

/// Exponential with mean `mean` (> 0, finite; rate = 1/mean), ≥ 0.
inline double exponential(random_engine& rng, double mean) noexcept {
  assert(mean > 0 && std::isfinite(mean));
  return no_fma(mean * standard_exponential(rng));
}

/// N(0, 1) draw. Ziggurat (Marsaglia & Tsang 2000): one engine call and no libm
/// call 98.5% of the time (layer: bits 0–7, sign: bit 8, 52-bit position: bits
/// 12–63); the rest goes to zig::normal_slow.
SALESPIPE_DETAIL_HOT double standard_normal(random_engine& rng) noexcept {
  for (;;) {
    const std::uint64_t u = rng();
    const unsigned i = static_cast<unsigned>(u & 0xFFu);
    const std::uint64_t j = u >> 12;
    // Apply the sign in the integer domain: GCC compiled `sign ? -x : x` to a
    // branch that mispredicts half the time (measured ~9 ns per draw, 3–4 ns now).
    const std::int64_t neg = -static_cast<std::int64_t>((u >> 8) & 1u);  // 0 or -1
    const std::int64_t sj = (static_cast<std::int64_t>(j) ^ neg) - neg;  // ±j
    const double x = static_cast<double>(sj) * zig::normal_table.w[i];
    if (j < zig::normal_table.k[i]) return no_fma(x);
    const zig::slow_draw s = zig::normal_slow(rng, i, x);
    rng = s.rng;
    if (s.accepted) return no_fma(s.value);
  }
}

/// Normal with mean `mu` (finite) and standard deviation `sigma` (≥ 0, finite).
inline double normal(random_engine& rng, double mu, double sigma) noexcept {
  assert(std::isfinite(mu) && sigma >= 0 && std::isfinite(sigma));
  return mu + no_fma(sigma * standard_normal(rng));
}

/// Lognormal: exp(N(mu, sigma²)); `mu` (finite) and `sigma` (≥ 0, finite) are the
/// mean and sd of the log (mean of the draw = exp(mu + sigma²/2)). > 0 unless exp
/// underflows.
inline double lognormal(random_engine& rng, double mu, double sigma) noexcept {
  return std::exp(normal(rng, mu, sigma));
}

namespace zig {

// Marsaglia & Tsang (2000), "A simple method for generating gamma variables":
// a Gamma(d + 1/3, 1) draw for d ≥ 2/3, c = 1/√(9d). With x ~ N(0,1), t = cx
// (t > −1), v = (1+t)³ and u ~ U(0,1), accept dv iff log u < h, where
//   h = x²/2 + d(1 − v + log v) = −3d·R(t),  R(t) = t − t²/2 + t³/3 − log(1+t).
// Squeeze (ours, tighter than the paper's u < 1 − 0.0331x⁴): R′(t) = t³/(1+t)
// gives R(t) ≤ t⁴/(4·min(1, 1+t)), and log u ≤ u − 1, so
//   u < 1 − q  and  u(1+t) < (1+t) − q,   q = ¾·d·t⁴,
// implies acceptance. The logs are then needed on 6.7% of draws at shape 1,
// 2.6% at 2, 1.5% at 3, 0.3% at 10 (paper's squeeze: ~8–10% at every shape),
// which measured ~20% faster at shapes 2–3. The two tests are combined with a
// non-short-circuit & so no unpredictable branch on the sign of t is generated.
// The exact acceptance test (the squeeze failed): out of line, so the two libm calls
// do not make the inlined loop save its registers around them.
SALESPIPE_DETAIL_COLD inline bool mt_accept_slow(double u, double x, double d, double v) noexcept {
  return std::log(u) < no_fma(0.5 * (x * x)) + no_fma(d * (1.0 - v + std::log(v)));
}

// Forced inline: GCC -O2 kept it out of line, which put the engine state in memory
// (measured 16 -> 8 ns per gamma(2) draw in a batch once inlined).
SALESPIPE_DETAIL_HOT double marsaglia_tsang(random_engine& rng, double d, double c) noexcept {
  const double k = 0.75 * d;
  for (;;) {
    double x, t;
    do {
      x = standard_normal(rng);
      t = no_fma(c * x);
    } while (t <= -1.0);
    const double w = 1.0 + t;
    const double v = w * w * w;
    const double u = rng.uniform_open();
    const double t2 = t * t;
    const double q = no_fma(k * (t2 * t2));
    if ((u < 1.0 - q) & (no_fma(u * w) < w - q)) return d * v;
    if (mt_accept_slow(u, x, d, v)) return d * v;
  }
}

}  // namespace zig

/// Gamma with `shape` k (> 0, finite) and `scale` θ (> 0, finite): mean kθ,
/// variance kθ². ≥ 0.
/// k ≥ 1: Marsaglia & Tsang (2000) with d = k − 1/3 (see zig::marsaglia_tsang);
/// ≥ 95% of the loops accept, each costs one normal and one uniform draw.
/// k < 1: Gamma(k) = Gamma(k+1)·U^(1/k) (same paper, §6). U^(1/k) is drawn as
/// exp(−E/k), E = −log U ~ Exp(1) from the ziggurat: the same law as
/// pow(uniform_open(), 1/k) with one cheap libm call instead of pow (measured at
/// k = 0.3: 30–43 ns against 51–60 ns per draw, same run, loaded machine).
/// For k below ~0.01 the factor underflows to 0 with non-negligible probability
/// (the true value is below 1e-300 then).
inline double gamma(random_engine& rng, double shape, double scale) noexcept {
  assert(shape > 0 && std::isfinite(shape) && scale > 0 && std::isfinite(scale));
  if (shape >= 1.0) {
    const double d = shape - 1.0 / 3.0;
    return no_fma(scale * zig::marsaglia_tsang(rng, d, 1.0 / std::sqrt(9.0 * d)));
  }
  const double d = shape + 2.0 / 3.0;  // (shape + 1) − 1/3
  const double g = zig::marsaglia_tsang(rng, d, 1.0 / std::sqrt(9.0 * d));
  return no_fma(scale * (g * std::exp(-standard_exponential(rng) / shape)));
}

/// Weibull with `shape` k (> 0, finite) and `scale` λ (> 0, finite):
/// λ·E^(1/k), E ~ Exp(1) (inverse of the survival exp(−(x/λ)^k)); k = 1 is
/// exponential(λ) with no libm call. ≥ 0.
inline double weibull(random_engine& rng, double shape, double scale) noexcept {
  assert(shape > 0 && std::isfinite(shape) && scale > 0 && std::isfinite(scale));
  const double e = standard_exponential(rng);
  if (shape == 1.0) return no_fma(scale * e);
  return no_fma(scale * std::pow(e, 1.0 / shape));
}

/// Uniform on [a, b) with a < b finite (b itself only through rounding of
/// a + (b−a)·u). Closed form, one engine call.
inline double uniform(random_engine& rng, double a, double b) noexcept {
  assert(std::isfinite(a) && std::isfinite(b) && a < b);
  return a + no_fma((b - a) * rng.uniform());
}

// ---------------------------------------------------------------------------
// Batch forms, for the simulator's stage-by-stage passes: fill out[0..n) with n
// draws. Each returns exactly the values (and leaves the engine in exactly the
// state) of n calls of the scalar sampler above, so batching never changes a
// sequence. Why faster: the per-distribution constants (gamma's d and c, which cost
// a sqrt and a division) are computed once per batch instead of once per draw, and
// the engine is copied into a local so its state stays in registers (through a
// reference, the stores to out[] could alias it or the parameters, and the compiler
// would reload both on every draw). Lognormal draws the normals first and
// exponentiates in a second pass, so the libm calls are independent of each other
// and of the engine. Measured (loaded 2-core machine, same run): gamma(2) 16-19 ns per
// draw through a reference-taking loop, 7-9 ns batched; exponential and lognormal gain
// within the noise (their scalar forms already inline).

/// n draws of exponential(rng, mean) into out.
inline void exponential_n(random_engine& rng, double mean, double* out, std::size_t n) noexcept {
  assert(mean > 0 && std::isfinite(mean));
  random_engine g = rng;
  for (std::size_t i = 0; i < n; ++i) out[i] = no_fma(mean * standard_exponential(g));
  rng = g;
}

/// n draws of normal(rng, mu, sigma) into out.
inline void normal_n(random_engine& rng, double mu, double sigma, double* out, std::size_t n) noexcept {
  assert(std::isfinite(mu) && sigma >= 0 && std::isfinite(sigma));
  random_engine g = rng;
  for (std::size_t i = 0; i < n; ++i) out[i] = mu + no_fma(sigma * standard_normal(g));
  rng = g;
}

/// n draws of lognormal(rng, mu, sigma) into out.
inline void lognormal_n(random_engine& rng, double mu, double sigma, double* out, std::size_t n) noexcept {
  normal_n(rng, mu, sigma, out, n);
  for (std::size_t i = 0; i < n; ++i) out[i] = std::exp(out[i]);
}

/// n draws of gamma(rng, shape, scale) into out.
inline void gamma_n(random_engine& rng, double shape, double scale, double* out, std::size_t n) noexcept {
  assert(shape > 0 && std::isfinite(shape) && scale > 0 && std::isfinite(scale));
  random_engine g = rng;
  if (shape >= 1.0) {
    const double d = shape - 1.0 / 3.0, c = 1.0 / std::sqrt(9.0 * d);
    for (std::size_t i = 0; i < n; ++i) out[i] = no_fma(scale * zig::marsaglia_tsang(g, d, c));
  } else {
    const double d = shape + 2.0 / 3.0, c = 1.0 / std::sqrt(9.0 * d);
    for (std::size_t i = 0; i < n; ++i) {
      const double x = zig::marsaglia_tsang(g, d, c);
      out[i] = no_fma(scale * (x * std::exp(-standard_exponential(g) / shape)));
    }
  }
  rng = g;
}

/// n draws of weibull(rng, shape, scale) into out.
inline void weibull_n(random_engine& rng, double shape, double scale, double* out, std::size_t n) noexcept {
  assert(shape > 0 && std::isfinite(shape) && scale > 0 && std::isfinite(scale));
  random_engine g = rng;
  for (std::size_t i = 0; i < n; ++i) out[i] = standard_exponential(g);
  rng = g;
  if (shape == 1.0) {
    for (std::size_t i = 0; i < n; ++i) out[i] = no_fma(scale * out[i]);
  } else {
    const double inv = 1.0 / shape;
    for (std::size_t i = 0; i < n; ++i) out[i] = no_fma(scale * std::pow(out[i], inv));
  }
}

/// n draws of uniform(rng, a, b) into out.
inline void uniform_n(random_engine& rng, double a, double b, double* out, std::size_t n) noexcept {
  assert(std::isfinite(a) && std::isfinite(b) && a < b);
  random_engine g = rng;
  const double w = b - a;
  for (std::size_t i = 0; i < n; ++i) out[i] = a + no_fma(w * g.uniform());
  rng = g;
}

}  // namespace salespipe::detail
