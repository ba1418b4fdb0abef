// Every exception the library throws derives from salespipe::error (error.hpp), so one
// catch clause serves an embedder; a few throwers that once used std exceptions.
#include <doctest/doctest.h>

#include <salespipe/edit.hpp>
#include <salespipe/example_model.hpp>
#include <salespipe/matrix.hpp>
#include <salespipe/simulate/streams.hpp>

TEST_CASE("errors: matrix bounds, lever names, stream capacity all throw salespipe::error") {
  const salespipe::matrix m(2, 3);
  CHECK_THROWS_WITH_AS(m.at(2, 0), "salespipe::matrix: element (2, 0) outside a 2x3 matrix", salespipe::error);
  const salespipe::pipeline p(salespipe::example_model());
  CHECK_THROWS_AS(salespipe::find_parameter(p, "speed:lead"), salespipe::error);
  CHECK_THROWS_AS(salespipe::scaled(salespipe::exponential_dist(1), -1), salespipe::error);
  CHECK_THROWS_AS(salespipe::simulate::streams::check_capacity(std::size_t(1) << 63, 1, 1), salespipe::error);
}
