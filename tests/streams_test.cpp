// The simulator's random-stream families (simulate/streams.hpp) never intersect.
#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <set>

#include <salespipe/simulate/posterior.hpp>
#include <salespipe/simulate/streams.hpp>

namespace st = salespipe::simulate::streams;

TEST_CASE("streams: the families hold disjoint ranges of stream numbers") {
  // Each family's last stream lies below the next family's first.
  CHECK(st::chunk(0) == 0);
  CHECK(st::chunk(st::chunk_family_size - 1) < st::parameter_draw(0));
  CHECK(st::parameter_draw(st::parameter_family_size - 1) < st::outcome_route(0, 7, 0));
  CHECK(st::outcome_route(0, 1, st::outcome_route_family_size - 1) == std::numeric_limits<std::uint64_t>::max());
  // The posterior wrapper's base is the parameter family's, not the routes' (it was 2^63).
  CHECK(salespipe::simulate::parameter_stream_base == st::parameter_base);
}

TEST_CASE("streams: a run's chunks, parameter draws and outcome routes are all different streams") {
  // Every stream a parameter-draw run of R replications (chunk size 1) with T routes into
  // outcomes uses: chunk r, parameter draw r and outcome routes (r, t).
  for (std::uint64_t T : {1u, 3u, 8u}) {
    const std::uint64_t R = 200;
    std::set<std::uint64_t> used;
    std::size_t count = 0;
    for (std::uint64_t r = 0; r < R; ++r) {
      used.insert(st::chunk(r));
      used.insert(st::parameter_draw(r));
      for (std::uint64_t t = 0; t < T; ++t) used.insert(st::outcome_route(r, T, t));
      count += 2 + T;
    }
    CHECK(used.size() == count);
  }
}

TEST_CASE("streams: a run that would leave a family's range is refused") {
  CHECK_NOTHROW(st::check_capacity(1000000, 1, 64));
  const std::size_t huge = std::size_t(1) << 62;
  CHECK_THROWS_WITH_AS(st::check_capacity(huge + 1, 1, 0), doctest::Contains("more random streams than a family holds"),
                       salespipe::invalid_option);
  CHECK_THROWS_AS(st::check_capacity(std::size_t(1) << 61, 1, 8), salespipe::invalid_option);  // 2^64 routes
  CHECK_NOTHROW(st::check_capacity(std::size_t(1) << 60, 1, 8));                               // 2^63 routes
}
