// FUZZ_LIBS: ucsc_hunt ucsc_core
// CSV rows of the hunt reader (csv_event.h): the first line is the header, each further line a
// row. A row parses or fails with kInvalidArgument. Oracle: a row that parses, written back
// (fields quoted when they hold a comma, quote or line break, quotes doubled), parses to the
// same fields; a row without quotes is its fields joined by commas.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "hunt/input/csv_event.h"

namespace {

std::string Write(const std::vector<std::string>& fields) {
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out.push_back(',');
    const std::string& f = fields[i];
    if (f.find_first_of(",\"\r\n") == std::string::npos) {
      out += f;
      continue;
    }
    out.push_back('"');
    for (char c : f) {
      if (c == '"') out.push_back('"');
      out.push_back(c);
    }
    out.push_back('"');
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 65536) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> header, fields, again;
  ucsc::hunt::CsvEventParser parser;
  ucsc::hunt::Event e;
  std::size_t pos = 0;
  bool first = true;
  while (pos <= text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    const std::string_view row = text.substr(pos, nl - pos);
    pos = nl + 1;
    auto st = ucsc::hunt::ParseCsvRow(row, &fields);
    if (!st) {
      if (st.error().code != ucsc::core::ErrorCode::kInvalidArgument) __builtin_trap();
      continue;
    }
    if (row.find('"') == std::string_view::npos) {
      std::string joined;
      for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i > 0) joined.push_back(',');
        joined += fields[i];
      }
      if (joined != row) __builtin_trap();
    }
    auto rt = ucsc::hunt::ParseCsvRow(Write(fields), &again);
    if (!rt || again != fields) __builtin_trap();
    if (first) {
      header = fields;
      first = false;
      continue;
    }
    auto ev = parser.Parse(row, header, &e);
    if (ev) {
      if (fields.size() > header.size() || e.size() != fields.size()) __builtin_trap();
      (void)e.ToJson();
    } else if (fields.size() <= header.size()) {
      __builtin_trap();  // a row that splits must give an event when it fits the header
    }
  }
  return 0;
}
