// salespipe/random.hpp — the library's random engine: xoshiro256++ with
// (seed, stream) seeding.
//
// Part of the determinism contract (DESIGN.md, "Determinism and scale"): chunk k
// of a simulation draws from `random_engine(seed, k)`, and the sequence that
// engine produces is fixed by this file on every platform and compiler.
#pragma once

#include <cassert>
#include <cstdint>
#include <limits>

#ifndef SALESPIPE_ENGINE_INLINE  // the simulator's loops rely on the engine being inlined
#if defined(__GNUC__) || defined(__clang__)
#define SALESPIPE_ENGINE_INLINE __attribute__((always_inline))
#else
#define SALESPIPE_ENGINE_INLINE
#endif
#endif

namespace salespipe {

/// xoshiro256++ 1.0 (Blackman & Vigna, 2019): 256-bit state, period 2^256 − 1,
/// 64-bit output, about 1 ns per draw. A UniformRandomBitGenerator, so it also
/// works with `<random>` distributions (whose sequences are implementation-defined:
/// the library itself uses `detail/samplers.hpp`).
///
/// Seeding (part of the determinism contract, do not change):
///   a_i = splitmix64 output i of the generator started at `seed`, i = 0..3
///         (that is a_i = mix(seed + (i+1)·γ), γ = 0x9E3779B97F4A7C15,
///          mix = the splitmix64 finaliser, a bijection with mix(0) = 0);
///   b_i = mix(stream · (2i+1)·γ)                    (b_i = 0 when stream = 0);
///   state word i = a_i XOR b_i.
/// So `random_engine(seed)` is exactly xoshiro256++ seeded by splitmix64(seed), as
/// its authors recommend, and every stream's state is a full-width hash of both
/// numbers: two (seed, stream) pairs give related states only by a 256-bit
/// coincidence. The all-zero state (never reached for stream 0; a 256-bit
/// coincidence otherwise) is replaced by a fixed non-zero one.
///
/// Example: `random_engine rng(42, chunk); double u = rng.uniform();`
class random_engine {
 public:
  using result_type = std::uint64_t;

  /// Engine for stream `stream` of `seed`; any values are valid. O(1).
  explicit random_engine(std::uint64_t seed, std::uint64_t stream = 0) noexcept {
    constexpr std::uint64_t gamma = 0x9E3779B97F4A7C15u;
    std::uint64_t w[4];
    std::uint64_t x = seed;
    for (std::uint64_t i = 0; i < 4; ++i) {
      x += gamma;  // splitmix64 step
      w[i] = mix(x) ^ mix(stream * (2 * i + 1) * gamma);
    }
    if ((w[0] | w[1] | w[2] | w[3]) == 0) w[0] = gamma;
    s0_ = w[0];
    s1_ = w[1];
    s2_ = w[2];
    s3_ = w[3];
  }

  /// Engine with the given raw state (not all zero), e.g. to reproduce the
  /// authors' reference outputs. Prefer the (seed, stream) constructor.
  static random_engine from_state(std::uint64_t s0, std::uint64_t s1, std::uint64_t s2, std::uint64_t s3) noexcept {
    assert((s0 | s1 | s2 | s3) != 0);
    random_engine e(0);
    e.s0_ = s0;
    e.s1_ = s1;
    e.s2_ = s2;
    e.s3_ = s3;
    return e;
  }

  static constexpr result_type min() noexcept { return 0; }
  static constexpr result_type max() noexcept { return std::numeric_limits<result_type>::max(); }

