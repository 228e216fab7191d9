// OpenXmlEventReader and OpenCsvReader (record_reader.h), on top of LineBlockReader.
#include "hunt/input/record_reader.h"

#include <algorithm>

#include "hunt/input/csv_event.h"
#include "hunt/input/input.h"
#include "hunt/input/xml_event.h"

namespace ucsc::hunt {
namespace {

constexpr std::size_t kMaxRecordBytes = std::size_t{64} << 20;
constexpr std::size_t kFillBytes = std::size_t{1} << 20;

// A growing window on the text of an input, with the 1-based line number of `pos`.
class TextWindow {
 public:
  explicit TextWindow(std::unique_ptr<LineBlockReader> lines) : lines_(std::move(lines)) {}

  // Appends the next block; false at the end of input.
  core::Result<bool> Fill() {
    if (eof_) return false;
    auto more = lines_->Next(&block_, kFillBytes);
    if (!more) return tl::unexpected(more.error());
    if (!*more) {
      eof_ = true;
      return false;
    }
    buf_.erase(0, pos_);
    pos_ = 0;
    buf_.append(block_.data, 0, block_.size);
    return true;
  }
  void Advance(std::size_t to) {
    line_ += static_cast<std::uint64_t>(std::count(buf_.begin() + static_cast<std::ptrdiff_t>(pos_),
                                                   buf_.begin() + static_cast<std::ptrdiff_t>(to),
                                                   '\n'));
    pos_ = to;
  }
  std::string_view text() const { return buf_; }
  std::size_t pos() const { return pos_; }
  std::uint64_t line() const { return line_; }
  bool eof() const { return eof_; }
  std::uint64_t bytes_read() const { return lines_->bytes_read(); }

 private:
  std::unique_ptr<LineBlockReader> lines_;
  LineBlock block_;
  std::string buf_;
  std::size_t pos_ = 0;
  std::uint64_t line_ = 1;
  bool eof_ = false;
};

void AddUnit(RecordBatch* batch, std::string_view text, std::uint64_t record) {
  const std::size_t off = batch->data.size();
  batch->data.append(text);
  batch->units.push_back({off, text.size(), record});
}

void AddBad(RecordBatch* batch, std::uint64_t line, const std::string& why) {
  ++batch->bad;
  batch->errors += "line " + std::to_string(line) + ": " + why + "\n";
}

// Whether `text` has the start tag of an Event element (not Events, EventData, ...).
bool HasEventStart(std::string_view text, std::size_t* at) {
  std::size_t pos = 0;
  while ((pos = text.find("<Event", pos)) != std::string_view::npos) {
    const char c = pos + 6 < text.size() ? text[pos + 6] : ' ';
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '>' || c == '/') {
      *at = pos;
      return true;
    }
    pos += 6;
  }
  return false;
}

class XmlEventReader : public RecordReader {
 public:
  explicit XmlEventReader(std::unique_ptr<LineBlockReader> lines) : w_(std::move(lines)) {}

  core::Result<bool> Next(RecordBatch* batch, std::size_t target) override {
    batch->Clear();
    while (batch->data.size() < target) {
      const std::string_view text = w_.text();
      std::size_t start = 0;
      const std::size_t end = FindXmlEvent(text, w_.pos(), &start);
      if (end != std::string_view::npos) {
        w_.Advance(start);
        const std::uint64_t line = w_.line();
        AddUnit(batch, text.substr(start, end - start), line);
        w_.Advance(end);
        continue;
      }
      // No complete event: skip to the start of the next one (or keep a possible "<Event"
      // prefix at the end), then read more.
      const std::size_t next = text.find("<Event", w_.pos());
      if (next == std::string_view::npos) {
        w_.Advance(std::max(w_.pos(), text.size() >= 6 ? text.size() - 6 : std::size_t{0}));
      } else {
        w_.Advance(next);
        if (text.size() - next > kMaxRecordBytes) {
          AddBad(batch, w_.line(), "an <Event> element larger than 64 MiB; skipped");
          w_.Advance(next + 1);
          continue;
        }
      }
      auto more = w_.Fill();
      if (!more) return tl::unexpected(more.error());
      if (!*more) {
        const std::string_view rest = w_.text().substr(w_.pos());
        std::size_t s = 0;
        if (HasEventStart(rest, &s)) {
          w_.Advance(w_.pos() + s);
          AddBad(batch, w_.line(), "unterminated <Event> element at the end of the input");
        }
        w_.Advance(w_.text().size());
        break;
      }
    }
    return !batch->units.empty() || batch->bad > 0;
  }
  std::uint64_t bytes_read() const override { return w_.bytes_read(); }

