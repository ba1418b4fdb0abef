// section_monte_carlo.cpp — "Monte Carlo": for the target node, P10/P50/P90 of entries
// and value in each of the next 12 periods and over the 12-period window, and P(hitting
// the target over the next 12 periods). JSON key "monte_carlo". Options --mc-reps,
// --mc-seed.
#include <string>

#include <salespipe/io/charts/from_simulation.hpp>
#include <salespipe/simulate/engine.hpp>
#include <salespipe/simulate/summary.hpp>

#include "report.hpp"

namespace salespipe_cli {

namespace {

namespace sim = salespipe::simulate;

class monte_carlo_section : public report_section {
 public:
  void add_options(CLI::App& cmd) override {
    cmd.add_option("--mc-reps", reps_, "Monte Carlo replications for the report (default 2000)")
        ->type_name("N")
        ->check(CLI::PositiveNumber);
    cmd.add_option("--mc-seed", seed_, "Monte Carlo seed (default 1)")->type_name("S");
  }

  void build(report_context& ctx, report& out) override {
    const salespipe::pipeline& p = ctx.pipeline();
    section s;
    s.key = "monte_carlo";
    s.title = "Monte Carlo (next 12 periods)";
    const auto& t = p.target();
    if (!t || !p.has_deals()) {
      s.line(!t ? "no target: nothing to forecast" : "no source and no open deal: nothing to simulate");
      s.json = {{"skipped", !t ? "no target" : "nothing to simulate"}};
      out.add(std::move(s));
      return;
    }
    constexpr std::size_t H = 12;
    sim::options o;
    o.periods = H;
    o.replications = reps_;
    o.seed = seed_;
    o.threads = 0;
    o.record.nodes = {t->node};
    o.record.reward = o.record.wip = false;
    o.progress = terminal_progress();
    const sim::results r = sim::run(p, o);
    const std::size_t n = t->node_index;
    const std::string unit(salespipe::to_string(p.unit()));
    const double goal = t->per_period * static_cast<double>(H);
    const auto hit = sim::probability_at_least(r, sim::quantity::entries, n, {0, H}, goal);

    ojson& j = s.json;
    j["node"] = t->node;
    j["replications"] = r.replications();
    j["seed"] = r.seed();
    j["target_per_period"] = t->per_period;
    j["target_12"] = goal;
    j["p_hit_target_12"] = hit.value;
    j["p_hit_target_12_standard_error"] = hit.standard_error;
    table tb{{unit, "entries P10", "P50", "P90", "value P10", "P50", "P90"}, {}};
    auto add = [&](const std::string& label, sim::window w, ojson& dst) {
      const auto e = sim::summarize(r, sim::quantity::entries, n, w);
      const auto v = sim::summarize(r, sim::quantity::value, n, w);
      tb.row({label, fmt(e.p10), fmt(e.p50), fmt(e.p90), fmt(v.p10), fmt(v.p50), fmt(v.p90)});
      dst = {{"entries", {{"p10", e.p10}, {"p50", e.p50}, {"p90", e.p90}, {"mean", e.mean}}},
             {"value", {{"p10", v.p10}, {"p50", v.p50}, {"p90", v.p90}, {"mean", v.mean}}}};
    };
    j["periods"] = ojson::array();
    for (std::size_t k = 0; k < H; ++k) {
      ojson pk;
      add(std::to_string(k), {k, k + 1}, pk);
      j["periods"].push_back(std::move(pk));
    }
    add("next 12", {0, H}, j["window_12"]);
    s.line("entries into '" + t->node + "' and value booked there, " + std::to_string(r.replications()) +
           " replications (seed " + std::to_string(r.seed()) + ")");
    tb.name = "per_period";  // --csv: monte_carlo_per_period.csv
    s.add(std::move(tb));
    s.line("P(at least " + fmt(goal) + " entries into '" + t->node + "' over the next 12 " + unit_name(p.unit()) +
           ") = " + fmt_pct(hit.value) + " (± " + fmt_pct(hit.standard_error) + ")");
    auto fan = salespipe::io::charts::fan_from_simulation(r, sim::quantity::entries, n, t->node);
    fan.x_label = unit;
    fan.y_label = "entries into '" + t->node + "'";
    fan.target = t->per_period;
    s.chart("fan", salespipe::io::charts::fan_chart(fan));
    out.add(std::move(s));
  }

 private:
  std::size_t reps_ = 2000;
  std::uint64_t seed_ = 1;
};

}  // namespace

std::unique_ptr<report_section> make_monte_carlo_section() { return std::make_unique<monte_carlo_section>(); }

}  // namespace salespipe_cli
