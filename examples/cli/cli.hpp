// cli.hpp — shared pieces of the `salespipe` command-line program.
//
// Layout: main.cpp parses and dispatches; every subcommand lives in cmd_<name>.cpp and
// is one `make_<name>_command` factory, listed in main.cpp; the report is a list of
// sections (report.hpp, report_sections.cpp). Only the public library API is used.
//
// To add a subcommand: write cmd_<name>.cpp defining `command make_<name>_command(CLI::App&)`,
// declare it below and add it to the table in main.cpp.
#ifndef SALESPIPE_CLI_CLI_HPP
#define SALESPIPE_CLI_CLI_HPP

#include <functional>
#include <stdexcept>
#include <string>

#include <CLI/CLI.hpp>

#include <salespipe/fwd.hpp>
#include <salespipe/pipeline.hpp>

namespace salespipe_cli {

/// Exit codes of the program (documented in the README, "Command line").
enum exit_code : int {
  exit_ok = 0,       ///< success
  exit_invalid = 1,  ///< invalid input (model file, data) or an output that cannot be written
  exit_usage = 2,    ///< usage error: unknown option, missing or malformed argument
};

/// A subcommand: its CLI11 app (owned by the parent app) and what runs it once parsed.
/// `run` returns the exit code; it may throw salespipe::error (→ exit 1, or 2 for
/// salespipe::invalid_option) or usage_error (→ 2).
struct command {
  CLI::App* app = nullptr;
  std::function<int()> run;
};

/// A usage error found after parsing (e.g. an option value that makes no sense): exit 2.
struct usage_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

command make_report_command(CLI::App& parent);     // cmd_report.cpp
command make_example_command(CLI::App& parent);    // cmd_example.cpp
command make_validate_command(CLI::App& parent);   // cmd_validate.cpp
command make_simulate_command(CLI::App& parent);   // cmd_simulate.cpp
command make_fit_command(CLI::App& parent);        // cmd_fit.cpp
command make_forecast_command(CLI::App& parent);   // cmd_forecast.cpp
command make_backtest_command(CLI::App& parent);   // cmd_backtest.cpp
command make_key_links_command(CLI::App& parent);  // cmd_key_links.cpp

/// The model named on the command line, validated: "" → the built-in example
/// (salespipe::example_model()), "-" → standard input, otherwise a file path. Throws
/// salespipe::parse_error naming the file and the JSON path.
salespipe::pipeline load_model(const std::string& path);

/// How the model is named in messages: "built-in example", "<stdin>" or the path.
std::string model_source_name(const std::string& path);

/// Adds the optional positional argument MODEL.json (stored in `path`) to `cmd`.
void add_model_argument(CLI::App& cmd, std::string& path, bool required = false);

/// Writes `text` to `out` ("-" = standard output). Throws salespipe::error (exit 1) if
/// the file cannot be written.
void write_output(const std::string& out, const std::string& text);

/// One-line version of a message (control characters escaped) for stderr.
std::string one_line(const std::string& message);

/// A Monte Carlo progress bar on stderr when it is a terminal and the run has taken more
/// than a second; empty otherwise.
std::function<bool(double)> terminal_progress();

}  // namespace salespipe_cli

#endif  // SALESPIPE_CLI_CLI_HPP
