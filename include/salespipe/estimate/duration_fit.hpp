// salespipe/estimate/duration_fit.hpp — censored maximum-likelihood fits of a duration
// (exponential, gamma, lognormal, weibull), chosen by AIC, with a goodness-of-fit
// figure (Kolmogorov–Smirnov distance to the Kaplan–Meier curve) and the empirical
// distribution as fallback.
//
// Log-likelihood: sum over events of log f(t) + sum over censored of log S(t).
// Exponential: closed form for exact times, else Brent (Boost.Math tools/minima.hpp);
// the others are minimised with Nelder–Mead (estimate/detail/nelder_mead.hpp) over
// log-parameters (lognormal: mu, log sigma). Intervals: Wald intervals from the
// numerical observed information on that scale, mapped back (so they stay positive).
// With exact times (resolution 0), times of 0 are replaced by half the smallest
// positive time for the parametric fits (noted in `warnings`); with a resolution
// (whole days) an event at 0 means 0 < T <= r/2. The empirical fallback keeps them.
#ifndef SALESPIPE_ESTIMATE_DURATION_FIT_HPP
#define SALESPIPE_ESTIMATE_DURATION_FIT_HPP

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/math/policies/policy.hpp>
#include <boost/math/special_functions/erf.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <boost/math/tools/minima.hpp>

#include <salespipe/detail/format.hpp>
#include <salespipe/distribution.hpp>
#include <salespipe/error.hpp>
#include <salespipe/estimate/detail/nelder_mead.hpp>
#include <salespipe/estimate/interval.hpp>
#include <salespipe/estimate/kaplan_meier.hpp>

