// libFuzzer target: a LEVERS.json budget-lever file through the bounded parser, then a
// small budget allocated over its levers on the built-in example (lever names resolved,
// cost curves checked and evaluated). A clear refusal (salespipe::error) is an answer;
// any other exception, a crash, a sanitizer report or a NaN is a finding.
#include <cstddef>
#include <cstdint>
#include <string>

#include <salespipe/error.hpp>
#include <salespipe/example_model.hpp>
#include <salespipe/io/levers.hpp>
#include <salespipe/keylinks/reallocate.hpp>

#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const salespipe::pipeline example(salespipe::example_model());
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const auto levers = salespipe::io::read_budget_levers_string(text, "levers.json");
    if (levers.empty() || levers.size() > 8) return 0;
    salespipe::keylinks::allocation_options o;
    o.step = 2500;
    const auto a = salespipe::keylinks::allocate_budget(example, {}, levers, 10000, o);
    salespipe_fuzz::not_nan(a.base, "allocation base KPI");
    for (const auto& l : a.levers) salespipe_fuzz::not_nan(l.extra, "allocated spend");
  } catch (const salespipe::error&) {
  }
  return 0;
}
