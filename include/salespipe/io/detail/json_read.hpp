// salespipe/io/detail/json_read.hpp — the MODEL_FORMAT v1 reader behind io/json.hpp
// (JSON DOM -> basic_model<distribution>).
//
// The reader checks types and keys and names the JSON path of every error; the meaning
// (probabilities in range, known node ids, reachability) is checked by basic_pipeline,
// whose invalid_model carries the same JSON paths.
#ifndef SALESPIPE_IO_DETAIL_JSON_READ_HPP
#define SALESPIPE_IO_DETAIL_JSON_READ_HPP

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include <salespipe/detail/format.hpp>
#include <salespipe/distribution.hpp>
#include <salespipe/error.hpp>
#include <salespipe/io/detail/json_parse.hpp>
#include <salespipe/model.hpp>

namespace salespipe::io::detail {

/// What a JSON value is, for "got ..." in messages: `an array`, `"abc"`, `1.5`, `null`.
inline std::string describe(const nlohmann::json& j) {
  if (j.is_object()) return "an object";
  if (j.is_array()) return "an array";
  return printable(j.dump(-1, ' ', true, nlohmann::json::error_handler_t::replace), 60);
}

// ---------------------------------------------------------------------------- reading

class model_reader {
 public:
  using json = nlohmann::json;

  model_reader(std::string source, bool allow_unknown_keys)
      : source_(std::move(source)), allow_unknown_(allow_unknown_keys) {}

  model read(const json& root) {
    if (!root.is_object()) fail("", "expected a JSON object (a salespipe model), got " + describe(root));
    const json* v = find(root, "salespipe");
    if (!v)
      fail("/salespipe", "expected the format version (\"salespipe\": 1), got nothing; "
                         "is this a salespipe model file?");
    if (!is_integral(*v)) fail("/salespipe", "expected the format version 1 (an integer), got " + describe(*v));
    if (!(v->get<double>() == 1))
      fail("/salespipe", "this file is format version " + describe(*v) + "; this program reads version 1");
    check_keys(root, "",
               {"salespipe", "name", "time_unit", "stages", "outcomes", "sources", "open_pipeline", "target"});
    model m;
    if (const json* n = find(root, "name")) m.name = string(*n, "/name", "a string");
    if (const json* u = find(root, "time_unit")) m.unit = unit(*u);
    for_each(require(root, "", "stages", "an array of stages"), "/stages",
             [&](auto& j, auto& p) { m.stages.push_back(stage_of(j, p)); });
    if (const json* o = find(root, "outcomes"))
      for_each(*o, "/outcomes", [&](auto& j, auto& p) { m.outcomes.push_back(outcome_of(j, p)); });
    if (const json* s = find(root, "sources"))
      for_each(*s, "/sources", [&](auto& j, auto& p) { m.sources.push_back(source_of(j, p)); });
    if (const json* o = find(root, "open_pipeline"))
      for_each(*o, "/open_pipeline", [&](auto& j, auto& p) { m.open_pipeline.push_back(open(j, p)); });
    if (const json* t = find(root, "target")) {
      object(*t, "/target", "an object {\"node\": ..., \"per_period\": ...}");
      check_keys(*t, "/target", {"node", "per_period"});
      m.target = salespipe::target{string(require(*t, "/target", "node", "a node id"), "/target/node", "a node id"),
                                   number(require(*t, "/target", "per_period", "a number > 0"), "/target/per_period",
                                          "a number > 0 (entries per time unit)")};
    }
    return m;
  }

 private:
  [[noreturn]] void fail(const std::string& path, const std::string& what) const {
    throw salespipe::parse_error(source_ + ": " + (path.empty() ? "top level" : path), what);
  }
  static bool is_integral(const json& j) {
    if (j.is_number_integer()) return true;  // includes unsigned
    return j.is_number_float() && std::floor(j.get<double>()) == j.get<double>();
  }
  static const json* find(const json& obj, const char* key) {
    auto it = obj.find(key);
    return it == obj.end() ? nullptr : &*it;
  }
  void object(const json& j, const std::string& path, const std::string& expected) const {
    if (!j.is_object()) fail(path, "expected " + expected + ", got " + describe(j));
  }
  const json& require(const json& obj, const std::string& path, const char* key, const std::string& expected) const {
    const json* v = find(obj, key);
    if (!v) fail(path + "/" + key, "expected " + expected + ", got nothing (missing key)");
    return *v;
  }
  void check_keys(const json& obj, const std::string& path, std::initializer_list<const char*> known) const {
    if (allow_unknown_) return;
    for (auto it = obj.begin(); it != obj.end(); ++it) {
      const std::string& k = it.key();
      bool ok = k.rfind("x-", 0) == 0;
      for (const char* q : known) ok = ok || k == q;
      if (ok) continue;
      std::vector<std::string> names(known.begin(), known.end());
      std::string list;
      for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
      fail(path + "/" + pointer_token(k), "unknown key \"" + printable(k, 60) + "\"" +
                                              salespipe::detail::did_you_mean(k, names) + "; expected one of: " + list +
                                              " (keys starting with \"x-\" are ignored)");
    }
  }
  double number(const json& j, const std::string& path, const std::string& expected) const {
    if (!j.is_number()) fail(path, "expected " + expected + ", got " + describe(j));
    return j.get<double>();
  }
  std::string string(const json& j, const std::string& path, const std::string& expected) const {
    if (!j.is_string()) fail(path, "expected " + expected + ", got " + describe(j));
    return j.get<std::string>();
  }
  template <class F>
  void for_each(const json& arr, const std::string& path, F&& f) const {
    if (!arr.is_array()) fail(path, "expected an array, got " + describe(arr));
    for (std::size_t i = 0; i < arr.size(); ++i) {
      const std::string p = path + "/" + std::to_string(i);
      f(arr[i], p);
    }
  }
  std::vector<double> numbers(const json& arr, const std::string& path, const std::string& expected) const {
    std::vector<double> out;
    for_each(arr, path, [&](auto& j, auto& p) { out.push_back(number(j, p, expected)); });
    return out;
  }

