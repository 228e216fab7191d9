// Vietnamese text helpers: accent-insensitive search folding, dictionary-order collation keys,
// UTF-8 validation and composition of Vietnamese letters to NFC.
//
// All functions are pure: no I/O, no locale, no ICU. They accept any byte string; ill-formed
// UTF-8 never fails or crashes, it is read as U+FFFD per maximal ill-formed subpart.
// Precomposed (NFC) and decomposed (NFD: base letter + U+0306 breve, U+0302 circumflex,
// U+031B horn, U+0300 grave, U+0301 acute, U+0303 tilde, U+0309 hook above, U+0323 dot below, in
// any order) spellings of a Vietnamese letter are treated alike.
//
// Thread-safety: every function is thread-safe; they only read constant tables.
//
// Example:
//   FoldForSearch("  Sở  Tài chính ")  == "so tai chinh"
//   CollationKey("Đà Nẵng") > CollationKey("Dương")       // đ sorts after d
//   NormalizeNfc("Sa\u0300i Go\u0300n") == "Sài Gòn"
#pragma once

#include <string>
#include <string_view>

namespace ucsc::text {

// Returns true when `bytes` is well-formed UTF-8 (no overlong forms, surrogates, or code points
// above U+10FFFF). The empty string is valid.
bool IsValidUtf8(std::string_view bytes);

// Returns the search form of `utf8`, a new string owned by the caller:
// - Vietnamese letters lose every diacritic and are lower-cased to their ASCII base
//   ("Ở" -> "o", "ữ" -> "u", "Đ"/"đ" -> "d"), whether written precomposed or decomposed;
// - other ASCII, Latin-1 and Latin Extended-A letters are lower-cased, other code points kept;
// - Vietnamese combining marks that attach to nothing, soft hyphens, U+200B, U+2060 and U+FEFF
//   are dropped;
// - runs of Unicode white space become one ASCII space, trimmed at both ends;
// - each ill-formed UTF-8 subpart becomes U+FFFD.
// The result is valid UTF-8, and FoldForSearch(NormalizeNfc(x)) == FoldForSearch(x).
// Example: "ĐÀ NẴNG" -> "da nang".
std::string FoldForSearch(std::string_view utf8);

// Returns a sort key for `utf8`: for names a and b, CollationKey(a) < CollationKey(b) (std::string
// operator<, memcmp, SQLite BINARY, PostgreSQL COLLATE "C") iff a precedes b in Vietnamese
// dictionary order. The key holds printable ASCII only (0x21..0x7E; no space, quote, backslash
// or backtick), so it can be stored in a TEXT column. Keys are opaque and may change between
// releases: store them next to the name and rebuild them, never parse them.
//
// Comparison levels, as in the Unicode Collation Algorithm with the CLDR Vietnamese tailoring
// (the whole string is compared at one level before the next level is looked at):
// 1. Primary: units in order. White space (runs collapsed, ends trimmed) < punctuation (by code
//    point) < numbers (digit runs compared by numeric value: "2" < "10") < letters in the order
//    a ă â b c d đ e ê f g h i j k l m n o ô ơ p q r s t u ư v w x y z (ignoring tone and case) <
//    any other code point (by lower-cased code point). A shorter prefix sorts first.
// 2. Secondary: tones, ngang < huyền < hỏi < ngã < sắc < nặng ("ca" < "cà" < "cả" < "cã" < "cá" <
//    "cạ").
// 3. Tertiary: lower case before upper case; then fewer leading zeros in a number first.
// Strings that differ only in ignorable characters (see FoldForSearch) or in the kind or amount
// of white space get equal keys; break ties with another column. NFC and NFD spellings of the
// same text get the same key.
std::string CollationKey(std::string_view utf8);

// Returns `utf8` with every Vietnamese letter in its precomposed form: a base letter followed by
// Vietnamese combining marks (see above, in any order) becomes one code point when the
// combination exists ("o" U+031B U+0309 -> "ở"; "a" U+0301 U+0302 -> "ấ"); marks that do not fit
// (a second tone, a breve on "e", a tone on a consonant) stay as combining characters right after
// the letter, in their original order. Everything else is copied unchanged, except that each
// ill-formed UTF-8 subpart becomes U+FFFD, so the result is always valid UTF-8. This is the
// Vietnamese subset of Unicode NFC, not a full implementation (e.g. "n" U+0301 is not composed).
// Idempotent: NormalizeNfc(NormalizeNfc(x)) == NormalizeNfc(x).
std::string NormalizeNfc(std::string_view utf8);

}  // namespace ucsc::text
