#include "tabular/csv.h"

#include <array>
#include <climits>
#include <string>
#include <utility>
#include <vector>

#include "tabular/internal/utf8.h"

namespace ucsc::tabular {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
constexpr std::string_view kSepPrefix = "sep=";

tl::unexpected<core::Error> ResourceExhausted(std::string message) {
  return core::MakeError(core::ErrorCode::kResourceExhausted, std::move(message));
}

std::string LinePrefix(int line) { return "line " + std::to_string(line) + ": "; }

bool IsLineBreak(char c) { return c == '\r' || c == '\n'; }

bool IsUsableDelimiter(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return byte != 0 && byte < 0x80 && c != '"' && !IsLineBreak(c);
}

std::string DelimiterName(char delimiter) {
  if (delimiter == '\t') return "tab";
  return std::string("'") + delimiter + "'";
}

// The 1-based line of the byte at `offset`; CRLF, LF and CR each end one line.
int LineAt(std::string_view text, size_t offset, int first_line) {
  int line = first_line;
  for (size_t idx = 0; idx < offset && idx < text.size(); ++idx) {
    if (text[idx] == '\n' ||
        (text[idx] == '\r' && (idx + 1 == text.size() || text[idx + 1] != '\n'))) {
      ++line;
    }
  }
  return line;
}

// Picks the most frequent of ',' ';' '\t' outside quotes on the header line.
char DetectDelimiter(std::string_view data) {
  constexpr std::array<char, 3> kCandidates = {',', ';', '\t'};
  std::array<size_t, 3> counts = {0, 0, 0};
  size_t pos = 0;
  while (pos < data.size() && IsLineBreak(data[pos])) ++pos;  // Leading blank lines.
  bool quoted = false;
  for (; pos < data.size(); ++pos) {
    const char c = data[pos];
    if (c == '"') {
      quoted = !quoted;
    } else if (!quoted) {
      if (IsLineBreak(c)) break;
      for (size_t cand_idx = 0; cand_idx < 3; ++cand_idx) {
        if (c == kCandidates[cand_idx]) ++counts[cand_idx];
      }
    }
  }
  size_t best = 0;
  for (size_t cand_idx = 1; cand_idx < 3; ++cand_idx) {
    if (counts[cand_idx] > counts[best]) best = cand_idx;
  }
  return kCandidates[best];
}

// One CSV record. `blank` marks a record that is an empty line.
struct Record {
  int line = 0;
  std::vector<std::string> fields;
  bool blank = false;
};

// Splits the input into records, tracking physical line numbers.
class RecordReader {
 public:
  RecordReader(std::string_view data, int first_line, char delimiter, const CsvOptions& options)
      : data_(data), line_(first_line), delimiter_(delimiter), options_(options) {}

  [[nodiscard]] bool AtEnd() const { return pos_ >= data_.size(); }

  // REQUIRES: !AtEnd().
  core::Result<Record> Next() {
    Record record;
    record.line = line_;
    if (IsLineBreak(data_[pos_])) {
      ConsumeLineBreak();
      record.fields.emplace_back();
      record.blank = true;
      return record;
    }
    while (true) {
      if (record.fields.size() >= options_.max_columns) {
        return ResourceExhausted(LinePrefix(record.line) + "record has more than " +
                                 std::to_string(options_.max_columns) +
                                 " cells (limit max_columns)");
      }
      std::string& field = record.fields.emplace_back();
      if (pos_ < data_.size() && data_[pos_] == '"') {
        UCSC_RETURN_IF_ERROR(ReadQuoted(&field));
        if (pos_ < data_.size() && data_[pos_] != delimiter_ && !IsLineBreak(data_[pos_])) {
          return core::InvalidArgument(
              LinePrefix(line_) +
              "unexpected text after the closing quote of a field; a quote inside a quoted field "
              "must be doubled (\"\")");
        }
      } else {
        size_t end = pos_;
        while (end < data_.size() && data_[end] != delimiter_ && !IsLineBreak(data_[end])) ++end;
        if (end - pos_ > options_.max_cell_bytes) return CellTooLarge(line_);
        field.assign(data_.substr(pos_, end - pos_));
        pos_ = end;
      }
      if (pos_ >= data_.size()) return record;
      if (data_[pos_] == delimiter_) {
        ++pos_;
        continue;
      }
      ConsumeLineBreak();
      return record;
    }
  }

