// check_report_json.cpp — checks `salespipe report --json OUT` on the built-in example:
// every documented key is present and holds exactly the library's number (the JSON keeps
// doubles exactly), plus the closed form of the example (3 customers a month from
// prospects that take 4 months and convert 1 in 3 → 36 prospects, 24 open: gap −12).
// Usage: salespipe_cli_check_report REPORT.json; exit 0 when all checks pass.
#include <cmath>
#include <cstddef>
#include <fstream>
#include <iostream>
#include <string>

#include <nlohmann/json.hpp>

#include <salespipe/analytic/coverage.hpp>
#include <salespipe/analytic/steady_state.hpp>
#include <salespipe/example_model.hpp>
#include <salespipe/pipeline.hpp>

namespace {

int failures = 0;

void check(bool ok, const std::string& what) {
  if (!ok) {
    std::cerr << "FAILED: " << what << "\n";
    ++failures;
  }
}

// The JSON number at j[key] equals x exactly (NaN ⇔ null).
void same(const nlohmann::json& j, const std::string& key, double x, const std::string& where) {
  if (!j.contains(key)) {
    check(false, where + "." + key + " is missing");
    return;
  }
  const auto& v = j.at(key);
  if (std::isnan(x))
    check(v.is_null(), where + "." + key + " should be null (NaN)");
  else
    check(v.is_number() && v.get<double>() == x,
          where + "." + key + " = " + v.dump() + ", the library says " + std::to_string(x));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: salespipe_cli_check_report REPORT.json\n";
    return 2;
  }
  std::ifstream in(argv[1]);
  if (!in) {
    std::cerr << argv[1] << ": cannot open\n";
    return 1;
  }
  const nlohmann::json r = nlohmann::json::parse(in);

  const salespipe::pipeline p(salespipe::example_model());
  const auto ss = salespipe::analytic::solve_steady_state(p);
  const auto cov = salespipe::analytic::solve_coverage(p, ss);

  check(r.at("salespipe_report") == 1, "salespipe_report == 1");
  check(r.at("model").at("name") == p.name(), "model.name");
  check(r.at("model").at("open_deals_total") == 201, "model.open_deals_total == 201");

  const auto& st = r.at("steady_state").at("stages");
  check(st.size() == ss.stages.size(), "one steady_state.stages entry per stage");
  for (std::size_t i = 0; i < ss.stages.size() && i < st.size(); ++i) {
    const auto& s = ss.stages[i];
    const auto& j = st[i];
    const std::string w = "steady_state.stages[" + s.id + "]";
    check(j.at("id") == s.id, w + ".id");
    same(j, "entry_rate", s.entry_rate, w);
    same(j, "wip", s.wip, w);
    same(j, "mean_time_in_stage", s.mean_time_in_stage, w);
    same(j, "mean_time_to_absorption", s.mean_time_to_absorption, w);
    same(j, "value_rate", s.value_rate, w);
    same(j, "p_reach_target", s.p_reach[p.target()->node_index], w);
    for (std::size_t k = 0; k < ss.outcomes.size(); ++k)
      same(j.at("p_absorb"), ss.outcomes[k].id, s.p_absorb[k], w + ".p_absorb");
  }
  const auto& oc = r.at("steady_state").at("outcomes");
  check(oc.size() == ss.outcomes.size(), "one steady_state.outcomes entry per outcome");
  for (std::size_t k = 0; k < ss.outcomes.size() && k < oc.size(); ++k) {
    const std::string w = "steady_state.outcomes[" + ss.outcomes[k].id + "]";
    check(oc[k].at("id") == ss.outcomes[k].id, w + ".id");
    same(oc[k], "entry_rate", ss.outcomes[k].entry_rate, w);
    same(oc[k], "value_rate", ss.outcomes[k].value_rate, w);
  }

  const auto& c = r.at("coverage");
  check(c.at("node") == "customer", "coverage.node");
  same(c, "per_period", 3, "coverage");
  same(c, "required_source_rate", cov.required_source_rate, "coverage");
  for (const auto& cs : cov.stages) {
    same(c.at("required_wip"), cs.id, cs.required_wip, "coverage.required_wip");
    same(c.at("open_wip"), cs.id, cs.open_wip, "coverage.open_wip");
    same(c.at("gap"), cs.id, cs.gap, "coverage.gap");
  }
  check(c.at("loophole") == "prospect", "coverage.loophole == prospect");
  // The closed form of the example (independent of the engine).
  const double req = c.at("required_wip").at("prospect").get<double>();
  check(std::fabs(req - 36) < 1e-9, "coverage.required_wip.prospect == 36 (9 a month x 4 months)");
  check(c.at("open_wip").at("prospect") == 24, "coverage.open_wip.prospect == 24");
  check(std::fabs(c.at("gap").at("prospect").get<double>() + 12) < 1e-9, "coverage.gap.prospect == -12");
  check(std::fabs(c.at("required_source_rate").get<double>() - 45) < 1e-9,
        "coverage.required_source_rate == 45 (3 / (0.4 x 0.5 x 1/3))");

  if (failures) {
    std::cerr << failures << " check(s) failed\n";
    return 1;
  }
  std::cout << "report JSON: all checks passed\n";
  return 0;
}
