#include "plan/plan.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace ucsc::plan {
namespace {

using testing::ApprovedPlan;
using testing::CompleteDraft;
using testing::Coordinator;
using testing::ImportantOutline;
using testing::Local;
using testing::Manager;
using testing::OtherOutline;
using testing::Staff;

TEST(PlanDraft, NewDraftHasOneEmptySectionPerOutlineSection) {
  const Outline& o = OtherOutline();
  auto p = NewDraft({.id = "p1", .org_id = "syt", .system_id = "his"}, o, Local(2026, 3, 1));
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->state, PlanState::kDraft);
  EXPECT_EQ(p->version, 1);
  EXPECT_EQ(p->outline_id, o.id);
  ASSERT_EQ(p->sections.size(), o.sections.size());
  EXPECT_TRUE(p->sections[0].text.empty());
}

TEST(PlanDraft, SystemPlanNeedsSystemAndProvincialPlanHasNone_R26) {
  const Outline& o = OtherOutline();
  auto a = NewDraft({.id = "p1", .org_id = "syt"}, o, Local(2026, 3, 1));
  ASSERT_FALSE(a.has_value());
  EXPECT_EQ(a.error().field, "/system_id");
  auto b =
      NewDraft({.id = "p2", .org_id = "ubnd", .system_id = "his", .scope = PlanScope::kProvincial},
               o, Local(2026, 3, 1));
  ASSERT_FALSE(b.has_value());
  EXPECT_EQ(b.error().field, "/system_id");
  auto c = NewDraft({.id = "", .org_id = "syt", .system_id = "his"}, o, Local(2026, 3, 1));
  ASSERT_FALSE(c.has_value());
  EXPECT_EQ(c.error().field, "/id");
}

TEST(PlanDraft, SetSectionRefusesUnknownSectionAndBadUtf8) {
  const Outline& o = OtherOutline();
  auto p = NewDraft({.id = "p1", .org_id = "syt", .system_id = "his"}, o, Local(2026, 3, 1));
  ASSERT_TRUE(p.has_value());
  auto unknown = SetSection(*p, o, "weather", "x", Local(2026, 3, 1));
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().code, core::ErrorCode::kNotFound);
  auto bad = SetSection(*p, o, "scope", std::string("\xff\xfe"), Local(2026, 3, 1));
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().field, "/sections/scope");
  ASSERT_TRUE(SetSection(*p, o, "scope", "Hệ thống HIS", Local(2026, 3, 2)).has_value());
  EXPECT_EQ(p->Section("scope")->text, "Hệ thống HIS");
  EXPECT_EQ(p->updated_at, Local(2026, 3, 2));
}

TEST(PlanCompleteness, EmptyDraftListsEveryMandatorySection_R4) {
  for (const Outline* o : {&OtherOutline(), &ImportantOutline()}) {
    auto p = NewDraft({.id = "p1", .org_id = "syt", .system_id = "his"}, *o, Local(2026, 3, 1));
    ASSERT_TRUE(p.has_value());
    const auto missing = CheckCompleteness(*p, *o);
    size_t mandatory = 0;
    for (const auto& s : o->sections) mandatory += s.mandatory ? 1 : 0;
    EXPECT_EQ(missing.size(), mandatory) << o->id;
    for (const auto& m : missing) {
      EXPECT_FALSE(m.reason.vi.empty());
      EXPECT_NE(m.reason.en.find("R4"), std::string::npos);
    }
  }
}

TEST(PlanCompleteness, MissingContinuitySectionCitesTT20Art12_2) {
  const Outline& o = OtherOutline();
  IrPlan p = CompleteDraft(o, Local(2026, 3, 1));
  ASSERT_TRUE(SetSection(p, o, "continuity", "  \n ", Local(2026, 3, 1)).has_value());
  const auto missing = CheckCompleteness(p, o);
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_EQ(missing[0].section_id, "continuity");
  EXPECT_NE(missing[0].reason.vi.find("Điều 12.2"), std::string::npos) << missing[0].reason.vi;
  EXPECT_NE(missing[0].reason.en.find("TT20 Art 12.2"), std::string::npos);
}

TEST(PlanCompleteness, OptionalSectionMayStayEmpty) {
  const Outline& o = OtherOutline();
  IrPlan p = CompleteDraft(o, Local(2026, 3, 1));
  ASSERT_FALSE(o.Find("resources")->mandatory);
  ASSERT_TRUE(SetSection(p, o, "resources", "", Local(2026, 3, 1)).has_value());
  EXPECT_TRUE(CheckCompleteness(p, o).empty());
}