 private:
  void ConsumeLineBreak() {
    if (data_[pos_] == '\r' && pos_ + 1 < data_.size() && data_[pos_ + 1] == '\n') ++pos_;
    ++pos_;
    ++line_;
  }

  [[nodiscard]] tl::unexpected<core::Error> CellTooLarge(int line) const {
    return ResourceExhausted(LinePrefix(line) + "a cell is larger than " +
                             std::to_string(options_.max_cell_bytes) +
                             " bytes (limit max_cell_bytes; is a quote left open?)");
  }

  // REQUIRES: data_[pos_] == '"'. Reads up to and including the closing quote.
  core::Status ReadQuoted(std::string* field) {
    const int start_line = line_;
    ++pos_;
    while (true) {
      if (pos_ >= data_.size()) {
        return core::InvalidArgument(LinePrefix(start_line) +
                                     "a quoted field starts here and is never closed");
      }
      const char c = data_[pos_];
      if (c == '"') {
        if (pos_ + 1 < data_.size() && data_[pos_ + 1] == '"') {
          field->push_back('"');
          pos_ += 2;
        } else {
          ++pos_;
          return core::Ok();
        }
      } else if (IsLineBreak(c)) {
        field->push_back(c);
        if (c == '\r' && pos_ + 1 < data_.size() && data_[pos_ + 1] == '\n') {
          field->push_back('\n');
          ++pos_;
        }
        ++pos_;
        ++line_;
      } else {
        size_t end = data_.find_first_of("\"\r\n", pos_);
        if (end == std::string_view::npos) end = data_.size();
        field->append(data_.substr(pos_, end - pos_));
        pos_ = end;
      }
      if (field->size() > options_.max_cell_bytes) return CellTooLarge(start_line);
    }
  }

  std::string_view data_;
  size_t pos_ = 0;
  int line_;
  char delimiter_;
  const CsvOptions& options_;
};

// Appends rows to a table while enforcing the row and cell limits.
class TableBuilder {
 public:
  TableBuilder(Table* table, const CsvOptions& options) : table_(table), options_(options) {}

  core::Status Add(int line, std::vector<std::string> cells) {
    if (table_->rows.size() >= options_.max_rows) {
      return ResourceExhausted(LinePrefix(line) + "more than " + std::to_string(options_.max_rows) +
                               " data rows (limit max_rows)");
    }
    cell_count_ += table_->header.size();
    if (cell_count_ > options_.max_cells) {
      return ResourceExhausted(LinePrefix(line) + "more than " +
                               std::to_string(options_.max_cells) +
                               " cells in all rows (limit max_cells)");
    }
    cells.resize(table_->header.size());
    table_->rows.push_back(Row{line, std::move(cells)});
    return core::Ok();
  }

 private:
  Table* table_;
  const CsvOptions& options_;
  size_t cell_count_ = 0;
};

}  // namespace

