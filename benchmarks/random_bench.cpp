// random_bench — ns per draw of salespipe's engine and samplers, with the
// std::mt19937_64 + <random> equivalents in the same binary (quote ratios from
// one run: this class of machine varies by ±30% between runs).
//
// Two shapes per sampler:
//   BM_batch_*  fill a 4096-element array in a non-inlined function taking the
//               engine by reference: the engine's stage-by-stage batches, and the
//               case where GCC's SLP vectoriser used to slow xoshiro down;
//   BM_loop_*   one draw per benchmark iteration, engine local to the loop.
// The counter "ns/draw" is the figure to quote. Parameters are opaque to the
// optimiser (runtime values), as in the engine.
//
// Build (links Google Benchmark's library, not benchmark_main: main is below):
//   g++ -std=c++17 -O2 -DNDEBUG -I include benchmarks/random_bench.cpp -lbenchmark -lpthread
#include <salespipe/detail/samplers.hpp>
#include <salespipe/random.hpp>

#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
#include <random>
#include <vector>

namespace {

namespace sd = salespipe::detail;
using salespipe::random_engine;

constexpr std::size_t batch = 4096;

// A runtime value the optimiser cannot see through. Not benchmark::DoNotOptimize:
// on a double lvalue, GCC 12 with Google Benchmark 1.7's "+m,r" constraint returns
// garbage (google/benchmark#903, GCC PR 92597); measured here: 2.0 came back as
// 7.6e-309, which sent gamma down its shape < 1 path.
double opaque(double x) {
  volatile double v = x;
  return v;
}

// Reports "ns/draw": Google Benchmark divides by the elapsed seconds and inverts.
void per_draw(benchmark::State& st, std::size_t per_iteration) {
  st.counters["ns/draw"] =
      benchmark::Counter(static_cast<double>(st.iterations()) * static_cast<double>(per_iteration) * 1e-9,
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

template <class Rng, class Draw>
__attribute__((noinline)) void fill(Rng& rng, double* out, std::size_t n, Draw& draw) {
  for (std::size_t i = 0; i < n; ++i) out[i] = draw(rng);
}

template <class Rng, class Draw>
void run_batch(benchmark::State& st, Rng& rng, Draw draw) {
  std::vector<double> out(batch);
  for (auto _ : st) {
    fill(rng, out.data(), out.size(), draw);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  per_draw(st, batch);
}

template <class Rng, class Draw>
void run_loop(benchmark::State& st, Rng& rng, Draw draw) {
  for (auto _ : st) benchmark::DoNotOptimize(draw(rng));
  per_draw(st, 1);
}

// One benchmark pair (batch, loop) per sampler, ours and <random>'s.
#define SALESPIPE_BENCH(name, make_rng, ...)   \
  void BM_batch_##name(benchmark::State& st) { \
    auto rng = make_rng;                       \
    run_batch(st, rng, __VA_ARGS__);           \
  }                                            \
  void BM_loop_##name(benchmark::State& st) {  \
    auto rng = make_rng;                       \
    run_loop(st, rng, __VA_ARGS__);            \
  }                                            \
  BENCHMARK(BM_batch_##name);                  \
  BENCHMARK(BM_loop_##name)

#define OURS random_engine(42, 1)
#define STD std::mt19937_64(42)

// Raw 64-bit words.
template <class Rng>
__attribute__((noinline)) void fill_bits(Rng& rng, std::uint64_t* out, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) out[i] = rng();
}
template <class Rng>
void bits_batch(benchmark::State& st, Rng rng) {
  std::vector<std::uint64_t> out(batch);
  for (auto _ : st) {
    fill_bits(rng, out.data(), out.size());
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  per_draw(st, batch);
}
void BM_batch_bits_xoshiro(benchmark::State& st) { bits_batch(st, OURS); }
void BM_batch_bits_mt19937_64(benchmark::State& st) { bits_batch(st, STD); }
BENCHMARK(BM_batch_bits_xoshiro);
BENCHMARK(BM_batch_bits_mt19937_64);
void BM_loop_bits_xoshiro(benchmark::State& st) {
  auto rng = OURS;
  for (auto _ : st) benchmark::DoNotOptimize(rng());
  per_draw(st, 1);
}
void BM_loop_bits_mt19937_64(benchmark::State& st) {
  auto rng = STD;
  for (auto _ : st) benchmark::DoNotOptimize(rng());
  per_draw(st, 1);
}
BENCHMARK(BM_loop_bits_xoshiro);
BENCHMARK(BM_loop_bits_mt19937_64);

SALESPIPE_BENCH(uniform01_ours, OURS, [](random_engine& g) { return g.uniform(); });
SALESPIPE_BENCH(uniform01_std, STD,
                [d = std::uniform_real_distribution<double>(0.0, 1.0)](std::mt19937_64& g) mutable { return d(g); });
SALESPIPE_BENCH(uniform_ours, OURS,
                [a = opaque(-1.0), b = opaque(3.0)](random_engine& g) { return sd::uniform(g, a, b); });
SALESPIPE_BENCH(uniform_std, STD,
                [d = std::uniform_real_distribution<double>(opaque(-1.0), opaque(3.0))](std::mt19937_64& g) mutable {
                  return d(g);
                });

SALESPIPE_BENCH(exponential_ours, OURS, [m = opaque(0.5)](random_engine& g) { return sd::exponential(g, m); });
SALESPIPE_BENCH(exponential_std, STD,
                [d = std::exponential_distribution<double>(opaque(2.0))](std::mt19937_64& g) mutable { return d(g); });

SALESPIPE_BENCH(normal_ours, OURS,
                [m = opaque(1.0), s = opaque(2.0)](random_engine& g) { return sd::normal(g, m, s); });
SALESPIPE_BENCH(normal_std, STD,
                [d = std::normal_distribution<double>(opaque(1.0), opaque(2.0))](std::mt19937_64& g) mutable {
                  return d(g);
                });

SALESPIPE_BENCH(lognormal_ours, OURS,
                [m = opaque(-0.11), s = opaque(0.47)](random_engine& g) { return sd::lognormal(g, m, s); });
SALESPIPE_BENCH(lognormal_std, STD,
                [d = std::lognormal_distribution<double>(opaque(-0.11), opaque(0.47))](std::mt19937_64& g) mutable {
                  return d(g);
                });

// Gamma: funnel6's shapes 2 and 3, and a shape < 1.
SALESPIPE_BENCH(gamma2_ours, OURS, [k = opaque(2.0), t = opaque(0.5)](random_engine& g) { return sd::gamma(g, k, t); });
SALESPIPE_BENCH(gamma2_std, STD,
                [d = std::gamma_distribution<double>(opaque(2.0), opaque(0.5))](std::mt19937_64& g) mutable {
                  return d(g);
                });
SALESPIPE_BENCH(gamma3_ours, OURS,
                [k = opaque(3.0), t = opaque(1.0 / 3.0)](random_engine& g) { return sd::gamma(g, k, t); });
SALESPIPE_BENCH(gamma3_std, STD,
                [d = std::gamma_distribution<double>(opaque(3.0), opaque(1.0 / 3.0))](std::mt19937_64& g) mutable {
                  return d(g);
                });
SALESPIPE_BENCH(gamma0_3_ours, OURS,
                [k = opaque(0.3), t = opaque(2.0)](random_engine& g) { return sd::gamma(g, k, t); });
SALESPIPE_BENCH(gamma0_3_std, STD,
                [d = std::gamma_distribution<double>(opaque(0.3), opaque(2.0))](std::mt19937_64& g) mutable {
                  return d(g);
                });

SALESPIPE_BENCH(weibull2_5_ours, OURS,
                [k = opaque(2.5), l = opaque(1.7)](random_engine& g) { return sd::weibull(g, k, l); });
SALESPIPE_BENCH(weibull2_5_std, STD,
                [d = std::weibull_distribution<double>(opaque(2.5), opaque(1.7))](std::mt19937_64& g) mutable {
                  return d(g);
                });
SALESPIPE_BENCH(weibull1_ours, OURS,
                [k = opaque(1.0), l = opaque(1.7)](random_engine& g) { return sd::weibull(g, k, l); });
SALESPIPE_BENCH(weibull1_std, STD,
                [d = std::weibull_distribution<double>(opaque(1.0), opaque(1.7))](std::mt19937_64& g) mutable {
                  return d(g);
                });

}  // namespace

int main(int argc, char** argv) {
#ifndef NDEBUG
  (void)argc;
  (void)argv;
  std::fprintf(stderr, "random_bench: built with assertions on (NDEBUG undefined); "
                       "refusing to report timings. Rebuild with -DNDEBUG.\n");
  return 1;
#else
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
#endif
}
