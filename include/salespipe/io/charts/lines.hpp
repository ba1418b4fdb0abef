// salespipe/io/charts/lines.hpp — line charts over plain data:
//  - line_chart: any number of named curves (lines or step functions), optional bands;
//  - cdf_chart: time-to-outcome distribution per stage (y = probability in [0, 1]);
//  - km_chart: fit diagnostics, the Kaplan–Meier survival curve (steps, with its 95%
//    interval as a band) against the fitted distribution's survival curve.
#ifndef SALESPIPE_IO_CHARTS_LINES_HPP
#define SALESPIPE_IO_CHARTS_LINES_HPP

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include <salespipe/io/charts/axis.hpp>
#include <salespipe/io/svg.hpp>

namespace salespipe::io::charts {

/// A named curve through (x[i], y[i]); `step`: a right-continuous step function (y[i] holds
/// on [x[i], x[i+1])); `band_lo`/`band_hi` (same size as x, or empty): a shaded band.
struct curve {
  std::string label;
  std::vector<double> x, y;
  bool step = false;
  std::vector<double> band_lo, band_hi;
  std::string colour;  ///< "" = the palette's next series colour
  std::string dash;    ///< stroke-dasharray ("" = solid)
};

struct line_data {
  std::string title, x_label, y_label;
  std::vector<curve> curves;
  double y_min = std::nan(""), y_max = std::nan("");  ///< fixed y range (NaN: from the data)
};

namespace detail {
// Points of a step function: horizontal then vertical segments.
inline std::vector<std::pair<double, double>> steps(const std::vector<double>& x, const std::vector<double>& y) {
  std::vector<std::pair<double, double>> p;
  for (std::size_t i = 0; i < x.size() && i < y.size(); ++i) {
    if (i > 0) p.emplace_back(x[i], y[i - 1]);
    p.emplace_back(x[i], y[i]);
  }
  return p;
}
}  // namespace detail

inline std::string line_chart(const line_data& d, const chart_options& o = {}) {
  const std::string title = o.title.empty() ? d.title : o.title;
  svg_document doc(o.width, o.height, title);
  double x0 = std::numeric_limits<double>::infinity(), x1 = -x0, y0 = x0, y1 = -x0;
  for (const auto& c : d.curves) {
    for (double v : c.x)
      if (std::isfinite(v)) x0 = std::min(x0, v), x1 = std::max(x1, v);
    for (const auto* ys : {&c.y, &c.band_lo, &c.band_hi})
      for (double v : *ys)
        if (std::isfinite(v)) y0 = std::min(y0, v), y1 = std::max(y1, v);
  }
  if (!(x0 <= x1)) x0 = 0, x1 = 1;
  if (!(y0 <= y1)) y0 = 0, y1 = 1;
  if (std::isfinite(d.y_min)) y0 = d.y_min;
  if (std::isfinite(d.y_max)) y1 = d.y_max;
  chart_frame f(doc, title, {d.x_label, {}, x0, x1, x0 >= 0}, {d.y_label, {}, y0, y1, y0 >= 0}, o.font_size);
  std::vector<legend_item> items;
  for (std::size_t i = 0; i < d.curves.size(); ++i) {
    const auto& c = d.curves[i];
    const std::string colour = c.colour.empty() ? palette::series(i) : c.colour;
    auto map = [&](std::vector<std::pair<double, double>> p) {
      for (auto& [x, y] : p) x = f.x(x), y = f.y(y);
      return p;
    };
    if (c.band_lo.size() == c.x.size() && c.band_hi.size() == c.x.size() && !c.x.empty()) {
      std::vector<std::pair<double, double>> hi, lo;
      if (c.step) {
        hi = detail::steps(c.x, c.band_hi), lo = detail::steps(c.x, c.band_lo);
      } else {
        for (std::size_t k = 0; k < c.x.size(); ++k)
          hi.emplace_back(c.x[k], c.band_hi[k]), lo.emplace_back(c.x[k], c.band_lo[k]);
      }
      std::vector<std::pair<double, double>> poly = hi;
      poly.insert(poly.end(), lo.rbegin(), lo.rend());
      // NaN ends (an undefined interval) would drop the band: keep its finite part
      poly.erase(std::remove_if(poly.begin(), poly.end(),
                                [](const auto& p) { return !std::isfinite(p.first) || !std::isfinite(p.second); }),
                 poly.end());
      doc.polygon(map(poly), {colour, "none", 1, 0.18});
    }
    std::vector<std::pair<double, double>> pts;
    if (c.step) {
      pts = detail::steps(c.x, c.y);
    } else {
      for (std::size_t k = 0; k < c.x.size() && k < c.y.size(); ++k) pts.emplace_back(c.x[k], c.y[k]);
    }
    doc.polyline(map(pts), {"none", colour, 2, 1, c.dash});
    if (!c.label.empty()) items.push_back({c.label, {"none", colour, 2, 1, c.dash}, true});
  }
  f.legend(items);
  return doc.str();
}

/// Time-to-outcome cdf per stage: curves with y = P(reached by t) (defective when the
/// outcome is not certain); y axis fixed to [0, 1].
inline std::string cdf_chart(std::vector<curve> per_stage, std::string title, std::string x_label,
                             const chart_options& o = {}) {
  line_data d;
  d.title = std::move(title);
  d.x_label = std::move(x_label);
  d.y_label = "probability";
  d.curves = std::move(per_stage);
  d.y_min = 0, d.y_max = 1;
  return line_chart(d, o);
}

/// One Kaplan–Meier step (the fields of estimate::km_step that the chart uses).
struct km_point {
  double time = 0, surv = 1, lower = std::nan(""), upper = std::nan("");
};

/// Fit diagnostics: `km` (event times ascending; the curve starts at S(0) = 1 and ends at
/// `max_time`) against the fitted survival curve (fitted_x, fitted_s).
inline std::string km_chart(const std::vector<km_point>& km, double max_time, const std::vector<double>& fitted_x,
                            const std::vector<double>& fitted_s, std::string title, std::string x_label,
                            std::string fitted_label = "fitted", const chart_options& o = {}) {
  curve k{"Kaplan–Meier (95% band)", {0.0}, {1.0}, true, {1.0}, {1.0}, palette::blue, ""};
  for (const auto& p : km) {
    k.x.push_back(p.time), k.y.push_back(p.surv);
    k.band_lo.push_back(std::isfinite(p.lower) ? p.lower : p.surv);
    k.band_hi.push_back(std::isfinite(p.upper) ? p.upper : p.surv);
  }
  if (max_time > k.x.back()) {
    k.x.push_back(max_time), k.y.push_back(k.y.back());
    k.band_lo.push_back(k.band_lo.back()), k.band_hi.push_back(k.band_hi.back());
  }
  curve fit{std::move(fitted_label), fitted_x, fitted_s, false, {}, {}, palette::orange, "6 3"};
  line_data d;
  d.title = std::move(title);
  d.x_label = std::move(x_label);
  d.y_label = "survival (still open)";
  d.curves = {std::move(k), std::move(fit)};
  d.y_min = 0, d.y_max = 1;
  return line_chart(d, o);
}

}  // namespace salespipe::io::charts

#endif  // SALESPIPE_IO_CHARTS_LINES_HPP
