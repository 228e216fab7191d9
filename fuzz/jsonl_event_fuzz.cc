// FUZZ_LIBS: ucsc_hunt ucsc_core
// JSON-lines event reader: any line gives an event or an error; the event renders back to JSON
// and every field name/value view stays inside the event.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "hunt/event.h"
#include "hunt/input/json_event.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 65536) return 0;
  static ucsc::hunt::JsonEventParser parser;
  ucsc::hunt::Event e;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (parser.Parse(text, 0, &e)) {
    std::size_t total = 0;
    for (std::size_t i = 0; i < e.size(); ++i) total += e.name(i).size() + e.value(i).size();
    if (total != e.bytes()) __builtin_trap();
    (void)e.ToJson();
    (void)e.Timestamp();
  }
  return 0;
}
