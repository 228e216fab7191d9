#include "plan/status.h"

#include <gtest/gtest.h>

#include <vector>

#include "test_util.h"

namespace ucsc::plan {
namespace {

using testing::ApprovedPlan;
using testing::CompleteDraft;
using testing::Local;
using testing::Manager;
using testing::OtherOutline;
using testing::Staff;

core::ChangeEvent Event(std::string field, core::Instant at) {
  return {"ch1", "his", std::move(field), "1", "2", "u-admin", at};
}

TEST(ClassifyChange, RiskRelevantFieldsOnly_R3) {
  const auto at = Local(2026, 5, 1);
  EXPECT_EQ(ClassifyChange(Event("/level", at))->kind, ChangeKind::kLevel);
  EXPECT_EQ(ClassifyChange(Event("/public_endpoints", at))->kind, ChangeKind::kEndpoints);
  EXPECT_EQ(ClassifyChange(Event("/public_endpoints/2", at))->kind, ChangeKind::kEndpoints);
  EXPECT_EQ(ClassifyChange(Event("/national_important", at))->kind, ChangeKind::kNationalImportant);
  EXPECT_EQ(ClassifyChange(Event("/assets", at))->kind, ChangeKind::kAssets);
  EXPECT_EQ(ClassifyChange(Event("/assets/3/ips", at))->kind, ChangeKind::kAssets);
  EXPECT_EQ(ClassifyChange(Event("/assets/3/software/0/version", at))->kind, ChangeKind::kSoftware);
  EXPECT_EQ(ClassifyChange(Event("/software", at))->kind, ChangeKind::kSoftware);
  EXPECT_FALSE(ClassifyChange(Event("/name", at)).has_value());
  EXPECT_FALSE(ClassifyChange(Event("/description", at)).has_value());
  EXPECT_FALSE(ClassifyChange(Event("/levelx", at)).has_value());
  const auto c = ClassifyChange(Event("/level", at));
  EXPECT_EQ(c->id, "ch1");
  EXPECT_EQ(c->system_id, "his");
  EXPECT_EQ(c->at, at);
}

TEST(PlanStatusAt, NoneBeforeAnyVersionThenDraft_R3) {
  IrPlan draft = CompleteDraft(OtherOutline(), Local(2026, 3, 1));
  std::vector<IrPlan> versions{draft};
  EXPECT_EQ(PlanStatusAt(versions, {}, "his", Local(2026, 2, 28)).kind, PlanStatusKind::kNone);
  const auto st = PlanStatusAt(versions, {}, "his", Local(2026, 3, 2));
  EXPECT_EQ(st.kind, PlanStatusKind::kDraft);
  EXPECT_EQ(st.rule, "R3");
  EXPECT_EQ(PlanStatusAt(versions, {}, "other-system", Local(2026, 3, 2)).kind,
            PlanStatusKind::kNone);
}

// Approved 05/03/2026; the level changes on 10/06/2026 at 14:00 local; 30-day window.
class Staleness : public ::testing::Test {
 protected:
  std::vector<IrPlan> versions{ApprovedPlan(OtherOutline(), Local(2026, 3, 5))};
  std::vector<SystemChange> changes{{"ch7", "his", ChangeKind::kLevel, Local(2026, 6, 10, 14)}};
};

TEST_F(Staleness, DayBeforeTheChangePlanIsCurrent_R3) {
  const auto st = PlanStatusAt(versions, changes, "his", core::EndOfLocalDay({2026, 6, 9}));
  EXPECT_EQ(st.kind, PlanStatusKind::kApprovedCurrent);
  EXPECT_FALSE(st.due.has_value());
  EXPECT_EQ(st.version, 1);
}

TEST_F(Staleness, DayOfTheChangeBeforeItsInstantPlanIsCurrent_R3) {
  const auto st = PlanStatusAt(versions, changes, "his", Local(2026, 6, 10, 13, 59));
  EXPECT_EQ(st.kind, PlanStatusKind::kApprovedCurrent);
}

TEST_F(Staleness, DayOfTheChangePlanIsStaleAndTimerStarts_R3) {
  const auto st = PlanStatusAt(versions, changes, "his", Local(2026, 6, 10, 14));
  EXPECT_EQ(st.kind, PlanStatusKind::kStale);
  EXPECT_EQ(st.stale_since, Local(2026, 6, 10, 14));
  EXPECT_EQ(st.change_id, "ch7");
  EXPECT_EQ(st.change_kind, ChangeKind::kLevel);
  EXPECT_EQ(st.due, (core::LocalDate{2026, 7, 10}));
  EXPECT_FALSE(st.overdue);
}

TEST_F(Staleness, DayAfterTheChangeStillStaleSameDueDate_R3) {
  const auto st = PlanStatusAt(versions, changes, "his", Local(2026, 6, 11));
  EXPECT_EQ(st.kind, PlanStatusKind::kStale);
  EXPECT_EQ(st.due, (core::LocalDate{2026, 7, 10}));
}

TEST_F(Staleness, OverdueOnlyAfterTheEndOfTheDueDay_R3) {
  EXPECT_FALSE(PlanStatusAt(versions, changes, "his", Local(2026, 7, 9)).overdue);
  EXPECT_FALSE(PlanStatusAt(versions, changes, "his", core::EndOfLocalDay({2026, 7, 10})).overdue);
  EXPECT_TRUE(PlanStatusAt(versions, changes, "his", core::StartOfLocalDay({2026, 7, 11})).overdue);
}

TEST_F(Staleness, ChangeJustAfterMidnightLocalCountsOnItsLocalDate_R3) {
  // 00:30 local on 01/07 is still 30/06 in UTC: the due date follows the local date.
  changes[0].at = Local(2026, 7, 1, 0, 30);
  const auto st = PlanStatusAt(versions, changes, "his", Local(2026, 7, 2));
  EXPECT_EQ(st.due, (core::LocalDate{2026, 7, 31}));
}

TEST_F(Staleness, FirstOfSeveralChangesStartsTheClock_R3) {
  changes.push_back({"ch8", "his", ChangeKind::kSoftware, Local(2026, 6, 20)});
  changes.push_back({"ch6", "his", ChangeKind::kAssets, Local(2026, 6, 1)});
  changes.push_back({"x", "other", ChangeKind::kAssets, Local(2026, 4, 1)});
  const auto st = PlanStatusAt(versions, changes, "his", Local(2026, 6, 25));
  EXPECT_EQ(st.change_id, "ch6");
  EXPECT_EQ(st.due, (core::LocalDate{2026, 7, 1}));
}

TEST_F(Staleness, ChangeBeforeTheApprovalDoesNotMakeItStale_R3) {
  changes[0].at = Local(2026, 3, 4);
  EXPECT_EQ(PlanStatusAt(versions, changes, "his", Local(2026, 6, 11)).kind,
            PlanStatusKind::kApprovedCurrent);
}

TEST_F(Staleness, ReapprovedNewVersionMakesPlanCurrentAgain_R3) {
  auto v2 = NextVersion(versions[0], Local(2026, 6, 12));
  ASSERT_TRUE(v2.has_value());
  ASSERT_TRUE(Submit(*v2, Staff(), Local(2026, 6, 15)).has_value());
  ASSERT_TRUE(Approve(*v2, OtherOutline(), Manager(), Local(2026, 6, 20)).has_value());
  versions.push_back(*v2);
  const auto before = PlanStatusAt(versions, changes, "his", Local(2026, 6, 19));
  EXPECT_EQ(before.kind, PlanStatusKind::kStale);
  EXPECT_EQ(before.version, 1);
  const auto after = PlanStatusAt(versions, changes, "his", Local(2026, 6, 20, 10));
  EXPECT_EQ(after.kind, PlanStatusKind::kApprovedCurrent);
  EXPECT_EQ(after.version, 2);
}

TEST_F(Staleness, ConfigurableWindow_R3) {
  const auto st = PlanStatusAt(versions, changes, "his", Local(2026, 6, 11), 10);
  EXPECT_EQ(st.due, (core::LocalDate{2026, 6, 20}));
}

TEST(PlanEvidence, ApprovedCompletePlanIsR3Evidence) {
  IrPlan p = ApprovedPlan(OtherOutline(), Local(2026, 3, 5, 23, 30));
  auto e = PlanEvidence(p, OtherOutline(), "his", Local(2026, 4, 1));
  ASSERT_TRUE(e.has_value()) << e.error().ToString();
  EXPECT_EQ(e->type, "ir_plan");
  EXPECT_EQ(e->subject_kind, "system");
  EXPECT_EQ(e->subject_id, "his");
  EXPECT_EQ(e->org_id, "syt");
  EXPECT_EQ(e->performed_on, "2026-03-05");  // local date, though 16:30 UTC
  EXPECT_EQ(e->id, "plan:p1:v1");
  EXPECT_EQ(e->review, core::ReviewState::kAccepted);
}

TEST(PlanEvidence, NotEvidenceBeforeApprovalOrForAnotherSystem_R3) {
  IrPlan p = ApprovedPlan(OtherOutline(), Local(2026, 3, 5));
  auto early = PlanEvidence(p, OtherOutline(), "his", Local(2026, 3, 4));
  ASSERT_FALSE(early.has_value());
  EXPECT_EQ(early.error().code, core::ErrorCode::kFailedPrecondition);
  EXPECT_NE(early.error().message.find("R3"), std::string::npos);
  auto other = PlanEvidence(p, OtherOutline(), "email", Local(2026, 4, 1));
  ASSERT_FALSE(other.has_value());
  IrPlan draft = CompleteDraft(OtherOutline(), Local(2026, 3, 1));
  ASSERT_FALSE(PlanEvidence(draft, OtherOutline(), "his", Local(2026, 4, 1)).has_value());
}

TEST(PlanEvidence, IncompleteForTheOutlineIsNotEvidence_R4) {
  // Approved against an older outline; the outline in force gained a mandatory section.
  IrPlan p = ApprovedPlan(OtherOutline(), Local(2026, 3, 5));
  Outline newer = OtherOutline();
  newer.sections.push_back({"backup", {"Sao lưu", "Backup"}, true, Topic::kOther});
  auto e = PlanEvidence(p, newer, "his", Local(2026, 4, 1));
  ASSERT_FALSE(e.has_value());
  EXPECT_NE(e.error().message.find("R4"), std::string::npos);
  EXPECT_NE(e.error().message.find("backup"), std::string::npos);
}

TEST(PlanEvidence, ApprovedCompletePlanIsR4ContentEvidenceRecordedByUcsc) {
  IrPlan p = ApprovedPlan(OtherOutline(), Local(2026, 3, 5, 23, 30));
  auto e = PlanContentEvidence(p, OtherOutline(), "his", Local(2026, 4, 1));
  ASSERT_TRUE(e.has_value()) << e.error().ToString();
  EXPECT_EQ(e->type, "ir_plan_content");  // R4: compliance::IsRecordedOnly
  EXPECT_EQ(e->id, "plan:p1:v1:r4");
  EXPECT_EQ(e->subject_id, "his");
  EXPECT_EQ(e->performed_on, "2026-03-05");
  EXPECT_EQ(e->review, core::ReviewState::kAccepted);
  EXPECT_NE(e->description.find("R4"), std::string::npos);
}

TEST(PlanEvidence, ContentEvidenceIdFitsTheStore_R4) {
  const std::string long_id(60, 'p');
  IrPlan p = ApprovedPlan(OtherOutline(), Local(2026, 3, 5), long_id);
  auto base = PlanEvidence(p, OtherOutline(), "his", Local(2026, 4, 1));
  auto e = PlanContentEvidence(p, OtherOutline(), "his", Local(2026, 4, 1));
  ASSERT_TRUE(base.has_value());
  ASSERT_TRUE(e.has_value());
  EXPECT_LE(e->id.size(), 64U);
  EXPECT_NE(e->id, base->id);
  EXPECT_EQ(e->id, PlanContentEvidence(p, OtherOutline(), "his", Local(2026, 4, 2))->id);
}

TEST(PlanEvidence, NoContentEvidenceForAnIncompleteOrUnapprovedPlan_R4) {
  IrPlan p = ApprovedPlan(OtherOutline(), Local(2026, 3, 5));
  Outline newer = OtherOutline();
  newer.sections.push_back({"backup", {"Sao lưu", "Backup"}, true, Topic::kOther});
  auto incomplete = PlanContentEvidence(p, newer, "his", Local(2026, 4, 1));
  ASSERT_FALSE(incomplete.has_value());
  EXPECT_NE(incomplete.error().message.find("backup"), std::string::npos);
  IrPlan draft = CompleteDraft(OtherOutline(), Local(2026, 3, 1));
  EXPECT_FALSE(PlanContentEvidence(draft, OtherOutline(), "his", Local(2026, 4, 1)).has_value());
}

}  // namespace
}  // namespace ucsc::plan
