// cmd_validate.cpp — `salespipe validate MODEL.json`: load, validate, solve the steady
// state; print one "ok: ..." line or fail with the first error (exit 1).
#include <cstddef>
#include <iostream>

#include "cli.hpp"
#include "report.hpp"

#include <salespipe/analytic/steady_state.hpp>

namespace salespipe_cli {

command make_validate_command(CLI::App& parent) {
  auto path = std::make_shared<std::string>();
  CLI::App* sub = parent.add_subcommand(
      "validate", "Check a model file: format, types, ids, probabilities, distributions, reachability, "
                  "and that its steady state can be solved; prints one line");
  add_model_argument(*sub, *path, /*required=*/true);
  return {sub, [path]() {
            const salespipe::pipeline p = load_model(*path);
            salespipe::analytic::solve_steady_state(p);  // near-singular chains are refused
            std::size_t open = 0;
            for (const auto& o : p.open_pipeline()) open += o.size();
            const std::string unit(salespipe::to_string(p.unit()));
            auto count = [](std::size_t n, const char* what) {
              return std::to_string(n) + " " + what + (n == 1 ? "" : "s");
            };
            std::string line = "ok: " + model_source_name(*path) + ": " + count(p.stage_count(), "stage") + ", " +
                               count(p.outcome_count(), "outcome") + ", " + count(p.sources().size(), "source") + ", " +
                               count(open, "open deal");
            if (p.target())
              line += ", target " + fmt(p.target()->per_period) + " per " + unit + " into '" + p.target()->node + "'";
            std::cout << line << "\n";
            return int{exit_ok};
          }};
}

}  // namespace salespipe_cli
