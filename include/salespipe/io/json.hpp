// salespipe/io/json.hpp — model files: read and write MODEL_FORMAT v1 (JSON).
//
// Opt-in: needs nlohmann_json (CMake target salespipe::io); the core never includes it.
//
//   salespipe::pipeline p = salespipe::io::load_pipeline_file("model.json");
//   std::cout << salespipe::io::write_model(p.model());
//
// Reading never returns a half-valid model. Every error is a salespipe::parse_error whose
// message is "<file>: <JSON path>: <what>", e.g.
//   model.json: /stages/2/routes/0/p: expected a number in [0, 1], got "0.5"
// (syntax errors give "<file>: line L, column C (at <path>): <what>"). Decisions beyond
// MODEL_FORMAT.md (documented in the README, "Model file format"):
// - unknown keys are errors (a misspelt "reward_rte" must not silently become 0), with a
//   did-you-mean; keys starting with "x-" are ignored anywhere (extensions, annotations)
//   and not written back; read_options::allow_unknown_keys ignores all unknown keys;
// - duplicate keys in an object are errors (JSON does not define which one wins);
// - limits: 64 MiB per file, nesting depth 64, 1,048,576 JSON values (read_options),
//   strings up to 1 MiB and numbers up to 1024 characters, so memory stays bounded (about
//   twice the file size) whatever the input.
#ifndef SALESPIPE_IO_JSON_HPP
#define SALESPIPE_IO_JSON_HPP

#include <cerrno>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <istream>
#include <ostream>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include <salespipe/detail/format.hpp>
#include <salespipe/distribution.hpp>
#include <salespipe/error.hpp>
#include <salespipe/io/detail/json_parse.hpp>
#include <salespipe/io/detail/json_read.hpp>
#include <salespipe/io/detail/json_write.hpp>
#include <salespipe/model.hpp>
#include <salespipe/pipeline.hpp>

namespace salespipe::io {

/// The MODEL_FORMAT version this library reads and writes ("salespipe": 1).
inline constexpr int model_format_version = 1;

/// Limits and leniency of the readers. The defaults are what the command line uses.
struct read_options {
  std::size_t max_bytes = std::size_t{64} << 20;  ///< largest file accepted: 64 MiB
  std::size_t max_depth = 64;                     ///< deepest nesting of arrays/objects
  std::size_t max_values = std::size_t{1} << 20;  ///< most JSON values (incl. keys) in a file
  bool allow_unknown_keys = false;                ///< ignore (not reject) unknown keys
};

/// The model described by the JSON value `j` (not validated: see make_pipeline).
/// `source_name` starts every error message. Throws parse_error.
inline model model_from_json(const nlohmann::json& j, const std::string& source_name, const read_options& opt = {}) {
  return detail::model_reader(source_name, opt.allow_unknown_keys).read(j);
}

/// The JSON form of `m` in MODEL_FORMAT key order. Implicit routes and outcomes (added by
/// basic_pipeline) are left out; distributions keep the form they were given in. Throws
/// invalid_model (with the JSON path) for a non-finite number, which JSON cannot hold.
inline nlohmann::ordered_json model_to_json(const model& m) { return detail::model_json<nlohmann::ordered_json>(m); }

/// Reads one model from `text`. Throws parse_error naming `source_name` and the place.
inline model read_model_string(const std::string& text, const std::string& source_name, const read_options& opt = {}) {
  if (text.size() > opt.max_bytes)
    throw parse_error(source_name, "larger than " + std::to_string(opt.max_bytes) + " bytes, the limit on model files");
  const nlohmann::json j = detail::parse_bounded(text, source_name, opt.max_depth, opt.max_values);
  return model_from_json(j, source_name, opt);
}

/// Reads one model from `in` (at most opt.max_bytes are read: memory stays bounded).
/// Throws parse_error naming `source_name`.
inline model read_model(std::istream& in, const std::string& source_name, const read_options& opt = {}) {
  return read_model_string(detail::read_text(in, source_name, opt.max_bytes, 0), source_name, opt);
}

namespace detail {

/// All of the file at `path` (at most opt.max_bytes). Throws parse_error "<path>: cannot
/// open ..." for a missing, unreadable or directory path, and for a file above the limit.
inline std::string read_file_text(const std::string& path, const read_options& opt) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const auto st = fs::status(path, ec);
  if (st.type() == fs::file_type::not_found) throw parse_error(path, "cannot open: no such file");
  if (st.type() == fs::file_type::directory) throw parse_error(path, "cannot read: is a directory, not a model file");
  std::uintmax_t size = 0;
  if (st.type() == fs::file_type::regular) {
    size = fs::file_size(path, ec);
    if (ec) size = 0;
    if (size > opt.max_bytes)
      throw parse_error(path, "file of " + std::to_string(size) + " bytes is larger than " +
                                  std::to_string(opt.max_bytes) + " bytes, the limit on model files");
  }
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int err = errno;
    throw parse_error(path, std::string("cannot open: ") + (err ? std::strerror(err) : "unknown error"));
  }
  return read_text(in, path, opt.max_bytes, static_cast<std::size_t>(size));
}

}  // namespace detail

