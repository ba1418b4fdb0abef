// Model files (io/json.hpp): write → read → write is byte-identical, and every bad input
// gives a parse_error naming the file and the JSON path (or line and column), never a
// crash, never a half-read model — including 50 MB of garbage, with bounded memory.
#include <doctest/doctest.h>

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <salespipe/example_model.hpp>
#include <salespipe/io/json.hpp>
#include <salespipe/pipeline.hpp>

#if defined(__SANITIZE_ADDRESS__)
#define SALESPIPE_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SALESPIPE_TEST_ASAN 1
#endif
#endif
#ifndef SALESPIPE_TEST_ASAN
#define SALESPIPE_TEST_ASAN 0
#endif

using namespace salespipe;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

// A fresh directory for this test process, removed at exit.
const fs::path& temp_dir() {
  struct dir {
    fs::path path;
    dir() {
      path = fs::temp_directory_path() / ("salespipe_io_json_test_" + std::to_string(::getpid()));
      fs::create_directories(path);
    }
    ~dir() {
      std::error_code ec;
      fs::remove_all(path, ec);
    }
  };
  static const dir d;
  return d.path;
}

std::string write_file(const std::string& name, const std::string& text) {
  const fs::path p = temp_dir() / name;
  std::ofstream(p, std::ios::binary) << text;
  return p.string();
}

// The parse_error message of loading `text` as a pipeline from a file named `name`.
std::string load_error(const std::string& text, const std::string& name = "model.json") {
  const std::string path = write_file(name, text);
  try {
    io::load_pipeline_file(path);
  } catch (const parse_error& e) {
    const std::string msg = e.what();
    CHECK_MESSAGE(msg.rfind(path + ": ", 0) == 0, "message does not start with the file: " << msg);
    CHECK_MESSAGE(msg.find('\n') == std::string::npos, "message is not one line: " << msg);
    return msg;
  }
  FAIL("accepted: " << text.substr(0, 200));
  return {};
}

// A small valid model; tests mutate it.
json base_model() {
  return json::parse(R"({
    "salespipe": 1, "name": "t",
    "stages": [
      {"id": "lead", "duration": {"dist": "exponential", "mean": 1}, "routes": [{"to": "deal", "p": 0.5}]},
      {"id": "deal", "duration": {"dist": "gamma", "shape": 2, "mean": 3}, "routes": [{"to": "won", "p": 0.4}]}
    ],
    "outcomes": [{"id": "won"}],
    "sources": [{"stage": "lead", "rate": 10}],
    "open_pipeline": [{"stage": "deal", "count": 5, "age": 1}],
    "target": {"node": "won", "per_period": 2}
  })");
}

// The error of base_model() with the value at JSON pointer `ptr` replaced by `value`.
std::string error_with(const std::string& ptr, const json& value) {
  json j = base_model();
  j[json::json_pointer(ptr)] = value;
  return load_error(j.dump());
}

// "<file>: <path>: " occurs in msg and so does `what`.
void check_names(const std::string& msg, const std::string& path, const std::string& what) {
  CHECK_MESSAGE(contains(msg, "model.json: " + path + ": "), "no path " << path << " in: " << msg);
  CHECK_MESSAGE(contains(msg, what), "no '" << what << "' in: " << msg);
}

std::string roundtrip(const std::string& text) { return io::write_model(io::read_model_string(text, "roundtrip")); }

long peak_rss_mib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024;  // KiB on Linux
}

}  // namespace

