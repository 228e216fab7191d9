// Loads the facts compliance evaluation reads from the store, set-wise: a few queries in all,
// never one per subject. Thread-safety: call inside the caller's transaction.
#pragma once

#include "compliance/evaluate.h"
#include "core/result.h"
#include "store/store.h"

namespace ucsc::compliance {

// Calls fn on every row of `repo` (unscoped) that passes `filters` (column -> exact value),
// reading pages of 500. Errors: the store's.
template <class T, class Fn>
[[nodiscard]] core::Status ForAll(store::EntityRepo<T>& repo,
                                  std::vector<std::pair<std::string, std::string>> filters,
                                  const Fn& fn) {
  store::ListQuery q;
  q.limit = 500;
  q.filters = std::move(filters);
  for (;;) {
    UCSC_ASSIGN_OR_RETURN(auto page, repo.List(q));
    for (auto& item : page.items) fn(item);
    if (!page.more) return core::Ok();
    q.after_key = page.last_key;
    q.after_id = page.last_id;
  }
}

template <class T, class Fn>
[[nodiscard]] core::Status ForAll(store::EntityRepo<T>& repo, const Fn& fn) {
  return ForAll(repo, {}, fn);
}

// Organisations, systems (with level history), evidence key columns, system changes,
// exploitable findings (R6 triggers) and hunt tasks (R6 evidence), and the IR-team size, enough to
// evaluate at any instant from `earliest` on (evidence older than about two years before it is read
// only as the latest per subject and type). Errors: the store's.
[[nodiscard]] core::Result<Facts> LoadFacts(store::Tx& tx, core::Instant earliest);

// Converts one stored evidence record to the evaluator's form. Errors: kInvalidArgument for a
// bad date, subject kind or type (the API validates before storing, so only a corrupt row fails).
[[nodiscard]] core::Result<EvidenceFact> ToFact(store::EvidenceRow&& row);

}  // namespace ucsc::compliance
