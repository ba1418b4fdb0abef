// salespipe/io/charts/from_simulation.hpp — fan chart data from a Monte Carlo run: per
// period, the mean and the P10/P25/P75/P90 over replications (type-7 quantiles, as in
// simulate/summary.hpp).
#ifndef SALESPIPE_IO_CHARTS_FROM_SIMULATION_HPP
#define SALESPIPE_IO_CHARTS_FROM_SIMULATION_HPP

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <string>
#include <vector>

#include <salespipe/io/charts/fan.hpp>
#include <salespipe/simulate/results.hpp>
#include <salespipe/simulate/summary.hpp>

namespace salespipe::io::charts {

/// Fan of quantity q at `node` per period of `r`. Throws invalid_option when q was not
/// recorded for the node or r holds no replication.
inline fan_data fan_from_simulation(const simulate::results& r, simulate::quantity q, std::size_t node,
                                    const std::string& node_id = {}) {
  fan_data d;
  d.title = std::string(simulate::to_string(q)) + (node_id.empty() ? "" : " at '" + node_id + "'") +
            " per period (Monte Carlo, " + std::to_string(r.replications()) + " replications)";
  d.title[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(d.title[0])));
  d.y_label = std::string(simulate::to_string(q));
  for (std::size_t k = 0; k < r.periods(); ++k) {
    auto x = simulate::window_totals(r, q, node, {k, k + 1});
    if (x.empty()) throw invalid_option("fan_from_simulation: no replications");
    double sum = 0;
    for (double v : x) sum += v;
    std::sort(x.begin(), x.end());
    d.periods.push_back({sum / static_cast<double>(x.size()), simulate::quantile_sorted(x, 0.1),
                         simulate::quantile_sorted(x, 0.25), simulate::quantile_sorted(x, 0.75),
                         simulate::quantile_sorted(x, 0.9)});
  }
  return d;
}

}  // namespace salespipe::io::charts

#endif  // SALESPIPE_IO_CHARTS_FROM_SIMULATION_HPP
