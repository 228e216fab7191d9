// Readers of record-structured inputs: EVTX files, Windows event XML and CSV with a header. A
// reader cuts its input into batches of raw records (a 64 KiB EVTX chunk, the XML text of an
// event, the text of a CSV row) that worker threads turn into Events (evtx_parser.h,
// xml_event.h, csv_event.h) — the same split as LineBlockReader for JSON lines and syslog.
// JSON lines and syslog are line formats and use LineBlockReader directly.
//
// Thread-safety: a RecordReader is not thread-safe; one reader per input.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace ucsc::hunt {

struct RecordBatch {
  struct Unit {
    std::size_t off = 0, len = 0;
    // The 1-based line where the record starts; for EVTX the chunk's 0-based index (the events
    // of a chunk carry their record ids).
    std::uint64_t record = 0;
  };
  std::string data;  // the units' text, back to back
  std::vector<Unit> units;
  // Damaged records the reader skipped (an unterminated XML event, a CSV row with an open quote
  // at the end), with one line of text each; EVTX: file header warnings.
  std::uint64_t bad = 0;
  std::string errors;
  // CSV: the column names of the input, shared by all its batches; empty otherwise.
  std::shared_ptr<const std::vector<std::string>> header;
  // EVTX chunks (OpenEvtxReader): whether to check the chunks' CRC32s (false when the
  // file header says "no CRC32").
  bool evtx_verify_crc32 = true;

  std::string_view text(const Unit& u) const { return {data.data() + u.off, u.len}; }
  void Clear() {
    data.clear();
    units.clear();
    bad = 0;
    errors.clear();
    header.reset();
    evtx_verify_crc32 = true;
  }
};

class RecordReader {
 public:
  virtual ~RecordReader() = default;
  // Fills `batch` (cleared first) with the next records, about `target_bytes` of text. Returns
  // false at the end of input (the batch may still hold skipped-record errors); an error when
  // the input cannot be read any further.
  [[nodiscard]] virtual core::Result<bool> Next(RecordBatch* batch, std::size_t target_bytes) = 0;
  // Input bytes consumed so far (compressed size for .gz / .zst).
  virtual std::uint64_t bytes_read() const = 0;
};

// EVTX through the own parser (evtx_parser.h), streamed: plain, gzip, zstd or stdin ("-"). Each
// unit of a batch is one whole 64 KiB chunk (`record` = its 0-based index in the file) for
// EvtxChunkParser::Parse, so workers parse chunks in parallel. The file header is checked at
// open: kInvalidArgument ("not a readable EVTX file") without the "ElfFile" magic, kNotFound
// when the file cannot be opened. File header warnings and a chunk cut off at the end of the
// input are reported in `errors`. Unused (zeroed) slots and blocks beyond the header's chunk
// count are skipped; other blocks without the chunk magic are passed on for the parser to
// report. Next() returns true while a batch has chunks or messages.
core::Result<std::unique_ptr<RecordReader>> OpenEvtxReader(const std::string& path);

// The same on an EVTX file image in memory (tests, fuzzing); `image` must outlive the reader.
core::Result<std::unique_ptr<RecordReader>> OpenEvtxReaderFromMemory(std::string_view image);

// Windows event XML: every complete <Event>...</Event> element of the text (a file of
// <Events>, or events back to back); plain, gzip, zstd or stdin ("-").
core::Result<std::unique_ptr<RecordReader>> OpenXmlEventReader(const std::string& path);

// CSV (RFC 4180: comma-separated, "" quoting, quoted fields may span lines) whose first row
// names the columns; a UTF-8 BOM is skipped. Plain, gzip, zstd or stdin.
core::Result<std::unique_ptr<RecordReader>> OpenCsvReader(const std::string& path);

}  // namespace ucsc::hunt
