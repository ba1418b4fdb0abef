// salespipe/distributions/empirical.hpp — resampling of observed durations or values.
#ifndef SALESPIPE_DISTRIBUTIONS_EMPIRICAL_HPP
#define SALESPIPE_DISTRIBUTIONS_EMPIRICAL_HPP

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <salespipe/distributions/check.hpp>
#include <salespipe/random.hpp>

namespace salespipe {

/// The empirical distribution of observed samples, each with weight 1/n.
/// Copies share the (immutable, sorted) samples. Throws invalid_model for no samples
/// or a negative or non-finite sample (the message gives its index).
class empirical_dist {
 public:
  explicit empirical_dist(std::vector<double> samples) {
    if (samples.empty()) throw invalid_model("empirical: samples must not be empty");
    for (std::size_t i = 0; i < samples.size(); ++i)
      if (!(std::isfinite(samples[i]) && samples[i] >= 0))
        throw invalid_model("empirical: samples[" + std::to_string(i) + "] must be finite and >= 0, got " +
                            detail::num(samples[i]));
    given_ = std::make_shared<const std::vector<double>>(samples);
    std::sort(samples.begin(), samples.end());
    sorted_ = std::make_shared<const std::vector<double>>(std::move(samples));
  }
  /// Samples in ascending order.
  const std::vector<double>& sorted() const noexcept { return *sorted_; }
  /// Samples in the order given (kept so files round-trip).
  const std::vector<double>& given() const noexcept { return *given_; }
  std::size_t size() const noexcept { return sorted_->size(); }
  /// Number of samples strictly greater than x.
  std::size_t count_above(double x) const {
    const auto& s = *sorted_;
    return static_cast<std::size_t>(s.end() - std::upper_bound(s.begin(), s.end(), x));
  }
  /// Index into sorted() drawn uniformly from [first, size()).
  std::size_t draw_index(random_engine& rng, std::size_t first = 0) const {
    const auto n = static_cast<double>(size() - first);
    auto k = static_cast<std::size_t>(rng.uniform() * n);
    return first + std::min(k, size() - first - 1);
  }

 private:
  std::shared_ptr<const std::vector<double>> sorted_;
  std::shared_ptr<const std::vector<double>> given_;
};

inline double mean(const empirical_dist& d) {
  double s = 0;
  for (double x : d.sorted()) s += x;
  return s / static_cast<double>(d.size());
}
inline double variance(const empirical_dist& d) {
  const double m = mean(d);
  double s = 0;
  for (double x : d.sorted()) s += (x - m) * (x - m);
  return s / static_cast<double>(d.size());
}
inline double cdf(const empirical_dist& d, double x) {
  return 1.0 - static_cast<double>(d.count_above(x)) / static_cast<double>(d.size());
}
inline double survival(const empirical_dist& d, double x) {
  return static_cast<double>(d.count_above(x)) / static_cast<double>(d.size());
}
/// Lower quantile: the smallest sample with cdf >= p.
inline double quantile(const empirical_dist& d, double p) {
  const auto n = d.size();
  auto k = static_cast<std::size_t>(std::ceil(p * static_cast<double>(n)));
  k = k == 0 ? 0 : k - 1;
  return d.sorted()[std::min(k, n - 1)];
}
inline double sample(const empirical_dist& d, random_engine& rng) { return d.sorted()[d.draw_index(rng)]; }
/// Remaining time given `age`: resampled from the samples above `age` (there must be
/// one; the pipeline checks this when it validates the open pipeline).
inline double sample_remaining(const empirical_dist& d, double age, random_engine& rng) {
  const std::size_t first = d.size() - d.count_above(age);
  return d.sorted()[d.draw_index(rng, first)] - age;
}

}  // namespace salespipe

#endif  // SALESPIPE_DISTRIBUTIONS_EMPIRICAL_HPP
