#include "plan/drill.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace ucsc::plan {
namespace {

using testing::Local;

Drill Planned(std::string id = "d1") {
  Drill d;
  d.id = std::move(id);
  d.org_id = "syt";
  d.title = "Diễn tập thực chiến HIS";
  d.system_ids = {"his"};
  d.planned_start = {2026, 10, 5};
  d.planned_end = {2026, 10, 7};
  d.participants = {{"Đội đỏ", "vendor", ParticipantRole::kRedTeam},
                    {"Đội xanh", "syt", ParticipantRole::kBlueTeam},
                    {"Sở KH&CN", "skhcn", ParticipantRole::kObserver}};
  return d;
}

Finding Classified(std::string id, bool intrusion = false) {
  Finding f;
  f.id = std::move(id);
  f.system_id = "his";
  f.title = "Mật khẩu quản trị mặc định";
  f.category = FindingCategory::kTechnology;
  f.severity = Severity::kHigh;
  f.allows_intrusion = intrusion;
  f.owner = "u-it";
  f.due_date = "2026-11-30";
  return f;
}

// A closed live-fire drill of "his" started and closed at the given instants.
Drill Held(std::string id, core::Instant start, core::Instant close) {
  Drill d = Planned(std::move(id));
  EXPECT_TRUE(StartDrill(d, start).has_value());
  EXPECT_TRUE(RecordFinding(d, Classified("f1")).has_value());
  EXPECT_TRUE(CloseDrill(d, close).has_value());
  return d;
}

TEST(DrillPlan, LiveFireNeedsScopeDatesAndRedAndBlueTeams) {
  EXPECT_TRUE(ValidatePlannedDrill(Planned()).has_value());
  Drill no_scope = Planned();
  no_scope.system_ids.clear();
  EXPECT_EQ(ValidatePlannedDrill(no_scope).error().field, "/system_ids");
  Drill backwards = Planned();
  backwards.planned_end = {2026, 10, 4};
  EXPECT_EQ(ValidatePlannedDrill(backwards).error().field, "/planned_end");
  Drill no_red = Planned();
  no_red.participants.erase(no_red.participants.begin());
  EXPECT_EQ(ValidatePlannedDrill(no_red).error().field, "/participants");
  no_red.kind = DrillKind::kTabletop;  // a tabletop exercise has no red team
  EXPECT_TRUE(ValidatePlannedDrill(no_red).has_value());
}

TEST(DrillRun, TimelineIsSortedAndGivesTimeToDetectAndContain) {
  Drill d = Planned();
  ASSERT_TRUE(StartDrill(d, Local(2026, 10, 5, 8)).has_value());
  ASSERT_TRUE(
      AddTimelineEntry(d, {Local(2026, 10, 5, 10), TimelineKind::kDetection, "blue", "Phát hiện"})
          .has_value());
  ASSERT_TRUE(AddTimelineEntry(d, {Local(2026, 10, 5, 9), TimelineKind::kAction, "red", "Dò quét"})
                  .has_value());
  ASSERT_TRUE(AddTimelineEntry(
                  d, {Local(2026, 10, 5, 12, 30), TimelineKind::kContainment, "blue", "Chặn IP"})
                  .has_value());
  ASSERT_EQ(d.timeline.size(), 3u);
  EXPECT_EQ(d.timeline[0].kind, TimelineKind::kAction);
  EXPECT_EQ(TimeToDetect(d), std::chrono::milliseconds(std::chrono::hours(1)));
  EXPECT_EQ(TimeToContain(d), std::chrono::milliseconds(std::chrono::minutes(210)));
  auto early = AddTimelineEntry(d, {Local(2026, 10, 5, 7), TimelineKind::kNote, "x", "trước"});
  ASSERT_FALSE(early.has_value());
  EXPECT_EQ(early.error().field, "/timeline");
}

TEST(DrillRun, NoDetectionMeansNoTimeToDetect) {
  Drill d = Planned();
  ASSERT_TRUE(StartDrill(d, Local(2026, 10, 5, 8)).has_value());
  ASSERT_TRUE(
      AddTimelineEntry(d, {Local(2026, 10, 5, 9), TimelineKind::kAction, "red", "Khai thác"})
          .has_value());
  EXPECT_FALSE(TimeToDetect(d).has_value());
  EXPECT_FALSE(TimeToContain(d).has_value());
}

TEST(DrillRun, TimelineNeedsARunningDrill) {
  Drill d = Planned();
  auto r = AddTimelineEntry(d, {Local(2026, 10, 5, 9), TimelineKind::kAction, "red", "x"});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, core::ErrorCode::kFailedPrecondition);
}

