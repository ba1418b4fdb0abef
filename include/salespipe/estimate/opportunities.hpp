// salespipe/estimate/opportunities.hpp — fit a model from an opportunity table.
//
// An opportunity table is a one-stage stage history: every deal enters the fitted stage
// (e.g. Engaging) at its start date and, when closed, its outcome (Won, Lost, ...) at its
// close date (as_stage_history). The fit is fit_history (history_fit.hpp) on that history,
// so open deals are counted the same way in both formats:
//  - route probabilities: Dirichlet(1 + closed_j + Σ w_j) posterior, where an open deal
//    of age a belongs to route j with the EM weight w_j = p_j S_j(a) / Σ_k p_k S_k(a)
//    (it has not chosen a route yet); the model holds the posterior means;
//  - time in stage per route ("won and lost deals leave at different speeds"): censored
//    ML (exponential, gamma, lognormal, weibull; AIC; KS check against Kaplan-Meier) with
//    the open deals right-censored at their age, weighted by w_j; empirical fallback;
//  - value of the value outcome (e.g. Won): the empirical distribution of its amounts;
//  - source: deals started per time unit over the history (exact Poisson interval);
//  - open pipeline: the open deals with their ages, except stale ones.
// Stale deals: open deals whose age no fitted route reaches (Σ_k p_k S_k(a) < 1e-12; with
// empirical route durations: at least as old as the longest closed deal) are reported and
// left out of the open pipeline; with stale_after_days, open deals older than that count
// as taking the lost route after stale_after_days (reported count).
// The report keeps the closed-deal figures too: per route the closed count and the median
// of its closed deals' durations (with a distribution-free interval).
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

#include <salespipe/date.hpp>
#include <salespipe/detail/format.hpp>
#include <salespipe/distribution.hpp>
#include <salespipe/error.hpp>
#include <salespipe/estimate/duration_fit.hpp>
#include <salespipe/estimate/fit_report.hpp>
#include <salespipe/estimate/history_fit.hpp>
#include <salespipe/estimate/opportunity_table.hpp>
#include <salespipe/estimate/posterior.hpp>
#include <salespipe/estimate/stage_history.hpp>
#include <salespipe/model.hpp>

