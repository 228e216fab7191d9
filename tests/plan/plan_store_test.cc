// The plan module's tables (plan_store.h) on both back ends: plans and their versions, drills,
// the ETag check of concurrent edits (DESIGN.md If-Match: a stale edit is refused and the first
// edit is kept), and the tables' place in every backup (a dump loads back unchanged).
#include "plan/plan_store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <span>

#include "core/legal_time.h"
#include "plan/demo.h"
#include "plan/service.h"
#include "store/for_all.h"
#include "store/test_store.h"
#include "test_util.h"

namespace ucsc::plan {
namespace {

using testing::Local;

class PlanStore : public ::testing::TestWithParam<std::string> {
 protected:
  PlanStore() : clock_(Local(2026, 6, 1)) {}

  void SetUp() override {
    ts_ = Open();
    if (ts_ == nullptr) {
      if (!skip_.empty()) GTEST_SKIP() << skip_;
      return;
    }
    core::Organisation org;
    org.id = "syt";
    org.name = "Sở Y tế";
    org.version = 1;
    org.created_at = org.updated_at = clock_.Now();
    core::InformationSystem his;
    his.id = "his";
    his.name = "Hệ thống quản lý khám chữa bệnh";
    his.owner_org_id = "syt";
    his.level = 3;
    his.version = 1;
    his.created_at = his.updated_at = Local(2025, 1, 2);  // level 3 since 2025 (R5)
    ASSERT_TRUE(ts_->store->Write([&](store::Tx& tx) -> core::Status {
      UCSC_RETURN_IF_ERROR(tx.Orgs().Insert(org));
      return tx.Systems().Insert(his);
    }));
  }

  std::unique_ptr<store::testing::TestStore> Open() {
    std::string skip;
    auto ts = store::testing::MakeTestStore(GetParam(), clock_, skip);
    if (ts == nullptr) {
      skip_ = skip;
      if (skip.empty()) ADD_FAILURE() << "cannot open the store";
      return nullptr;
    }
    EXPECT_TRUE(ts->store->Attach({PlanTables()}));
    auto migrated = ts->store->Migrate();
    EXPECT_TRUE(migrated) << migrated.error().ToString();
    return ts;
  }

  core::Status Write(const store::TxFn& fn) { return ts_->store->Write(fn); }

  static Drill ClosedDrill() {
    Drill d = RunningDrill();
    EXPECT_TRUE(CloseDrill(d, Local(2026, 12, 31, 17)));
    return d;
  }

  // A live-fire drill of "his" started on 31/12/2026 with one classified finding that allows
  // intrusion (R6).
  static Drill RunningDrill() {
    Drill d;
    d.id = "d2026";
    d.org_id = "syt";
    d.title = "Diễn tập thực chiến HIS 2026";
    d.system_ids = {"his"};
    d.planned_start = {2026, 12, 30};
    d.planned_end = {2026, 12, 31};
    d.participants = {{"Đội đỏ", "skhcn", ParticipantRole::kRedTeam},
                      {"Đội xanh", "syt", ParticipantRole::kBlueTeam}};
    EXPECT_TRUE(StartDrill(d, Local(2026, 12, 31, 8)));
    EXPECT_TRUE(AddTimelineEntry(
        d, {Local(2026, 12, 31, 9), TimelineKind::kAction, "Đội đỏ", "Dò quét cổng 443"}));
    Finding f;
    f.id = "f1";
    f.system_id = "his";
    f.title = "Mật khẩu mặc định trên máy chủ ứng dụng";
    f.category = FindingCategory::kTechnology;
    f.severity = Severity::kHigh;
    f.allows_intrusion = true;
    f.owner = "u-staff";
    f.due_date = "2027-01-15";
    EXPECT_TRUE(RecordFinding(d, f));
    return d;
  }

