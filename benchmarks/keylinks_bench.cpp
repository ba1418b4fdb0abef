// Budget allocation over every lever of funnel6 (../shared/bench/funnel6.md: 5 conversions,
// 5 durations, the source and Won's value: L = 12), maximising the steady-state value rate
// at Won: each greedy step solves L candidate models exactly. The KPI is a cheap 5×5 LU, so
// the time is what it costs to build a candidate: how often the model is copied and
// validated per candidate (issue 12: once, not once per lever).
//
// BM_candidate_* measure one candidate model with every lever moved, in the same binary:
//   per_lever  the lever-by-lever path (validate, resolve the lever by name, scale a copy;
//              L copies and L validations per candidate): what allocate_budget did before;
//   edit       salespipe::with(): one copy, L edits by index, one validation.
//
//   build-x/benchmarks/bench_keylinks_bench [--benchmark_repetitions=5]
#ifndef NDEBUG
#include <cstdio>
int main() {
  std::fprintf(stderr, "bench_keylinks_bench: built with assertions on (NDEBUG undefined); "
                       "refusing to report timings. Build with -DCMAKE_BUILD_TYPE=Release.\n");
  return 1;
}
#else
#include <benchmark/benchmark.h>

#include <cstddef>
#include <vector>

#include <salespipe/keylinks/reallocate.hpp>

#include "../tests/support/funnel6.hpp"

namespace {

namespace kl = salespipe::keylinks;
using salespipe_test::funnel6;

std::vector<kl::budget_lever> every_lever(const salespipe::pipeline& p) {
  std::vector<kl::budget_lever> out;
  for (const auto& l : kl::all_levers(p)) out.push_back({l.name(), 0, kl::cost_curve::saturating(10, 0.3)});
  return out;
}

kl::kpi_spec value_rate() {
  kl::kpi_spec k;
  k.kind = kl::kpi_kind::value_rate;
  k.node = "Won";
  return k;
}

// 50 greedy steps over the L = 12 levers: about 50 × 12 candidate models.
void BM_allocate_budget(benchmark::State& state) {
  const auto p = funnel6();
  const auto levers = every_lever(p);
  kl::allocation_options o;
  o.step = 1;
  std::size_t evaluations = 0;
  for (auto _ : state) {
    const auto a = kl::allocate_budget(p, value_rate(), levers, 50, o);
    evaluations = a.evaluations;
    benchmark::DoNotOptimize(a.optimum);
  }
  state.counters["levers"] = static_cast<double>(levers.size());
  state.counters["evaluations"] = static_cast<double>(evaluations);
}
BENCHMARK(BM_allocate_budget)->Unit(benchmark::kMillisecond);

// One candidate, lever by lever: validate, resolve by name, scale a copy (L times).
void BM_candidate_per_lever(benchmark::State& state) {
  const auto p = funnel6();
  const auto levers = every_lever(p);
  for (auto _ : state) {
    salespipe::model m = p.model();
    for (const auto& b : levers) {
      const salespipe::pipeline q(m);
      m = kl::scale_lever(q, kl::parse_lever(q, b.lever), 1.01);
    }
    const salespipe::pipeline q(m);
    benchmark::DoNotOptimize(q.stage_count());
  }
}
BENCHMARK(BM_candidate_per_lever)->Unit(benchmark::kMicrosecond);

#ifdef SALESPIPE_EDIT_HPP
// One candidate through the edit vocabulary: one copy, L edits by index, one validation.
void BM_candidate_edit(benchmark::State& state) {
  const auto p = funnel6();
  std::vector<salespipe::parameter_change> changes;
  for (const auto& l : salespipe::all_parameters(p)) changes.push_back({l, 1.01});
  for (auto _ : state) {
    const salespipe::pipeline q = salespipe::with(p, changes);
    benchmark::DoNotOptimize(q.stage_count());
  }
}
BENCHMARK(BM_candidate_edit)->Unit(benchmark::kMicrosecond);
#endif

}  // namespace

BENCHMARK_MAIN();
#endif
