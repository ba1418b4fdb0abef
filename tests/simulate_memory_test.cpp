// Memory: 10,000 replications × 120 periods of the built-in example, recording the target
// node only, stays under 200 MB peak RSS (VmHWM of this process; Linux only). Under
// Debug/sanitizers the run is 20x shorter (sanitizer shadow memory would dominate).
#include <doctest/doctest.h>

#include <fstream>
#include <iostream>
#include <string>

#include <salespipe/example_model.hpp>
#include <salespipe/pipeline.hpp>
#include <salespipe/simulate/engine.hpp>
#include <salespipe/simulate/summary.hpp>

namespace {
// Peak resident set size in MiB from /proc/self/status, or -1 when unavailable.
double peak_rss_mib() {
  std::ifstream f("/proc/self/status");
  std::string line;
  while (std::getline(f, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;  // kB
  return -1;
}
}  // namespace

TEST_CASE("10,000 replications x 120 periods, target node only: peak RSS < 200 MB") {
  const salespipe::pipeline p(salespipe::example_model());
  namespace sim = salespipe::simulate;
  sim::options o;
  o.periods = 120;
#ifdef NDEBUG
  o.replications = 10000;
#else
  o.replications = 200;
#endif
  o.threads = 0;
  o.seed = 5;
  o.record.nodes = {p.target()->node};
  const auto r = sim::run(p, o);
  // customer is a stage: entries, value, reward and WIP.
  CHECK(r.record_bytes() == 4 * o.replications * 120 * sizeof(double));
  const auto s = sim::summarize(r, sim::quantity::entries, p.index_of("customer"), {108, 120});
  CHECK(s.mean > 0);
  const double rss = peak_rss_mib();
  std::cout << "peak RSS " << rss << " MiB for " << o.replications << " replications x 120 periods, record "
            << static_cast<double>(r.record_bytes()) / (1 << 20) << " MiB\n";
  if (rss >= 0) CHECK(rss < 200);
}