  core::FakeClock clock_;
  std::string skip_;
  std::unique_ptr<store::testing::TestStore> ts_;
};

TEST_P(PlanStore, APlanAndItsVersionsComeBackAsStored) {
  if (ts_ == nullptr) return;
  const IrPlan approved = testing::ApprovedPlan(testing::OtherOutline(), Local(2026, 6, 1));
  ASSERT_TRUE(Write([&](store::Tx& tx) { return PlanRepo(tx.Sql()).Create(approved); }));
  auto next = NextVersion(approved, Local(2026, 6, 2));
  ASSERT_TRUE(next.has_value());
  ASSERT_TRUE(Write([&](store::Tx& tx) -> core::Status {
    UCSC_ASSIGN_OR_RETURN(int64_t etag, PlanRepo(tx.Sql()).Save(*next, 1));
    EXPECT_EQ(etag, 2);
    return core::Ok();
  }));
  ASSERT_TRUE(ts_->store->Read([&](store::Tx& tx) -> core::Status {
    PlanRepo repo(tx.Sql());
    UCSC_ASSIGN_OR_RETURN(auto latest, repo.Latest(approved.id));
    EXPECT_EQ(latest.etag, 2);
    EXPECT_EQ(latest.plan.version, 2);
    EXPECT_EQ(latest.plan.state, PlanState::kDraft);
    EXPECT_EQ(latest.plan.sections, approved.sections);
    UCSC_ASSIGN_OR_RETURN(auto versions, repo.Versions(approved.id));
    EXPECT_EQ(versions.size(), 2U);
    EXPECT_EQ(versions.at(0).state, PlanState::kApproved);
    EXPECT_EQ(versions.at(0).approved_by, "u-manager");
    EXPECT_EQ(versions.at(0).history, approved.history);
    UCSC_ASSIGN_OR_RETURN(auto of_his, repo.PlanOfSystem("his"));
    EXPECT_EQ(of_his, std::optional<std::string>(approved.id));
    UCSC_ASSIGN_OR_RETURN(auto of_none, repo.PlanOfSystem("lan"));
    EXPECT_FALSE(of_none.has_value());
    UCSC_ASSIGN_OR_RETURN(auto all, repo.AllVersions());
    EXPECT_EQ(all.size(), 2U);
    UCSC_ASSIGN_OR_RETURN(auto list, repo.ListLatest());
    EXPECT_EQ(list.size(), 1U);
    auto missing = repo.Latest("nope");
    EXPECT_FALSE(missing.has_value());
    if (!missing) {
      EXPECT_EQ(missing.error().code, core::ErrorCode::kNotFound);
    }
    return core::Ok();
  }));
}

TEST_P(PlanStore, OneSystemHasOnePlan) {
  if (ts_ == nullptr) return;
  const IrPlan first = testing::CompleteDraft(testing::OtherOutline(), Local(2026, 6, 1), "p1");
  const IrPlan second = testing::CompleteDraft(testing::OtherOutline(), Local(2026, 6, 1), "p2");
  ASSERT_TRUE(Write([&](store::Tx& tx) { return PlanRepo(tx.Sql()).Create(first); }));
  auto again = Write([&](store::Tx& tx) { return PlanRepo(tx.Sql()).Create(second); });
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, core::ErrorCode::kAlreadyExists);
}

TEST_P(PlanStore, AStaleEtagIsRefusedAndTheFirstEditIsKept) {
  if (ts_ == nullptr) return;
  const Outline& outline = testing::OtherOutline();
  IrPlan draft = testing::CompleteDraft(outline, Local(2026, 6, 1));
  ASSERT_TRUE(Write([&](store::Tx& tx) { return PlanRepo(tx.Sql()).Create(draft); }));
  // Two editors both read etag 1; the first saves, the second is refused.
  IrPlan first = draft;
  IrPlan second = draft;
  ASSERT_TRUE(SetSection(first, outline, outline.sections[0].id, "Bản của người thứ nhất",
                         Local(2026, 6, 1, 10)));
  ASSERT_TRUE(SetSection(second, outline, outline.sections[0].id, "Bản của người thứ hai",
                         Local(2026, 6, 1, 10)));
  ASSERT_TRUE(Write([&](store::Tx& tx) -> core::Status {
    return PlanRepo(tx.Sql()).Save(first, 1).map([](int64_t) {});
  }));
  auto stale = Write([&](store::Tx& tx) -> core::Status {
    return PlanRepo(tx.Sql()).Save(second, 1).map([](int64_t) {});
  });
  ASSERT_FALSE(stale.has_value());
  EXPECT_EQ(stale.error().code, core::ErrorCode::kConflict);
  ASSERT_TRUE(ts_->store->Read([&](store::Tx& tx) -> core::Status {
    UCSC_ASSIGN_OR_RETURN(auto latest, PlanRepo(tx.Sql()).Latest(draft.id));
    EXPECT_EQ(latest.etag, 2);
    EXPECT_EQ(latest.plan.sections[0].text, "Bản của người thứ nhất");
    return core::Ok();
  }));
}

TEST_P(PlanStore, ADrillComesBackAsStoredAndItsEtagGuardsEdits) {
  if (ts_ == nullptr) return;
  Drill d = ClosedDrill();
  ASSERT_TRUE(Write([&](store::Tx& tx) { return DrillRepo(tx.Sql()).Create(d); }));
  d.title = "Diễn tập thực chiến HIS năm 2026";
  ASSERT_TRUE(Write([&](store::Tx& tx) -> core::Status {
    return DrillRepo(tx.Sql()).Save(d, 1).map([](int64_t) {});
  }));
  auto stale = Write([&](store::Tx& tx) -> core::Status {
    return DrillRepo(tx.Sql()).Save(d, 1).map([](int64_t) {});
  });
  ASSERT_FALSE(stale.has_value());
  EXPECT_EQ(stale.error().code, core::ErrorCode::kConflict);
  ASSERT_TRUE(ts_->store->Read([&](store::Tx& tx) -> core::Status {
    DrillRepo repo(tx.Sql());
    UCSC_ASSIGN_OR_RETURN(auto got, repo.Get("d2026"));
    EXPECT_EQ(got.etag, 2);
    EXPECT_EQ(got.drill.title, "Diễn tập thực chiến HIS năm 2026");
    EXPECT_EQ(got.drill.state, DrillState::kClosed);
    EXPECT_EQ(got.drill.findings.size(), 1U);
    EXPECT_EQ(got.drill.timeline.size(), 1U);
    EXPECT_EQ(got.drill.closed_at, d.closed_at);
    UCSC_ASSIGN_OR_RETURN(auto list, repo.List());
    EXPECT_EQ(list.size(), 1U);
    return core::Ok();
  }));
}

TEST_P(PlanStore, TheTablesAreInEveryBackupAndLoadBackUnchanged) {
  if (ts_ == nullptr) return;
  const IrPlan approved = testing::ApprovedPlan(testing::OtherOutline(), Local(2026, 6, 1));
  const Drill d = ClosedDrill();
  ASSERT_TRUE(Write([&](store::Tx& tx) -> core::Status {
    UCSC_RETURN_IF_ERROR(PlanRepo(tx.Sql()).Create(approved));
    return DrillRepo(tx.Sql()).Create(d);
  }));
  const auto tables = ts_->store->BackedUpTables();
  for (const char* t : {"plans", "plan_versions", "drills"}) {
    EXPECT_NE(std::find(tables.begin(), tables.end(), t), tables.end()) << t;
  }
  std::vector<std::string> lines;
  ASSERT_TRUE(ts_->store->Dump([&](std::string_view line) -> core::Status {
    lines.emplace_back(line);
    return core::Ok();
  }));
  int plan_rows = 0;
  for (const auto& l : lines) {
    if (l.find("\"table\":\"plan_versions\"") != std::string::npos ||
        l.find("\"table\":\"drills\"") != std::string::npos ||
        l.find("\"table\":\"plans\"") != std::string::npos) {
      ++plan_rows;
    }
  }
  EXPECT_EQ(plan_rows, 3);
  auto other = Open();
  ASSERT_NE(other, nullptr);
  size_t next = 0;
  auto loaded = other->store->Load([&](std::string& line) -> core::Result<bool> {
    if (next == lines.size()) return false;
    line = lines[next++];
    return true;
  });
  ASSERT_TRUE(loaded) << loaded.error().ToString();
  std::vector<std::string> again;
  ASSERT_TRUE(other->store->Dump([&](std::string_view line) -> core::Status {
    again.emplace_back(line);
    return core::Ok();
  }));
  EXPECT_EQ(again, lines);
  ASSERT_TRUE(other->store->Read([&](store::Tx& tx) -> core::Status {
    UCSC_ASSIGN_OR_RETURN(auto latest, PlanRepo(tx.Sql()).Latest(approved.id));
    EXPECT_EQ(latest.plan.approved_at, approved.approved_at);
    UCSC_ASSIGN_OR_RETURN(auto drill, DrillRepo(tx.Sql()).Get(d.id));
    EXPECT_EQ(drill.drill.findings.at(0).allows_intrusion, true);
    return core::Ok();
  }));
}

// ---- Transactional operations (service.h) ------------------------------------------------------

std::vector<core::Evidence> EvidenceOf(store::Store& s) {
  std::vector<core::Evidence> out;
  EXPECT_TRUE(s.Read([&](store::Tx& tx) -> core::Status {
    store::ListQuery q;
    q.limit = 500;
    UCSC_ASSIGN_OR_RETURN(auto page, tx.Evidence().List(q));
    out = std::move(page.items);
    return core::Ok();
  }));
  return out;
}

TEST_P(PlanStore, ApprovalByTheManagerRecordsR3EvidenceInTheSameTransaction) {
  if (ts_ == nullptr) return;
  IrPlan p = testing::CompleteDraft(testing::OtherOutline(), Local(2026, 6, 1));
  ASSERT_TRUE(Submit(p, testing::Staff(), Local(2026, 6, 1)));
  ASSERT_TRUE(Write([&](store::Tx& tx) { return PlanRepo(tx.Sql()).Create(p); }));
  auto approve = [&](const Actor& a, int64_t etag) {
    return Write([&](store::Tx& tx) -> core::Status {
      return ApproveStoredPlan(tx, testing::ShippedOutlines(), "p1", etag, a, "user:x",
                               Local(2026, 6, 2))
          .map([](const StoredPlan&) {});
    });
  };
  // Staff, and the manager of another organisation, may not approve (QĐ05 Art 16.1).
  for (const Actor& a : {testing::Staff(), testing::Manager("stc"), testing::Coordinator()}) {
    auto denied = approve(a, 1);
    ASSERT_FALSE(denied.has_value());
    EXPECT_EQ(denied.error().code, core::ErrorCode::kPermissionDenied);
  }
  EXPECT_TRUE(EvidenceOf(*ts_->store).empty());
  auto stale = approve(testing::Manager(), 7);
  ASSERT_FALSE(stale.has_value());
  EXPECT_EQ(stale.error().code, core::ErrorCode::kConflict);
  ASSERT_TRUE(approve(testing::Manager(), 1));
  // R3 (ir_plan) and R4 (ir_plan_content, recorded by ucsc only) beside it.
  auto evidence = EvidenceOf(*ts_->store);
  ASSERT_EQ(evidence.size(), 2U);
  std::sort(evidence.begin(), evidence.end(),
            [](const core::Evidence& a, const core::Evidence& b) { return a.id < b.id; });
  EXPECT_EQ(evidence[0].id, "plan:p1:v1");
  EXPECT_EQ(evidence[0].type, "ir_plan");
  EXPECT_EQ(evidence[1].id, "plan:p1:v1:r4");
  EXPECT_EQ(evidence[1].type, "ir_plan_content");
  for (const auto& e : evidence) {
    EXPECT_EQ(e.subject_id, "his");
    EXPECT_EQ(e.performed_on, "2026-06-02");
    EXPECT_EQ(e.review, core::ReviewState::kAccepted);
  }
  ASSERT_TRUE(ts_->store->Read([&](store::Tx& tx) -> core::Status {
    UCSC_ASSIGN_OR_RETURN(auto latest, PlanRepo(tx.Sql()).Latest("p1"));
    EXPECT_EQ(latest.plan.state, PlanState::kApproved);
    EXPECT_EQ(latest.plan.approved_by, "u-manager");
    EXPECT_EQ(latest.etag, 2);
    return core::Ok();
  }));
}

TEST_P(PlanStore, AnIncompletePlanIsRefusedWithItsMissingSectionsListed_R4) {
  if (ts_ == nullptr) return;
  const Outline& outline = testing::OtherOutline();
  auto p = NewDraft({.id = "p1", .org_id = "syt", .system_id = "his"}, outline, Local(2026, 6, 1));
  ASSERT_TRUE(p.has_value());
  ASSERT_TRUE(Submit(*p, testing::Staff(), Local(2026, 6, 1)));
  ASSERT_TRUE(Write([&](store::Tx& tx) { return PlanRepo(tx.Sql()).Create(*p); }));
  auto refused = Write([&](store::Tx& tx) -> core::Status {
    return ApproveStoredPlan(tx, testing::ShippedOutlines(), "p1", 1, testing::Manager(), "u",
                             Local(2026, 6, 2))
        .map([](const StoredPlan&) {});
  });
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, core::ErrorCode::kFailedPrecondition)
      << refused.error().ToString();
  for (const auto& m : CheckCompleteness(*p, outline)) {
    EXPECT_NE(refused.error().message.find(m.section_id), std::string::npos) << m.section_id;
  }
  EXPECT_TRUE(EvidenceOf(*ts_->store).empty());
}

