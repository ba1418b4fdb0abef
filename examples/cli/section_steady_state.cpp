// section_steady_state.cpp — "Steady state": a table per stage (entry rate, WIP, mean
// time in stage, P(reach the target node), mean time to absorption, value rate) and per
// outcome (entry rate, share, mean time from source, value rate). JSON key "steady_state".
// All numbers come from salespipe::analytic::solve_steady_state.
#include <cstddef>
#include <optional>

#include <salespipe/analytic/results.hpp>
#include <salespipe/io/json_analytic.hpp>

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
    s.line("Long-run averages with the source rates in force at " + unit_name(p.unit(), 1) + " " + fmt(ss.rates_at) +
           " (" + fmt(ss.source_rate) + " new deals per " + std::string(salespipe::to_string(p.unit())) +
           "): deals in the pipe " + fmt(ss.wip) + ", value booked " + fmt(ss.value_rate) + " per " +
           std::string(salespipe::to_string(p.unit())) + ".");
    s.json = ss;  // io/json_analytic.hpp

    table t;
    t.columns = {"stage", "entry rate" + per, "WIP", "time in stage" + in_units};
    if (target) t.columns.push_back("P(reach " + p.node_id(*target) + ")");
    t.columns.push_back("time to absorption" + in_units);
    t.columns.push_back("value rate" + per);
    for (const auto& st : ss.stages) {
      std::vector<std::string> row{st.id, fmt(st.entry_rate), fmt(st.wip), fmt(st.mean_time_in_stage)};
      if (target) row.push_back(fmt(st.p_reach[*target]));
      row.push_back(fmt(st.mean_time_to_absorption));
      row.push_back(fmt(st.value_rate));
      t.row(std::move(row));
    }
    t.name = "stages";  // --csv: steady_state_stages.csv
    s.add(std::move(t));

    table o;
    o.columns = {"outcome", "entry rate" + per, "share of new deals", "time from source" + in_units,
                 "value rate" + per};
    for (const auto& oc : ss.outcomes) {
      o.row({oc.id, fmt(oc.entry_rate), fmt_pct(oc.probability), fmt(oc.mean_time_from_source), fmt(oc.value_rate)});
    }
    s.line("");
    o.name = "outcomes";  // --csv: steady_state_outcomes.csv
    s.add(std::move(o));
    out.add(std::move(s));
  }
};

}  // namespace

std::unique_ptr<report_section> make_steady_state_section() { return std::make_unique<steady_state_section>(); }

}  // namespace salespipe_cli
