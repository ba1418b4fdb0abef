// report.cpp — rendering of the report and the shared report_context.
#include "report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <salespipe/analytic/coverage.hpp>
#include <salespipe/analytic/steady_state.hpp>
#include <salespipe/error.hpp>

namespace salespipe_cli {

namespace {

void render(const table& t, std::string& out) {
  std::vector<std::size_t> width(t.columns.size(), 0);
  auto measure = [&](const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < cells.size() && i < width.size(); ++i)
      width[i] = std::max(width[i], cells[i].size());
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

}  // namespace

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
    ss_ = std::make_unique<salespipe::analytic::steady_state>(
        salespipe::analytic::solve_steady_state(p_, opt));
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
        cov_ = std::make_unique<salespipe::analytic::coverage>(
            salespipe::analytic::solve_coverage(p_, steady_state()));
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
