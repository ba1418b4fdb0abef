// salespipe/estimate/opportunities.hpp — fit a model from an opportunity table.
//
// The fitted model has one stage (the stage whose entry date is the table's start
// date, e.g. Engaging) with one route per outcome (Won, Lost, ...):
//  - route probabilities: Dirichlet(1, ..., 1) posterior of the closed deals' outcomes
//    (posterior means in the model). Open deals have not chosen a route and are not
//    counted. This is unbiased when open deals are a small, recent part of the history;
//    with many young open deals the faster route is over-represented (a warning says so).
//  - time in stage per route ("won and lost deals leave at different speeds"): censored
//    ML fit (duration_fit.hpp) of that route's closed deals' start-to-close times, as a
//    per-route duration override; the stage duration is the fit over all closed deals.
//  - value of the value outcome (e.g. Won): the empirical distribution of its amounts.
//  - source: deals started per time unit over the history (exact Poisson interval).
//  - open pipeline: the open deals with their ages, except stale ones.
// Stale deals: open deals at least as old as the longest closed deal are reported (a
// warning) and left out of the open pipeline (no fitted route could still be open); with stale_after_days, open deals older
// than that count as taking the lost route after stale_after_days (reported count).
// Times are converted to the caller's unit (day 1, week 7, month 30.436875 days, ...).
#ifndef SALESPIPE_ESTIMATE_OPPORTUNITIES_HPP
#define SALESPIPE_ESTIMATE_OPPORTUNITIES_HPP

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <boost/math/special_functions/erf.hpp>
#include <boost/math/special_functions/gamma.hpp>

#include <salespipe/detail/format.hpp>
#include <salespipe/distribution.hpp>
#include <salespipe/error.hpp>
#include <salespipe/estimate/beta_posterior.hpp>
#include <salespipe/estimate/duration_fit.hpp>
#include <salespipe/estimate/fit_report.hpp>
#include <salespipe/estimate/kaplan_meier.hpp>
#include <salespipe/estimate/opportunity_table.hpp>
#include <salespipe/io/date.hpp>
#include <salespipe/model.hpp>

