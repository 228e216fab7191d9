#include "text/internal/vietnamese_letters.h"

#include <array>
#include <cassert>

namespace ucsc::text::internal {
namespace {

// One vowel of the alphabet with its six tones (indexed by Tone) in both cases.
struct VowelRow {
  char base;
  Mark mark;
  std::array<char32_t, kToneCount> lower;
  std::array<char32_t, kToneCount> upper;
};

// The 12 vowels x 6 tones x 2 cases; all entries but the 12 plain ASCII vowels are precomposed
// (132 code points). Columns: ngang, huyền, hỏi, ngã, sắc, nặng.
constexpr std::array<VowelRow, 12> kVowelRows = {{
    {'a', Mark::kNone, {U'a', U'à', U'ả', U'ã', U'á', U'ạ'}, {U'A', U'À', U'Ả', U'Ã', U'Á', U'Ạ'}},
    {'a', Mark::kBreve, {U'ă', U'ằ', U'ẳ', U'ẵ', U'ắ', U'ặ'}, {U'Ă', U'Ằ', U'Ẳ', U'Ẵ', U'Ắ', U'Ặ'}},
    {'a',
     Mark::kCircumflex,
     {U'â', U'ầ', U'ẩ', U'ẫ', U'ấ', U'ậ'},
     {U'Â', U'Ầ', U'Ẩ', U'Ẫ', U'Ấ', U'Ậ'}},
    {'e', Mark::kNone, {U'e', U'è', U'ẻ', U'ẽ', U'é', U'ẹ'}, {U'E', U'È', U'Ẻ', U'Ẽ', U'É', U'Ẹ'}},
    {'e',
     Mark::kCircumflex,
     {U'ê', U'ề', U'ể', U'ễ', U'ế', U'ệ'},
     {U'Ê', U'Ề', U'Ể', U'Ễ', U'Ế', U'Ệ'}},
    {'i', Mark::kNone, {U'i', U'ì', U'ỉ', U'ĩ', U'í', U'ị'}, {U'I', U'Ì', U'Ỉ', U'Ĩ', U'Í', U'Ị'}},
    {'o', Mark::kNone, {U'o', U'ò', U'ỏ', U'õ', U'ó', U'ọ'}, {U'O', U'Ò', U'Ỏ', U'Õ', U'Ó', U'Ọ'}},
    {'o',
     Mark::kCircumflex,
     {U'ô', U'ồ', U'ổ', U'ỗ', U'ố', U'ộ'},
     {U'Ô', U'Ồ', U'Ổ', U'Ỗ', U'Ố', U'Ộ'}},
    {'o', Mark::kHorn, {U'ơ', U'ờ', U'ở', U'ỡ', U'ớ', U'ợ'}, {U'Ơ', U'Ờ', U'Ở', U'Ỡ', U'Ớ', U'Ợ'}},
    {'u', Mark::kNone, {U'u', U'ù', U'ủ', U'ũ', U'ú', U'ụ'}, {U'U', U'Ù', U'Ủ', U'Ũ', U'Ú', U'Ụ'}},
    {'u', Mark::kHorn, {U'ư', U'ừ', U'ử', U'ữ', U'ứ', U'ự'}, {U'Ư', U'Ừ', U'Ử', U'Ữ', U'Ứ', U'Ự'}},
    {'y', Mark::kNone, {U'y', U'ỳ', U'ỷ', U'ỹ', U'ý', U'ỵ'}, {U'Y', U'Ỳ', U'Ỷ', U'Ỹ', U'Ý', U'Ỵ'}},
}};

constexpr char32_t kLowerDStroke = U'đ';  // U+0111
constexpr char32_t kUpperDStroke = U'Đ';  // U+0110

// Reverse index from a precomposed code point to (row, tone, case), over the two blocks that
// hold all of them: Latin-1 Supplement..Latin Extended-B (U+00C0..U+01B0) and Latin Extended
// Additional (U+1EA0..U+1EF9).
struct IndexEntry {
  uint8_t row = kNoRow;
  uint8_t tone = 0;
  uint8_t upper = 0;
  static constexpr uint8_t kNoRow = 0xFF;
};

template <char32_t kFirst, char32_t kLast>
constexpr std::array<IndexEntry, kLast - kFirst + 1> BuildIndex() {
  std::array<IndexEntry, kLast - kFirst + 1> index{};
  for (size_t row_idx = 0; row_idx < kVowelRows.size(); ++row_idx) {
    for (int tone_idx = 0; tone_idx < kToneCount; ++tone_idx) {
      for (int upper = 0; upper < 2; ++upper) {
        const VowelRow& row = kVowelRows[row_idx];
        const char32_t code_point = upper ? row.upper[tone_idx] : row.lower[tone_idx];
        if (code_point < kFirst || code_point > kLast) continue;
        index[code_point - kFirst] =
            IndexEntry{static_cast<uint8_t>(row_idx), static_cast<uint8_t>(tone_idx),
                       static_cast<uint8_t>(upper)};
      }
    }
  }
  return index;
}

constexpr char32_t kLatinFirst = 0x00C0;
constexpr char32_t kLatinLast = 0x01B0;
constexpr char32_t kExtendedFirst = 0x1EA0;
constexpr char32_t kExtendedLast = 0x1EF9;
constexpr auto kLatinIndex = BuildIndex<kLatinFirst, kLatinLast>();
constexpr auto kExtendedIndex = BuildIndex<kExtendedFirst, kExtendedLast>();

// Every table entry is either plain ASCII or covered by one of the two indexes, and all 144
// entries are distinct (so 132 are precomposed).
constexpr bool TablesAreConsistent() {
  int precomposed = 0;
  int indexed = 0;
  for (const VowelRow& row : kVowelRows) {
    for (int tone_idx = 0; tone_idx < kToneCount; ++tone_idx) {
      for (char32_t code_point : {row.lower[tone_idx], row.upper[tone_idx]}) {
        if (code_point < 0x80) {
          if (tone_idx != 0 || row.mark != Mark::kNone) return false;
          continue;
        }
        ++precomposed;
        if (code_point >= kLatinFirst && code_point <= kLatinLast) ++indexed;
        if (code_point >= kExtendedFirst && code_point <= kExtendedLast) ++indexed;
      }
    }
  }
  int occupied = 0;
  for (const IndexEntry& entry : kLatinIndex) occupied += entry.row != IndexEntry::kNoRow;
  for (const IndexEntry& entry : kExtendedIndex) occupied += entry.row != IndexEntry::kNoRow;
  return precomposed == 132 && indexed == 132 && occupied == 132;
}
static_assert(TablesAreConsistent());

// Collation alphabet, in order.
struct AlphabetLetter {
  char base;
  Mark mark;
};
constexpr std::array<AlphabetLetter, kAlphabetSize> kAlphabet = {{
    {'a', Mark::kNone},   {'a', Mark::kBreve},      {'a', Mark::kCircumflex},
    {'b', Mark::kNone},   {'c', Mark::kNone},       {'d', Mark::kNone},
    {'d', Mark::kStroke}, {'e', Mark::kNone},       {'e', Mark::kCircumflex},
    {'f', Mark::kNone},   {'g', Mark::kNone},       {'h', Mark::kNone},
    {'i', Mark::kNone},   {'j', Mark::kNone},       {'k', Mark::kNone},
    {'l', Mark::kNone},   {'m', Mark::kNone},       {'n', Mark::kNone},
    {'o', Mark::kNone},   {'o', Mark::kCircumflex}, {'o', Mark::kHorn},
    {'p', Mark::kNone},   {'q', Mark::kNone},       {'r', Mark::kNone},
    {'s', Mark::kNone},   {'t', Mark::kNone},       {'u', Mark::kNone},
    {'u', Mark::kHorn},   {'v', Mark::kNone},       {'w', Mark::kNone},
    {'x', Mark::kNone},   {'y', Mark::kNone},       {'z', Mark::kNone},
}};

constexpr int kMarkCount = 5;
using AlphabetIndexTable = std::array<std::array<int, kMarkCount>, 26>;  // -1: no such letter.

constexpr AlphabetIndexTable BuildAlphabetIndex() {
  AlphabetIndexTable table{};
  for (auto& marks : table) marks.fill(-1);
  for (size_t letter_idx = 0; letter_idx < kAlphabet.size(); ++letter_idx) {
    const AlphabetLetter& letter = kAlphabet[letter_idx];
    table[letter.base - 'a'][static_cast<int>(letter.mark)] = static_cast<int>(letter_idx);
  }
  return table;
}
constexpr AlphabetIndexTable kAlphabetIndex = BuildAlphabetIndex();

constexpr bool IsVowel(char base) {
  return base == 'a' || base == 'e' || base == 'i' || base == 'o' || base == 'u' || base == 'y';
}

bool AcceptsMark(char base, Mark mark) {
  switch (mark) {
    case Mark::kNone:
      return true;
    case Mark::kBreve:
      return base == 'a';
    case Mark::kCircumflex:
      return base == 'a' || base == 'e' || base == 'o';
    case Mark::kHorn:
      return base == 'o' || base == 'u';
    case Mark::kStroke:
      return base == 'd';
  }
  return false;
}

const VowelRow* FindRow(char base, Mark mark) {
  for (const VowelRow& row : kVowelRows) {
    if (row.base == base && row.mark == mark) return &row;
  }
  return nullptr;
}

Letter FromIndex(const IndexEntry& entry) {
  const VowelRow& row = kVowelRows[entry.row];
  return Letter{row.base, row.mark, static_cast<Tone>(entry.tone),
                entry.upper ? LetterCase::kUpper : LetterCase::kLower};
}

}  // namespace

std::optional<Letter> DecomposeLetter(char32_t code_point) {
  if (code_point >= 'a' && code_point <= 'z') {
    return Letter{static_cast<char>(code_point), Mark::kNone, Tone::kNone, LetterCase::kLower};
  }
  if (code_point >= 'A' && code_point <= 'Z') {
    return Letter{static_cast<char>(code_point - 'A' + 'a'), Mark::kNone, Tone::kNone,
                  LetterCase::kUpper};
  }
  if (code_point == kLowerDStroke) return Letter{'d', Mark::kStroke, Tone::kNone};
  if (code_point == kUpperDStroke) {
    return Letter{'d', Mark::kStroke, Tone::kNone, LetterCase::kUpper};
  }
  if (code_point >= kLatinFirst && code_point <= kLatinLast) {
    const IndexEntry& entry = kLatinIndex[code_point - kLatinFirst];
    if (entry.row != IndexEntry::kNoRow) return FromIndex(entry);
  }
  if (code_point >= kExtendedFirst && code_point <= kExtendedLast) {
    const IndexEntry& entry = kExtendedIndex[code_point - kExtendedFirst];
    if (entry.row != IndexEntry::kNoRow) return FromIndex(entry);
  }
  return std::nullopt;
}

char32_t ComposeLetter(const Letter& letter) {
  const bool upper = letter.letter_case == LetterCase::kUpper;
  if (letter.mark == Mark::kStroke) return upper ? kUpperDStroke : kLowerDStroke;
  const VowelRow* row = FindRow(letter.base, letter.mark);
  if (row == nullptr) {
    assert(letter.mark == Mark::kNone && letter.tone == Tone::kNone);
    return upper ? static_cast<char32_t>(letter.base - 'a' + 'A')
                 : static_cast<char32_t>(letter.base);
  }
  const auto tone_idx = static_cast<size_t>(letter.tone);
  return upper ? row->upper[tone_idx] : row->lower[tone_idx];
}

int AlphabetIndex(char base, Mark mark) {
  assert(base >= 'a' && base <= 'z');
  const int index = kAlphabetIndex[base - 'a'][static_cast<int>(mark)];
  assert(index >= 0);
  return index;
}

std::optional<Mark> CombiningMark(char32_t code_point) {
  switch (code_point) {
    case 0x0306:
      return Mark::kBreve;
    case 0x0302:
      return Mark::kCircumflex;
    case 0x031B:
      return Mark::kHorn;
    default:
      return std::nullopt;
  }
}

std::optional<Tone> CombiningTone(char32_t code_point) {
  switch (code_point) {
    case 0x0300:
    case 0x0340:  // Canonically equivalent to U+0300.
      return Tone::kGrave;
    case 0x0309:
      return Tone::kHook;
    case 0x0303:
      return Tone::kTilde;
    case 0x0301:
    case 0x0341:  // Canonically equivalent to U+0301.
      return Tone::kAcute;
    case 0x0323:
      return Tone::kDotBelow;
    default:
      return std::nullopt;
  }
}

bool TryAbsorb(char32_t code_point, Letter* letter) {
  assert(letter != nullptr);
  if (const std::optional<Tone> tone = CombiningTone(code_point)) {
    if (letter->tone != Tone::kNone || !IsVowel(letter->base)) return false;
    letter->tone = *tone;
    return true;
  }
  if (const std::optional<Mark> mark = CombiningMark(code_point)) {
    if (letter->mark != Mark::kNone || !AcceptsMark(letter->base, *mark)) return false;
    letter->mark = *mark;
    return true;
  }
  return false;
}

bool IsWhitespace(char32_t code_point) {
  return (code_point >= 0x09 && code_point <= 0x0D) || code_point == 0x20 || code_point == 0x85 ||
         code_point == 0xA0 || code_point == 0x1680 ||
         (code_point >= 0x2000 && code_point <= 0x200A) || code_point == 0x2028 ||
         code_point == 0x2029 || code_point == 0x202F || code_point == 0x205F ||
         code_point == 0x3000;
}

bool IsIgnorable(char32_t code_point) {
  return code_point == 0x00AD || code_point == 0x200B || code_point == 0x2060 ||
         code_point == 0xFEFF;
}

bool IsPunctuation(char32_t code_point) {
  if (code_point < 0x80) {
    const bool alnum = (code_point >= '0' && code_point <= '9') ||
                       (code_point >= 'a' && code_point <= 'z') ||
                       (code_point >= 'A' && code_point <= 'Z');
    return !alnum && !IsWhitespace(code_point);
  }
  return (code_point >= 0x80 && code_point <= 0xBF && !IsWhitespace(code_point) &&
          !IsIgnorable(code_point) && code_point != 0xAA && code_point != 0xB5 &&
          code_point != 0xBA) ||
         code_point == 0xD7 || code_point == 0xF7 ||
         (code_point >= 0x2010 && code_point <= 0x2027) ||
         (code_point >= 0x2030 && code_point <= 0x205E);
}

char32_t LowerLatin(char32_t code_point) {
  if (code_point >= 'A' && code_point <= 'Z') return code_point + ('a' - 'A');
  if (code_point < 0xC0) return code_point;
  if (code_point <= 0xDE) return code_point == 0xD7 ? code_point : code_point + 0x20;
  if (code_point == 0x0130) return 'i';  // İ: simple lower-case mapping.
  // Latin Extended-A pairs: upper case on even code points here...
  if ((code_point >= 0x0100 && code_point <= 0x0137) ||
      (code_point >= 0x014A && code_point <= 0x0177)) {
    return (code_point % 2 == 0) ? code_point + 1 : code_point;
  }
  // ...and on odd code points here.
  if ((code_point >= 0x0139 && code_point <= 0x0148) ||
      (code_point >= 0x0179 && code_point <= 0x017E)) {
    return (code_point % 2 == 1) ? code_point + 1 : code_point;
  }
  if (code_point == 0x0178) return 0x00FF;  // Ÿ
  // The Vietnamese letters of Latin Extended-B.
  if (code_point == 0x01A0 || code_point == 0x01AF) return code_point + 1;  // Ơ Ư
  return code_point;
}

}  // namespace ucsc::text::internal
