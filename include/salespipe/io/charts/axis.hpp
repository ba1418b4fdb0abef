// salespipe/io/charts/axis.hpp — what every chart shares: "nice" axis ticks and their
// labels, the chart frame (title, legend row, grid, axes, tick and axis labels) that maps
// data to SVG coordinates, and the colour palette.
//
// An axis is numeric (ticks at 1, 2, 2.5 or 5 × 10^k, labels with a k/M/B suffix from
// 10,000 on) or categorical (one band per category; labels thinned or slanted when they
// do not fit).
#ifndef SALESPIPE_IO_CHARTS_AXIS_HPP
#define SALESPIPE_IO_CHARTS_AXIS_HPP

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

#include <salespipe/io/svg.hpp>

namespace salespipe::io::charts {

/// Colours (colour-blind-safe Tableau 10 subset) used by all charts.
namespace palette {
inline constexpr const char* blue = "#1f77b4";
inline constexpr const char* light_blue = "#aec7e8";
inline constexpr const char* orange = "#ff7f0e";
inline constexpr const char* green = "#2ca02c";
inline constexpr const char* red = "#d62728";
inline constexpr const char* purple = "#9467bd";
inline constexpr const char* brown = "#8c564b";
inline constexpr const char* grey = "#7f7f7f";
inline constexpr const char* grid = "#e5e5e5";
inline constexpr const char* axis = "#444";
/// The i-th colour of a series cycle (blue, orange, green, red, purple, brown, grey).
inline const char* series(std::size_t i) noexcept {
  constexpr const char* c[] = {blue, orange, green, red, purple, brown, grey};
  return c[i % 7];
}
}  // namespace palette

/// Size and title of a chart.
struct chart_options {
  double width = 640;
  double height = 320;
  std::string title;  ///< replaces the chart's default title when not empty
  double font_size = 12;
};

/// Ticks of a numeric axis: lo = values.front(), hi = values.back().
struct tick_set {
  std::vector<double> values;
  double step = 1;
};

/// About `target` (>= 2) ticks at nice steps (1, 2, 2.5, 5 × 10^k) covering [lo, hi]
/// (Heckbert's "nice numbers"). An empty or non-finite range gets a unit range around it.
inline tick_set nice_ticks(double lo, double hi, std::size_t target = 5) {
  if (!std::isfinite(lo) || !std::isfinite(hi)) lo = 0, hi = 1;
  if (lo > hi) std::swap(lo, hi);
  if (hi - lo < 1e-12 * std::max(1.0, std::fabs(hi))) {
    const double pad = lo == 0 ? 1 : std::fabs(lo) * 0.5;
    lo = lo >= 0 && lo - pad < 0 ? 0 : lo - pad;
    hi += pad;
  }
  const double raw = (hi - lo) / static_cast<double>(std::max<std::size_t>(target, 2) - 1);
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  const double f = raw / mag;
  const double step = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * mag;
  tick_set t;
  t.step = step;
  const double first = std::floor(lo / step + 1e-9) * step, last = std::ceil(hi / step - 1e-9) * step;
  for (double v = first; v <= last + step * 1e-6; v += step) t.values.push_back(std::fabs(v) < step * 1e-9 ? 0.0 : v);
  return t;
}

/// Label of tick value v on an axis whose ticks are `step` apart and reach |max_abs|:
/// "0", "0.25", "12", "40k", "1.5M"; locale-independent.
inline std::string tick_label(double v, double step, double max_abs) {
  double div = 1;
  const char* suffix = "";
  if (max_abs >= 1e9)
    div = 1e9, suffix = "B";
  else if (max_abs >= 1e6)
    div = 1e6, suffix = "M";
  else if (max_abs >= 1e4)
    div = 1e3, suffix = "k";
  int decimals = 0;  // the fewest that write every multiple of step exactly (0.25 → 2)
  while (decimals < 9) {
    const double scaled = step / div * std::pow(10.0, decimals);
    if (std::fabs(scaled - std::round(scaled)) < 1e-6 * scaled) break;
    ++decimals;
  }
  const std::string s = format_fixed(v / div, decimals);
  return s == "0" ? s : s + suffix;
}

/// Approximate width of `s` in a sans-serif font of `size` (UTF-8 aware).
inline double text_width(const std::string& s, double size) {
  std::size_t chars = 0;
  for (const char c : s) chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return 0.58 * size * static_cast<double>(chars);
}

/// One axis: numeric over [lo, hi] (widened to nice ticks; to 0 when include_zero) or, when
/// `categories` is not empty, one band per category.
struct axis_spec {
  std::string label;
  std::vector<std::string> categories;
  double lo = 0, hi = 1;
  bool include_zero = true;
  bool exact = false;  ///< numeric: the axis spans exactly [lo, hi] (ticks inside it), e.g. periods
};

/// One legend entry: a filled swatch, or a short line when `line` is true.
struct legend_item {
  std::string label;
  svg_style swatch;
  bool line = false;
};

/// The frame of a chart in `doc`: draws the title, grid, axes and labels on construction;
/// x()/y() map data to SVG coordinates (for a categorical axis: band index + fraction).
class chart_frame {
 public:
  chart_frame(svg_document& doc, const std::string& title, axis_spec xa, axis_spec ya, double font = 12)
      : doc_(doc), xa_(std::move(xa)), ya_(std::move(ya)), font_(font) {
    prepare(xa_, xt_, x0_, x1_);
    prepare(ya_, yt_, y0_, y1_);
    // Margins from the labels that go there.
    double left = 10, bottom = font_ + 12;
    if (categorical(ya_)) {
      for (const auto& c : ya_.categories) left = std::max(left, text_width(c, font_) + 14);
    } else {
      for (double v : yt_.values) left = std::max(left, text_width(ylabel(v), font_) + 14);
    }
    if (!ya_.label.empty()) left += font_ + 8;
    left_ = std::min(left, doc.width() * 0.4);
    top_ = 2.4 * font_ + 24;  // title + legend row
    right_ = doc.width() - 16;
    if (categorical(xa_)) {
      const double band = (right_ - left_) / static_cast<double>(xa_.categories.size());
      double widest = 0;
      for (const auto& c : xa_.categories) widest = std::max(widest, text_width(c, font_));
      if (widest + 6 > band && xa_.categories.size() <= 16)
        slant_ = true, bottom += widest * 0.6;
      else
        every_ = static_cast<std::size_t>(std::ceil((widest + 8) / band));
    }
    if (!xa_.label.empty()) bottom += font_ + 6;
    bottom_ = doc.height() - bottom;
    draw(title);
  }

