#include "compliance/internal/evaluation_cache.h"

#include "compliance/facts.h"

namespace ucsc::compliance::internal {

core::Result<std::shared_ptr<const CachedEvaluation>> EvaluateNow(
    store::Tx& tx, const std::shared_ptr<const RuleSet>& rules, core::Instant at) {
  auto out = std::make_shared<CachedEvaluation>();
  out->rules = rules;
  out->day = core::LocalDateOf(at);
  // Before the facts: a write that lands between the two makes the entry look stale, never fresh.
  UCSC_ASSIGN_OR_RETURN(out->fingerprint, FactsFingerprint(tx));
  UCSC_ASSIGN_OR_RETURN(auto facts, LoadFacts(tx, at));
  {
    Evaluator ev(*rules, facts);
    out->rows = ev.EvaluateAll(at);
  }
  for (auto& o : facts.orgs) out->org_names.emplace(std::move(o.id), std::move(o.name));
  return std::shared_ptr<const CachedEvaluation>(std::move(out));
}

std::pair<std::shared_ptr<const CachedEvaluation>, EvaluationCache::Found> EvaluationCache::Lookup(
    const RuleSet* rules, core::LocalDate day, const std::optional<uint64_t>& version) {
  std::lock_guard lock(mu_);
  if (!version || !entry_ || entry_->version != *version || entry_->value->rules.get() != rules ||
      entry_->value->day != day) {
    return {nullptr, Found::kNone};
  }
  if (clock_.Now() - entry_->made >= ttl_) return {entry_->value, Found::kExpired};
  ++counters_.hits;
  return {entry_->value, Found::kFresh};
}

core::Result<std::shared_ptr<const CachedEvaluation>> EvaluationCache::Get(
    store::Tx& tx, const std::shared_ptr<const RuleSet>& rules, core::Instant at) {
  const core::LocalDate day = core::LocalDateOf(at);
  // Only today's evaluation is kept: the dashboard's; ?at= for another day is rarer and would
  // evict it.
  const bool today = day == core::LocalDateOf(clock_.Now());
  const auto version = today ? tx.DataVersion(kFactTables) : std::nullopt;
  if (auto [hit, found] = Lookup(rules.get(), day, version); found == Found::kFresh) return hit;
  if (!version) {
    {
      std::lock_guard lock(mu_);
      ++counters_.misses;
    }
    return EvaluateNow(tx, rules, at);
  }
  // One evaluation at a time: the requests that queued behind it find its result.
  std::lock_guard evaluating(evaluate_mu_);
  auto [entry, found] = Lookup(rules.get(), day, version);
  if (found == Found::kFresh) return entry;
  if (found == Found::kExpired) {
    UCSC_ASSIGN_OR_RETURN(auto fingerprint, FactsFingerprint(tx));
    if (fingerprint == entry->fingerprint) {
      std::lock_guard lock(mu_);
      ++counters_.renewed;
      if (entry_ && entry_->value == entry) entry_->made = clock_.Now();
      return entry;
    }
  }
  const core::Instant now = clock_.Now();
  UCSC_ASSIGN_OR_RETURN(auto value, EvaluateNow(tx, rules, at));
  // Kept only if no write to the fact tables committed while it was made (the version is then
  // still this transaction's view).
  const auto after = tx.DataVersion(kFactTables);
  std::lock_guard lock(mu_);
  ++counters_.misses;
  if (after && *after == *version) entry_ = Entry{value, *version, now};
  return value;
}

EvaluationCache::Counters EvaluationCache::counters() const {
  std::lock_guard lock(mu_);
  return counters_;
}

}  // namespace ucsc::compliance::internal