/// Reads the model file at `path`. Throws parse_error "<path>: cannot open ..." for a
/// missing or unreadable file, and as read_model otherwise.
inline model read_model_file(const std::string& path, const read_options& opt = {}) {
  return read_model_string(detail::read_file_text(path, opt), path, opt);
}

/// Validates `m` as a pipeline; errors become parse_error "<source>: <JSON path>: <what>"
/// (invalid_model with its path; singular_model at /stages).
inline pipeline make_pipeline(model m, const std::string& source_name) {
  try {
    return pipeline(std::move(m));
  } catch (const invalid_model& e) {
    throw parse_error(e.path().empty() ? source_name : source_name + ": " + e.path(), e.what());
  } catch (const singular_model& e) {
    throw parse_error(source_name + ": /stages", e.what());
  }
}

/// Reads and validates a model from `in`. Throws parse_error.
inline pipeline load_pipeline(std::istream& in, const std::string& source_name, const read_options& opt = {}) {
  return make_pipeline(read_model(in, source_name, opt), source_name);
}

/// Reads and validates the model file at `path`. Throws parse_error.
inline pipeline load_pipeline_file(const std::string& path, const read_options& opt = {}) {
  return make_pipeline(read_model_file(path, opt), path);
}

/// Writes `m` as a MODEL_FORMAT v1 file: stable key order (as in MODEL_FORMAT.md), 2-space
/// indent, small objects on one line, final newline.
/// write → read → write gives the same bytes. Throws invalid_model (see model_to_json).
inline void write_model(std::ostream& out, const model& m) {
  try {
    out << detail::layout(model_to_json(m));
  } catch (const nlohmann::json::type_error& e) {  // invalid UTF-8 in a name or id
    throw invalid_model(std::string("cannot write the model: ") + detail::printable(e.what(), 160));
  }
}

/// The model file text of `m` (see write_model(std::ostream&, const model&)).
inline std::string write_model(const model& m) {
  try {
    return detail::layout(model_to_json(m));
  } catch (const nlohmann::json::type_error& e) {
    throw invalid_model(std::string("cannot write the model: ") + detail::printable(e.what(), 160));
  }
}

}  // namespace salespipe::io

namespace salespipe {

/// nlohmann::json conversions (found by ADL): `nlohmann::json j = dist;`, `j = model;`.
/// Reading goes through io::model_from_json, which names the file in its errors.
inline void to_json(nlohmann::json& j, const distribution& d) { j = io::detail::dist_json<nlohmann::json>(d, ""); }
inline void to_json(nlohmann::ordered_json& j, const distribution& d) {
  j = io::detail::dist_json<nlohmann::ordered_json>(d, "");
}
inline void to_json(nlohmann::json& j, const model& m) { j = io::detail::model_json<nlohmann::json>(m); }
inline void to_json(nlohmann::ordered_json& j, const model& m) {
  j = io::detail::model_json<nlohmann::ordered_json>(m);
}

}  // namespace salespipe

#endif  // SALESPIPE_IO_JSON_HPP
