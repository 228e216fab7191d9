#include <array>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "hunt/event.h"
#include "hunt/internal/ioc_common.h"
#include "hunt/ioc.h"

namespace ucsc::hunt {
namespace {

using internal::IEquals;
using internal::Invalid;
using internal::IsAlpha;
using internal::IsDigit;
using internal::Quote;

}  // namespace

// ---------------------------------------------------------------------------------------------
// STIX patterning (the subset described in ioc.h).

namespace {

struct Token {
  enum class Kind {
    kEnd,
    kWord,
    kString,
    kNumber,
    kOther,
    kLBracket,
    kRBracket,
    kLParen,
    kRParen,
    kComma,
    kOp
  };
  Kind kind = Kind::kEnd;
  std::string text;  // word (upper-cased for keywords compare), string contents, operator
};

class StixParser {
 public:
  explicit StixParser(std::string_view text) : text_(text) {}

  // pattern := obs_or
  core::Result<std::vector<std::vector<IocTerm>>> Parse() {
    auto r = ObsOr(0);
    if (!r) return r;
    if (Peek().kind != Token::Kind::kEnd) {
      return Invalid("unexpected " + Describe(Peek()) + " after the pattern");
    }
    return r;
  }

 private:
  using Dnf = std::vector<std::vector<IocTerm>>;
  static constexpr int kMaxDepth = 64;
  // Alternatives of a pattern (long IN lists are fine), and of one AND distributed over ORs.
  static constexpr std::size_t kMaxAlternatives = 100000;
  static constexpr std::size_t kMaxProduct = 4096;

  [[nodiscard]] std::string Describe(const Token& t) const {
    switch (t.kind) {
      case Token::Kind::kEnd:
        return "end of pattern";
      case Token::Kind::kString:
        return "string " + Quote(t.text);
      default:
        return "'" + t.text.substr(0, 40) + "'";
    }
  }

  const Token& Peek() {
    if (!peeked_) {
      next_ = Lex();
      peeked_ = true;
    }
    return next_;
  }
  Token Take() {
    Peek();
    peeked_ = false;
    return std::move(next_);
  }
  [[nodiscard]] bool IsWord(const Token& t, std::string_view w) const {
    return t.kind == Token::Kind::kWord && IEquals(t.text, w);
  }

  Token Lex() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\n' || text_[pos_] == '\r')) {
      ++pos_;
    }
    Token t;
    if (pos_ >= text_.size()) return t;
    const char c = text_[pos_];
    auto one = [&](Token::Kind k) {
      t.kind = k;
      t.text = std::string(1, c);
      ++pos_;
      return t;
    };
    switch (c) {
      case '[':
        return one(Token::Kind::kLBracket);
      case ']':
        return one(Token::Kind::kRBracket);
      case '(':
        return one(Token::Kind::kLParen);
      case ')':
        return one(Token::Kind::kRParen);
      case ',':
        return one(Token::Kind::kComma);
      default:
        break;
    }
    if (c == '\'') {
      ++pos_;
      t.kind = Token::Kind::kString;
      while (pos_ < text_.size() && text_[pos_] != '\'') {
        if (text_[pos_] == '\\' && pos_ + 1 < text_.size() &&
            (text_[pos_ + 1] == '\'' || text_[pos_ + 1] == '\\')) {
          ++pos_;
        }
        t.text.push_back(text_[pos_++]);
      }
      if (pos_ >= text_.size()) {
        t.kind = Token::Kind::kOther;
        t.text = "unterminated string";
        return t;
      }
      ++pos_;
      return t;
    }
    if (c == '=' || c == '!' || c == '<' || c == '>') {
      t.kind = Token::Kind::kOp;
      t.text.push_back(c);
      ++pos_;
      if (pos_ < text_.size() && text_[pos_] == '=') t.text.push_back(text_[pos_++]);
      if (t.text == "<" && pos_ < text_.size() && text_[pos_] == '>')
        t.text.push_back(text_[pos_++]);
      return t;
    }
    if (IsDigit(c) || c == '-' || c == '+') {
      t.kind = Token::Kind::kNumber;
      while (pos_ < text_.size() && (IsDigit(text_[pos_]) || text_[pos_] == '.' ||
                                     text_[pos_] == '-' || text_[pos_] == '+')) {
        t.text.push_back(text_[pos_++]);
      }
      return t;
    }
    // Words: keywords and object paths (type:prop.sub, with quoted components and [*] / [0]).
    if (IsAlpha(c) || c == '_') {
      t.kind = Token::Kind::kWord;
      while (pos_ < text_.size()) {
        const char d = text_[pos_];
        if (IsAlpha(d) || IsDigit(d) || d == '_' || d == '-' || d == ':' || d == '.') {
          t.text.push_back(d);
          ++pos_;
        } else if (d == '\'' && !t.text.empty() && t.text.back() == '.') {
          // A quoted path component: hashes.'SHA-256'.
          const std::size_t end = text_.find('\'', pos_ + 1);
          if (end == std::string_view::npos) break;
          t.text.append(text_.substr(pos_, end - pos_ + 1));
          pos_ = end + 1;
        } else if (d == '[' && t.text.find(':') != std::string::npos) {
          // A list index in a path: to_refs[*].value, values[0].name
          const std::size_t end = text_.find(']', pos_);
          if (end == std::string_view::npos || end - pos_ > 12) break;
          t.text.append(text_.substr(pos_, end - pos_ + 1));
          pos_ = end + 1;
        } else {
          break;
        }
      }
      // h'..', b'..', t'..' constants.
      if (t.text.size() == 1 && pos_ < text_.size() && text_[pos_] == '\'') {
        const std::size_t end = text_.find('\'', pos_ + 1);
        t.kind = Token::Kind::kOther;
        t.text += "'…'";
        pos_ = end == std::string_view::npos ? text_.size() : end + 1;
      }
      return t;
    }
    t.kind = Token::Kind::kOther;
    t.text = std::string(1, c);
    ++pos_;
    return t;
  }

