// Text helpers for the document writers: Vietnamese upper case, XML escaping and the advance
// width of Times New Roman Bold (for the rules under the motto, the issuing body and the trích
// yếu, whose length DOCFORMAT ties to the text's width).
// Thread-safety: pure functions; safe to call from any thread.
#pragma once

#include <string>
#include <string_view>

namespace ucsc::report::internal {

// Returns `utf8` with ASCII and Vietnamese letters (precomposed, as after NFC) in upper case:
// "Sở Khoa học" -> "SỞ KHOA HỌC", "đ" -> "Đ". Other code points are copied unchanged.
// REQUIRES: `utf8` is valid UTF-8.
std::string ToUpperVietnamese(std::string_view utf8);

// Returns `text` escaped for XML character data and attribute values (& < > " ').
std::string XmlEscape(std::string_view text);

// Returns the width of one line of `utf8` set in Times New Roman Bold at `size_pt`, in twips
// (1/20 pt). Vietnamese letters take the width of their base letter (their marks do not
// advance); code points outside Latin take the width of "n". REQUIRES: valid UTF-8.
int BoldTextWidthTwips(std::string_view utf8, int size_pt);

// True when all of `bytes` is well-formed UTF-8 (text::DecodeUtf8's strict rules).
bool IsWellFormedUtf8(std::string_view bytes);

// True when `cp` is a control character that may not appear in document text (C0 other than
// tab and line feed, DEL, C1) or a non-character / surrogate.
bool IsForbiddenControl(char32_t cp);

}  // namespace ucsc::report::internal
