// section_time.cpp — "Time": the exact forecast (analytic/forecast.hpp) for the target
// node: per period expected entries and value with P10/P90, this fiscal year vs rolling
// 12 periods, the lag sentence of a +50% inflow step, and time-to-outcome P50/P90 from
// each stage (analytic/transient.hpp). JSON key "time". Report option --fiscal-start P;
// `salespipe forecast` (cmd_forecast.cpp) prints the same section for any horizon.
#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

#include <salespipe/analytic/forecast.hpp>
#include <salespipe/analytic/lag.hpp>
#include <salespipe/analytic/loop_counts.hpp>
#include <salespipe/analytic/transient.hpp>
#include <salespipe/io/charts/from_analytic.hpp>

#include "report.hpp"

namespace salespipe_cli {

namespace {

// The node the time section follows: the target, else the first outcome with a value,
// else the first declared outcome.
std::size_t followed_node(const salespipe::pipeline& p) {
  if (p.target()) return p.target()->node_index;
  for (std::size_t k = 0; k < p.outcome_count(); ++k)
    if (p.outcomes()[k].on_enter) return p.outcome_node(k);
  return p.outcome_node(0);
}

}  // namespace

section time_section(const salespipe::pipeline& p, std::size_t periods, std::size_t fiscal_start) {
  namespace sp = salespipe;
  section s;
  s.key = "time";
  s.title = "Time: exact forecast per period";
  if (!p.has_deals()) {
    s.line("no source and no open deal: nothing to forecast");
    s.json = {{"skipped", "nothing to forecast"}};
    return s;
  }
  const std::size_t v = followed_node(p), per_year = sp::periods_per_year(p.unit());
  const std::string node = p.node_id(v), unit(sp::to_string(p.unit()));
  const sp::analytic::forecast_result f = sp::analytic::forecast(p, periods);
  (void)sp::fiscal_year(periods, fiscal_start, 0, per_year);  // validates --fiscal-start
  const bool single = f.single_entry(v);
  const bool valued =
      v < p.stage_count() ? bool(p.stage(v).on_enter) : bool(p.outcomes()[v - p.stage_count()].on_enter);
  ojson& j = s.json;
  j["node"] = node;
  j["periods"] = periods;
  j["fiscal_start"] = fiscal_start;
  j["method"] = "discretised Markov renewal equation, 32 lattice steps per period; exact Poisson / "
                "Poisson-binomial counts (compound Poisson for a node on a loop: pgf recursion + FFT, "
                "analytic/loop_counts.hpp); compound values by FFT";

  // Per period.
  std::vector<sp::period_window> ws;
  for (std::size_t k = 0; k < periods; ++k) ws.push_back({k, k + 1});
  std::vector<sp::analytic::lattice_distribution> vd;
  if (valued) vd = sp::analytic::on_enter_value_distributions(p, f, v, ws, 1024);
  const auto ed = sp::analytic::entries_distributions(p, f, v, ws);  // compound Poisson for a node on a loop
  table tb{{unit, "entries", "P10", "P90", "value", "P10", "P90", "WIP"}, {}};
  j["per_period"] = ojson::array();
  for (std::size_t k = 0; k < periods; ++k) {
    ojson pk{{"entries", f.entries(v, k)}, {"value", f.booked(v, k)}};
    std::vector<std::string> row{std::to_string(k), fmt(f.entries(v, k))};
    {
      const auto& d = ed[k];
      pk["entries_p10"] = d.quantile(0.1);
      pk["entries_p90"] = d.quantile(0.9);
      row.push_back(fmt(d.quantile(0.1)));
      row.push_back(fmt(d.quantile(0.9)));
    }
    row.push_back(fmt(f.booked(v, k)));
    if (!vd.empty()) {
      pk["value_p10"] = vd[k].quantile(0.1);
      pk["value_p90"] = vd[k].quantile(0.9);
      row.push_back(fmt(vd[k].quantile(0.1)));
      row.push_back(fmt(vd[k].quantile(0.9)));
    } else {
      row.insert(row.end(), {"-", "-"});
    }
    if (v < p.stage_count()) {
      pk["wip"] = f.wip(v, k);
      row.push_back(fmt(f.wip(v, k)));
    } else {
      row.push_back("-");
    }
    tb.row(std::move(row));
    j["per_period"].push_back(std::move(pk));
  }
  {
    namespace ch = salespipe::io::charts;
    auto fan = ch::fan_from_forecast(f, v, false, fiscal_start, per_year);
    fan.x_label = unit;
    if (p.target() && p.target()->node_index == v) fan.target = p.target()->per_period;
    s.chart("fan", ch::fan_chart(fan));
    if (single && valued) {
      auto vfan = ch::fan_from_forecast(f, v, true, fiscal_start, per_year);
      vfan.x_label = unit;
      s.chart("value fan", ch::fan_chart(vfan));
    }
  }
  s.line("entries into '" + node + "' and value booked there (expected; P10/P90 exact" +
         std::string(single ? "" : "; the node is on a loop: compound Poisson counts") + ")");
  tb.name = "per_period";  // --csv: time_per_period.csv
  s.add(std::move(tb));

  // Fiscal year vs rolling 12.
  table fy{{"window", "periods", "entries", "P10", "P90", "value", "P10", "P90"}, {}};
  std::vector<sp::period_window> wl{sp::fiscal_year(periods, fiscal_start, 0, per_year)};
  if (wl[0].to < periods) wl.push_back(sp::fiscal_year(periods, fiscal_start, 1, per_year));
  for (std::size_t last = per_year - 1; last < periods; last += per_year)
    wl.push_back(sp::rolling_window(periods, last, per_year));
  const auto wd = sp::analytic::entries_distributions(p, f, v, wl);  // a node on a loop: all windows in one call
  std::vector<sp::analytic::lattice_distribution> wv;
  if (!single && valued)
    wv = sp::analytic::booked_value_distributions(p, periods, v, sp::analytic::booking::on_enter, wl, {}, 2048);
  auto window_of = [&](const std::vector<sp::analytic::lattice_distribution>& d, sp::period_window w) {
    std::size_t i = 0;
    while (i + 1 < wl.size() && !(wl[i].from == w.from && wl[i].to == w.to)) ++i;
    return d[i];
  };
  auto window_row = [&](const std::string& label, sp::period_window w, ojson& dst) {
    const double e = f.sum(w, [&](std::size_t k) { return f.entries(v, k); });
    const double val = f.sum(w, [&](std::size_t k) { return f.booked(v, k); });
    std::vector<std::string> row{label, "[" + std::to_string(w.from) + ", " + std::to_string(w.to) + ")", fmt(e)};
    dst = {{"from", w.from}, {"to", w.to}, {"entries", e}, {"value", val}};
    {
      const auto& d = window_of(wd, w);
      row.push_back(fmt(d.quantile(0.1)));
      row.push_back(fmt(d.quantile(0.9)));
      dst["entries_p10"] = d.quantile(0.1);
      dst["entries_p90"] = d.quantile(0.9);
      if (p.target() && p.target()->node_index == v) {
        const double goal = p.target()->per_period * static_cast<double>(w.size());
        dst["p_hit_target"] = d.prob_at_least(goal);
      }
    }
    row.push_back(fmt(val));
    if (valued) {
      const auto d = single ? f.booked_distribution(v, w, 2048) : window_of(wv, w);
      row.push_back(fmt(d.quantile(0.1)));
      row.push_back(fmt(d.quantile(0.9)));
      dst["value_p10"] = d.quantile(0.1);
      dst["value_p90"] = d.quantile(0.9);
    } else {
      row.insert(row.end(), {"-", "-"});
    }
    fy.row(std::move(row));
  };
  j["windows"] = ojson::object();
  window_row("this fiscal year", sp::fiscal_year(periods, fiscal_start, 0, per_year), j["windows"]["this_fiscal_year"]);
  if (sp::fiscal_year(periods, fiscal_start, 0, per_year).to < periods)
    window_row("next fiscal year", sp::fiscal_year(periods, fiscal_start, 1, per_year),
               j["windows"]["next_fiscal_year"]);
  j["windows"]["rolling"] = ojson::array();
  for (std::size_t last = per_year - 1; last < periods; last += per_year) {
    ojson r;
    window_row("rolling " + std::to_string(per_year) + " to " + std::to_string(last),
               sp::rolling_window(periods, last, per_year), r);
    j["windows"]["rolling"].push_back(std::move(r));
  }
  s.line("");
  s.line("fiscal years start at period " + std::to_string(fiscal_start) + " (every " + std::to_string(per_year) + " " +
         unit_name(p.unit()) + "); rolling windows of " + std::to_string(per_year) + " " + unit_name(p.unit()));
  fy.name = "windows";  // --csv: time_windows.csv
  s.add(std::move(fy));

  // The lag of +50% inflow from period 1 (and of the model's own planned changes).
  if (!p.sources().empty() && periods > 1) {
    const auto& src = p.sources().front();
    const std::string ph = "+50% '" + src.stage + "' inflow from " + unit + " 1";
    const sp::model more = sp::scale_source_from(p.model(), 0, 1, 1.5);
    const auto e =
        sp::analytic::compare(f, sp::analytic::forecast(sp::pipeline(more), periods), node, fiscal_start, per_year);
    const std::string sentence = sp::analytic::describe(e, ph);
    auto lc = salespipe::io::charts::lag_from(e);
    lc.title = "Lag: " + ph + ", extra per " + unit;
    lc.x_label = unit;
    s.chart("lag", salespipe::io::charts::lag_chart(lc));
    s.line("");
    s.line("Lag: " + sentence);
    j["lag"] = {{"change", ph},
                {"sentence", sentence},
                {"extra_this_year", e.extra_this},
                {"extra_next_year", e.extra_next},
                {"extra_later", e.extra_later},
                {"percent_this_year", e.percent_this()},
                {"percent_next_year", e.percent_next()}};
    if (!src.schedule.empty()) {
      const auto& c = src.schedule.front();
      const std::string planned = "the planned change of '" + src.stage + "' inflow to " + fmt(c.rate) + " per " +
                                  unit + " from " + unit + " " + fmt(c.from);
      const sp::pipeline without(sp::remove_rate_change(p.model(), 0, 0));
      const auto g = sp::analytic::compare(sp::analytic::forecast(without, periods), f, node, fiscal_start, per_year);
      const std::string s2 = sp::analytic::describe(g, planned);
      s.line("Lag: " + s2);
      j["planned_change"] = {{"change", planned},
                             {"sentence", s2},
                             {"extra_this_year", g.extra_this},
                             {"extra_next_year", g.extra_next},
                             {"extra_later", g.extra_later}};
    }
  }

  // Time to the followed node from each stage.
  table tt{{"from stage", "P(reach)", "P50", "P90", "mean"}, {}};
  j["time_to_node"] = ojson::object();
  sp::analytic::transient_options to;
  to.tolerance = 1e-3;
  std::vector<sp::analytic::entry_time> cdfs;
  std::vector<std::string> cdf_from;
  double t_max = 0;
  for (std::size_t st = 0; st < p.stage_count(); ++st) {
    const auto t = sp::analytic::time_to_outcome(p, p.node_id(st), to);
    const auto& et = t.node(v);
    const bool reach = et.total() > 1e-9 && st != v;
    if (reach && single) {
      cdfs.push_back(et);
      cdf_from.push_back(p.node_id(st));
      t_max = std::max(t_max, std::min(t.horizon(), 1.25 * et.quantile(0.95)));
    }
    tt.row({p.node_id(st), fmt_pct(std::min(1.0, et.total())), reach ? fmt(et.quantile(0.5)) : "-",
            reach ? fmt(et.quantile(0.9)) : "-", reach ? fmt(et.mean()) : "-"});
    j["time_to_node"][p.node_id(st)] = {{"p_reach", et.total()},
                                        {"p50", reach ? et.quantile(0.5) : 0.0},
                                        {"p90", reach ? et.quantile(0.9) : 0.0},
                                        {"mean", reach ? et.mean() : 0.0},
                                        {"error_estimate", t.error_estimate()}};
  }
  s.line("");
  s.line("time to enter '" + node + "' (" + unit_name(p.unit()) + ", for the deals that do; " +
         (single ? "P(reach) is a probability" : "for a node on a loop: expected entries") + ")");
  tt.name = "time_to_node";  // --csv: time_time_to_node.csv
  s.add(std::move(tt));
  if (!cdfs.empty()) {
    std::vector<salespipe::io::charts::curve> cs;
    for (std::size_t i = 0; i < cdfs.size(); ++i)
      cs.push_back(salespipe::io::charts::cdf_curve(cdfs[i], "from " + cdf_from[i], t_max));
    s.chart("time to node", salespipe::io::charts::cdf_chart(
                                std::move(cs), "Time to enter '" + node + "' (P(entered by t))", unit_name(p.unit())));
  }
  return s;
}

namespace {

class time_report_section : public report_section {
 public:
  void add_options(CLI::App& cmd) override {
    cmd.add_option("--fiscal-start", fiscal_start_, "Period at which a fiscal year starts (time section; default 0)")
        ->type_name("P");
  }
  void build(report_context& ctx, report& out) override { out.add(time_section(ctx.pipeline(), 24, fiscal_start_)); }

 private:
  std::size_t fiscal_start_ = 0;
};

}  // namespace

std::unique_ptr<report_section> make_time_section() { return std::make_unique<time_report_section>(); }

}  // namespace salespipe_cli
