// salespipe/estimate/fit_report.hpp — what a fit estimated, from how much data, and
// what it warns about; printable as a plain-text report.
#ifndef SALESPIPE_ESTIMATE_FIT_REPORT_HPP
#define SALESPIPE_ESTIMATE_FIT_REPORT_HPP

#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include <salespipe/estimate/beta_posterior.hpp>
#include <salespipe/estimate/duration_fit.hpp>
#include <salespipe/estimate/interval.hpp>
#include <salespipe/estimate/kaplan_meier.hpp>
#include <salespipe/estimate/opportunity_table.hpp>

namespace salespipe::estimate {

/// One estimated parameter: its estimate, interval (level in the report) and sample size.
struct parameter_estimate {
  std::string name;
  double estimate = 0;
  interval ci;
  std::size_t n = 0;
  std::string unit;  ///< "probability", "day", "per day", "value", ...
};

/// A route out of the fitted stage.
struct route_fit {
  std::string to;
  std::size_t count = 0;                 ///< closed deals that took it (incl. stale deals counted as lost)
  beta_posterior p;                      ///< marginal posterior of its probability
  std::optional<duration_fit> duration;  ///< time in stage on this route (model units); none without data
};

/// Counts for one calendar month (YYYY-MM).
struct month_row {
  std::string month;
  std::size_t started = 0;          ///< deals whose start date falls in the month
  std::size_t still_open = 0;       ///< of which open at the data end
  std::vector<std::size_t> closed;  ///< per outcome (fit_report::routes order), by close month
  double value = 0;                 ///< amounts of the value outcome closed in the month
};

struct fit_report {
  std::string stage;
  std::string unit;
  double level = 0.95;
  std::vector<parameter_estimate> parameters;
  std::vector<route_fit> routes;
  km_curve time_to_close;  ///< all routes, open deals right-censored at their age (model units)
  std::vector<month_row> monthly;
  std::vector<skipped_row> skipped;
  std::vector<std::string> warnings;
  std::size_t rows = 0, deals = 0, closed = 0, open = 0;
  std::size_t stale = 0;          ///< open deals at least as old as the longest closed deal
  std::size_t stale_as_lost = 0;  ///< open deals older than stale_after, counted as lost
  double max_closed_days = 0;
};

/// Prints skipped rows grouped by reason, one line per reason: every row counted, up to 10
/// line numbers shown. Shared by the opportunity and the stage-history fit reports.
inline void print_skipped(std::ostream& os, const std::vector<skipped_row>& skipped) {
  std::vector<std::pair<std::string, std::vector<std::size_t>>> groups;
  for (const auto& s : skipped) {
    auto it = std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.first == s.reason; });
    if (it == groups.end()) it = groups.insert(groups.end(), {s.reason, {}});
    it->second.push_back(s.line);
  }
  for (const auto& g : groups) {
    os << "skipped " << g.second.size() << " row(s): " << g.first << " (line";
    for (std::size_t i = 0; i < g.second.size() && i < 10; ++i) os << (i ? ", " : " ") << g.second[i];
    os << (g.second.size() > 10 ? ", ...)\n" : ")\n");
  }
}

/// Prints the report as aligned plain text.
inline void print(std::ostream& os, const fit_report& r) {
  char buf[256];
  os << "fit: stage '" << r.stage << "', unit " << r.unit << ", " << r.rows << " rows, " << r.deals << " deals ("
     << r.closed << " closed, " << r.open << " open), " << r.skipped.size() << " rows skipped\n";
  std::snprintf(buf, sizeof buf, "%-40s %12s %25s %8s\n", "parameter", "estimate", "interval", "n");
  os << buf;
  for (const auto& p : r.parameters) {
    std::snprintf(buf, sizeof buf, "%-40s %12.6g [%11.6g, %11.6g] %8zu  %s\n", p.name.c_str(), p.estimate, p.ci.lower,
                  p.ci.upper, p.n, p.unit.c_str());
    os << buf;
  }
  for (const auto& rt : r.routes)
    if (rt.duration) {
      os << "route to " << rt.to << ": " << to_string(rt.duration->chosen)
         << (rt.duration->chosen == family::empirical ? " (fallback)" : " by AIC") << " (KS distance to KM "
         << rt.duration->ks << "); candidates:";
      for (const auto& c : rt.duration->candidates)
        os << " " << to_string(c.kind) << (c.ok ? " AIC " + std::to_string(c.aic) : " (failed)");
      os << "\n";
    }
  if (!r.monthly.empty()) {
    os << "month    started still_open";
    for (const auto& rt : r.routes) os << " " << rt.to;
    os << " value\n";
    for (const auto& m : r.monthly) {
      os << m.month << " " << m.started << " " << m.still_open;
      for (auto c : m.closed) os << " " << c;
      std::snprintf(buf, sizeof buf, " %.0f\n", m.value);
      os << buf;
    }
  }
  for (const auto& w : r.warnings) os << "warning: " << w << "\n";
  print_skipped(os, r.skipped);
}

}  // namespace salespipe::estimate

#endif  // SALESPIPE_ESTIMATE_FIT_REPORT_HPP
