// common.cpp — model loading and output helpers shared by the subcommands.
#include "cli.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>

#include <salespipe/error.hpp>
#include <salespipe/example_model.hpp>
#include <salespipe/io/json.hpp>

namespace salespipe_cli {

std::string model_source_name(const std::string& path) {
  if (path.empty()) return "built-in example";
  if (path == "-") return "<stdin>";
  return path;
}

salespipe::pipeline load_model(const std::string& path) {
  if (path.empty()) return salespipe::io::make_pipeline(salespipe::example_model(), "built-in example");
  if (path == "-") return salespipe::io::load_pipeline(std::cin, model_source_name(path));
  return salespipe::io::load_pipeline_file(path);
}

void add_model_argument(CLI::App& cmd, std::string& path, bool required) {
  auto* opt = cmd.add_option("MODEL.json", path,
                             required ? "Model file (MODEL_FORMAT v1); - reads standard input"
                                      : "Model file (MODEL_FORMAT v1); - reads standard input; "
                                        "default: the built-in example model");
  if (required) opt->required();
}

void write_output(const std::string& out, const std::string& text) {
  if (out == "-") {
    std::cout << text << std::flush;
    if (!std::cout) throw salespipe::error("cannot write to standard output");
    return;
  }
  std::ofstream f(out, std::ios::binary);
  if (f) f << text;
  if (f) f.close();
  if (!f) throw salespipe::error(out + ": cannot write the output file");
}

std::string one_line(const std::string& message) {
  std::string s;
  for (const char ch : message) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '\n') {
      s += "\\n";
    } else if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", static_cast<unsigned>(c));
      s += buf;
    } else {
      s += static_cast<char>(c);
    }
  }
  return s;
}

// Progress on stderr when it is a terminal and the run has taken more than a second.
std::function<bool(double)> terminal_progress() {
  if (!isatty(STDERR_FILENO)) return {};
  const auto start = std::chrono::steady_clock::now();
  auto shown = std::make_shared<bool>(false);
  return [start, shown](double f) {
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (s > 1.0 || *shown) {
      const int w = 30, filled = static_cast<int>(f * w);
      std::fprintf(stderr, "\r[%s%s] %3d%%", std::string(static_cast<std::size_t>(filled), '#').c_str(),
                   std::string(static_cast<std::size_t>(w - filled), '.').c_str(), static_cast<int>(f * 100));
      if (f >= 1.0) std::fputs("\n", stderr);
      std::fflush(stderr);
      *shown = true;
    }
    return true;
  };
}

}  // namespace salespipe_cli
