#include "tabular/internal/utf8.h"

#include <cassert>

#include "text/utf8.h"

namespace ucsc::tabular::internal {

size_t FindInvalidUtf8(std::string_view text) {
  size_t pos = 0;
  while (pos < text.size()) {
    if (text[pos] == '\0') return pos;  // NUL is not text in a spreadsheet cell.
    const text::Decoded decoded = text::DecodeUtf8(text.substr(pos));
    if (!decoded.valid) return pos;
    pos += decoded.length;
  }
  return std::string_view::npos;
}

void AppendUtf8(uint32_t code_point, std::string* out) {
  assert(code_point <= 0x10FFFF && (code_point < 0xD800 || code_point > 0xDFFF));
  text::AppendUtf8(static_cast<char32_t>(code_point), out);
}

size_t Utf16Length(std::string_view text) {
  size_t units = 0;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte & 0xC0) == 0x80) continue;  // Continuation byte.
    units += byte >= 0xF0 ? 2 : 1;        // 4-byte sequences need a surrogate pair.
  }
  return units;
}

std::string_view TrimAsciiSpace(std::string_view text) {
  const size_t begin = text.find_first_not_of(" \t");
  if (begin == std::string_view::npos) return {};
  const size_t end = text.find_last_not_of(" \t");
  return text.substr(begin, end - begin + 1);
}

}  // namespace ucsc::tabular::internal