TEST_P(PlanStore, TheProvincialPlanIsApprovedByTheCoordinator_R26) {
  if (ts_ == nullptr) return;
  const Outline& outline = testing::ImportantOutline();
  auto p = NewDraft({.id = "tinh", .org_id = "syt", .scope = PlanScope::kProvincial}, outline,
                    Local(2026, 6, 1));
  ASSERT_TRUE(p.has_value());
  for (const auto& s : outline.sections) {
    ASSERT_TRUE(SetSection(*p, outline, s.id, "Nội dung " + s.id, Local(2026, 6, 1)));
  }
  ASSERT_TRUE(Submit(*p, testing::Coordinator(), Local(2026, 6, 1)));
  ASSERT_TRUE(Write([&](store::Tx& tx) { return PlanRepo(tx.Sql()).Create(*p); }));
  auto by = [&](const Actor& a) {
    return Write([&](store::Tx& tx) -> core::Status {
      return ApproveStoredPlan(tx, testing::ShippedOutlines(), "tinh", 1, a, "u", Local(2026, 6, 2))
          .map([](const StoredPlan&) {});
    });
  };
  auto manager = by(testing::Manager());
  ASSERT_FALSE(manager.has_value());
  EXPECT_EQ(manager.error().code, core::ErrorCode::kPermissionDenied);
  EXPECT_TRUE(by(testing::Coordinator()));
  EXPECT_TRUE(EvidenceOf(*ts_->store).empty()) << "the provincial plan is not a system's R3";
}

