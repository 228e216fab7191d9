#include "text/utf8.h"

#include <cassert>

namespace ucsc::text {

Decoded DecodeUtf8(std::string_view in) {
  assert(!in.empty());
  const auto byte_at = [in](size_t i) { return static_cast<unsigned char>(in[i]); };
  const unsigned char lead = byte_at(0);
  if (lead < 0x80) return {lead, 1, true};

  size_t continuation_count = 0;
  char32_t code_point = 0;
  // Allowed range of the first continuation byte (Unicode Table 3-7); later ones are 80..BF.
  unsigned char low = 0x80;
  unsigned char high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    continuation_count = 1;
    code_point = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    continuation_count = 2;
    code_point = lead & 0x0F;
    if (lead == 0xE0) low = 0xA0;   // Overlong.
    if (lead == 0xED) high = 0x9F;  // Surrogates.
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    continuation_count = 3;
    code_point = lead & 0x07;
    if (lead == 0xF0) low = 0x90;   // Overlong.
    if (lead == 0xF4) high = 0x8F;  // Above U+10FFFF.
  } else {
    return {kReplacementChar, 1, false};
  }
  for (size_t i = 1; i <= continuation_count; ++i) {
    if (i >= in.size()) return {kReplacementChar, i, false};
    const unsigned char byte = byte_at(i);
    if (byte < low || byte > high) return {kReplacementChar, i, false};
    code_point = (code_point << 6) | (byte & 0x3F);
    low = 0x80;
    high = 0xBF;
  }
  return {code_point, continuation_count + 1, true};
}

void AppendUtf8(char32_t code_point, std::string* out) {
  assert(out != nullptr);
  if (code_point > kMaxCodePoint || (code_point >= 0xD800 && code_point <= 0xDFFF)) {
    code_point = kReplacementChar;
  }
  if (code_point < 0x80) {
    out->push_back(static_cast<char>(code_point));
  } else if (code_point < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (code_point >> 6)));
    out->push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else if (code_point < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (code_point >> 12)));
    out->push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (code_point >> 18)));
    out->push_back(static_cast<char>(0x80 | ((code_point >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  }
}

size_t Utf8PrefixLength(std::string_view in, size_t max_bytes) {
  size_t n = 0;
  while (n < in.size()) {
    const Decoded d = DecodeUtf8(in.substr(n));
    if (n + d.length > max_bytes) break;
    n += d.length;
  }
  return n;
}

}  // namespace ucsc::text
