// fit_output.cpp — the fit report of `salespipe fit` as a report section (report.hpp), for
// `--csv DIR` (one file per table: fit_parameters.csv, fit_routes.csv, ...) and `--html OUT`
// (the same tables plus, per stage, the Kaplan–Meier curve of the time in stage against the
// fitted survival curve). The text on the terminal stays estimate::print's.
#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

#include <salespipe/estimate/fit_report.hpp>
#include <salespipe/estimate/history_fit.hpp>
#include <salespipe/io/charts/from_estimate.hpp>

#include "report.hpp"

namespace salespipe_cli {

namespace {

namespace est = salespipe::estimate;

std::string fit_cell(double x) { return fmt(x, 6); }

table fit_parameters_table(const std::vector<est::parameter_estimate>& ps, double level) {
  const std::string pct = fmt(100 * level) + "%";
  table t;
  t.name = "parameters";
  t.columns = {"parameter", "estimate", "lower " + pct, "upper " + pct, "n", "unit"};
  for (const auto& p : ps)
    t.row({p.name, fit_cell(p.estimate), fit_cell(p.ci.lower), fit_cell(p.ci.upper), std::to_string(p.n), p.unit});
  return t;
}

// "gamma 1234.5 / lognormal 1230.1 / weibull (failed)" (no comma or semicolon: plain CSV cells)
std::string fit_candidates(const est::duration_fit& d) {
  std::string s;
  for (const auto& c : d.candidates)
    s += (s.empty() ? "" : " / ") + std::string(est::to_string(c.kind)) + (c.ok ? " " + fit_cell(c.aic) : " (failed)");
  return s;
}

std::string fit_family(const est::duration_fit& d) {
  return std::string(est::to_string(d.chosen)) + (d.chosen == est::family::empirical ? " (fallback)" : "");
}

table fit_skipped_table(const std::vector<est::skipped_row>& rows) {
  table t;
  t.name = "skipped";
  t.columns = {"line", "id", "reason"};
  for (const auto& s : rows) t.row({std::to_string(s.line), s.id, s.reason});
  return t;
}

std::vector<salespipe::io::charts::km_point> fit_km_points(const est::km_curve& km) {
  std::vector<salespipe::io::charts::km_point> pts;
  for (const auto& s : km.steps) pts.push_back({s.time, s.surv, s.lower, s.upper});
  return pts;
}

void fit_tail(section& s, const std::vector<std::string>& warnings, const std::vector<est::skipped_row>& skipped) {
  for (const auto& w : warnings) s.line("warning: " + w);
  if (!skipped.empty()) s.add(fit_skipped_table(skipped));
}

}  // namespace

section fit_section(const est::fit_report& r) {
  namespace ch = salespipe::io::charts;
  section s;
  s.key = "fit";
  s.title = "Fit of stage '" + r.stage + "' (opportunity table)";
  s.line("unit " + r.unit + ", " + std::to_string(r.rows) + " rows, " + std::to_string(r.deals) + " deals (" +
         std::to_string(r.closed) + " closed, " + std::to_string(r.open) + " open), " +
         std::to_string(r.skipped.size()) + " rows skipped; " + std::to_string(r.stale) + " open deals stale, " +
         std::to_string(r.stale_as_lost) + " counted as lost.");
  s.add(fit_parameters_table(r.parameters, r.level));
  table rt;
  rt.name = "routes";
  rt.columns = {"route to", "closed deals", "p (mean)", "time in stage",
                "KS to KM", "events",       "n",        "AIC of candidates"};
  bool all_timed = !r.routes.empty();
  for (const auto& x : r.routes) {
    if (x.duration)
      rt.row({x.to, std::to_string(x.count), fit_cell(x.p.mean()), fit_family(*x.duration), fit_cell(x.duration->ks),
              std::to_string(x.duration->events), std::to_string(x.duration->n), fit_candidates(*x.duration)});
    else
      rt.row({x.to, std::to_string(x.count), fit_cell(x.p.mean()), "-", "-", "0", "0", ""});
    all_timed = all_timed && x.duration.has_value();
  }
  s.add(std::move(rt));
  if (!r.monthly.empty()) {
    table m;
    m.name = "monthly";
    m.columns = {"month", "started", "still open"};
    for (const auto& x : r.routes) m.columns.push_back("closed " + x.to);
    m.columns.push_back("value");
    for (const auto& x : r.monthly) {
      std::vector<std::string> row{x.month, std::to_string(x.started), std::to_string(x.still_open)};
      for (std::size_t j = 0; j < r.routes.size(); ++j)
        row.push_back(j < x.closed.size() ? std::to_string(x.closed[j]) : "");
      row.push_back(fit_cell(x.value));
      m.row(std::move(row));
    }
    s.add(std::move(m));
  }
  fit_tail(s, r.warnings, r.skipped);
  const std::string x_label = "time in stage (" + r.unit + "s)";
  // The stage: KM of the time to close (open deals censored) against the fitted model's
  // survival in the stage, Σ_j p_j S_j(t) over the routes.
  if (all_timed && r.time_to_close.max_time > 0) {
    std::vector<double> x, sv;
    constexpr std::size_t n = 200;
    for (std::size_t i = 0; i <= n; ++i) {
      const double t = r.time_to_close.max_time * static_cast<double>(i) / static_cast<double>(n);
      double surv = 0;
      for (const auto& q : r.routes) surv += q.p.mean() * salespipe::survival(q.duration->dist, t);
      x.push_back(t);
      sv.push_back(surv);
    }
    s.chart("time in stage " + r.stage,
            ch::km_chart(fit_km_points(r.time_to_close), r.time_to_close.max_time, x, sv,
                         "Time in stage '" + r.stage + "': Kaplan–Meier vs the fitted model", x_label,
                         "fitted (mixture over routes)"));
  }
  for (const auto& q : r.routes)
    if (q.duration && q.duration->km.max_time > 0)
      s.chart("route " + q.to, ch::fit_chart(q.duration->km, q.duration->dist,
                                             "Time in stage '" + r.stage + "' on the route to '" + q.to +
                                                 "': Kaplan–Meier vs " + fit_family(*q.duration),
                                             x_label, "fitted " + std::string(est::to_string(q.duration->chosen))));
  return s;
}

section fit_section(const est::history_report& r) {
  namespace ch = salespipe::io::charts;
  section s;
  s.key = "fit";
  s.title = "Fit from the stage history " + r.file;
  s.line("unit " + r.unit + ", " + std::to_string(r.rows) + " rows, " + std::to_string(r.deals) + " deals (" +
         std::to_string(r.closed) + " closed, " + std::to_string(r.open) + " open), " +
         std::to_string(r.skipped.size()) + " rows skipped.");
  s.add(fit_parameters_table(r.parameters, r.level));
  table st;
  st.name = "stages";
  st.columns = {"stage",         "entries",   "left",          "open",     "stale",
                "stale as lost", "KM median", "time in stage", "KS to KM", "AIC of candidates"};
  table rt;
  rt.name = "routes";
  rt.columns = {"from", "to", "closed", "open share", "p (mean)", "time on route", "KS to KM", "AIC of candidates"};
  for (const auto& x : r.stages) {
    const auto med = x.time_in_stage.median();
    st.row({x.id, std::to_string(x.entries), std::to_string(x.closed), std::to_string(x.open), std::to_string(x.stale),
            std::to_string(x.stale_as_lost), med ? fit_cell(*med) : "-", fit_family(x.duration),
            fit_cell(x.duration.ks), fit_candidates(x.duration)});
    for (const auto& q : x.routes)
      rt.row({q.from.empty() ? x.id : q.from, q.to, std::to_string(q.closed), fit_cell(q.open_share),
              fit_cell(q.p.mean()), q.duration ? fit_family(*q.duration) : "-",
              q.duration ? fit_cell(q.duration->ks) : "-", q.duration ? fit_candidates(*q.duration) : ""});
  }
  s.add(std::move(st));
  s.add(std::move(rt));
  if (!r.monthly.empty()) {
    table m;
    m.name = "monthly";
    m.columns = {"month", "started"};
    for (const auto& o : r.outcomes) m.columns.push_back("reached " + o);
    m.columns.push_back("value");
    for (const auto& x : r.monthly) {
      std::vector<std::string> row{x.month, std::to_string(x.started)};
      for (std::size_t j = 0; j < r.outcomes.size(); ++j)
        row.push_back(j < x.reached.size() ? std::to_string(x.reached[j]) : "");
      row.push_back(fit_cell(x.value));
      m.row(std::move(row));
    }
    s.add(std::move(m));
  }
  fit_tail(s, r.warnings, r.skipped);
  const std::string x_label = "time in stage (" + r.unit + "s)";
  for (const auto& x : r.stages)
    if (x.time_in_stage.max_time > 0)
      s.chart("time in stage " + x.id,
              ch::fit_chart(x.time_in_stage, x.duration.dist,
                            "Time in stage '" + x.id + "': Kaplan–Meier vs " + fit_family(x.duration), x_label,
                            "fitted " + std::string(est::to_string(x.duration.chosen))));
  return s;
}

}  // namespace salespipe_cli
