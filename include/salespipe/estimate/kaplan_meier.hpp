// salespipe/estimate/kaplan_meier.hpp — Kaplan–Meier survival curve with right-censoring.
//
// Conventions (those of R's survival::survfit, conf.type = "log"):
//  - S jumps at the distinct event times; an observation censored at time t is still at
//    risk at an event time equal to t (it leaves the risk set after it);
//  - Greenwood: se(S) = S * sqrt(sum d / (n (n - d)));
//  - 95% interval S * exp(±z * se / S), upper end capped at 1 (z = 1.96 by default);
//    where S = 0 the standard error and the interval are NaN (undefined, as in R).
#ifndef SALESPIPE_ESTIMATE_KAPLAN_MEIER_HPP
#define SALESPIPE_ESTIMATE_KAPLAN_MEIER_HPP

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <numeric>
#include <optional>
#include <string>
#include <vector>

#include <salespipe/error.hpp>

namespace salespipe::estimate {

/// One event time of the curve: S(t) for t in [time, next time).
struct km_step {
  double time = 0;
  std::size_t n_risk = 0;   ///< at risk just before `time`
  std::size_t n_event = 0;  ///< events at `time`
  double surv = 1;          ///< S(time)
  double std_err = 0;       ///< Greenwood standard error of S
  double lower = 0;         ///< lower end of the "log" interval
  double upper = 1;         ///< upper end, capped at 1
};

/// The estimated survival curve, a step function.
struct km_curve {
  std::vector<km_step> steps;  ///< one per distinct event time, ascending
  std::size_t n = 0;           ///< observations
  std::size_t events = 0;      ///< of which events (the rest censored)
  double max_time = 0;         ///< largest observed time (event or censored)

  /// S(t): 1 before the first event time.
  double survival(double t) const noexcept {
    double s = 1;
    for (const auto& st : steps) {
      if (st.time > t) break;
      s = st.surv;
    }
    return s;
  }
  /// Smallest event time with S <= 1 - p, or nullopt when the curve never gets there
  /// (a plateau: too much censoring, or a mass that never has the event).
  std::optional<double> quantile(double p) const noexcept {
    for (const auto& st : steps)
      if (st.surv <= 1 - p + 1e-12) return st.time;
    return std::nullopt;
  }
  std::optional<double> median() const noexcept { return quantile(0.5); }
};

/// Kaplan–Meier estimate from observed times (>= 0, finite) and event flags
/// (true = event, false = right-censored). `z` sets the interval (1.96: 95%).
/// Throws invalid_option when the sizes differ, the input is empty or a time is bad.
inline km_curve kaplan_meier(const std::vector<double>& times, const std::vector<bool>& events, double z = 1.96) {
  if (times.size() != events.size()) throw invalid_option("kaplan_meier: times and events differ in size");
  if (times.empty()) throw invalid_option("kaplan_meier: no observations");
  for (std::size_t i = 0; i < times.size(); ++i)
    if (!(std::isfinite(times[i]) && times[i] >= 0))
      throw invalid_option("kaplan_meier: times[" + std::to_string(i) + "] must be finite and >= 0");
  std::vector<std::size_t> order(times.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return times[a] < times[b]; });

  km_curve c;
  c.n = times.size();
  std::size_t at_risk = c.n;
  double s = 1, greenwood = 0;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (std::size_t k = 0; k < order.size();) {
    const double t = times[order[k]];
    std::size_t d = 0, m = 0;
    for (; k < order.size() && times[order[k]] == t; ++k, ++m) d += events[order[k]] ? std::size_t{1} : std::size_t{0};
    if (d > 0) {
      const double nr = static_cast<double>(at_risk), dd = static_cast<double>(d);
      s *= 1 - dd / nr;
      km_step st;
      st.time = t;
      st.n_risk = at_risk;
      st.n_event = d;
      st.surv = s;
      if (d < at_risk && s > 0) {
        greenwood += dd / (nr * (nr - dd));
        const double g = std::sqrt(greenwood);
        st.std_err = s * g;
        st.lower = s * std::exp(-z * g);
        st.upper = std::min(1.0, s * std::exp(z * g));
      } else {
        st.std_err = st.lower = st.upper = nan;
      }
      c.steps.push_back(st);
      c.events += d;
    }
    at_risk -= m;
    c.max_time = t;
  }
  return c;
}

}  // namespace salespipe::estimate

#endif  // SALESPIPE_ESTIMATE_KAPLAN_MEIER_HPP
