// salespipe/simulate/summary.hpp — summaries of a run over windows of periods: mean,
// SD, standard error, quantiles, P(window total >= threshold).
#ifndef SALESPIPE_SIMULATE_SUMMARY_HPP
#define SALESPIPE_SIMULATE_SUMMARY_HPP

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

#include <salespipe/error.hpp>
#include <salespipe/period_window.hpp>
#include <salespipe/simulate/results.hpp>

namespace salespipe::simulate {

/// Periods [from, to) (period k = [k, k+1) time units), e.g. a fiscal year {12, 24}: the
/// one window type of both engines.
using window = period_window;

/// A Monte Carlo estimate and its standard error.
struct mc_estimate {
  double value = 0;
  double standard_error = 0;
};

/// Distribution of a quantity over replications. quantile(p) uses linear interpolation
/// between order statistics (R's type 7). sd is the sample SD (n − 1);
/// standard_error = sd / √n, the standard error of mean.
struct summary {
  std::size_t n = 0;
  double mean = 0, sd = 0, standard_error = 0;
  double p5 = 0, p10 = 0, p50 = 0, p90 = 0, p95 = 0;
};

/// The p-quantile (p in [0, 1]) of `sorted` (ascending, non-empty), type 7.
inline double quantile_sorted(const std::vector<double>& sorted, double p) {
  const double h = (static_cast<double>(sorted.size()) - 1) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

/// Summary of samples (one per replication). Throws invalid_option when empty.
inline summary summarize(std::vector<double> x) {
  if (x.empty()) throw invalid_option("summarize: no replications");
  summary s;
  s.n = x.size();
  double sum = 0;
  for (double v : x) sum += v;
  s.mean = sum / static_cast<double>(s.n);
  double ss = 0;
  for (double v : x) ss += (v - s.mean) * (v - s.mean);
  s.sd = s.n > 1 ? std::sqrt(ss / static_cast<double>(s.n - 1)) : 0.0;
  s.standard_error = s.sd / std::sqrt(static_cast<double>(s.n));
  std::sort(x.begin(), x.end());
  s.p5 = quantile_sorted(x, 0.05), s.p10 = quantile_sorted(x, 0.10);
  s.p50 = quantile_sorted(x, 0.50), s.p90 = quantile_sorted(x, 0.90);
  s.p95 = quantile_sorted(x, 0.95);
  return s;
}

/// Throws invalid_option unless w is a non-empty window inside r's horizon.
inline void check_window(const results& r, window w) {
  if (!(w.from < w.to && w.to <= r.periods()))
    throw invalid_option("window [" + std::to_string(w.from) + ", " + std::to_string(w.to) +
                         ") is not a non-empty range of periods inside the horizon [0, " + std::to_string(r.periods()) +
                         ")");
}

/// Per replication: the total of q for node over window w (for wip: the sum of the
/// period-end WIPs). Throws invalid_option for a window outside the horizon or a
/// quantity not recorded.
inline std::vector<double> window_totals(const results& r, quantity q, std::size_t node, window w) {
  check_window(r, w);
  std::vector<double> out(r.replications());
  for (std::size_t i = 0; i < out.size(); ++i) {
    const double* row = r.row(q, node, i);
    double s = 0;
    for (std::size_t k = w.from; k < w.to; ++k) s += row[k];
    out[i] = s;
  }
  return out;
}

/// Summary of the window totals of q for node. Throws as window_totals, and
/// invalid_option when r holds no replication.
inline summary summarize(const results& r, quantity q, std::size_t node, window w) {
  return summarize(window_totals(r, q, node, w));
}

/// One summary per period k (window [k, k+1)).
inline std::vector<summary> per_period(const results& r, quantity q, std::size_t node) {
  std::vector<summary> out;
  for (std::size_t k = 0; k < r.periods(); ++k) out.push_back(summarize(r, q, node, {k, k + 1}));
  return out;
}

/// Rolling windows of `length` periods ending at each period: element j summarises
/// [j, j + length), for j = 0 .. periods − length. Throws invalid_option when length is
/// 0 or longer than the horizon.
inline std::vector<summary> rolling(const results& r, quantity q, std::size_t node, std::size_t length) {
  if (length == 0 || length > r.periods())
    throw invalid_option("rolling: length must be in [1, " + std::to_string(r.periods()) + "], got " +
                         std::to_string(length));
  std::vector<summary> out;
  for (std::size_t j = 0; j + length <= r.periods(); ++j) out.push_back(summarize(r, q, node, {j, j + length}));
  return out;
}

/// P(window total of q for node >= threshold), with its binomial standard error.
inline mc_estimate probability_at_least(const results& r, quantity q, std::size_t node, window w, double threshold) {
  const auto x = window_totals(r, q, node, w);
  if (x.empty()) throw invalid_option("probability_at_least: no replications");
  std::size_t hits = 0;
  for (double v : x) hits += v >= threshold;
  const double n = static_cast<double>(x.size()), p = static_cast<double>(hits) / n;
  return {p, std::sqrt(p * (1 - p) / n)};
}

}  // namespace salespipe::simulate

#endif  // SALESPIPE_SIMULATE_SUMMARY_HPP