TEST_CASE("the built-in example: write -> read -> write is identical") {
  const std::string a = io::write_model(example_model());
  const model m = io::read_model_string(a, "example");
  CHECK(io::write_model(m) == a);
  // The pipeline adds nothing that is written back (implicit routes/outcomes are skipped).
  const pipeline p(example_model());
  CHECK(io::write_model(p.model()) == a);
  // Through streams too.
  std::stringstream ss;
  io::write_model(ss, m);
  CHECK(ss.str() == a);
  CHECK(io::write_model(io::read_model(ss, "stream")) == a);
  // Key order of MODEL_FORMAT.md.
  std::size_t last = 0;
  for (const char* key : {"\"salespipe\": 1", "\"name\"", "\"time_unit\"", "\"stages\"", "\"outcomes\"", "\"sources\"",
                          "\"open_pipeline\"", "\"target\""}) {
    const std::size_t at = a.find(key);
    CHECK_MESSAGE(at != std::string::npos, key);
    CHECK_MESSAGE(at > last, key << " out of order");
    last = at;
  }
  CHECK(contains(a, R"("duration": {"dist": "gamma", "shape": 3, "mean": 4})"));
  CHECK(contains(a, R"("on_enter": {"dist": "lognormal", "mean": 20000, "sd": 10000})"));
  CHECK(contains(a, R"({"to": "lost", "p": 0.5, "duration": {"dist": "exponential", "mean": 0.5}})"));
  CHECK(contains(a, R"("schedule": [{"from": 12, "rate": 67.5}])"));
}

TEST_CASE("MODEL_FORMAT.md's example and the feature fixture load and round-trip") {
  std::ifstream md(std::string(SALESPIPE_SHARED_DIR) + "/MODEL_FORMAT.md");
  REQUIRE(md);
  std::stringstream buf;
  buf << md.rdbuf();
  const std::string doc = buf.str();
  const auto begin = doc.find("```json\n"), end = doc.find("```", begin + 8);
  REQUIRE(begin != std::string::npos);
  const std::string example = doc.substr(begin + 8, end - begin - 8);
  const pipeline p = io::make_pipeline(io::read_model_string(example, "MODEL_FORMAT.md"), "md");
  CHECK(p.stage_count() == 5);
  CHECK(p.open_pipeline().size() == 2);
  const std::string once = roundtrip(example);
  CHECK(roundtrip(once) == once);

  const std::string fixture =
      std::string(__FILE__).substr(0, std::string(__FILE__).rfind('/')) + "/data/full_model.json";
  const model m = io::read_model_file(fixture);
  const pipeline fp = io::load_pipeline_file(fixture);
  CHECK(fp.unit() == time_unit::week);
  CHECK(m.stages[0].routes[1].duration->kind() == "lognormal");
  CHECK(m.stages[2].routes[0].on_take->kind() == "fixed");
  CHECK(m.stages[3].duration.kind() == "empirical");
  CHECK(m.stages[4].reward_rate == 500);
  CHECK(m.outcomes[1].on_enter->kind() == "uniform");
  CHECK(m.sources[0].schedule.size() == 2);
  CHECK(m.sources[0].schedule[1].from == 12.5);
  CHECK(m.open_pipeline[1].ages == std::vector<double>{0.5, 1, 2, 3.5});
  CHECK(m.open_pipeline[1].size() == 4);
  const std::string w = io::write_model(m);
  CHECK(io::write_model(io::read_model_string(w, "again")) == w);
  CHECK(contains(w, R"({"stage": "proposal", "ages": [0.5, 1, 2, 3.5]})"));
}

