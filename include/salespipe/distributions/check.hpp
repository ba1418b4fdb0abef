// salespipe/distributions/check.hpp — parameter checks shared by the distributions.
#ifndef SALESPIPE_DISTRIBUTIONS_CHECK_HPP
#define SALESPIPE_DISTRIBUTIONS_CHECK_HPP

#include <cmath>
#include <string>

#include <salespipe/detail/format.hpp>
#include <salespipe/error.hpp>

namespace salespipe::detail {

/// Throws invalid_model "<dist>: <param> must be finite and > 0, got x" unless x > 0.
inline double require_positive(const char* dist, const char* param, double x) {
  if (!(std::isfinite(x) && x > 0))
    throw invalid_model(std::string(dist) + ": " + param + " must be finite and > 0, got " + num(x));
  return x;
}

/// Throws invalid_model unless x is finite and >= 0 (times and values are never negative).
inline double require_non_negative(const char* dist, const char* param, double x) {
  if (!(std::isfinite(x) && x >= 0))
    throw invalid_model(std::string(dist) + ": " + param + " must be finite and >= 0, got " + num(x));
  return x;
}

}  // namespace salespipe::detail

#endif  // SALESPIPE_DISTRIBUTIONS_CHECK_HPP
