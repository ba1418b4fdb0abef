// salespipe/period_window.hpp — a window of periods [from, to): period k is [k, k+1) in the
// model's time unit (a fiscal year {12, 24}). One type for both engines' results and the
// KPIs. Std only.
#ifndef SALESPIPE_PERIOD_WINDOW_HPP
#define SALESPIPE_PERIOD_WINDOW_HPP

#include <cstddef>

namespace salespipe {

/// Periods [from, to).
struct period_window {
  std::size_t from = 0;
  std::size_t to = 0;
  std::size_t size() const noexcept { return to - from; }
};

}  // namespace salespipe

#endif  // SALESPIPE_PERIOD_WINDOW_HPP
