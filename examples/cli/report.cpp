// report.cpp — rendering of the report and the shared report_context.
#include "report.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <system_error>

#include <salespipe/analytic/coverage.hpp>
#include <salespipe/analytic/steady_state.hpp>
#include <salespipe/error.hpp>
#include <salespipe/io/csv.hpp>

namespace salespipe_cli {

namespace {

void render(const table& t, std::string& out) {
  std::vector<std::size_t> width(t.columns.size(), 0);
  auto measure = [&](const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < cells.size() && i < width.size(); ++i) width[i] = std::max(width[i], cells[i].size());
  };
  measure(t.columns);
  for (const auto& r : t.rows) measure(r);
  auto emit = [&](const std::vector<std::string>& cells) {
    std::string line = " ";
    for (std::size_t i = 0; i < width.size(); ++i) {
      const std::string cell = i < cells.size() ? cells[i] : "";
      const std::string pad(width[i] - cell.size(), ' ');
      line += "  " + (i == 0 ? cell + pad : pad + cell);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  };
  emit(t.columns);
  std::vector<std::string> rule;
  for (std::size_t w : width) rule.emplace_back(w, '-');
  emit(rule);
  for (const auto& r : t.rows) emit(r);
}

// The header of a table as CSV column names, each distinct and non-empty. Text tables
// abbreviate grouped columns ("entries P10, P50, P90, value P10, P50, P90"): a name that
// occurs more than once gets the first word of the nearest column to its left whose name
// is unique ("entries P50", "value P50"); an empty name becomes "note"; a name still taken
// gets "_2", "_3", ...
std::vector<std::string> csv_header(const std::vector<std::string>& columns) {
  std::map<std::string, std::size_t> count;
  for (const auto& c : columns) ++count[c];
  std::vector<std::string> out;
  std::set<std::string> taken;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    std::string name = columns[i].empty() ? "note" : columns[i];
    if (!columns[i].empty() && count[columns[i]] > 1)
      for (std::size_t j = i; j-- > 0;)
        if (count[columns[j]] == 1 && !columns[j].empty()) {
          name = columns[j].substr(0, columns[j].find(' ')) + " " + columns[i];
          break;
        }
    std::string unique = name;
    for (std::size_t k = 2; taken.count(unique); ++k) unique = name + "_" + std::to_string(k);
    taken.insert(unique);
    out.push_back(std::move(unique));
  }
  return out;
}

std::string csv_of(const table& t) {
  std::string out;
  auto emit = [&](const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < t.columns.size(); ++i)
      out += (i ? "," : "") + salespipe::io::csv_field(i < cells.size() ? cells[i] : "");
    out += "\n";
  };
  emit(csv_header(t.columns));
  for (const auto& r : t.rows) emit(r);
  return out;
}

// Lower-case letters, digits and '_' only (file names that need no quoting anywhere).
std::string file_slug(const std::string& s) {
  std::string out;
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u))
      out += static_cast<char>(std::tolower(u));
    else if (!out.empty() && out.back() != '_')
      out += '_';
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out.empty() ? "section" : out;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> report::csv_files() const {
  std::vector<std::pair<std::string, std::string>> files;
  std::set<std::string> used;
  for (const auto& s : sections_) {
    const std::string prefix = file_slug(s.key.empty() ? s.title : s.key);
    std::size_t n = 0;
    for (const auto& b : s.body) {
      const auto* t = std::get_if<table>(&b);
      if (!t) continue;
      ++n;
      const std::string base = prefix + "_" + (t->name.empty() ? "table" + std::to_string(n) : file_slug(t->name));
      std::string name = base + ".csv";
      for (std::size_t k = 2; used.count(name); ++k) name = base + "_" + std::to_string(k) + ".csv";
      used.insert(name);
      files.emplace_back(name, csv_of(*t));
    }
  }
  return files;
}

void report::write_csv(const std::string& dir) const {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw salespipe::error(dir + ": cannot create the directory (" + ec.message() + ")");
  for (const auto& [name, text] : csv_files()) {
    const std::string path = (std::filesystem::path(dir) / name).string();
    std::ofstream f(path, std::ios::binary);
    if (f) f << text;
    if (f) f.close();
    if (!f) throw salespipe::error(path + ": cannot write the output file");
  }
}

std::string report::text() const {
  std::string out = heading_ + "\n";
  for (const auto& s : sections_) {
    out += "\n" + s.title + "\n" + std::string(s.title.size(), '=') + "\n";
    for (const auto& b : s.body) {
      if (const auto* line = std::get_if<std::string>(&b))
        out += *line + "\n";
      else
        render(std::get<table>(b), out);
    }
  }
  return out;
}

ojson report::json() const {
  ojson j;
  j["salespipe_report"] = 1;
  for (const auto& s : sections_)
    if (!s.key.empty()) j[s.key] = s.json;
  return j;
}

report_context::report_context(const salespipe::pipeline& p, std::string source, double rates_at)
    : p_(p), source_(std::move(source)), rates_at_(rates_at) {}
report_context::~report_context() = default;

const salespipe::analytic::steady_state& report_context::steady_state() {
  if (!ss_) {
    salespipe::analytic::steady_state_options opt;
    opt.rates_at = rates_at_;
    ss_ = std::make_unique<salespipe::analytic::steady_state>(salespipe::analytic::solve_steady_state(p_, opt));
  }
  return *ss_;
}

const salespipe::analytic::coverage* report_context::coverage() {
  if (!cov_done_) {
    cov_done_ = true;
    if (!p_.target()) {
      cov_note_ = "the model has no target (\"target\": {\"node\": ..., \"per_period\": ...})";
    } else {
      try {
        cov_ = std::make_unique<salespipe::analytic::coverage>(salespipe::analytic::solve_coverage(p_, steady_state()));
      } catch (const salespipe::invalid_model& e) {  // no source rate, target unreachable
        cov_note_ = e.what();
      }
    }
  }
  return cov_.get();
}

const std::string& report_context::coverage_note() {
  coverage();
  return cov_note_;
}

std::string fmt(double x, int significant) {
  if (std::isnan(x)) return "-";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  if (x == 0) return "0";
  const int mag = static_cast<int>(std::floor(std::log10(std::fabs(x))));
  const int decimals = std::min(10, std::max(0, significant - 1 - mag));
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, x);
  std::string s = buf;
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  if (s == "-0") s = "0";
  return s;
}

std::string fmt_pct(double p) {
  if (std::isnan(p)) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", 100 * p);
  return buf;
}

std::string unit_name(salespipe::time_unit u, double x) {
  std::string s(salespipe::to_string(u));
  return x == 1 ? s : s + "s";
}

}  // namespace salespipe_cli