  time_unit unit(const json& j) const {
    const std::string s = string(j, "/time_unit", "a time unit (\"month\", ...)");
    if (auto u = parse_time_unit(s)) return *u;
    const std::vector<std::string> names{"day", "week", "month", "quarter", "year"};
    fail("/time_unit", "expected one of \"day\", \"week\", \"month\", \"quarter\", \"year\", got \"" +
                           printable(s, 40) + "\"" + salespipe::detail::did_you_mean(s, names));
  }

  distribution dist(const json& j, const std::string& path) const {
    object(j, path, "a distribution object such as {\"dist\": \"exponential\", \"mean\": 1}");
    const std::string kind =
        string(require(j, path, "dist", "a distribution name"), path + "/dist", "a distribution name");
    auto num = [&](const char* key, const char* what) {
      return number(require(j, path, key, what), path + "/" + key, what);
    };
    try {
      if (kind == "exponential") {
        check_keys(j, path, {"dist", "mean"});
        return exponential_dist(num("mean", "a number > 0 (the mean)"));
      }
      if (kind == "gamma") {
        check_keys(j, path, {"dist", "shape", "mean", "scale"});
        const bool has_mean = find(j, "mean") != nullptr, has_scale = find(j, "scale") != nullptr;
        if (has_mean && has_scale) fail(path, "expected one of \"mean\" or \"scale\" for gamma, got both");
        if (!has_mean && !has_scale)
          fail(path, "expected \"mean\" or \"scale\" for gamma (with \"shape\"), got neither");
        const double shape = num("shape", "a number > 0 (the shape)");
        return has_mean ? gamma_dist::with_mean(shape, num("mean", "a number > 0 (the mean)"))
                        : gamma_dist(shape, num("scale", "a number > 0 (the scale)"));
      }
      if (kind == "lognormal") {
        check_keys(j, path, {"dist", "mean", "sd", "mu", "sigma"});
        const bool moments = find(j, "mean") || find(j, "sd");
        const bool logs = find(j, "mu") || find(j, "sigma");
        if (moments && logs)
          fail(path, "expected \"mean\" and \"sd\", or \"mu\" and \"sigma\" for lognormal, got a mix");
        if (logs)
          return lognormal_dist(num("mu", "a number (mean of the log)"), num("sigma", "a number > 0 (sd of the log)"));
        return lognormal_dist::with_mean_sd(num("mean", "a number > 0 (the mean)"),
                                            num("sd", "a number > 0 (the standard deviation)"));
      }
      if (kind == "weibull") {
        check_keys(j, path, {"dist", "shape", "scale"});
        return weibull_dist(num("shape", "a number > 0 (the shape)"), num("scale", "a number > 0 (the scale)"));
      }
      if (kind == "fixed") {
        check_keys(j, path, {"dist", "value"});
        return fixed_dist(num("value", "a number >= 0"));
      }
      if (kind == "uniform") {
        check_keys(j, path, {"dist", "min", "max"});
        return uniform_dist(num("min", "a number >= 0"), num("max", "a number > min"));
      }
      if (kind == "empirical") {
        check_keys(j, path, {"dist", "samples"});
        return empirical_dist(
            numbers(require(j, path, "samples", "an array of numbers >= 0"), path + "/samples", "a number >= 0"));
      }
    } catch (const invalid_model& e) {  // a distribution's own parameter check
      fail(path, e.what());
    }
    const std::vector<std::string> kinds{"exponential", "gamma",   "lognormal", "weibull",
                                         "fixed",       "uniform", "empirical"};
    fail(path + "/dist", "expected one of exponential, gamma, lognormal, weibull, fixed, "
                         "uniform, empirical, got \"" +
                             printable(kind, 40) + "\"" + salespipe::detail::did_you_mean(kind, kinds));
  }

