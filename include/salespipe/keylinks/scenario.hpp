// salespipe/keylinks/scenario.hpp — named what-if scenarios run on both engines, the
// simulator with common random numbers.
//
//   kl::scenario s{"+10% win rate", {kl::change::scale_probability("prospect", "customer", 1.1)}};
//   auto c = kl::compare_scenarios(m, {s}, kpi, sim_options);
//   c.scenarios[0].diff_analytic;          // exact difference (analytic engine)
//   c.scenarios[0].diff_sim_mean ± diff_sim_se   // paired, common random numbers
//
// A scenario is a list of changes applied in order to a copy of the model, each resolved and
// applied through the edit vocabulary (edit.hpp: conversions follow its remainder-to-lost
// convention) and validated once.
//
// Common random numbers: the base and every scenario are simulated with the same seed and
// chunk_size 1 (whatever sim.chunk_size says), so replication i of each draws from its own
// stream random_engine(seed, i). (With larger chunks a replication's stream continues the
// previous one's, so a scenario that consumes a different number of draws would desync every
// later replication of the chunk.) The simulator draws open deals, then arrivals, then stage
// by stage, so the parts of the process a scenario does not change see the same draws. The per-replication paired
// difference then has a much smaller variance than the difference of independent runs; diff_se_independent is what the
// standard error would be if the runs were independent (sqrt(se_base² + se_scenario²)).
//
// The simulated KPI is the window measure of kpi.window: window_value → value over the
// window; p_hit → the fraction of replications with entries >= goal; entry_rate and
// value_rate → entries or value per period averaged over the window (they agree with the
// steady state only when the window is in steady state); cycle_time is not simulated (NaN).
#ifndef SALESPIPE_KEYLINKS_SCENARIO_HPP
#define SALESPIPE_KEYLINKS_SCENARIO_HPP

#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include <salespipe/keylinks/kpi.hpp>
#include <salespipe/keylinks/lever.hpp>
#include <salespipe/simulate/engine.hpp>

namespace salespipe {
namespace keylinks {

/// One change of a model.
struct change {
  enum class kind { set_probability, scale_probability, scale_duration, scale_source, set_source_rate, add_open };
  kind what = kind::scale_source;
  std::string stage, to;  ///< stage id; route target for probabilities
  double value = 1;       ///< new probability, factor, or rate
  double from = 0;        ///< scale_source / set_source_rate: from this time on
  std::size_t count = 0;  ///< add_open: deals
  double age = 0;         ///< add_open: their age in the stage