TEST_P(PlanStore, ASystemChangeMakesItsPlanStaleAndStartsTheR3Clock) {
  if (ts_ == nullptr) return;
  const IrPlan approved = testing::ApprovedPlan(testing::OtherOutline(), Local(2026, 6, 1));
  ASSERT_TRUE(Write([&](store::Tx& tx) -> core::Status {
    UCSC_RETURN_IF_ERROR(PlanRepo(tx.Sql()).Create(approved));
    // A change of the description is not risk-relevant; the level is.
    UCSC_RETURN_IF_ERROR(tx.Changes().Append(
        {"c0", "his", "/description", "\"a\"", "\"b\"", "u", Local(2026, 6, 5)}));
    return tx.Changes().Append({"c1", "his", "/level", "3", "4", "u", Local(2026, 6, 10, 10)});
  }));
  auto status = [&](core::Instant at) {
    PlanStatus out;
    EXPECT_TRUE(ts_->store->Read([&](store::Tx& tx) -> core::Status {
      UCSC_ASSIGN_OR_RETURN(out, SystemPlanStatus(tx, "his", at));
      return core::Ok();
    }));
    return out;
  };
  // The day before the change: current.
  EXPECT_EQ(status(Local(2026, 6, 9, 23, 59)).kind, PlanStatusKind::kApprovedCurrent);
  // The day of the change: stale from the change on, due 30 days later (R3).
  EXPECT_EQ(status(Local(2026, 6, 10, 9)).kind, PlanStatusKind::kApprovedCurrent);
  const PlanStatus stale = status(Local(2026, 6, 10, 11));
  EXPECT_EQ(stale.kind, PlanStatusKind::kStale);
  EXPECT_EQ(stale.change_id, "c1");
  ASSERT_TRUE(stale.due.has_value());
  EXPECT_EQ(core::FormatIsoDate(*stale.due), "2026-07-10");
  EXPECT_FALSE(stale.overdue);
  // The day before, the day of and the day after the due date.
  EXPECT_FALSE(status(Local(2026, 7, 9, 12)).overdue);
  EXPECT_FALSE(status(Local(2026, 7, 10, 23, 59)).overdue);
  EXPECT_TRUE(status(Local(2026, 7, 11, 0, 1)).overdue);
}

