#include "scan/version.h"

#include <array>

namespace ucsc::scan {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsSeparator(char c) { return c == '.' || c == '-' || c == '_' || c == '+' || c == '~'; }
char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// Pre-release words, oldest first; the rank orders them among themselves.
constexpr std::array<std::string_view, 8> kPreReleaseWords = {"dev", "snapshot", "alpha", "beta",
                                                              "pre", "preview",  "rc",    "cr"};

int PreReleaseRank(std::string_view word) {
  for (size_t i = 0; i < kPreReleaseWords.size(); ++i) {
    if (word == kPreReleaseWords[i]) return static_cast<int>(i);
  }
  return -1;
}

int CompareNumbers(const Version::Token& ta, const Version::Token& tb) {
  const std::string& a = ta.text;
  const std::string& b = tb.text;
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  if (a.size() <= 19) return ta.number < tb.number ? -1 : (ta.number > tb.number ? 1 : 0);
  int c = a.compare(b);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

int CompareTokens(const Version::Token& a, const Version::Token& b) {
  using Kind = Version::Token::Kind;
  if (a.kind == Kind::kNumber && b.kind == Kind::kNumber) return CompareNumbers(a, b);
  if (a.kind == Kind::kWord && b.kind == Kind::kWord) {
    if (a.pre_release != b.pre_release) return a.pre_release ? -1 : 1;
    if (a.pre_release) {
      int ra = PreReleaseRank(a.text), rb = PreReleaseRank(b.text);
      if (ra != rb) return ra < rb ? -1 : 1;
    }
    int c = a.text.compare(b.text);
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
  }
  // A number against a word: a pre-release word is older than any number; otherwise the number
  // is newer (1.0.1 > 1.0a).
  return a.kind == Kind::kWord ? -1 : 1;
}

bool IsZero(const Version::Token& t) {
  return t.kind == Version::Token::Kind::kNumber && t.text == "0";
}

// Compares the rest of a longer token list against nothing: trailing zeros are equal, a
// pre-release word makes it older, anything else newer.
int CompareTail(const std::vector<Version::Token>& tokens, size_t from) {
  for (size_t i = from; i < tokens.size(); ++i) {
    if (IsZero(tokens[i])) continue;
    if (tokens[i].kind == Version::Token::Kind::kWord && tokens[i].pre_release) return -1;
    return 1;
  }
  return 0;
}

}  // namespace

core::Result<Version> Version::Parse(std::string_view text) {
  if (text.empty()) return core::InvalidArgument("version is empty");
  if (text.size() > kMaxVersionLength) {
    return core::InvalidArgument("version longer than " + std::to_string(kMaxVersionLength) +
                                 " bytes (" + std::to_string(text.size()) + ")");
  }
  Version v;
  v.text_ = std::string(text);
  size_t pos = 0;
  // Epoch: digits followed by ':'.
  size_t colon = text.find(':');
  if (colon != std::string_view::npos) {
    if (colon == 0 || colon > 9) {
      return core::InvalidArgument("version \"" + std::string(text) +
                                   "\": epoch before ':' must be 1 to 9 digits");
    }
    uint64_t epoch = 0;
    for (size_t i = 0; i < colon; ++i) {
      if (!IsDigit(text[i])) {
        return core::InvalidArgument("version \"" + std::string(text) + "\": epoch '" +
                                     std::string(text.substr(0, colon)) + "' is not a number");
      }
      epoch = epoch * 10 + static_cast<uint64_t>(text[i] - '0');
    }
    if (text.find(':', colon + 1) != std::string_view::npos) {
      return core::InvalidArgument("version \"" + std::string(text) + "\": more than one ':'");
    }
    v.epoch_ = epoch;
    pos = colon + 1;
    if (pos >= text.size()) {
      return core::InvalidArgument("version \"" + std::string(text) + "\": nothing after epoch");
    }
  }
  bool after_tilde = false;
  while (pos < text.size()) {
    char c = text[pos];
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f) {
      return core::InvalidArgument("version: byte " + std::to_string(u) + " at offset " +
                                   std::to_string(pos) +
                                   " is not allowed (printable ASCII without spaces only)");
    }
    if (IsSeparator(c)) {
      if (c == '~') after_tilde = true;
      ++pos;
      continue;
    }
    Token tok;
    const size_t start = pos;
    if (IsDigit(c)) {
      tok.kind = Token::Kind::kNumber;
      while (pos < text.size() && IsDigit(text[pos])) ++pos;
      std::string_view digits = text.substr(start, pos - start);
      size_t nz = digits.find_first_not_of('0');
      tok.text = nz == std::string_view::npos ? "0" : std::string(digits.substr(nz));
      if (tok.text.size() <= 19) {
        for (char d : tok.text) tok.number = tok.number * 10 + static_cast<uint64_t>(d - '0');
      }
      if (tok.text.size() > kMaxVersionNumberDigits) {
        return core::InvalidArgument("version: number at offset " + std::to_string(start) +
                                     " has more than " + std::to_string(kMaxVersionNumberDigits) +
                                     " digits");
      }
    } else if (IsAlpha(c)) {
      tok.kind = Token::Kind::kWord;
      while (pos < text.size() && IsAlpha(text[pos])) tok.text += Lower(text[pos++]);
      tok.pre_release = after_tilde || PreReleaseRank(tok.text) >= 0;
      after_tilde = false;
    } else {
      // Other punctuation (parentheses in "12.1(19)e1", '*', '/') is one word of its own, so
      // that such strings still compare consistently.
      tok.kind = Token::Kind::kWord;
      tok.text = std::string(1, c);
      ++pos;
    }
    v.tokens_.push_back(std::move(tok));
    if (v.tokens_.size() > kMaxVersionTokens) {
      return core::InvalidArgument("version has more than " + std::to_string(kMaxVersionTokens) +
                                   " parts");
    }
  }
  if (v.tokens_.empty()) {
    return core::InvalidArgument("version \"" + std::string(text) + "\" has no digits or letters");
  }
  return v;
}

int Version::Compare(const Version& a, const Version& b) {
  if (a.epoch_ != b.epoch_) return a.epoch_ < b.epoch_ ? -1 : 1;
  size_t n = std::min(a.tokens_.size(), b.tokens_.size());
  for (size_t i = 0; i < n; ++i) {
    int c = CompareTokens(a.tokens_[i], b.tokens_[i]);
    if (c != 0) return c;
  }
  if (a.tokens_.size() > n) return CompareTail(a.tokens_, n);
  if (b.tokens_.size() > n) return -CompareTail(b.tokens_, n);
  return 0;
}

core::Result<int> CompareVersions(std::string_view a, std::string_view b) {
  UCSC_ASSIGN_OR_RETURN(Version va, Version::Parse(a));
  UCSC_ASSIGN_OR_RETURN(Version vb, Version::Parse(b));
  return Version::Compare(va, vb);
}

}  // namespace ucsc::scan
