// The stable English names of the plan component's enums (JSON values, task titles, reports):
// distinct, and parsed back where a parser exists.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "plan/diff.h"
#include "plan/drill.h"
#include "plan/outline.h"
#include "plan/plan.h"
#include "plan/status.h"
#include "test_util.h"

namespace ucsc::plan {
namespace {

template <class E, class Fn>
std::set<std::string> Names(std::initializer_list<E> values, Fn name) {
  std::set<std::string> out;
  for (E v : values) out.emplace(name(v));
  return out;
}

TEST(Names, PlanStatesAndScopesRoundTrip) {
  for (PlanState s : {PlanState::kDraft, PlanState::kSubmitted, PlanState::kApproved}) {
    EXPECT_EQ(ParsePlanState(PlanStateName(s)), s);
  }
  EXPECT_FALSE(ParsePlanState("published").has_value());
  for (PlanScope s : {PlanScope::kSystem, PlanScope::kProvincial}) {
    EXPECT_EQ(ParsePlanScope(PlanScopeName(s)), s);
  }
}

TEST(Names, TopicsRoundTrip) {
  for (Topic t : {Topic::kScope, Topic::kObjectives, Topic::kCurrentState, Topic::kRisks,
                  Topic::kScenarios, Topic::kResponse, Topic::kContinuity, Topic::kOrganisation,
                  Topic::kTraining, Topic::kResources, Topic::kImplementation, Topic::kOther}) {
    EXPECT_EQ(ParseTopic(TopicName(t)), t);
  }
}

TEST(Names, FindingCategoriesRoundTripAndUnclassifiedIsNotParsed_R5) {
  for (auto c :
       {FindingCategory::kProcess, FindingCategory::kTechnology, FindingCategory::kPeople}) {
    EXPECT_EQ(ParseFindingCategory(FindingCategoryName(c)), c);
  }
  EXPECT_EQ(FindingCategoryName(FindingCategory::kUnclassified), "unclassified");
  EXPECT_FALSE(ParseFindingCategory("unclassified").has_value());
}

TEST(Names, EnumNamesAreDistinct) {
  EXPECT_EQ(Names({ChangeKind::kLevel, ChangeKind::kAssets, ChangeKind::kSoftware,
                   ChangeKind::kEndpoints, ChangeKind::kNationalImportant},
                  ChangeKindName)
                .size(),
            5u);
  EXPECT_EQ(Names({PlanStatusKind::kNone, PlanStatusKind::kDraft, PlanStatusKind::kApprovedCurrent,
                   PlanStatusKind::kStale},
                  PlanStatusKindName)
                .size(),
            4u);
  EXPECT_EQ(Names({Change::kAdded, Change::kRemoved, Change::kChanged}, ChangeName).size(), 3u);
  EXPECT_EQ(Names({DrillKind::kLiveFire, DrillKind::kTabletop}, DrillKindName).size(), 2u);
  EXPECT_EQ(Names({DrillState::kPlanned, DrillState::kRunning, DrillState::kClosed}, DrillStateName)
                .size(),
            3u);
  EXPECT_EQ(
      Names({Severity::kLow, Severity::kMedium, Severity::kHigh, Severity::kCritical}, SeverityName)
          .size(),
      4u);
  EXPECT_EQ(Names({DrillRuleState::kNotApplicable, DrillRuleState::kMet, DrillRuleState::kOpen,
                   DrillRuleState::kDueSoon, DrillRuleState::kOverdue},
                  DrillRuleStateName)
                .size(),
            5u);
}

TEST(PlanWorkflow, RejectByAnotherOrganisationIsDenied) {
  IrPlan p = testing::CompleteDraft(testing::OtherOutline(), testing::Local(2026, 3, 1));
  ASSERT_TRUE(Submit(p, testing::Staff(), testing::Local(2026, 3, 2)).has_value());
  auto r = Reject(p, testing::Manager("sgd"), "không", testing::Local(2026, 3, 3));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, core::ErrorCode::kPermissionDenied);
  EXPECT_EQ(p.state, PlanState::kSubmitted);
}

TEST(PlanOutlineChange, SectionOfANewerOutlineIsAddedAndDiffedAsRemovedWhenDropped) {
  // v1 written on an outline that later gains "backup"; v2 sets it; v3 on an outline without it.
  const Outline& o = testing::OtherOutline();
  Outline newer = o;
  newer.sections.push_back({"backup", {"Sao lưu", "Backup"}, true, Topic::kOther});
  IrPlan v1 = testing::ApprovedPlan(o, testing::Local(2026, 3, 5));
  auto v2 = NextVersion(v1, testing::Local(2026, 4, 1));
  ASSERT_TRUE(v2.has_value());
  ASSERT_TRUE(SetSection(*v2, newer, "backup", "Sao lưu hằng ngày", testing::Local(2026, 4, 1))
                  .has_value());
  ASSERT_NE(v2->Section("backup"), nullptr);
  IrPlan v3 = *v2;
  v3.version = 3;
  std::erase_if(v3.sections, [](const PlanSection& s) { return s.id == "backup"; });
  const PlanDiff d = DiffPlans(*v2, v3);
  ASSERT_EQ(d.sections.size(), 1u);
  EXPECT_EQ(d.sections[0].section_id, "backup");
  EXPECT_EQ(d.sections[0].change, Change::kRemoved);
  EXPECT_EQ(d.sections[0].lines, (std::vector<DiffLine>{{LineOp::kRemoved, "Sao lưu hằng ngày"}}));
}

}  // namespace
}  // namespace ucsc::plan
