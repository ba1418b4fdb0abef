// salespipe/backtest/backtest.hpp — how well would the fitted model have forecast the
// past: fit on the data known at a cutoff date, forecast the next K periods with both
// engines from the open pipeline at the cutoff, compare with what happened.
//
// At the cutoff (end of that day): deals started after it are unseen; deals closed after
// it are open, with their age at the cutoff. Time 0 of the forecast is the end of the
// cutoff day; a deal reaching the value outcome on day D falls in period
// floor((D - cutoff - 1/2) / days per unit). Compared per period: the count of deals
// reaching the value outcome and their value. Scores per engine: MAE, MAPE (over periods
// with a non-zero actual) and how often the actual fell inside the central interval
// (level, default 80%: the 10% and 90% quantiles).
// Engines: the exact forecast (analytic/forecast.hpp: count and value distributions per
// period) and the Monte Carlo engine (simulate/), by default with the parameters drawn
// from their posterior once per replication (simulate/posterior.hpp).
#ifndef SALESPIPE_BACKTEST_BACKTEST_HPP
#define SALESPIPE_BACKTEST_BACKTEST_HPP

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <salespipe/analytic/forecast.hpp>
#include <salespipe/date.hpp>
#include <salespipe/error.hpp>
#include <salespipe/estimate/history_fit.hpp>
#include <salespipe/estimate/opportunities.hpp>
#include <salespipe/estimate/posterior.hpp>
#include <salespipe/pipeline.hpp>
#include <salespipe/simulate/engine.hpp>
#include <salespipe/simulate/posterior.hpp>
#include <salespipe/simulate/summary.hpp>