TEST_CASE("every distribution kind and form round-trips exactly") {
  const std::vector<distribution> dists{
      exponential_dist(0.7),
      gamma_dist(2.5, 0.3),
      gamma_dist::with_mean(3, 4.1),
      lognormal_dist(-0.25, 0.6),
      lognormal_dist::with_mean_sd(1234.5, 99.25),
      weibull_dist(1.7, 2.2),
      fixed_dist(0),
      fixed_dist(3.25),
      uniform_dist(0.5, 1.75),
      empirical_dist({3, 1, 2.5, 1, 0}),  // order kept as given
  };
  model m;
  m.name = "kinds";
  m.unit = time_unit::quarter;
  for (std::size_t i = 0; i < dists.size(); ++i) {
    auto& s = m.add_stage("s" + std::to_string(i), dists[i]);
    s.value_on_enter(dists[(i + 1) % dists.size()]);
    s.to("end", 0.5, dists[(i + 2) % dists.size()]).on_take(dists[(i + 3) % dists.size()]);
  }
  m.add_outcome("end").value_on_enter(dists[4]);
  const std::string a = io::write_model(m);
  const model r = io::read_model_string(a, "kinds");
  CHECK(io::write_model(r) == a);
  CHECK(contains(a, R"({"dist": "gamma", "shape": 2.5, "scale": 0.3})"));
  CHECK(contains(a, R"({"dist": "gamma", "shape": 3, "mean": 4.1})"));
  CHECK(contains(a, R"({"dist": "lognormal", "mu": -0.25, "sigma": 0.6})"));
  CHECK(contains(a, R"({"dist": "lognormal", "mean": 1234.5, "sd": 99.25})"));
  CHECK(contains(a, R"({"dist": "empirical", "samples": [3, 1, 2.5, 1, 0]})"));
  CHECK(contains(a, R"("time_unit": "quarter")"));
  // Same parameters, bit for bit.
  for (std::size_t i = 0; i < dists.size(); ++i) {
    const distribution& d = r.stages[i].duration;
    CHECK(d.kind() == dists[i].kind());
    CHECK(mean(d) == mean(dists[i]));
    CHECK(variance(d) == variance(dists[i]));
    CHECK(cdf(d, 1.3) == cdf(dists[i], 1.3));
  }
  // A long sample list is wrapped over lines and still round-trips.
  std::vector<double> many;
  for (int i = 0; i < 500; ++i) many.push_back(0.001 * i * i + 0.1);
  model big;
  big.add_stage("s", empirical_dist(many));
  const std::string b = io::write_model(big);
  CHECK(io::write_model(io::read_model_string(b, "big")) == b);
  CHECK(io::read_model_string(b, "big").stages[0].duration.get_if<empirical_dist>()->given() == many);
}

TEST_CASE("gamma given by its mean keeps a short mean and its scale exactly") {
  // 1 / 49 * 49 is 0.9999999999999999 in doubles: the file still says 1.
  model m;
  m.add_stage("s", gamma_dist::with_mean(49, 1));
  CHECK(contains(io::write_model(m), R"({"dist": "gamma", "shape": 49, "mean": 1})"));
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> shape(0.05, 60), mean_(1e-3, 1e4);
  for (int i = 0; i < 300; ++i) {
    model mi;
    const auto g = gamma_dist::with_mean(shape(rng), mean_(rng));
    mi.add_stage("s", g);
    const std::string a = io::write_model(mi);
    const model r = io::read_model_string(a, "g");
    REQUIRE(io::write_model(r) == a);
    CHECK(r.stages[0].duration.get_if<gamma_dist>()->scale == g.scale);
  }
}

TEST_CASE("open deals, schedules and implicit routes are written as given") {
  model m = example_model();
  m.add_open("prospect", std::vector<double>{0.25, 1, 3.5});
  m.add_open("lead", 0, 0);
  m.sources[0].from(24, 0).from(30.5, 12);
  const std::string a = io::write_model(m);
  CHECK(io::write_model(io::read_model_string(a, "x")) == a);
  CHECK(contains(a, R"({"stage": "prospect", "ages": [0.25, 1, 3.5]})"));
  CHECK(contains(a, R"({"stage": "lead", "count": 0, "age": 0})"));
  const model r = io::read_model_string(a, "x");
  REQUIRE(r.sources[0].schedule.size() == 3);
  CHECK(r.sources[0].schedule[2].from == 30.5);
  CHECK(r.sources[0].schedule[2].rate == 12);
  CHECK(r.open_pipeline.back().size() == 0);
  // The remainder route and the implicit "lost" added by the pipeline are not written.
  model funnel_like;
  funnel_like.add_stage("a", exponential_dist(1)).to("won", 0.3);
  funnel_like.add_outcome("won");
  const pipeline p(funnel_like);
  REQUIRE(p.stage(0).routes.size() == 2);
  REQUIRE(p.outcome_count() == 2);
  const std::string w = io::write_model(p.model());
  CHECK(w == io::write_model(funnel_like));
  CHECK(!contains(w, "lost"));
  // Non-finite numbers cannot be written.
  model bad = funnel_like;
  bad.stages[0].routes[0].p = std::nan("");
  CHECK_THROWS_AS(io::write_model(bad), invalid_model);
}

