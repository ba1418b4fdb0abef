// Monte Carlo engine on funnel6 (../shared/bench/funnel6.md): 1000 replications × 36
// months. Carries the straightforward baseline in the same binary so the ratio is
// measured in one run, and compares 2 threads with 1.
//
//   build-x/benchmarks/bench_simulate_bench [--benchmark_repetitions=5]
//
// Prints the usual Google Benchmark table, then the ratios (medians when repeated).
#ifndef NDEBUG
#include <cstdio>
int main() {
  std::fprintf(stderr, "bench_simulate_bench: built with assertions on (NDEBUG undefined); "
                       "refusing to report timings. Build with -DCMAKE_BUILD_TYPE=Release.\n");
  return 1;
}
#else
#include <benchmark/benchmark.h>

#include <cstdio>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <salespipe/funnel.hpp>
#include <salespipe/simulate/engine.hpp>

#include "../tests/support/funnel6.hpp"

namespace {

constexpr std::size_t months = 36, reps = 1000;

using salespipe_test::funnel6;

// The straightforward version: one deal at a time, std::mt19937_64 + <random>
// distributions, a std::function per stage; records won count and value per month.
struct baseline_result {
  std::vector<double> won, value;  // reps × months
};
baseline_result baseline(std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  using stage_fn = std::function<double(std::mt19937_64&)>;
  auto lognormal_mean_sd = [](double m, double sd) {
    const double s2 = std::log1p((sd / m) * (sd / m));
    return std::lognormal_distribution<double>(std::log(m) - s2 / 2, std::sqrt(s2));
  };
  struct stage {
    stage_fn duration;
    double p;
  };
  std::vector<stage> stages = {
      {[d = std::exponential_distribution<double>(1 / 0.5)](std::mt19937_64& g) mutable { return d(g); }, 0.40},
      {[d = std::gamma_distribution<double>(2, 0.5)](std::mt19937_64& g) mutable { return d(g); }, 0.50},
      {[d = std::gamma_distribution<double>(2, 0.75)](std::mt19937_64& g) mutable { return d(g); }, 0.60},
      {[d = lognormal_mean_sd(1, 0.5)](std::mt19937_64& g) mutable { return d(g); }, 0.50},
      {[d = std::gamma_distribution<double>(3, 1.0 / 3)](std::mt19937_64& g) mutable { return d(g); }, 0.55}};
  auto value = lognormal_mean_sd(20000, 10000);
  std::uniform_real_distribution<double> unif(0, 1);
  std::poisson_distribution<long> arrivals(300.0 * months);
  const double H = months;
  baseline_result r{std::vector<double>(reps * months), std::vector<double>(reps * months)};
  for (std::size_t rep = 0; rep < reps; ++rep) {
    const long n = arrivals(rng);
    for (long i = 0; i < n; ++i) {
      double t = H * unif(rng);
      for (std::size_t s = 0; s < stages.size(); ++s) {
        const bool next = unif(rng) < stages[s].p;  // route, then time
        t += stages[s].duration(rng);
        if (t >= H || !next) break;
        if (s + 1 == stages.size()) {
          const auto k = rep * months + static_cast<std::size_t>(t);
          r.won[k] += 1;
          r.value[k] += value(rng);
        }
      }
    }
  }
  return r;
}

void BM_baseline(benchmark::State& state) {
  std::uint64_t seed = 1;
  for (auto _ : state) {
    auto r = baseline(seed++);
    benchmark::DoNotOptimize(r.won.data());
  }
}

void BM_library(benchmark::State& state) {
  const auto p = funnel6();
  salespipe::simulate::options o;
  o.periods = months;
  o.replications = reps;
  o.threads = static_cast<int>(state.range(0));
  for (auto _ : state) {
    auto r = salespipe::simulate::run(p, o);  // records entries, values, reward, WIP of every node
    benchmark::DoNotOptimize(r.record_bytes());
    ++o.seed;
  }
}

// Recording only what the baseline records: won count and value per month.
void BM_library_won_only(benchmark::State& state) {
  const auto p = funnel6();
  salespipe::simulate::options o;
  o.periods = months;
  o.replications = reps;
  o.record.nodes = {"Won"};
  for (auto _ : state) {
    auto r = salespipe::simulate::run(p, o);
    benchmark::DoNotOptimize(r.record_bytes());
    ++o.seed;
  }
}

BENCHMARK(BM_baseline)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2.0);
BENCHMARK(BM_library)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2.0);
BENCHMARK(BM_library_won_only)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2.0);

// Keeps the per-iteration real and CPU time of each run (the median when repeated).
class ratio_reporter : public benchmark::ConsoleReporter {
 public:
  std::map<std::string, double> seconds, cpu;
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const auto& run : runs) {
      const bool agg = run.run_type == Run::RT_Aggregate;
      if (agg && run.aggregate_name != "median") continue;
      std::string name = run.run_name.str();
      if (auto p = name.find("/min_time"); p != std::string::npos) name.erase(p, name.find('/', p + 1) - p);
      if (!agg && seconds.count(name + "#median")) continue;
      const double s = run.real_accumulated_time / static_cast<double>(run.iterations);
      const double c = run.cpu_accumulated_time / static_cast<double>(run.iterations);
      seconds[agg ? name + "#median" : name] = s;
      if (agg) seconds[name] = s;
      cpu[name] = c;
    }
  }
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  ratio_reporter rep;
  benchmark::RunSpecifiedBenchmarks(&rep);
  auto get = [&](const char* k) { return rep.seconds.count(k) ? rep.seconds[k] : 0.0; };
  const double base = get("BM_baseline/real_time"), one = get("BM_library/1/real_time"),
               two = get("BM_library/2/real_time");
  auto cpu = [&](const char* k) { return rep.cpu.count(k) ? rep.cpu[k] : 0.0; };
  const double won = get("BM_library_won_only/real_time");
  if (base > 0 && one > 0)
    std::printf("funnel6 1000 reps x 36 months, one thread: baseline %.3f s, library %.3f s "
                "(full record): %.2fx faster (CPU time: %.3f s vs %.3f s, %.2fx)\n",
                base, one, base / one, cpu("BM_baseline/real_time"), cpu("BM_library/1/real_time"),
                cpu("BM_baseline/real_time") / cpu("BM_library/1/real_time"));
  if (base > 0 && won > 0)
    std::printf("library recording only Won (what the baseline records): %.3f s: %.2fx faster\n", won, base / won);
  if (one > 0 && two > 0) std::printf("library 2 threads %.3f s: %.2fx the speed of 1 thread\n", two, one / two);
  benchmark::Shutdown();
  return 0;
}
#endif
