// section_coverage.cpp — "Coverage": what the pipeline must hold, stage by stage, for the
// model's target, the gap against the open pipeline, and the loophole stage. JSON key
// "coverage" (null when the model has no target or coverage is undefined).
// All numbers come from salespipe::analytic::solve_coverage.
#include <cstddef>

#include <salespipe/analytic/results.hpp>
#include <salespipe/io/charts/from_analytic.hpp>
#include <salespipe/io/json_analytic.hpp>

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
    s.line("Target: " + fmt(cov->per_period) + " entries per " + unit + " into '" + cov->node + "' (now " +
           fmt(cov->current_rate) + " per " + unit + ").");
    s.line("Required source rate: " + fmt(cov->required_source_rate) + " new deals per " + unit + " (now " +
           fmt(cov->source_rate) + ", x" + fmt(cov->scale) + ").");

    s.json = *cov;  // io/json_analytic.hpp

    table t;
    t.columns = {"stage", "required WIP", "open", "gap", "covered", "P(reach " + cov->node + " | in stage)"};
    for (const auto& cs : cov->stages) {
      t.row({cs.id, fmt(cs.required_wip), fmt(cs.open_wip), fmt(cs.gap), fmt_pct(cs.ratio), fmt(cs.p_reach_target)});
    }
    t.row({"total", fmt(cov->required_wip), fmt(cov->open_wip), fmt(cov->open_wip - cov->required_wip),
           cov->required_wip > 0 ? fmt_pct(cov->open_wip / cov->required_wip) : "-", ""});
    t.name = "stages";  // --csv: coverage_stages.csv
    s.add(std::move(t));

    if (cov->value_per_entry > 0)
      s.line("Required pipeline value: " + fmt(cov->required_pipeline_value) + " (" + fmt(cov->value_per_entry) +
             " booked per entry into '" + cov->node + "').");
    s.chart("coverage", salespipe::io::charts::coverage_chart(salespipe::io::charts::coverage_from(*cov)));
    if (cov->loophole_index) {
      const auto& lh = cov->stages[*cov->loophole_index];
      s.line("Loophole: stage '" + lh.id + "' holds " + fmt(lh.open_wip) + " open deals; " + fmt(lh.required_wip) +
             " are required (gap " + fmt(lh.gap) + ", " + fmt_pct(lh.ratio) + " covered).");
    } else {
      s.line("No loophole: every stage holds at least the deals the target requires.");
    }
    out.add(std::move(s));
  }
};

}  // namespace

std::unique_ptr<report_section> make_coverage_section() { return std::make_unique<coverage_section>(); }

}  // namespace salespipe_cli
