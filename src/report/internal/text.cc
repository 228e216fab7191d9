#include "report/internal/text.h"

#include <array>

#include "text/utf8.h"
#include "text/vietnamese.h"

namespace ucsc::report::internal {
namespace {

char32_t UpperCodePoint(char32_t cp) {
  if (cp >= U'a' && cp <= U'z') return cp - 0x20;
  if (cp >= 0xE0 && cp <= 0xFE && cp != 0xF7) return cp - 0x20;
  switch (cp) {
    case 0x103:  // ă
    case 0x111:  // đ
    case 0x129:  // ĩ
    case 0x169:  // ũ
    case 0x1A1:  // ơ
      return cp - 1;
    case 0x1B0:  // ư
      return 0x1AF;
    default:
      break;
  }
  // Latin Extended Additional, Vietnamese block: upper case at even, lower case at odd points.
  if (cp >= 0x1EA0 && cp <= 0x1EF9 && (cp & 1) == 1) return cp - 1;
  return cp;
}

// Advance widths of Times New Roman Bold (Adobe Times-Bold metrics, to which Times New Roman and
// Liberation Serif are metric-compatible) for U+0020..U+007E, in 1/1000 em.
constexpr std::array<int, 95> kBoldWidths = {
    250, 333, 555, 500, 500, 1000, 833, 278,  333, 333, 500, 570, 250, 333, 250, 278,  // ' '../
    500, 500, 500, 500, 500, 500,  500, 500,  500, 500, 333, 333, 570, 570, 570, 500,  // 0..?
    930, 722, 667, 722, 722, 667,  611, 778,  778, 389, 500, 778, 667, 944, 722, 778,  // @..O
    611, 778, 722, 556, 667, 722,  722, 1000, 722, 722, 667, 333, 278, 333, 581, 500,  // P.._
    333, 500, 556, 444, 556, 444,  333, 500,  556, 278, 333, 556, 278, 833, 556, 500,  // `..o
    556, 556, 444, 389, 333, 556,  500, 722,  500, 500, 444, 394, 220, 394, 520,       // p..~
};

int BoldWidth(char32_t ascii) { return kBoldWidths[static_cast<size_t>(ascii - 0x20)]; }

}  // namespace

std::string ToUpperVietnamese(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  while (!utf8.empty()) {
    const text::Decoded d = text::DecodeUtf8(utf8);
    text::AppendUtf8(UpperCodePoint(d.code_point), &out);
    utf8.remove_prefix(d.length);
  }
  return out;
}

std::string XmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

int BoldTextWidthTwips(std::string_view utf8, int size_pt) {
  long units = 0;  // 1/1000 em
  while (!utf8.empty()) {
    const text::Decoded d = text::DecodeUtf8(utf8);
    const std::string_view one = utf8.substr(0, d.length);
    utf8.remove_prefix(d.length);
    char32_t cp = d.code_point;
    if (cp >= 0x300 && cp <= 0x36F) continue;  // combining mark: no advance
    if (cp >= 0x80) {
      // A Vietnamese letter folds to its ASCII base letter; keep its case.
      const std::string base = text::FoldForSearch(one);
      if (base.size() == 1 && base[0] >= 'a' && base[0] <= 'z') {
        cp = UpperCodePoint(d.code_point) == d.code_point ? static_cast<char32_t>(base[0] - 0x20)
                                                          : static_cast<char32_t>(base[0]);
      } else {
        cp = U'n';
      }
    }
    units += (cp >= 0x20 && cp <= 0x7E) ? BoldWidth(cp) : BoldWidth(U'n');
  }
  // units/1000 em * size_pt pt * 20 twips/pt
  return static_cast<int>((units * size_pt * 20 + 500) / 1000);
}

bool IsWellFormedUtf8(std::string_view bytes) {
  while (!bytes.empty()) {
    const text::Decoded d = text::DecodeUtf8(bytes);
    if (!d.valid) return false;
    bytes.remove_prefix(d.length);
  }
  return true;
}

bool IsForbiddenControl(char32_t cp) {
  if (cp == U'\t' || cp == U'\n') return false;
  if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) return true;
  if (cp >= 0xD800 && cp <= 0xDFFF) return true;
  if ((cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE) return true;
  return false;
}

}  // namespace ucsc::report::internal
