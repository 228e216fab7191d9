// SpreadsheetML (ECMA-376) value helpers: cell references, the _xHHHH_ escapes of ST_Xstring
// text, number formatting and XML escaping. Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ucsc::tabular::internal {

inline constexpr int kMaxSheetColumns = 16'384;  // Column XFD.
inline constexpr int kMaxSheetRows = 1'048'576;

struct CellRef {
  int column = 0;  // 1-based: A = 1.
  int row = 0;     // 1-based.
};

// Parses an A1-style reference such as "C7" (letters then digits; '$' markers are not allowed).
// Returns std::nullopt when it is malformed or outside A1:XFD1048576.
std::optional<CellRef> ParseCellRef(std::string_view ref);

// Parses the letters-only column part, e.g. "C" -> 3. std::nullopt unless 1..kMaxSheetColumns.
std::optional<int> ParseColumnName(std::string_view letters);

// Returns the column letters for `column`: 1 -> "A", 16384 -> "XFD".
// REQUIRES: 1 <= column <= kMaxSheetColumns.
std::string ColumnName(int column);

// Decodes Excel's _xHHHH_ escapes (UTF-16 code units, so that control characters survive XML);
// _x005F_ is a literal '_'. A surrogate pair of escapes becomes one character; a lone
// surrogate and _x0000_ stay as literal text.
std::string DecodeXstring(std::string_view text);

// Appends `text` as XML character data: escapes & < > and '"', writes CR, other C0 controls,
// U+FFFE and U+FFFF as _xHHHH_, and writes '_' as _x005F_ where DecodeXstring would otherwise
// misread it. DecodeXstring(XML-unescaped output) == text.
// REQUIRES: text is valid UTF-8 without NUL.
void AppendXmlText(std::string_view text, std::string* out);

// Formats a cell's stored number: integral values below 1e21 without exponent or ".0" ("2024"),
// others as the shortest text that reads back to the same double ("0.1", "1e-07").
// Returns std::nullopt when `stored` is not a finite number.
std::optional<std::string> FormatNumber(std::string_view stored);

}  // namespace ucsc::tabular::internal
