// Sigma string values compiled to wildcard patterns, and their matcher.
//
// A Sigma string value may hold the wildcards `*` (any run of characters) and `?` (exactly one
// character). A backslash escapes `*`, `?` and `\`; a backslash before any other character, or at
// the end of the value, is a literal backslash (Sigma specification 2.0.0, "Wildcards" and
// "Escaping"). Matching is case-insensitive for ASCII letters unless the value is `cased`.
//
// Thread-safety: a Pattern is immutable after construction; Match may be called concurrently.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ucsc::hunt {

enum class CaseMode { kInsensitive, kSensitive };

// Lower-cases ASCII letters only (Sigma's case-insensitivity is applied to ASCII in this engine;
// documented in src/hunt/README.md).
inline char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }
std::string AsciiLowerCopy(std::string_view s);

// One element of a compiled pattern.
struct PatternToken {
  enum class Kind : std::uint8_t {
    kLiteral,  // `text` (already lower-cased when the pattern is case-insensitive)
    kStar,     // any run of bytes, possibly empty
    kAnyChar,  // exactly one UTF-8 code point
    kDash,     // windash: one of - / U+2013 U+2014 U+2015
  };
  Kind kind = Kind::kLiteral;
  std::string text;
};

class Pattern {
 public:
  Pattern() = default;

  // Parses a Sigma string value: wildcards and escapes as described above. With `windash`, every
  // `-` or `/` that starts a command-line flag (preceded by a non-word character or the start,
  // followed by a word character) matches any of the Windows dash characters.
  static Pattern FromSigma(std::string_view value, CaseMode mode, bool windash = false);
  // A pattern that matches `text` exactly, with no wildcard interpretation.
  static Pattern Literal(std::string_view text, CaseMode mode);

  // Wraps the pattern for contains / startswith / endswith: adds `*` on the open side(s).
  void AddLeadingStar();
  void AddTrailingStar();

  // True when `value` matches the whole pattern. `value` is raw event text (not lower-cased).
  bool Match(std::string_view value) const;
  // Same, for a value the caller has already ASCII-lower-cased (only valid when !cased()).
  bool MatchLowered(std::string_view lowered_value) const;

  bool cased() const { return mode_ == CaseMode::kSensitive; }
  const std::vector<PatternToken>& tokens() const { return tokens_; }
  // The literal pieces of the pattern, in order (for prefilters).
  std::vector<std::string> Literals() const;
  // Human-readable form, for diagnostics.
  std::string ToString() const;

  // Shape classification used by the optimised engine: kExact (no wildcard), kPrefix (lit*),
  // kSuffix (*lit), kContains (*lit*), kAny (only stars), kGeneral (anything else).
  enum class Shape { kExact, kPrefix, kSuffix, kContains, kAny, kGeneral };
  Shape shape() const { return shape_; }
  // The single literal of kExact/kPrefix/kSuffix/kContains shapes.
  const std::string& single_literal() const { return single_literal_; }

 private:
  bool MatchImpl(std::string_view value, bool lowered) const;
  void Normalize();

  std::vector<PatternToken> tokens_;
  CaseMode mode_ = CaseMode::kInsensitive;
  Shape shape_ = Shape::kExact;
  std::string single_literal_;
};

}  // namespace ucsc::hunt
