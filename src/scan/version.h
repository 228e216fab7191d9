// Software version strings as products and the NVD write them, parsed for ordering:
// "8.9p1", "2.4.58", "1.1.1w", "10.0.17763.5122", "1:2.3.4" (an epoch), "2.0.0-rc1",
// "5.0~beta2" (pre-releases), "cumulative_update_19" (Exchange updates: the number decides).
//
// Rules (see docs/decisions/0008-cve-matching.md):
// - An optional epoch "N:" comes first; a larger epoch wins regardless of the rest.
// - The rest splits into numbers and words at every change between digits and letters and at
//   the separators . - _ + ~. Numbers compare as numbers (any length, no overflow); words compare
//   case-insensitively.
// - Pre-release words (dev, snapshot, alpha, beta, pre, preview, rc, and any word after '~') sort
//   before the release: 2.0.0-rc1 < 2.0.0. Every other suffix is a later version: 1.1.1w > 1.1.1,
//   8.9p1 > 8.9, 2.4.58.1 > 2.4.58. Single letters are suffixes, not pre-releases (OpenSSL 1.0.1a).
// - Trailing zero numbers do not count: 2.4 == 2.4.0.
// - A number sorts after a word at the same position (rpm's rule): 1.0.1 > 1.0a.
// Thread-safety: plain values; the functions are pure.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace ucsc::scan {

// Limits against absurd input (a parse is refused beyond them).
inline constexpr size_t kMaxVersionLength = 128;
inline constexpr size_t kMaxVersionTokens = 32;
inline constexpr size_t kMaxVersionNumberDigits = 20;

class Version {
 public:
  struct Token {
    enum class Kind : unsigned char { kNumber, kWord };
    Kind kind = Kind::kNumber;
    bool pre_release = false;  // words only
    std::string text;          // digits without leading zeros ("0" for zero), or a lower-case word
    uint64_t number = 0;       // the value of a number of at most 19 digits (else text decides)
  };

  // Parses `text`. Returns kInvalidArgument (with the offset and the reason) for an empty string,
  // a string over kMaxVersionLength bytes, more than kMaxVersionTokens parts, a number of more
  // than kMaxVersionNumberDigits digits, a space or control or non-ASCII byte, or a bad epoch.
  [[nodiscard]] static core::Result<Version> Parse(std::string_view text);

  // <0, 0 or >0 as a is older than, equal to or newer than b.
  static int Compare(const Version& a, const Version& b);

  const std::string& text() const { return text_; }
  uint64_t epoch() const { return epoch_; }
  const std::vector<Token>& tokens() const { return tokens_; }

  friend bool operator<(const Version& a, const Version& b) { return Compare(a, b) < 0; }
  friend bool operator==(const Version& a, const Version& b) { return Compare(a, b) == 0; }

 private:
  std::string text_;
  uint64_t epoch_ = 0;
  std::vector<Token> tokens_;
};

// Parses both and compares; an unparsable string is an error.
[[nodiscard]] core::Result<int> CompareVersions(std::string_view a, std::string_view b);

}  // namespace ucsc::scan
