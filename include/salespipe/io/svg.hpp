// salespipe/io/svg.hpp — a small SVG 1.1 writer: a document of shapes and text, all text
// escaped, all numbers written locale-independently (std::to_chars), so the output is the
// same under any C locale and can be inlined in HTML.
//
//   salespipe::io::svg_document d(320, 200, "Won deals per month");
//   d.rect(10, 10, 100, 50, {"#1f77b4"});
//   d.text(60, 80, "Q1 & Q2", {}, salespipe::io::anchor::middle);
//   std::string svg = d.str();
//
// Why our own: the Debian plotting libraries (PLplot, GNU plotutils, MathGL, gnuplot-iostream,
// QCustomPlot, KPlotting) are compiled libraries, need a program at run time, or draw on Qt
// widgets; none returns a self-contained SVG string from a header-only library.
//
// Coordinates are in user units (= CSS pixels at the default size); y grows downwards.
// A shape with a non-finite coordinate is skipped (a polyline is broken at such points),
// never written as "nan".
#ifndef SALESPIPE_IO_SVG_HPP
#define SALESPIPE_IO_SVG_HPP

#include <charconv>
#include <cmath>
#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace salespipe::io {

/// `s` with & < > " ' replaced by entities (valid in XML/HTML text and attribute values);
/// other control characters than tab, LF and CR are dropped (not allowed in XML 1.0).
inline std::string xml_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (const char ch : s) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default:
        if (static_cast<unsigned char>(ch) < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') break;
        out += ch;
    }
  }
  return out;
}

/// `x` in fixed notation with at most `decimals` decimals, trailing zeros trimmed, "-0" → "0"
/// ("12.5", "3", "-0.25"); locale-independent. Non-finite → "nan"/"inf"/"-inf".
inline std::string format_fixed(double x, int decimals = 2) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  char buf[400];  // |x| < 1e308: at most 309 digits + sign + point + decimals
  decimals = decimals < 0 ? 0 : (decimals > 12 ? 12 : decimals);
  const auto r = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::fixed, decimals);
  std::string s(buf, r.ptr);
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  if (s == "-0") s = "0";
  return s;
}

/// `x` with about `significant` significant digits, no exponent ("36", "0.1333", "22.5",
/// "1234567"); locale-independent; "-" for NaN.
inline std::string format_significant(double x, int significant = 4) {
  if (std::isnan(x)) return "-";
  if (std::isinf(x) || x == 0) return format_fixed(x, 0);
  const int mag = static_cast<int>(std::floor(std::log10(std::fabs(x))));
  return format_fixed(x, significant - 1 - mag);
}

/// Fill and stroke of a shape or text. Colours are any SVG/CSS colour ("#1f77b4", "none").
struct svg_style {
  std::string fill = "none";
  std::string stroke = "none";
  double stroke_width = 1;
  double opacity = 1;  ///< of the whole element
  std::string dash;    ///< stroke-dasharray, e.g. "4 3" ("" = solid)

  svg_style() = default;
  /// {fill}, {fill, stroke}, ... in member order.
  svg_style(std::string fill_colour, std::string stroke_colour = "none", double width = 1, double opacity_ = 1,
            std::string dasharray = {})
      : fill(std::move(fill_colour)),
        stroke(std::move(stroke_colour)),
        stroke_width(width),
        opacity(opacity_),
        dash(std::move(dasharray)) {}
  svg_style(const char* fill_colour) : svg_style(std::string(fill_colour)) {}
};

/// Horizontal alignment of text at its x.
enum class anchor { start, middle, end };

/// Font of a text element.
struct svg_font {
  double size = 12;
  bool bold = false;
  std::string fill = "#222";
};

/// An SVG document: shapes appended in drawing order, rendered by str().
class svg_document {
 public:
  /// width × height user units; `title` becomes <title> (the accessible name; escaped).
  svg_document(double width, double height, std::string title = {})
      : width_(width), height_(height), title_(std::move(title)) {}

  double width() const noexcept { return width_; }
  double height() const noexcept { return height_; }

  /// A rectangle (negative sizes are normalised); `tooltip` becomes a <title> child.
  svg_document& rect(double x, double y, double w, double h, const svg_style& s, std::string_view tooltip = {}) {
    if (w < 0) x += w, w = -w;
    if (h < 0) y += h, h = -h;
    if (!finite({x, y, w, h})) return *this;
    body_ += "<rect x=\"" + n(x) + "\" y=\"" + n(y) + "\" width=\"" + n(w) + "\" height=\"" + n(h) + "\"" + style(s);
    close("rect", tooltip);
    return *this;
  }

  svg_document& line(double x1, double y1, double x2, double y2, const svg_style& s) {
    if (!finite({x1, y1, x2, y2})) return *this;
    body_ +=
        "<line x1=\"" + n(x1) + "\" y1=\"" + n(y1) + "\" x2=\"" + n(x2) + "\" y2=\"" + n(y2) + "\"" + style(s) + "/>\n";
    return *this;
  }

