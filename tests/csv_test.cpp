// Tests of io/csv.hpp (RFC 4180 reading, errors with file:line:column, fuzzing) and
// date.hpp (ISO-8601 dates).
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include <salespipe/date.hpp>
#include <salespipe/io/csv.hpp>
#include <salespipe/random.hpp>

using salespipe::parse_error;
using salespipe::io::parse_csv;

namespace {
std::string error_of(const std::string& text) {
  try {
    parse_csv(text, "f.csv");
  } catch (const parse_error& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("csv: quoted fields, embedded quotes, commas, newlines, CRLF, BOM") {
  const std::string text = "\xEF\xBB\xBF"
                           "id, name ,note\r\n"
                           "1,plain,\"a, b\"\r\n"
                           "2,\"say \"\"hi\"\"\",\"two\r\nlines\"\r\n"
                           "\r\n"
                           "3,,\"\"\n"
                           "4,last,x";  // no final line break
  const auto t = parse_csv(text, "f.csv");
  REQUIRE(t.header == std::vector<std::string>{"id", "name", "note"});
  REQUIRE(t.rows.size() == 4);
  CHECK(t.rows[0][2] == "a, b");
  CHECK(t.rows[1][1] == "say \"hi\"");
  CHECK(t.rows[1][2] == "two\r\nlines");
  CHECK(t.rows[2][1].empty());
  CHECK(t.rows[2][2].empty());
  CHECK(t.rows[3][1] == "last");
  CHECK(t.lines == std::vector<std::size_t>{2, 3, 6, 7});  // the blank line 5 is skipped
  CHECK(t.column("name") == 1);
  CHECK(t.column({"nope", "note"}) == 2);
  CHECK(t.where(2, 1) == "f.csv:6:2");
}

TEST_CASE("csv: errors name file, line and column") {
  CHECK(error_of("a,b\n1,2\n3,\"open\n4,5\n") == "f.csv:3:2: unbalanced quote");
  CHECK(error_of("a,b\n1,\"x\"y\n") == "f.csv:2:2: unexpected character after closing quote");
  CHECK(error_of("a,b\n1,x\"y\n") == "f.csv:2:2: quote inside an unquoted field");
  CHECK(error_of("a,b,c\n1,2,3\n1,2\n") == "f.csv:3:2: record has 2 fields, header has 3");
  CHECK(error_of("a,b\n1,2,3\n") == "f.csv:2:3: record has 3 fields, header has 2");
  CHECK(error_of("") == "f.csv: empty file (no header row)");
  CHECK(error_of("\n\r\n") == "f.csv: empty file (no header row)");
  CHECK(error_of("a,b,a\n") == "f.csv:1:3: duplicate column name 'a'");
  CHECK(error_of("a,,b\n") == "f.csv:1:2: empty column name");
  const auto t = parse_csv("a,b\n1,2\n", "f.csv");
  try {
    (void)t.column({"stage", "deal_stage"});
    FAIL("no exception");
  } catch (const parse_error& e) {
    CHECK(std::string(e.what()) == "f.csv:1: missing column 'stage' or 'deal_stage'; columns are: a, b");
    CHECK(e.where() == "f.csv:1");
  }
  CHECK_THROWS_AS(salespipe::io::read_csv("/nonexistent/x.csv"), parse_error);
}

TEST_CASE("csv: fuzz — random bytes and mutations either parse or throw parse_error") {
  salespipe::random_engine rng(2024, 6);
  const std::string alphabet = std::string("ab1,\"\n\r ") + '\0' + "\xEF\xBB\xBF";
  const std::string valid = "id,stage,date\n1,\"Won, really\",2017-01-02\r\n2,\"a \"\"b\"\"\nc\",x\n3,,\n";
  auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng.uniform() * static_cast<double>(n)); };
  std::size_t parsed = 0, rejected = 0;
  for (int iter = 0; iter < 6000; ++iter) {
    std::string s;
    if (iter % 2 == 0) {  // random string over a CSV-heavy alphabet, sometimes any byte
      const std::size_t len = pick(120);
      for (std::size_t i = 0; i < len; ++i)
        s += rng.uniform() < 0.1 ? static_cast<char>(pick(256)) : alphabet[pick(alphabet.size())];
    } else {  // 1-4 mutations of a valid file
      s = valid;
      const std::size_t k = 1 + pick(4);
      for (std::size_t m = 0; m < k; ++m) {
        const std::size_t pos = pick(s.size() + 1);
        const char c = alphabet[pick(alphabet.size())];
        const double op = rng.uniform();
        if (op < 0.33)
          s.insert(pos, 1, c);
        else if (op < 0.66 && pos < s.size())
          s.erase(pos, 1);
        else if (pos < s.size())
          s[pos] = c;
      }
    }
    try {
      const auto t = parse_csv(s, "fuzz.csv");
      ++parsed;
      for (std::size_t r = 0; r < t.rows.size(); ++r) {
        REQUIRE(t.rows[r].size() == t.header.size());
        if (r > 0) REQUIRE(t.lines[r] > t.lines[r - 1]);
      }
    } catch (const parse_error& e) {
      ++rejected;
      REQUIRE(std::string(e.what()).rfind("fuzz.csv", 0) == 0);
    }
  }
  // both outcomes occur, so the fuzzing reaches the parser's paths
  CHECK(parsed > 100);
  CHECK(rejected > 100);
}

TEST_CASE("dates: ISO-8601 YYYY-MM-DD to day numbers") {
  using salespipe::format_date;
  using salespipe::parse_date;
  using salespipe::try_parse_date;
  CHECK(parse_date("1970-01-01") == 0);
  CHECK(parse_date("2017-12-31") - parse_date("2017-03-01") == 305);
  CHECK(parse_date("2016-03-01") - parse_date("2016-02-28") == 2);  // leap year
  CHECK(parse_date("2017-03-01T12:30:00Z") == parse_date("2017-03-01"));
  CHECK(parse_date("2017-03-01 08:00") == parse_date("2017-03-01"));
  int mismatches = 0;  // round trip over years 1150..4160
  for (std::int64_t d = -300000; d < 800000; d += 997) mismatches += parse_date(format_date(d)) != d;
  CHECK(mismatches == 0);
  CHECK(format_date(parse_date("2000-02-29")) == "2000-02-29");
  std::string why;
  CHECK_FALSE(try_parse_date("2017-02-29", &why));
  CHECK(why == "no such day in that month");
  CHECK_FALSE(try_parse_date("1900-02-29"));
  CHECK_FALSE(try_parse_date("2017-13-01", &why));
  CHECK(why == "month must be 01..12");
  CHECK_FALSE(try_parse_date("17-01-01"));
  CHECK_FALSE(try_parse_date("2017/01/01"));
  CHECK_FALSE(try_parse_date("2017-01-01x"));
  CHECK_FALSE(try_parse_date(""));
  try {
    parse_date("31.12.2017", "p.csv:4:6");
    FAIL("no exception");
  } catch (const parse_error& e) {
    CHECK(std::string(e.what()) == "p.csv:4:6: bad date '31.12.2017': expected a date YYYY-MM-DD");
  }
}

TEST_CASE("csv writer: any field round-trips through parse_csv; numbers read back bit for bit") {
  namespace io = salespipe::io;
  const std::vector<std::string> odd = {"lead, \"hot\"", "a\"b", "line\nbreak", "plain", "", "x,y", "\"", "cr\r\nlf"};
  std::ostringstream out;
  io::write_csv_row(out, {"id", "n"});
  for (const auto& s : odd) io::write_csv_row(out, {s, io::csv_number(1.5)});
  const auto t = io::parse_csv(out.str(), "written.csv");
  REQUIRE(t.rows.size() == odd.size());
  for (std::size_t i = 0; i < odd.size(); ++i) {
    CHECK(t.rows[i][0] == odd[i]);
    CHECK(t.rows[i][1] == "1.5");
  }
  CHECK(io::csv_field("plain") == "plain");
  CHECK(io::csv_field("a\"b") == "\"a\"\"b\"");
  // The precision policy: the shortest decimal that reads back as the same double.
  CHECK(io::csv_number(3.0) == "3");
  CHECK(io::csv_number(0.1) == "0.1");
  CHECK(io::csv_number(0.1 + 0.2) == "0.30000000000000004");
  CHECK(io::csv_number(std::nan("")).empty());
  CHECK(io::csv_number(-HUGE_VAL) == "-inf");
  CHECK(io::csv_number(std::size_t{42}) == "42");
  salespipe::random_engine rng(9, 1);
  for (int i = 0; i < 10000; ++i) {
    const double x = (rng.uniform() - 0.5) * std::pow(10.0, static_cast<double>(i % 40) - 20);
    CHECK(std::strtod(io::csv_number(x).c_str(), nullptr) == x);
  }
}
