// FUZZ_LIBS: ucsc_hunt ucsc_core
// EVTX reader and parser (OpenEvtxReaderFromMemory + EvtxChunkParser, evtx_parser.h): any image
// gives events, counted bad records with one error line each, or a clean open error; the reader
// ends. An input that is not an EVTX image ("ElfFile" magic missing) is also parsed as the
// BinXML of one record (EvtxChunkParser::ParseBinXml), which must succeed or fail with
// kInvalidArgument.
//
// The input is a file image that may stop early: the reader pads a cut-off last chunk with
// zeros (the smoke run's -max_len=65536 would otherwise cut every real chunk off). The seeds
// are samples up to their first chunk's free-space offset.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "hunt/event.h"
#include "hunt/input/evtx_parser.h"
#include "hunt/input/record_reader.h"

namespace {

void CheckEvent(const ucsc::hunt::Event& e) {
  if (e.size() == 0) __builtin_trap();
  (void)e.ToJson();
  (void)e.Timestamp();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 4096 + 2 * 65536) return 0;
  const std::string_view image(reinterpret_cast<const char*>(data), size);
  static ucsc::hunt::EvtxChunkParser parser;
  ucsc::hunt::Event e;
  auto reader = ucsc::hunt::OpenEvtxReaderFromMemory(image);
  if (!reader) {
    if (reader.error().message.empty()) __builtin_trap();
    auto st = parser.ParseBinXml(image, &e);
    if (st) {
      CheckEvent(e);
    } else if (st.error().code != ucsc::core::ErrorCode::kInvalidArgument ||
               st.error().message.empty()) {
      __builtin_trap();
    }
    return 0;
  }
  ucsc::hunt::RecordBatch batch;
  std::string errors;
  int calls = 0;
  while (true) {
    auto more = (*reader)->Next(&batch, 1 << 16);
    if (!more || !*more) break;
    if (++calls > 100) __builtin_trap();  // at most three 64 KiB blocks
    if (batch.bad > 0 && batch.errors.empty()) __builtin_trap();
    for (const auto& u : batch.units) {
      if (u.off + u.len > batch.data.size() || u.len != ucsc::hunt::kEvtxChunkSize) {
        __builtin_trap();
      }
      errors.clear();
      const auto r = parser.Parse(
          batch.text(u), u.record, batch.evtx_verify_crc32, &e,
          [](ucsc::hunt::Event& ev) { CheckEvent(ev); }, &errors);
      if (r.bad > 0 && errors.empty()) __builtin_trap();
      // A 64 KiB chunk holds at most (65536 - 512) / 28 records.
      if (r.records + r.bad > (65536 - 512) / 28 + 1) __builtin_trap();
    }
  }
  auto again = (*reader)->Next(&batch, 1 << 16);  // the end stays the end
  if (again && *again && !batch.units.empty()) __builtin_trap();
  return 0;
}
