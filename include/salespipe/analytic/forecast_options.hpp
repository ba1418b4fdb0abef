// salespipe/analytic/forecast_options.hpp — the options of forecast() (analytic/forecast.hpp).
#ifndef SALESPIPE_ANALYTIC_FORECAST_OPTIONS_HPP
#define SALESPIPE_ANALYTIC_FORECAST_OPTIONS_HPP

#include <cstddef>

namespace salespipe::analytic {

/// Options of forecast().
struct forecast_options {
  std::size_t steps_per_period = 32;               ///< lattice points per period (h = 1 / this), >= 1
  std::size_t max_bytes = std::size_t(256) << 20;  ///< memory limit of the lattice (bytes)
};

}  // namespace salespipe::analytic

#endif  // SALESPIPE_ANALYTIC_FORECAST_OPTIONS_HPP