TEST_CASE("JSON-level bad input names the file and the place") {
  SUBCASE("not an object") {
    check_names(load_error("[1, 2]"), "top level", "expected a JSON object (a salespipe model), got an array");
    check_names(load_error("\"model\""), "top level", "got \"model\"");
  }
  SUBCASE("missing, future or malformed format version") {
    json j = base_model();
    j.erase("salespipe");
    check_names(load_error(j.dump()), "/salespipe", "expected the format version");
    check_names(error_with("/salespipe", 2), "/salespipe",
                "this file is format version 2; this program reads version 1");
    check_names(error_with("/salespipe", "1"), "/salespipe", "expected the format version 1 (an integer), got \"1\"");
  }
  SUBCASE("wrong types") {
    check_names(error_with("/name", 5), "/name", "expected a string, got 5");
    check_names(error_with("/stages", json::object()), "/stages", "expected an array, got an object");
    check_names(error_with("/stages/0", "lead"), "/stages/0", "expected a stage object");
    check_names(error_with("/stages/0/routes/0/p", "0.5"), "/stages/0/routes/0/p",
                "expected a number in [0, 1], got \"0.5\"");
    check_names(error_with("/stages/0/duration", 3), "/stages/0/duration", "expected a distribution object");
    check_names(error_with("/stages/1/duration/shape", nullptr), "/stages/1/duration/shape", "got null");
    check_names(error_with("/sources/0/rate", true), "/sources/0/rate", "got true");
    check_names(error_with("/open_pipeline/0/count", 2.5), "/open_pipeline/0/count",
                "expected a non-negative integer (a number of deals), got 2.5");
    check_names(error_with("/open_pipeline/0/count", -3), "/open_pipeline/0/count",
                "expected a non-negative integer (a number of deals), got -3");
    check_names(error_with("/open_pipeline/0", {{"stage", "deal"}, {"ages", {1, "x"}}}), "/open_pipeline/0/ages/1",
                "expected an age >= 0 (time units), got \"x\"");
    check_names(error_with("/target", 3), "/target", "expected an object");
    check_names(error_with("/time_unit", "months"), "/time_unit", "did you mean 'month'?");
  }
  SUBCASE("missing keys") {
    json j = base_model();
    j.erase("stages");
    check_names(load_error(j.dump()), "/stages", "expected an array of stages, got nothing (missing key)");
    j = base_model();
    j["stages"][0].erase("duration");
    check_names(load_error(j.dump()), "/stages/0/duration", "got nothing (missing key)");
    j = base_model();
    j["stages"][1]["routes"][0].erase("p");
    check_names(load_error(j.dump()), "/stages/1/routes/0/p", "got nothing");
  }
  SUBCASE("unknown and duplicate keys; x- keys are ignored") {
    check_names(error_with("/stages/0/reward_rte", 5), "/stages/0/reward_rte",
                "unknown key \"reward_rte\" (did you mean 'reward_rate'?)");
    check_names(error_with("/colour", "red"), "/colour", "unknown key \"colour\"");
    json j = base_model();
    j["x-generated-by"] = "crm export";
    j["stages"][0]["x-note"] = {{"any", 1}};
    CHECK_NOTHROW(io::load_pipeline_file(write_file("x.json", j.dump())));
    io::read_options lenient;
    lenient.allow_unknown_keys = true;
    j["colour"] = "red";
    CHECK_NOTHROW(io::read_model_string(j.dump(), "lenient", lenient));
    const std::string dup =
        R"({"salespipe": 1, "stages": [{"id": "a", "id": "b", "duration": {"dist": "fixed", "value": 1}}]})";
    check_names(load_error(dup), "/stages/0/id", "duplicate key \"id\"");
  }
  SUBCASE("distributions: unknown kind, missing, extra or conflicting parameters") {
    check_names(error_with("/stages/0/duration/dist", "gama"), "/stages/0/duration/dist",
                "got \"gama\" (did you mean 'gamma'?)");
    check_names(error_with("/stages/0/duration", {{"dist", "exponential"}}), "/stages/0/duration/mean", "got nothing");
    check_names(error_with("/stages/0/duration/scale", 2), "/stages/0/duration/scale", "unknown key \"scale\"");
    check_names(error_with("/stages/1/duration/scale", 2), "/stages/1/duration",
                "expected one of \"mean\" or \"scale\" for gamma, got both");
    check_names(error_with("/stages/1/duration", {{"dist", "gamma"}, {"shape", 2}}), "/stages/1/duration",
                "got neither");
    check_names(error_with("/stages/1/duration", {{"dist", "lognormal"}, {"mean", 2}, {"sigma", 1}}),
                "/stages/1/duration", "got a mix");
    check_names(error_with("/stages/1/duration", {{"dist", "lognormal"}, {"mean", 2}}), "/stages/1/duration/sd",
                "got nothing");
    check_names(error_with("/open_pipeline/0/ages", json::array({1})), "/open_pipeline/0",
                "expected either \"count\" and \"age\", or \"ages\", got both forms");
  }
  SUBCASE("syntax errors and trailing garbage give line and column") {
    const std::string m = load_error("{\n  \"salespipe\": 1,\n  \"stages\": [\n    {\"id\": \"a\" \"x\"}\n  ]\n}\n");
    CHECK_MESSAGE(contains(m, "model.json: line 4, column 18 (at /stages/0"), m);
    const std::string t = load_error(base_model().dump() + "\n}garbage");
    CHECK_MESSAGE(contains(t, "model.json: line 2, column 1"), t);
    CHECK_MESSAGE(contains(t, "expected end of input"), t);
    CHECK(contains(load_error(""), "the file is empty"));
    CHECK(contains(load_error("  \n "), "the file is empty"));
    CHECK(contains(load_error("{\"salespipe\": 1, \"name\": \"\xff\xfe\"}"), "line 1"));
  }
  SUBCASE("numbers out of range (JSON has no NaN)") {
    const std::string text = base_model().dump();
    const std::string big = std::string(text).replace(text.find("0.4"), 3, "1e400");
    check_names(load_error(big), "/stages/1/routes/0/p", "expected a finite number, got 1e400");
    const std::string nan = std::string(text).replace(text.find("0.4"), 3, "NaN");
    CHECK(contains(load_error(nan), "line 1"));
  }
  SUBCASE("missing or unreadable file") {
    const std::string missing = (temp_dir() / "no_such.json").string();
    CHECK_THROWS_WITH_AS(io::read_model_file(missing), (missing + ": cannot open: no such file").c_str(), parse_error);
    const std::string d = (temp_dir() / "a_dir.json").string();
    fs::create_directories(d);
    CHECK_THROWS_WITH_AS(io::load_pipeline_file(d), doctest::Contains("is a directory"), parse_error);
    std::istringstream bad_stream("{}");
    bad_stream.setstate(std::ios::badbit);
    CHECK_THROWS_AS(io::read_model(bad_stream, "s"), parse_error);
  }
}

