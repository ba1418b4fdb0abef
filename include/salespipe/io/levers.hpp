// salespipe/io/levers.hpp — LEVERS.json: the levers a budget can be spent on, with what is
// spent on each now and its cost curve (keylinks/reallocate.hpp), read through the same
// bounded parser as model files (io/detail/json_parse.hpp: size, depth, duplicate keys).
//
//   {"levers": [
//     {"lever": "conversion:lead->qualified", "curve": {"type": "saturating", "a": 6, "cap": 0.5}},
//     {"lever": "duration:prospect", "current": 3,
//      "curve": {"type": "piecewise", "points": [[4, 0.3], [12, 0.5]]}}]}
//
// "current" (spend now, default 0) is optional; lever names are checked against a model by
// allocate_budget(), the curves by cost_curve::check().
#ifndef SALESPIPE_IO_LEVERS_HPP
#define SALESPIPE_IO_LEVERS_HPP

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include <salespipe/error.hpp>
#include <salespipe/io/json.hpp>
#include <salespipe/keylinks/reallocate.hpp>

namespace salespipe::io {

/// The levers of the JSON value `j`. Throws parse_error "<source>: /levers/<i>/<field>: what
/// was expected".
inline std::vector<keylinks::budget_lever> budget_levers_from_json(const nlohmann::json& j, const std::string& source) {
  namespace kl = keylinks;
  if (!j.is_object() || !j.contains("levers") || !j["levers"].is_array())
    throw parse_error(source + ": /levers", "expected an array of levers");
  std::vector<kl::budget_lever> out;
  for (std::size_t i = 0; i < j["levers"].size(); ++i) {
    const nlohmann::json& l = j["levers"][i];
    const std::string at = source + ": /levers/" + std::to_string(i);
    if (!l.is_object() || !l.contains("lever") || !l["lever"].is_string())
      throw parse_error(at + "/lever", "expected a lever name such as \"duration:prospect\"");
    if (!l.contains("curve") || !l["curve"].is_object())
      throw parse_error(at + "/curve", "expected a cost curve object");
    kl::budget_lever b;
    b.lever = l["lever"].get<std::string>();
    if (l.contains("current")) {
      if (!l["current"].is_number()) throw parse_error(at + "/current", "expected a number");
      b.current = l["current"].get<double>();
    }
    const nlohmann::json& c = l["curve"];
    const std::string type = c.contains("type") && c["type"].is_string() ? c["type"].get<std::string>() : "";
    auto number = [&](const char* key) {
      if (!c.contains(key) || !c[key].is_number()) throw parse_error(at + "/curve/" + key, "expected a number");
      return c[key].get<double>();
    };
    if (type == "saturating") {
      b.curve = kl::cost_curve::saturating(number("a"), number("cap"));
    } else if (type == "piecewise") {
      if (!c.contains("points") || !c["points"].is_array())
        throw parse_error(at + "/curve/points", "expected [[spend, effect], ...]");
      std::vector<std::pair<double, double>> pts;
      for (std::size_t k = 0; k < c["points"].size(); ++k) {
        const nlohmann::json& pt = c["points"][k];
        if (!pt.is_array() || pt.size() != 2 || !pt[0].is_number() || !pt[1].is_number())
          throw parse_error(at + "/curve/points/" + std::to_string(k), "expected [spend, effect]");
        pts.emplace_back(pt[0].get<double>(), pt[1].get<double>());
      }
      b.curve = kl::cost_curve::piecewise_linear(std::move(pts));
    } else {
      throw parse_error(at + "/curve/type",
                        "expected \"piecewise\" or \"saturating\", got \"" + detail::printable(type, 40) + "\"");
    }
    out.push_back(std::move(b));
  }
  return out;
}

/// The levers in `text` (LEVERS.json). Throws parse_error naming `source` and the place.
inline std::vector<keylinks::budget_lever> read_budget_levers_string(const std::string& text, const std::string& source,
                                                                     const read_options& opt = {}) {
  if (text.size() > opt.max_bytes)
    throw parse_error(source, "larger than " + std::to_string(opt.max_bytes) + " bytes, the limit on model files");
  return budget_levers_from_json(detail::parse_bounded(text, source, opt.max_depth, opt.max_values), source);
}

/// The levers of the file at `path`. Throws parse_error naming the file and the place.
inline std::vector<keylinks::budget_lever> read_budget_levers_file(const std::string& path,
                                                                   const read_options& opt = {}) {
  return read_budget_levers_string(detail::read_file_text(path, opt), path, opt);
}

}  // namespace salespipe::io

#endif  // SALESPIPE_IO_LEVERS_HPP
