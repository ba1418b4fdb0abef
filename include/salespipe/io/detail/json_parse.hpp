// salespipe/io/detail/json_parse.hpp — bounded JSON parsing for model files.
//
// Why not plain nlohmann::json::parse: a model file is untrusted input. nlohmann's parser is
// iterative (no stack overflow), but it builds a DOM for whatever it is given, so a 50 MB
// `[[[[...` or a huge array would allocate gigabytes before we could look at it, duplicate
// keys are silently merged (last wins), and an out-of-range number ("1e400") is reported
// without any position. The parser callback below caps nesting depth and the number of
// values, rejects duplicate keys, and tracks the JSON pointer of the current value so every
// error names the place. The input size is capped by the caller (read_options::max_bytes).
#ifndef SALESPIPE_IO_DETAIL_JSON_PARSE_HPP
#define SALESPIPE_IO_DETAIL_JSON_PARSE_HPP

#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <istream>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include <nlohmann/json.hpp>

#include <salespipe/error.hpp>

namespace salespipe::io::detail {

/// `s` made printable on one line: control and non-ASCII bytes as \xNN, cut to `max` chars.
inline std::string printable(const std::string& s, std::size_t max = 80) {
  std::string out;
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (out.size() >= max) {
      out += "...";
      break;
    }
    if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", static_cast<unsigned>(c));
      out += buf;
    }
  }
  return out;
}

/// A JSON pointer token: '~' → "~0", '/' → "~1" (RFC 6901), made printable.
inline std::string pointer_token(const std::string& key) {
  std::string out;
  for (char c : key) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return printable(out, 60);
}

/// Tracks where the parser is (as a JSON pointer) and enforces the limits.
class json_tracker {
 public:
  json_tracker(const std::string& source, std::size_t max_depth, std::size_t max_values)
      : source_(source), max_depth_(max_depth), max_values_(max_values) {}

  /// JSON pointer of the value being parsed ("" at the top level).
  std::string path() const {
    std::string p;
    for (const auto& f : frames_) {
      if (!f.object)
        p += "/" + std::to_string(f.index);
      else if (f.has_key)
        p += "/" + pointer_token(f.key);
    }
    return p;
  }

  /// The nlohmann parser callback. Throws parse_error when a limit is exceeded.
  bool operator()(int /*depth*/, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
    using ev = nlohmann::json::parse_event_t;
    switch (event) {
      case ev::object_start:
      case ev::array_start:
        count();
        if (frames_.size() >= max_depth_)
          fail(where(),
               "JSON nested deeper than " + std::to_string(max_depth_) + " levels (a model file needs fewer than 10)");
        frames_.push_back(frame{event == ev::object_start, false, {}, 0, {}});
        break;
      case ev::key: {
        count();
        frame& f = frames_.back();
        f.key = parsed.get_ref<const std::string&>();
        f.has_key = true;
        if (!f.keys.insert(f.key).second)
          fail(where(), "duplicate key \"" + printable(f.key, 60) + "\" (JSON objects must not repeat a key)");
        break;
      }
      case ev::value:
        count();
        element_done();
        break;
      case ev::object_end:
      case ev::array_end:
        frames_.pop_back();
        element_done();
        break;
    }
    return true;
  }

 private:
  struct frame {
    bool object;
    bool has_key;
    std::string key;
    std::size_t index;
    std::unordered_set<std::string> keys;
  };

  std::string where() const {
    std::string p = path();
    if (p.size() > 80) p = p.substr(0, 40) + "..." + p.substr(p.size() - 30);
    return source_ + ": " + (p.empty() ? std::string("top level") : p);
  }
  [[noreturn]] static void fail(const std::string& where, const std::string& what) {
    throw salespipe::parse_error(where, what);
  }
  void count() {
    if (++values_ > max_values_)
      fail(where(), "more than " + std::to_string(max_values_) + " JSON values (the limit on model files)");
  }
  void element_done() {
    if (frames_.empty()) return;
    frame& f = frames_.back();
    if (f.object)
      f.has_key = false;
    else
      ++f.index;
  }

  const std::string& source_;
  std::size_t max_depth_;
  std::size_t max_values_;
  std::size_t values_ = 0;
  std::vector<frame> frames_;
};

/// All of `in`, at most `max_bytes` of it (parse_error beyond); `size_hint` (0: unknown)
/// reserves the buffer once.
inline std::string read_text(std::istream& in, const std::string& source, std::size_t max_bytes,
                             std::size_t size_hint) {
  std::string text;
  if (size_hint > 0 && size_hint <= max_bytes) text.reserve(size_hint);
  char buf[1 << 16];
  while (in) {
    in.read(buf, sizeof buf);
    const auto n = static_cast<std::size_t>(in.gcount());
    if (text.size() + n > max_bytes)
      throw salespipe::parse_error(source,
                                   "larger than " + std::to_string(max_bytes) + " bytes, the limit on model files");
    text.append(buf, n);
  }
  if (in.bad()) throw salespipe::parse_error(source, "read error");
  return text;
}

