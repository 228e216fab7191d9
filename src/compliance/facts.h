// Loads the facts compliance evaluation reads from the store, set-wise: a few queries in all,
// never one per subject. Thread-safety: call inside the caller's transaction.
#pragma once

#include "compliance/evaluate.h"
#include "core/result.h"
#include "store/for_all.h"
#include "store/store.h"

namespace ucsc::compliance {

using store::ForAll;

// Organisations, systems (with level history), evidence key columns, system changes,
// exploitable findings (R6 triggers) and hunt tasks (R6 evidence), and the IR-team size, enough to
// evaluate at any instant from `earliest` on (evidence older than about two years before it is read
// only as the latest per subject and type). Errors: the store's.
[[nodiscard]] core::Result<Facts> LoadFacts(store::Tx& tx, core::Instant earliest);

// Converts one stored evidence record to the evaluator's form. Errors: kInvalidArgument for a
// bad date, subject kind or type (the API validates before storing, so only a corrupt row fails).
[[nodiscard]] core::Result<EvidenceFact> ToFact(store::EvidenceRow&& row);

}  // namespace ucsc::compliance
