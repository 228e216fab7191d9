#include "tabular/internal/ooxml.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <system_error>

#include "tabular/internal/utf8.h"

namespace ucsc::tabular::internal {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// If text[pos..] starts with "_xHHHH_", returns the code unit.
std::optional<uint32_t> EscapeAt(std::string_view text, size_t pos) {
  if (pos > text.size() || text.size() - pos < 7 || text[pos] != '_' || text[pos + 1] != 'x' ||
      text[pos + 6] != '_') {
    return std::nullopt;
  }
  uint32_t unit = 0;
  for (size_t digit_idx = 2; digit_idx < 6; ++digit_idx) {
    const int value = HexValue(text[pos + digit_idx]);
    if (value < 0) return std::nullopt;
    unit = unit * 16 + static_cast<uint32_t>(value);
  }
  return unit;
}

// True when text[pos..] starts with "_x" and four hex digits: the reader could take it for an
// escape, so a literal '_' there must be written as _x005F_.
bool LooksLikeEscape(std::string_view text, size_t pos) {
  if (text.size() - pos < 6 || text[pos] != '_' || text[pos + 1] != 'x') return false;
  for (size_t digit_idx = 2; digit_idx < 6; ++digit_idx) {
    if (HexValue(text[pos + digit_idx]) < 0) return false;
  }
  return true;
}

void AppendEscape(uint32_t unit, std::string* out) {
  constexpr std::string_view kHex = "0123456789ABCDEF";
  out->append("_x");
  for (int shift = 12; shift >= 0; shift -= 4) out->push_back(kHex[(unit >> shift) & 0xF]);
  out->push_back('_');
}

}  // namespace

std::optional<int> ParseColumnName(std::string_view letters) {
  if (letters.empty() || letters.size() > 3) return std::nullopt;
  int column = 0;
  for (const char c : letters) {
    int value = 0;
    if (c >= 'A' && c <= 'Z') {
      value = c - 'A' + 1;
    } else if (c >= 'a' && c <= 'z') {
      value = c - 'a' + 1;
    } else {
      return std::nullopt;
    }
    column = column * 26 + value;
  }
  if (column > kMaxSheetColumns) return std::nullopt;
  return column;
}

std::optional<CellRef> ParseCellRef(std::string_view ref) {
  size_t split = 0;
  while (split < ref.size() &&
         ((ref[split] >= 'A' && ref[split] <= 'Z') || (ref[split] >= 'a' && ref[split] <= 'z'))) {
    ++split;
  }
  const std::optional<int> column = ParseColumnName(ref.substr(0, split));
  if (!column) return std::nullopt;
  const std::string_view digits = ref.substr(split);
  if (digits.empty() || digits.size() > 7 || digits[0] == '0') return std::nullopt;
  int row = 0;
  for (const char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    row = row * 10 + (c - '0');
  }
  if (row > kMaxSheetRows) return std::nullopt;
  return CellRef{*column, row};
}

std::string ColumnName(int column) {
  std::string letters;
  while (column > 0) {
    const int rem = (column - 1) % 26;
    letters.insert(letters.begin(), static_cast<char>('A' + rem));
    column = (column - 1) / 26;
  }
  return letters;
}

std::string DecodeXstring(std::string_view text) {
  if (text.find("_x") == std::string_view::npos) return std::string(text);
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  while (pos < text.size()) {
    const std::optional<uint32_t> unit = EscapeAt(text, pos);
    if (!unit || *unit == 0 || (*unit >= 0xDC00 && *unit <= 0xDFFF)) {
      out.push_back(text[pos]);
      ++pos;
      continue;
    }
    if (*unit >= 0xD800 && *unit <= 0xDBFF) {
      const std::optional<uint32_t> low = EscapeAt(text, pos + 7);
      if (!low || *low < 0xDC00 || *low > 0xDFFF) {
        out.push_back(text[pos]);
        ++pos;
        continue;
      }
      AppendUtf8(0x10000 + ((*unit - 0xD800) << 10) + (*low - 0xDC00), &out);
      pos += 14;
      continue;
    }
    AppendUtf8(*unit, &out);
    pos += 7;
  }
  return out;
}

void AppendXmlText(std::string_view text, std::string* out) {
  for (size_t pos = 0; pos < text.size(); ++pos) {
    const char c = text[pos];
    const auto byte = static_cast<unsigned char>(c);
    switch (c) {
      case '&':
        out->append("&amp;");
        continue;
      case '<':
        out->append("&lt;");
        continue;
      case '>':
        out->append("&gt;");
        continue;
      case '"':
        out->append("&quot;");
        continue;
      case '\t':
      case '\n':
        out->push_back(c);
        continue;
      case '_':
        if (LooksLikeEscape(text, pos)) {
          AppendEscape('_', out);
        } else {
          out->push_back(c);
        }
        continue;
      default:
        break;
    }
    if (byte < 0x20) {
      AppendEscape(byte, out);  // Not allowed in XML 1.0 (CR would become LF).
    } else if (byte == 0xEF && pos + 2 < text.size() && text[pos + 1] == '\xBF' &&
               (text[pos + 2] == '\xBE' || text[pos + 2] == '\xBF')) {
      AppendEscape(text[pos + 2] == '\xBE' ? 0xFFFE : 0xFFFF, out);  // XML non-characters.
      pos += 2;
    } else {
      out->push_back(c);
    }
  }
}

std::optional<std::string> FormatNumber(std::string_view stored) {
  std::string_view text = TrimAsciiSpace(stored);
  if (text.starts_with('+')) text.remove_prefix(1);
  if (text.empty()) return std::nullopt;
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  std::array<char, 64> buffer;
  std::to_chars_result written;
  if (value == std::trunc(value) && std::fabs(value) < 1e21) {
    if (value == 0) value = 0;  // No "-0".
    written = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value,
                            std::chars_format::fixed);
  } else {
    written = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  }
  if (written.ec != std::errc()) return std::nullopt;
  return std::string(buffer.data(), written.ptr);
}

}  // namespace ucsc::tabular::internal
