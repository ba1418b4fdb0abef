// section_steady_state.cpp — "Steady state": a table per stage (entry rate, WIP, mean
// time in stage, P(reach the target node), mean time to absorption, value rate) and per
// outcome (entry rate, share, mean time from source, value rate). JSON key "steady_state".
// All numbers come from salespipe::analytic::solve_steady_state.
#include <cstddef>
#include <optional>

#include <salespipe/analytic/results.hpp>

#include "report.hpp"

namespace salespipe_cli {

namespace {

class steady_state_section : public report_section {
 public:
  void build(report_context& ctx, report& out) override {
    const salespipe::pipeline& p = ctx.pipeline();
    const salespipe::analytic::steady_state& ss = ctx.steady_state();
    const std::string per = "/" + std::string(salespipe::to_string(p.unit()));
    const std::string in_units = " (" + unit_name(p.unit()) + ")";
    std::optional<std::size_t> target;
    if (p.target()) target = p.target()->node_index;

    section s;
    s.key = "steady_state";
    s.title = "Steady state";
    s.line("Long-run averages with the source rates in force at " + unit_name(p.unit(), 1) +
           " " + fmt(ss.rates_at) + " (" + fmt(ss.source_rate) + " new deals per " +
           std::string(salespipe::to_string(p.unit())) + "): deals in the pipe " + fmt(ss.wip) +
           ", value booked " + fmt(ss.value_rate) + " per " +
           std::string(salespipe::to_string(p.unit())) + ".");
    ojson& j = s.json;
    j["rates_at"] = ss.rates_at;
    j["source_rate"] = ss.source_rate;
    j["wip"] = ss.wip;
    j["value_rate"] = ss.value_rate;

    table t;
    t.columns = {"stage", "entry rate" + per, "WIP", "time in stage" + in_units};
    if (target) t.columns.push_back("P(reach " + p.node_id(*target) + ")");
    t.columns.push_back("time to absorption" + in_units);
    t.columns.push_back("value rate" + per);
    j["stages"] = ojson::array();
    for (const auto& st : ss.stages) {
      std::vector<std::string> row{st.id, fmt(st.entry_rate), fmt(st.wip),
                                   fmt(st.mean_time_in_stage)};
      if (target) row.push_back(fmt(st.p_reach[*target]));
      row.push_back(fmt(st.mean_time_to_absorption));
      row.push_back(fmt(st.value_rate));
      t.row(std::move(row));

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
        tt[ss.outcomes[k].id] = st.mean_time_to_outcome[k];  // NaN (never) → null
      }
      for (std::size_t n = 0; n < ss.node_ids.size(); ++n) pr[ss.node_ids[n]] = st.p_reach[n];
      js["p_absorb"] = std::move(pa);
      js["mean_time_to_outcome"] = std::move(tt);
      js["p_reach"] = std::move(pr);
      if (target) js["p_reach_target"] = st.p_reach[*target];
      js["value_rate"] = st.value_rate;
      j["stages"].push_back(std::move(js));
    }
    t.name = "stages";  // --csv: steady_state_stages.csv
    s.add(std::move(t));

    table o;
    o.columns = {"outcome", "entry rate" + per, "share of new deals",
                 "time from source" + in_units, "value rate" + per};
    j["outcomes"] = ojson::array();
    for (const auto& oc : ss.outcomes) {
      o.row({oc.id, fmt(oc.entry_rate), fmt_pct(oc.probability), fmt(oc.mean_time_from_source),
             fmt(oc.value_rate)});
      ojson jo;
      jo["id"] = oc.id;
      jo["entry_rate"] = oc.entry_rate;
      jo["probability"] = oc.probability;
      jo["mean_time_from_source"] = oc.mean_time_from_source;
      jo["mean_value_on_entry"] = oc.mean_value_on_entry;
      jo["value_rate"] = oc.value_rate;
      j["outcomes"].push_back(std::move(jo));
    }
    s.line("");
    o.name = "outcomes";  // --csv: steady_state_outcomes.csv
    s.add(std::move(o));
    out.add(std::move(s));
  }
};

}  // namespace

std::unique_ptr<report_section> make_steady_state_section() {
  return std::make_unique<steady_state_section>();
}

}  // namespace salespipe_cli