  static core::Result<Dnf> Or(Dnf a, Dnf b) {
    a.insert(a.end(), std::make_move_iterator(b.begin()), std::make_move_iterator(b.end()));
    if (a.size() > kMaxAlternatives) {
      return Invalid("pattern too large (more than 100,000 alternatives)");
    }
    return a;
  }
  static core::Result<Dnf> And(const Dnf& a, const Dnf& b) {
    if (a.size() * b.size() > kMaxProduct) {
      return Invalid("pattern too large (an AND of ORs with more than 4,096 combinations)");
    }
    Dnf out;
    for (const auto& x : a) {
      for (const auto& y : b) {
        std::vector<IocTerm> t = x;
        t.insert(t.end(), y.begin(), y.end());
        if (t.size() > 32) return Invalid("pattern too large (more than 32 comparisons in an AND)");
        out.push_back(std::move(t));
      }
    }
    return out;
  }

  // Observation expressions.
  core::Result<Dnf> ObsOr(int depth) {
    if (depth > kMaxDepth) return Invalid("pattern nested too deeply");
    auto left = ObsAnd(depth);
    if (!left) return left;
    while (IsWord(Peek(), "OR")) {
      Take();
      auto right = ObsAnd(depth);
      if (!right) return right;
      auto merged = Or(std::move(*left), std::move(*right));
      if (!merged) return merged;
      left = std::move(merged);
    }
    return left;
  }
  core::Result<Dnf> ObsAnd(int depth) {
    auto left = ObsAtom(depth);
    if (!left) return left;
    if (IsWord(Peek(), "AND")) {
      return Invalid(
          "AND between observation expressions ([…] AND […]) needs two events; not supported");
    }
    if (IsWord(Peek(), "FOLLOWEDBY")) return Invalid("FOLLOWEDBY is not supported");
    return left;
  }
  core::Result<Dnf> ObsAtom(int depth) {
    Dnf result;
    const Token t = Take();
    if (t.kind == Token::Kind::kLBracket) {
      auto inner = CompOr(depth + 1);
      if (!inner) return inner;
      if (Take().kind != Token::Kind::kRBracket) return Invalid("missing ] after a comparison");
      result = std::move(*inner);
    } else if (t.kind == Token::Kind::kLParen) {
      auto inner = ObsOr(depth + 1);
      if (!inner) return inner;
      if (Take().kind != Token::Kind::kRParen) return Invalid("missing ) in the pattern");
      result = std::move(*inner);
    } else {
      return Invalid("expected [ or ( but found " + Describe(t));
    }
    for (std::string_view q : {"WITHIN", "REPEATS", "START", "STOP"}) {
      if (IsWord(Peek(), q)) {
        return Invalid("qualifier " + std::string(q) + " is not supported");
      }
    }
    return result;
  }