TEST(PlanCompleteness, ScenarioSectionsAreFilledByInstantiatedScenarios_R4) {
  const Outline& o = OtherOutline();
  IrPlan p = CompleteDraft(o, Local(2026, 3, 1));
  ASSERT_TRUE(SetSection(p, o, "scenarios", "", Local(2026, 3, 1)).has_value());
  ASSERT_TRUE(SetSection(p, o, "response", "", Local(2026, 3, 1)).has_value());
  EXPECT_EQ(CheckCompleteness(p, o).size(), 2u);
  p.scenarios.push_back({"dos", 1, "dos", "Từ chối dịch vụ", "…"});
  EXPECT_TRUE(CheckCompleteness(p, o).empty());
}

TEST(PlanCompleteness, PlanOfAnotherOutlineIsIncomplete) {
  IrPlan p = CompleteDraft(OtherOutline(), Local(2026, 3, 1));
  const auto missing = CheckCompleteness(p, ImportantOutline());
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_EQ(missing[0].section_id, "outline");
}

TEST(PlanWorkflow, SubmitThenManagerApprovesRecordingWhoAndWhen_R3) {
  const Outline& o = OtherOutline();
  IrPlan p = CompleteDraft(o, Local(2026, 3, 1));
  ASSERT_TRUE(Submit(p, Staff(), Local(2026, 3, 2)).has_value());
  EXPECT_EQ(p.state, PlanState::kSubmitted);
  EXPECT_EQ(p.submitted_by, "u-staff");
  ASSERT_TRUE(Approve(p, o, Manager(), Local(2026, 3, 5)).has_value());
  EXPECT_EQ(p.state, PlanState::kApproved);
  EXPECT_EQ(p.approved_by, "u-manager");
  EXPECT_EQ(p.approver_role, core::Role::kOrgManager);
  EXPECT_EQ(p.approved_at, Local(2026, 3, 5));
  ASSERT_EQ(p.history.size(), 2u);
  EXPECT_EQ(p.history[1].from, PlanState::kSubmitted);
  EXPECT_EQ(p.history[1].to, PlanState::kApproved);
  EXPECT_EQ(p.history[1].actor, "u-manager");
}

TEST(PlanWorkflow, ApprovingIncompletePlanIsRefusedWithMissingSections_R4) {
  const Outline& o = OtherOutline();
  IrPlan p = CompleteDraft(o, Local(2026, 3, 1));
  ASSERT_TRUE(SetSection(p, o, "continuity", "", Local(2026, 3, 1)).has_value());
  ASSERT_TRUE(SetSection(p, o, "risks", "", Local(2026, 3, 1)).has_value());
  ASSERT_TRUE(Submit(p, Staff(), Local(2026, 3, 2)).has_value());
  auto r = Approve(p, o, Manager(), Local(2026, 3, 5));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, core::ErrorCode::kFailedPrecondition);
  EXPECT_NE(r.error().message.find("risks, continuity"), std::string::npos) << r.error().message;
  EXPECT_EQ(p.state, PlanState::kSubmitted);
  EXPECT_FALSE(p.approved_at.has_value());
}

TEST(PlanWorkflow, OnlyManagerOfTheOwnerOrganisationApprovesSystemPlan) {
  const Outline& o = OtherOutline();
  IrPlan p = CompleteDraft(o, Local(2026, 3, 1));
  ASSERT_TRUE(Submit(p, Staff(), Local(2026, 3, 2)).has_value());
  for (const Actor& a :
       {Staff(), Manager("sgd"), Coordinator(), Actor{"u-admin", core::Role::kAdmin, "syt"}}) {
    auto r = Approve(p, o, a, Local(2026, 3, 5));
    ASSERT_FALSE(r.has_value()) << a.user_id;
    EXPECT_EQ(r.error().code, core::ErrorCode::kPermissionDenied);
  }
  EXPECT_EQ(p.state, PlanState::kSubmitted);
}

TEST(PlanWorkflow, CoordinatorApprovesProvincialPlan_R26) {
  const Outline& o = ImportantOutline();
  auto p = NewDraft({.id = "prov", .org_id = "ubnd", .scope = PlanScope::kProvincial}, o,
                    Local(2026, 1, 5));
  ASSERT_TRUE(p.has_value());
  for (const auto& s : o.sections) {
    ASSERT_TRUE(SetSection(*p, o, s.id, "Nội dung", Local(2026, 1, 5)).has_value());
  }
  ASSERT_TRUE(Submit(*p, Coordinator(), Local(2026, 1, 6)).has_value());
  auto by_manager = Approve(*p, o, Manager("ubnd"), Local(2026, 1, 7));
  ASSERT_FALSE(by_manager.has_value());
  EXPECT_EQ(by_manager.error().code, core::ErrorCode::kPermissionDenied);
  EXPECT_NE(by_manager.error().message.find("R26"), std::string::npos);
  ASSERT_TRUE(Approve(*p, o, Coordinator(), Local(2026, 1, 7)).has_value());
  EXPECT_EQ(p->approver_role, core::Role::kCoordinator);
}

