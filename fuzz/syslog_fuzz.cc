// FUZZ_LIBS: ucsc_hunt ucsc_core
// Syslog lines (RFC 5424 / 3164): each line of the input gives an event or, only for a line
// that starts like RFC 5424 ("<PRI>1 "), a kInvalidArgument naming RFC 5424. Oracle: every
// field that is copied from the line (all but facility, severity and the unescaped
// structured-data parameters) occurs in the line, and facility / severity are in range.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "hunt/event.h"
#include "hunt/input/syslog_event.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 65536) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  ucsc::hunt::Event e;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    const std::string_view line = text.substr(pos, nl - pos);
    auto st = ucsc::hunt::ParseSyslogLine(line, &e);
    if (!st) {
      if (st.error().code != ucsc::core::ErrorCode::kInvalidArgument) __builtin_trap();
      if (st.error().message.rfind("RFC 5424", 0) != 0) __builtin_trap();
      if (line.empty() || line[0] != '<') __builtin_trap();
    } else {
      for (std::size_t i = 0; i < e.size(); ++i) {
        const std::string_view name = e.name(i), value = e.value(i);
        if (name == "facility" || name == "severity") {
          const int v = std::stoi(std::string(value));
          if (v < 0 || v > (name == "facility" ? 23 : 7)) __builtin_trap();
          continue;
        }
        if (name.find('.') != std::string_view::npos) continue;  // SD parameter
        if (line.find(value) == std::string_view::npos) __builtin_trap();
      }
      (void)e.ToJson();
      (void)e.Timestamp();
    }
    pos = nl + 1;
  }
  return 0;
}
