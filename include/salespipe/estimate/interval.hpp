// salespipe/estimate/interval.hpp — an interval estimate [lower, upper].
#ifndef SALESPIPE_ESTIMATE_INTERVAL_HPP
#define SALESPIPE_ESTIMATE_INTERVAL_HPP

namespace salespipe::estimate {

/// A closed interval (credible or confidence interval, as the producer states).
struct interval {
  double lower = 0;
  double upper = 0;
  bool contains(double x) const noexcept { return lower <= x && x <= upper; }
  double width() const noexcept { return upper - lower; }
};

}  // namespace salespipe::estimate

#endif  // SALESPIPE_ESTIMATE_INTERVAL_HPP
