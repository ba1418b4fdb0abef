// report_sections.cpp — the sections of `salespipe report`, in report order.
// Add a section: one line here (and its factory declared in report.hpp).
#include "report.hpp"

namespace salespipe_cli {

std::vector<std::unique_ptr<report_section>> make_report_sections() {
  std::vector<std::unique_ptr<report_section>> s;
  s.push_back(make_summary_section());       // "model"
  s.push_back(make_steady_state_section());  // "steady_state"
  s.push_back(make_coverage_section());      // "coverage"
  s.push_back(make_monte_carlo_section());   // "monte_carlo"
  s.push_back(make_time_section());          // "time"
  s.push_back(make_key_links_section());     // "key_links"
  return s;
}

}  // namespace salespipe_cli