  svg_document& circle(double cx, double cy, double r, const svg_style& s, std::string_view tooltip = {}) {
    if (!finite({cx, cy, r})) return *this;
    body_ += "<circle cx=\"" + n(cx) + "\" cy=\"" + n(cy) + "\" r=\"" + n(r) + "\"" + style(s);
    close("circle", tooltip);
    return *this;
  }

  /// An open line through the points; broken into several where a point is not finite.
  svg_document& polyline(const std::vector<std::pair<double, double>>& pts, const svg_style& s) {
    std::string p;
    std::size_t count = 0;
    auto flush = [&] {
      if (count >= 2) body_ += "<polyline points=\"" + p + "\"" + style(s) + "/>\n";
      p.clear();
      count = 0;
    };
    for (const auto& [x, y] : pts) {
      if (!finite({x, y})) {
        flush();
        continue;
      }
      if (count++) p += ' ';
      p += n(x) + "," + n(y);
    }
    flush();
    return *this;
  }

  /// A closed filled shape (skipped when a point is not finite or there are < 3 points).
  svg_document& polygon(const std::vector<std::pair<double, double>>& pts, const svg_style& s,
                        std::string_view tooltip = {}) {
    if (pts.size() < 3) return *this;
    std::string p;
    for (const auto& [x, y] : pts) {
      if (!finite({x, y})) return *this;
      if (!p.empty()) p += ' ';
      p += n(x) + "," + n(y);
    }
    body_ += "<polygon points=\"" + p + "\"" + style(s);
    close("polygon", tooltip);
    return *this;
  }

  /// Text at (x, y) (y = baseline), escaped; `rotate` in degrees about (x, y).
  svg_document& text(double x, double y, std::string_view content, const svg_font& f = {}, anchor a = anchor::start,
                     double rotate = 0) {
    if (!finite({x, y, rotate})) return *this;
    static constexpr const char* anchors[] = {"start", "middle", "end"};
    body_ += "<text x=\"" + n(x) + "\" y=\"" + n(y) + "\" font-size=\"" + n(f.size) + "\" fill=\"" +
             xml_escape(f.fill) + "\"";
    if (a != anchor::start) body_ += std::string(" text-anchor=\"") + anchors[static_cast<int>(a)] + "\"";
    if (f.bold) body_ += " font-weight=\"bold\"";
    if (rotate != 0) body_ += " transform=\"rotate(" + n(rotate) + " " + n(x) + " " + n(y) + ")\"";
    body_ += ">" + xml_escape(content) + "</text>\n";
    return *this;
  }

  /// Opens a group (<g>) with an optional class (escaped); close it with end_group().
  svg_document& begin_group(std::string_view css_class = {}) {
    body_ += css_class.empty() ? "<g>\n" : "<g class=\"" + xml_escape(css_class) + "\">\n";
    ++open_groups_;
    return *this;
  }
  svg_document& end_group() {
    if (open_groups_ > 0) body_ += "</g>\n", --open_groups_;
    return *this;
  }

  /// The document: <svg> with xmlns, width, height, viewBox, role="img", the title, the
  /// shapes; groups left open are closed.
  std::string str() const {
    std::string s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + n(width_) + "\" height=\"" + n(height_) +
                    "\" viewBox=\"0 0 " + n(width_) + " " + n(height_) +
                    "\" role=\"img\" font-family=\"Helvetica, Arial, sans-serif\">\n";
    if (!title_.empty()) s += "<title>" + xml_escape(title_) + "</title>\n";
    s += body_;
    for (int i = 0; i < open_groups_; ++i) s += "</g>\n";
    return s + "</svg>\n";
  }

 private:
  static std::string n(double x) { return format_fixed(x, 2); }
  static bool finite(std::initializer_list<double> xs) {
    for (double x : xs)
      if (!std::isfinite(x)) return false;
    return true;
  }
  static std::string style(const svg_style& s) {
    std::string a = " fill=\"" + xml_escape(s.fill) + "\"";
    if (s.stroke != "none") {
      a += " stroke=\"" + xml_escape(s.stroke) + "\" stroke-width=\"" + n(s.stroke_width) + "\"";
      if (!s.dash.empty()) a += " stroke-dasharray=\"" + xml_escape(s.dash) + "\"";
    }
    if (s.opacity < 1) a += " opacity=\"" + n(s.opacity) + "\"";
    return a;
  }
  // Ends the element opened as <tag ...: "/>" or a <title> child holding the tooltip.
  void close(const char* tag, std::string_view tooltip) {
    if (tooltip.empty())
      body_ += "/>\n";
    else
      body_ += "><title>" + xml_escape(tooltip) + "</title></" + tag + ">\n";
  }

  double width_, height_;
  std::string title_, body_;
  int open_groups_ = 0;
};

}  // namespace salespipe::io

#endif  // SALESPIPE_IO_SVG_HPP