  // Comparison expressions inside [...].
  core::Result<Dnf> CompOr(int depth) {
    if (depth > kMaxDepth) return Invalid("pattern nested too deeply");
    auto left = CompAnd(depth);
    if (!left) return left;
    while (IsWord(Peek(), "OR")) {
      Take();
      auto right = CompAnd(depth);
      if (!right) return right;
      auto merged = Or(std::move(*left), std::move(*right));
      if (!merged) return merged;
      left = std::move(merged);
    }
    return left;
  }
  core::Result<Dnf> CompAnd(int depth) {
    auto left = CompAtom(depth);
    if (!left) return left;
    while (IsWord(Peek(), "AND")) {
      Take();
      auto right = CompAtom(depth);
      if (!right) return right;
      auto merged = And(*left, *right);
      if (!merged) return merged;
      left = std::move(merged);
    }
    return left;
  }
  core::Result<Dnf> CompAtom(int depth) {
    if (Peek().kind == Token::Kind::kLParen) {
      Take();
      auto inner = CompOr(depth + 1);
      if (!inner) return inner;
      if (Take().kind != Token::Kind::kRParen) return Invalid("missing ) in a comparison");
      return inner;
    }
    const Token path = Take();
    if (path.kind != Token::Kind::kWord || path.text.find(':') == std::string::npos) {
      return Invalid("expected an object path (type:property) but found " + Describe(path));
    }
    auto type = PathType(path.text);
    if (!type) return tl::unexpected(type.error());
    Token op = Take();
    if (IsWord(op, "NOT")) return Invalid("NOT is not supported");
    if (op.kind == Token::Kind::kOp) {
      if (op.text != "=") return Invalid("operator " + op.text + " is not supported");
      return Single(*type, IocOp::kEquals, Take(), path.text);
    }
    if (IsWord(op, "LIKE")) return Single(*type, IocOp::kLike, Take(), path.text);
    if (IsWord(op, "MATCHES")) return Single(*type, IocOp::kMatches, Take(), path.text);
    if (IsWord(op, "ISSUBSET")) {
      if (*type != IocType::kIpv4 && *type != IocType::kIpv6 && *type != IocType::kCidr) {
        return Invalid("ISSUBSET is supported for IP addresses only");
      }
      return Single(IocType::kCidr, IocOp::kEquals, Take(), path.text);
    }
    if (IsWord(op, "IN")) {
      if (Take().kind != Token::Kind::kLParen) return Invalid("expected ( after IN");
      Dnf out;
      while (true) {
        auto one = Single(*type, IocOp::kEquals, Take(), path.text);
        if (!one) return one;
        auto merged = Or(std::move(out), std::move(*one));
        if (!merged) return merged;
        out = std::move(*merged);
        const Token sep = Take();
        if (sep.kind == Token::Kind::kRParen) break;
        if (sep.kind != Token::Kind::kComma) return Invalid("expected , or ) in an IN list");
      }
      return out;
    }
    return Invalid("operator " + Describe(op) + " is not supported");
  }

  core::Result<Dnf> Single(IocType type, IocOp op, const Token& value, const std::string& path) {
    if (value.kind != Token::Kind::kString) {
      return Invalid("expected a string constant for " + path + " but found " + Describe(value));
    }
    core::Result<IocTerm> term;
    if (op == IocOp::kLike || op == IocOp::kMatches) {
      if (value.text.empty() || value.text.size() > 4096) return Invalid("empty or long pattern");
      if (op == IocOp::kMatches) {
        RE2 re(value.text, RE2::Quiet);
        if (!re.ok()) return Invalid("bad regular expression: " + re.error());
      }
      IocTerm t;
      t.type = type;
      t.op = op;
      // File names given with a path are paths.
      if (type == IocType::kFileName && op == IocOp::kLike &&
          (value.text.find('\\') != std::string::npos)) {
        t.type = IocType::kFilePath;
      }
      t.value = value.text;
      term = t;
    } else if (type == IocType::kIpv4 || type == IocType::kIpv6) {
      // STIX addresses may carry a prefix: '198.51.100.0/24', '203.0.113.33/32'.
      term = DetectIoc(value.text);
      if (!term || (term->type != IocType::kIpv4 && term->type != IocType::kIpv6 &&
                    term->type != IocType::kCidr)) {
        return Invalid(Quote(value.text) + " is no IP address for " + path);
      }
    } else if (type == IocType::kCidr) {
      term = DetectIoc(value.text);
      if (!term || (term->type != IocType::kCidr && term->type != IocType::kIpv4 &&
                    term->type != IocType::kIpv6)) {
        return Invalid(Quote(value.text) + " is no IP network for " + path);
      }
    } else if (type == IocType::kFileName && (value.text.find('\\') != std::string::npos ||
                                              value.text.find('/') != std::string::npos)) {
      term = NormalizeIoc(IocType::kFilePath, value.text);
    } else if (type == IocType::kUrl) {
      term = NormalizeIoc(type, Refang(value.text));
    } else {
      term = NormalizeIoc(type, value.text);
    }
    if (!term) return Invalid(path + ": " + term.error().message);
    return Dnf{{std::move(*term)}};
  }