namespace salespipe::backtest {

struct backtest_options {
  std::int64_t cutoff = 0;  ///< day number; data up to the end of this day are known
  std::size_t periods = 3;  ///< K periods of the fit's unit after the cutoff
  double level = 0.8;       ///< central interval compared with the actuals
  std::size_t replications = 400;
  std::uint64_t seed = 1;
  int threads = 1;
  bool parameter_uncertainty = true;  ///< Monte Carlo draws the parameters per replication
};

/// Forecast of one quantity in one period by one engine.
struct band {
  double mean = 0, lower = 0, upper = 0;
  bool contains(double x) const noexcept { return lower <= x && x <= upper; }
};

struct backtest_period {
  std::string from, to;         ///< first and last day of the period
  double count = 0, value = 0;  ///< actuals
  band analytic_count, analytic_value, mc_count, mc_value;
};

/// Scores of one engine over the periods.
struct backtest_score {
  double mae_count = 0, mape_count = 0, mae_value = 0, mape_value = 0;
  double inside_count = 0, inside_value = 0;  ///< fraction of periods inside the interval
};

struct backtest_result {
  std::string cutoff;
  std::string unit;
  std::string outcome;  ///< the value outcome compared
  double level = 0.8;
  std::size_t known_deals = 0;     ///< deals seen at the cutoff
  std::size_t open_at_cutoff = 0;  ///< in the fitted model's open pipeline
  std::vector<backtest_period> periods;
  backtest_score analytic, monte_carlo;
  std::vector<std::string> warnings;  ///< the fit's warnings at the cutoff
};

/// The opportunity table as known at the end of day `cutoff` (see the header comment).
inline estimate::opportunity_data opportunities_at(const estimate::opportunity_data& d, std::int64_t cutoff) {
  estimate::opportunity_data out = d;
  out.deals.clear();
  for (const auto& x : d.deals) {
    if (x.start > cutoff) continue;
    estimate::deal y = x;
    if (y.close && *y.close > cutoff) y.close.reset(), y.outcome = estimate::open_deal, y.amount = std::nan("");
    out.deals.push_back(std::move(y));
  }
  out.as_of = cutoff;
  return out;
}

/// Posterior of a fit_opportunities result (the history fit's: Dirichlet routes with the
/// open deals' EM shares, route and stage durations, Gamma source rate, bootstrap value).
inline estimate::model_posterior posterior_of(const estimate::fit_result& f) { return f.posterior; }

namespace detail {

inline double pct(double err, double actual) { return std::abs(err) / actual; }

}  // namespace detail

/// Compares forecasts of `post.point` (fitted at `cutoff` in `unit`) with the actual
/// (day, amount) arrivals at `outcome`. Throws invalid_option for a bad option or an
/// outcome not in the model.
inline backtest_result backtest_model(const estimate::model_posterior& post, time_unit unit, const std::string& outcome,
                                      const std::vector<std::pair<std::int64_t, double>>& actual,
                                      const backtest_options& o) {
  if (o.periods == 0) throw invalid_option("backtest: periods must be > 0");
  if (!(o.level > 0 && o.level < 1)) throw invalid_option("backtest: level must be in (0, 1)");
  const double dpu = estimate::days_per(unit);
  const std::size_t K = o.periods;
  backtest_result r;
  r.cutoff = salespipe::format_date(o.cutoff);
  r.unit = std::string(to_string(unit));
  r.outcome = outcome;
  r.level = o.level;
  r.periods.resize(K);
  for (std::size_t k = 0; k < K; ++k) {
    // days D with k <= (D - cutoff - 1/2) / dpu < k + 1
    const auto first = o.cutoff + static_cast<std::int64_t>(std::ceil(static_cast<double>(k) * dpu + 0.5));
    const auto last = o.cutoff + static_cast<std::int64_t>(std::ceil(static_cast<double>(k + 1) * dpu + 0.5)) - 1;
    r.periods[k].from = salespipe::format_date(first);
    r.periods[k].to = salespipe::format_date(last);
  }
  for (const auto& [day, amount] : actual) {
    const double t = (static_cast<double>(day - o.cutoff) - 0.5) / dpu;
    if (t < 0) continue;
    const auto k = static_cast<std::size_t>(std::floor(t));
    if (k >= K) continue;
    r.periods[k].count += 1;
    if (!std::isnan(amount)) r.periods[k].value += amount;
  }
  const pipeline pl(post.point);
  for (const auto& g : pl.open_pipeline()) r.open_at_cutoff += g.size();
  const std::size_t v = pl.index_of(outcome);
  const double lo_p = (1 - o.level) / 2, hi_p = 1 - lo_p;
  // exact forecast
  const auto fc = analytic::forecast(pl, K);
  const bool has_value = pl.model().outcomes.at(v - pl.stage_count()).on_enter.has_value();
  std::vector<period_window> ws;
  for (std::size_t k = 0; k < K; ++k) ws.push_back({k, k + 1});
  std::vector<analytic::lattice_distribution> vd;
  if (has_value) vd = fc.booked_distributions(v, ws);
  for (std::size_t k = 0; k < K; ++k) {
    auto& p = r.periods[k];
    const auto cd = fc.entries_distribution(v, ws[k]);
    p.analytic_count = {fc.entries(v, k), cd.quantile(lo_p), cd.quantile(hi_p)};
    if (has_value) p.analytic_value = {fc.booked(v, k), vd[k].quantile(lo_p), vd[k].quantile(hi_p)};
  }
  // Monte Carlo
  simulate::options so;
  so.periods = K;
  so.replications = o.replications;
  so.seed = o.seed;
  so.threads = o.threads;
  so.record.nodes = {outcome};
  so.record.reward = so.record.wip = false;
  const auto mc = o.parameter_uncertainty
                      ? simulate::run_with_parameter_draws([&](random_engine& rng) { return post.draw(rng); }, so)
                      : simulate::run(pl, so);
  const std::size_t mv = mc.node_index(outcome);
  for (std::size_t k = 0; k < K; ++k) {
    auto& p = r.periods[k];
    for (int q = 0; q < 2; ++q) {
      std::vector<double> x(mc.replications());
      const auto qq = q == 0 ? simulate::quantity::entries : simulate::quantity::value;
      for (std::size_t i = 0; i < x.size(); ++i) x[i] = mc.at(qq, mv, i, k);
      double mean = 0;
      for (double y : x) mean += y;
      mean /= static_cast<double>(x.size());
      std::sort(x.begin(), x.end());
      (q == 0 ? p.mc_count : p.mc_value) = {mean, simulate::quantile_sorted(x, lo_p),
                                            simulate::quantile_sorted(x, hi_p)};
    }
  }
  auto score = [&](auto count_band, auto value_band) {
    backtest_score s;
    std::size_t nc = 0, nv = 0;
    for (const auto& p : r.periods) {
      const band& c = count_band(p);
      const band& b = value_band(p);
      s.mae_count += std::abs(p.count - c.mean) / static_cast<double>(K);
      s.mae_value += std::abs(p.value - b.mean) / static_cast<double>(K);
      if (p.count > 0) s.mape_count += detail::pct(p.count - c.mean, p.count), ++nc;
      if (p.value > 0) s.mape_value += detail::pct(p.value - b.mean, p.value), ++nv;
      s.inside_count += c.contains(p.count) ? 1.0 / static_cast<double>(K) : 0.0;
      s.inside_value += b.contains(p.value) ? 1.0 / static_cast<double>(K) : 0.0;
    }
    s.mape_count = nc ? s.mape_count / static_cast<double>(nc) : std::nan("");
    s.mape_value = nv ? s.mape_value / static_cast<double>(nv) : std::nan("");
    return s;
  };
  r.analytic = score([](const backtest_period& p) -> const band& { return p.analytic_count; },
                     [](const backtest_period& p) -> const band& { return p.analytic_value; });
  r.monte_carlo = score([](const backtest_period& p) -> const band& { return p.mc_count; },
                        [](const backtest_period& p) -> const band& { return p.mc_value; });
  return r;
}

/// Throws invalid_option when the K periods after the cutoff reach past the data end
/// (the actuals would be incomplete) or the cutoff is before the data start.
inline void check_backtest_window(std::int64_t cutoff, std::size_t periods, double dpu, std::int64_t as_of) {
  const auto end = cutoff + static_cast<std::int64_t>(std::ceil(static_cast<double>(periods) * dpu + 0.5)) - 1;
  if (end > as_of)
    throw invalid_option("backtest: " + std::to_string(periods) + " periods after the cutoff " +
                         salespipe::format_date(cutoff) + " end on " + salespipe::format_date(end) +
                         ", after the data end " + salespipe::format_date(as_of) + ": the actuals would be incomplete");
}

/// Backtest on an opportunity table (fit_opportunities at the cutoff).
inline backtest_result backtest_opportunities(const estimate::opportunity_data& d, const estimate::fit_options& fo,
                                              const backtest_options& o) {
  check_backtest_window(o.cutoff, o.periods, estimate::days_per(fo.unit), d.as_of);
  const auto at = opportunities_at(d, o.cutoff);
  const auto f = estimate::fit_opportunities(at, fo);
  std::vector<std::pair<std::int64_t, double>> actual;
  for (const auto& x : d.deals)
    if (!x.is_open() && d.outcomes[x.outcome] == fo.value_outcome && *x.close > o.cutoff)
      actual.push_back({*x.close, x.amount});
  auto r = backtest_model(posterior_of(f), fo.unit, fo.value_outcome, actual, o);
  r.known_deals = at.deals.size();
  r.warnings = f.report.warnings;
  return r;
}

/// Backtest on a stage-history log (fit_history at the cutoff).
inline backtest_result backtest_history(const estimate::history_data& h, const estimate::history_fit_options& fo,
                                        const backtest_options& o) {
  check_backtest_window(o.cutoff, o.periods, estimate::days_per(fo.unit), h.as_of);
  const auto at = estimate::history_at(h, o.cutoff);
  const auto f = estimate::fit_history(at, fo);
  const std::size_t v = h.find(fo.value_outcome);
  std::vector<std::pair<std::int64_t, double>> actual;
  for (const auto& x : h.deals)
    if (x.steps.back().node == v && x.steps.back().day > o.cutoff) actual.push_back({x.steps.back().day, x.amount});
  auto r = backtest_model(f.posterior, fo.unit, fo.value_outcome, actual, o);
  r.known_deals = at.deals.size();
  r.warnings = f.report.warnings;
  return r;
}

/// Prints the per-period table and the scores.
inline void print(std::ostream& os, const backtest_result& r) {
  char buf[320];
  const int pct = static_cast<int>(std::lround(r.level * 100));
  os << "backtest: cutoff " << r.cutoff << ", " << r.periods.size() << " " << r.unit << "(s), '" << r.outcome << "', "
     << r.known_deals << " deals known at the cutoff, " << r.open_at_cutoff << " open in the fitted pipeline; " << pct
     << "% intervals\n";
  std::snprintf(buf, sizeof buf, "%-23s %6s %19s %19s %11s %25s %25s\n", "period", "won", "exact count", "MC count",
                "value", "exact value", "MC value");
  os << buf;
  for (const auto& p : r.periods) {
    std::snprintf(
        buf, sizeof buf,
        "%s..%s %6.0f %5.1f [%4.0f,%4.0f] %5.1f [%4.0f,%4.0f] %11.0f %9.0f [%6.0f,%6.0f] %9.0f [%6.0f,%6.0f]\n",
        p.from.c_str(), p.to.c_str(), p.count, p.analytic_count.mean, p.analytic_count.lower, p.analytic_count.upper,
        p.mc_count.mean, p.mc_count.lower, p.mc_count.upper, p.value, p.analytic_value.mean, p.analytic_value.lower,
        p.analytic_value.upper, p.mc_value.mean, p.mc_value.lower, p.mc_value.upper);
    os << buf;
  }
  for (int e = 0; e < 2; ++e) {
    const auto& s = e == 0 ? r.analytic : r.monte_carlo;
    std::snprintf(
        buf, sizeof buf,
        "%-11s count: MAE %.2f, MAPE %.1f%%, inside %d%%: %.0f%%   value: MAE %.0f, MAPE %.1f%%, inside: %.0f%%\n",
        e == 0 ? "exact" : "Monte Carlo", s.mae_count, 100 * s.mape_count, pct, 100 * s.inside_count, s.mae_value,
        100 * s.mape_value, 100 * s.inside_value);
    os << buf;
  }
  for (const auto& w : r.warnings) os << "fit warning: " << w << "\n";
}

}  // namespace salespipe::backtest

#endif  // SALESPIPE_BACKTEST_BACKTEST_HPP
