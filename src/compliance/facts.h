// Loads the facts compliance evaluation reads from the store, set-wise: a few queries in all,
// never one per subject. Thread-safety: call inside the caller's transaction.
#pragma once

#include <iterator>
#include <string>
#include <string_view>

#include "compliance/evaluate.h"
#include "core/result.h"
#include "store/for_all.h"
#include "store/store.h"

namespace simdjson::dom {
class parser;
}

namespace ucsc::compliance {

using store::ForAll;

// Organisations, systems (with level history), evidence key columns, system changes,
// exploitable findings (R6 triggers) and hunt tasks (R6 evidence), and the IR-team size, enough to
// evaluate at any instant from `earliest` on (evidence older than about two years before it is read
// only as the latest per subject and type). Errors: the store's.
[[nodiscard]] core::Result<Facts> LoadFacts(store::Tx& tx, core::Instant earliest);

// The tables LoadFacts reads (store::Tx::DataVersion of these keys a cached evaluation). A
// source added to LoadFacts must be added here; facts_test checks each is a table of the store.
inline constexpr std::string_view kFactTables[] = {"organisations",  "systems",  "evidence",
                                                   "change_events",  "findings", "tasks",
                                                   "ir_team_members"};
// The column of each fact table (same order) with the time its row last changed.
inline constexpr std::string_view kFactTableChanged[] = {
    "updated_at", "updated_at", "updated_at", "at", "updated_at", "updated_at", "updated_at"};
static_assert(std::size(kFactTables) == std::size(kFactTableChanged));

// Row count and latest change time of each fact table, as one string: another process's insert,
// update or delete changes it (an update that kept the row's time and a delete plus an insert at
// the same instant would not, which a real clock does not produce). A few milliseconds with
// 100,000 systems. Errors: the store's.
[[nodiscard]] core::Result<std::string> FactsFingerprint(store::Tx& tx);

// One system's facts from its stored document (the API's JSON representation), reading only the
// fields evaluation uses. `parser` is reused between calls. Errors: kInvalidArgument for a
// document that is not a system's (the store writes only valid ones, so only a corrupt row).
[[nodiscard]] core::Result<SystemFacts> SystemFactsFromDoc(simdjson::dom::parser& parser,
                                                           const std::string& doc);

// Converts one stored evidence record to the evaluator's form. Errors: kInvalidArgument for a
// bad date, subject kind or type (the API validates before storing, so only a corrupt row fails).
[[nodiscard]] core::Result<EvidenceFact> ToFact(store::EvidenceRow&& row);

}  // namespace ucsc::compliance
