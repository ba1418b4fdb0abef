// salespipe/estimate/history_fit.hpp — fit a multi-stage model from a stage-history log
// (stage_history.hpp): every stage a deal passed through is a sojourn that ended on a
// route (the next node) after a time, or is still open at the data end with an age.
//
// Per stage (open deals have not chosen a route yet; route j is a mixture component):
//  1. each route's duration is fitted to its closed sojourns (duration_fit.hpp);
//  2. route probabilities by EM: an open deal of age a belongs to route j with weight
//     w_j = p_j S_j(a) / Σ_k p_k S_k(a); p_j = (closed_j + Σ w_j) / (closed + open);
//  3. each route's duration is refitted (censored ML, every family, AIC) with the open
//     deals as right-censored observations of weight w_j; then step 2 again.
//  Posterior of the route probabilities: Dirichlet(1 + closed_j + Σ w_j) (the open
//  deals' shares as fractional counts). Open deals whose age no route can reach
//  (Σ_k p_k S_k(a) < 1e-12) are stale: left out of the open pipeline and counted; with
//  stale_after_days, open deals older than that take the lost route after that time.
//  The stage's own duration (and its Kaplan-Meier curve in the report) is fitted to every
//  sojourn, open deals right-censored at their age.
// Sources: deals entering each entry stage per time unit over [first date, as_of]
// (exact Poisson interval; posterior Gamma(n, span)); the linear trend of the complete
// months' counts is reported and, with use_trend, used as the rate schedule (its slope's
// uncertainty is not drawn by the posterior, only the level's). Value: the amounts of deals that
// reached the value outcome (empirical distribution; bootstrap posterior).
// Times are converted to the caller's unit (days_per below). fit_opportunities
// (opportunities.hpp) reuses this fit: an opportunity table is a one-stage history.
#ifndef SALESPIPE_ESTIMATE_HISTORY_FIT_HPP
#define SALESPIPE_ESTIMATE_HISTORY_FIT_HPP

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include <boost/math/special_functions/gamma.hpp>

#include <salespipe/date.hpp>
#include <salespipe/detail/format.hpp>
#include <salespipe/distribution.hpp>
#include <salespipe/error.hpp>
#include <salespipe/estimate/beta_posterior.hpp>
#include <salespipe/estimate/duration_fit.hpp>
#include <salespipe/estimate/fit_report.hpp>
#include <salespipe/estimate/kaplan_meier.hpp>
#include <salespipe/estimate/posterior.hpp>
#include <salespipe/estimate/source_trend.hpp>
#include <salespipe/estimate/stage_history.hpp>
#include <salespipe/model.hpp>
#include <salespipe/pipeline.hpp>

