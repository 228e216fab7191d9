#include "text/vietnamese.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "text/internal/vietnamese_letters.h"
#include "text/utf8.h"

namespace ucsc::text {
namespace {

using internal::Unit;
using internal::UnitKind;

constexpr std::string_view kHexDigits = "0123456789abcdef";

// Collation key layout: primary weights, '!', secondary weights, '!', tertiary weights.
// Every primary weight is self-delimiting (its first byte fixes its length) and its first byte is
// greater than the level separator, so memcmp on keys compares weight sequences level by level.
constexpr char kLevelSeparator = '!';
constexpr char kSpaceWeight = '#';
constexpr char kPunctuationPrefix = '$';  // + 6 hex digits of the code point.
// + n (1 hex digit) + the digit count as n hex digits + the significant digits.
constexpr char kNumberPrefix = '%';
// Letters use 'A'..'Z' then 'a'..'g' (kAlphabetSize == 33), all between '%' and '~'.
constexpr char kOtherPrefix = '~';  // + 6 hex digits of the lower-cased code point.

// Secondary and tertiary weights; the minimum ('a') is the neutral weight, trimmed at the end.
constexpr char kNeutralWeight = 'a';
constexpr char kUpperCaseWeight = 'b';
constexpr size_t kMaxLeadingZeroWeight = 25;  // 'a' + 25 == 'z'.

static_assert(internal::kAlphabetSize == 26 + 7);

char LetterWeight(int alphabet_index) {
  return alphabet_index < 26 ? static_cast<char>('A' + alphabet_index)
                             : static_cast<char>('a' + (alphabet_index - 26));
}

void AppendHex(uint64_t value, int digits, std::string* out) {
  for (int shift = 4 * (digits - 1); shift >= 0; shift -= 4) {
    out->push_back(kHexDigits[(value >> shift) & 0xF]);
  }
}

void TrimNeutral(std::string* weights) {
  const size_t end = weights->find_last_not_of(kNeutralWeight);
  weights->resize(end == std::string::npos ? 0 : end + 1);
}

class CollationKeyBuilder {
 public:
  void Add(const Unit& unit) {
    switch (unit.kind) {
      case UnitKind::kLetter: {
        const internal::Letter& letter = unit.letter;
        BeginWeight();
        primary_.push_back(LetterWeight(internal::AlphabetIndex(letter.base, letter.mark)));
        secondary_.push_back(static_cast<char>(kNeutralWeight + static_cast<int>(letter.tone)));
        tertiary_.push_back(letter.letter_case == internal::LetterCase::kUpper ? kUpperCaseWeight
                                                                               : kNeutralWeight);
        return;
      }
      case UnitKind::kSpace:
        FlushNumber();
        pending_space_ = !primary_.empty();
        return;
      case UnitKind::kStrayMark:
      case UnitKind::kIgnorable:
        return;
      case UnitKind::kOther:
        AddOther(unit.code_point);
        return;
    }
  }

  std::string Finish() && {
    FlushNumber();
    TrimNeutral(&secondary_);
    TrimNeutral(&tertiary_);
    std::string key = std::move(primary_);
    key.reserve(key.size() + secondary_.size() + tertiary_.size() + 2);
    key.push_back(kLevelSeparator);
    key += secondary_;
    key.push_back(kLevelSeparator);
    key += tertiary_;
    return key;
  }

 private:
  void AddOther(char32_t code_point) {
    if (code_point >= '0' && code_point <= '9') {
      if (digits_.empty()) FlushSpace();
      digits_.push_back(static_cast<char>(code_point));
      return;
    }
    BeginWeight();
    const char32_t lower = internal::LowerLatin(code_point);
    if (internal::IsPunctuation(code_point)) {
      primary_.push_back(kPunctuationPrefix);
      AppendHex(code_point, 6, &primary_);
    } else {
      primary_.push_back(kOtherPrefix);
      AppendHex(lower, 6, &primary_);
    }
    secondary_.push_back(kNeutralWeight);
    tertiary_.push_back(lower != code_point ? kUpperCaseWeight : kNeutralWeight);
  }

  // Called before any weight that is not part of a digit run.
  void BeginWeight() {
    FlushNumber();
    FlushSpace();
  }

  void FlushSpace() {
    if (!pending_space_) return;
    pending_space_ = false;
    primary_.push_back(kSpaceWeight);
    secondary_.push_back(kNeutralWeight);
    tertiary_.push_back(kNeutralWeight);
  }

  // Emits the pending digit run as one numeric weight: the number of significant digits first
  // (as an order-preserving variable-length hex number), then the digits, so that shorter
  // (smaller) numbers sort first. Leading zeros only count at the tertiary level.
  void FlushNumber() {
    if (digits_.empty()) return;
    const size_t leading_zeros = std::min(digits_.find_first_not_of('0'), digits_.size());
    const size_t length = digits_.size() - leading_zeros;
    int hex_digits = 1;
    while (hex_digits < 15 && (length >> (4 * hex_digits)) != 0) ++hex_digits;
    primary_.push_back(kNumberPrefix);
    primary_.push_back(kHexDigits[hex_digits]);
    AppendHex(length, hex_digits, &primary_);
    primary_.append(digits_, leading_zeros);
    secondary_.push_back(kNeutralWeight);
    tertiary_.push_back(
        static_cast<char>(kNeutralWeight + std::min(leading_zeros, kMaxLeadingZeroWeight)));
    digits_.clear();
  }

  std::string primary_;
  std::string secondary_;
  std::string tertiary_;
  std::string digits_;  // The current run of ASCII digits, not yet emitted.
  bool pending_space_ = false;
};

}  // namespace

bool IsValidUtf8(std::string_view bytes) {
  size_t pos = 0;
  while (pos < bytes.size()) {
    // Fast path for ASCII.
    if (static_cast<unsigned char>(bytes[pos]) < 0x80) {
      ++pos;
      continue;
    }
    const Decoded decoded = DecodeUtf8(bytes.substr(pos));
    if (!decoded.valid) return false;
    pos += decoded.length;
  }
  return true;
}

std::string FoldForSearch(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  bool pending_space = false;
  const auto begin_output = [&] {
    if (pending_space) out.push_back(' ');
    pending_space = false;
  };
  internal::ForEachUnit(utf8, [&](const Unit& unit) {
    switch (unit.kind) {
      case UnitKind::kLetter:
        begin_output();
        out.push_back(unit.letter.base);
        return;
      case UnitKind::kSpace:
        pending_space = !out.empty();
        return;
      case UnitKind::kStrayMark:
      case UnitKind::kIgnorable:
        return;
      case UnitKind::kOther:
        begin_output();
        AppendUtf8(internal::LowerLatin(unit.code_point), &out);
        return;
    }
  });
  return out;
}

std::string CollationKey(std::string_view utf8) {
  CollationKeyBuilder builder;
  internal::ForEachUnit(utf8, [&builder](const Unit& unit) { builder.Add(unit); });
  return std::move(builder).Finish();
}

std::string NormalizeNfc(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  internal::ForEachUnit(utf8, [&out](const Unit& unit) { AppendUtf8(unit.code_point, &out); });
  return out;
}

}  // namespace ucsc::text
