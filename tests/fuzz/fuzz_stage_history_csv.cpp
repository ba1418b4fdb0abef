// libFuzzer target: a stage-history log (stage_history_csv.hpp) parsed, read and fitted;
// the fitted model must validate. A clear refusal (salespipe::error) is an answer; any
// other exception, a crash, a sanitizer report or an invalid fitted model is a finding.
#include <cstddef>
#include <cstdint>
#include <string>

#include <salespipe/error.hpp>
#include <salespipe/estimate/history_fit.hpp>
#include <salespipe/io/csv.hpp>
#include <salespipe/io/stage_history_csv.hpp>
#include <salespipe/pipeline.hpp>

#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  return salespipe_fuzz::read_fit_validate(
      [&] {
        salespipe::io::history_read_options ro;
        ro.skip_bad_rows = (size & 1) != 0;  // both reading modes
        return salespipe::io::read_stage_history(salespipe::io::parse_csv(text, "fuzz.csv"), ro);
      },
      [](const auto& d) { return salespipe::estimate::fit_history(d).fitted; });
}
