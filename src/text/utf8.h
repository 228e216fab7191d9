// UTF-8 decoding and encoding (strict: overlong forms, surrogates and code points above
// U+10FFFF are invalid), shared by `text` and `tabular`.
// Thread-safety: pure functions; safe to call from any thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ucsc::text {

inline constexpr char32_t kReplacementChar = 0xFFFD;
inline constexpr char32_t kMaxCodePoint = 0x10FFFF;

// One decoded code point.
struct Decoded {
  char32_t code_point = kReplacementChar;  // U+FFFD when !valid.
  size_t length = 1;                       // Bytes consumed; always >= 1.
  bool valid = false;
};

// Decodes the code point at the start of `in`. An ill-formed sequence yields {U+FFFD, n, false}
// where n >= 1 is the length of its maximal subpart (Unicode 15 §3.9, "U+FFFD substitution of
// maximal subparts"), so callers always make progress. Rejects overlong forms, surrogates and
// code points above U+10FFFF.
// REQUIRES: !in.empty().
Decoded DecodeUtf8(std::string_view in);

// Appends the UTF-8 encoding of `code_point` to `*out`; surrogates and values above U+10FFFF are
// written as U+FFFD. REQUIRES: out != nullptr.
void AppendUtf8(char32_t code_point, std::string* out);

// The length in bytes of the longest prefix of `in` of at most `max_bytes` bytes that does not
// cut a UTF-8 sequence in two. REQUIRES: `in` is valid UTF-8.
size_t Utf8PrefixLength(std::string_view in, size_t max_bytes);

// `s` with ASCII letters lower-cased (other bytes kept): for file extensions, media types, host
// names.
inline std::string AsciiLower(std::string s) {
  for (auto& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

}  // namespace ucsc::text
