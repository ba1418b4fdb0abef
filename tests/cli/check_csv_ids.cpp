// check_csv_ids.cpp — checks that node ids holding a comma or a quote round-trip through the
// CSV files a command wrote: every *.csv in DIR parses as RFC 4180 (io::read_csv: balanced
// quotes, as many fields in every record as in the header), and each FILE=ID names a file
// in which ID is, exactly, one field (a header name or a cell).
// Usage: salespipe_cli_check_csv_ids DIR FILE=ID...; exit 0 when all checks pass.
#include <filesystem>
#include <iostream>
#include <string>

#include <salespipe/error.hpp>
#include <salespipe/io/csv.hpp>

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: salespipe_cli_check_csv_ids DIR FILE=ID...\n";
    return 2;
  }
  namespace fs = std::filesystem;
  const fs::path dir = argv[1];
  int failures = 0, files = 0;
  try {
    for (const auto& e : fs::directory_iterator(dir))
      if (e.path().extension() == ".csv") (void)salespipe::io::read_csv(e.path().string()), ++files;
  } catch (const salespipe::error& e) {
    std::cerr << "FAILED: " << e.what() << "\n";
    return 1;
  }
  for (int i = 2; i < argc; ++i) {
    const std::string arg = argv[i];
    const auto eq = arg.find('=');
    const std::string file = arg.substr(0, eq), id = arg.substr(eq + 1);
    const auto t = salespipe::io::read_csv((dir / file).string());
    bool found = false;
    for (const auto& h : t.header) found = found || h == id;
    for (const auto& row : t.rows)
      for (const auto& cell : row) found = found || cell == id;
    if (!found) {
      std::cerr << "FAILED: " << file << " has no field '" << id << "'\n";
      ++failures;
    }
  }
  std::cout << files << " CSV files parsed, " << argc - 2 << " ids checked, " << failures << " failed\n";
  return failures == 0 && files > 0 ? 0 : 1;
}