  double left() const noexcept { return left_; }
  double right() const noexcept { return right_; }
  double top() const noexcept { return top_; }
  double bottom() const noexcept { return bottom_; }
  const tick_set& x_ticks() const noexcept { return xt_; }
  const tick_set& y_ticks() const noexcept { return yt_; }

  /// x coordinate of value v (numeric axis) or of band floor(v) at fraction v − floor(v).
  double x(double v) const {
    if (categorical(xa_)) return left_ + v * (right_ - left_) / static_cast<double>(xa_.categories.size());
    return left_ + (v - x0_) / (x1_ - x0_) * (right_ - left_);
  }
  double y(double v) const {
    if (categorical(ya_)) return top_ + v * (bottom_ - top_) / static_cast<double>(ya_.categories.size());
    return bottom_ - (v - y0_) / (y1_ - y0_) * (bottom_ - top_);
  }
  /// Width of one band of the categorical x axis (or of one unit on a numeric one).
  double x_band() const { return x(1) - x(0); }
  double y_band() const { return std::fabs(y(1) - y(0)); }

  /// The legend row under the title, left to right.
  void legend(const std::vector<legend_item>& items) {
    double x0 = left_;
    const double yy = 1.6 * font_ + 14;
    for (const auto& it : items) {
      if (it.line) {
        svg_style s = it.swatch;
        s.stroke_width = std::max(2.0, s.stroke_width);
        doc_.line(x0, yy - font_ * 0.35, x0 + 16, yy - font_ * 0.35, s);
      } else {
        doc_.rect(x0, yy - font_ * 0.8, 16, font_ * 0.8, it.swatch);
      }
      doc_.text(x0 + 20, yy, it.label, {font_ * 0.92, false, "#333"});
      x0 += 20 + text_width(it.label, font_ * 0.92) + 16;
    }
  }

