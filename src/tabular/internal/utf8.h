// UTF-8 helpers shared by the CSV and XLSX readers (RFC 3629). Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace ucsc::tabular::internal {

// Returns the offset of the first byte of `text` that is not part of well-formed UTF-8 (overlong
// forms, surrogates and code points above U+10FFFF are ill-formed) or that is a NUL byte, or
// std::string_view::npos when the whole text is clean.
size_t FindInvalidUtf8(std::string_view text);

// Appends the UTF-8 encoding of `code_point` to `*out`.
// REQUIRES: code_point <= 0x10FFFF and is not a surrogate (0xD800..0xDFFF).
void AppendUtf8(uint32_t code_point, std::string* out);

// Returns the length of `text` in UTF-16 code units (Excel's unit for its 32767-character cell
// limit and 31-character sheet-name limit).
// REQUIRES: FindInvalidUtf8(text) == npos.
size_t Utf16Length(std::string_view text);

// Returns `text` without leading and trailing ASCII spaces and tabs.
std::string_view TrimAsciiSpace(std::string_view text);

}  // namespace ucsc::tabular::internal
