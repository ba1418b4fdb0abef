// report.hpp — the `salespipe report` output: a list of sections, each with a text part
// (lines and tables) and a JSON part stored under its key in `--json` output.
//
// To add a section (Monte Carlo, time, key links, ...): write section_<name>.cpp with a
// class derived from report_section and a `make_<name>_section()` factory, declare the
// factory at the end of this file and add one line to report_sections.cpp. A section may
// add its own options to the `report` subcommand (add_options) and append any number of
// sections to the report (build). Results that several sections need are computed once
// by report_context (add a cached accessor there).
#ifndef SALESPIPE_CLI_REPORT_HPP
#define SALESPIPE_CLI_REPORT_HPP

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <salespipe/analytic/results.hpp>
#include <salespipe/fwd.hpp>
#include <salespipe/pipeline.hpp>

namespace salespipe::estimate {
struct fit_report;
struct history_report;
}  // namespace salespipe::estimate

namespace salespipe_cli {

using ojson = nlohmann::ordered_json;

/// A text table; cells are preformatted. The first column is left-aligned, the others
/// right-aligned.
struct table {
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;
  /// File-name part of the table in `--csv DIR` (<section key>_<name>.csv); "" = "table<N>"
  /// (N = 1-based position among the section's tables).
  std::string name = {};

  table& row(std::vector<std::string> cells) {
    rows.push_back(std::move(cells));
    return *this;
  }
};

/// A chart of a section: a self-contained SVG document (io/svg.hpp, io/charts/), shown in
/// the HTML report (`--html`) after the section's text; absent from text and JSON.
struct figure {
  std::string title;
  std::string svg;
};

/// One section of the report.
struct section {
  std::string key;                                     ///< key of `json` in the JSON report ("" = text only)
  std::string title;                                   ///< heading of the text output
  std::vector<std::variant<std::string, table>> body;  ///< lines and tables, in order
  ojson json;                                          ///< written under `key`

  section& line(std::string text) {
    body.emplace_back(std::move(text));
    return *this;
  }
  section& add(table t) {
    body.emplace_back(std::move(t));
    return *this;
  }
  std::vector<figure> figures;  ///< charts for the HTML report, in order
  section& chart(std::string chart_title, std::string svg) {
    figures.push_back({std::move(chart_title), std::move(svg)});
    return *this;
  }
};

/// The whole report: sections in order.
class report {
 public:
  explicit report(std::string heading) : heading_(std::move(heading)) {}
  void add(section s) { sections_.push_back(std::move(s)); }
  const std::vector<section>& sections() const noexcept { return sections_; }
  /// Plain-text rendering (what `salespipe report` prints).
  std::string text() const;
  /// {"salespipe_report": 1, <key>: <json>, ...} in section order.
  ojson json() const;
  /// One self-contained HTML page (inline CSS and SVG, no script, no network): per section
  /// its lines, tables and figures, all text escaped (report_html.cpp).
  std::string html() const;
  /// Every table of every section as CSV (RFC 4180, header row = the table's columns, cells
  /// as in the text report): {file name, contents} in report order. File name:
  /// <section key>_<table name>.csv (section key "" → a slug of its title), made unique.
  std::vector<std::pair<std::string, std::string>> csv_files() const;
  /// Writes csv_files() into the directory `dir` (created if missing). Throws
  /// salespipe::error (exit 1) when the directory or a file cannot be written.
  void write_csv(const std::string& dir) const;

 private:
  std::string heading_;
  std::vector<section> sections_;
};

/// The model and the results that sections share, each computed once on first use.
class report_context {
 public:
  report_context(const salespipe::pipeline& p, std::string source, double rates_at);
  ~report_context();
  report_context(const report_context&) = delete;
  report_context& operator=(const report_context&) = delete;

  const salespipe::pipeline& pipeline() const noexcept { return p_; }
  /// How the model was given: "built-in example", "<stdin>" or the file path.
  const std::string& source() const noexcept { return source_; }
  /// Time at which the source rates are read for the steady state (option --rates-at).
  double rates_at() const noexcept { return rates_at_; }

  /// The exact steady state (analytic engine). Throws salespipe::singular_model.
  const salespipe::analytic::steady_state& steady_state();
  /// Coverage for the model's target, or nullptr (no target, no source rate, target
  /// unreachable: coverage_note() says why).
  const salespipe::analytic::coverage* coverage();
  const std::string& coverage_note();

 private:
  const salespipe::pipeline& p_;
  std::string source_;
  double rates_at_;
  std::unique_ptr<salespipe::analytic::steady_state> ss_;
  std::unique_ptr<salespipe::analytic::coverage> cov_;
  bool cov_done_ = false;
  std::string cov_note_;
};

/// A producer of report sections.
class report_section {
 public:
  virtual ~report_section() = default;
  /// Adds this section's options to the `report` subcommand (none by default).
  virtual void add_options(CLI::App& /*report_command*/) {}
  /// Appends this section's part(s) to `out`.
  virtual void build(report_context& ctx, report& out) = 0;
};

/// The sections of `salespipe report`, in order (report_sections.cpp).
std::vector<std::unique_ptr<report_section>> make_report_sections();

// --- text formatting shared by the sections ---
/// `x` with about `significant` significant digits, no exponent, trailing zeros
/// trimmed: 36 → "36", 0.133333 → "0.1333", 22.5 → "22.5"; NaN → "-".
std::string fmt(double x, int significant = 4);
/// A probability as a percentage: 0.6667 → "66.7%".
std::string fmt_pct(double p);
/// "month" → "months" for `x` != 1.
std::string unit_name(salespipe::time_unit u, double x = 2);

// --- the sections (one file each) ---
std::unique_ptr<report_section> make_summary_section();       // section_summary.cpp
std::unique_ptr<report_section> make_steady_state_section();  // section_steady_state.cpp
std::unique_ptr<report_section> make_coverage_section();      // section_coverage.cpp
std::unique_ptr<report_section> make_monte_carlo_section();   // section_monte_carlo.cpp
std::unique_ptr<report_section> make_time_section();          // section_time.cpp
/// The time section for `periods` periods (also printed by `salespipe forecast`).
section time_section(const salespipe::pipeline& p, std::size_t periods, std::size_t fiscal_start);
std::unique_ptr<report_section> make_key_links_section();  // section_key_links.cpp
/// The key-links tornado for KPI `kpi` (keylinks::kpi_kind name) at `node` ("" = target),
/// window [from, from + periods), relative `change`, `negligible` threshold (also printed by
/// `salespipe key-links`). Throws invalid_option (unknown KPI), invalid_model (bad node, lever).
section key_links_section(const salespipe::pipeline& p, const std::string& kpi, const std::string& node,
                          std::size_t from, std::size_t periods, double change, double negligible);

// --- the fit report of `salespipe fit` (fit_output.cpp), for --csv and --html ---
/// Section "fit" with tables parameters, routes, monthly, skipped (opportunity table) or
/// parameters, stages, routes, monthly, skipped (stage history), the warnings as lines and the
/// charts: Kaplan–Meier of the time in stage vs the fitted survival, per stage (and per route).
section fit_section(const salespipe::estimate::fit_report& r);
section fit_section(const salespipe::estimate::history_report& r);

}  // namespace salespipe_cli

#endif  // SALESPIPE_CLI_REPORT_HPP