 private:
  static bool categorical(const axis_spec& a) { return !a.categories.empty(); }
  // Ticks and the data range [d0, d1] the axis spans.
  static void prepare(axis_spec& a, tick_set& t, double& d0, double& d1) {
    if (categorical(a)) return;
    double lo = a.lo, hi = a.hi;
    if (a.include_zero) lo = std::min(lo, 0.0), hi = std::max(hi, 0.0);
    t = nice_ticks(lo, hi, a.exact ? 7 : 5);
    d0 = t.values.front(), d1 = t.values.back();
    if (a.exact && lo < hi) {
      d0 = lo, d1 = hi;
      std::vector<double> inside;
      for (double v : t.values)
        if (v >= lo - 1e-9 * (hi - lo) && v <= hi + 1e-9 * (hi - lo)) inside.push_back(v);
      if (!inside.empty()) t.values = inside;
    }
  }
  static double max_abs(const tick_set& t) { return std::max(std::fabs(t.values.front()), std::fabs(t.values.back())); }
  std::string ylabel(double v) const { return tick_label(v, yt_.step, max_abs(yt_)); }

  void draw(const std::string& title) {
    const svg_font label{font_, false, "#333"};
    doc_.text(left_, font_ * 1.3 + 4, title, {font_ * 1.2, true, "#111"});
    doc_.rect(left_, top_, right_ - left_, bottom_ - top_, {"#fcfcfc"});
    const svg_style grid{"none", palette::grid, 1};
    // y axis
    if (categorical(ya_)) {
      for (std::size_t i = 0; i < ya_.categories.size(); ++i)
        doc_.text(left_ - 8, y(static_cast<double>(i) + 0.5) + font_ * 0.35, ya_.categories[i], label, anchor::end);
    } else {
      for (double v : yt_.values) {
        doc_.line(left_, y(v), right_, y(v), grid);
        doc_.text(left_ - 6, y(v) + font_ * 0.35, ylabel(v), label, anchor::end);
      }
    }
    // x axis
    const double base = bottom_ + font_ + 4;
    if (categorical(xa_)) {
      for (std::size_t i = 0; i < xa_.categories.size(); ++i) {
        const double cx = x(static_cast<double>(i) + 0.5);
        doc_.line(cx, bottom_, cx, bottom_ + 4, {"none", palette::axis, 1});
        if (slant_)
          doc_.text(cx, bottom_ + font_ * 0.9 + 2, xa_.categories[i], label, anchor::end, -35);
        else if (i % std::max<std::size_t>(every_, 1) == 0)
          doc_.text(cx, base, xa_.categories[i], label, anchor::middle);
      }
    } else {
      const double mx = max_abs(xt_);
      for (double v : xt_.values) {
        doc_.line(x(v), top_, x(v), bottom_, grid);
        doc_.text(x(v), base, tick_label(v, xt_.step, mx), label, anchor::middle);
      }
    }
    const svg_style ax{"none", palette::axis, 1};
    doc_.line(left_, bottom_, right_, bottom_, ax);
    doc_.line(left_, top_, left_, bottom_, ax);
    if (!xa_.label.empty()) doc_.text((left_ + right_) / 2, doc_.height() - 6, xa_.label, label, anchor::middle);
    if (!ya_.label.empty()) {
      const double xx = font_ + 2, yy = (top_ + bottom_) / 2;
      doc_.text(xx, yy, ya_.label, label, anchor::middle, -90);
    }
  }

  svg_document& doc_;
  axis_spec xa_, ya_;
  tick_set xt_, yt_;
  double x0_ = 0, x1_ = 1, y0_ = 0, y1_ = 1;
  double font_;
  double left_ = 0, right_ = 0, top_ = 0, bottom_ = 0;
  bool slant_ = false;
  std::size_t every_ = 1;
};

}  // namespace salespipe::io::charts

#endif  // SALESPIPE_IO_CHARTS_AXIS_HPP
