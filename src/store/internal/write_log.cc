#include "store/internal/write_log.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace ucsc::store::internal {
namespace {

// A cursor over SQL text that skips blanks and comments between words.
class Words {
 public:
  explicit Words(std::string_view sql) : s_(sql) {}

  // The next word (letters, digits, '_', '.', quotes dropped), lower-cased; "" at the end or
  // before punctuation.
  std::string Next() {
    SkipBlanks();
    std::string w;
    while (i_ < s_.size()) {
      const auto c = static_cast<unsigned char>(s_[i_]);
      if (c == '"' || c == '`') {
        ++i_;
        continue;
      }
      if (!std::isalnum(c) && c != '_' && c != '.') break;
      w += static_cast<char>(std::tolower(c));
      ++i_;
    }
    return w;
  }

 private:
  void SkipBlanks() {
    while (i_ < s_.size()) {
      if (std::isspace(static_cast<unsigned char>(s_[i_]))) {
        ++i_;
      } else if (s_.compare(i_, 2, "--") == 0) {
        while (i_ < s_.size() && s_[i_] != '\n') ++i_;
      } else if (s_.compare(i_, 2, "/*") == 0) {
        const auto end = s_.find("*/", i_ + 2);
        i_ = end == std::string_view::npos ? s_.size() : end + 2;
      } else {
        return;
      }
    }
  }

  std::string_view s_;
  size_t i_ = 0;
};

// "main.systems" → "systems"; "" stays "" (and is reported as unknown by the caller).
std::string Unqualified(const std::string& name) {
  const auto dot = name.rfind('.');
  return dot == std::string::npos ? name : name.substr(dot + 1);
}

std::string TableOrUnknown(const std::string& name) {
  std::string table = Unqualified(name);
  return table.empty() ? "*" : table;
}

}  // namespace

std::string WrittenTable(std::string_view sql) {
  Words words(sql);
  const std::string first = words.Next();
  if (first == "insert" || first == "replace") {
    std::string w = words.Next();
    if (w == "or") {  // SQLite: INSERT OR REPLACE / OR IGNORE …
      words.Next();
      w = words.Next();
    }
    return w == "into" ? TableOrUnknown(words.Next()) : "*";
  }
  if (first == "update") {
    std::string w = words.Next();
    if (w == "or") {
      words.Next();
      w = words.Next();
    }
    if (w == "only") w = words.Next();  // PostgreSQL: UPDATE ONLY t
    return TableOrUnknown(w);
  }
  if (first == "delete") {
    if (words.Next() != "from") return "*";
    std::string w = words.Next();
    if (w == "only") w = words.Next();
    return TableOrUnknown(w);
  }
  // Statements that change no table's rows.
  static constexpr std::array<std::string_view, 16> kReads = {
      "select", "pragma", "lock",    "begin",  "commit",  "rollback", "savepoint", "release",
      "set",    "show",   "explain", "values", "analyze", "vacuum",   "end",       "checkpoint"};
  if (first.empty()) return "*";
  if (std::find(kReads.begin(), kReads.end(), first) != kReads.end()) return "";
  return "*";
}

void WriteLog::Committed(const std::set<std::string, std::less<>>& tables) {
  if (tables.empty()) return;
  std::lock_guard lock(mu_);
  const uint64_t seq = seq_.load(std::memory_order_relaxed) + 1;
  for (const auto& t : tables) last_[t] = seq;
  seq_.store(seq, std::memory_order_release);
}

uint64_t WriteLog::LastWrite(std::span<const std::string_view> tables) const {
  std::lock_guard lock(mu_);
  uint64_t last = 0;
  auto at = [&](std::string_view t) {
    auto it = last_.find(t);
    if (it != last_.end()) last = std::max(last, it->second);
  };
  at("*");
  for (auto t : tables) at(t);
  return last;
}

void RecordingConnection::Note(std::string_view sql) {
  std::string t = WrittenTable(sql);
  if (!t.empty()) written_.insert(std::move(t));
}

core::Result<std::vector<SqlRow>> RecordingConnection::Query(std::string_view sql,
                                                             std::span<const SqlParam> params) {
  auto rows = inner_.Query(sql, params);
  if (rows) Note(sql);  // INSERT … RETURNING, UPDATE … RETURNING
  return rows;
}

core::Result<int64_t> RecordingConnection::Exec(std::string_view sql,
                                                std::span<const SqlParam> params) {
  auto n = inner_.Exec(sql, params);
  if (n && *n > 0) Note(sql);
  return n;
}

core::Status RecordingConnection::ExecScript(std::string_view sql) {
  auto st = inner_.ExecScript(sql);
  written_.insert("*");  // a script may write anything
  return st;
}

}  // namespace ucsc::store::internal
