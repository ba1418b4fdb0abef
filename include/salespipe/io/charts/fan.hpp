// salespipe/io/charts/fan.hpp — fan chart: per period, the mean and the P10–P90 and
// P25–P75 bands of a quantity (entries or value at a node), fiscal-year boundaries marked,
// an optional target line. Plain data in, SVG out; fill fan_data from the exact forecast
// or from a simulation with io/charts/from_results.hpp.
#ifndef SALESPIPE_IO_CHARTS_FAN_HPP
#define SALESPIPE_IO_CHARTS_FAN_HPP

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include <salespipe/io/charts/axis.hpp>
#include <salespipe/io/svg.hpp>

namespace salespipe::io::charts {

/// One period of a fan: mean and quantiles of the period's total.
struct fan_point {
  double mean = 0, p10 = 0, p25 = 0, p75 = 0, p90 = 0;
};

struct fan_data {
  std::string title = "Forecast per period";
  std::string x_label = "period";          ///< e.g. "month"
  std::string y_label = "entries";         ///< e.g. "new customers" or "value"
  std::vector<fan_point> periods;          ///< period k = [k, k+1), drawn at its middle
  std::vector<std::size_t> fiscal_starts;  ///< periods where a fiscal year starts (dashed line)
  double target = std::nan("");            ///< per-period target line (NaN: none)
};

/// The fan chart of `d` (an empty fan gives a chart with a "no data" note).
inline std::string fan_chart(const fan_data& d, const chart_options& o = {}) {
  const std::string title = o.title.empty() ? d.title : o.title;
  svg_document doc(o.width, o.height, title);
  double lo = 0, hi = 1;
  for (const auto& p : d.periods) {
    for (double v : {p.mean, p.p10, p.p25, p.p75, p.p90})
      if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
  }
  if (std::isfinite(d.target)) hi = std::max(hi, d.target);
  const auto P = static_cast<double>(d.periods.size());
  chart_frame f(doc, title, {d.x_label, {}, 0, std::max(P, 1.0), true, true}, {d.y_label, {}, lo, hi, true},
                o.font_size);
  if (d.periods.empty()) {
    doc.text((f.left() + f.right()) / 2, (f.top() + f.bottom()) / 2, "no data", {o.font_size, false, "#777"},
             anchor::middle);
    return doc.str();
  }
  auto band = [&](double fan_point::*lo_q, double fan_point::*hi_q, const char* colour) {
    std::vector<std::pair<double, double>> pts;
    for (std::size_t k = 0; k < d.periods.size(); ++k)
      pts.emplace_back(f.x(static_cast<double>(k) + 0.5), f.y(d.periods[k].*hi_q));
    for (std::size_t k = d.periods.size(); k-- > 0;)
      pts.emplace_back(f.x(static_cast<double>(k) + 0.5), f.y(d.periods[k].*lo_q));
    if (d.periods.size() == 1) {  // one period: a bar rather than a zero-width polygon
      const double cx = f.x(0.5), w = f.x_band() * 0.3;
      doc.rect(cx - w, f.y(d.periods[0].*hi_q), 2 * w, f.y(d.periods[0].*lo_q) - f.y(d.periods[0].*hi_q), {colour});
      return;
    }
    doc.polygon(pts, {colour});
  };
  band(&fan_point::p10, &fan_point::p90, "#c6dbef");
  band(&fan_point::p25, &fan_point::p75, "#6baed6");
  for (std::size_t s : d.fiscal_starts) {
    if (s == 0 || s >= d.periods.size()) continue;
    const double x = f.x(static_cast<double>(s));
    doc.line(x, f.top(), x, f.bottom(), {"none", palette::grey, 1.2, 1, "5 4"});
    doc.text(x + 4, f.top() + o.font_size, "fiscal year", {o.font_size * 0.85, false, palette::grey});
  }
  if (std::isfinite(d.target))
    doc.line(f.left(), f.y(d.target), f.right(), f.y(d.target), {"none", palette::red, 1.5, 1, "8 4"});
  std::vector<std::pair<double, double>> mean;
  for (std::size_t k = 0; k < d.periods.size(); ++k)
    mean.emplace_back(f.x(static_cast<double>(k) + 0.5), f.y(d.periods[k].mean));
  doc.polyline(mean, {"none", "#08306b", 2});
  for (std::size_t k = 0; k < d.periods.size(); ++k) {
    const auto& p = d.periods[k];
    doc.circle(mean[k].first, mean[k].second, 2.5, {"#08306b"},
               d.x_label + " " + std::to_string(k) + ": mean " + format_significant(p.mean) + ", P10–P90 " +
                   format_significant(p.p10) + "–" + format_significant(p.p90) + ", P25–P75 " +
                   format_significant(p.p25) + "–" + format_significant(p.p75));
  }
  std::vector<legend_item> items{
      {"mean", {"none", "#08306b", 2}, true}, {"P25–P75", {"#6baed6"}, false}, {"P10–P90", {"#c6dbef"}, false}};
  if (std::isfinite(d.target))
    items.push_back({"target " + format_significant(d.target), {"none", palette::red, 1.5, 1, "8 4"}, true});
  f.legend(items);
  return doc.str();
}

}  // namespace salespipe::io::charts

#endif  // SALESPIPE_IO_CHARTS_FAN_HPP
