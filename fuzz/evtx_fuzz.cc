// FUZZ_LIBS: ucsc_hunt ucsc_core
// EVTX reader (libevtx through OpenEvtxReaderFromMemory, then the event XML parser): any image
// gives records, counted skipped records or a clean open error; every record's XML parses into
// an event or fails with kInvalidArgument; the reader ends.
//
// The input is a file image that may stop early: the reader pads it with zeros to whole 64 KiB
// chunks (libevtx reads whole chunks; the smoke run's -max_len=65536 would otherwise cut every
// real chunk off). The seeds are samples without their chunk's slack space.
// libevtx itself is not instrumented: crashes inside it are caught, its coverage is not.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "hunt/event.h"
#include "hunt/record_reader.h"
#include "hunt/xml_event.h"

// libevtx 20181227 leaks on its error paths: the chunk list when libevtx_file_open fails on a
// damaged chunk header, BinXML tokens when a record's template is damaged (both found by this
// target within seconds and reproduced with libevtx alone, no ucsc code). Allocations made
// inside libevtx are therefore not reported; leaks of our own still are. (Our code releases
// every libevtx object it gets: records in all paths, the file and the io handle in the
// reader's destructor.)
extern "C" const char* __lsan_default_suppressions() { return "leak:libevtx.so\n"; }

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 4096 + 2 * 65536) return 0;
  const std::string_view image(reinterpret_cast<const char*>(data), size);
  auto reader = ucsc::hunt::OpenEvtxReaderFromMemory(image);
  if (!reader) {
    if (reader.error().message.empty()) __builtin_trap();
    return 0;
  }
  static ucsc::hunt::XmlEventParser parser;
  ucsc::hunt::Event e;
  ucsc::hunt::RecordBatch batch;
  int calls = 0;
  while (true) {
    auto more = (*reader)->Next(&batch, 1 << 14);
    if (!more || !*more) break;
    // A 64 KiB chunk holds at most ~2,300 records; two chunks and the report of skipped
    // records cannot need this many batches.
    if (++calls > 10000) __builtin_trap();
    if (batch.bad > 0 && batch.errors.empty()) __builtin_trap();
    for (const auto& u : batch.units) {
      if (u.off + u.len > batch.data.size()) __builtin_trap();
      auto st = parser.Parse(batch.text(u), &e, ucsc::hunt::HexPadding::kStrip);
      if (!st) {
        if (st.error().code != ucsc::core::ErrorCode::kInvalidArgument) __builtin_trap();
        continue;
      }
      (void)e.ToJson();
      (void)e.Timestamp();
    }
  }
  auto again = (*reader)->Next(&batch, 1 << 14);  // the end stays the end
  if (again && *again && !batch.units.empty()) __builtin_trap();
  return 0;
}
