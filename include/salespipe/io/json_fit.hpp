// salespipe/io/json_fit.hpp — fit reports as JSON: `salespipe fit --json` (the opportunity
// table's fit_report and the stage history's history_report), and their parts (parameter
// estimates, duration fits, skipped rows). nlohmann-style to_json found by ADL; NaN and
// infinities become null; keys in a fixed order (ordered_json), documented in the README.
#ifndef SALESPIPE_IO_JSON_FIT_HPP
#define SALESPIPE_IO_JSON_FIT_HPP

#include <nlohmann/json.hpp>

#include <salespipe/estimate/duration_fit.hpp>
#include <salespipe/estimate/fit_report.hpp>
#include <salespipe/estimate/history_fit.hpp>
#include <salespipe/estimate/opportunity_table.hpp>
#include <salespipe/io/detail/json_number.hpp>

namespace salespipe::estimate {

/// {name, estimate, lower, upper, n, unit} (null where not finite).
inline void to_json(nlohmann::ordered_json& j, const parameter_estimate& p) {
  using salespipe::io::detail::finite_or_null;
  j = {{"name", p.name},
       {"estimate", finite_or_null(p.estimate)},
       {"lower", finite_or_null(p.ci.lower)},
       {"upper", finite_or_null(p.ci.upper)},
       {"n", p.n},
       {"unit", p.unit}};
}

/// {line, id, reason}.
inline void to_json(nlohmann::ordered_json& j, const skipped_row& s) {
  j = {{"line", s.line}, {"id", s.id}, {"reason", s.reason}};
}

/// {chosen, ks, events, n, candidates: [{family, ok, aic, ks}]}.
inline void to_json(nlohmann::ordered_json& j, const duration_fit& d) {
  using ojson = nlohmann::ordered_json;
  using salespipe::io::detail::finite_or_null;
  ojson c = ojson::array();
  for (const auto& f : d.candidates)
    c.push_back(
        {{"family", to_string(f.kind)}, {"ok", f.ok}, {"aic", finite_or_null(f.aic)}, {"ks", finite_or_null(f.ks)}});
  j = {{"chosen", to_string(d.chosen)},
       {"ks", finite_or_null(d.ks)},
       {"events", d.events},
       {"n", d.n},
       {"candidates", c}};
}

/// The opportunity-table fit report: {salespipe_fit_report: 1, format: "opportunities", stage,
/// unit, level, rows, deals, closed, open, stale, stale_as_lost, parameters, routes, monthly,
/// warnings, skipped}.
inline void to_json(nlohmann::ordered_json& j, const fit_report& r) {
  using ojson = nlohmann::ordered_json;
  ojson routes = ojson::array();
  for (const auto& rt : r.routes) {
    // the open deals' EM share of the route: its Dirichlet parameter minus prior 1 and the closed count
    const double open_share = r.routes.size() >= 2 ? rt.p.a - 1 - static_cast<double>(rt.count) : 0.0;
    ojson jr = {{"to", rt.to}, {"count", rt.count}, {"open_share", open_share}, {"p_mean", rt.p.mean()}};
    if (rt.duration) jr["duration"] = *rt.duration;
    routes.push_back(jr);
  }
  ojson monthly = ojson::array();
  for (const auto& m : r.monthly)
    monthly.push_back({{"month", m.month},
                       {"started", m.started},
                       {"still_open", m.still_open},
                       {"closed", m.closed},
                       {"value", m.value}});
  j = {{"salespipe_fit_report", 1},
       {"format", "opportunities"},
       {"stage", r.stage},
       {"unit", r.unit},
       {"level", r.level},
       {"rows", r.rows},
       {"deals", r.deals},
       {"closed", r.closed},
       {"open", r.open},
       {"stale", r.stale},
       {"stale_as_lost", r.stale_as_lost},
       {"parameters", r.parameters},
       {"routes", routes},
       {"monthly", monthly},
       {"warnings", r.warnings},
       {"skipped", r.skipped}};
}

/// The stage-history fit report: {salespipe_fit_report: 1, format: "history", unit, level,
/// rows, deals, closed, open, outcomes, parameters, stages, monthly, warnings, skipped}.
inline void to_json(nlohmann::ordered_json& j, const history_report& r) {
  using ojson = nlohmann::ordered_json;
  ojson stages = ojson::array();
  for (const auto& s : r.stages) {
    ojson routes = ojson::array();
    for (const auto& rt : s.routes) {
      ojson jr = {{"to", rt.to}, {"closed", rt.closed}, {"open_share", rt.open_share}, {"p_mean", rt.p.mean()}};
      if (rt.duration) jr["duration"] = *rt.duration;
      routes.push_back(jr);
    }
    const auto med = s.time_in_stage.median();
    stages.push_back({{"id", s.id},
                      {"entries", s.entries},
                      {"closed", s.closed},
                      {"open", s.open},
                      {"stale", s.stale},
                      {"stale_as_lost", s.stale_as_lost},
                      {"km_median", med ? ojson(*med) : ojson(nullptr)},
                      {"duration", s.duration},
                      {"routes", routes}});
  }
  ojson monthly = ojson::array();
  for (const auto& m : r.monthly)
    monthly.push_back({{"month", m.month}, {"started", m.started}, {"reached", m.reached}, {"value", m.value}});
  j = {{"salespipe_fit_report", 1},  {"format", "history"}, {"unit", r.unit},
       {"level", r.level},           {"rows", r.rows},      {"deals", r.deals},
       {"closed", r.closed},         {"open", r.open},      {"outcomes", r.outcomes},
       {"parameters", r.parameters}, {"stages", stages},    {"monthly", monthly},
       {"warnings", r.warnings},     {"skipped", r.skipped}};
}

}  // namespace salespipe::estimate

#endif  // SALESPIPE_IO_JSON_FIT_HPP
