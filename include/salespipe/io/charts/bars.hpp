// salespipe/io/charts/bars.hpp — bar charts over plain data:
//  - coverage_chart: required vs open WIP per stage, the loophole stage highlighted;
//  - lag_chart: extra value (or entries) per period after a change, coloured by fiscal
//    year (this, next, later), with each year's total in the legend;
//  - tornado_chart: ranked levers, the effect of moving each one down and up (rows are
//    drawn in the order given: rank them before).
#ifndef SALESPIPE_IO_CHARTS_BARS_HPP
#define SALESPIPE_IO_CHARTS_BARS_HPP

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <salespipe/io/charts/axis.hpp>
#include <salespipe/io/svg.hpp>

namespace salespipe::io::charts {

struct coverage_bar {
  std::string stage;
  double required = 0;  ///< WIP the target needs
  double open = 0;      ///< WIP in the open pipeline
};

struct coverage_data {
  std::string title = "Pipeline coverage: required vs open deals per stage";
  std::string y_label = "deals in stage";
  std::vector<coverage_bar> stages;
  std::optional<std::size_t> loophole;  ///< index into stages
};

inline std::string coverage_chart(const coverage_data& d, const chart_options& o = {}) {
  const std::string title = o.title.empty() ? d.title : o.title;
  svg_document doc(o.width, o.height, title);
  std::vector<std::string> cats;
  double hi = 1;
  for (const auto& s : d.stages) {
    cats.push_back(s.stage);
    hi = std::max({hi, std::isfinite(s.required) ? s.required : 0.0, std::isfinite(s.open) ? s.open : 0.0});
  }
  if (cats.empty()) cats.push_back("(no stage)");
  // 15% headroom: the loophole label sits above the bars
  chart_frame f(doc, title, {"", cats, 0, 1, false}, {d.y_label, {}, 0, hi * 1.15, true}, o.font_size);
  const double bw = f.x_band();
  for (std::size_t i = 0; i < d.stages.size(); ++i) {
    const auto& s = d.stages[i];
    const bool hole = d.loophole && *d.loophole == i;
    const double x0 = f.x(static_cast<double>(i));
    if (hole) doc.rect(x0 + 2, f.top(), bw - 4, f.bottom() - f.top(), {"#fde0dd"});
    doc.rect(x0 + bw * 0.12, f.y(s.required), bw * 0.36, f.y(0) - f.y(s.required), {palette::grey},
             s.stage + ": required " + format_significant(s.required));
    doc.rect(x0 + bw * 0.52, f.y(s.open), bw * 0.36, f.y(0) - f.y(s.open), {hole ? palette::red : palette::blue},
             s.stage + ": open " + format_significant(s.open));
    const svg_font small{o.font_size * 0.85, false, "#333"};
    doc.text(x0 + bw * 0.30, f.y(s.required) - 3, format_significant(s.required, 3), small, anchor::middle);
    doc.text(x0 + bw * 0.70, f.y(s.open) - 3, format_significant(s.open, 3), small, anchor::middle);
    if (hole)
      doc.text(x0 + bw / 2, f.top() + o.font_size + 2, "loophole: gap " + format_significant(s.open - s.required, 3),
               {o.font_size * 0.9, true, palette::red}, anchor::middle);
  }
  f.legend(
      {{"required", {palette::grey}, false}, {"open", {palette::blue}, false}, {"loophole", {palette::red}, false}});
  return doc.str();
}

struct lag_data {
  std::string title = "Extra per period after the change";
  std::string x_label = "period";
  std::string y_label = "extra value";
  std::vector<double> extra;      ///< scenario − base, per period
  std::size_t this_year_end = 0;  ///< first period after this fiscal year
  std::size_t next_year_end = 0;  ///< first period after the next fiscal year (<= extra.size())
};

inline std::string lag_chart(const lag_data& d, const chart_options& o = {}) {
  const std::string title = o.title.empty() ? d.title : o.title;
  svg_document doc(o.width, o.height, title);
  double lo = 0, hi = 0, sums[3] = {0, 0, 0};
  auto year = [&](std::size_t k) -> std::size_t { return k < d.this_year_end ? 0 : k < d.next_year_end ? 1 : 2; };
  for (std::size_t k = 0; k < d.extra.size(); ++k)
    if (std::isfinite(d.extra[k]))
      lo = std::min(lo, d.extra[k]), hi = std::max(hi, d.extra[k]), sums[year(k)] += d.extra[k];
  const auto P = static_cast<double>(d.extra.size());
  chart_frame f(doc, title, {d.x_label, {}, 0, std::max(P, 1.0), true, true}, {d.y_label, {}, lo, hi, true},
                o.font_size);
  const char* colour[] = {palette::blue, palette::orange, palette::grey};
  const char* name[] = {"this fiscal year", "next fiscal year", "later"};
  const double bw = f.x_band();
  for (std::size_t k = 0; k < d.extra.size(); ++k) {
    const double x0 = f.x(static_cast<double>(k));
    doc.rect(x0 + bw * 0.1, f.y(d.extra[k]), bw * 0.8, f.y(0) - f.y(d.extra[k]), {colour[year(k)]},
             d.x_label + " " + std::to_string(k) + ": " + format_significant(d.extra[k]) + " (" + name[year(k)] + ")");
  }
  doc.line(f.left(), f.y(0), f.right(), f.y(0), {"none", palette::axis, 1});
  std::vector<legend_item> items;
  for (std::size_t y = 0; y < 3; ++y) {
    const bool present = y == 0   ? d.this_year_end > 0
                         : y == 1 ? d.next_year_end > d.this_year_end
                                  : d.extra.size() > d.next_year_end;
    if (present) items.push_back({std::string(name[y]) + ": " + format_significant(sums[y]), {colour[y]}, false});
  }
  f.legend(items);
  return doc.str();
}

struct tornado_row {
  std::string label;
  double low = 0;   ///< effect on the KPI when the lever moves down (e.g. −10%)
  double high = 0;  ///< effect when it moves up
};

struct tornado_data {
  std::string title = "Key links: effect of each lever";
  std::string x_label = "change of the KPI";
  std::string low_label = "lever down", high_label = "lever up";
  std::vector<tornado_row> rows;  ///< drawn top to bottom in this order
};

inline std::string tornado_chart(const tornado_data& d, const chart_options& o = {}) {
  const std::string title = o.title.empty() ? d.title : o.title;
  const double h = std::max(o.height, 2.4 * o.font_size + 70 + 26.0 * static_cast<double>(d.rows.size()));
  svg_document doc(o.width, h, title);
  std::vector<std::string> cats;
  double lo = 0, hi = 0;
  for (const auto& r : d.rows) {
    cats.push_back(r.label);
    for (double v : {r.low, r.high})
      if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
  }
  if (cats.empty()) cats.push_back("(no lever)");
  chart_frame f(doc, title, {d.x_label, {}, lo, hi, true}, {"", cats, 0, 1, false}, o.font_size);
  const double bh = f.y_band();
  for (std::size_t i = 0; i < d.rows.size(); ++i) {
    const auto& r = d.rows[i];
    const double y0 = f.y(static_cast<double>(i));
    auto bar = [&](double v, const char* colour, const std::string& what) {
      doc.rect(f.x(0), y0 + bh * 0.18, f.x(v) - f.x(0), bh * 0.64, {colour},
               r.label + ": " + what + " " + format_significant(v));
    };
    // the longer bar first, so that both show when the two effects have the same sign
    if (std::fabs(r.low) >= std::fabs(r.high)) {
      bar(r.low, palette::orange, d.low_label);
      bar(r.high, palette::blue, d.high_label);
    } else {
      bar(r.high, palette::blue, d.high_label);
      bar(r.low, palette::orange, d.low_label);
    }
  }
  doc.line(f.x(0), f.top(), f.x(0), f.bottom(), {"none", palette::axis, 1.2});
  f.legend({{d.low_label, {palette::orange}, false}, {d.high_label, {palette::blue}, false}});
  return doc.str();
}

}  // namespace salespipe::io::charts

#endif  // SALESPIPE_IO_CHARTS_BARS_HPP