namespace salespipe::estimate {

/// Days in one time unit (month = 365.2425 / 12 days).
constexpr double days_per(time_unit u) noexcept {
  constexpr double d[] = {1, 7, 365.2425 / 12, 365.2425 / 4, 365.2425};
  return d[static_cast<int>(u)];
}

struct history_fit_options {
  time_unit unit = time_unit::day;
  std::string name = "fitted";
  std::string value_outcome = "Won";       ///< outcome whose amounts are the deal value
  std::string lost_outcome = "Lost";       ///< outcome of deals declared lost by stale_after_days
  std::optional<double> stale_after_days;  ///< open deals older than this (in their stage) count as lost
  std::size_t thin = 30;                   ///< fewer closed sojourns than this in a stage: warning
  double level = 0.95;                     ///< interval level
  duration_fit_options durations;
  bool whole_days = true;  ///< dates are whole days: durations known to +-half a day
  /// Use the linear trend of the monthly new-deal counts (source_trend.hpp; reported when
  /// there are >= 3 complete months) as the source rate for trend_periods periods.
  bool use_trend = false;
  std::size_t trend_periods = 36;
};

struct history_route {
  std::string from, to;
  std::size_t closed = 0;                ///< sojourns that ended on this route
  double open_share = 0;                 ///< Σ of the open deals' weights on this route
  beta_posterior p;                      ///< marginal posterior of its probability
  std::optional<duration_fit> duration;  ///< time in stage on this route (model units)
};

struct history_stage {
  std::string id;
  std::size_t entries = 0, closed = 0, open = 0, stale = 0, stale_as_lost = 0;
  km_curve time_in_stage;  ///< every sojourn, open deals right-censored (model units)
  duration_fit duration;   ///< the stage's duration fit (same data)
  std::vector<history_route> routes;
};

struct history_month {
  std::string month;                 ///< YYYY-MM
  std::size_t started = 0;           ///< deals whose first row falls in the month
  std::vector<std::size_t> reached;  ///< per outcome (history_report::outcomes order)
  double value = 0;                  ///< amounts of deals reaching the value outcome in the month
};

struct history_report {
  std::string file, unit;
  double level = 0.95;
  std::size_t rows = 0, deals = 0, closed = 0, open = 0;
  std::vector<parameter_estimate> parameters;
  std::vector<history_stage> stages;
  std::vector<std::string> outcomes;
  std::vector<history_month> monthly;
  std::vector<skipped_row> skipped;
  std::vector<std::string> warnings;
};

struct history_fit_result {
  model fitted;
  history_report report;
  model_posterior posterior;
};

namespace detail {

/// Censored ML fit with weighted censored observations (events weigh 1), every family of
/// opt, least AIC, KS distance to the weighted Kaplan-Meier curve, empirical fallback of
/// the event times as in fit_duration. `km` of the result: the event times only.
inline duration_fit fit_weighted(const std::vector<double>& ev, const std::vector<double>& cens,
                                 const std::vector<double>& w, const duration_fit_options& opt) {
  double wsum = 0;
  for (double x : w) wsum += x;
  if (cens.empty() || wsum <= 0 || opt.force_empirical || ev.size() < opt.min_events ||
      (opt.resolution <= 0 && *std::min_element(ev.begin(), ev.end()) <= 0))
    return fit_duration(ev, std::vector<bool>(ev.size(), true), opt);  // nothing weighted to add
  duration_fit r;
  r.km = kaplan_meier(ev, std::vector<bool>(ev.size(), true));
  r.n = ev.size() + cens.size();
  r.events = ev.size();
  std::map<std::pair<double, bool>, double> g;
  for (double t : ev) g[{t, true}] += 1;
  for (std::size_t i = 0; i < cens.size(); ++i)
    if (w[i] > 0) g[{cens[i], false}] += w[i];
  std::vector<obs> data;
  for (const auto& [k, wt] : g) data.push_back({k.first, k.second, wt});
  // weighted product-limit curve (events at t leave after censored at t are counted at risk)
  std::vector<std::pair<double, double>> km;  // (time, S after)
  {
    double at_risk = 0, s = 1;
    for (const auto& o : data) at_risk += o.w;
    for (std::size_t i = 0; i < data.size();) {
      const double t = data[i].t;
      double d = 0, m = 0;
      for (; i < data.size() && data[i].t == t; ++i) {
        if (data[i].event) d += data[i].w;
        m += data[i].w;
      }
      if (d > 0) s *= 1 - d / at_risk, km.push_back({t, s});
      at_risk -= m;
    }
  }
  const family_fit* best = nullptr;
  for (family f : opt.families)
    if (f != family::empirical) r.candidates.push_back(fit_family(f, data, r.events, opt.resolution, opt.level));
  for (auto& c : r.candidates) {
    if (!c.ok) continue;
    double ks = 0, prev = 1;
    for (const auto& [t, s] : km) {
      const double F = cdf(*c.dist, t + opt.resolution / 2);
      ks = std::max({ks, std::abs(F - (1 - prev)), std::abs(F - (1 - s))});
      prev = s;
    }
    c.ks = ks;
    if (!best || c.aic < best->aic) best = &c;
  }
  const double limit = opt.ks_limit / std::sqrt(static_cast<double>(r.events));
  if (!best || best->ks > limit) {
    r.chosen = family::empirical;
    r.dist = empirical_dist(ev);
    r.ks = best ? best->ks : 1;
    r.warnings.push_back(std::string("empirical distribution of the ") + std::to_string(r.events) + " closed times (" +
                         (best ? std::string("the best family by AIC, ") + to_string(best->kind) +
                                     ", is at KS distance " + salespipe::detail::num(best->ks) + " over " +
                                     salespipe::detail::num(limit)
                               : std::string("no parametric family converged")) +
                         "); open deals are not in it");
    return r;
  }
  r.chosen = best->kind;
  r.dist = *best->dist;
  r.ks = best->ks;
  return r;
}

/// EM for the route probabilities of one stage, durations fixed: returns p and fills
/// w[i][j] (open deal i on route j; all 0 for a stale deal).
inline std::vector<double> route_em(const std::vector<std::size_t>& closed, const std::vector<const distribution*>& d,
                                    const std::vector<double>& ages, std::vector<std::vector<double>>& w) {
  const std::size_t J = closed.size();
  double n = 0;
  for (auto c : closed) n += static_cast<double>(c);
  std::vector<double> p(J);
  for (std::size_t j = 0; j < J; ++j) p[j] = (static_cast<double>(closed[j]) + 1) / (n + static_cast<double>(J));
  std::vector<std::vector<double>> surv(ages.size(), std::vector<double>(J));
  for (std::size_t i = 0; i < ages.size(); ++i)
    for (std::size_t j = 0; j < J; ++j) surv[i][j] = survival(*d[j], ages[i]);
  w.assign(ages.size(), std::vector<double>(J, 0.0));
  for (int it = 0; it < 500; ++it) {
    std::vector<double> share(J, 0.0);
    double live = 0;
    for (std::size_t i = 0; i < ages.size(); ++i) {
      double z = 0;
      for (std::size_t j = 0; j < J; ++j) z += p[j] * surv[i][j];
      if (z < 1e-12) {
        std::fill(w[i].begin(), w[i].end(), 0.0);
        continue;
      }
      live += 1;
      for (std::size_t j = 0; j < J; ++j) share[j] += w[i][j] = p[j] * surv[i][j] / z;
    }
    double change = 0;
    for (std::size_t j = 0; j < J; ++j) {
      const double q = (static_cast<double>(closed[j]) + share[j]) / (n + live);
      change = std::max(change, std::abs(q - p[j]));
      p[j] = q;
    }
    if (change < 1e-10) break;
  }
  return p;
}

}  // namespace detail

/// Fits the model (see the header comment). Throws parse_error(file, why) when there are
/// no deals, no deal has left a stage yet, or a stage has deals but none has left it;
/// invalid_option for a bad option (stale_after_days <= 0, or with no lost outcome).
inline history_fit_result fit_history(const history_data& h, const history_fit_options& opt = {}) {
  if (h.deals.empty()) throw parse_error(h.file, "no deals to fit (every row was skipped)");
  if (opt.stale_after_days && !(*opt.stale_after_days > 0)) throw invalid_option("stale_after_days must be > 0");
  const std::size_t S = h.stage_count, N = h.nodes.size(), lost = h.find(opt.lost_outcome),
                    value_node = h.find(opt.value_outcome);
  if (opt.stale_after_days && lost == N)
    throw invalid_option("stale_after_days: no outcome '" + opt.lost_outcome + "' to count stale deals as");
  const double dpu = days_per(opt.unit);
  auto dopt = opt.durations;
  dopt.level = opt.level;
  if (opt.whole_days && dopt.resolution == 0) dopt.resolution = 1 / dpu;
  history_fit_result res;
  auto& rep = res.report;
  rep.file = h.file;
  rep.unit = std::string(to_string(opt.unit));
  rep.level = opt.level;
  rep.rows = h.rows;
  rep.deals = h.deals.size();
  rep.skipped = h.skipped;
  for (std::size_t v = S; v < N; ++v) rep.outcomes.push_back(h.nodes[v]);

  // sojourns: per stage, per next node, the closed times (days); open ages (days)
  std::vector<std::map<std::size_t, std::vector<double>>> closed(S);
  std::vector<std::vector<double>> open(S);
  std::vector<std::size_t> entries(S, 0), stale_lost(S, 0);
  std::size_t exits = 0;
  for (const auto& d : h.deals) {
    for (std::size_t i = 0; i < d.steps.size(); ++i) {
      const auto& st = d.steps[i];
      if (!h.is_stage(st.node)) break;
      ++entries[st.node];
      if (i + 1 < d.steps.size()) {
        closed[st.node][d.steps[i + 1].node].push_back(static_cast<double>(d.steps[i + 1].day - st.day));
        ++exits;
      } else {
        const double age = static_cast<double>(h.as_of - st.day);
        if (opt.stale_after_days && age > *opt.stale_after_days) {
          closed[st.node][lost].push_back(*opt.stale_after_days);
          ++stale_lost[st.node], ++exits;
        } else {
          open[st.node].push_back(age);
        }
      }
    }
    if (h.is_stage(d.steps.back().node))
      ++rep.open;
    else
      ++rep.closed;
  }
  if (exits == 0)
    throw parse_error(h.file, "no deal has left a stage yet (" + std::to_string(h.deals.size()) +
                                  " deals, all open): route probabilities and durations cannot be estimated");
  auto units = [&](std::vector<double> v) {
    for (double& x : v) x /= dpu;
    return v;
  };
  model& m = res.fitted;
  m.name = opt.name;
  m.unit = opt.unit;
  auto& post = res.posterior;
  std::vector<char> reached(N, 0);
  for (std::size_t s = 0; s < S; ++s) {
    const std::string& sid = h.nodes[s];
    if (entries[s] == 0) {
      rep.warnings.push_back("stage '" + sid + "': no deal entered it; it is left out of the model");
      continue;
    }
    if (closed[s].empty())
      throw parse_error(h.file, "stage '" + sid + "': none of its " + std::to_string(entries[s]) +
                                    " deals has left it yet: its routes and duration cannot be estimated");
    history_stage hs;
    hs.id = sid;
    hs.entries = entries[s];
    hs.stale_as_lost = stale_lost[s];
    std::vector<std::size_t> to, count;
    std::vector<std::vector<double>> times;  // model units
    for (const auto& [node, v] : closed[s]) {
      to.push_back(node), count.push_back(v.size()), times.push_back(units(v));
      hs.closed += v.size();
      reached[node] = 1;
    }
    const std::size_t J = to.size();
    const auto ages = units(open[s]);
    hs.open = ages.size();
    // 1. closed-only durations, 2. EM, 3. weighted refit, EM again
    std::vector<duration_fit> dur;
    for (std::size_t j = 0; j < J; ++j)
      dur.push_back(fit_duration(times[j], std::vector<bool>(times[j].size(), true), dopt));
    std::vector<std::vector<double>> w;
    auto em = [&]() {
      std::vector<const distribution*> dp;
      for (const auto& f : dur) dp.push_back(&f.dist);
      return detail::route_em(count, dp, ages, w);
    };
    std::vector<double> p = em();
    if (!ages.empty()) {
      for (std::size_t j = 0; j < J; ++j) {
        std::vector<double> wj(ages.size());
        for (std::size_t i = 0; i < ages.size(); ++i) wj[i] = w[i][j];
        dur[j] = detail::fit_weighted(times[j], ages, wj, dopt);
      }
      p = em();
    }
    std::vector<double> open_ages, alpha(J, 1.0);
    std::vector<double> share(J, 0.0);
    for (std::size_t i = 0; i < ages.size(); ++i) {
      double z = 0;
      for (std::size_t j = 0; j < J; ++j) z += w[i][j], share[j] += w[i][j];
      if (z > 0)
        open_ages.push_back(ages[i]);
      else
        ++hs.stale;
    }
    double n_eff = 0;
    for (std::size_t j = 0; j < J; ++j) alpha[j] += static_cast<double>(count[j]) + share[j], n_eff += alpha[j] - 1;
    const dirichlet_posterior dp{alpha};
    // time in stage: every sojourn, open deals (stale ones too) censored
    std::vector<double> all_t;
    std::vector<bool> all_e;
    for (const auto& v : times) all_t.insert(all_t.end(), v.begin(), v.end());
    all_e.assign(all_t.size(), true);
    for (double a : ages) all_t.push_back(a), all_e.push_back(false);
    hs.time_in_stage = kaplan_meier(all_t, all_e);
    hs.duration = fit_duration(all_t, all_e, dopt);
    auto& st = m.add_stage(sid, hs.duration.dist);
    post.alpha.resize(m.stages.size());
    post.stage_durations.push_back({m.stages.size() - 1, posterior_of(hs.duration)});
    if (J >= 2) post.alpha.back() = alpha;
    for (std::size_t j = 0; j < J; ++j) {
      history_route r;
      r.from = sid;
      r.to = h.nodes[to[j]];
      r.closed = count[j];
      r.open_share = share[j];
      r.p = J >= 2 ? dp.marginal(j) : beta_posterior{1, 0};  // the only route: p = 1 exactly
      const std::string who = sid + "->" + r.to;
      const interval ci = J >= 2 ? r.p.credible(opt.level) : interval{1, 1};
      rep.parameters.push_back({"p(" + who + ")", J >= 2 ? dp.mean()[j] : 1.0, ci,
                                static_cast<std::size_t>(std::llround(n_eff)), "probability"});
      if (const auto* b = dur[j].best())
        for (std::size_t i = 0; i < b->params.size(); ++i)
          rep.parameters.push_back({who + " " + to_string(b->kind) + " " + b->names[i], b->params[i], b->ci[i],
                                    count[j], b->names[i] == "shape" || b->names[i] == "sigma" ? "" : rep.unit});
      for (const auto& wmsg : dur[j].warnings) rep.warnings.push_back(who + ": " + wmsg);
      st.to(r.to, J >= 2 ? dp.mean()[j] : 1.0, dur[j].dist);
      post.durations.push_back({m.stages.size() - 1, j, posterior_of(dur[j])});
      r.duration = std::move(dur[j]);
      hs.routes.push_back(std::move(r));
    }
    (void)p;
    if (hs.closed < opt.thin)
      rep.warnings.push_back("thin data: " + std::to_string(hs.closed) + " deals have left stage '" + sid +
                             "' (fewer than " + std::to_string(opt.thin) + ")");
    if (hs.stale > 0)
      rep.warnings.push_back("stage '" + sid + "': " + std::to_string(hs.stale) + " of " + std::to_string(hs.open) +
                             " open deals are older than any fitted route allows: they look stale and are left out "
                             "of the open pipeline; use stale_after_days to count them as lost");
    if (hs.stale_as_lost > 0)
      rep.warnings.push_back("stage '" + sid + "': " + std::to_string(hs.stale_as_lost) + " open deals older than " +
                             salespipe::detail::num(*opt.stale_after_days) + " days counted as '" + opt.lost_outcome +
                             "' after " + salespipe::detail::num(*opt.stale_after_days) + " days");
    if (!open_ages.empty()) m.add_open(sid, open_ages);
    rep.stages.push_back(std::move(hs));
  }
  for (std::size_t v = S; v < N; ++v) {
    if (!reached[v]) {
      rep.warnings.push_back("outcome '" + h.nodes[v] + "': no deal reached it; it is left out of the model");
      continue;
    }
    m.add_outcome(h.nodes[v]);
  }

  // sources: deals by entry stage over [first date, as_of]
  std::int64_t first = h.as_of;
  std::map<std::size_t, std::size_t> starts;
  for (const auto& d : h.deals) first = std::min(first, d.steps.front().day), ++starts[d.steps.front().node];
  const double span = static_cast<double>(h.as_of - first + 1) / dpu;
  const double alpha = 1 - opt.level;
  for (const auto& [node, n] : starts) {
    const double nn = static_cast<double>(n);
    rep.parameters.push_back(
        {"source rate into " + h.nodes[node],
         nn / span,
         {boost::math::gamma_p_inv(nn, alpha / 2) / span, boost::math::gamma_p_inv(nn + 1, 1 - alpha / 2) / span},
         n,
         "per " + rep.unit});
    post.sources.push_back({m.sources.size(), nn, span});
    auto& src = m.add_source(h.nodes[node], nn / span);
    std::vector<std::int64_t> days;
    for (const auto& d : h.deals)
      if (d.steps.front().node == node) days.push_back(d.steps.front().day);
    try {
      const auto tr = fit_source_trend(days, h.as_of, opt.level);
      rep.parameters.push_back(
          {"source trend into " + h.nodes[node], tr.slope, tr.slope_ci, tr.counts.size(), "per month per month"});
      if (opt.use_trend) apply_trend(src, tr, dpu, opt.trend_periods);
    } catch (const invalid_option& e) {
      if (opt.use_trend)
        rep.warnings.push_back("no trend for '" + h.nodes[node] + "' (constant rate used): " + e.what());
    }
  }

  // value of the value outcome
  std::vector<double> values;
  std::size_t missing = 0;
  for (const auto& d : h.deals)
    if (d.steps.back().node == value_node) {
      if (std::isnan(d.amount))
        ++missing;
      else
        values.push_back(d.amount);
    }
  if (!values.empty()) {
    double mean = 0, s2 = 0;
    for (double v : values) mean += v;
    mean /= static_cast<double>(values.size());
    for (double v : values) s2 += (v - mean) * (v - mean);
    const double nv = static_cast<double>(values.size());
    const double se = values.size() > 1 ? std::sqrt(s2 / (nv - 1) / nv) : 0;
    const double zq = boost::math::erfc_inv(1 - opt.level) * std::sqrt(2.0);
    rep.parameters.push_back(
        {opt.value_outcome + " value mean", mean, {mean - zq * se, mean + zq * se}, values.size(), "value"});
    for (std::size_t k = 0; k < m.outcomes.size(); ++k)
      if (m.outcomes[k].id == opt.value_outcome) {
        m.outcomes[k].value_on_enter(empirical_dist(values));
        post.value_outcome = k;
        post.values = values;
      }
  }
  if (missing > 0)
    rep.warnings.push_back(std::to_string(missing) + " deals reached '" + opt.value_outcome + "' without an amount");
  if (!h.has_amount) rep.warnings.push_back("no amount column: the fitted model has no deal value");

  // monthly counts
  std::map<std::string, history_month> months;
  auto row_of = [&](std::int64_t day) -> history_month& {
    const std::string key = salespipe::format_date(day).substr(0, 7);
    auto& mo = months[key];
    if (mo.month.empty()) mo.month = key, mo.reached.assign(N - S, 0);
    return mo;
  };
  for (const auto& d : h.deals) {
    ++row_of(d.steps.front().day).started;
    const auto& last = d.steps.back();
    if (!h.is_stage(last.node)) {
      auto& mo = row_of(last.day);
      ++mo.reached[last.node - S];
      if (last.node == value_node && !std::isnan(d.amount)) mo.value += d.amount;
    }
  }
  for (auto& kv : months) rep.monthly.push_back(kv.second);
  post.point = m;
  try {  // deals that only ever move between stages give a loop with no way out
    (void)basic_pipeline<distribution>(m);
  } catch (const singular_model& e) {
    throw parse_error(h.file, std::string("no deal has left some stages for an outcome, so the fitted model "
                                          "cannot run: ") +
                                  e.what());
  }
  return res;
}

/// Prints the report as plain text: parameters, per stage its routes and duration
/// choice, monthly counts, warnings and every skipped row grouped by reason.
inline void print(std::ostream& os, const history_report& r) {
  char buf[256];
  os << "fit: stage history " << r.file << ", unit " << r.unit << ", " << r.rows << " rows, " << r.deals << " deals ("
     << r.closed << " closed, " << r.open << " open), " << r.skipped.size() << " rows skipped\n";
  std::snprintf(buf, sizeof buf, "%-44s %12s %25s %8s\n", "parameter", "estimate", "interval", "n");
  os << buf;
  for (const auto& p : r.parameters) {
    std::snprintf(buf, sizeof buf, "%-44s %12.6g [%11.6g, %11.6g] %8zu  %s\n", p.name.c_str(), p.estimate, p.ci.lower,
                  p.ci.upper, p.n, p.unit.c_str());
    os << buf;
  }
  for (const auto& s : r.stages) {
    os << "stage " << s.id << ": " << s.entries << " entries, " << s.closed << " left, " << s.open << " open ("
       << s.stale << " stale); time in stage " << to_string(s.duration.chosen);
    if (const auto med = s.time_in_stage.median())
      os << ", KM median " << salespipe::detail::num(*med) << " " << r.unit;
    os << "\n";
    for (const auto& rt : s.routes) {
      os << "  -> " << rt.to << ": " << rt.closed << " closed + " << salespipe::detail::num(rt.open_share)
         << " open share";
      if (rt.duration) {
        os << ", " << to_string(rt.duration->chosen)
           << (rt.duration->chosen == family::empirical ? " (fallback)" : " by AIC") << " (KS "
           << salespipe::detail::num(rt.duration->ks) << ");";
        for (const auto& c : rt.duration->candidates)
          os << " " << to_string(c.kind) << (c.ok ? " AIC " + salespipe::detail::num(c.aic) : " (failed)");
      }
      os << "\n";
    }
  }
  if (!r.monthly.empty()) {
    os << "month   started";
    for (const auto& o : r.outcomes) os << " " << o;
    os << " value\n";
    for (const auto& mo : r.monthly) {
      os << mo.month << " " << mo.started;
      for (auto c : mo.reached) os << " " << c;
      std::snprintf(buf, sizeof buf, " %.0f\n", mo.value);
      os << buf;
    }
  }
  for (const auto& w : r.warnings) os << "warning: " << w << "\n";
  print_skipped(os, r.skipped);
}

}  // namespace salespipe::estimate

#endif  // SALESPIPE_ESTIMATE_HISTORY_FIT_HPP
