// The compliance evaluation cache (compliance/internal/evaluation_cache.h) on both back ends: it
// answers from the last evaluation only while nothing the evaluation read has changed.
#include "compliance/internal/evaluation_cache.h"

#include <gtest/gtest.h>

#include <chrono>
#include <set>

#include "compliance/facts.h"
#include "store_fixture.h"

namespace ucsc::compliance::internal {
namespace {

using namespace std::chrono_literals;
using testing::ComplianceStore;

class EvaluationCacheTest : public ComplianceStore {
 protected:
  void SetUp() override {
    ComplianceStore::SetUp();
    if (IsSkipped()) return;
    clock_.Set(core::StartOfLocalDay({2026, 12, 8}) + 9h);
  }
  std::shared_ptr<const CachedEvaluation> Get(core::Instant at) {
    std::shared_ptr<const CachedEvaluation> out;
    EXPECT_TRUE(store().Read([&](store::Tx& tx) -> core::Status {
      UCSC_ASSIGN_OR_RETURN(out, cache_.Get(tx, rules_, at));
      return core::Ok();
    }));
    return out;
  }
  std::shared_ptr<const CachedEvaluation> Get() { return Get(clock_.Now()); }
  size_t RowsOf(const CachedEvaluation& e, const std::string& subject) {
    size_t n = 0;
    for (const auto& r : e.rows) n += r.subject_id == subject;
    return n;
  }
  core::Status AddSystem(const std::string& id) {
    return store().Write([&](store::Tx& tx) -> core::Status {
      core::InformationSystem s;
      s.id = id;
      s.name = "Cổng thông tin điện tử " + id;
      s.owner_org_id = s.operator_org_id = "syt";
      s.level = 3;
      s.version = 1;
      s.created_at = s.updated_at = clock_.Now();
      return tx.Systems().Insert(s);
    });
  }

  std::shared_ptr<const RuleSet> rules_ =
      std::make_shared<const RuleSet>(*LoadPacks(std::string(UCSC_SOURCE_DIR) + "/data/rulepacks"));
  EvaluationCache cache_{clock_, 30s};
};

TEST_P(EvaluationCacheTest, AnswersFromTheLastEvaluationWhileTheFactsAreUnchanged) {
  const auto first = Get();
  ASSERT_NE(first, nullptr);
  EXPECT_GT(RowsOf(*first, "his"), 0u);
  EXPECT_EQ(first->org_names.at("syt"), "Sở Y tế");
  EXPECT_EQ(Get(), first);
  // Writes outside the fact tables (a notification, a session) keep it.
  ASSERT_TRUE(store().Write([&](store::Tx& tx) -> core::Status {
    store::Notification n;
    n.id = "n1";
    n.user_id = "u1";
    n.org_id = "syt";
    n.kind = "test";
    n.title = "Thông báo";
    n.created_at = clock_.Now();
    return tx.Notifications().Add(n);
  }));
  EXPECT_EQ(Get(), first);
  EXPECT_EQ(cache_.counters().hits, 2);
  EXPECT_EQ(cache_.counters().misses, 1);
}

TEST_P(EvaluationCacheTest, AWriteToAFactTableIsSeenAtOnce) {
  const auto first = Get();
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(RowsOf(*first, "web"), 0u);
  ASSERT_TRUE(AddSystem("web"));
  const auto second = Get();
  ASSERT_NE(second, nullptr);
  EXPECT_NE(second, first);
  EXPECT_GT(RowsOf(*second, "web"), 0u);
  EXPECT_EQ(Get(), second);

  // Evidence filed for the system.
  ASSERT_TRUE(store().Write([&](store::Tx& tx) -> core::Status {
    core::Evidence e;
    e.id = "ev1";
    e.org_id = "syt";
    e.subject_kind = "system";
    e.subject_id = "web";
    e.type = "hunt_report";
    e.performed_on = "2026-12-01";
    e.title = "Báo cáo săn tìm mối đe dọa";
    e.review = core::ReviewState::kAccepted;
    e.version = 1;
    e.created_at = e.updated_at = clock_.Now();
    return tx.Evidence().Insert(e);
  }));
  const auto third = Get();
  ASSERT_NE(third, nullptr);
  EXPECT_NE(third, second);
  bool used = false;
  for (const auto& r : third->rows) used = used || r.evidence_id == "ev1";
  EXPECT_TRUE(used) << "the new evidence satisfies a rule";
}

// Another process's write (a second Store on the same database, as `ucsc import` would open) is
// not in this process's data version: it shows once the entry is past the TTL, when the fact
// tables' fingerprint differs. Past the TTL with no such write, the entry is kept.
TEST_P(EvaluationCacheTest, AnotherProcesssWriteShowsAfterTheTtl) {
  const auto first = Get();
  ASSERT_NE(first, nullptr);
  clock_.Advance(31s);
  EXPECT_EQ(Get(), first) << "nothing changed: kept for another TTL";
  EXPECT_EQ(cache_.counters().renewed, 1);

  auto other = store::Open(ts_->url, clock_);
  ASSERT_TRUE(other) << other.error().ToString();
  ASSERT_TRUE((*other)->Write([&](store::Tx& tx) -> core::Status {
    core::InformationSystem s;
    s.id = "elsewhere";
    s.name = "Hệ thống nhập từ dòng lệnh";
    s.owner_org_id = s.operator_org_id = "syt";
    s.level = 2;
    s.version = 1;
    s.created_at = s.updated_at = clock_.Now();
    return tx.Systems().Insert(s);
  }));
  clock_.Advance(29s);
  EXPECT_EQ(Get(), first) << "within the TTL the other process's write is not seen";
  clock_.Advance(2s);
  const auto second = Get();
  ASSERT_NE(second, nullptr);
  EXPECT_NE(second, first);
  EXPECT_GT(RowsOf(*second, "elsewhere"), 0u);
  EXPECT_EQ(Get(), second);
}

TEST_P(EvaluationCacheTest, KeepsOnlyTodayAndTheSameRuleSet) {
  const auto today = Get();
  // Another day is evaluated every time and does not evict today's.
  const auto other = Get(core::EndOfLocalDay({2026, 6, 30}));
  ASSERT_NE(other, nullptr);
  EXPECT_EQ(other->day, (core::LocalDate{2026, 6, 30}));
  EXPECT_NE(Get(core::EndOfLocalDay({2026, 6, 30})), other);
  EXPECT_EQ(Get(), today);
  // A reloaded rule pack is a new RuleSet.
  rules_ = std::make_shared<const RuleSet>(*rules_);
  const auto reloaded = Get();
  EXPECT_NE(reloaded, today);
  EXPECT_EQ(reloaded->rules, rules_);
}

// A source LoadFacts reads but kFactTables does not name would let the cache serve stale rows;
// a misspelt name would never change. Each name is a table of the store.
TEST_P(EvaluationCacheTest, EveryFactTableIsATableOfTheStore) {
  const auto tables = store().BackedUpTables();
  const std::set<std::string> known(tables.begin(), tables.end());
  for (auto t : kFactTables) EXPECT_TRUE(known.count(std::string(t))) << t;
}

INSTANTIATE_TEST_SUITE_P(Backends, EvaluationCacheTest, ::testing::Values("sqlite", "postgresql"));

}  // namespace
}  // namespace ucsc::compliance::internal
