// salespipe/io/json_simulate.hpp — a Monte Carlo run as JSON (`salespipe simulate --json`):
// a summary {mean, sd, standard_error, p5, p10, p50, p90, p95}, and a run {periods,
// replications, seed, chunk_size, status, nodes: {id: {quantity: {per_period: [summary],
// total: summary}}}} for every recorded quantity of every node. nlohmann-style to_json found
// by ADL; keys in a fixed order (ordered_json), documented in the README.
#ifndef SALESPIPE_IO_JSON_SIMULATE_HPP
#define SALESPIPE_IO_JSON_SIMULATE_HPP

#include <cstddef>
#include <string>

#include <nlohmann/json.hpp>

#include <salespipe/simulate/results.hpp>
#include <salespipe/simulate/summary.hpp>

namespace salespipe::simulate {

/// {mean, sd, standard_error, p5, p10, p50, p90, p95}.
inline void to_json(nlohmann::ordered_json& j, const summary& s) {
  j = {{"mean", s.mean}, {"sd", s.sd},   {"standard_error", s.standard_error},
       {"p5", s.p5},     {"p10", s.p10}, {"p50", s.p50},
       {"p90", s.p90},   {"p95", s.p95}};
}

/// The run's settings and status and, per node and recorded quantity (entries, value, reward,
/// wip), the summary of each period and of the total over the horizon.
inline void to_json(nlohmann::ordered_json& j, const results& r) {
  using ojson = nlohmann::ordered_json;
  j = ojson::object();
  j["periods"] = r.periods();
  j["replications"] = r.replications();
  j["seed"] = r.seed();
  j["chunk_size"] = r.chunk_size();
  j["status"] = r.cancelled() ? "cancelled" : "completed";
  j["nodes"] = ojson::object();
  const window all{0, r.periods()};
  for (std::size_t n = 0; n < r.node_ids().size(); ++n) {
    ojson jn;
    for (auto q : {quantity::entries, quantity::value, quantity::reward, quantity::wip}) {
      if (!r.has(q, n)) continue;
      ojson per = ojson::array();
      for (const auto& s : per_period(r, q, n)) per.push_back(s);
      jn[std::string(to_string(q))] = {{"per_period", std::move(per)}, {"total", summarize(r, q, n, all)}};
    }
    j["nodes"][r.node_ids()[n]] = std::move(jn);
  }
}

}  // namespace salespipe::simulate

#endif  // SALESPIPE_IO_JSON_SIMULATE_HPP
