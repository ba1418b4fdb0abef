// salespipe/io/json_analytic.hpp — the analytic engine's steady state and coverage as JSON
// (the report's "steady_state" and "coverage" keys).
// Part of the results-as-JSON vocabulary (nlohmann-style to_json found by ADL, so
// `nlohmann::ordered_json j = result;` works): the objects the command line writes under its
// --json keys, so an embedder gets exactly the CLI's JSON. Numbers keep full precision; NaN
// and infinities become null (JSON has neither). Keys in a fixed order (ordered_json),
// documented in the README.
#ifndef SALESPIPE_IO_JSON_ANALYTIC_HPP
#define SALESPIPE_IO_JSON_ANALYTIC_HPP

#include <cmath>
#include <cstddef>
#include <string>

#include <nlohmann/json.hpp>

#include <salespipe/analytic/results.hpp>

namespace salespipe {

namespace analytic {

namespace detail {
// A value that is undefined for some nodes (a time to an outcome never reached, a ratio
// to nothing required): null in the JSON, never NaN or infinity in the ojson value.
inline nlohmann::ordered_json finite_or_null(double x) {
  return std::isfinite(x) ? nlohmann::ordered_json(x) : nlohmann::ordered_json(nullptr);
}
}  // namespace detail

/// {rates_at, source_rate, wip, value_rate, stages: [...], outcomes: [...]}; a stage has
/// p_absorb, mean_time_to_outcome (by outcome id), p_reach (by node id) and, when the model
/// has a target, p_reach_target.
inline void to_json(nlohmann::ordered_json& j, const steady_state& ss) {
  using ojson = nlohmann::ordered_json;
  j = ojson::object();
  j["rates_at"] = ss.rates_at;
  j["source_rate"] = ss.source_rate;
  j["wip"] = ss.wip;
  j["value_rate"] = ss.value_rate;
  j["stages"] = ojson::array();
  for (const auto& st : ss.stages) {
    ojson js;
    js["id"] = st.id;
    js["source_rate"] = st.source_rate;
    js["entry_rate"] = st.entry_rate;
    js["visits"] = st.visits;
    js["wip"] = st.wip;
    js["mean_time_in_stage"] = st.mean_time_in_stage;
    js["var_time_in_stage"] = st.var_time_in_stage;
    js["p_return"] = st.p_return;
    js["mean_time_to_absorption"] = st.mean_time_to_absorption;
    js["var_time_to_absorption"] = st.var_time_to_absorption;
    ojson pa = ojson::object(), tt = ojson::object(), pr = ojson::object();
    for (std::size_t k = 0; k < ss.outcomes.size(); ++k) {
      pa[ss.outcomes[k].id] = st.p_absorb[k];
      tt[ss.outcomes[k].id] = detail::finite_or_null(st.mean_time_to_outcome[k]);  // never: null
    }
    for (std::size_t n = 0; n < ss.node_ids.size(); ++n) pr[ss.node_ids[n]] = st.p_reach[n];
    js["p_absorb"] = std::move(pa);
    js["mean_time_to_outcome"] = std::move(tt);
    js["p_reach"] = std::move(pr);
    if (ss.target) js["p_reach_target"] = st.p_reach[*ss.target];
    js["value_rate"] = st.value_rate;
    j["stages"].push_back(std::move(js));
  }
  j["outcomes"] = ojson::array();
  for (const auto& oc : ss.outcomes) {
    ojson jo;
    jo["id"] = oc.id;
    jo["entry_rate"] = oc.entry_rate;
    jo["probability"] = oc.probability;
    jo["mean_time_from_source"] = detail::finite_or_null(oc.mean_time_from_source);  // never: null
    jo["mean_value_on_entry"] = oc.mean_value_on_entry;
    jo["value_rate"] = oc.value_rate;
    j["outcomes"].push_back(std::move(jo));
  }
}

/// {node, per_period, current_rate, scale, source_rate, required_source_rate,
/// required_source_rates: [{stage, rate}], required_wip, open_wip, gap, ratio,
/// p_reach_target, expected_target_entries, required_value (each by stage id),
/// required_wip_total, open_wip_total, value_per_entry, required_pipeline_value, loophole
/// (stage id or null)}.
inline void to_json(nlohmann::ordered_json& j, const coverage& cov) {
  using ojson = nlohmann::ordered_json;
  j = ojson::object();
  j["node"] = cov.node;
  j["per_period"] = cov.per_period;
  j["current_rate"] = cov.current_rate;
  j["scale"] = cov.scale;
  j["source_rate"] = cov.source_rate;
  j["required_source_rate"] = cov.required_source_rate;
  j["required_source_rates"] = ojson::array();
  for (std::size_t i = 0; i < cov.required_source_rates.size() && i < cov.source_stages.size(); ++i)
    j["required_source_rates"].push_back({{"stage", cov.source_stages[i]}, {"rate", cov.required_source_rates[i]}});
  ojson req = ojson::object(), open = ojson::object(), gap = ojson::object(), ratio = ojson::object(),
        reach = ojson::object(), entries = ojson::object(), value = ojson::object();
  for (const auto& cs : cov.stages) {
    req[cs.id] = cs.required_wip;
    open[cs.id] = cs.open_wip;
    gap[cs.id] = cs.gap;
    ratio[cs.id] = detail::finite_or_null(cs.ratio);  // nothing required: null
    reach[cs.id] = cs.p_reach_target;
    entries[cs.id] = cs.expected_target_entries;
    value[cs.id] = cs.required_value;
  }
  j["required_wip"] = std::move(req);
  j["open_wip"] = std::move(open);
  j["gap"] = std::move(gap);
  j["ratio"] = std::move(ratio);
  j["p_reach_target"] = std::move(reach);
  j["expected_target_entries"] = std::move(entries);
  j["required_value"] = std::move(value);
  j["required_wip_total"] = cov.required_wip;
  j["open_wip_total"] = cov.open_wip;
  j["value_per_entry"] = cov.value_per_entry;
  j["required_pipeline_value"] = cov.required_pipeline_value;
  j["loophole"] = cov.loophole_index ? ojson(cov.stages[*cov.loophole_index].id) : ojson(nullptr);
}

}  // namespace analytic

}  // namespace salespipe

#endif  // SALESPIPE_IO_JSON_ANALYTIC_HPP
