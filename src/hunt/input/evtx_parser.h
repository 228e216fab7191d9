// Own EVTX (Windows XML Event Log) parser, written from libyal's "Windows XML Event Log (EVTX)
// format" document and [MS-EVEN6] section 3.1.4.7 (BinXml). It turns the BinXML of each event
// record directly into a flat hunt::Event (no XML text round trip), with the field names the
// XML path (xml_event.h) gives the XML rendering of the same record, and values rendered like
// evtx_dump (the expected outputs in ../shared/data/evtx/expected/): FILETIMEs as
// 2016-07-08T18:12:51.681640Z, GUIDs without braces in upper case, HexInt32/64 and SizeT as
// 0x…, SIDs as S-1-5-…, booleans true/false (any non-zero value is true), binary as upper-case
// hex, arrays as one field value per element.
//
// Layout: a 4 KiB file header, then 64 KiB chunks. Every chunk is self-contained (its BinXML
// refers to names and templates by offset inside the chunk), so chunks are parsed
// independently, in parallel by the hunt workers. The chunk's string and template offset
// tables are only hash-bucket caches of those offsets; the parser does not need them and so
// reads chunks whose tables are damaged (the header CRC32 mismatch is reported).
//
// Robustness: every offset and size is bounds-checked against the chunk; BinXML nesting
// (elements, template instances, BinXML substitution values) is depth-limited and the work per
// record is bounded. A bad record gives one error line (chunk index, record id, file offset,
// reason) and parsing goes on with the next record; a record header that cannot be trusted
// (bad magic or size) ends the chunk with one error line.
//
// Thread-safety: an EvtxChunkParser is not thread-safe; use one per thread. The free functions
// are thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "hunt/event.h"

namespace ucsc::hunt {

inline constexpr std::size_t kEvtxFileHeaderSize = 4096;
inline constexpr std::size_t kEvtxChunkSize = 65536;

struct EvtxFileInfo {
  std::uint16_t major_version = 0;
  std::uint16_t minor_version = 0;
  std::uint16_t chunk_count = 0;  // may be stale in a dirty file
  std::uint32_t flags = 0;        // 0x1 dirty, 0x2 full, 0x4 no CRC32 (format 3.2)
  std::uint64_t next_record_id = 0;
  bool dirty() const { return (flags & 0x1) != 0; }
  bool no_crc32() const { return (flags & 0x4) != 0; }
};

// Reads the file header from the first bytes of a file (at least 128 of them). Returns
// kInvalidArgument when the "ElfFile\0" magic is missing or the header is too short. Problems
// that do not stop reading (CRC32 mismatch, unknown flags or version, odd header sizes) are
// appended to `*warnings`, one line each ending in '\n'.
[[nodiscard]] core::Result<EvtxFileInfo> ParseEvtxFileHeader(std::string_view head,
                                                             std::string* warnings);

// Whether a 64 KiB block starts with the chunk magic "ElfChnk\0".
bool HasEvtxChunkMagic(std::string_view block);

struct EvtxChunkResult {
  std::uint64_t records = 0;  // events handed to the callback
  std::uint64_t bad = 0;      // records (or record runs) that could not be read
};

class EvtxChunkParser {
 public:
  EvtxChunkParser();
  ~EvtxChunkParser();
  EvtxChunkParser(const EvtxChunkParser&) = delete;
  EvtxChunkParser& operator=(const EvtxChunkParser&) = delete;

  // Parses the chunk `chunk` (REQUIRES: exactly kEvtxChunkSize bytes starting with the chunk
  // magic; otherwise one error line and nothing else). `index` is the chunk's 0-based position
  // in the file (file offset 4096 + index * 65536), used in messages. For each readable record,
  // `*event` is filled (cleared first; event->record = the record id) and `on_event(*event)` is
  // called, in record order. Damaged records and CRC32 mismatches (unless `verify_crc32` is
  // false) append one line each to `*errors`; CRC32 mismatches are warnings: the records are
  // still read. `event` and `on_event` are only used during the call.
  EvtxChunkResult Parse(std::string_view chunk, std::uint64_t index, bool verify_crc32,
                        Event* event, const std::function<void(Event&)>& on_event,
                        std::string* errors);

  // The same for one record's BinXML alone (tests, fuzzing): `binxml` is parsed as if it were a
  // record at chunk offset 512 of an otherwise empty chunk. kInvalidArgument with the reason.
  [[nodiscard]] core::Status ParseBinXml(std::string_view binxml, Event* event);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Renders one substitution value of BinXML value type `type` (with the 0x80 array flag: one
// item per element) as the parser does; each item is appended to `*items`. Returns false when
// `data` does not fit the type (the items rendered so far stay). Exposed for tests.
bool RenderEvtxValue(std::uint8_t type, std::string_view data, std::vector<std::string>* items);

}  // namespace ucsc::hunt
