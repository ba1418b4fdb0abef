// salespipe/error.hpp — the exception hierarchy.
//
// Every error the library throws derives from salespipe::error. Messages name the
// node and the field (models), the file and position (inputs) or the option.
#ifndef SALESPIPE_ERROR_HPP
#define SALESPIPE_ERROR_HPP

#include <stdexcept>
#include <string>
#include <utility>

namespace salespipe {

/// Base of every exception thrown by salespipe.
class error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A model (or a distribution in it) is invalid: bad probability, unknown node,
/// impossible parameter. The message names the node and the field.
class invalid_model : public error {
 public:
  explicit invalid_model(const std::string& what) : error(what) {}
  /// `path` locates the field in the model file's JSON form, e.g. "/stages/1/routes/0/p".
  invalid_model(std::string path, const std::string& what) : error(what), path_(std::move(path)) {}
  /// JSON pointer of the offending field ("" when not known).
  const std::string& path() const noexcept { return path_; }

 private:
  std::string path_;
};

/// The model's equations have no (stable) solution: a loop with no way out, or a
/// chain so close to singular that no trustworthy number can be returned.
class singular_model : public error {
 public:
  using error::error;
};

/// An input file or text could not be read. `where()` is the file name plus the JSON
/// path or CSV line/column, as also given in the message.
class parse_error : public error {
 public:
  parse_error(const std::string& where, const std::string& what)
      : error(where.empty() ? what : where + ": " + what), where_(where) {}
  const std::string& where() const noexcept { return where_; }

 private:
  std::string where_;
};

/// An option of an engine or a command is invalid (reps = 0, a window outside the
/// horizon, ...). The message names the option.
class invalid_option : public error {
 public:
  using error::error;
};

}  // namespace salespipe

#endif  // SALESPIPE_ERROR_HPP
