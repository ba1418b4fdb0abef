// tests/fuzz/fuzz_check.hpp — what every fuzz target treats as a finding besides crashes and
// sanitizer reports: a number that is NaN, a probability outside [0, 1], a fitted model
// that does not validate.
#ifndef SALESPIPE_FUZZ_CHECK_HPP
#define SALESPIPE_FUZZ_CHECK_HPP

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include <salespipe/error.hpp>
#include <salespipe/model.hpp>
#include <salespipe/pipeline.hpp>

namespace salespipe_fuzz {

/// Aborts (a libFuzzer finding, with the input saved) when `ok` is false.
inline void require(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "salespipe fuzz finding: %s\n", what);
  std::abort();
}
inline void probability(double p, const char* what) { require(p >= -1e-9 && p <= 1 + 1e-9, what); }
inline void not_nan(double x, const char* what) { require(!std::isnan(x), what); }

/// The CSV targets: read() and fit(data) may refuse (salespipe::error); a model that fit()
/// returns must validate.
template <class Read, class Fit>
int read_fit_validate(Read read, Fit fit) {
  salespipe::model fitted;
  try {
    fitted = fit(read());
  } catch (const salespipe::error&) {
    return 0;
  }
  try {
    const salespipe::pipeline p(fitted);
  } catch (const salespipe::error& e) {
    require(false, e.what());
  }
  return 0;
}

}  // namespace salespipe_fuzz

#endif  // SALESPIPE_FUZZ_CHECK_HPP
