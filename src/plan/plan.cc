#include "plan/plan.h"

#include <algorithm>
#include <utility>

#include "text/vietnamese.h"

namespace ucsc::plan {

namespace {

bool Blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}

void Record(IrPlan& plan, PlanState to, const Actor& actor, core::Instant at,
            std::string reason = {}) {
  plan.history.push_back({plan.state, to, actor.user_id, actor.role, at, std::move(reason)});
  plan.state = to;
  plan.updated_at = at;
}

tl::unexpected<core::Error> WrongState(const IrPlan& plan, std::string_view action,
                                       std::string_view want) {
  return core::MakeError(core::ErrorCode::kFailedPrecondition,
                         "cannot " + std::string(action) + " plan " + plan.id + " version " +
                             std::to_string(plan.version) + ": it is " +
                             std::string(PlanStateName(plan.state)) + ", not " + std::string(want),
                         "/state");
}

}  // namespace

std::string_view PlanStateName(PlanState s) {
  switch (s) {
    case PlanState::kDraft:
      return "draft";
    case PlanState::kSubmitted:
      return "submitted";
    case PlanState::kApproved:
      return "approved";
  }
  return "draft";
}

std::optional<PlanState> ParsePlanState(std::string_view s) {
  for (PlanState st : {PlanState::kDraft, PlanState::kSubmitted, PlanState::kApproved}) {
    if (PlanStateName(st) == s) return st;
  }
  return std::nullopt;
}

std::string_view PlanScopeName(PlanScope s) {
  return s == PlanScope::kProvincial ? "provincial" : "system";
}

std::optional<PlanScope> ParsePlanScope(std::string_view s) {
  if (s == "system") return PlanScope::kSystem;
  if (s == "provincial") return PlanScope::kProvincial;
  return std::nullopt;
}

const PlanSection* IrPlan::Section(std::string_view section_id) const {
  for (const auto& s : sections) {
    if (s.id == section_id) return &s;
  }
  return nullptr;
}

core::Result<IrPlan> NewDraft(const NewPlan& spec, const Outline& outline, core::Instant at) {
  if (spec.id.empty()) return core::InvalidArgument("a plan needs an id", "/id");
  if (spec.org_id.empty()) return core::InvalidArgument("a plan needs an organisation", "/org_id");
  if (spec.scope == PlanScope::kSystem && spec.system_id.empty()) {
    return core::InvalidArgument("a system plan needs a system", "/system_id");
  }
  if (spec.scope == PlanScope::kProvincial && !spec.system_id.empty()) {
    return core::InvalidArgument("the provincial plan has no system", "/system_id");
  }
  IrPlan p;
  p.id = spec.id;
  p.scope = spec.scope;
  p.org_id = spec.org_id;
  p.system_id = spec.system_id;
  p.title = spec.title;
  p.outline_id = outline.id;
  p.outline_version = outline.version;
  for (const auto& s : outline.sections) p.sections.push_back({s.id, ""});
  p.created_at = at;
  p.updated_at = at;
  return p;
}

