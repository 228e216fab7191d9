// The plan module's part of the demo province (issue 15: "every demo system has a plan — some
// stale, some incomplete — and drills of 2025 and 2026 with findings, so that R3–R5 evaluate
// from them"), registered with capability::Registry::AddDemo.
//
// The seed is deterministic: the systems are taken in the order of their names (then ids) and
// each one's share of the demo follows from its index. Every record is written through the
// module's own operations (NewDraft, SetSection, Submit, ApproveStoredPlan, StartDrill,
// RecordFinding, CloseStoredDrill) at past instants, by an actor of the organisation's manager
// role (the demo user of that role when the organisation has one), so that the audit trail, the
// R3/R4 evidence of each approval, the R5 evidence of each live-fire drill and the R6 task pairs
// of its findings are the ones the module writes in use. Nothing is dated after the clock's now.
//
// Plans, by system index i (mod 12):
//   0       no plan                                         R3/R4 overdue
//   1, 2    an incomplete draft (R4 sections blank)         R3/R4 overdue
//   3, 4, 5 approved before 31/12/2022, current             ok
//   6       approved 2022, stale: a /public_endpoints change in March 2026          overdue
//   7       approved 2022, stale: a /public_endpoints change in November 2026       due soon
//   8       approved v1 in 2022, v2 draft in 2026 (v1 in force)                     ok
//   9       approved v1 in 2022, a change in May 2025, v2 approved 25 days later    ok
//   10      approved late, in March 2023                                            ok
//   11      approved 2022, a change in June 2026, v2 draft not yet approved         overdue
// Drills, by index j of the level ≥ 3 systems (mod 5):
//   0, 1    live-fire drills closed in 2025 and in 2026              R5 ok
//   2, 4    a live-fire drill closed in 2025 only                    R5 due soon for 2026
//   3       a live-fire drill closed in 2024 only                    R5 overdue (2025 missed)
// and, for j = 4, a live-fire drill planned for 20/12/2026; for j = 9, a tabletop exercise closed
// in 2026 (R25: no R5 evidence).
//
// Thread-safety: runs on the caller's thread, one store transaction per plan or drill.
#pragma once

#include <string>
#include <vector>

#include "capability/module.h"
#include "core/result.h"
#include "plan/outline.h"

namespace ucsc::plan {

// The evidence types the seed records ("ir_plan", "ir_plan_content", "drill_report").
const std::vector<std::string>& DemoEvidenceTypes();

// Seeds plans and drills over env.systems as above. Errors: kInternal when an outline for a
// system's level is not in `outlines`; the module's and the store's.
[[nodiscard]] core::Status SeedDemo(const capability::DemoEnv& env,
                                    const std::vector<Outline>& outlines);

}  // namespace ucsc::plan
