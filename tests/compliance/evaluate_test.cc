// Deadline tests for each rule of data/rulepacks (DOMAIN.md R1–R26): the day before, of and after
// each due date, 31/08 + 6 months, leap years, a level change, a system added mid-period, a
// superseded pack.
#include "compliance/evaluate.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "compliance/history.h"

namespace ucsc::compliance {
namespace {

const std::string kPacks = std::string(UCSC_SOURCE_DIR) + "/data/rulepacks";

const RuleSet& Packs() {
  static const RuleSet set = [] {
    auto s = LoadPacks(kPacks);
    if (!s) throw std::runtime_error(s.error().message);
    return *s;
  }();
  return set;
}

core::LocalDate D(int y, unsigned m, unsigned d) { return {y, m, d}; }
// "--at DATE": the end of that local day.
core::Instant At(int y, unsigned m, unsigned d) { return core::EndOfLocalDay(D(y, m, d)); }

class World {
 public:
  World() {
    facts_.orgs.push_back(
        {"org", "Sở Tài chính", core::OrgType::kAgency, true, true, D(2020, 1, 1)});
  }
  SystemFacts& System(const std::string& id, int level, core::LocalDate created) {
    SystemFacts s;
    s.id = id;
    s.name = "Hệ thống " + id;
    s.owner_org_id = "org";
    s.operator_org_id = "org";
    s.level = level;
    s.level_approved = true;
    s.created = created;
    facts_.systems.push_back(s);
    return facts_.systems.back();
  }
  OrgFacts& Org() { return facts_.orgs.front(); }
  void Evidence(const std::string& subject, const std::string& type, core::LocalDate on,
                bool rejected = false, bool pending = false) {
    EvidenceFact e;
    e.id = "ev" + std::to_string(facts_.evidence.size() + 1);
    e.subject_kind = subject == "org" ? SubjectKind::kOrganisation : SubjectKind::kSystem;
    e.subject_id = subject;
    e.type = type;
    e.performed_on = on;
    e.rejected = rejected;
    e.pending_review = pending;
    facts_.evidence.push_back(e);
  }
  void Trigger(const std::string& subject, const std::string& trigger, core::LocalDate on) {
    facts_.triggers.push_back(
        {subject, trigger, core::StartOfLocalDay(on) + std::chrono::hours(9)});
  }
  Facts& facts() { return facts_; }

  // The status of `rule` for `subject` at the end of the local day `at`.
  Status Of(const std::string& rule, const std::string& subject, core::Instant at) {
    Evaluator ev(Packs(), facts_);
    for (auto& s : ev.EvaluateSubject(subject, at)) {
      if (s.rule->id == rule) return s;
    }
    ADD_FAILURE() << "no row for " << rule << " / " << subject;
    return {};
  }
  State StateOf(const std::string& rule, const std::string& subject, core::Instant at) {
    return Of(rule, subject, at).state;
  }