namespace salespipe::estimate {

/// Days in one time unit (month = 365.2425 / 12 days).
constexpr double days_per(time_unit u) noexcept {
  constexpr double d[] = {1, 7, 365.2425 / 12, 365.2425 / 4, 365.2425};
  return d[static_cast<int>(u)];
}

struct fit_options {
  time_unit unit = time_unit::day;
  std::string name = "fitted";
  std::string stage = "Engaging";         ///< model stage id
  std::string value_outcome = "Won";      ///< outcome whose amounts are the deal value
  std::string lost_outcome = "Lost";      ///< outcome of deals declared lost by stale_after_days
  std::optional<double> stale_after_days; ///< open deals older than this count as lost
  std::size_t thin = 30;                  ///< fewer closed deals than this: warning
  double level = 0.95;                    ///< interval level
  duration_fit_options durations;
  /// Dates are whole days: durations are fitted as known to +-half a day
  /// (durations.resolution = 1 day in the model unit, unless set).
  bool whole_days = true;
};

struct fit_result {
  model fitted;
  fit_report report;
};

/// Fits the model. Throws parse_error(file, why) when there are no deals or no closed
/// deals (nothing to estimate routes from), invalid_option for a bad option.
inline fit_result fit_opportunities(const opportunity_data& data, const fit_options& opt = {}) {
  if (data.deals.empty()) throw parse_error(data.file, "no deals to fit (every row was skipped)");
  if (opt.stale_after_days && !(*opt.stale_after_days > 0))
    throw invalid_option("stale_after_days must be > 0");
  const double dpu = days_per(opt.unit);
  const double zq = boost::math::erfc_inv(1 - opt.level) * std::sqrt(2.0);
  auto dopt = opt.durations;
  if (opt.whole_days && dopt.resolution == 0) dopt.resolution = 1 / dpu;
  fit_report rep;
  rep.stage = opt.stage;
  rep.unit = std::string(to_string(opt.unit));
  rep.level = opt.level;
  rep.rows = data.rows;
  rep.deals = data.deals.size();
  rep.skipped = data.skipped;
  const std::size_t J = data.outcomes.size();
  if (J < 2) throw invalid_option("fit_opportunities: the stage map needs at least two outcomes (e.g. Won, Lost)");
  std::size_t lost_k = J, value_k = J;
  for (std::size_t k = 0; k < J; ++k) {
    if (data.outcomes[k] == opt.lost_outcome) lost_k = k;
    if (data.outcomes[k] == opt.value_outcome) value_k = k;
  }
  if (opt.stale_after_days && lost_k == J)
    throw invalid_option("stale_after_days: no outcome '" + opt.lost_outcome + "' to count stale deals as");

  // closed durations per route (days), open ages
  std::vector<std::vector<double>> days(J);
  std::vector<double> all_days, values, open_ages;
  std::vector<double> km_t;
  std::vector<bool> km_e;
  double max_closed = 0;
  std::size_t closed = 0, value_missing = 0;
  for (const auto& d : data.deals)
    if (!d.is_open()) max_closed = std::max(max_closed, static_cast<double>(*d.close - d.start));
  for (const auto& d : data.deals) {
    if (d.is_open()) {
      const double age = static_cast<double>(data.as_of - d.start);
      km_t.push_back(age / dpu);
      km_e.push_back(false);
      ++rep.open;
      if (opt.stale_after_days && age > *opt.stale_after_days) {
        days[lost_k].push_back(*opt.stale_after_days);
        all_days.push_back(*opt.stale_after_days);
        ++rep.stale_as_lost;
      } else if (max_closed > 0 && age >= max_closed) {
        ++rep.stale;
      } else {
        open_ages.push_back(age / dpu);
      }
      continue;
    }
    const double t = static_cast<double>(*d.close - d.start);
    days[d.outcome].push_back(t);
    all_days.push_back(t);
    km_t.push_back(t / dpu);
    km_e.push_back(true);
    ++closed;
    if (d.outcome == value_k) {
      if (std::isnan(d.amount)) ++value_missing;
      else values.push_back(d.amount);
    }
  }
  rep.closed = closed;
  rep.max_closed_days = max_closed;
  if (closed == 0)
    throw parse_error(data.file, "no closed deals (" + std::to_string(rep.open) +
                                     " open): route probabilities and durations cannot be estimated");
  rep.time_to_close = kaplan_meier(km_t, km_e);
  if (closed < opt.thin)
    rep.warnings.push_back("thin data: " + std::to_string(closed) + " closed deals in stage '" + opt.stage +
                           "' (fewer than " + std::to_string(opt.thin) + ")");
  if (rep.stale > 0)
    rep.warnings.push_back(std::to_string(rep.stale) + " of " + std::to_string(rep.open) +
                           " open deals are at least as old as the longest closed deal (" + salespipe::detail::num(max_closed) +
                           " days): they look stale and are left out of the open pipeline; "
                           "use stale_after_days to count them as lost");
  if (rep.stale_as_lost > 0)
    rep.warnings.push_back(std::to_string(rep.stale_as_lost) + " open deals older than " +
                           salespipe::detail::num(*opt.stale_after_days) + " days counted as '" + opt.lost_outcome +
                           "' after " + salespipe::detail::num(*opt.stale_after_days) + " days");
  if (!rep.time_to_close.steps.empty() && rep.time_to_close.steps.back().surv > 0 && rep.stale > 0)
    rep.warnings.push_back("Kaplan-Meier time to close with open deals right-censored levels off at S = " +
                           salespipe::detail::num(rep.time_to_close.steps.back().surv) +
                           ": a 'never closes' mass made of the stale deals");
  std::size_t young_open = 0;
  for (double a : open_ages) young_open += a * dpu < max_closed ? 1 : 0;
  if (young_open * 10 > closed)
    rep.warnings.push_back(std::to_string(young_open) + " open deals younger than the longest closed one (over 10% of the " +
                           std::to_string(closed) + " closed): route probabilities from closed deals favour the faster route");

  // routes
  std::vector<std::size_t> counts(J);
  for (std::size_t k = 0; k < J; ++k) counts[k] = days[k].size();
  const std::size_t n_routes = closed + rep.stale_as_lost;
  const auto post = dirichlet_multinomial(counts);
  auto to_units = [&](std::vector<double> v) {
    for (double& x : v) x /= dpu;
    return v;
  };
  for (std::size_t k = 0; k < J; ++k) {
    route_fit rf;
    rf.to = data.outcomes[k];
    rf.count = counts[k];
    rf.p = post.marginal(k);
    const std::string who = opt.stage + "->" + rf.to;
    rep.parameters.push_back({"p(" + who + ")", rf.p.mean(), rf.p.credible(opt.level), n_routes, "probability"});
    if (!days[k].empty()) {
      rf.duration = fit_duration(to_units(days[k]), std::vector<bool>(days[k].size(), true), dopt);
      if (const auto* b = rf.duration->best())
        for (std::size_t i = 0; i < b->params.size(); ++i)
          rep.parameters.push_back({who + " " + to_string(b->kind) + " " + b->names[i], b->params[i], b->ci[i],
                                    days[k].size(), b->names[i] == "shape" ? "" : rep.unit});
      {  // median with the distribution-free order-statistic interval (all closed: no censoring)
        auto v = to_units(days[k]);
        std::sort(v.begin(), v.end());
        const double nn = static_cast<double>(v.size());
        const double med = (v[(v.size() - 1) / 2] + v[v.size() / 2]) / 2;
        const double lo = std::floor(nn / 2 - zq * std::sqrt(nn) / 2), hi = std::ceil(nn / 2 + zq * std::sqrt(nn) / 2);
        auto at = [&](double rank) { return v[static_cast<std::size_t>(std::clamp(rank, 1.0, nn)) - 1]; };
        rep.parameters.push_back({who + " median duration", med, {at(lo), at(hi)}, v.size(), rep.unit});
      }
      for (const auto& w : rf.duration->warnings) rep.warnings.push_back(who + ": " + w);
      if (days[k].size() < opt.thin)
        rep.warnings.push_back("thin data: " + std::to_string(days[k].size()) + " deals took route " + who);
    } else {
      rep.warnings.push_back("no deal took route " + who + ": it uses the stage's duration");
    }
    rep.routes.push_back(std::move(rf));
  }
  auto stage_fit = fit_duration(to_units(all_days), std::vector<bool>(all_days.size(), true), dopt);

  // source rate: all deals over [first start, as_of]
  std::int64_t first = data.as_of;
  for (const auto& d : data.deals) first = std::min(first, d.start);
  const double span = static_cast<double>(data.as_of - first + 1) / dpu;
  const double n_src = static_cast<double>(data.deals.size());
  const double alpha = 1 - opt.level;
  rep.parameters.push_back({"source rate into " + opt.stage, n_src / span,
                            {boost::math::gamma_p_inv(n_src, alpha / 2) / span,
                             boost::math::gamma_p_inv(n_src + 1, 1 - alpha / 2) / span},
                            data.deals.size(), "per " + rep.unit});

  // value
  if (value_k < J && !values.empty()) {
    double m = 0, s2 = 0;
    for (double v : values) m += v;
    m /= static_cast<double>(values.size());
    for (double v : values) s2 += (v - m) * (v - m);
    const double se = values.size() > 1 ? std::sqrt(s2 / static_cast<double>(values.size() - 1) / static_cast<double>(values.size())) : 0;
    rep.parameters.push_back({opt.value_outcome + " value mean", m, {m - zq * se, m + zq * se}, values.size(), "value"});
  }
  if (value_missing > 0)
    rep.warnings.push_back(std::to_string(value_missing) + " '" + opt.value_outcome + "' deals have no amount");

  // monthly counts
  std::map<std::string, month_row> months;
  auto month_of = [](std::int64_t day) { return io::format_date(day).substr(0, 7); };
  auto row_of = [&](const std::string& key) -> month_row& {
    auto& m = months[key];
    if (m.month.empty()) m.month = key, m.closed.assign(J, 0);
    return m;
  };
  for (const auto& d : data.deals) {
    auto& m = row_of(month_of(d.start));
    ++m.started;
    if (d.is_open()) {
      ++m.still_open;
      continue;
    }
    auto& c = row_of(month_of(*d.close));
    ++c.closed[d.outcome];
    if (d.outcome == value_k && !std::isnan(d.amount)) c.value += d.amount;
  }
  for (auto& kv : months) rep.monthly.push_back(kv.second);

  // the model
  model m;
  m.name = opt.name;
  m.unit = opt.unit;
  auto& st = m.add_stage(opt.stage, stage_fit.dist);
  for (std::size_t k = 0; k < J; ++k) {
    const double p = post.mean()[k];
    if (rep.routes[k].duration) st.to(data.outcomes[k], p, rep.routes[k].duration->dist);
    else st.to(data.outcomes[k], p);
    auto& o = m.add_outcome(data.outcomes[k]);
    if (k == value_k && !values.empty()) o.value_on_enter(empirical_dist(values));
  }
  m.add_source(opt.stage, n_src / span);
  if (!open_ages.empty()) m.add_open(opt.stage, open_ages);
  return {std::move(m), std::move(rep)};
}

}  // namespace salespipe::estimate

#endif  // SALESPIPE_ESTIMATE_OPPORTUNITIES_HPP
