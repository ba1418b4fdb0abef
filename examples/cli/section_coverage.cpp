// section_coverage.cpp — "Coverage": what the pipeline must hold, stage by stage, for the
// model's target, the gap against the open pipeline, and the loophole stage. JSON key
// "coverage" (null when the model has no target or coverage is undefined).
// All numbers come from salespipe::analytic::solve_coverage.
#include <cstddef>

#include <salespipe/analytic/results.hpp>
#include <salespipe/io/charts/from_analytic.hpp>

#include "report.hpp"

namespace salespipe_cli {

namespace {

class coverage_section : public report_section {
 public:
  void build(report_context& ctx, report& out) override {
    const salespipe::pipeline& p = ctx.pipeline();
    const std::string unit(salespipe::to_string(p.unit()));
    section s;
    s.key = "coverage";
    s.title = "Coverage and gap";
    const salespipe::analytic::coverage* cov = ctx.coverage();
    if (!cov) {
      s.line("Not available: " + ctx.coverage_note() + ".");
      s.json = nullptr;
      out.add(std::move(s));
      return;
    }
    s.line("Target: " + fmt(cov->per_period) + " entries per " + unit + " into '" + cov->node +
           "' (now " + fmt(cov->current_rate) + " per " + unit + ").");
    s.line("Required source rate: " + fmt(cov->required_source_rate) + " new deals per " + unit +
           " (now " + fmt(cov->source_rate) + ", x" + fmt(cov->scale) + ").");

    ojson& j = s.json;
    j["node"] = cov->node;
    j["per_period"] = cov->per_period;
    j["current_rate"] = cov->current_rate;
    j["scale"] = cov->scale;
    j["source_rate"] = cov->source_rate;
    j["required_source_rate"] = cov->required_source_rate;
    j["required_source_rates"] = ojson::array();
    for (std::size_t i = 0; i < p.sources().size() && i < cov->required_source_rates.size(); ++i)
      j["required_source_rates"].push_back(
          {{"stage", p.sources()[i].stage}, {"rate", cov->required_source_rates[i]}});

    table t;
    t.columns = {"stage", "required WIP", "open", "gap", "covered",
                 "P(reach " + cov->node + " | in stage)"};
    ojson req = ojson::object(), open = ojson::object(), gap = ojson::object(),
          ratio = ojson::object(), reach = ojson::object(), entries = ojson::object(),
          value = ojson::object();
    for (const auto& cs : cov->stages) {
      t.row({cs.id, fmt(cs.required_wip), fmt(cs.open_wip), fmt(cs.gap), fmt_pct(cs.ratio),
             fmt(cs.p_reach_target)});
      req[cs.id] = cs.required_wip;
      open[cs.id] = cs.open_wip;
      gap[cs.id] = cs.gap;
      ratio[cs.id] = cs.ratio;  // infinite (nothing required) → null
      reach[cs.id] = cs.p_reach_target;
      entries[cs.id] = cs.expected_target_entries;
      value[cs.id] = cs.required_value;
    }
    t.row({"total", fmt(cov->required_wip), fmt(cov->open_wip), fmt(cov->open_wip - cov->required_wip),
           cov->required_wip > 0 ? fmt_pct(cov->open_wip / cov->required_wip) : "-", ""});
    t.name = "stages";  // --csv: coverage_stages.csv
    s.add(std::move(t));
    j["required_wip"] = std::move(req);
    j["open_wip"] = std::move(open);
    j["gap"] = std::move(gap);
    j["ratio"] = std::move(ratio);
    j["p_reach_target"] = std::move(reach);
    j["expected_target_entries"] = std::move(entries);
    j["required_value"] = std::move(value);
    j["required_wip_total"] = cov->required_wip;
    j["open_wip_total"] = cov->open_wip;
    j["value_per_entry"] = cov->value_per_entry;
    j["required_pipeline_value"] = cov->required_pipeline_value;

    if (cov->value_per_entry > 0)
      s.line("Required pipeline value: " + fmt(cov->required_pipeline_value) + " (" +
             fmt(cov->value_per_entry) + " booked per entry into '" + cov->node + "').");
    s.chart("coverage", salespipe::io::charts::coverage_chart(salespipe::io::charts::coverage_from(*cov)));
    if (cov->loophole_index) {
      const auto& lh = cov->stages[*cov->loophole_index];
      s.line("Loophole: stage '" + lh.id + "' holds " + fmt(lh.open_wip) + " open deals; " +
             fmt(lh.required_wip) + " are required (gap " + fmt(lh.gap) + ", " +
             fmt_pct(lh.ratio) + " covered).");
      j["loophole"] = lh.id;
    } else {
      s.line("No loophole: every stage holds at least the deals the target requires.");
      j["loophole"] = nullptr;
    }
    out.add(std::move(s));
  }
};

}  // namespace

std::unique_ptr<report_section> make_coverage_section() {
  return std::make_unique<coverage_section>();
}

}  // namespace salespipe_cli