core::Result<Table> ParseCsv(std::string_view data, const CsvOptions& options) {
  if (data.size() > options.max_bytes) {
    return ResourceExhausted("CSV is " + std::to_string(data.size()) + " bytes; the limit is " +
                             std::to_string(options.max_bytes) + " bytes (max_bytes)");
  }
  if (data.size() >= static_cast<size_t>(INT_MAX)) {
    return ResourceExhausted("CSV is too large to number its lines");
  }
  if (data.starts_with("\xFF\xFE") || data.starts_with("\xFE\xFF")) {
    return core::InvalidArgument("CSV is UTF-16 encoded; save it as \"CSV UTF-8\"");
  }
  if (options.delimiter && !IsUsableDelimiter(*options.delimiter)) {
    return core::InvalidArgument(
        "delimiter must be an ASCII character other than '\"', CR, LF "
        "and NUL");
  }
  if (data.starts_with(kUtf8Bom)) data.remove_prefix(kUtf8Bom.size());
  if (const size_t bad = internal::FindInvalidUtf8(data); bad != std::string_view::npos) {
    const std::string what = data[bad] == '\0'
                                 ? "NUL byte in the text"
                                 : "text is not valid UTF-8; save the file as \"CSV UTF-8\"";
    return core::InvalidArgument(LinePrefix(LineAt(data, bad, 1)) + what);
  }

  int first_line = 1;
  std::optional<char> delimiter = options.delimiter;
  if (data.starts_with(kSepPrefix) && data.size() > kSepPrefix.size() &&
      IsUsableDelimiter(data[kSepPrefix.size()]) &&
      (data.size() == kSepPrefix.size() + 1 || IsLineBreak(data[kSepPrefix.size() + 1]))) {
    // Excel's "sep=;" hint line.
    if (!delimiter) delimiter = data[kSepPrefix.size()];
    data.remove_prefix(kSepPrefix.size() + 1);
    if (data.starts_with("\r\n")) {
      data.remove_prefix(2);
    } else if (!data.empty()) {
      data.remove_prefix(1);
    }
    first_line = 2;
  }
  if (!delimiter) delimiter = DetectDelimiter(data);

  RecordReader reader(data, first_line, *delimiter, options);
  Table table;
  bool have_header = false;
  while (!reader.AtEnd() && !have_header) {
    UCSC_ASSIGN_OR_RETURN(Record record, reader.Next());
    if (record.blank) continue;
    table.header = std::move(record.fields);
    have_header = true;
  }
  if (!have_header) return core::InvalidArgument("CSV has no header line");
  for (std::string& name : table.header) name = std::string(internal::TrimAsciiSpace(name));

  TableBuilder builder(&table, options);
  int blank_first_line = 0;
  size_t blank_count = 0;  // Blank lines not yet known to be trailing.
  while (!reader.AtEnd()) {
    UCSC_ASSIGN_OR_RETURN(Record record, reader.Next());
    if (record.blank) {
      if (blank_count == 0) blank_first_line = record.line;
      ++blank_count;
      continue;
    }
    for (size_t blank_idx = 0; blank_idx < blank_count; ++blank_idx) {
      UCSC_RETURN_IF_ERROR(builder.Add(blank_first_line + static_cast<int>(blank_idx), {}));
    }
    blank_count = 0;
    if (record.fields.size() > table.header.size()) {
      return core::InvalidArgument(
          LinePrefix(record.line) + "row has " + std::to_string(record.fields.size()) +
          " cells but the header has " + std::to_string(table.header.size()) +
          "; quote cells that contain the delimiter " + DelimiterName(*delimiter));
    }
    UCSC_RETURN_IF_ERROR(builder.Add(record.line, std::move(record.fields)));
  }
  return table;
}

namespace {

void AppendCell(std::string_view cell, bool force_quote, std::string* out) {
  const bool quote = force_quote || cell.find_first_of(",;\t\"\r\n") != std::string_view::npos ||
                     cell.starts_with(kUtf8Bom);
  if (!quote) {
    out->append(cell);
    return;
  }
  out->push_back('"');
  for (const char c : cell) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

void AppendRecord(const std::vector<std::string>& cells, bool is_header, std::string* out) {
  if (cells.empty() || (cells.size() == 1 && cells[0].empty())) {
    out->append("\"\"\r\n");  // An empty line would read back as a blank line.
    return;
  }
  for (size_t cell_idx = 0; cell_idx < cells.size(); ++cell_idx) {
    if (cell_idx > 0) out->push_back(',');
    const bool sep_hint = is_header && cell_idx == 0 && cells[0].starts_with(kSepPrefix);
    AppendCell(cells[cell_idx], sep_hint, out);
  }
  out->append("\r\n");
}

}  // namespace

std::string WriteCsv(const Table& table, CsvBom bom) {
  std::string out;
  if (bom == CsvBom::kInclude) out.append(kUtf8Bom);
  AppendRecord(table.header, /*is_header=*/true, &out);
  for (const Row& row : table.rows) AppendRecord(row.cells, /*is_header=*/false, &out);
  return out;
}

}  // namespace ucsc::tabular
