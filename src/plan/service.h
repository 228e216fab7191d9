// The plan module's transactional operations: each runs inside the caller's transaction (one per
// request or command), so a plan's approval and its R3/R4 evidence, or a drill's closing, its
// remediation and hunt tasks (R6) and its R5 evidence, are written together or not at all.
// Evidence goes straight into the store's evidence table (tx.Evidence()), where the compliance
// engine reads it like an uploaded record (accepted: the approval is the review), so the plan
// module needs no dependency on the compliance module.
//
// Staleness (R3) is computed when read, from the inventory's change events (ChangeRepo): no hook
// or job is needed.
//
// Thread-safety: free functions on the caller's transaction.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "plan/drill.h"
#include "plan/outline.h"
#include "plan/plan.h"
#include "plan/plan_store.h"
#include "plan/status.h"
#include "store/store.h"

namespace ucsc::plan {

// The outline plan `plan` was written on (id and version), else the newest of its id, or
// nullptr.
const Outline* OutlineOf(const std::vector<Outline>& outlines, const IrPlan& plan);

// submitted → approved for the latest version of plan `plan_id`, when its etag is
// `expected_etag`; then records the version as R3 evidence (PlanEvidence) and R4 evidence
// (PlanContentEvidence, type ir_plan_content) for a system plan and an audit record by
// `audit_actor`, in `tx`. Returns the stored plan. Errors: kNotFound; kConflict for a stale etag;
// kPermissionDenied unless the actor may approve (the organisation's manager, the coordinator for
// the provincial plan, R26); kFailedPrecondition unless submitted or when sections are missing (R4,
// listed); kInternal when the plan's outline is not loaded.
[[nodiscard]] core::Result<StoredPlan> ApproveStoredPlan(
    store::Tx& tx, const std::vector<Outline>& outlines, const std::string& plan_id,
    int64_t expected_etag, const Actor& actor, const std::string& audit_actor, core::Instant now);

// The R3 status of system `system_id` as of `at`, from its plan's versions and the system's
// change events. Errors: the store's.
[[nodiscard]] core::Result<PlanStatus> SystemPlanStatus(store::Tx& tx, const std::string& system_id,
                                                        core::Instant at, int reapproval_days = 30);

// running → closed for drill `drill_id` (etag `expected_etag`): stores it, inserts each
// finding's remediation task and, for a finding that allows intrusion, its hunt task with the
// same instant (R6), records R5 evidence for every system in scope when it is a live-fire drill,
// and an audit record, in `tx`. Errors: kNotFound; kConflict; kFailedPrecondition unless running,
// without findings or with unclassified ones (listed).
[[nodiscard]] core::Result<StoredDrill> CloseStoredDrill(store::Tx& tx, const std::string& drill_id,
                                                         int64_t expected_etag,
                                                         const std::string& audit_actor,
                                                         core::Instant now);

// R5 for system `system_id` as of `at` from the stored drills and the system's level history.
// Errors: kNotFound for an unknown system; the store's.
[[nodiscard]] core::Result<DrillRuleStatus> SystemDrillStatus(store::Tx& tx,
                                                              const std::string& system_id,
                                                              core::Instant at);

}  // namespace ucsc::plan
