// The incident-response plan (phương án ứng cứu sự cố, GLOSSARY `ir_plan`) of one system, or the
// provincial plan: one value per version, with its sections following an Outline, the scenarios
// instantiated from the library, and its approval workflow (R3, R4, R26):
//
//   draft ──Submit──▶ submitted ──Approve──▶ approved
//     ▲                   │
//     └─────Reject────────┘            approved ──NextVersion──▶ new draft (version + 1)
//
// Approval (QĐ05 Art 16.1): a system plan is approved by a manager (kOrgManager) of the plan's
// organisation; the provincial plan (R26: drafted by the specialised unit, approved by the
// provincial Chairman) is recorded by the coordinator (kCoordinator). A plan with a missing
// mandatory section cannot be approved (R4). Every transition records who, with which role, and
// when. Sections are edited only in draft.
//
// Thread-safety: plain values and pure functions.
//
// Example:
//   UCSC_ASSIGN_OR_RETURN(auto p, plan::NewDraft({.id = "p1", .org_id = "syt",
//                                                 .system_id = "his"}, outline, clock.Now()));
//   UCSC_RETURN_IF_ERROR(plan::SetSection(p, outline, "scope", "…", clock.Now()));
//   UCSC_RETURN_IF_ERROR(plan::Submit(p, staff, clock.Now()));
//   UCSC_RETURN_IF_ERROR(plan::Approve(p, outline, manager, clock.Now()));
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/model.h"
#include "core/result.h"
#include "plan/outline.h"

namespace ucsc::plan {

enum class PlanState { kDraft, kSubmitted, kApproved };
std::string_view PlanStateName(PlanState s);
std::optional<PlanState> ParsePlanState(std::string_view s);

enum class PlanScope {
  kSystem,      // the plan of one information system
  kProvincial,  // the provincial plan (R26); system_id is empty
};
std::string_view PlanScopeName(PlanScope s);
std::optional<PlanScope> ParsePlanScope(std::string_view s);

struct PlanSection {
  std::string id;    // an OutlineSection id
  std::string text;  // free text, UTF-8; blank = not written
  friend bool operator==(const PlanSection&, const PlanSection&) = default;
};

// A scenario of the library as instantiated into the plan (see playbook.h), then editable.
struct PlanScenario {
  std::string scenario_id;
  int scenario_version = 0;
  std::string incident_type;
  std::string title;
  std::string text;
  friend bool operator==(const PlanScenario&, const PlanScenario&) = default;
};

// Who acts on a plan.
struct Actor {
  std::string user_id;
  core::Role role = core::Role::kOrgStaff;
  std::string org_id;
};

struct Transition {
  PlanState from = PlanState::kDraft;
  PlanState to = PlanState::kDraft;
  std::string actor;
  core::Role role = core::Role::kOrgStaff;
  core::Instant at;
  std::string reason;  // rejections
  friend bool operator==(const Transition&, const Transition&) = default;
};

struct IrPlan {
  std::string id;  // the same for every version of one plan
  int version = 1;
  PlanScope scope = PlanScope::kSystem;
  std::string org_id;     // organisation answerable (owner of the system)
  std::string system_id;  // empty for the provincial plan
  std::string title;
  std::string outline_id;
  int outline_version = 0;
  PlanState state = PlanState::kDraft;
  std::vector<PlanSection> sections;  // in outline order, one per outline section
  std::vector<PlanScenario> scenarios;
  std::string submitted_by;
  std::optional<core::Instant> submitted_at;
  std::string approved_by;
  std::optional<core::Role> approver_role;
  std::optional<core::Instant> approved_at;
  std::vector<Transition> history;
  core::Instant created_at;
  core::Instant updated_at;

  // The section with `id`, or nullptr.
  const PlanSection* Section(std::string_view section_id) const;
};

struct NewPlan {
  std::string id{};
  std::string org_id{};
  std::string system_id{};  // empty for the provincial plan
  PlanScope scope = PlanScope::kSystem;
  std::string title{};
};

// A new version-1 draft with one empty section per outline section.
// Errors: kInvalidArgument ("/id", "/org_id", "/system_id") for an empty id or organisation, a
// system plan without system, or a provincial plan with one.
[[nodiscard]] core::Result<IrPlan> NewDraft(const NewPlan& spec, const Outline& outline,
                                            core::Instant at);

// Sets the text of section `section_id`.
// Errors: kFailedPrecondition unless the plan is a draft; kNotFound for a section the outline does
// not have; kInvalidArgument for text that is not UTF-8 or over 200 000 bytes.
[[nodiscard]] core::Status SetSection(IrPlan& plan, const Outline& outline,
                                      std::string_view section_id, std::string text,
                                      core::Instant at);

// A mandatory section that is missing (R4), with the reason in both languages.
struct MissingSection {
  std::string section_id;
  LocalizedText title;
  LocalizedText reason;
};

// The mandatory sections of `outline` that `plan` lacks, in outline order: blank text, or, for a
// section of topic kScenarios or kResponse, blank text and no instantiated scenario. Also a
// mismatching outline id (reported with section_id "outline"). Empty = complete (R4).
std::vector<MissingSection> CheckCompleteness(const IrPlan& plan, const Outline& outline);

// draft → submitted. Any user of the plan's organisation, or a coordinator, may submit.
// Errors: kFailedPrecondition unless draft; kPermissionDenied for another organisation's user.
[[nodiscard]] core::Status Submit(IrPlan& plan, const Actor& actor, core::Instant at);

// submitted → approved, recording approver, role and instant.
// Errors: kFailedPrecondition unless submitted, or when CheckCompleteness is not empty (the
// message lists the missing section ids; R4); kPermissionDenied unless the actor may approve
// (CanApprove).
[[nodiscard]] core::Status Approve(IrPlan& plan, const Outline& outline, const Actor& actor,
                                   core::Instant at);

// submitted → draft with a reason. Errors: kFailedPrecondition unless submitted;
// kInvalidArgument ("/reason") for a blank reason; kPermissionDenied as Approve.
[[nodiscard]] core::Status Reject(IrPlan& plan, const Actor& actor, std::string reason,
                                  core::Instant at);

// True when `actor` may approve or reject `plan`: a kOrgManager of plan.org_id for a system plan;
// a kCoordinator for the provincial plan (R26).
bool CanApprove(const IrPlan& plan, const Actor& actor);

// The next version as a draft: same id, version + 1, sections and scenarios copied, workflow
// fields cleared. Errors: kFailedPrecondition when `plan` is still a draft.
[[nodiscard]] core::Result<IrPlan> NextVersion(const IrPlan& plan, core::Instant at);

// The state of `plan` as of `at`, from its history (a version approved later was a draft or
// submitted then); nullopt when the version did not exist yet.
std::optional<PlanState> StateAt(const IrPlan& plan, core::Instant at);

}  // namespace ucsc::plan
