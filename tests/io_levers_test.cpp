// LEVERS.json through the library (io/levers.hpp): the bounded parser, every error naming
// the file and the JSON path.
#include <doctest/doctest.h>

#include <string>

#include <salespipe/example_model.hpp>
#include <salespipe/io/levers.hpp>

namespace io = salespipe::io;

TEST_CASE("io levers: LEVERS.json read into budget levers that allocate_budget takes") {
  const auto ls = io::read_budget_levers_string(R"({"levers": [
      {"lever": "conversion:prospect->customer", "current": 2,
       "curve": {"type": "piecewise", "points": [[0, 0], [4, 0.3], [12, 0.5]]}},
      {"lever": "duration:prospect", "curve": {"type": "saturating", "a": 2, "cap": 0.4}}]})",
                                                "levers.json");
  REQUIRE(ls.size() == 2);
  CHECK(ls[0].lever == "conversion:prospect->customer");
  CHECK(ls[0].current == 2);
  CHECK(ls[0].curve.type == salespipe::keylinks::cost_curve::kind::piecewise);
  CHECK(ls[0].curve.effect(8) == doctest::Approx(0.4));
  CHECK(ls[1].current == 0);
  CHECK(ls[1].curve.effect(2) == doctest::Approx(0.2));
  const salespipe::pipeline p(salespipe::example_model());
  salespipe::keylinks::kpi_spec k;
  const auto a = salespipe::keylinks::allocate_budget(p, k, ls, 4);
  CHECK(a.spent == doctest::Approx(4));
}

TEST_CASE("io levers: bad files are refused with the file and the JSON path") {
  auto err = [](const std::string& text) {
    try {
      (void)io::read_budget_levers_string(text, "L.json");
    } catch (const salespipe::parse_error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(err("{\"levers\": 3}") == "L.json: /levers: expected an array of levers");
  CHECK(err(R"({"levers": [{"curve": {}}]})") ==
        "L.json: /levers/0/lever: expected a lever name such as \"duration:prospect\"");
  CHECK(err(R"({"levers": [{"lever": "source:lead", "curve": {"type": "linear"}}]})") ==
        "L.json: /levers/0/curve/type: expected \"piecewise\" or \"saturating\", got \"linear\"");
  CHECK(err(R"({"levers": [{"lever": "source:lead", "curve": {"type": "saturating", "a": "x", "cap": 1}}]})") ==
        "L.json: /levers/0/curve/a: expected a number");
  CHECK(err(R"({"levers": [{"lever": "source:lead", "curve": {"type": "piecewise", "points": [[1]]}}]})") ==
        "L.json: /levers/0/curve/points/0: expected [spend, effect]");
  CHECK(err(R"({"levers": [{"lever": "source:lead", "current": true, "curve": {}}]})") ==
        "L.json: /levers/0/current: expected a number");
  // The bounded parser: position of a syntax error, duplicate keys, nesting depth.
  CHECK(err("{\"levers\": [}").rfind("L.json: line 1, column 13", 0) == 0);
  CHECK(err(R"({"levers": [], "levers": []})").find("duplicate key") != std::string::npos);
  CHECK(err(std::string(100, '[') + std::string(100, ']')).find("deeper than") != std::string::npos);
  CHECK_THROWS_WITH_AS(io::read_budget_levers_file("no/such/levers.json"),
                       "no/such/levers.json: cannot open: no such file", salespipe::parse_error);
}