TEST_P(PlanStore, ClosingADrillOpensRemediationAndHuntTogetherAndRecordsR5) {
  if (ts_ == nullptr) return;
  Drill unclassified = RunningDrill();
  unclassified.id = "d-bad";
  unclassified.findings[0].category = FindingCategory::kUnclassified;
  ASSERT_TRUE(Write([&](store::Tx& tx) -> core::Status {
    UCSC_RETURN_IF_ERROR(DrillRepo(tx.Sql()).Create(unclassified));
    return DrillRepo(tx.Sql()).Create(RunningDrill());
  }));
  auto close = [&](const std::string& id) {
    return Write([&](store::Tx& tx) -> core::Status {
      return CloseStoredDrill(tx, id, 1, "user:lead", Local(2026, 12, 31, 17))
          .map([](const StoredDrill&) {});
    });
  };
  auto refused = close("d-bad");
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, core::ErrorCode::kFailedPrecondition);
  EXPECT_TRUE(EvidenceOf(*ts_->store).empty());
  ASSERT_TRUE(close("d2026"));
  std::vector<core::Task> tasks;
  ASSERT_TRUE(ts_->store->Read([&](store::Tx& tx) -> core::Status {
    store::ListQuery q;
    q.limit = 500;
    UCSC_ASSIGN_OR_RETURN(auto page, tx.Tasks().List(q));
    tasks = std::move(page.items);
    return core::Ok();
  }));
  ASSERT_EQ(tasks.size(), 2U) << "a remediation and a hunt task (R6), nothing for the refused";
  EXPECT_EQ(tasks[0].created_at, tasks[1].created_at);
  std::set<std::string> kinds{tasks[0].kind, tasks[1].kind};
  EXPECT_EQ(kinds, (std::set<std::string>{"remediation", "hunt"}));
  const auto evidence = EvidenceOf(*ts_->store);
  ASSERT_EQ(evidence.size(), 1U);
  EXPECT_EQ(evidence[0].type, "drill_report");
  EXPECT_EQ(evidence[0].performed_on, "2026-12-31");
}

