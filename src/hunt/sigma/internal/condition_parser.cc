#include "hunt/sigma/internal/condition_parser.h"

#include <cctype>

namespace ucsc::hunt::internal {
namespace {

constexpr int kMaxDepth = 64;
constexpr std::size_t kMaxTokens = 4096;

struct Token {
  enum class Kind { kLParen, kRParen, kWord, kEnd };
  Kind kind = Kind::kEnd;
  std::string text;
  std::size_t pos = 0;
};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool GlobMatch(std::string_view pattern, std::string_view name) {
  // Only `*` is a wildcard in identifier patterns.
  std::size_t p = 0, n = 0, star = std::string_view::npos, mark = 0;
  while (n < name.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = n;
    } else if (p < pattern.size() && pattern[p] == name[n]) {
      ++p;
      ++n;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      n = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

class Parser {
 public:
  Parser(std::vector<Token> tokens, const std::vector<std::string>& names)
      : tokens_(std::move(tokens)), names_(names) {}

  core::Result<Condition> Parse() {
    auto c = ParseOr(0);
    if (!c) return c;
    if (Peek().kind != Token::Kind::kEnd) {
      return Fail("unexpected '" + Peek().text + "'");
    }
    return c;
  }

 private:
  const Token& Peek() const { return tokens_[pos_]; }
  Token Next() { return tokens_[pos_ < tokens_.size() - 1 ? pos_++ : pos_]; }
  bool PeekWord(std::string_view w) const {
    return Peek().kind == Token::Kind::kWord && Lower(Peek().text) == w;
  }
  tl::unexpected<core::Error> Fail(const std::string& why) const {
    return core::InvalidArgument(why + " at offset " + std::to_string(Peek().pos));
  }

  core::Result<Condition> ParseOr(int depth) {
    if (depth > kMaxDepth) return Fail("condition nested too deeply");
    auto left = ParseAnd(depth);
    if (!left) return left;
    if (!PeekWord("or")) return left;
    Condition node;
    node.kind = Condition::Kind::kOr;
    node.children.push_back(std::move(*left));
    while (PeekWord("or")) {
      Next();
      auto right = ParseAnd(depth);
      if (!right) return right;
      node.children.push_back(std::move(*right));
    }
    return node;
  }

  core::Result<Condition> ParseAnd(int depth) {
    auto left = ParseNot(depth);
    if (!left) return left;
    if (!PeekWord("and")) return left;
    Condition node;
    node.kind = Condition::Kind::kAnd;
    node.children.push_back(std::move(*left));
    while (PeekWord("and")) {
      Next();
      auto right = ParseNot(depth);
      if (!right) return right;
      node.children.push_back(std::move(*right));
    }
    return node;
  }

  core::Result<Condition> ParseNot(int depth) {
    if (depth > kMaxDepth) return Fail("condition nested too deeply");
    if (PeekWord("not")) {
      Next();
      auto inner = ParseNot(depth + 1);
      if (!inner) return inner;
      Condition node;
      node.kind = Condition::Kind::kNot;
      node.children.push_back(std::move(*inner));
      return node;
    }
    return ParsePrimary(depth);
  }

  core::Result<Condition> ParsePrimary(int depth) {
    const Token t = Peek();
    if (t.kind == Token::Kind::kLParen) {
      Next();
      auto inner = ParseOr(depth + 1);
      if (!inner) return inner;
      if (Peek().kind != Token::Kind::kRParen) return Fail("missing ')'");
      Next();
      return inner;
    }
    if (t.kind == Token::Kind::kRParen) return Fail("unexpected ')'");
    if (t.kind == Token::Kind::kEnd) return Fail("unexpected end of condition");
    const std::string word = Lower(t.text);
    if (word == "and" || word == "or" || word == "of" || word == "them") {
      return Fail("unexpected '" + t.text + "'");
    }
    const bool quantifier = word == "all" || word == "1" || word == "any" ||
                            (!word.empty() && std::isdigit(static_cast<unsigned char>(word[0])));
    if (quantifier && pos_ + 1 < tokens_.size() && tokens_[pos_ + 1].kind == Token::Kind::kWord &&
        Lower(tokens_[pos_ + 1].text) == "of") {
      if (word != "all" && word != "1" && word != "any") {
        return Fail("only '1 of' and 'all of' are allowed, not '" + t.text + " of'");
      }
      Next();
      Next();
      if (Peek().kind != Token::Kind::kWord) return Fail("'of' needs a pattern or 'them'");
      const Token target = Next();
      std::vector<int> matched;
      const bool them = Lower(target.text) == "them";
      for (std::size_t i = 0; i < names_.size(); ++i) {
        if (them ? names_[i].rfind('_', 0) != 0 : GlobMatch(target.text, names_[i])) {
          matched.push_back(static_cast<int>(i));
        }
      }
      if (matched.empty()) {
        return core::InvalidArgument("'" + t.text + " of " + target.text +
                                     "' matches no search identifier");
      }
      Condition node;
      node.kind = word == "all" ? Condition::Kind::kAnd : Condition::Kind::kOr;
      for (int idx : matched) {
        Condition ref;
        ref.kind = Condition::Kind::kRef;
        ref.selection = idx;
        node.children.push_back(std::move(ref));
      }
      if (node.children.size() == 1) return std::move(node.children[0]);
      return node;
    }
    Next();
    for (std::size_t i = 0; i < names_.size(); ++i) {
      if (names_[i] == t.text) {
        Condition ref;
        ref.kind = Condition::Kind::kRef;
        ref.selection = static_cast<int>(i);
        return ref;
      }
    }
    return core::InvalidArgument("unknown search identifier '" + t.text + "'");
  }

  std::vector<Token> tokens_;
  const std::vector<std::string>& names_;
  std::size_t pos_ = 0;
};

}  // namespace

core::Result<Condition> ParseConditionText(std::string_view text,
                                           const std::vector<std::string>& names) {
  std::vector<Token> tokens;
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++i;
    } else if (c == '(' || c == ')') {
      tokens.push_back(
          {c == '(' ? Token::Kind::kLParen : Token::Kind::kRParen, std::string(1, c), i});
      ++i;
    } else if (c == '|') {
      return core::InvalidArgument(
          "aggregation expressions ('| count() ...') were removed in Sigma 2.0; use a correlation "
          "rule");
    } else {
      const std::size_t start = i;
      while (i < text.size() && text[i] != ' ' && text[i] != '\t' && text[i] != '\n' &&
             text[i] != '\r' && text[i] != '(' && text[i] != ')' && text[i] != '|') {
        ++i;
      }
      tokens.push_back({Token::Kind::kWord, std::string(text.substr(start, i - start)), start});
    }
    if (tokens.size() > kMaxTokens) return core::InvalidArgument("condition too long");
  }
  if (tokens.empty()) return core::InvalidArgument("empty condition");
  tokens.push_back({Token::Kind::kEnd, "", text.size()});
  return Parser(std::move(tokens), names).Parse();
}

}  // namespace ucsc::hunt::internal