namespace salespipe::estimate {

enum class family { exponential, gamma, lognormal, weibull, empirical };

inline const char* to_string(family f) noexcept {
  constexpr const char* names[] = {"exponential", "gamma", "lognormal", "weibull", "empirical"};
  return names[static_cast<int>(f)];
}

/// One candidate family's fit.
struct family_fit {
  family kind = family::exponential;
  bool ok = false;                 ///< converged with a positive-definite information
  std::vector<std::string> names;  ///< parameter names, e.g. {"shape", "scale"}
  std::vector<double> params;      ///< maximum-likelihood estimates
  std::vector<interval> ci;        ///< Wald intervals at the requested level
  double log_likelihood = -std::numeric_limits<double>::infinity();
  double aic = std::numeric_limits<double>::infinity();
  double ks = 1;  ///< sup |F_fit - F_KM| over the KM curve's range
  std::optional<distribution> dist;
  /// Covariance of the working-scale parameters (log mean; log shape, log scale; lognormal
  /// mu, log sigma) from the observed information, row-major (1 or 4 entries); empty when
  /// the information was not positive definite. Used to draw from the approximate posterior.
  std::vector<double> cov;
};

struct duration_fit_options {
  std::vector<family> families{family::exponential, family::gamma, family::lognormal, family::weibull};
  std::size_t min_events = 10;  ///< fewer events: empirical distribution
  bool force_empirical = false;
  double level = 0.95;  ///< interval level
  /// The AIC-best family is rejected (empirical fallback) when its KS distance to the
  /// KM curve exceeds ks_limit / sqrt(events) (2: beyond the 0.1% point of the
  /// Kolmogorov distribution for uncensored data). Infinity: never reject.
  double ks_limit = 2.0;
  /// > 0: event times are rounded to this resolution (e.g. whole days), so an event at
  /// t contributes log P(t - r/2 < T <= t + r/2) instead of log f(t). 0: exact times.
  double resolution = 0;
};

/// The chosen fit and what it was chosen from.
struct duration_fit {
  family chosen = family::empirical;
  distribution dist = fixed_dist(0);
  std::vector<family_fit> candidates;  ///< every family tried, in option order
  km_curve km;                         ///< Kaplan–Meier of the data
  std::size_t n = 0, events = 0;
  double ks = 1;  ///< goodness of fit of the chosen distribution
  std::vector<std::string> warnings;
  /// The chosen candidate (nullptr for the empirical fallback).
  const family_fit* best() const noexcept {
    for (const auto& c : candidates)
      if (c.kind == chosen) return &c;
    return nullptr;
  }
};

namespace detail {

/// Double precision throughout: Boost.Math's default promotes double to long double,
/// which makes gamma_p/gamma_q ~50x slower here for no gain in a likelihood.
using fast_policy = boost::math::policies::policy<boost::math::policies::promote_double<false>>;

/// Distinct observations with their multiplicity (CRM durations repeat a lot).
struct obs {
  double t;
  bool event;
  double w;
};

inline std::vector<obs> group(const std::vector<double>& t, const std::vector<bool>& ev) {
  std::map<std::pair<double, bool>, double> m;
  for (std::size_t i = 0; i < t.size(); ++i) m[{t[i], ev[i]}] += 1;
  std::vector<obs> out;
  for (const auto& [k, w] : m) out.push_back({k.first, k.second, w});
  return out;
}

/// Survival S(x) and density log f(x) of family f at parameters p (log scale; lognormal
/// p[0] = mu), and the probability of (lo, hi].
struct family_eval {
  family f;
  double a, b, lg = 0;  // natural parameters; lg = lgamma(shape) for gamma
  family_eval(family fam, const point2& p) : f(fam), a(std::exp(p[0])), b(std::exp(p[1])) {
    if (f == family::lognormal) a = p[0];
    if (f == family::gamma) lg = boost::math::lgamma(a, fast_policy());
  }
  double surv(double x) const {
    if (x <= 0) return 1;
    switch (f) {
      case family::exponential: return std::exp(-x / a);
      case family::weibull: return std::exp(-std::pow(x / b, a));
      case family::gamma: return boost::math::gamma_q(a, x / b, fast_policy());
      default: return 0.5 * boost::math::erfc((std::log(x) - a) / (b * 1.4142135623730951), fast_policy());
    }
  }
  double cdf(double x) const {
    if (x <= 0) return 0;
    switch (f) {
      case family::exponential: return -std::expm1(-x / a);
      case family::weibull: return -std::expm1(-std::pow(x / b, a));
      case family::gamma: return boost::math::gamma_p(a, x / b, fast_policy());
      default: return 0.5 * boost::math::erfc(-(std::log(x) - a) / (b * 1.4142135623730951), fast_policy());
    }
  }
  double log_pdf(double x) const {
    switch (f) {
      case family::exponential: return -std::log(a) - x / a;
      case family::weibull: return std::log(a / b) + (a - 1) * std::log(x / b) - std::pow(x / b, a);
      case family::gamma: return (a - 1) * std::log(x) - x / b - a * std::log(b) - lg;
      default: {
        const double z = (std::log(x) - a) / b;
        return -std::log(x) - std::log(b) - 0.91893853320467274 /* log sqrt(2 pi) */ - 0.5 * z * z;
      }
    }
  }
};

/// Negative log-likelihood at log-parameters p. resolution > 0: event times are known
/// to that resolution (an event at t means t - r/2 < T <= t + r/2).
inline double neg_log_lik(family f, const point2& p, const std::vector<obs>& data, double resolution) {
  constexpr double inf = std::numeric_limits<double>::infinity();
  if (!(std::abs(p[0]) < 30 && std::abs(p[1]) < 30)) return inf;
  double ll = 0;
  try {
    const family_eval e(f, p);
    // memo of the last upper bound: whole-day data share bounds (t + 1/2 = (t+1) - 1/2)
    double memo_x = -1, memo_cdf = 0, memo_surv = -1;
    for (const auto& o : data) {
      if (!o.event) {
        ll += o.w * std::log(e.surv(o.t));
      } else if (resolution > 0) {  // log P(lo < T <= hi), from the more accurate tail
        const double lo = std::max(o.t - resolution / 2, 0.0), hi = o.t + resolution / 2;
        const double c_hi = e.cdf(hi);
        if (c_hi < 0.5) {
          const double c_lo = memo_x == lo ? memo_cdf : e.cdf(lo);
          ll += o.w * std::log(c_hi - c_lo);
          memo_x = hi, memo_cdf = c_hi, memo_surv = -1;
        } else {
          const double s_hi = e.surv(hi);
          const double s_lo = memo_x == lo && memo_surv >= 0 ? memo_surv : e.surv(lo);
          ll += o.w * std::log(s_lo - s_hi);
          memo_x = hi, memo_cdf = c_hi, memo_surv = s_hi;
        }
      } else {
        ll += o.w * e.log_pdf(o.t);
      }
    }
  } catch (const std::exception&) {
    return inf;
  }
  return std::isfinite(ll) ? -ll : inf;
}

/// sup |F - F_KM| at the KM curve's jumps (both sides); `shift` = half the resolution
/// (a KM jump at day t holds the events in (t - r/2, t + r/2]).
inline double ks_to_km(const distribution& d, const km_curve& km, double shift = 0) {
  double ks = 0, prev = 1;
  for (const auto& st : km.steps) {
    const double F = cdf(d, st.time + shift);
    ks = std::max({ks, std::abs(F - (1 - prev)), std::abs(F - (1 - st.surv))});
    prev = st.surv;
  }
  return ks;
}

inline family_fit fit_family(family f, const std::vector<obs>& data, std::size_t events, double resolution,
                             double level) {
  family_fit r;
  r.kind = f;
  const double z = boost::math::erfc_inv(1 - level) * std::sqrt(2.0);
  double sum = 0, sumlog = 0, sumlog2 = 0, ne = 0;
  for (const auto& o : data) {
    sum += o.w * o.t;
    if (o.event) {
      const double l = std::log(std::max(o.t, resolution / 4 + 1e-300));
      sumlog += o.w * l;
      sumlog2 += o.w * l * l;
      ne += o.w;
    }
  }
  if (f == family::exponential) {
    double m = sum / static_cast<double>(events), se = 1 / std::sqrt(static_cast<double>(events));
    r.names = {"mean"};
    if (resolution > 0) {  // no closed form: Brent on log mean (Boost.Math tools/minima.hpp)
      auto nll1 = [&](double lm) { return neg_log_lik(f, point2{lm, 0}, data, resolution); };
      std::uintmax_t iters = 200;
      const auto best = boost::math::tools::brent_find_minima(nll1, std::log(m) - 3, std::log(m) + 3, 40, iters);
      m = std::exp(best.first);
      const double h = 1e-3;
      const double d2 = (nll1(best.first + h) - 2 * best.second + nll1(best.first - h)) / (h * h);
      se = d2 > 0 ? 1 / std::sqrt(d2) : se;
      r.log_likelihood = -best.second;
    } else {
      r.log_likelihood = -static_cast<double>(events) * std::log(m) - sum / m;
    }
    r.params = {m};
    r.cov = {se * se};
    r.ci = {{m * std::exp(-z * se), m * std::exp(z * se)}};
    r.aic = 2 - 2 * r.log_likelihood;
    r.dist = exponential_dist(m);
    r.ok = std::isfinite(r.log_likelihood);
    return r;
  }
  // start: moments of the log event times (lognormal), converted per family
  const double ml = sumlog / ne;
  const double sl = std::sqrt(std::max(sumlog2 / ne - ml * ml, 1e-4));
  point2 start{};
  if (f == family::lognormal) start = {ml, std::log(sl)};
  if (f == family::weibull) start = {std::log(1.2 / sl), ml + 0.3};
  if (f == family::gamma) {
    const double k = std::min(1 / (sl * sl), 50.0);
    start = {std::log(k), ml + 0.5 * sl * sl - std::log(k)};
  }
  auto nll = [&](const point2& p) { return neg_log_lik(f, p, data, resolution); };
  auto res = nelder_mead(nll, start, {0.3, 0.3}, 1e-12, 3000);
  res = nelder_mead(nll, res.x, {0.05, 0.05}, 1e-13, 2000);  // restart: avoids a collapsed simplex
  double cov[2][2];
  const bool info = inverse_hessian(nll, res.x, 1e-3, cov);
  r.ok = res.converged && info && std::isfinite(res.f);
  r.log_likelihood = -res.f;
  r.aic = 4 + 2 * res.f;
  const double a = std::exp(res.x[0]), b = std::exp(res.x[1]);
  const double se0 = info ? std::sqrt(cov[0][0]) : 0, se1 = info ? std::sqrt(cov[1][1]) : 0;
  if (info) r.cov = {cov[0][0], cov[0][1], cov[1][0], cov[1][1]};
  if (f == family::lognormal) {
    r.names = {"mu", "sigma"};
    r.params = {res.x[0], b};
    r.ci = {{res.x[0] - z * se0, res.x[0] + z * se0}, {b * std::exp(-z * se1), b * std::exp(z * se1)}};
  } else {
    r.names = {"shape", "scale"};
    r.params = {a, b};
    r.ci = {{a * std::exp(-z * se0), a * std::exp(z * se0)}, {b * std::exp(-z * se1), b * std::exp(z * se1)}};
  }
  if (!r.ok) return r;
  try {
    if (f == family::gamma) r.dist = gamma_dist(a, b);
    if (f == family::weibull) r.dist = weibull_dist(a, b);
    if (f == family::lognormal) r.dist = lognormal_dist(res.x[0], b);
  } catch (const invalid_model&) {
    r.ok = false;
  }
  return r;
}

}  // namespace detail

/// Fits a duration to `times` (finite, >= 0) with event flags (false = right-censored)
/// and picks the family of least AIC among those that converged; falls back to the
/// empirical distribution of the event times when there are fewer than
/// `opt.min_events` events, when forced, when no family converged or when the best fits
/// badly (KS distance over opt.ks_limit / sqrt(events)); each fallback is a warning.
/// Throws invalid_option when there are no events or the input is bad.
inline duration_fit fit_duration(std::vector<double> times, const std::vector<bool>& events,
                                 const duration_fit_options& opt = {}) {
  duration_fit r;
  r.km = kaplan_meier(times, events);  // validates sizes and values
  r.n = times.size();
  r.events = r.km.events;
  if (r.events == 0) throw invalid_option("fit_duration: no events (every observation censored)");
  std::vector<double> observed;
  for (std::size_t i = 0; i < times.size(); ++i)
    if (events[i]) observed.push_back(times[i]);
  auto fall_back = [&](const std::string& why) {
    r.chosen = family::empirical;
    r.dist = empirical_dist(observed);
    r.ks = 0;  // a step function: compare F and 1 - S_KM at the same points
    for (const auto& st : r.km.steps) r.ks = std::max(r.ks, std::abs(cdf(r.dist, st.time) - (1 - st.surv)));
    if (r.events < r.n)
      r.warnings.push_back("empirical distribution of the " + std::to_string(r.events) + " event times (" + why +
                           "); the " + std::to_string(r.n - r.events) + " censored observations are not in it");
    else
      r.warnings.push_back("empirical distribution (" + why + ")");
  };
  if (opt.force_empirical) {
    fall_back("requested");
    return r;
  }
  if (r.events < opt.min_events) {
    fall_back("only " + std::to_string(r.events) + " events, fewer than " + std::to_string(opt.min_events));
    return r;
  }
  if (opt.resolution <= 0) {
    double min_pos = std::numeric_limits<double>::infinity();
    std::size_t zeros = 0;
    for (double x : times)
      if (x > 0) min_pos = std::min(min_pos, x);
    if (!std::isfinite(min_pos)) {
      fall_back("every time is 0");
      return r;
    }
    for (double& x : times)
      if (x <= 0) x = min_pos / 2, ++zeros;
    if (zeros > 0)
      r.warnings.push_back(std::to_string(zeros) + " times of 0 set to " + std::to_string(min_pos / 2) +
                           " for the parametric fits");
  }
  const auto data = detail::group(times, events);
  const family_fit* best = nullptr;
  for (family f : opt.families) {
    if (f == family::empirical) continue;
    r.candidates.push_back(detail::fit_family(f, data, r.events, opt.resolution, opt.level));
  }
  for (auto& c : r.candidates) {
    if (c.ok) c.ks = detail::ks_to_km(*c.dist, r.km, opt.resolution / 2);
    if (c.ok && (!best || c.aic < best->aic)) best = &c;
  }
  if (!best) {
    fall_back("no parametric family converged");
    return r;
  }
  const double ks_limit = opt.ks_limit / std::sqrt(static_cast<double>(r.events));
  if (best->ks > ks_limit) {
    fall_back(std::string("no family fits: the best by AIC, ") + to_string(best->kind) + ", is at KS distance " +
              salespipe::detail::num(best->ks) + " from the Kaplan-Meier curve, over " +
              salespipe::detail::num(opt.ks_limit) + "/sqrt(events) = " + salespipe::detail::num(ks_limit));
    return r;
  }
  r.chosen = best->kind;
  r.dist = *best->dist;
  r.ks = best->ks;
  return r;
}

}  // namespace salespipe::estimate

#endif  // SALESPIPE_ESTIMATE_DURATION_FIT_HPP