TEST(PlanWorkflow, SubmitByAnotherOrganisationIsDenied) {
  IrPlan p = CompleteDraft(OtherOutline(), Local(2026, 3, 1));
  auto r = Submit(p, Staff("sgd"), Local(2026, 3, 2));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, core::ErrorCode::kPermissionDenied);
  EXPECT_EQ(p.state, PlanState::kDraft);
}

TEST(PlanWorkflow, RejectReturnsToDraftWithReason) {
  const Outline& o = OtherOutline();
  IrPlan p = CompleteDraft(o, Local(2026, 3, 1));
  ASSERT_TRUE(Submit(p, Staff(), Local(2026, 3, 2)).has_value());
  auto blank = Reject(p, Manager(), "  ", Local(2026, 3, 3));
  ASSERT_FALSE(blank.has_value());
  EXPECT_EQ(blank.error().field, "/reason");
  ASSERT_TRUE(Reject(p, Manager(), "Thiếu danh sách đầu mối", Local(2026, 3, 3)).has_value());
  EXPECT_EQ(p.state, PlanState::kDraft);
  EXPECT_FALSE(p.submitted_at.has_value());
  EXPECT_EQ(p.history.back().reason, "Thiếu danh sách đầu mối");
  // Editable again, then resubmitted and approved.
  ASSERT_TRUE(SetSection(p, o, "organisation", "Danh sách", Local(2026, 3, 4)).has_value());
  ASSERT_TRUE(Submit(p, Staff(), Local(2026, 3, 4)).has_value());
  ASSERT_TRUE(Approve(p, o, Manager(), Local(2026, 3, 5)).has_value());
  EXPECT_EQ(p.history.size(), 4u);
}

TEST(PlanWorkflow, WrongStateTransitionsAreRefused) {
  const Outline& o = OtherOutline();
  IrPlan p = CompleteDraft(o, Local(2026, 3, 1));
  auto approve_draft = Approve(p, o, Manager(), Local(2026, 3, 2));
  ASSERT_FALSE(approve_draft.has_value());
  EXPECT_EQ(approve_draft.error().code, core::ErrorCode::kFailedPrecondition);
  auto reject_draft = Reject(p, Manager(), "x", Local(2026, 3, 2));
  ASSERT_FALSE(reject_draft.has_value());
  ASSERT_TRUE(Submit(p, Staff(), Local(2026, 3, 2)).has_value());
  auto edit = SetSection(p, o, "scope", "x", Local(2026, 3, 2));
  ASSERT_FALSE(edit.has_value());
  EXPECT_EQ(edit.error().code, core::ErrorCode::kFailedPrecondition);
  auto twice = Submit(p, Staff(), Local(2026, 3, 2));
  ASSERT_FALSE(twice.has_value());
}

TEST(PlanVersion, NextVersionIsADraftCopy) {
  const Outline& o = OtherOutline();
  IrPlan v1 = ApprovedPlan(o, Local(2026, 3, 5));
  auto v2 = NextVersion(v1, Local(2026, 6, 1));
  ASSERT_TRUE(v2.has_value());
  EXPECT_EQ(v2->id, v1.id);
  EXPECT_EQ(v2->version, 2);
  EXPECT_EQ(v2->state, PlanState::kDraft);
  EXPECT_EQ(v2->sections, v1.sections);
  EXPECT_FALSE(v2->approved_at.has_value());
  EXPECT_TRUE(v2->history.empty());
  auto v3 = NextVersion(*v2, Local(2026, 6, 2));
  ASSERT_FALSE(v3.has_value());
  EXPECT_EQ(v3.error().code, core::ErrorCode::kFailedPrecondition);
}

TEST(PlanVersion, StateAtFollowsHistory) {
  const Outline& o = OtherOutline();
  IrPlan p = CompleteDraft(o, Local(2026, 3, 1));
  ASSERT_TRUE(Submit(p, Staff(), Local(2026, 3, 2)).has_value());
  ASSERT_TRUE(Approve(p, o, Manager(), Local(2026, 3, 5)).has_value());
  EXPECT_FALSE(StateAt(p, Local(2026, 2, 28)).has_value());
  EXPECT_EQ(StateAt(p, Local(2026, 3, 1)), PlanState::kDraft);
  EXPECT_EQ(StateAt(p, Local(2026, 3, 4)), PlanState::kSubmitted);
  EXPECT_EQ(StateAt(p, Local(2026, 3, 5)), PlanState::kApproved);
}

}  // namespace
}  // namespace ucsc::plan
