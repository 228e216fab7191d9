// Vietnamese letters as (base, vowel mark, tone, case), the tables of the 132 precomposed vowel
// letters plus đ/Đ, character classes, and a segmenter that groups a base letter with the
// Vietnamese combining marks that follow it (NFC and NFD input give the same units).
// Private to `text`. Thread-safety: pure functions over constant tables; safe from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "text/utf8.h"

namespace ucsc::text::internal {

// Vowel marks that make a distinct letter of the alphabet (ă â ê ô ơ ư), and the stroke of đ.
enum class Mark : uint8_t { kNone, kBreve, kCircumflex, kHorn, kStroke };

// Tones, declared in Vietnamese collation order: ngang < huyền < hỏi < ngã < sắc < nặng.
enum class Tone : uint8_t { kNone, kGrave, kHook, kTilde, kAcute, kDotBelow };
inline constexpr int kToneCount = 6;

enum class LetterCase : uint8_t { kLower, kUpper };

// A Latin letter as written in Vietnamese. `base` is an ASCII lower-case letter 'a'..'z'.
// Valid combinations: any base with kNone/kNone; a+breve, a/e/o+circumflex, o/u+horn, d+stroke;
// a tone only on a vowel (a e i o u y).
struct Letter {
  char base = 'a';
  Mark mark = Mark::kNone;
  Tone tone = Tone::kNone;
  LetterCase letter_case = LetterCase::kLower;

  friend bool operator==(const Letter&, const Letter&) = default;
};

// Number of letters in the collation alphabet: a ă â b c d đ e ê f g h i j k l m n o ô ơ p q r s t
// u ư v w x y z (f j w z at their Latin positions).
inline constexpr int kAlphabetSize = 33;

// Returns the letter of an ASCII letter, one of the 132 precomposed Vietnamese vowel letters, or
// đ/Đ; std::nullopt for every other code point.
std::optional<Letter> DecomposeLetter(char32_t code_point);

// Returns the single code point of `letter` (ASCII or precomposed).
// REQUIRES: `letter` is a valid combination (see Letter).
char32_t ComposeLetter(const Letter& letter);

// Returns the 0-based position of (base, mark) in the collation alphabet, < kAlphabetSize.
// REQUIRES: a valid combination.
int AlphabetIndex(char base, Mark mark);

// Returns the vowel mark of a combining U+0306 breve, U+0302 circumflex or U+031B horn.
std::optional<Mark> CombiningMark(char32_t code_point);
// Returns the tone of a combining U+0300/U+0340 grave, U+0309 hook above, U+0303 tilde,
// U+0301/U+0341 acute or U+0323 dot below.
std::optional<Tone> CombiningTone(char32_t code_point);

// Tries to put the combining mark or tone `code_point` on `*letter`. Returns true (and updates
// `*letter`) when the slot is free and the base accepts it; false leaves `*letter` unchanged.
// REQUIRES: letter != nullptr.
bool TryAbsorb(char32_t code_point, Letter* letter);

// Unicode White_Space characters (ASCII, NBSP, U+2000..U+200A, U+3000, ...).
bool IsWhitespace(char32_t code_point);
// Invisible format characters that search and collation skip: soft hyphen, U+200B zero width
// space, U+2060 word joiner, U+FEFF byte-order mark.
bool IsIgnorable(char32_t code_point);
// ASCII punctuation and controls, Latin-1 punctuation/symbols and General Punctuation.
bool IsPunctuation(char32_t code_point);
// Simple lower-casing of ASCII, Latin-1 and Latin Extended-A; other code points unchanged.
char32_t LowerLatin(char32_t code_point);

enum class UnitKind {
  kLetter,     // `letter` holds it; `code_point` is its composed form.
  kSpace,      // White space; `code_point` as written.
  kStrayMark,  // A Vietnamese combining mark that could not attach to the preceding letter.
  kIgnorable,  // See IsIgnorable.
  kOther,      // Anything else, including U+FFFD for each ill-formed UTF-8 subpart.
};

struct Unit {
  UnitKind kind = UnitKind::kOther;
  Letter letter;
  char32_t code_point = 0;
};

// Splits `utf8` into units and calls `visit(const Unit&)` for each, in text order. A letter
// absorbs the contiguous run of Vietnamese combining marks (see CombiningMark/CombiningTone) that
// follows it, in any order; marks of that run it cannot take are reported after it, in their
// original order, as kStrayMark. Never fails; ill-formed UTF-8 becomes U+FFFD (kOther).
template <class Visitor>
void ForEachUnit(std::string_view utf8, Visitor&& visit) {
  const auto is_vietnamese_mark = [](const Decoded& decoded) {
    return decoded.valid &&
           (CombiningMark(decoded.code_point) || CombiningTone(decoded.code_point));
  };
  size_t pos = 0;
  while (pos < utf8.size()) {
    const Decoded decoded = DecodeUtf8(utf8.substr(pos));
    pos += decoded.length;
    const std::optional<Letter> letter =
        decoded.valid ? DecomposeLetter(decoded.code_point) : std::nullopt;
    if (!letter) {
      UnitKind kind = UnitKind::kOther;  // Also U+FFFD for ill-formed input.
      if (decoded.valid && IsWhitespace(decoded.code_point)) {
        kind = UnitKind::kSpace;
      } else if (is_vietnamese_mark(decoded)) {
        kind = UnitKind::kStrayMark;
      } else if (decoded.valid && IsIgnorable(decoded.code_point)) {
        kind = UnitKind::kIgnorable;
      }
      visit(Unit{kind, Letter{}, decoded.code_point});
      continue;
    }
    // Pass 1: absorb the run of marks. Pass 2 replays it to report the marks left over, so no
    // buffer is needed however long the run is.
    Letter composed = *letter;
    size_t run_end = pos;
    while (run_end < utf8.size()) {
      const Decoded mark = DecodeUtf8(utf8.substr(run_end));
      if (!is_vietnamese_mark(mark)) break;
      TryAbsorb(mark.code_point, &composed);
      run_end += mark.length;
    }
    visit(Unit{UnitKind::kLetter, composed, ComposeLetter(composed)});
    Letter replay = *letter;
    while (pos < run_end) {
      const Decoded mark = DecodeUtf8(utf8.substr(pos));
      if (!TryAbsorb(mark.code_point, &replay)) {
        visit(Unit{UnitKind::kStrayMark, Letter{}, mark.code_point});
      }
      pos += mark.length;
    }
  }
}

}  // namespace ucsc::text::internal