TEST(DrillClose, ClosingWithoutFindingsIsRefused_R5) {
  Drill d = Planned();
  ASSERT_TRUE(StartDrill(d, Local(2026, 10, 5, 8)).has_value());
  auto r = CloseDrill(d, Local(2026, 10, 7, 17));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, core::ErrorCode::kFailedPrecondition);
  EXPECT_NE(r.error().message.find("no finding"), std::string::npos);
  EXPECT_EQ(d.state, DrillState::kRunning);
}

TEST(DrillClose, ClosingWithUnclassifiedFindingIsRefused_R5) {
  Drill d = Planned();
  ASSERT_TRUE(StartDrill(d, Local(2026, 10, 5, 8)).has_value());
  Finding f = Classified("f2");
  f.category = FindingCategory::kUnclassified;
  f.owner.clear();
  ASSERT_TRUE(RecordFinding(d, Classified("f1")).has_value());
  ASSERT_TRUE(RecordFinding(d, f).has_value());
  const auto problems = ClosingProblems(d);
  ASSERT_EQ(problems.size(), 2u);
  auto r = CloseDrill(d, Local(2026, 10, 7, 17));
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("f2: not classified"), std::string::npos) << r.error().message;
  // Classify it, give an owner: now it closes.
  f.category = FindingCategory::kPeople;
  f.owner = "u-hr";
  ASSERT_TRUE(RecordFinding(d, f).has_value());
  ASSERT_EQ(d.findings.size(), 2u);
  ASSERT_TRUE(CloseDrill(d, Local(2026, 10, 7, 17)).has_value());
  EXPECT_EQ(d.state, DrillState::kClosed);
  EXPECT_FALSE(RecordFinding(d, Classified("f3")).has_value());
}

TEST(DrillFinding, OutOfScopeSystemAndBadDueDateAreRefused) {
  Drill d = Planned();
  Finding f = Classified("f1");
  f.system_id = "email";
  EXPECT_EQ(RecordFinding(d, f).error().field, "/findings/f1/system_id");
  f = Classified("f1");
  f.due_date = "30/11/2026";
  EXPECT_EQ(RecordFinding(d, f).error().field, "/findings/f1/due_date");
  f = Classified("");
  EXPECT_EQ(RecordFinding(d, f).error().field, "/findings/-/id");
}

TEST(DrillFinding, EachFindingIsARemediationTask) {
  Drill d = Planned();
  Finding f = Classified("f1");
  f.category = FindingCategory::kProcess;
  ASSERT_TRUE(RecordFinding(d, f).has_value());
  const auto tasks = FindingTasks(d, d.findings[0], Local(2026, 10, 8));
  ASSERT_EQ(tasks.size(), 1u);
  EXPECT_EQ(tasks[0].kind, "remediation");
  EXPECT_EQ(tasks[0].id, "d1-f1-remediation");
  EXPECT_EQ(tasks[0].title, "[process] Mật khẩu quản trị mặc định");
  EXPECT_EQ(tasks[0].assignee, "u-it");
  EXPECT_EQ(tasks[0].due_date, "2026-11-30");
  EXPECT_EQ(tasks[0].system_id, "his");
  EXPECT_EQ(tasks[0].org_id, "syt");
}