TEST_CASE("model-level bad input through a file: the pipeline's error with file and path") {
  check_names(error_with("/stages/0/routes/0/p", -0.1), "/stages/0/routes/0/p",
              "routes[0].p must be a number in [0, 1], got -0.1");
  check_names(error_with("/stages/0/routes/0/p", 1.5), "/stages/0/routes/0/p", "got 1.5");
  {
    json j = base_model();
    j["stages"][0]["routes"].push_back({{"to", "won"}, {"p", 0.8}});
    check_names(load_error(j.dump()), "/stages/0/routes", "route probabilities sum to 1.3 (> 1)");
  }
  check_names(error_with("/stages/1/id", "lead"), "/stages/1/id", "duplicate node id 'lead'");
  check_names(error_with("/outcomes/0/id", "deal"), "/outcomes/0/id", "duplicate node id 'deal'");
  check_names(error_with("/stages/0/routes/0/to", "dael"), "/stages/0/routes/0/to",
              "unknown node 'dael' (did you mean 'deal'?)");
  {
    json j = base_model();
    j["stages"][1]["routes"] = json::array({{{"to", "deal"}, {"p", 1}}});
    check_names(load_error(j.dump()), "/stages", "can never reach an outcome");
    CHECK(contains(load_error(j.dump()), "'deal'"));
  }
  check_names(error_with("/stages/1/duration/shape", 0), "/stages/1/duration",
              "gamma: shape must be finite and > 0, got 0");
  check_names(error_with("/stages/0/duration", {{"dist", "lognormal"}, {"mean", 2}, {"sd", -1}}), "/stages/0/duration",
              "lognormal: sd must be finite and > 0, got -1");
  check_names(error_with("/stages/0/duration", {{"dist", "lognormal"}, {"mu", 0}, {"sigma", 0}}), "/stages/0/duration",
              "lognormal: sigma must be finite and > 0, got 0");
  check_names(error_with("/stages/0/duration", {{"dist", "uniform"}, {"min", 3}, {"max", 1}}), "/stages/0/duration",
              "uniform: min must be < max");
  check_names(error_with("/stages/0/duration", {{"dist", "empirical"}, {"samples", json::array()}}),
              "/stages/0/duration", "empirical: samples must not be empty");
  check_names(error_with("/stages/0/duration", {{"dist", "empirical"}, {"samples", {1, -2}}}), "/stages/0/duration",
              "empirical: samples[1] must be finite and >= 0, got -2");
  check_names(error_with("/stages/0/duration/mean", 0), "/stages/0/duration",
              "exponential: mean must be finite and > 0, got 0");
  check_names(error_with("/stages/0/duration", {{"dist", "weibull"}, {"shape", -1}, {"scale", 1}}),
              "/stages/0/duration", "weibull: shape must be finite and > 0");
  check_names(error_with("/stages/0/duration", {{"dist", "fixed"}, {"value", -1}}), "/stages/0/duration",
              "fixed: value must be finite and >= 0");
  check_names(error_with("/stages/0/on_enter", {{"dist", "exponential"}, {"mean", -5}}), "/stages/0/on_enter",
              "exponential: mean must be");
  check_names(error_with("/stages/0/reward_rate", -1), "/stages/0/reward_rate",
              "reward_rate must be finite and >= 0, got -1");
  check_names(error_with("/sources/0/stage", "laed"), "/sources/0/stage", "unknown node 'laed' (did you mean 'lead'?)");
  check_names(error_with("/sources/0/stage", "won"), "/sources/0/stage", "'won' is an outcome");
  check_names(error_with("/sources/0/rate", -2), "/sources/0/rate", "rate must be 0 or in [1e-09, 1000000000]");
  check_names(error_with("/sources/0/schedule", {{{"from", 5}, {"rate", 1}}, {{"from", 5}, {"rate", 2}}}),
              "/sources/0/schedule/1/from", "must be greater than schedule[0].from (5)");
  check_names(error_with("/open_pipeline/0/age", -1), "/open_pipeline/0/age", "age must be finite and >= 0, got -1");
  {
    json j = base_model();
    j["open_pipeline"][0] = {{"stage", "deal"}, {"ages", {1, -0.5}}};
    check_names(load_error(j.dump()), "/open_pipeline/0/ages/1", "age must be finite and >= 0, got -0.5");
  }
  check_names(error_with("/open_pipeline/0/stage", "won"), "/open_pipeline/0/stage", "'won' is an outcome");
  check_names(error_with("/target/per_period", 0), "/target/per_period", "per_period must be in [1e-09, 1000000000]");
  check_names(error_with("/target/node", "wn"), "/target/node", "unknown node 'wn' (did you mean 'won'?)");
  // Nothing half-read: the same base loads fine.
  CHECK_NOTHROW(io::load_pipeline_file(write_file("ok.json", base_model().dump())));
}

