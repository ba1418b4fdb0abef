// section_summary.cpp — "Model": name, unit, stages, outcomes, sources, open deals, target.
// JSON key "model".
#include <cstddef>

#include "report.hpp"

namespace salespipe_cli {

namespace {

class summary_section : public report_section {
 public:
  void build(report_context& ctx, report& out) override {
    const salespipe::pipeline& p = ctx.pipeline();
    const auto u = p.unit();
    section s;
    s.key = "model";
    s.title = "Model";
    ojson& j = s.json;
    j["name"] = p.name();
    j["source"] = ctx.source();
    j["time_unit"] = std::string(salespipe::to_string(u));

    std::string ids;
    j["stages"] = ojson::array();
    for (const auto& st : p.stages()) {
      ids += (ids.empty() ? "" : ", ") + st.id;
      j["stages"].push_back(st.id);
    }
    s.line("name: " + (p.name().empty() ? std::string("(unnamed)") : p.name()) + "  [" + ctx.source() + "]");
    s.line("time unit: " + std::string(salespipe::to_string(u)) + " (every rate is per " +
           std::string(salespipe::to_string(u)) + ", every time in " + unit_name(u) + ")");
    s.line("stages (" + std::to_string(p.stage_count()) + "): " + ids);

    ids.clear();
    j["outcomes"] = ojson::array();
    for (const auto& o : p.outcomes()) {
      ids += (ids.empty() ? "" : ", ") + o.id + (o.implicit ? " (implicit)" : "");
      j["outcomes"].push_back(o.id);
    }
    s.line("outcomes (" + std::to_string(p.outcome_count()) + "): " + ids);

    j["sources"] = ojson::array();
    if (p.sources().empty()) s.line("sources: none");
    for (const auto& src : p.sources()) {
      std::string line =
          "source: " + fmt(src.rate) + " per " + std::string(salespipe::to_string(u)) + " into '" + src.stage + "'";
      ojson js;
      js["stage"] = src.stage;
      js["rate"] = src.rate;
      js["schedule"] = ojson::array();
      for (const auto& c : src.schedule) {
        line += ", " + fmt(c.rate) + " from " + std::string(salespipe::to_string(u)) + " " + fmt(c.from);
        js["schedule"].push_back({{"from", c.from}, {"rate", c.rate}});
      }
      j["sources"].push_back(std::move(js));
      s.line(line);
    }

    std::size_t total = 0;
    std::vector<std::size_t> per_stage(p.stage_count(), 0);
    for (const auto& o : p.open_pipeline()) {
      per_stage[o.stage_node] += o.size();
      total += o.size();
    }
    std::string detail;
    j["open_deals"] = ojson::object();
    for (std::size_t k = 0; k < p.stage_count(); ++k) {
      j["open_deals"][p.stage(k).id] = per_stage[k];
      if (per_stage[k] > 0) detail += (detail.empty() ? "" : ", ") + p.stage(k).id + " " + std::to_string(per_stage[k]);
    }
    j["open_deals_total"] = total;
    s.line("open pipeline: " + std::to_string(total) + " deals" + (detail.empty() ? "" : " (" + detail + ")"));

    if (const auto& t = p.target()) {
      j["target"] = {{"node", t->node}, {"per_period", t->per_period}};
      s.line("target: " + fmt(t->per_period) + " entries per " + std::string(salespipe::to_string(u)) + " into '" +
             t->node + "'");
    } else {
      j["target"] = nullptr;
      s.line("target: none");
    }
    out.add(std::move(s));
  }
};

}  // namespace

std::unique_ptr<report_section> make_summary_section() { return std::make_unique<summary_section>(); }

}  // namespace salespipe_cli
