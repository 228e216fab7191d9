#include "hunt/sigma/pattern.h"

#include <algorithm>

namespace ucsc::hunt {
namespace {

constexpr std::size_t kNoMatch = static_cast<std::size_t>(-1);

bool IsWordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}
bool IsContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

std::size_t CodePointLength(std::string_view v, std::size_t at) {
  const auto c = static_cast<unsigned char>(v[at]);
  std::size_t len = 1;
  if (c >= 0xF0) {
    len = 4;
  } else if (c >= 0xE0) {
    len = 3;
  } else if (c >= 0xC0) {
    len = 2;
  }
  std::size_t end = at + 1;
  while (end < v.size() && end < at + len && IsContinuation(static_cast<unsigned char>(v[end]))) {
    ++end;
  }
  return end - at;
}

// Length of the dash at v[at], or kNoMatch.
std::size_t DashLength(std::string_view v, std::size_t at) {
  const char c = v[at];
  if (c == '-' || c == '/') return 1;
  if (at + 3 <= v.size() && static_cast<unsigned char>(v[at]) == 0xE2 &&
      static_cast<unsigned char>(v[at + 1]) == 0x80) {
    const auto d = static_cast<unsigned char>(v[at + 2]);
    if (d == 0x93 || d == 0x94 || d == 0x95) return 3;
  }
  return kNoMatch;
}

}  // namespace

std::string AsciiLowerCopy(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = AsciiLower(c);
  return out;
}

Pattern Pattern::FromSigma(std::string_view value, CaseMode mode, bool windash) {
  Pattern p;
  p.mode_ = mode;
  std::string lit;
  auto flush = [&] {
    if (!lit.empty()) {
      p.tokens_.push_back({PatternToken::Kind::kLiteral, std::move(lit)});
      lit.clear();
    }
  };
  char prev = '\0';
  bool have_prev = false;
  for (std::size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    if (c == '\\') {
      if (i + 1 < value.size() &&
          (value[i + 1] == '*' || value[i + 1] == '?' || value[i + 1] == '\\')) {
        lit.push_back(value[i + 1]);
        prev = value[i + 1];
        ++i;
      } else {
        lit.push_back('\\');
        prev = '\\';
      }
      have_prev = true;
      continue;
    }
    if (c == '*') {
      flush();
      p.tokens_.push_back({PatternToken::Kind::kStar, {}});
    } else if (c == '?') {
      flush();
      p.tokens_.push_back({PatternToken::Kind::kAnyChar, {}});
    } else if (windash && (c == '-' || c == '/') && (!have_prev || !IsWordChar(prev)) &&
               i + 1 < value.size() && IsWordChar(value[i + 1])) {
      flush();
      p.tokens_.push_back({PatternToken::Kind::kDash, {}});
    } else {
      lit.push_back(c);
    }
    prev = c;
    have_prev = true;
  }
  flush();
  p.Normalize();
  return p;
}

Pattern Pattern::Literal(std::string_view text, CaseMode mode) {
  Pattern p;
  p.mode_ = mode;
  if (!text.empty()) p.tokens_.push_back({PatternToken::Kind::kLiteral, std::string(text)});
  p.Normalize();
  return p;
}

void Pattern::AddLeadingStar() {
  tokens_.insert(tokens_.begin(), PatternToken{PatternToken::Kind::kStar, {}});
  Normalize();
}

void Pattern::AddTrailingStar() {
  tokens_.push_back({PatternToken::Kind::kStar, {}});
  Normalize();
}