TEST_CASE("50 MB of garbage: a quick one-line error with bounded memory") {
  constexpr std::size_t size = 50u << 20;
  // Files are generated in 1 MiB chunks, so the test itself holds no 50 MB string and the
  // peak memory measured below is the reader's.
  auto generate = [&](const std::string& name, const std::string& head, const std::function<void(std::string&)>& fill) {
    const fs::path p = temp_dir() / name;
    std::ofstream out(p, std::ios::binary);
    out << head;
    std::string chunk(1u << 20, ' ');
    for (std::size_t done = head.size(); done < size; done += chunk.size()) {
      fill(chunk);
      out.write(chunk.data(), static_cast<std::streamsize>(std::min(chunk.size(), size - done)));
    }
    return p.string();
  };
  auto check_fast = [&](const std::string& path, const std::string& what) {
    const std::clock_t c0 = std::clock();
    std::string msg;
    try {
      io::load_pipeline_file(path);
    } catch (const parse_error& e) {
      msg = e.what();
    }
    const double cpu = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
    CHECK_MESSAGE(contains(msg, path + ": "), msg);
    CHECK_MESSAGE(contains(msg, what), msg);
    CHECK_MESSAGE(msg.size() < 400, msg.size());
    CHECK(msg.find('\n') == std::string::npos);
    MESSAGE(fs::path(path).filename().string() << ": " << cpu << " s CPU: " << msg.substr(0, 160));
    CHECK_MESSAGE(cpu < 10, path << " took " << cpu << " s of CPU");  // linear, not worse
    fs::remove(path);
  };
  const long rss_before = peak_rss_mib();
  std::mt19937_64 rng(42);
  const std::string random = generate("random.json", "{", [&](std::string& c) {
    for (std::size_t i = 0; i < c.size(); i += 8) {
      const std::uint64_t r = rng();
      for (std::size_t k = 0; k < 8; ++k) c[i + k] = static_cast<char>(static_cast<unsigned char>(r >> (8 * k)));
    }
  });
  check_fast(random, "line 1");
  check_fast(generate("nested.json", "", [](std::string& c) { c.assign(c.size(), '['); }),
             "JSON nested deeper than 64 levels");
  check_fast(generate("many.json", "{\"salespipe\": 1, \"x-data\": [",
                      [](std::string& c) {
                        for (std::size_t i = 0; i < c.size(); i += 2) c.replace(i, 2, "0,");
                      }),
             "/x-data/1048571: more than 1048576 JSON values");
  check_fast(generate("string.json", "{\"salespipe\": 1, \"name\": \"",  // unterminated
                      [](std::string& c) { c.assign(c.size(), 'a'); }),
             "line 1, column 26: a string longer than 1048576 bytes (unterminated?)");
  check_fast(generate("number.json", "{\"salespipe\": 1", [](std::string& c) { c.assign(c.size(), '7'); }),
             "line 1, column 15: a number or literal longer than 1024 bytes");
  const long grown = peak_rss_mib() - rss_before;
  MESSAGE("peak memory growth while reading the 50 MB files: " << grown << " MiB");
#if !SALESPIPE_TEST_ASAN  // ASan keeps freed memory in quarantine (256 MB): RSS means nothing
  CHECK(grown < 200);
#endif

  // Above the 64 MiB limit: refused before reading (a sparse file).
  const std::string huge = (temp_dir() / "huge.json").string();
  std::ofstream(huge).put('{');
  fs::resize_file(huge, (std::uintmax_t{64} << 20) + 1);
  CHECK_THROWS_WITH_AS(io::read_model_file(huge), doctest::Contains("the limit on model files"), parse_error);
  fs::remove(huge);
  // Streams stop reading at the limit.
  io::read_options small;
  small.max_bytes = 1000;
  std::istringstream long_stream(std::string(5000, ' '));
  CHECK_THROWS_WITH_AS(io::read_model(long_stream, "s", small), doctest::Contains("1000 bytes"), parse_error);
  // Nesting right at the limit parses (and is then refused as not a model).
  CHECK(contains(load_error(std::string(64, '[') + std::string(64, ']')), "expected a JSON object"));
  CHECK(contains(load_error(std::string(65, '[') + std::string(65, ']')), "nested deeper than 64"));
}