TEST_P(PlanStore, R5ForALevel3SystemWithADrillOn3112AndNoneTheNextYear) {
  if (ts_ == nullptr) return;
  ASSERT_TRUE(Write([&](store::Tx& tx) { return DrillRepo(tx.Sql()).Create(ClosedDrill()); }));
  auto status = [&](core::Instant at) {
    DrillRuleStatus out;
    EXPECT_TRUE(ts_->store->Read([&](store::Tx& tx) -> core::Status {
      UCSC_ASSIGN_OR_RETURN(out, SystemDrillStatus(tx, "his", at));
      return core::Ok();
    }));
    return out;
  };
  const DrillRuleStatus met = status(Local(2026, 12, 31, 18));
  EXPECT_EQ(met.state, DrillRuleState::kMet);
  EXPECT_EQ(met.year, 2026);
  EXPECT_EQ(met.drill_id, "d2026");
  EXPECT_EQ(status(Local(2027, 12, 31, 12)).state, DrillRuleState::kDueSoon);
  const DrillRuleStatus overdue = status(Local(2028, 1, 1, 1));
  EXPECT_EQ(overdue.state, DrillRuleState::kOverdue);
  EXPECT_EQ(overdue.year, 2027);
}

// ---- The demo seed (demo.h)
// ----------------------------------------------------------------------

