// Synthetic evidence histories for the demo province and the benchmarks: for each (rule,
// subject) pair in force on `anchor`, a regular record of evidence from the rule's start that
// ends so that, evaluated at the end of `anchor`, the pair is ok, due soon or overdue in the
// proportions asked. No evidence is dated after `latest` (the day the history is written).
// Thread-safety: pure function.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "compliance/evaluate.h"
#include "core/ids.h"
#include "store/store.h"

namespace ucsc::compliance {

struct HistoryMix {
  int ok_percent = 30;
  int due_soon_percent = 50;  // the rest is overdue
  uint64_t seed = 18;
  // Evidence types the history leaves out, because a module seeds them itself from its own
  // records (the plan module's ir_plan, ir_plan_content and drill_report, R3–R5): a rule takes
  // the first of its evidence types not listed here, and is left out when there is none.
  std::vector<std::string> skip_types;
};

// Returns evidence facts (ids empty: the caller assigns ids and stores them).
std::vector<EvidenceFact> GenerateHistory(const RuleSet& rules, const Facts& facts,
                                          core::LocalDate anchor, core::LocalDate latest,
                                          const HistoryMix& mix);

// Stores a generated history as evidence records (titled by type and date; accepted, or pending
// review when dated within 30 days of `now`), in batches. `facts` gives each system's owner.
// Returns the number written. Errors: the store's.
[[nodiscard]] core::Result<int64_t> WriteHistory(store::Store& store,
                                                 const std::vector<EvidenceFact>& history,
                                                 const Facts& facts, const core::IdGenerator& ids,
                                                 core::Instant now, const std::string& actor);

}  // namespace ucsc::compliance
