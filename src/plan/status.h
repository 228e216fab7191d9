// R3 for one system: whether it has an approved IR plan that is current, and the plan as R3
// evidence (ir_plan) and R4 evidence (ir_plan_content) for the compliance engine (so an approved
// plan counts without an upload).
//
// A plan goes stale when its system changes in a risk-relevant way after the plan's approval:
// its security level, its assets, their software, its public endpoints or its national-important
// flag (ChangeKind). The re-approval clock of R3 starts at the first such change: a new version
// must be approved by the end of the local day `reapproval_days` after the local date of the
// change (DESIGN.md "Legal time"; the shipped rule pack says 30 days, "kịp thời" in the law).
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/legal_time.h"
#include "core/model.h"
#include "core/result.h"
#include "plan/outline.h"
#include "plan/plan.h"

namespace ucsc::plan {

enum class ChangeKind { kLevel, kAssets, kSoftware, kEndpoints, kNationalImportant };
std::string_view ChangeKindName(ChangeKind k);

// One risk-relevant change of a system.
struct SystemChange {
  std::string id;  // the change event id, for the link R3 evidence asks for
  std::string system_id;
  ChangeKind kind = ChangeKind::kLevel;
  core::Instant at;
};

// Classifies an inventory change event by its field (JSON pointer): "/level" → kLevel,
// "/public_endpoints…" → kEndpoints, "/national_important" → kNationalImportant, "/assets…" →
// kAssets, "/software…" and "/assets/<i>/software…" → kSoftware. nullopt for a change that is not
// risk-relevant (name, description, contacts …).
std::optional<SystemChange> ClassifyChange(const core::ChangeEvent& event);

enum class PlanStatusKind {
  kNone,             // no plan version existed at the instant
  kDraft,            // versions exist but none was approved by then
  kApprovedCurrent,  // an approved version, no relevant change since its approval
  kStale,            // approved, but the system changed since: re-approval due
};
std::string_view PlanStatusKindName(PlanStatusKind k);

struct PlanStatus {
  std::string rule = "R3";
  PlanStatusKind kind = PlanStatusKind::kNone;
  std::string plan_id;  // the version in force (latest approved), or the latest draft
  int version = 0;
  std::optional<core::Instant> approved_at;
  std::optional<core::Instant> stale_since;  // the first relevant change after the approval
  std::string change_id;
  std::optional<ChangeKind> change_kind;
  std::optional<core::LocalDate> due;  // re-approval due date (local)
  bool overdue = false;                // `at` is after the end of the due day
};

// The R3 status of system `system_id` as of `at` over every version of its plan and its changes
// (any order; other systems' entries are ignored). A version counts as approved from its
// approved_at on; the latest approved version as of `at` is the one in force.
// REQUIRES: reapproval_days >= 0.
PlanStatus PlanStatusAt(std::span<const IrPlan> versions, std::span<const SystemChange> changes,
                        std::string_view system_id, core::Instant at, int reapproval_days = 30);

// The plan version `plan` as evidence that system `system_id` met R3 (approved plan) and R4
// (content per outline) as of `at`: a core::Evidence of type "ir_plan" on the system, performed on
// the local date of the approval, id "plan:<id>:v<version>", review kAccepted (the approval by the
// manager or coordinator is the review). The compliance engine times R3 from it as from an
// uploaded plan.
// Errors: kFailedPrecondition when the plan is not of that system, was not approved as of `at`,
// or is incomplete for `outline` (R4; the message lists the missing sections).
[[nodiscard]] core::Result<core::Evidence> PlanEvidence(const IrPlan& plan, const Outline& outline,
                                                        std::string_view system_id,
                                                        core::Instant at);

// The R4 evidence beside PlanEvidence: the same plan version as proof of its content (every
// mandatory section of its outline written, QĐ05 Art 16.2, TT20 Art 12), of type
// "ir_plan_content" — a type only ucsc records (compliance::IsRecordedOnly; uploads of it are
// refused). Id "<PlanEvidence id>:r4" through FitId (≤ 64 octets). Errors: those of PlanEvidence.
[[nodiscard]] core::Result<core::Evidence> PlanContentEvidence(const IrPlan& plan,
                                                               const Outline& outline,
                                                               std::string_view system_id,
                                                               core::Instant at);

}  // namespace ucsc::plan