 private:
  TextWindow w_;
};

// End of the CSV record starting at `from` (offset of its terminating '\n'), or npos.
std::size_t FindCsvRecordEnd(std::string_view text, std::size_t from, bool* in_quotes) {
  bool quoted = false;
  for (std::size_t i = from; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') {
      quoted = !quoted;
    } else if (c == '\n' && !quoted) {
      *in_quotes = false;
      return i;
    }
  }
  *in_quotes = quoted;
  return std::string_view::npos;
}

class CsvReader : public RecordReader {
 public:
  explicit CsvReader(std::unique_ptr<LineBlockReader> lines) : w_(std::move(lines)) {}

  core::Result<bool> Next(RecordBatch* batch, std::size_t target) override {
    batch->Clear();
    while (batch->data.size() < target) {
      std::string_view text = w_.text();
      bool in_quotes = false;
      std::size_t end = FindCsvRecordEnd(text, w_.pos(), &in_quotes);
      std::size_t next = end + 1;
      if (end == std::string_view::npos) {
        if (!w_.eof()) {
          if (text.size() - w_.pos() > kMaxRecordBytes) {
            AddBad(batch, w_.line(), "a row larger than 64 MiB; skipped");
            w_.Advance(text.size());
          }
          auto more = w_.Fill();
          if (!more) return tl::unexpected(more.error());
          continue;
        }
        if (w_.pos() >= text.size()) break;
        if (in_quotes) {
          AddBad(batch, w_.line(), "a quoted field is not closed before the end of the input");
          w_.Advance(text.size());
          break;
        }
        end = next = text.size();
      }
      std::string_view row = text.substr(w_.pos(), end - w_.pos());
      if (!row.empty() && row.back() == '\r') row.remove_suffix(1);
      const std::uint64_t line = w_.line();
      const bool blank = row.find_first_not_of(" \t") == std::string_view::npos;
      if (!blank) {
        if (!header_) {
          if (line == 1 && row.substr(0, 3) == "\xEF\xBB\xBF") row.remove_prefix(3);
          auto names = std::make_shared<std::vector<std::string>>();
          if (auto st = ParseCsvRow(row, names.get()); !st) {
            AddBad(batch, line, "header: " + st.error().message);
          }
          header_ = std::move(names);
        } else {
          AddUnit(batch, row, line);
        }
      }
      w_.Advance(std::min(next, text.size()));
    }
    batch->header = header_;
    return !batch->units.empty() || batch->bad > 0;
  }
  std::uint64_t bytes_read() const override { return w_.bytes_read(); }

 private:
  TextWindow w_;
  std::shared_ptr<const std::vector<std::string>> header_;
};

}  // namespace

core::Result<std::unique_ptr<RecordReader>> OpenXmlEventReader(const std::string& path) {
  auto lines = OpenLineReader(path);
  if (!lines) return tl::unexpected(lines.error());
  return std::unique_ptr<RecordReader>(std::make_unique<XmlEventReader>(std::move(*lines)));
}

core::Result<std::unique_ptr<RecordReader>> OpenCsvReader(const std::string& path) {
  auto lines = OpenLineReader(path);
  if (!lines) return tl::unexpected(lines.error());
  return std::unique_ptr<RecordReader>(std::make_unique<CsvReader>(std::move(*lines)));
}

}  // namespace ucsc::hunt