/// Longest JSON string (bytes between the quotes) and longest other token (number,
/// literal) in a model file. nlohmann's lexer buffers a whole token twice and copies it
/// into its error message, so an unterminated 50 MB string would cost several times the
/// file; this linear pre-scan refuses such tokens first. Ids, names and numbers are short.
inline constexpr std::size_t max_string_bytes = std::size_t{1} << 20;
inline constexpr std::size_t max_literal_bytes = 1024;

/// "line L, column C" of byte offset `at` in `text` (1-based).
inline std::string line_column(const std::string& text, std::size_t at) {
  std::size_t line = 1, col = 1;
  for (std::size_t i = 0; i < at && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(col);
}

/// Throws parse_error when `text` holds a token longer than the limits above.
inline void check_token_lengths(const std::string& text, const std::string& source) {
  bool in_string = false;
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
        start = i + 1;
        continue;
      }
      if (i - start > max_string_bytes)
        throw salespipe::parse_error(source + ": " + line_column(text, start),
                                     "a string longer than " + std::to_string(max_string_bytes) +
                                         " bytes (unterminated?), the limit on model files");
    } else if (c == '"') {
      in_string = true;
      start = i;
    } else if (c == '{' || c == '}' || c == '[' || c == ']' || c == ',' || c == ':' || c == ' ' || c == '\t' ||
               c == '\r' || c == '\n') {
      start = i + 1;
    } else if (i + 1 - start > max_literal_bytes) {
      throw salespipe::parse_error(source + ": " + line_column(text, start),
                                   "a number or literal longer than " + std::to_string(max_literal_bytes) + " bytes");
    }
  }
}

/// Parses `text` (one JSON value, nothing but whitespace after it) within the limits.
/// Throws salespipe::parse_error "<source>: line L, column C (at <path>): <what>" for
/// syntax errors, "<source>: <path>: <what>" for limits, duplicates and overflow.
inline nlohmann::json parse_bounded(const std::string& text, const std::string& source, std::size_t max_depth,
                                    std::size_t max_values) {
  check_token_lengths(text, source);
  json_tracker tracker(source, max_depth, max_values);
  try {
    return nlohmann::json::parse(
        text,
        [&tracker](int depth, nlohmann::json::parse_event_t e, nlohmann::json& j) { return tracker(depth, e, j); },
        /*allow_exceptions=*/true, /*ignore_comments=*/false);
  } catch (const nlohmann::json::parse_error& e) {
    // nlohmann's message: "[json.exception.parse_error.101] parse error at line 1, column 2:
    // <what>"; keep at most 200 bytes of <what> (it quotes the last token read).
    const std::string_view full = e.what();
    const auto c = full.find("column ");
    auto colon = c == std::string_view::npos ? c : full.find(": ", c);
    if (colon == std::string_view::npos) colon = full.find("] ");
    const std::string_view tail = colon == std::string_view::npos ? full : full.substr(colon + 2);
    std::string what(tail.substr(0, 200));
    if (text.find_first_not_of(" \t\r\n") == std::string::npos) what = "the file is empty";
    // nlohmann's `byte` is 1-based: the last byte read.
    const std::size_t at = e.byte == 0 ? 0 : static_cast<std::size_t>(e.byte - 1);
    const std::string p = tracker.path();
    throw salespipe::parse_error(source + ": " + line_column(text, at) + (p.empty() ? "" : " (at " + p + ")"),
                                 printable(what, 160));
  } catch (const nlohmann::json::out_of_range& e) {
    // 406: a number that does not fit a double ("1e400"); nlohmann gives no position.
    const std::string p = tracker.path();
    std::string what = e.what();
    if (e.id == 406) {
      const auto q = what.find('\'');
      const auto q2 = q == std::string::npos ? q : what.find('\'', q + 1);
      const std::string lit = q2 == std::string::npos ? "" : what.substr(q + 1, q2 - q - 1);
      what = "expected a finite number, got " + printable(lit, 40) + " (out of range)";
    }
    throw salespipe::parse_error(source + ": " + (p.empty() ? std::string("top level") : p), printable(what, 160));
  } catch (const nlohmann::json::exception& e) {
    throw salespipe::parse_error(source, printable(e.what(), 160));
  }
}

}  // namespace salespipe::io::detail

#endif  // SALESPIPE_IO_DETAIL_JSON_PARSE_HPP
