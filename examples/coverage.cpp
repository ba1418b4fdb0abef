// The classic coverage argument on the built-in example: a prospect takes 4 months to
// decide, 1 in 3 become customers, the target is 3 new customers a month → 9 new
// prospects a month and 36 in the pipe. The open pipeline holds 24: prospect is the
// loophole. Prints the coverage table; exits non-zero if the numbers are not these.
#include <salespipe/analytic/coverage.hpp>
#include <salespipe/example_model.hpp>
#include <salespipe/pipeline.hpp>

#include <cmath>
#include <cstdio>

int main() {
  namespace an = salespipe::analytic;
  const salespipe::pipeline p(salespipe::example_model());
  const an::steady_state ss = an::solve_steady_state(p);
  const an::coverage cov = an::solve_coverage(p, ss);  // the model's target

  std::printf("target: %g new '%s' per month (now %g); required leads %g per month\n", cov.per_period, cov.node.c_str(),
              cov.current_rate, cov.required_source_rate);
  std::printf("%-12s %10s %10s %10s %8s %10s\n", "stage", "entry/mo", "required", "open", "gap", "coverage");
  for (const auto& s : cov.stages)
    std::printf("%-12s %10.2f %10.2f %10.0f %8.2f %9.0f%%\n", s.id.c_str(), cov.scale * ss.stages[s.node].entry_rate,
                s.required_wip, s.open_wip, s.gap, 100 * s.ratio);
  std::printf("required pipeline value: %.0f\n", cov.required_pipeline_value);
  std::printf("loophole: %s\n", cov.loophole.empty() ? "(none)" : cov.loophole.c_str());

  const auto* prospect = cov.find("prospect");
  const bool ok = prospect != nullptr && std::abs(prospect->required_wip - 36) < 1e-9 &&
                  std::abs(ss.stages[prospect->node].entry_rate - 9) < 1e-9 && cov.loophole == "prospect";
  if (!ok) std::fprintf(stderr, "coverage example: expected 36 prospects and loophole 'prospect'\n");
  return ok ? 0 : 1;
}
