// salespipe/io/detail/json_number.hpp — a double as JSON where a non-finite value must be
// written as null explicitly (the results' to_json).
#ifndef SALESPIPE_IO_DETAIL_JSON_NUMBER_HPP
#define SALESPIPE_IO_DETAIL_JSON_NUMBER_HPP

#include <cmath>

#include <nlohmann/json.hpp>

namespace salespipe::io::detail {

/// x, or null when it is not finite (NaN: not defined; ±inf: unbounded).
inline nlohmann::ordered_json finite_or_null(double x) {
  return std::isfinite(x) ? nlohmann::ordered_json(x) : nlohmann::ordered_json(nullptr);
}

}  // namespace salespipe::io::detail

#endif  // SALESPIPE_IO_DETAIL_JSON_NUMBER_HPP