namespace salespipe::estimate {

struct fit_options {
  time_unit unit = time_unit::day;
  std::string name = "fitted";
  std::string stage = "Engaging";          ///< model stage id
  std::string value_outcome = "Won";       ///< outcome whose amounts are the deal value
  std::string lost_outcome = "Lost";       ///< outcome of deals declared lost by stale_after_days
  std::optional<double> stale_after_days;  ///< open deals older than this count as lost
  std::size_t thin = 30;                   ///< fewer closed deals than this: warning
  double level = 0.95;                     ///< interval level
  duration_fit_options durations;
  /// Dates are whole days: durations are fitted as known to +-half a day
  /// (durations.resolution = 1 day in the model unit, unless set).
  bool whole_days = true;
};

struct fit_result {
  model fitted;
  fit_report report;
  model_posterior posterior;  ///< for parameter draws (simulate/posterior.hpp)
};

/// The table as a stage history: node 0 is `stage`, then data.outcomes; each deal enters
/// the stage at its start and, when closed, its outcome at its close date. Skipped rows
/// are carried over. Throws invalid_option when `stage` is also an outcome id.
inline history_data as_stage_history(const opportunity_data& data, const std::string& stage) {
  if (std::find(data.outcomes.begin(), data.outcomes.end(), stage) != data.outcomes.end())
    throw invalid_option("fit_opportunities: the stage id '" + stage + "' is also an outcome id");
  history_data h;
  h.file = data.file;
  h.nodes.push_back(stage);
  h.nodes.insert(h.nodes.end(), data.outcomes.begin(), data.outcomes.end());
  h.stage_count = 1;
  h.skipped = data.skipped;
  h.rows = data.rows;
  h.as_of = data.as_of;
  h.has_amount = true;
  h.deals.reserve(data.deals.size());
  for (const auto& d : data.deals) {
    history_deal x{d.id, {{0, d.start, d.line}}, d.amount};
    if (!d.is_open()) x.steps.push_back({1 + d.outcome, *d.close, d.line});
    h.deals.push_back(std::move(x));
  }
  return h;
}

/// Fits the model (see the header comment). Throws parse_error(file, why) when there are
/// no deals or no closed deals (nothing to estimate routes from), invalid_option for a
/// bad option.
inline fit_result fit_opportunities(const opportunity_data& data, const fit_options& opt = {}) {
  if (data.deals.empty()) throw parse_error(data.file, "no deals to fit (every row was skipped)");
  if (opt.stale_after_days && !(*opt.stale_after_days > 0)) throw invalid_option("stale_after_days must be > 0");
  const std::size_t J = data.outcomes.size();
  if (J < 2) throw invalid_option("fit_opportunities: the stage map needs at least two outcomes (e.g. Won, Lost)");
  if (opt.stale_after_days &&
      std::find(data.outcomes.begin(), data.outcomes.end(), opt.lost_outcome) == data.outcomes.end())
    throw invalid_option("stale_after_days: no outcome '" + opt.lost_outcome + "' to count stale deals as");
  const double dpu = days_per(opt.unit);
  const double zq = boost::math::erfc_inv(1 - opt.level) * std::sqrt(2.0);

  fit_result out;
  fit_report& rep = out.report;
  rep.stage = opt.stage;
  rep.unit = std::string(to_string(opt.unit));
  rep.level = opt.level;
  rep.rows = data.rows;
  rep.deals = data.deals.size();
  rep.skipped = data.skipped;
  std::vector<std::vector<double>> closed_days(J);  // per outcome, closed deals only (days)
  for (const auto& d : data.deals) {
    if (d.is_open()) {
      ++rep.open;
      continue;
    }
    const double t = static_cast<double>(*d.close - d.start);
    closed_days[d.outcome].push_back(t);
    rep.max_closed_days = std::max(rep.max_closed_days, t);
    ++rep.closed;
  }
  if (rep.closed == 0)
    throw parse_error(data.file, "no closed deals (" + std::to_string(rep.open) +
                                     " open): route probabilities and durations cannot be estimated");

  history_fit_options ho;
  ho.unit = opt.unit;
  ho.name = opt.name;
  ho.value_outcome = opt.value_outcome;
  ho.lost_outcome = opt.lost_outcome;
  ho.stale_after_days = opt.stale_after_days;
  ho.thin = 0;  // the stage's thin-data warning is worded below
  ho.level = opt.level;
  ho.durations = opt.durations;
  ho.whole_days = opt.whole_days;
  auto hf = fit_history(as_stage_history(data, opt.stage), ho);
  out.fitted = std::move(hf.fitted);
  out.posterior = std::move(hf.posterior);
  const history_stage& hs = hf.report.stages.at(0);
  rep.stale = hs.stale;
  rep.stale_as_lost = hs.stale_as_lost;
  rep.time_to_close = hs.time_in_stage;

  if (rep.closed < opt.thin)
    rep.warnings.push_back("thin data: " + std::to_string(rep.closed) + " closed deals in stage '" + opt.stage +
                           "' (fewer than " + std::to_string(opt.thin) + ")");
  for (auto& w : hf.report.warnings) rep.warnings.push_back(std::move(w));
  if (!rep.time_to_close.steps.empty() && rep.time_to_close.steps.back().surv > 0 && rep.stale > 0)
    rep.warnings.push_back("Kaplan-Meier time to close with open deals right-censored levels off at S = " +
                           salespipe::detail::num(rep.time_to_close.steps.back().surv) +
                           ": a 'never closes' mass made of the stale deals (the longest closed deal took " +
                           salespipe::detail::num(rep.max_closed_days) + " days)");

  // routes (fit_history's order is the outcome order), and per route the median of its
  // closed deals' durations with the distribution-free order-statistic interval, placed
  // after the route's own parameters
  auto belongs = [](const std::string& name, const std::string& who) {
    return name == "p(" + who + ")" || name.rfind(who + " ", 0) == 0;
  };
  std::vector<parameter_estimate> params;
  std::size_t next = 0;
  const auto& hp = hf.report.parameters;
  for (auto& r : hs.routes) {
    route_fit rf;
    rf.to = r.to;
    rf.count = r.closed;
    rf.p = r.p;
    rf.duration = r.duration;
    const std::string who = opt.stage + "->" + r.to;
    while (next < hp.size() && belongs(hp[next].name, who)) params.push_back(hp[next++]);
    const std::size_t k =
        static_cast<std::size_t>(std::find(data.outcomes.begin(), data.outcomes.end(), r.to) - data.outcomes.begin());
    if (k < J && !closed_days[k].empty()) {
      auto v = closed_days[k];
      for (double& x : v) x /= dpu;
      std::sort(v.begin(), v.end());
      const double nn = static_cast<double>(v.size());
      const double med = (v[(v.size() - 1) / 2] + v[v.size() / 2]) / 2;
      const double lo = std::floor(nn / 2 - zq * std::sqrt(nn) / 2), hi = std::ceil(nn / 2 + zq * std::sqrt(nn) / 2);
      auto at = [&](double rank) { return v[static_cast<std::size_t>(std::clamp(rank, 1.0, nn)) - 1]; };
      params.push_back({who + " median of closed deals", med, {at(lo), at(hi)}, v.size(), rep.unit});
    }
    if (r.closed < opt.thin)
      rep.warnings.push_back("thin data: " + std::to_string(r.closed) + " deals took route " + who);
    rep.routes.push_back(std::move(rf));
  }
  for (; next < hp.size(); ++next) params.push_back(hp[next]);
  rep.parameters = std::move(params);

  // monthly counts (by start month: started, still open; by close month: closed per
  // route of the report, value)
  std::vector<std::size_t> column(J, J);
  for (std::size_t j = 0; j < rep.routes.size(); ++j)
    for (std::size_t k = 0; k < J; ++k)
      if (data.outcomes[k] == rep.routes[j].to) column[k] = j;
  std::map<std::string, month_row> months;
  auto month_of = [](std::int64_t day) { return salespipe::format_date(day).substr(0, 7); };
  auto row_of = [&](const std::string& key) -> month_row& {
    auto& m = months[key];
    if (m.month.empty()) m.month = key, m.closed.assign(rep.routes.size(), 0);
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
    if (column[d.outcome] < J) ++c.closed[column[d.outcome]];
    if (data.outcomes[d.outcome] == opt.value_outcome && !std::isnan(d.amount)) c.value += d.amount;
  }
  for (auto& kv : months) rep.monthly.push_back(kv.second);
  return out;
}

}  // namespace salespipe::estimate

#endif  // SALESPIPE_ESTIMATE_OPPORTUNITIES_HPP