core::Status SetSection(IrPlan& plan, const Outline& outline, std::string_view section_id,
                        std::string text, core::Instant at) {
  if (plan.state != PlanState::kDraft) return WrongState(plan, "edit", "draft");
  if (outline.Find(section_id) == nullptr) {
    return core::NotFound("outline " + outline.id + " has no section '" + std::string(section_id) +
                          "'");
  }
  const std::string field = "/sections/" + std::string(section_id);
  if (!text::IsValidUtf8(text)) return core::InvalidArgument("text is not valid UTF-8", field);
  if (text.size() > 200'000) return core::InvalidArgument("text over 200000 bytes", field);
  std::string nfc = text::NormalizeNfc(text);
  for (auto& s : plan.sections) {
    if (s.id == section_id) {
      s.text = std::move(nfc);
      plan.updated_at = at;
      return core::Ok();
    }
  }
  plan.sections.push_back({std::string(section_id), std::move(nfc)});
  plan.updated_at = at;
  return core::Ok();
}

std::vector<MissingSection> CheckCompleteness(const IrPlan& plan, const Outline& outline) {
  std::vector<MissingSection> out;
  if (plan.outline_id != outline.id) {
    out.push_back(
        {"outline",
         outline.title,
         {"Phương án được lập theo đề cương " + plan.outline_id + ", không phải " + outline.id,
          "The plan follows outline " + plan.outline_id + ", not " + outline.id}});
    return out;
  }
  for (const auto& s : outline.sections) {
    if (!s.mandatory) continue;
    const PlanSection* ps = plan.Section(s.id);
    const bool has_text = ps != nullptr && !Blank(ps->text);
    if (has_text) continue;
    const bool by_scenarios = s.topic == Topic::kScenarios || s.topic == Topic::kResponse;
    if (by_scenarios && !plan.scenarios.empty()) continue;
    LocalizedText reason;
    if (by_scenarios) {
      reason = {"Mục bắt buộc \"" + s.title.vi + "\" chưa có nội dung và chưa có kịch bản nào (R4)",
                "Mandatory section \"" + s.title.en + "\" is empty and no scenario is added (R4)"};
    } else if (s.topic == Topic::kContinuity) {
      reason = {"Mục bắt buộc \"" + s.title.vi +
                    "\" chưa có nội dung (Thông tư 20/2017/TT-BTTTT Điều 12.2, R4)",
                "Mandatory section \"" + s.title.en + "\" is empty (TT20 Art 12.2, R4)"};
    } else {
      reason = {"Mục bắt buộc \"" + s.title.vi + "\" chưa có nội dung (R4)",
                "Mandatory section \"" + s.title.en + "\" is empty (R4)"};
    }
    out.push_back({s.id, s.title, std::move(reason)});
  }
  return out;
}

bool CanApprove(const IrPlan& plan, const Actor& actor) {
  if (plan.scope == PlanScope::kProvincial) return actor.role == core::Role::kCoordinator;
  return actor.role == core::Role::kOrgManager && actor.org_id == plan.org_id;
}

core::Status Submit(IrPlan& plan, const Actor& actor, core::Instant at) {
  if (plan.state != PlanState::kDraft) return WrongState(plan, "submit", "draft");
  if (actor.org_id != plan.org_id && actor.role != core::Role::kCoordinator) {
    return core::MakeError(
        core::ErrorCode::kPermissionDenied,
        "only users of " + plan.org_id + " or a coordinator may submit its plan");
  }
  plan.submitted_by = actor.user_id;
  plan.submitted_at = at;
  Record(plan, PlanState::kSubmitted, actor, at);
  return core::Ok();
}

core::Status Approve(IrPlan& plan, const Outline& outline, const Actor& actor, core::Instant at) {
  if (plan.state != PlanState::kSubmitted) return WrongState(plan, "approve", "submitted");
  if (!CanApprove(plan, actor)) {
    return core::MakeError(core::ErrorCode::kPermissionDenied,
                           plan.scope == PlanScope::kProvincial
                               ? "the provincial plan is approved by the coordinator (R26)"
                               : "a system plan is approved by a manager of " + plan.org_id);
  }
  const auto missing = CheckCompleteness(plan, outline);
  if (!missing.empty()) {
    std::string list;
    for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m.section_id;
    return core::MakeError(core::ErrorCode::kFailedPrecondition,
                           "R4: the plan lacks mandatory sections: " + list, "/sections");
  }
  plan.approved_by = actor.user_id;
  plan.approver_role = actor.role;
  plan.approved_at = at;
  Record(plan, PlanState::kApproved, actor, at);
  return core::Ok();
}

core::Status Reject(IrPlan& plan, const Actor& actor, std::string reason, core::Instant at) {
  if (plan.state != PlanState::kSubmitted) return WrongState(plan, "reject", "submitted");
  if (!CanApprove(plan, actor)) {
    return core::MakeError(core::ErrorCode::kPermissionDenied,
                           "only the approver of this plan may reject it");
  }
  if (Blank(reason)) return core::InvalidArgument("a rejection needs a reason", "/reason");
  plan.submitted_by.clear();
  plan.submitted_at.reset();
  Record(plan, PlanState::kDraft, actor, at, std::move(reason));
  return core::Ok();
}

core::Result<IrPlan> NextVersion(const IrPlan& plan, core::Instant at) {
  if (plan.state == PlanState::kDraft) {
    return WrongState(plan, "start a new version of", "submitted or approved");
  }
  IrPlan next = plan;
  next.version = plan.version + 1;
  next.state = PlanState::kDraft;
  next.submitted_by.clear();
  next.submitted_at.reset();
  next.approved_by.clear();
  next.approver_role.reset();
  next.approved_at.reset();
  next.history.clear();
  next.created_at = at;
  next.updated_at = at;
  return next;
}

std::optional<PlanState> StateAt(const IrPlan& plan, core::Instant at) {
  if (at < plan.created_at) return std::nullopt;
  PlanState s = PlanState::kDraft;
  for (const auto& t : plan.history) {
    if (t.at <= at) s = t.to;
  }
  return s;
}

}  // namespace ucsc::plan