  /// Next 64 uniformly distributed bits.
  // Forced inline: GCC -O2 left it out of line in large callers (the simulator's
  // passes), which keeps the state in memory and costs ~2x per draw.
  SALESPIPE_ENGINE_INLINE result_type operator()() noexcept {
    const std::uint64_t result = rotl(s0_ + s3_, 23) + s0_;
    const std::uint64_t t = s1_ << 17;
    std::uint64_t a0 = s0_, a1 = s1_, a2 = s2_, a3 = s3_;
    a2 ^= a0;
    a3 ^= a1;
    a1 ^= a2;
    a0 ^= a3;
    a2 ^= t;
    a3 = rotl(a3, 45);
    // Guard against GCC's SLP vectoriser (GCC 12, -O2 or -O3 with -march=native,
    // whenever the state lives in memory: engine passed by reference to a
    // non-inlined function, or a loop storing uint64 values that may alias it).
    // It packs the four new words into one 256-bit store (vmovq/vpinsrq/vinserti128)
    // which the next call reloads as scalars: 7.0 ns instead of 1.7 ns per draw,
    // measured. An empty `asm volatile` splits the basic block for the vectoriser,
    // and storing the non-adjacent words {s0,s2} before it and {s1,s3} after leaves
    // no two adjacent stores to combine. It emits no instruction and clobbers
    // nothing, so the engine still inlines and stays in registers in a loop.
    // Rejected, measured: an optimize("no-tree-slp-vectorize") attribute or
    // `#pragma GCC optimize` (GCC then refuses to inline operator(): 2.2–3.3 ns
    // per draw); "+r" barriers on the words (the stores are still packed).
    // Clang and other compilers do not vectorise this code; they skip the barrier.
    s0_ = a0;
    s2_ = a2;
#if defined(__GNUC__) && !defined(__clang__)
    __asm__ volatile("");
#endif
    s1_ = a1;
    s3_ = a3;
    return result;
  }

  /// Uniform double in [0, 1): the top 53 bits times 2^-53 (every multiple of
  /// 2^-53 in [0, 1) equally likely). May return 0.
  SALESPIPE_ENGINE_INLINE double uniform() noexcept {
    return static_cast<double>(static_cast<std::int64_t>((*this)() >> 11)) * 0x1.0p-53;
  }

  /// Uniform double in (0, 1): odd multiples of 2^-53, in [2^-53, 1 − 2^-53], all
  /// equally likely (52 random bits, mean exactly 1/2). Never 0 or 1, so
  /// log(uniform_open()) and log1p(-uniform_open()) are finite.
  SALESPIPE_ENGINE_INLINE double uniform_open() noexcept {
    return static_cast<double>(static_cast<std::int64_t>(((*this)() >> 11) | 1u)) * 0x1.0p-53;
  }

  /// Advance by 2^128 draws (the authors' jump polynomial): 2^128 non-overlapping
  /// sub-sequences of length 2^128. About 1 µs. Streams (the constructor's second
  /// argument) are the usual way to get independent sequences; jump() is for
  /// callers who want guaranteed non-overlap within one stream.
  void jump() noexcept {
    constexpr std::uint64_t poly[4] = {0x180EC6D33CFD0ABAu, 0xD5A61266F0C9392Cu, 0xA9582618E03FC9AAu,
                                       0x39ABDC4529B1661Cu};
    std::uint64_t j0 = 0, j1 = 0, j2 = 0, j3 = 0;
    for (std::uint64_t word : poly) {
      for (int b = 0; b < 64; ++b) {
        if ((word >> b) & 1u) {
          j0 ^= s0_;
          j1 ^= s1_;
          j2 ^= s2_;
          j3 ^= s3_;
        }
        (*this)();
      }
    }
    s0_ = j0;
    s1_ = j1;
    s2_ = j2;
    s3_ = j3;
  }

  /// Same state (hence the same future sequence).
  friend bool operator==(const random_engine& a, const random_engine& b) noexcept {
    return a.s0_ == b.s0_ && a.s1_ == b.s1_ && a.s2_ == b.s2_ && a.s3_ == b.s3_;
  }
  friend bool operator!=(const random_engine& a, const random_engine& b) noexcept { return !(a == b); }

  /// The splitmix64 finaliser (Steele, Lea & Flood 2014; constants of Stafford's
  /// "Mix13"): a bijection of 64-bit words with mix(0) = 0. Exposed for tests.
  static constexpr std::uint64_t mix(std::uint64_t z) noexcept {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
  }

 private:
  static constexpr std::uint64_t rotl(std::uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }

  // Four scalar words rather than an array: clearer codegen, no aliasing of an
  // array through indices (the SLP guard above does the real work).
  std::uint64_t s0_, s1_, s2_, s3_;
};

}  // namespace salespipe
