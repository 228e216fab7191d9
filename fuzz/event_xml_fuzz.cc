// FUZZ_LIBS: ucsc_hunt ucsc_core
// Windows event XML: FindXmlEvent walks any text forward to its end, every element it finds
// starts with "<Event" and lies inside the text; each one (and the whole input) parses into an
// event or fails with kInvalidArgument; every field name/value view stays inside the event.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "hunt/event.h"
#include "hunt/input/xml_event.h"

namespace {

void ParseOne(ucsc::hunt::XmlEventParser& parser, std::string_view text) {
  ucsc::hunt::Event e;
  auto st = parser.Parse(text, &e);
  if (!st) {
    if (st.error().code != ucsc::core::ErrorCode::kInvalidArgument) __builtin_trap();
    if (st.error().message.empty()) __builtin_trap();
    return;
  }
  std::size_t total = 0;
  for (std::size_t i = 0; i < e.size(); ++i) total += e.name(i).size() + e.value(i).size();
  if (total != e.bytes()) __builtin_trap();
  (void)e.ToJson();
  (void)e.Timestamp();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 65536) return 0;
  static ucsc::hunt::XmlEventParser parser;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  ParseOne(parser, text);
  std::size_t pos = 0;
  while (true) {
    std::size_t start = 0;
    const std::size_t end = ucsc::hunt::FindXmlEvent(text, pos, &start);
    if (end == std::string_view::npos) break;
    if (start < pos || end <= start || end > text.size()) __builtin_trap();
    if (text.substr(start, 6) != "<Event") __builtin_trap();
    ParseOne(parser, text.substr(start, end - start));
    pos = end;
  }
  return 0;
}
