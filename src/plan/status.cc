#include "plan/status.h"

#include <algorithm>

#include "plan/drill.h"

namespace ucsc::plan {

namespace {

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// "/x" or "/x/…" (not "/xy").
bool IsField(std::string_view pointer, std::string_view field) {
  return StartsWith(pointer, field) &&
         (pointer.size() == field.size() || pointer[field.size()] == '/');
}

}  // namespace

std::string_view ChangeKindName(ChangeKind k) {
  switch (k) {
    case ChangeKind::kLevel:
      return "level";
    case ChangeKind::kAssets:
      return "assets";
    case ChangeKind::kSoftware:
      return "software";
    case ChangeKind::kEndpoints:
      return "endpoints";
    case ChangeKind::kNationalImportant:
      return "national_important";
  }
  return "level";
}

std::optional<SystemChange> ClassifyChange(const core::ChangeEvent& event) {
  const std::string_view f = event.field;
  std::optional<ChangeKind> kind;
  if (IsField(f, "/level")) {
    kind = ChangeKind::kLevel;
  } else if (IsField(f, "/public_endpoints")) {
    kind = ChangeKind::kEndpoints;
  } else if (IsField(f, "/national_important")) {
    kind = ChangeKind::kNationalImportant;
  } else if (IsField(f, "/software")) {
    kind = ChangeKind::kSoftware;
  } else if (IsField(f, "/assets")) {
    // "/assets/3/software/…" is a software change; any other asset field an asset change.
    const auto rest = f.substr(std::string_view("/assets").size());
    const auto second = rest.find('/', 1);
    kind = (second != std::string_view::npos && IsField(rest.substr(second), "/software"))
               ? ChangeKind::kSoftware
               : ChangeKind::kAssets;
  }
  if (!kind) return std::nullopt;
  return SystemChange{event.id, event.system_id, *kind, event.at};
}

std::string_view PlanStatusKindName(PlanStatusKind k) {
  switch (k) {
    case PlanStatusKind::kNone:
      return "none";
    case PlanStatusKind::kDraft:
      return "draft";
    case PlanStatusKind::kApprovedCurrent:
      return "approved_current";
    case PlanStatusKind::kStale:
      return "stale";
  }
  return "none";
}

PlanStatus PlanStatusAt(std::span<const IrPlan> versions, std::span<const SystemChange> changes,
                        std::string_view system_id, core::Instant at, int reapproval_days) {
  PlanStatus st;
  const IrPlan* approved = nullptr;
  const IrPlan* latest = nullptr;
  for (const auto& v : versions) {
    if (v.system_id != system_id || v.created_at > at) continue;
    if (latest == nullptr || v.version > latest->version) latest = &v;
    if (v.approved_at && *v.approved_at <= at &&
        (approved == nullptr || *v.approved_at > *approved->approved_at)) {
      approved = &v;
    }
  }
  if (approved == nullptr) {
    if (latest != nullptr) {
      st.kind = PlanStatusKind::kDraft;
      st.plan_id = latest->id;
      st.version = latest->version;
    }
    return st;
  }
  st.plan_id = approved->id;
  st.version = approved->version;
  st.approved_at = approved->approved_at;
  const SystemChange* first = nullptr;
  for (const auto& c : changes) {
    if (c.system_id != system_id || c.at <= *approved->approved_at || c.at > at) continue;
    if (first == nullptr || c.at < first->at) first = &c;
  }
  if (first == nullptr) {
    st.kind = PlanStatusKind::kApprovedCurrent;
    return st;
  }
  st.kind = PlanStatusKind::kStale;
  st.stale_since = first->at;
  st.change_id = first->id;
  st.change_kind = first->kind;
  st.due = core::AddDays(core::LocalDateOf(first->at), reapproval_days);
  st.overdue = at > core::EndOfLocalDay(*st.due);
  return st;
}

core::Result<core::Evidence> PlanEvidence(const IrPlan& plan, const Outline& outline,
                                          std::string_view system_id, core::Instant at) {
  const std::string name = "plan " + plan.id + " version " + std::to_string(plan.version);
  if (plan.scope != PlanScope::kSystem || plan.system_id != system_id) {
    return core::MakeError(core::ErrorCode::kFailedPrecondition,
                           name + " is not the plan of system " + std::string(system_id),
                           "/system_id");
  }
  if (!plan.approved_at || *plan.approved_at > at) {
    return core::MakeError(
        core::ErrorCode::kFailedPrecondition,
        "R3: " + name + " was not approved as of " + core::FormatRfc3339Local(at), "/state");
  }
  const auto missing = CheckCompleteness(plan, outline);
  if (!missing.empty()) {
    std::string list;
    for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m.section_id;
    return core::MakeError(core::ErrorCode::kFailedPrecondition,
                           "R4: " + name + " lacks mandatory sections: " + list, "/sections");
  }
  core::Evidence e;
  e.id = "plan:" + plan.id + ":v" + std::to_string(plan.version);
  e.org_id = plan.org_id;
  e.subject_kind = "system";
  e.subject_id = plan.system_id;
  e.type = "ir_plan";
  e.performed_on = core::FormatIsoDate(core::LocalDateOf(*plan.approved_at));
  e.title = plan.title.empty()
                ? "Phương án ứng cứu sự cố, phiên bản " + std::to_string(plan.version)
                : plan.title;
  e.description = "R3: outline " + outline.id + " v" + std::to_string(outline.version) +
                  ", approved by " + plan.approved_by;
  e.submitted_by = plan.approved_by;
  e.review = core::ReviewState::kAccepted;
  e.reviewed_by = plan.approved_by;
  e.reviewed_at = *plan.approved_at;
  e.version = plan.version;
  e.created_at = *plan.approved_at;
  e.updated_at = *plan.approved_at;
  return e;
}

core::Result<core::Evidence> PlanContentEvidence(const IrPlan& plan, const Outline& outline,
                                                 std::string_view system_id, core::Instant at) {
  UCSC_ASSIGN_OR_RETURN(core::Evidence e, PlanEvidence(plan, outline, system_id, at));
  e.id = FitId(e.id + ":r4");
  e.type = "ir_plan_content";  // R4, recorded by ucsc only
  e.title = "Nội dung phương án ứng cứu sự cố đủ theo " + outline.title.vi + ", phiên bản " +
            std::to_string(plan.version);
  e.description = "R4: every mandatory section of outline " + outline.id + " v" +
                  std::to_string(outline.version) + " written (QĐ05 Art 16.2, TT20 Art 12)" +
                  ", approved by " + plan.approved_by;
  return e;
}

}  // namespace ucsc::plan