  /// p(stage → to) = p (the remainder to lost adjusts).
  static change set_probability(std::string s, std::string t, double p) {
    return {kind::set_probability, std::move(s), std::move(t), p, 0, 0, 0};
  }
  /// p(stage → to) × factor.
  static change scale_probability(std::string s, std::string t, double f) {
    return {kind::scale_probability, std::move(s), std::move(t), f, 0, 0, 0};
  }
  /// The stage's durations × factor (shape kept).
  static change scale_duration(std::string s, double f) { return {kind::scale_duration, std::move(s), {}, f, 0, 0, 0}; }
  /// Rates of the sources into the stage × factor from time `from` on.
  static change scale_source(std::string s, double f, double from = 0) {
    return {kind::scale_source, std::move(s), {}, f, from, 0, 0};
  }
  /// Rate of the sources into the stage = rate from time `from` on (later schedule entries dropped).
  static change set_source_rate(std::string s, double rate, double from = 0) {
    return {kind::set_source_rate, std::move(s), {}, rate, from, 0, 0};
  }
  /// `count` more open deals of age `age` in the stage.
  static change add_open(std::string s, std::size_t count, double age) {
    return {kind::add_open, std::move(s), {}, 0, 0, count, age};
  }
};

/// A named list of changes.
struct scenario {
  std::string name;
  std::vector<change> changes;
};

/// `base` with the scenario's changes applied in order. Throws invalid_model naming the
/// scenario and the change (unknown stage or route, probability outside [0, 1], bad factor).
inline model apply(const model& base, const scenario& sc) {
  if (sc.changes.empty()) return base;
  auto who = [&](std::size_t i) { return "scenario '" + sc.name + "', change " + std::to_string(i) + ": "; };
  pipeline pl = [&] {
    try {
      return pipeline(base);
    } catch (const error& e) {
      throw invalid_model(who(0) + e.what());
    }
  }();
  for (std::size_t i = 0; i < sc.changes.size(); ++i) {
    const change& c = sc.changes[i];
    try {
      model m = pl.model();
      switch (c.what) {
        case change::kind::set_probability:
        case change::kind::scale_probability: {
          const parameter l = find_parameter(pl, "conversion:" + c.stage + "->" + c.to);
          const double p0 = value(pl, l);
          if (c.what == change::kind::set_probability && !(c.value >= 0 && c.value <= 1))
            throw invalid_model("p(" + c.stage + "->" + c.to + ") = " + salespipe::detail::num(c.value) +
                                " is outside [0, 1]");
          if (c.what == change::kind::set_probability && p0 == 0)
            throw invalid_model("p(" + c.stage + "->" + c.to + ") is 0 now: set it in the model");
          scale_in_place(m, l, c.what == change::kind::scale_probability ? c.value : c.value / p0);
          break;
        }
        case change::kind::scale_duration: scale_in_place(m, find_parameter(pl, "duration:" + c.stage), c.value); break;
        case change::kind::scale_source:
        case change::kind::set_source_rate: {
          const parameter l = find_parameter(pl, "source:" + c.stage);  // checks the stage has a source
          if (!(c.value >= 0) || !(c.from >= 0) || !std::isfinite(c.value))
            throw invalid_model("source rate change: value and from must be finite and >= 0");
          for (auto& so : m.sources) {
            if (so.stage_node != l.stage_node) continue;
            if (c.what == change::kind::scale_source) {
              salespipe::detail::scale_source(so, c.from, c.value);
              continue;
            }
            std::vector<rate_change> kept;
            for (const auto& rc : so.schedule)
              if (rc.from < c.from) kept.push_back(rc);
            so.schedule = std::move(kept);
            if (c.from <= 0)
              so.rate = c.value;
            else
              so.schedule.push_back({c.from, c.value});
          }
          break;
        }
        case change::kind::add_open: m.add_open(c.stage, c.count, c.age); break;
      }
      pl = pipeline(std::move(m));  // validated now, so the message names this change
    } catch (const error& e) {
      throw invalid_model(who(i) + e.what());
    }
  }
  return pl.model();
}

/// One scenario compared with the base.
struct scenario_outcome {
  std::string name;
  double analytic = 0;                        ///< the KPI, analytic engine
  double diff_analytic = 0;                   ///< analytic − base analytic
  double sim_mean = 0, sim_se = 0;            ///< the simulated window KPI and its SE
  double diff_sim_mean = 0, diff_sim_se = 0;  ///< paired (common random numbers)
  double diff_se_independent = 0;             ///< sqrt(se_base² + se²): the SE without pairing
};

/// The base and the scenarios on both engines.
struct scenario_comparison {
  std::string kpi;  ///< describe(kpi)
  double base_analytic = 0, base_sim_mean = 0, base_sim_se = 0;
  std::vector<scenario_outcome> scenarios;
};

/// Per-replication simulated window KPI of pl (see the header comment).
inline std::vector<double> simulated_kpi(const pipeline& pl, const kpi_spec& k, const simulate::options& sim) {
  check_kpi(pl, k);
  const std::size_t v = kpi_node(pl, k);
  simulate::options o = sim;
  o.periods = std::max<std::size_t>(k.window.to, 1);
  const auto res = simulate::run(pl, o);
  std::vector<double> out(res.replications(), std::numeric_limits<double>::quiet_NaN());
  if (k.kind == kpi_kind::cycle_time) return out;
  const bool value = k.kind == kpi_kind::window_value || k.kind == kpi_kind::value_rate;
  const double goal = k.kind == kpi_kind::p_hit ? kpi_goal(pl, k) : 0.0;
  const double per = is_forecast_kpi(k.kind) ? 1.0 : static_cast<double>(k.window.size());
  for (std::size_t r = 0; r < res.replications(); ++r) {
    double x = 0;
    for (std::size_t q = k.window.from; q < k.window.to; ++q) {
      if (!value) {
        x += res.at(simulate::quantity::entries, v, r, q);
        continue;
      }
      for (std::size_t n = 0; n < pl.node_count(); ++n) {
        if (res.has(simulate::quantity::value, n)) x += res.at(simulate::quantity::value, n, r, q);
        if (res.has(simulate::quantity::reward, n)) x += res.at(simulate::quantity::reward, n, r, q);
      }
    }
    out[r] = k.kind == kpi_kind::p_hit ? (x >= goal - 1e-9 ? 1.0 : 0.0) : x / per;
  }
  return out;
}

namespace detail {
inline void mean_se(const std::vector<double>& x, double& m, double& se) {
  const double n = static_cast<double>(x.size());
  m = 0;
  for (double v : x) m += v;
  m /= n;
  double ss = 0;
  for (double v : x) ss += (v - m) * (v - m);
  se = x.size() > 1 ? std::sqrt(ss / (n - 1) / n) : std::numeric_limits<double>::quiet_NaN();
}
}  // namespace detail

/// Runs the base and every scenario on both engines (the simulator with sim's seed for
/// all: common random numbers). Throws like apply(), evaluate() and simulate::run().
inline scenario_comparison compare_scenarios(const model& base, const std::vector<scenario>& scenarios,
                                             const kpi_spec& k, const simulate::options& sim) {
  const pipeline pb(base);
  simulate::options crn = sim;
  crn.chunk_size = 1;
  scenario_comparison out;
  out.kpi = describe(k, pb.node_id(kpi_node(pb, k)));
  out.base_analytic = evaluate(pb, k);
  const std::vector<double> xb = simulated_kpi(pb, k, crn);
  detail::mean_se(xb, out.base_sim_mean, out.base_sim_se);
  for (const auto& sc : scenarios) {
    const pipeline ps(apply(base, sc));
    scenario_outcome o;
    o.name = sc.name;
    o.analytic = evaluate(ps, k);
    o.diff_analytic = o.analytic - out.base_analytic;
    const std::vector<double> xs = simulated_kpi(ps, k, crn);
    detail::mean_se(xs, o.sim_mean, o.sim_se);
    std::vector<double> d(xs.size());
    for (std::size_t i = 0; i < d.size(); ++i) d[i] = xs[i] - xb[i];
    detail::mean_se(d, o.diff_sim_mean, o.diff_sim_se);
    o.diff_se_independent = std::sqrt(out.base_sim_se * out.base_sim_se + o.sim_se * o.sim_se);
    out.scenarios.push_back(std::move(o));
  }
  return out;
}

}  // namespace keylinks
}  // namespace salespipe

#endif  // SALESPIPE_KEYLINKS_SCENARIO_HPP