  // Object paths the sweep knows how to look for in events.
  static core::Result<IocType> PathType(const std::string& path) {
    std::string p;
    for (char c : path) {
      if (c != '\'') p.push_back(AsciiLower(c));
    }
    // [n] and [*] list indices do not change the meaning here.
    std::string q;
    for (std::size_t i = 0; i < p.size(); ++i) {
      if (p[i] == '[') {
        const std::size_t end = p.find(']', i);
        if (end == std::string::npos) break;
        i = end;
        continue;
      }
      q.push_back(p[i]);
    }
    struct PathMap {
      std::string_view path;
      IocType type;
    };
    static constexpr auto kPaths = std::to_array<PathMap>({
        {"ipv4-addr:value", IocType::kIpv4},
        {"ipv6-addr:value", IocType::kIpv6},
        {"network-traffic:src_ref.value", IocType::kIpv4},
        {"network-traffic:dst_ref.value", IocType::kIpv4},
        {"domain-name:value", IocType::kDomain},
        {"url:value", IocType::kUrl},
        {"email-addr:value", IocType::kEmail},
        {"email-message:from_ref.value", IocType::kEmail},
        {"email-message:sender_ref.value", IocType::kEmail},
        {"email-message:to_refs.value", IocType::kEmail},
        {"email-message:cc_refs.value", IocType::kEmail},
        {"file:name", IocType::kFileName},
        {"file:hashes.md5", IocType::kMd5},
        {"file:hashes.sha-1", IocType::kSha1},
        {"file:hashes.sha1", IocType::kSha1},
        {"file:hashes.sha-256", IocType::kSha256},
        {"file:hashes.sha256", IocType::kSha256},
        {"file:hashes.sha-512", IocType::kSha512},
        {"file:hashes.sha512", IocType::kSha512},
        {"file:extensions.windows-pebinary-ext.imphash", IocType::kImphash},
        {"file:parent_directory_ref.path", IocType::kFilePath},
        {"directory:path", IocType::kFilePath},
        {"windows-registry-key:key", IocType::kRegistry},
        {"process:name", IocType::kFileName},
        {"process:command_line", IocType::kCommandLine},
        {"process:binary_ref.name", IocType::kFileName},
        {"process:image_ref.name", IocType::kFileName},
        {"process:binary_ref.hashes.md5", IocType::kMd5},
        {"process:image_ref.hashes.md5", IocType::kMd5},
        {"process:binary_ref.hashes.sha-1", IocType::kSha1},
        {"process:image_ref.hashes.sha-1", IocType::kSha1},
        {"process:binary_ref.hashes.sha-256", IocType::kSha256},
        {"process:image_ref.hashes.sha-256", IocType::kSha256},
        {"process:binary_ref.hashes.sha256", IocType::kSha256},
        {"process:image_ref.hashes.sha256", IocType::kSha256},
        {"process:binary_ref.hashes.sha-512", IocType::kSha512},
        {"process:image_ref.hashes.sha-512", IocType::kSha512},
    });
    for (const auto& m : kPaths) {
      if (m.path == q) return m.type;
    }
    return Invalid("object path " + path + " is not supported");
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  Token next_;
  bool peeked_ = false;
};

}  // namespace

core::Result<std::vector<std::vector<IocTerm>>> ParseStixPattern(std::string_view pattern) {
  if (pattern.size() > 65536) return Invalid("pattern longer than 64 KiB");
  StixParser p(pattern);
  return p.Parse();
}

}  // namespace ucsc::hunt
