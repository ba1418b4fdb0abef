// cmd_example.cpp — `salespipe example [-o FILE]`: the built-in model as a model file.
#include "cli.hpp"

#include <salespipe/example_model.hpp>
#include <salespipe/io/json.hpp>

namespace salespipe_cli {

command make_example_command(CLI::App& parent) {
  auto out = std::make_shared<std::string>("-");
  CLI::App* sub = parent.add_subcommand(
      "example", "Print the built-in example model as a model file (MODEL_FORMAT v1): a starting point "
                 "for your own");
  sub->add_option("-o,--output", *out, "Write to FILE instead of standard output")->type_name("FILE");
  return {sub, [out]() {
            write_output(*out, salespipe::io::write_model(salespipe::example_model()));
            return int{exit_ok};
          }};
}

}  // namespace salespipe_cli
