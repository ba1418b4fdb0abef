// report_html.cpp — the report as one self-contained HTML page (`salespipe report --html`):
// inline CSS, the sections' text lines as paragraphs, their tables as <table> and their
// figures as inline SVG. No script and nothing loaded from the network, so the page opens
// anywhere (mail attachment, intranet) and a browser shows no console error. Every piece of
// text is escaped (salespipe::io::xml_escape).
#include <cctype>
#include <string>

#include <salespipe/config.hpp>
#include <salespipe/io/svg.hpp>

#include "report.hpp"

namespace salespipe_cli {

namespace {

using salespipe::io::xml_escape;

constexpr const char* css = R"(
body { font-family: Helvetica, Arial, sans-serif; color: #222; margin: 0; background: #f4f5f7; }
main { max-width: 1080px; margin: 0 auto; padding: 16px 24px 48px; background: #fff; }
h1 { font-size: 1.5em; margin: 0.6em 0 0.2em; }
h2 { font-size: 1.2em; border-bottom: 2px solid #1f77b4; padding-bottom: 4px; margin-top: 2em; }
nav { font-size: 0.9em; color: #555; }
nav a { margin-right: 1em; color: #1f77b4; text-decoration: none; }
p { margin: 0.35em 0; line-height: 1.4; }
table { border-collapse: collapse; margin: 0.6em 0 1em; font-size: 0.88em; }
th, td { padding: 3px 9px; border-bottom: 1px solid #e3e3e3; text-align: right; white-space: nowrap; }
th { background: #f0f3f7; border-bottom: 1px solid #b8c2cc; }
th:first-child, td:first-child { text-align: left; }
tbody tr:hover { background: #fafbfc; }
.wide { overflow-x: auto; }
figure { margin: 1em 0; }
figure svg { max-width: 100%; height: auto; border: 1px solid #eee; }
summary { cursor: pointer; color: #1f77b4; margin: 0.4em 0; }
footer { margin-top: 3em; font-size: 0.8em; color: #777; }
)";

// Anchor id of a section: its JSON key, or a slug of its title.
std::string anchor_of(const section& s, std::size_t index) {
  std::string base = s.key.empty() ? s.title : s.key, id = "sec-";
  for (const char c : base) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u))
      id += static_cast<char>(std::tolower(u));
    else if (id.back() != '-')
      id += '-';
  }
  return id + "-" + std::to_string(index);
}

// Tables longer than this are folded (<details>, no script): a 500-row list of skipped
// CSV rows must not push the charts off the page.
constexpr std::size_t fold_rows = 40;

void table_html(const table& t, std::string& out) {
  const bool fold = t.rows.size() > fold_rows;
  if (fold) out += "<details><summary>" + std::to_string(t.rows.size()) + " rows (click to show)</summary>\n";
  out += "<div class=\"wide\"><table>\n<thead><tr>";
  for (const auto& c : t.columns) out += "<th>" + xml_escape(c) + "</th>";
  out += "</tr></thead>\n<tbody>\n";
  for (const auto& r : t.rows) {
    out += "<tr>";
    for (std::size_t i = 0; i < t.columns.size(); ++i) out += "<td>" + xml_escape(i < r.size() ? r[i] : "") + "</td>";
    out += "</tr>\n";
  }
  out += "</tbody></table></div>\n";
  if (fold) out += "</details>\n";
}

}  // namespace

std::string report::html() const {
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
                    xml_escape(heading_) + "</title>\n<style>" + css + "</style>\n</head>\n<body>\n<main>\n<h1>" +
                    xml_escape(heading_) + "</h1>\n<nav>";
  for (std::size_t i = 0; i < sections_.size(); ++i)
    out += "<a href=\"#" + anchor_of(sections_[i], i) + "\">" + xml_escape(sections_[i].title) + "</a>";
  out += "</nav>\n";
  for (std::size_t i = 0; i < sections_.size(); ++i) {
    const section& s = sections_[i];
    out += "<section id=\"" + anchor_of(s, i) + "\" data-key=\"" + xml_escape(s.key) + "\">\n<h2>" +
           xml_escape(s.title) + "</h2>\n";
    for (const auto& b : s.body) {
      if (const auto* line = std::get_if<std::string>(&b)) {
        if (!line->empty()) out += "<p>" + xml_escape(*line) + "</p>\n";
      } else {
        table_html(std::get<table>(b), out);
      }
    }
    for (const auto& f : s.figures)
      out += "<figure>\n" + f.svg + "<figcaption hidden>" + xml_escape(f.title) + "</figcaption>\n</figure>\n";
    out += "</section>\n";
  }
  out += "<footer>salespipe " SALESPIPE_VERSION_STRING
         " — one self-contained page: no script, nothing loaded from the network.</footer>\n"
         "</main>\n</body>\n</html>\n";
  return out;
}

}  // namespace salespipe_cli