void Pattern::Normalize() {
  std::vector<PatternToken> out;
  for (auto& t : tokens_) {
    if (t.kind == PatternToken::Kind::kLiteral) {
      if (mode_ == CaseMode::kInsensitive) t.text = AsciiLowerCopy(t.text);
      if (t.text.empty()) continue;
      if (!out.empty() && out.back().kind == PatternToken::Kind::kLiteral) {
        out.back().text += t.text;
        continue;
      }
    } else if (t.kind == PatternToken::Kind::kStar && !out.empty() &&
               out.back().kind == PatternToken::Kind::kStar) {
      continue;
    }
    out.push_back(std::move(t));
  }
  tokens_ = std::move(out);

  using K = PatternToken::Kind;
  const auto n = tokens_.size();
  single_literal_.clear();
  bool only_stars = n > 0 && std::all_of(tokens_.begin(), tokens_.end(),
                                         [](const PatternToken& t) { return t.kind == K::kStar; });
  if (n == 0) {
    shape_ = Shape::kExact;
  } else if (only_stars) {
    shape_ = Shape::kAny;
  } else if (n == 1 && tokens_[0].kind == K::kLiteral) {
    shape_ = Shape::kExact;
    single_literal_ = tokens_[0].text;
  } else if (n == 2 && tokens_[0].kind == K::kLiteral && tokens_[1].kind == K::kStar) {
    shape_ = Shape::kPrefix;
    single_literal_ = tokens_[0].text;
  } else if (n == 2 && tokens_[0].kind == K::kStar && tokens_[1].kind == K::kLiteral) {
    shape_ = Shape::kSuffix;
    single_literal_ = tokens_[1].text;
  } else if (n == 3 && tokens_[0].kind == K::kStar && tokens_[1].kind == K::kLiteral &&
             tokens_[2].kind == K::kStar) {
    shape_ = Shape::kContains;
    single_literal_ = tokens_[1].text;
  } else {
    shape_ = Shape::kGeneral;
  }
}

bool Pattern::Match(std::string_view value) const { return MatchImpl(value, false); }

bool Pattern::MatchLowered(std::string_view lowered_value) const {
  return MatchImpl(lowered_value, true);
}

bool Pattern::MatchImpl(std::string_view v, bool lowered) const {
  const bool fold = mode_ == CaseMode::kInsensitive && !lowered;
  auto match_token = [&](const PatternToken& t, std::size_t at) -> std::size_t {
    switch (t.kind) {
      case PatternToken::Kind::kLiteral: {
        if (at + t.text.size() > v.size()) return kNoMatch;
        for (std::size_t k = 0; k < t.text.size(); ++k) {
          const char c = fold ? AsciiLower(v[at + k]) : v[at + k];
          if (c != t.text[k]) return kNoMatch;
        }
        return t.text.size();
      }
      case PatternToken::Kind::kAnyChar:
        return at < v.size() ? CodePointLength(v, at) : kNoMatch;
      case PatternToken::Kind::kDash:
        return at < v.size() ? DashLength(v, at) : kNoMatch;
      case PatternToken::Kind::kStar:
        return kNoMatch;  // handled by the caller
    }
    return kNoMatch;
  };

  const std::size_t n = tokens_.size();
  std::size_t ti = 0;
  std::size_t vi = 0;
  std::size_t star_ti = kNoMatch;
  std::size_t star_vi = 0;
  while (true) {
    if (ti < n) {
      const PatternToken& t = tokens_[ti];
      if (t.kind == PatternToken::Kind::kStar) {
        if (ti + 1 == n) return true;  // a trailing star takes the rest
        star_ti = ti;
        star_vi = vi;
        ++ti;
        continue;
      }
      const std::size_t len = match_token(t, vi);
      if (len != kNoMatch) {
        vi += len;
        ++ti;
        continue;
      }
    } else if (vi == v.size()) {
      return true;
    }
    if (star_ti == kNoMatch || star_vi >= v.size()) return false;
    // Let the last star take one more code point and retry the rest.
    ++star_vi;
    while (star_vi < v.size() && IsContinuation(static_cast<unsigned char>(v[star_vi]))) ++star_vi;
    vi = star_vi;
    ti = star_ti + 1;
  }
}

std::vector<std::string> Pattern::Literals() const {
  std::vector<std::string> out;
  for (const auto& t : tokens_) {
    if (t.kind == PatternToken::Kind::kLiteral) out.push_back(t.text);
  }
  return out;
}

std::string Pattern::ToString() const {
  std::string out;
  for (const auto& t : tokens_) {
    switch (t.kind) {
      case PatternToken::Kind::kLiteral:
        for (char c : t.text) {
          if (c == '*' || c == '?' || c == '\\') out.push_back('\\');
          out.push_back(c);
        }
        break;
      case PatternToken::Kind::kStar:
        out.push_back('*');
        break;
      case PatternToken::Kind::kAnyChar:
        out.push_back('?');
        break;
      case PatternToken::Kind::kDash:
        out += "[-/]";
        break;
    }
  }
  return out;
}

}  // namespace ucsc::hunt
