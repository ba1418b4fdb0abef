// main.cpp — `salespipe`: the command-line program. Parses, dispatches to one
// subcommand (cmd_<name>.cpp), maps errors to exit codes:
//   0 ok, 1 invalid input (one line on stderr), 2 usage error.
#include <exception>
#include <iostream>
#include <vector>

#include <salespipe/config.hpp>
#include <salespipe/error.hpp>

#include "cli.hpp"

int main(int argc, char** argv) {
  using namespace salespipe_cli;
  CLI::App app{"salespipe " SALESPIPE_VERSION_STRING
               ": a sales process as a time model (steady state, coverage, reports)",
               "salespipe"};
  app.require_subcommand(1);
  app.set_version_flag("--version", SALESPIPE_VERSION_STRING);
  app.footer("Exit codes: 0 ok, 1 invalid input, 2 usage error. "
             "'salespipe COMMAND --help' shows a command's options.");

  // The subcommands, in --help order. Add one: a line here (see cli.hpp).
  using factory = command (*)(CLI::App&);
  const factory factories[] = {make_report_command,    make_example_command, make_validate_command,
                               make_simulate_command,  make_fit_command,     make_forecast_command,
                               make_key_links_command, make_backtest_command};
  std::vector<command> commands;
  for (factory f : factories) commands.push_back(f(app));

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::string where = "salespipe";
    for (const CLI::App* sub : app.get_subcommands()) where += " " + sub->get_name();
    std::cerr << where << ": " << one_line(e.what()) << " (see '" << where << " --help')\n";
    return exit_usage;
  }

  try {
    for (const auto& c : commands)
      if (c.app->parsed()) return c.run();
    std::cerr << "salespipe: no command given (see 'salespipe --help')\n";
    return exit_usage;
  } catch (const usage_error& e) {
    std::cerr << "salespipe: " << one_line(e.what()) << "\n";
    return exit_usage;
  } catch (const salespipe::invalid_option& e) {
    std::cerr << "salespipe: " << one_line(e.what()) << "\n";
    return exit_usage;
  } catch (const std::exception& e) {  // salespipe::error (parse_error, ...) and the rest
    std::cerr << "salespipe: " << one_line(e.what()) << "\n";
    return exit_invalid;
  }
}
