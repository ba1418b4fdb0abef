// libFuzzer target: a model file (MODEL_FORMAT.md) read, validated and run through the
// steady state, coverage, a short exact forecast and a tiny Monte Carlo run. A clear refusal
// (salespipe::error) is an answer; any other exception, a crash, a hang, a sanitizer report,
// a NaN or a probability outside [0, 1] is a finding.
#include <cstddef>
#include <cstdint>
#include <string>

#include <salespipe/analytic/coverage.hpp>
#include <salespipe/analytic/forecast.hpp>
#include <salespipe/analytic/steady_state.hpp>
#include <salespipe/error.hpp>
#include <salespipe/io/json.hpp>
#include <salespipe/simulate/engine.hpp>

#include "fuzz_check.hpp"

namespace an = salespipe::analytic;
namespace sim = salespipe::simulate;
using salespipe_fuzz::not_nan;
using salespipe_fuzz::probability;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const salespipe::pipeline p =
        salespipe::io::make_pipeline(salespipe::io::read_model_string(text, "fuzz.json"), "fuzz.json");
    const an::steady_state ss = an::solve_steady_state(p);
    for (const auto& o : ss.outcomes) {
      probability(o.probability, "outcome probability");
      not_nan(o.entry_rate, "outcome entry rate");
    }
    for (const auto& s : ss.stages) {
      not_nan(s.entry_rate, "stage entry rate");
      not_nan(s.wip, "stage WIP");
      for (double x : s.p_absorb) probability(x, "absorption probability");
    }
    if (p.target()) {
      const an::coverage cov = an::solve_coverage(p);
      not_nan(cov.scale, "coverage scale");
      for (const auto& st : cov.stages) not_nan(st.required_wip, "required WIP");
    }
    an::forecast_options fo;
    fo.steps_per_period = 4;
    fo.max_bytes = std::size_t(16) << 20;
    const an::forecast_result f = an::forecast(p, 3, fo);
    for (std::size_t v = 0; v < p.node_count(); ++v)
      for (std::size_t k = 0; k < 3; ++k) not_nan(f.entries(v, k), "forecast entries");
    if (const auto& t = p.target(); t && f.single_entry(t->node_index)) {
      double mean = 0;
      for (std::size_t k = 0; k < 3; ++k) mean += f.entries(t->node_index, k);
      if (mean < 1e4) {
        const auto d = f.entries_distribution(t->node_index, {0, 3});
        double total = 0;
        for (double x : d.pmf) total += x;
        salespipe_fuzz::require(std::abs(total - 1) < 1e-6, "count distribution does not sum to 1");
      }
    }
    sim::options so;
    so.periods = 3;
    so.replications = 20;
    so.chunk_size = 10;
    so.max_stage_entries = 2e5;
    so.memory_limit = std::size_t(64) << 20;
    if (p.has_deals()) (void)sim::run(p, so);
  } catch (const salespipe::error&) {
  }
  return 0;
}