  route route_of(const json& j, const std::string& path) const {
    object(j, path, "a route object {\"to\": ..., \"p\": ...}");
    check_keys(j, path, {"to", "p", "duration", "on_take"});
    route r;
    r.to = string(require(j, path, "to", "a node id"), path + "/to", "a node id");
    r.p = number(require(j, path, "p", "a number in [0, 1]"), path + "/p", "a number in [0, 1]");
    if (const json* d = find(j, "duration")) r.duration = dist(*d, path + "/duration");
    if (const json* v = find(j, "on_take")) r.on_take = dist(*v, path + "/on_take");
    return r;
  }

  salespipe::stage stage_of(const json& j, const std::string& path) const {
    object(j, path, "a stage object {\"id\": ..., \"duration\": ..., \"routes\": [...]}");
    check_keys(j, path, {"id", "duration", "routes", "reward_rate", "on_enter"});
    salespipe::stage s(string(require(j, path, "id", "a string id"), path + "/id", "a string id"),
                       dist(require(j, path, "duration", "a distribution"), path + "/duration"));
    if (const json* r = find(j, "reward_rate"))
      s.reward_rate = number(*r, path + "/reward_rate", "a number >= 0 (value per time unit)");
    if (const json* e = find(j, "on_enter")) s.on_enter = dist(*e, path + "/on_enter");
    if (const json* rs = find(j, "routes"))
      for_each(*rs, path + "/routes", [&](auto& rj, auto& rp) { s.routes.push_back(route_of(rj, rp)); });
    return s;
  }

  outcome outcome_of(const json& j, const std::string& path) const {
    object(j, path, "an outcome object {\"id\": ...}");
    check_keys(j, path, {"id", "on_enter"});
    outcome o{string(require(j, path, "id", "a string id"), path + "/id", "a string id"), std::nullopt};
    if (const json* e = find(j, "on_enter")) o.on_enter = dist(*e, path + "/on_enter");
    return o;
  }

  source source_of(const json& j, const std::string& path) const {
    object(j, path, "a source object {\"stage\": ..., \"rate\": ...}");
    check_keys(j, path, {"stage", "rate", "schedule"});
    source s;
    s.stage = string(require(j, path, "stage", "a stage id"), path + "/stage", "a stage id");
    s.rate =
        number(require(j, path, "rate", "a number >= 0"), path + "/rate", "a number >= 0 (arrivals per time unit)");
    if (const json* sch = find(j, "schedule"))
      for_each(*sch, path + "/schedule", [&](auto& cj, auto& cp) {
        object(cj, cp, "an object {\"from\": ..., \"rate\": ...}");
        check_keys(cj, cp, {"from", "rate"});
        s.schedule.push_back({number(require(cj, cp, "from", "a time >= 0"), cp + "/from", "a time >= 0"),
                              number(require(cj, cp, "rate", "a number >= 0"), cp + "/rate", "a number >= 0")});
      });
    return s;
  }

  std::size_t count(const json& j, const std::string& path) const {
    const std::string expected = "a non-negative integer (a number of deals)";
    if (j.is_number_unsigned()) {
      const auto n = j.get<std::uint64_t>();
      if (n > (std::uint64_t{1} << 53)) fail(path, "expected " + expected + ", got " + describe(j) + " (too large)");
      return static_cast<std::size_t>(n);
    }
    if (!is_integral(j)) fail(path, "expected " + expected + ", got " + describe(j));
    const double x = j.get<double>();  // signed: checked before any conversion to size_t
    if (x < 0) fail(path, "expected " + expected + ", got " + describe(j));
    if (x > 9007199254740992.0) fail(path, "expected " + expected + ", got " + describe(j) + " (too large)");
    return static_cast<std::size_t>(x);
  }

  open_deals open(const json& j, const std::string& path) const {
    object(j, path, "an object {\"stage\": ..., \"count\": ..., \"age\": ...}");
    check_keys(j, path, {"stage", "count", "age", "ages"});
    open_deals o;
    o.stage = string(require(j, path, "stage", "a stage id"), path + "/stage", "a stage id");
    if (const json* a = find(j, "ages")) {
      if (find(j, "count") || find(j, "age"))
        fail(path, "expected either \"count\" and \"age\", or \"ages\", got both forms");
      o.ages = numbers(*a, path + "/ages", "an age >= 0 (time units)");
      return o;
    }
    o.count = count(require(j, path, "count", "a non-negative integer"), path + "/count");
    if (const json* a = find(j, "age")) o.age = number(*a, path + "/age", "an age >= 0 (time units)");
    return o;
  }

  std::string source_;
  bool allow_unknown_;
};

}  // namespace salespipe::io::detail

#endif  // SALESPIPE_IO_DETAIL_JSON_READ_HPP
