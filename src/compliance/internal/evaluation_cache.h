// The evaluation of every (rule, subject) pair, kept between requests. With 100,000 systems one
// evaluation is about a million pairs and takes seconds (loading the facts most of it); the
// dashboard asks for it several times per page. The cache holds the last evaluation of today and
// answers from it while the fact tables are unchanged (store::Tx::DataVersion) and the rule set is
// the same. Another process's writes (a `ucsc import` on the same database) are not in the data
// version: once an entry is older than the TTL, a cheap fingerprint of the fact tables (row
// counts, latest change times) decides whether it is kept for another TTL or evaluated anew.
//
// Thread-safety: thread-safe. Concurrent misses are serialised, so that a burst of requests after
// a change evaluates once, not once per request.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "compliance/evaluate.h"
#include "core/clock.h"
#include "core/result.h"
#include "store/store.h"

namespace ucsc::compliance::internal {

// One evaluation: every pair (not filtered by scope, not sorted) and the organisations' names.
struct CachedEvaluation {
  std::shared_ptr<const RuleSet> rules;  // the rows' Rule pointers point into it
  core::LocalDate day;
  std::vector<Status> rows;
  std::map<std::string, std::string, std::less<>> org_names;
  std::string fingerprint;  // FactsFingerprint before the facts were read

  // What `make` derives from this evaluation, made once per `key` (a scorecard per scope and
  // language) and kept as long as the evaluation. `key` must name everything `make` reads
  // besides the evaluation. Thread-safe; `make` runs under a lock.
  template <class T, class Make>
  std::shared_ptr<const T> Memo(const std::string& key, const Make& make) const {
    std::lock_guard lock(memo_mu_);
    if (auto it = memo_.find(key); it != memo_.end()) {
      return std::static_pointer_cast<const T>(it->second);
    }
    if (memo_.size() >= kMaxMemo) memo_.clear();  // many scopes: start over rather than grow
    auto made = std::make_shared<const T>(make());
    memo_.emplace(key, made);
    return made;
  }

 private:
  static constexpr size_t kMaxMemo = 256;
  mutable std::mutex memo_mu_;
  mutable std::map<std::string, std::shared_ptr<const void>> memo_;  // GUARDED_BY(memo_mu_)
};

class EvaluationCache {
 public:
  struct Counters {
    int64_t hits = 0;
    int64_t misses = 0;   // evaluations made
    int64_t renewed = 0;  // past the TTL, but the fingerprint showed no other process's write
  };

  EvaluationCache(const core::Clock& clock, std::chrono::milliseconds ttl)
      : clock_(clock), ttl_(ttl) {}

  // Every pair at `at` evaluated over what `tx` sees: the cached evaluation when it is still
  // valid, else a new one (kept when `at` is on today's date and the version is known).
  // Errors: the store's.
  core::Result<std::shared_ptr<const CachedEvaluation>> Get(
      store::Tx& tx, const std::shared_ptr<const RuleSet>& rules, core::Instant at);

  Counters counters() const;

 private:
  struct Entry {
    std::shared_ptr<const CachedEvaluation> value;
    uint64_t version = 0;
    core::Instant made;
  };
  enum class Found { kNone, kFresh, kExpired };
  // The entry for (rules, day, version), and whether it is within the TTL.
  std::pair<std::shared_ptr<const CachedEvaluation>, Found> Lookup(
      const RuleSet* rules, core::LocalDate day, const std::optional<uint64_t>& version);

  const core::Clock& clock_;
  const std::chrono::milliseconds ttl_;
  std::mutex evaluate_mu_;  // held while evaluating on a miss
  mutable std::mutex mu_;
  std::optional<Entry> entry_;  // GUARDED_BY(mu_)
  Counters counters_;           // GUARDED_BY(mu_)
};

// Evaluates every pair at `at` from `tx` without caching (the history, the CLI).
core::Result<std::shared_ptr<const CachedEvaluation>> EvaluateNow(
    store::Tx& tx, const std::shared_ptr<const RuleSet>& rules, core::Instant at);

}  // namespace ucsc::compliance::internal
