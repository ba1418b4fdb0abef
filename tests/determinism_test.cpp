// Monte Carlo determinism: bit-identical for any thread count, chunk ranges merge with
// += into the whole run bit for bit, serialization round-trips.
#include <doctest/doctest.h>

#include <salespipe/example_model.hpp>
#include <salespipe/pipeline.hpp>
#include <salespipe/simulate/engine.hpp>

using namespace salespipe;
namespace sim = salespipe::simulate;

namespace {
sim::options base() {
  sim::options o;
  o.periods = 24;
#ifdef NDEBUG
  o.replications = 205;  // last chunk is partial
#else
  o.replications = 85;  // Debug/sanitizers: shorter, last chunk still partial
#endif
  o.chunk_size = 10;
  o.seed = 20240917;
  return o;
}
}  // namespace

TEST_CASE("bit-identical results for 1, 2, 4 and 8 threads (and 0 = all cores)") {
  const pipeline p(example_model());
  auto o = base();
  const auto one = sim::run(p, o);
  for (int t : {2, 4, 8, 0}) {
    o.threads = t;
    CHECK(sim::run(p, o) == one);
  }
  o.threads = 1;
  o.seed += 1;
  CHECK(sim::run(p, o) != one);
}

TEST_CASE("two halves merged with += equal the whole run bit for bit") {
  const pipeline p(example_model());
  auto o = base();
  const auto whole = sim::run(p, o);
  const std::size_t n = whole.chunks().last, R = o.replications;
  CHECK(n == (R + 9) / 10);
  o.chunks = sim::chunk_range{0, 3};
  auto first = sim::run(p, o);
  o.chunks = sim::chunk_range{3, n};
  o.threads = 2;
  const auto second = sim::run(p, o);
  CHECK(first.replications() == 30);
  CHECK(second.first_replication() == 30);
  CHECK(second.replications() == R - 30);
  CHECK_THROWS_AS(sim::results(second) += first, invalid_option);  // out of order
  sim::results merged;
  merged += first;
  merged += second;
  CHECK(merged == whole);
  first += second;
  CHECK(first == whole);

  // A chunk computed alone equals the same chunk inside the whole run.
  o.chunks = sim::chunk_range{n - 1, n};
  const auto last = sim::run(p, o);
  CHECK(last.replications() == 5);
  const std::size_t c = p.index_of("customer");
  for (std::size_t i = 0; i < 5; ++i)
    for (std::size_t k = 0; k < 24; ++k)
      CHECK(last.at(sim::quantity::value, c, i, k) == whole.at(sim::quantity::value, c, R - 5 + i, k));

  // Different runs do not merge.
  o.chunks = sim::chunk_range{3, n};
  o.seed += 1;
  auto a = sim::run(p, base());
  CHECK_THROWS_AS(a += sim::run(p, o), invalid_option);
}

TEST_CASE("serialize / deserialize round-trips bit for bit") {
  const pipeline p(example_model());
  auto o = base();
  o.record.nodes = {"customer", "lost"};
  const auto r = sim::run(p, o);
  const auto bytes = r.serialize();
  CHECK(sim::results::deserialize(bytes.data(), bytes.size()) == r);
  CHECK_THROWS_AS(sim::results::deserialize(bytes.data(), bytes.size() / 2), parse_error);
  CHECK_THROWS_AS(sim::results::deserialize("nonsense", 8), parse_error);
}