TEST(DrillFinding, FindingThatAllowsIntrusionOpensRemediationAndHuntTogether_R6) {
  Drill d = Planned();
  ASSERT_TRUE(RecordFinding(d, Classified("f1", true)).has_value());
  ASSERT_TRUE(RecordFinding(d, Classified("f2")).has_value());
  const auto tasks = DrillTasks(d, Local(2026, 10, 8, 9));
  ASSERT_EQ(tasks.size(), 3u);
  EXPECT_EQ(tasks[0].kind, "remediation");
  EXPECT_EQ(tasks[1].kind, "hunt");
  EXPECT_EQ(tasks[1].id, "d1-f1-hunt");
  EXPECT_EQ(tasks[1].system_id, "his");
  EXPECT_EQ(tasks[0].created_at, tasks[1].created_at);  // R6: both started at the same time
  EXPECT_NE(tasks[1].title.find("R6"), std::string::npos);
  EXPECT_EQ(tasks[2].kind, "remediation");
}

TEST(DrillEvidence, ClosedLiveFireDrillIsR5EvidenceForEachSystemInScope) {
  Drill d = Held("d1", Local(2026, 10, 5, 8), Local(2026, 10, 7, 17));
  auto e = DrillEvidence(d, "his", Local(2026, 10, 8));
  ASSERT_TRUE(e.has_value()) << e.error().ToString();
  EXPECT_EQ(e->type, "drill_report");
  EXPECT_EQ(e->subject_id, "his");
  EXPECT_EQ(e->performed_on, "2026-10-05");
  EXPECT_FALSE(DrillEvidence(d, "his", Local(2026, 10, 7, 16)).has_value());  // before closing
  EXPECT_FALSE(DrillEvidence(d, "email", Local(2026, 10, 8)).has_value());
  d.kind = DrillKind::kTabletop;
  auto tabletop = DrillEvidence(d, "his", Local(2026, 10, 8));
  ASSERT_FALSE(tabletop.has_value());
  EXPECT_NE(tabletop.error().message.find("R25"), std::string::npos);
}

// R5: level 3 since 01/01/2025; one drill held 31/12/2025 23:00 local, none in 2026.
class YearlyDrill : public ::testing::Test {
 protected:
  std::vector<LevelSpan> levels{{{2020, 1, 1}, 2}, {{2025, 1, 1}, 3}};
  std::vector<Drill> drills{Held("d2025", Local(2025, 12, 31, 23), Local(2025, 12, 31, 23, 30))};
  DrillRuleStatus At(core::Instant at) { return EvaluateYearlyDrill("his", levels, drills, at); }
};

TEST_F(YearlyDrill, DrillOnThirtyFirstDecemberMeetsThatYear_R5) {
  const auto st = At(core::EndOfLocalDay({2025, 12, 31}));
  EXPECT_EQ(st.state, DrillRuleState::kMet);
  EXPECT_EQ(st.year, 2025);
  EXPECT_EQ(st.drill_id, "d2025");
  EXPECT_EQ(st.rule, "R5");
  // Before it was closed it did not count yet.
  EXPECT_EQ(At(Local(2025, 12, 31, 23, 10)).state, DrillRuleState::kDueSoon);
}

TEST_F(YearlyDrill, NextYearIsOpenThenDueSoonSixtyDaysBefore_R5) {
  auto st = At(Local(2026, 6, 1));
  EXPECT_EQ(st.state, DrillRuleState::kOpen);
  EXPECT_EQ(st.due, (core::LocalDate{2026, 12, 31}));
  EXPECT_EQ(At(core::EndOfLocalDay({2026, 10, 31})).state, DrillRuleState::kOpen);
  EXPECT_EQ(At(core::StartOfLocalDay({2026, 11, 1})).state, DrillRuleState::kDueSoon);
  EXPECT_EQ(At(core::EndOfLocalDay({2026, 12, 31})).state, DrillRuleState::kDueSoon);
}

TEST_F(YearlyDrill, NoneInTheNextYearIsOverdueFromFirstJanuary_R5) {
  const auto st = At(core::StartOfLocalDay({2027, 1, 1}));
  EXPECT_EQ(st.state, DrillRuleState::kOverdue);
  EXPECT_EQ(st.year, 2026);
  EXPECT_EQ(st.due, (core::LocalDate{2026, 12, 31}));
}

