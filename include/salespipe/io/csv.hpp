// salespipe/io/csv.hpp — RFC 4180 CSV tables with a header row: the reader and the one
// writer every CSV of the library and the command line goes through (write_csv_row,
// csv_number: one precision policy).
//
// Quoted fields may hold delimiters, doubled quotes ("") and line breaks; records end
// with CRLF, LF or a lone CR; a UTF-8 byte-order mark is skipped; blank lines are
// skipped. Every record must have as many fields as the header. Errors are parse_error
// with where() = "file:line:column", column = 1-based field number, e.g.
// "pipeline.csv:17:3: unbalanced quote".
//
// Why our own: the Debian candidates do not fit — libfccp-dev (fast-cpp-csv-parser)
// fixes the column count at compile time and does not accept line breaks inside quoted
// fields; libcsv-dev is a compiled C library (a link dependency for a header-only
// library). This parser is a small state machine, fuzzed in tests/csv_test.cpp.
#ifndef SALESPIPE_IO_CSV_HPP
#define SALESPIPE_IO_CSV_HPP

#include <charconv>
#include <cmath>
#include <cstddef>
#include <fstream>
#include <initializer_list>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <salespipe/error.hpp>

namespace salespipe::io {

/// A parsed CSV file: the header, the records and the line each record starts on.
struct csv_table {
  std::string file;                            ///< name used in error messages
  std::vector<std::string> header;             ///< column names (surrounding spaces trimmed)
  std::vector<std::vector<std::string>> rows;  ///< one vector per record, header.size() fields
  std::vector<std::size_t> lines;              ///< 1-based line where rows[i] starts

