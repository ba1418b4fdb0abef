// salespipe/simulate/streams.hpp — every family of random streams the simulator draws from,
// in disjoint ranges of random_engine's 64-bit stream number (random.hpp), so no draw of one
// family can repeat a draw of another:
//
//   [0, 2^62)      chunk(k)               chunk k of a run (engine, cohorts, scenarios)
//   [2^62, 2^63)   parameter_draw(r)      replication r's model draw (run_with_parameter_draws)
//   [2^63, 2^64)   outcome_route(g, T, t) route t of the T routes into outcomes, replication g
//
// check_capacity() refuses a run whose indices would leave their family's range.
#ifndef SALESPIPE_SIMULATE_STREAMS_HPP
#define SALESPIPE_SIMULATE_STREAMS_HPP

#include <cstddef>
#include <cstdint>
#include <string>

#include <salespipe/error.hpp>

namespace salespipe::simulate::streams {

inline constexpr std::uint64_t chunk_base = 0;
inline constexpr std::uint64_t parameter_base = std::uint64_t(1) << 62;
inline constexpr std::uint64_t outcome_route_base = std::uint64_t(1) << 63;
/// Streams in each family: 2^62 chunks, 2^62 parameter draws, 2^63 outcome routes.
inline constexpr std::uint64_t chunk_family_size = parameter_base - chunk_base;
inline constexpr std::uint64_t parameter_family_size = outcome_route_base - parameter_base;
inline constexpr std::uint64_t outcome_route_family_size = outcome_route_base;  // up to 2^64

/// The stream of chunk k (k < 2^62).
constexpr std::uint64_t chunk(std::uint64_t k) noexcept { return chunk_base + k; }
/// The stream of replication r's parameter draw (r < 2^62).
constexpr std::uint64_t parameter_draw(std::uint64_t r) noexcept { return parameter_base + r; }
/// The stream of route t (t < T) into an outcome in replication g (g·T + t < 2^63).
constexpr std::uint64_t outcome_route(std::uint64_t g, std::uint64_t routes, std::uint64_t t) noexcept {
  return outcome_route_base + g * routes + t;
}

/// Throws invalid_option when `replications` replications (in chunks of `chunk_size`) with
/// `routes` routes into outcomes would need a stream outside a family's range.
inline void check_capacity(std::size_t replications, std::size_t chunk_size, std::size_t routes) {
  const auto n = static_cast<std::uint64_t>(replications), T = static_cast<std::uint64_t>(routes);
  const std::uint64_t chunks = chunk_size > 0 ? (n + chunk_size - 1) / chunk_size : n;
  if (chunks > chunk_family_size || n > parameter_family_size || (T > 0 && n > outcome_route_family_size / T))
    throw invalid_option("replications = " + std::to_string(replications) + " with " + std::to_string(routes) +
                         " routes into outcomes needs more random streams than a family holds (2^62 chunks, "
                         "2^63 outcome routes)");
}

}  // namespace salespipe::simulate::streams

#endif  // SALESPIPE_SIMULATE_STREAMS_HPP