TEST_F(YearlyDrill, LateDrillPaysForLastYearThenThisYearIsOpen_R5) {
  drills.push_back(Held("d-late", Local(2027, 2, 10), Local(2027, 2, 12)));
  const auto st = At(Local(2027, 3, 1));
  EXPECT_EQ(st.state, DrillRuleState::kOpen);
  EXPECT_EQ(st.year, 2027);
  drills.push_back(Held("d-2027", Local(2027, 9, 10), Local(2027, 9, 12)));
  const auto met = At(Local(2027, 10, 1));
  EXPECT_EQ(met.state, DrillRuleState::kMet);
  EXPECT_EQ(met.drill_id, "d-2027");
}

TEST_F(YearlyDrill, DrillJustAfterMidnightLocalCountsForTheNewYear_R5) {
  // 00:30 local on 01/01/2026 is 17:30 UTC on 31/12/2025: it counts for 2026.
  drills = {Held("d-new-year", Local(2026, 1, 1, 0, 30), Local(2026, 1, 1, 2))};
  // 2025 had none: this drill pays for 2025 late, and 2026 is still open.
  EXPECT_EQ(At(Local(2026, 1, 2)).state, DrillRuleState::kOpen);
  drills.push_back(Held("d-2025", Local(2025, 6, 1), Local(2025, 6, 2)));
  const auto st = At(Local(2026, 1, 2));
  EXPECT_EQ(st.state, DrillRuleState::kMet);
  EXPECT_EQ(st.drill_id, "d-new-year");
}

TEST_F(YearlyDrill, TabletopAndOtherSystemsDoNotCount_R5_R25) {
  drills[0].kind = DrillKind::kTabletop;
  EXPECT_EQ(At(core::EndOfLocalDay({2025, 12, 31})).state, DrillRuleState::kDueSoon);
  drills[0].kind = DrillKind::kLiveFire;
  EXPECT_EQ(EvaluateYearlyDrill("email", levels, drills, core::EndOfLocalDay({2025, 12, 31})).state,
            DrillRuleState::kDueSoon);
}

TEST_F(YearlyDrill, BelowLevelThreeIsNotApplicable_R5) {
  levels = {{{2020, 1, 1}, 2}};
  const auto st = At(Local(2026, 6, 1));
  EXPECT_EQ(st.state, DrillRuleState::kNotApplicable);
  EXPECT_FALSE(st.reason.empty());
}

TEST_F(YearlyDrill, SystemReachingLevelThreeMidYearOwesFromNextFullYear_LeapYear_R5) {
  // Level 3 from 15/03/2027; 2027 is not owed, 2028 (leap year) is.
  levels = {{{2020, 1, 1}, 2}, {{2027, 3, 15}, 3}};
  drills.clear();
  EXPECT_EQ(At(Local(2027, 12, 31)).state, DrillRuleState::kNotApplicable);
  EXPECT_EQ(At(Local(2028, 1, 1)).state, DrillRuleState::kOpen);
  drills.push_back(Held("d-leap", Local(2028, 2, 29, 8), Local(2028, 2, 29, 17)));
  const auto st = At(Local(2028, 3, 1));
  EXPECT_EQ(st.state, DrillRuleState::kMet);
  EXPECT_EQ(st.year, 2028);
  EXPECT_EQ(st.due, (core::LocalDate{2028, 12, 31}));
  EXPECT_EQ(At(core::StartOfLocalDay({2029, 1, 1})).state, DrillRuleState::kOpen);
  EXPECT_EQ(At(core::StartOfLocalDay({2030, 1, 1})).state, DrillRuleState::kOverdue);
}

}  // namespace
}  // namespace ucsc::plan

namespace ucsc::plan {
namespace {

TEST(DrillIds, DerivedIdsFitTheStoreAndStayDeterministic) {
  EXPECT_EQ(FitId("d1-f1-hunt"), "d1-f1-hunt");
  const std::string uuid = "0190f3a2-7b4c-7def-8123-456789abcdef";
  const std::string long_id = "drill:" + uuid + ":" + uuid;
  const std::string fitted = FitId(long_id);
  EXPECT_EQ(fitted.size(), 64U);
  EXPECT_EQ(fitted, FitId(long_id));
  EXPECT_EQ(fitted.substr(0, 47), long_id.substr(0, 47));
  EXPECT_NE(fitted, FitId("drill:" + uuid + ":" + uuid.substr(0, 35) + "0"));
}

}  // namespace
}  // namespace ucsc::plan