  /// "file:line:column" for field `column` (0-based) of row `row`.
  std::string where(std::size_t row, std::size_t column) const {
    return file + ":" + std::to_string(lines[row]) + ":" + std::to_string(column + 1);
  }
  /// Index of the column called `name`, or nullopt.
  std::optional<std::size_t> find_column(std::string_view name) const {
    for (std::size_t i = 0; i < header.size(); ++i)
      if (header[i] == name) return i;
    return std::nullopt;
  }
  /// Index of the first of `names` present. Throws parse_error("file:1", "missing
  /// column ...; columns are: ...") when none is.
  std::size_t column(std::initializer_list<std::string_view> names) const {
    for (auto n : names)
      if (auto i = find_column(n)) return *i;
    std::string want, have;
    for (auto n : names) want += (want.empty() ? "'" : " or '") + std::string(n) + "'";
    for (const auto& h : header) have += (have.empty() ? "" : ", ") + h;
    throw parse_error(file + ":1", "missing column " + want + "; columns are: " + have);
  }
  std::size_t column(std::string_view name) const { return column({name}); }
};

namespace detail {
inline std::string trim(std::string s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return {};
  const auto e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}
}  // namespace detail

/// Parses `text` as CSV with a header row. `file` names the input in errors.
/// Throws parse_error: empty input, unbalanced quote, a character after a closing
/// quote, a quote inside an unquoted field, a record with too many or too few fields,
/// an empty or duplicate column name.
inline csv_table parse_csv(std::string_view text, std::string file = "<input>", char delimiter = ',') {
  csv_table t;
  t.file = std::move(file);
  std::size_t i = 0;
  const std::size_t n = text.size();
  if (n >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") i = 3;
  std::size_t line = 1;
  auto at = [&](std::size_t ln, std::size_t col) {
    return t.file + ":" + std::to_string(ln) + ":" + std::to_string(col);
  };
  std::vector<std::string> record;
  std::string field;
  bool have_header = false;

  auto finish_record = [&](std::size_t start_line) {
    if (!have_header) {
      for (auto& h : record) h = detail::trim(std::move(h));
      for (std::size_t c = 0; c < record.size(); ++c) {
        if (record[c].empty()) throw parse_error(at(start_line, c + 1), "empty column name");
        for (std::size_t d = 0; d < c; ++d)
          if (record[d] == record[c])
            throw parse_error(at(start_line, c + 1), "duplicate column name '" + record[c] + "'");
      }
      t.header = std::move(record);
      have_header = true;
    } else {
      if (record.size() != t.header.size())
        throw parse_error(
            at(start_line, std::min(record.size(), t.header.size() + 1)),
            "record has " + std::to_string(record.size()) + " fields, header has " + std::to_string(t.header.size()));
      t.rows.push_back(std::move(record));
      t.lines.push_back(start_line);
    }
    record.clear();
  };

  while (i < n) {
    // Start of a record. Blank lines are skipped.
    if (text[i] == '\n' || text[i] == '\r') {
      if (text[i] == '\r' && i + 1 < n && text[i + 1] == '\n') ++i;
      ++i;
      ++line;
      continue;
    }
    const std::size_t start_line = line;
    for (;;) {  // one field per iteration
      field.clear();
      const std::size_t col = record.size() + 1;
      if (i < n && text[i] == '"') {
        const std::size_t quote_line = line;
        ++i;
        for (;;) {
          if (i >= n) throw parse_error(at(quote_line, col), "unbalanced quote");
          const char c = text[i];
          if (c == '"') {
            if (i + 1 < n && text[i + 1] == '"') {
              field += '"';
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          if (c == '\n' || (c == '\r' && !(i + 1 < n && text[i + 1] == '\n'))) ++line;
          field += c;
          ++i;
        }
        if (i < n && text[i] != delimiter && text[i] != '\n' && text[i] != '\r')
          throw parse_error(at(line, col), "unexpected character after closing quote");
      } else {
        while (i < n && text[i] != delimiter && text[i] != '\n' && text[i] != '\r') {
          if (text[i] == '"') throw parse_error(at(line, col), "quote inside an unquoted field");
          field += text[i++];
        }
      }
      record.push_back(field);
      if (i < n && text[i] == delimiter) {
        ++i;
        continue;
      }
      break;  // end of line or of input
    }
    if (i < n) {  // consume the line break
      if (text[i] == '\r' && i + 1 < n && text[i + 1] == '\n') ++i;
      ++i;
      ++line;
    }
    finish_record(start_line);
  }
  if (!have_header) throw parse_error(t.file, "empty file (no header row)");
  return t;
}

/// Reads and parses the file at `path` (named `path` in errors). Throws parse_error
/// when the file cannot be opened, or as parse_csv.
inline csv_table read_csv(const std::string& path, char delimiter = ',') {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw parse_error(path, "cannot open file");
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse_csv(ss.str(), path, delimiter);
}

// --- writing ---

/// A CSV field (RFC 4180): quoted when it holds a comma, a quote, a line break or a space
/// at either end (which the reader trims from header names); quotes doubled. Any string
/// (a node id with a comma or a quote) reads back unchanged through parse_csv.
inline std::string csv_field(std::string_view cell) {
  const bool quote = cell.find_first_of(",\"\r\n") != std::string_view::npos ||
                     (!cell.empty() && (cell.front() == ' ' || cell.back() == ' '));
  if (!quote) return std::string(cell);
  std::string out = "\"";
  for (const char c : cell) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

/// A number as a CSV field, the precision policy of every CSV salespipe writes: the
/// shortest decimal that reads back as the same double (std::to_chars; 3 → "3",
/// 0.1 → "0.1"); NaN → an empty field (a missing value to pandas, R and spreadsheets);
/// ±infinity → "inf" / "-inf".
inline std::string csv_number(double x) {
  if (std::isnan(x)) return "";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, x);
  return std::string(buf, r.ptr);
}
inline std::string csv_number(std::size_t x) { return std::to_string(x); }

/// Writes one record: each cell through csv_field, separated by commas, ended by "\n".
inline void write_csv_row(std::ostream& out, const std::vector<std::string>& cells) {
  for (std::size_t i = 0; i < cells.size(); ++i) out << (i ? "," : "") << csv_field(cells[i]);
  out << '\n';
}

}  // namespace salespipe::io

#endif  // SALESPIPE_IO_CSV_HPP