TEST_P(PlanStore, DemoSeedSpreadsPlansAndDrillsThroughTheModulesOperations) {
  if (ts_ == nullptr) return;
  // 24 systems of "syt" (the fixture's "his" is one), every other one level 3; the demo clock.
  clock_.Set(Local(2026, 12, 8, 10));
  uint64_t counter = 0;
  core::IdGenerator ids(clock_, [&counter](std::span<uint8_t> out) {
    std::fill(out.begin(), out.end(), uint8_t{0});
    uint64_t n = ++counter;
    for (size_t i = 0; i < out.size() && i < 8; ++i) {
      out[out.size() - 1 - i] = static_cast<uint8_t>(n >> (8 * i));
    }
  });
  ASSERT_TRUE(Write([&](store::Tx& tx) -> core::Status {
    core::Organisation pa05;
    pa05.id = "pa05";
    pa05.name = "PA05 Công an tỉnh";
    pa05.type = core::OrgType::kCoordinator;
    pa05.version = 1;
    pa05.created_at = pa05.updated_at = Local(2021, 6, 1);
    UCSC_RETURN_IF_ERROR(tx.Orgs().Insert(pa05));
    for (int i = 1; i < 24; ++i) {
      core::InformationSystem s;
      s.id = "s" + std::to_string(100 + i);
      s.name = "Hệ thống " + std::to_string(100 + i);
      s.owner_org_id = "syt";
      s.level = i % 2 == 0 ? 3 : 2;
      s.version = 1;
      s.created_at = s.updated_at = Local(2021, 6, 1);
      UCSC_RETURN_IF_ERROR(tx.Systems().Insert(s));
    }
    return core::Ok();
  }));
  capability::DemoEnv env{*ts_->store, clock_, ids, {}, {}, {}};
  ASSERT_TRUE(ts_->store->Read([&](store::Tx& tx) -> core::Status {
    UCSC_RETURN_IF_ERROR(
        store::ForAll(tx.Orgs(), [&](const core::Organisation& o) { env.orgs.push_back(o); }));
    return store::ForAll(tx.Systems(),
                         [&](const core::InformationSystem& s) { env.systems.push_back(s); });
  }));
  ASSERT_EQ(env.systems.size(), 24U);
  auto seeded = SeedDemo(env, testing::ShippedOutlines());
  ASSERT_TRUE(seeded) << seeded.error().ToString();

  std::map<std::string, int> plan_kinds;    // R3 as the module computes it
  std::map<std::string, int> drill_states;  // R5
  std::map<std::string, int> evidence_types;
  int drills = 0, tabletop = 0, planned = 0, tasks = 0;
  ASSERT_TRUE(ts_->store->Read([&](store::Tx& tx) -> core::Status {
    for (const auto& s : env.systems) {
      UCSC_ASSIGN_OR_RETURN(auto st, SystemPlanStatus(tx, s.id, clock_.Now()));
      ++plan_kinds[std::string(PlanStatusKindName(st.kind)) + (st.overdue ? "/overdue" : "")];
      UCSC_ASSIGN_OR_RETURN(auto r5, SystemDrillStatus(tx, s.id, clock_.Now()));
      ++drill_states[std::string(DrillRuleStateName(r5.state))];
    }
    UCSC_ASSIGN_OR_RETURN(auto all, DrillRepo(tx.Sql()).List());
    for (const auto& d : all) {
      ++drills;
      tabletop += d.drill.kind == DrillKind::kTabletop;
      planned += d.drill.state == DrillState::kPlanned;
      if (d.drill.state == DrillState::kClosed) {
        EXPECT_LE(*d.drill.closed_at, clock_.Now()) << d.drill.id;
        std::set<FindingCategory> categories;
        for (const auto& f : d.drill.findings) categories.insert(f.category);
        if (d.drill.kind == DrillKind::kLiveFire) {
          EXPECT_EQ(categories.size(), 3U) << "process, technology and people";
        }
      }
    }
    store::ListQuery q;
    q.limit = 500;
    UCSC_ASSIGN_OR_RETURN(auto page, tx.Evidence().List(q));
    for (const auto& e : page.items) {
      ++evidence_types[e.type];
      EXPECT_LE(*core::ParseIsoDate(e.performed_on), core::LocalDateOf(clock_.Now())) << e.id;
    }
    UCSC_ASSIGN_OR_RETURN(auto t, tx.Tasks().Count(store::Scope::All()));
    tasks = static_cast<int>(t);
    return core::Ok();
  }));
  // Plans by index mod 12 over 24 systems, every system with one: 2 complete drafts not yet
  // submitted and 4 incomplete drafts, 2 stale and overdue (March 2026), 2 stale since
  // 20/11/2026 (due 20/12, not overdue), 2 stale with a v2 draft (overdue), 12 current.
  EXPECT_EQ(plan_kinds["none"], 0) << ::testing::PrintToString(plan_kinds);
  EXPECT_EQ(plan_kinds["draft"], 6) << ::testing::PrintToString(plan_kinds);
  EXPECT_EQ(plan_kinds["stale/overdue"], 4) << ::testing::PrintToString(plan_kinds);
  EXPECT_EQ(plan_kinds["stale"], 2) << ::testing::PrintToString(plan_kinds);
  EXPECT_EQ(plan_kinds["approved_current"], 12) << ::testing::PrintToString(plan_kinds);
  // Each approval (18 system plans approved, 2 of them twice) is R3 and R4 evidence (R4: ucsc's
  // own record); each closed live-fire drill is R5 evidence; the tabletop is not (R25).
  EXPECT_EQ(evidence_types["ir_plan"], 20) << ::testing::PrintToString(evidence_types);
  EXPECT_EQ(evidence_types["ir_plan_content"], 20) << ::testing::PrintToString(evidence_types);
  // 12 level-3 systems: j%5 in {0,1} two drills (6 systems), else one (6) = 18 closed live-fire,
  // plus the drill planned for 20/12/2026 (j = 4) and the 2026 tabletop (j = 9).
  EXPECT_EQ(evidence_types["drill_report"], 18) << ::testing::PrintToString(evidence_types);
  EXPECT_EQ(drills, 20);
  EXPECT_EQ(tabletop, 1);
  EXPECT_EQ(planned, 1);
  // R6: each closed live-fire drill's technology finding allows intrusion: 3 remediation tasks
  // and 1 hunt task; the tabletop's one process finding: 1 remediation task.
  EXPECT_EQ(tasks, 18 * 4 + 1);
  // R5: 6 met; the 2025-only ones are due soon for 2026; the 2024-only ones are overdue (2025).
  EXPECT_EQ(drill_states["met"], 6) << ::testing::PrintToString(drill_states);
  EXPECT_EQ(drill_states["overdue"], 2) << ::testing::PrintToString(drill_states);
  EXPECT_EQ(drill_states["due_soon"], 4) << ::testing::PrintToString(drill_states);
  EXPECT_EQ(drill_states["not_applicable"], 12) << ::testing::PrintToString(drill_states);
}

INSTANTIATE_TEST_SUITE_P(Backends, PlanStore, ::testing::Values("sqlite", "postgresql"));

}  // namespace
}  // namespace ucsc::plan