 private:
  Facts facts_;
};

// ---- R1, R2: rolling 6 months ----------------------------------------------------------------

TEST(ComplianceR1, ThirtyFirstOfAugustPlusSixMonthsIsEndOfFebruary) {
  World w;
  w.System("s", 2, D(2024, 1, 1));
  w.Evidence("s", "hunt_report", D(2025, 8, 31));
  auto st = w.Of("R1", "s", At(2026, 2, 27));
  EXPECT_EQ(st.state, State::kDueSoon);
  EXPECT_EQ(st.due, D(2026, 2, 28));
  EXPECT_EQ(st.evidence_id, "ev1");
  EXPECT_EQ(w.StateOf("R1", "s", At(2026, 2, 28)), State::kDueSoon);  // the day itself: not late
  auto late = w.Of("R1", "s", At(2026, 3, 1));
  EXPECT_EQ(late.state, State::kOverdue);
  EXPECT_EQ(late.days_overdue, 1);
  EXPECT_NE(late.missing.find("hunt_report after 2025-08-31"), std::string::npos) << late.missing;
  // One second after midnight local on 1/3 is already late; the last millisecond of 28/2 is not.
  EXPECT_EQ(w.StateOf("R1", "s", core::EndOfLocalDay(D(2026, 2, 28)) + std::chrono::seconds(1)),
            State::kOverdue);
}

TEST(ComplianceR1, LeapYearGivesTwentyNinthOfFebruary) {
  World w;
  w.System("s", 2, D(2022, 1, 1));
  w.Evidence("s", "hunt_report", D(2023, 8, 31));
  EXPECT_EQ(w.Of("R1", "s", At(2024, 2, 28)).due, D(2024, 2, 29));
  EXPECT_EQ(w.StateOf("R1", "s", At(2024, 2, 29)), State::kDueSoon);
  EXPECT_EQ(w.StateOf("R1", "s", At(2024, 3, 1)), State::kOverdue);
}

TEST(ComplianceR1, WarningStartsThirtyDaysBefore) {
  World w;
  w.System("s", 2, D(2024, 1, 1));
  w.Evidence("s", "hunt_report", D(2026, 1, 15));  // due 15/07
  EXPECT_EQ(w.StateOf("R1", "s", At(2026, 6, 14)), State::kOk);
  EXPECT_EQ(w.StateOf("R1", "s", At(2026, 6, 15)), State::kDueSoon);
  EXPECT_EQ(w.StateOf("R1", "s", At(2026, 7, 15)), State::kDueSoon);
  EXPECT_EQ(w.StateOf("R1", "s", At(2026, 7, 16)), State::kOverdue);
}

TEST(ComplianceR2, SystemAddedMidPeriodHasSixMonthsFromItsCreation) {
  World w;
  w.System("new", 2, D(2026, 3, 10));
  EXPECT_EQ(w.StateOf("R2", "new", At(2026, 9, 9)), State::kDueSoon);
  EXPECT_EQ(w.StateOf("R2", "new", At(2026, 9, 10)), State::kDueSoon);
  auto st = w.Of("R2", "new", At(2026, 9, 11));
  EXPECT_EQ(st.state, State::kOverdue);
  EXPECT_NE(st.missing.find("scan_report (none on record)"), std::string::npos);
}

TEST(ComplianceR2, OldSystemCountsFromTheDirective) {
  World w;
  w.System("old", 2, D(2015, 5, 1));
  auto st = w.Of("R2", "old", At(2023, 4, 13));
  EXPECT_EQ(st.due, D(2023, 4, 13));
  EXPECT_EQ(st.state, State::kDueSoon);
  EXPECT_EQ(w.StateOf("R2", "old", At(2023, 4, 14)), State::kOverdue);
}

TEST(ComplianceR2, RejectedEvidenceDoesNotCountPendingDoes) {
  World w;
  w.System("s", 2, D(2024, 1, 1));
  w.Evidence("s", "scan_report", D(2026, 10, 1), /*rejected=*/true);
  EXPECT_EQ(w.StateOf("R2", "s", At(2026, 11, 1)), State::kOverdue);
  w.Evidence("s", "scan_report", D(2026, 10, 2), false, /*pending=*/true);
  auto st = w.Of("R2", "s", At(2026, 11, 1));
  EXPECT_EQ(st.state, State::kOk);
  EXPECT_TRUE(st.evidence_pending_review);
  // Evidence of another type does not satisfy it.
  World v;
  v.System("s", 2, D(2024, 1, 1));
  v.Evidence("s", "hunt_report", D(2026, 10, 1));
  EXPECT_EQ(v.StateOf("R2", "s", At(2026, 11, 1)), State::kOverdue);
}

TEST(ComplianceR2, FutureDatedEvidenceIsIgnored) {
  World w;
  w.System("s", 2, D(2024, 1, 1));
  w.Evidence("s", "scan_report", D(2027, 1, 1));
  EXPECT_EQ(w.StateOf("R2", "s", At(2026, 11, 1)), State::kOverdue);
}

// ---- R3: IR plan after creation and after each change ----------------------------------------

TEST(ComplianceR3, PlanDueThirtyDaysAfterCreationAndAfterEachChange) {
  World w;
  w.System("s", 3, D(2026, 1, 10));
  EXPECT_EQ(w.StateOf("R3", "s", At(2026, 2, 9)), State::kDueSoon);
  EXPECT_EQ(w.StateOf("R3", "s", At(2026, 2, 10)), State::kOverdue);
  w.Evidence("s", "ir_plan", D(2026, 1, 20));
  EXPECT_EQ(w.StateOf("R3", "s", At(2026, 2, 10)), State::kOk);
  w.Trigger("s", "system_changed", D(2026, 5, 1));
  auto st = w.Of("R3", "s", At(2026, 5, 31));
  EXPECT_EQ(st.due, D(2026, 5, 31));
  EXPECT_EQ(st.state, State::kDueSoon);
  EXPECT_EQ(w.StateOf("R3", "s", At(2026, 6, 1)), State::kOverdue);
  w.Evidence("s", "ir_plan", D(2026, 5, 1));  // same day as the change counts
  EXPECT_EQ(w.StateOf("R3", "s", At(2026, 6, 1)), State::kOk);
}

TEST(ComplianceR3, SystemsBeforeTheDirectiveOwedAPlanBy31December2022) {
  World w;
  w.System("s", 2, D(2019, 1, 1));
  EXPECT_EQ(w.Of("R3", "s", At(2022, 12, 31)).due, D(2022, 12, 31));
  EXPECT_EQ(w.StateOf("R3", "s", At(2022, 12, 31)), State::kDueSoon);
  EXPECT_EQ(w.StateOf("R3", "s", At(2023, 1, 1)), State::kOverdue);
}

// ---- R4: the plan's content, from plans approved complete in ucsc ----------------------------

TEST(ComplianceR4, ContentOwedBy31December2022TheDayBeforeOfAndAfter) {
  World w;
  w.System("s", 3, D(2019, 1, 1));
  const Status before = w.Of("R4", "s", At(2022, 12, 30));
  EXPECT_EQ(before.rule->basis.article, "QĐ05 Điều 16.2; TT20 Điều 12");
  EXPECT_EQ(before.due, D(2022, 12, 31));
  EXPECT_EQ(before.state, State::kDueSoon);
  EXPECT_EQ(before.missing, "ir_plan_content on or after 2022-10-13");
  EXPECT_EQ(w.StateOf("R4", "s", At(2022, 12, 31)), State::kDueSoon);
  const Status after = w.Of("R4", "s", At(2023, 1, 1));
  EXPECT_EQ(after.state, State::kOverdue);
  EXPECT_EQ(after.days_overdue, 1);
}

TEST(ComplianceR4, OnlyPlanContentEvidenceCountsNotAnUploadedPlan) {
  World w;
  w.System("s", 3, D(2019, 1, 1));
  w.Evidence("s", "ir_plan", D(2022, 12, 1));  // R3 is met by an uploaded plan …
  EXPECT_EQ(w.StateOf("R3", "s", At(2023, 1, 1)), State::kOk);
  EXPECT_EQ(w.StateOf("R4", "s", At(2023, 1, 1)), State::kOverdue);  // … R4 is not
  w.Evidence("s", "ir_plan_content", D(2022, 12, 31));  // approved complete on the due day
  const Status on = w.Of("R4", "s", At(2023, 1, 1));
  EXPECT_EQ(on.state, State::kOk);
  EXPECT_EQ(on.evidence_date, D(2022, 12, 31));
  EXPECT_TRUE(IsRecordedOnly("ir_plan_content"));
  EXPECT_FALSE(IsRecordedOnly("ir_plan"));
}

TEST(ComplianceR4, ApprovedTheDayBeforeOrAfterTheDeadline) {
  World early;
  early.System("s", 2, D(2019, 1, 1));
  early.Evidence("s", "ir_plan_content", D(2022, 12, 30));
  EXPECT_EQ(early.StateOf("R4", "s", At(2022, 12, 30)), State::kOk);
  World late;
  late.System("s", 2, D(2019, 1, 1));
  late.Evidence("s", "ir_plan_content", D(2023, 1, 1));
  // Before the approval the pair was overdue from 1/1/2023; approved that day it is met.
  EXPECT_EQ(late.StateOf("R4", "s", At(2022, 12, 31)), State::kDueSoon);
  EXPECT_EQ(late.StateOf("R4", "s", At(2023, 1, 1)), State::kOk);
}

TEST(ComplianceR4, EachChangeNeedsAnotherCompleteVersionWithinThirtyDays) {
  World w;
  w.System("s", 4, D(2019, 1, 1));
  w.Evidence("s", "ir_plan_content", D(2022, 11, 1));
  w.Trigger("s", "system_changed", D(2026, 3, 2));
  const Status day_before = w.Of("R4", "s", At(2026, 3, 31));
  EXPECT_EQ(day_before.due, D(2026, 4, 1));
  EXPECT_EQ(day_before.state, State::kDueSoon);
  EXPECT_EQ(w.StateOf("R4", "s", At(2026, 4, 1)), State::kDueSoon);
  EXPECT_EQ(w.StateOf("R4", "s", At(2026, 4, 2)), State::kOverdue);
  w.Evidence("s", "ir_plan_content", D(2026, 4, 1));
  EXPECT_EQ(w.StateOf("R4", "s", At(2026, 4, 2)), State::kOk);
}

TEST(ComplianceHistory, SkipTypesLeaveTheModulesOwnEvidenceOut_R3R4R5) {
  World w;
  for (int i = 0; i < 20; ++i) w.System("s" + std::to_string(i), 3, D(2019, 1, 1));
  auto count = [](const std::vector<EvidenceFact>& h, const std::string& type) {
    return std::count_if(h.begin(), h.end(), [&](const EvidenceFact& e) { return e.type == type; });
  };
  const auto all = GenerateHistory(Packs(), w.facts(), D(2026, 12, 31), D(2026, 12, 8), {});
  HistoryMix mix;
  mix.skip_types = {"ir_plan", "ir_plan_content", "drill_report"};  // the plan module's (demo.h)
  const auto some = GenerateHistory(Packs(), w.facts(), D(2026, 12, 31), D(2026, 12, 8), mix);
  EXPECT_GT(count(all, "ir_plan"), 0);
  EXPECT_GT(count(all, "drill_report"), 0);
  for (const auto& type : mix.skip_types) EXPECT_EQ(count(some, type), 0) << type;
  // R25 (training or drill_report) keeps its first type; other rules are untouched.
  EXPECT_EQ(count(some, "training"), count(all, "training"));
  EXPECT_EQ(count(some, "hunt_report"), count(all, "hunt_report"));
}

// ---- R5: drill each calendar year for level >= 3 ---------------------------------------------

TEST(ComplianceR5, DrillByThirtyFirstOfDecember) {
  World w;
  w.System("s", 3, D(2020, 1, 1));
  w.Evidence("s", "drill_report", D(2025, 6, 1));
  EXPECT_EQ(w.StateOf("R5", "s", At(2026, 10, 31)), State::kOk);
  EXPECT_EQ(w.StateOf("R5", "s", At(2026, 11, 1)), State::kDueSoon);  // 60 days before
  EXPECT_EQ(w.StateOf("R5", "s", At(2026, 12, 31)), State::kDueSoon);
  auto st = w.Of("R5", "s", At(2027, 1, 1));
  EXPECT_EQ(st.state, State::kOverdue);
  EXPECT_EQ(st.days_overdue, 1);
  EXPECT_NE(st.missing.find("2026-01-01 to 2026-12-31"), std::string::npos) << st.missing;
  w.Evidence("s", "drill_report", D(2026, 12, 31));
  EXPECT_EQ(w.StateOf("R5", "s", At(2027, 1, 1)), State::kOk);
}

TEST(ComplianceR5, LateDrillPaysForTheMissedYearOnly) {
  World w;
  w.System("s", 4, D(2020, 1, 1));
  w.Evidence("s", "drill_report", D(2024, 5, 1));
  w.Evidence("s", "drill_report", D(2026, 1, 15));  // for 2025, late
  EXPECT_EQ(w.StateOf("R5", "s", At(2026, 1, 14)), State::kOverdue);
  auto st = w.Of("R5", "s", At(2026, 2, 1));
  EXPECT_EQ(st.state, State::kOk);
  EXPECT_EQ(st.due, D(2026, 12, 31));
  EXPECT_TRUE(st.evidence_id.empty());  // 2026 not yet done
  EXPECT_EQ(w.StateOf("R5", "s", At(2026, 11, 15)), State::kDueSoon);
}

TEST(ComplianceR5, LevelChangeMidYearFirstOwesTheNextFullYear) {
  World w;
  auto& s = w.System("s", 3, D(2020, 1, 1));
  s.level_history = {{D(2020, 1, 1), 2}, {D(2026, 5, 1), 3}};
  auto st = w.Of("R5", "s", At(2026, 12, 31));
  EXPECT_EQ(st.state, State::kOk);
  EXPECT_EQ(st.due, D(2027, 12, 31));
  EXPECT_EQ(w.StateOf("R5", "s", At(2027, 1, 1)), State::kOk);
  EXPECT_EQ(w.StateOf("R5", "s", At(2028, 1, 1)), State::kOverdue);
}

TEST(ComplianceR5, NotApplicableBelowLevelThree) {
  World w;
  w.System("s", 2, D(2020, 1, 1));
  auto st = w.Of("R5", "s", At(2026, 12, 31));
  EXPECT_EQ(st.state, State::kNotApplicable);
  EXPECT_EQ(st.reason, "level 2");
}

// ---- R7, R17, R19, R21: standing requirements --------------------------------------------------

TEST(ComplianceR7, TeamOfFiveWithDecision) {
  World w;
  w.Org().type = core::OrgType::kCoordinator;
  w.facts().ir_team_members = 4;
  w.Evidence("org", "ir_team_decision", D(2022, 11, 1));
  EXPECT_EQ(w.StateOf("R7", "org", At(2022, 12, 31)), State::kDueSoon);
  auto st = w.Of("R7", "org", At(2023, 1, 1));
  EXPECT_EQ(st.state, State::kOverdue);
  EXPECT_NE(st.reason.find("4 members, 5 required"), std::string::npos);
  w.facts().ir_team_members = 5;
  EXPECT_EQ(w.StateOf("R7", "org", At(2023, 1, 1)), State::kOk);
  World agency;  // an ordinary agency does not need its own team
  EXPECT_EQ(agency.StateOf("R7", "org", At(2023, 1, 1)), State::kNotApplicable);
}

TEST(ComplianceR17, FocalPointRequiredForNetworkMembers) {
  World w;
  EXPECT_EQ(w.StateOf("R17", "org", At(2026, 1, 1)), State::kOk);
  w.Org().has_focal_point = false;
  EXPECT_EQ(w.StateOf("R17", "org", At(2026, 1, 1)), State::kOverdue);
  w.Org().network_member = false;
  EXPECT_EQ(w.StateOf("R17", "org", At(2026, 1, 1)), State::kNotApplicable);
}

TEST(ComplianceR19, LevelApprovedBy30September2024) {
  World w;
  w.System("s", 2, D(2020, 1, 1)).level_approved = false;
  EXPECT_EQ(w.StateOf("R19", "s", At(2024, 8, 30)), State::kOk);
  EXPECT_EQ(w.StateOf("R19", "s", At(2024, 8, 31)), State::kDueSoon);
  EXPECT_EQ(w.StateOf("R19", "s", At(2024, 9, 30)), State::kDueSoon);
  EXPECT_EQ(w.StateOf("R19", "s", At(2024, 10, 1)), State::kOverdue);
}

TEST(ComplianceR21, SecurityPlanBy31December2024) {
  World w;
  w.System("s", 2, D(2020, 1, 1));
  EXPECT_EQ(w.StateOf("R21", "s", At(2024, 12, 31)), State::kDueSoon);
  EXPECT_EQ(w.StateOf("R21", "s", At(2025, 1, 1)), State::kOverdue);
  w.Evidence("s", "security_plan", D(2024, 12, 1));
  EXPECT_EQ(w.StateOf("R21", "s", At(2025, 1, 1)), State::kOk);
}

// ---- R16, R23: calendar deadlines of organisations --------------------------------------------

TEST(ComplianceR16, HalfYearBy20JuneAnnualBy15December) {
  World w;
  w.System("s", 2, D(2020, 1, 1));
  w.Evidence("org", "periodic_report", D(2025, 12, 10));
  EXPECT_EQ(w.StateOf("R16", "org", At(2026, 6, 5)), State::kOk);
  EXPECT_EQ(w.StateOf("R16", "org", At(2026, 6, 6)), State::kDueSoon);  // 14 days before
  EXPECT_EQ(w.StateOf("R16", "org", At(2026, 6, 20)), State::kDueSoon);
  auto st = w.Of("R16", "org", At(2026, 6, 21));
  EXPECT_EQ(st.state, State::kOverdue);
  EXPECT_EQ(st.due, D(2026, 6, 20));
  EXPECT_NE(st.missing.find("2025-12-16 to 2026-06-20"), std::string::npos) << st.missing;
  w.Evidence("org", "periodic_report", D(2026, 6, 19));
  EXPECT_EQ(w.StateOf("R16", "org", At(2026, 6, 21)), State::kOk);
  EXPECT_EQ(w.StateOf("R16", "org", At(2026, 11, 30)), State::kOk);
  EXPECT_EQ(w.StateOf("R16", "org", At(2026, 12, 1)), State::kDueSoon);
  EXPECT_EQ(w.StateOf("R16", "org", At(2026, 12, 15)), State::kDueSoon);
  EXPECT_EQ(w.StateOf("R16", "org", At(2026, 12, 16)), State::kOverdue);
}

TEST(ComplianceR23, OperatorBy20DecemberOwnerBy25December) {
  World w;
  w.System("s", 2, D(2020, 1, 1));
  w.Evidence("org", "level_report", D(2025, 12, 18));
  EXPECT_EQ(w.StateOf("R23", "org", At(2026, 12, 20)), State::kDueSoon);
  EXPECT_EQ(w.StateOf("R23", "org", At(2026, 12, 21)), State::kOverdue);
  EXPECT_EQ(w.StateOf("R23-OWNER", "org", At(2026, 12, 25)), State::kDueSoon);
  EXPECT_EQ(w.StateOf("R23-OWNER", "org", At(2026, 12, 26)), State::kOverdue);
  w.Evidence("org", "level_report", D(2026, 12, 19));
  EXPECT_EQ(w.StateOf("R23", "org", At(2026, 12, 21)), State::kOk);
  EXPECT_EQ(w.StateOf("R23-OWNER", "org", At(2026, 12, 26)), State::kOk);
}

TEST(ComplianceR23, OrganisationWithoutSystemsNotApplicable) {
  World w;
  EXPECT_EQ(w.StateOf("R23", "org", At(2026, 12, 21)), State::kNotApplicable);
}

// ---- R22: inspection by level; a superseded pack ------------------------------------------------

TEST(ComplianceR22, PeriodDependsOnLevel) {
  World w;
  w.System("l3", 3, D(2020, 1, 1));
  w.System("l5", 5, D(2020, 1, 1));
  w.Evidence("l3", "inspection", D(2025, 3, 1));
  w.Evidence("l5", "inspection", D(2025, 3, 1));
  EXPECT_EQ(w.Of("R22", "l3", At(2025, 4, 1)).due, D(2026, 3, 1));
  EXPECT_EQ(w.Of("R22", "l5", At(2025, 4, 1)).due, D(2025, 9, 1));
  EXPECT_EQ(w.StateOf("R22", "l5", At(2025, 9, 2)), State::kOverdue);
  EXPECT_EQ(w.StateOf("R22", "l3", At(2025, 9, 2)), State::kOk);
}

TEST(ComplianceR22, SupersededPackGivesWayOnItsEffectiveDate) {
  World w;
  w.System("s", 3, D(2020, 1, 1));
  w.Evidence("s", "inspection", D(2026, 1, 1));
  auto before = w.Of("R22", "s", At(2026, 6, 30));
  auto after = w.Of("R22", "s", At(2026, 7, 1));
  EXPECT_EQ(before.rule->pack, "vn-2022");
  EXPECT_EQ(after.rule->pack, "vn-2026");
  EXPECT_EQ(after.rule->version, 2);
  EXPECT_EQ(after.due, D(2027, 1, 1));  // the evidence carries over
}

// ---- Event timers of incidents (R8, R10, R11)
// -----------------------------------------------------

TEST(ComplianceR8, NotificationWithinFiveDaysOfDetection) {
  World w;
  w.System("s", 3, D(2020, 1, 1));
  EXPECT_EQ(w.StateOf("R8", "s", At(2026, 11, 2)), State::kNotApplicable);
  w.Trigger("s", "incident_detected", D(2026, 11, 1));
  EXPECT_EQ(w.Of("R8", "s", At(2026, 11, 3)).state, State::kOk);
  EXPECT_EQ(w.StateOf("R8", "s", At(2026, 11, 4)), State::kDueSoon);  // 2 days before
  EXPECT_EQ(w.StateOf("R8", "s", At(2026, 11, 6)), State::kDueSoon);
  EXPECT_EQ(w.StateOf("R8", "s", At(2026, 11, 7)), State::kOverdue);
  w.Evidence("s", "incident_notification", D(2026, 11, 3));
  EXPECT_EQ(w.StateOf("R8", "s", At(2026, 11, 7)), State::kOk);
}

TEST(ComplianceR10, InitialReportTheSameDay) {
  World w;
  w.System("s", 3, D(2020, 1, 1));
  w.Trigger("s", "incident_beyond_capacity", D(2026, 11, 1));
  EXPECT_EQ(w.StateOf("R10", "s", At(2026, 11, 1)), State::kDueSoon);
  EXPECT_EQ(w.StateOf("R10", "s", At(2026, 11, 2)), State::kOverdue);
}

TEST(ComplianceR11, ClosingReportWithinFiveDays) {
  World w;
  w.System("s", 3, D(2020, 1, 1));
  w.Trigger("s", "incident_response_ended", D(2026, 12, 28));
  EXPECT_EQ(w.Of("R11", "s", At(2027, 1, 2)).due, D(2027, 1, 2));
  EXPECT_EQ(w.StateOf("R11", "s", At(2027, 1, 3)), State::kOverdue);
}

// ---- Incremental re-evaluation
// ----------------------------------------------------------------------

TEST(ComplianceEvaluator, IncrementalMatchesFull) {
  World w;
  w.System("a", 3, D(2020, 1, 1));
  w.System("b", 2, D(2021, 1, 1));
  w.Evidence("a", "hunt_report", D(2026, 1, 1));
  Evaluator ev(Packs(), w.facts());
  const auto now = At(2026, 12, 31);
  EXPECT_EQ(ev.EvaluateSubject("b", now).size(), ev.EvaluateSubject("a", now).size());
  ev.AddEvidence({"new", SubjectKind::kSystem, "b", "hunt_report", D(2026, 12, 1), false, false});
  auto inc = ev.EvaluateSubject("b", now);
  Evaluator fresh(Packs(), w.facts());
  auto full = fresh.EvaluateAll(now);
  size_t compared = 0;
  for (const auto& s : inc) {
    for (const auto& f : full) {
      if (f.subject_id == "b" && f.rule == s.rule) {
        EXPECT_EQ(f.state, s.state) << s.rule->id;
        EXPECT_EQ(f.evidence_id, s.evidence_id) << s.rule->id;
        ++compared;
      }
    }
  }
  EXPECT_EQ(compared, inc.size());
  for (const auto& s : inc) {
    if (s.rule->id == "R1") {
      EXPECT_EQ(s.evidence_id, "new");
    }
  }
}

TEST(ComplianceEvaluator, SystemNotYetCreatedHasNoRows) {
  World w;
  w.System("s", 2, D(2026, 12, 1));
  Evaluator ev(Packs(), w.facts());
  EXPECT_TRUE(ev.EvaluateSubject("s", At(2026, 11, 30)).empty());
  EXPECT_FALSE(ev.EvaluateSubject("s", At(2026, 12, 1)).empty());
}

}  // namespace
}  // namespace ucsc::compliance
