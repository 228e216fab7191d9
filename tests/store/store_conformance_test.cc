// One conformance suite, run unchanged against SQLite and PostgreSQL (STYLE.md "Tests").
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>
#include <tuple>

#include "store/internal/write_log.h"
#include "test_store.h"

namespace ucsc::store {
namespace {

using core::ErrorCode;

core::Instant T0() { return core::FromUnixMillis(1'780'000'000'000); }

class StoreConformance : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    std::string skip;
    ts_ = testing::MakeTestStore(GetParam(), clock_, skip);
    if (!skip.empty()) GTEST_SKIP() << skip;
    ASSERT_NE(ts_, nullptr);
  }
  Store& store() { return *ts_->store; }

  core::Organisation Org(std::string id, std::string name, std::string parent = "") {
    core::Organisation o;
    o.id = std::move(id);
    o.name = std::move(name);
    o.type = core::OrgType::kAgency;
    o.parent_id = std::move(parent);
    o.version = 1;
    o.created_at = o.updated_at = T0();
    return o;
  }
  core::InformationSystem System(std::string id, std::string name, std::string owner, int level) {
    core::InformationSystem s;
    s.id = std::move(id);
    s.name = std::move(name);
    s.owner_org_id = owner;
    s.operator_org_id = owner;
    s.level = level;
    s.version = 1;
    s.created_at = s.updated_at = T0();
    return s;
  }
  core::Status Insert(const core::Organisation& o) {
    return store().Write([&](Tx& tx) { return tx.Orgs().Insert(o); });
  }
  core::Status Insert(const core::InformationSystem& s) {
    return store().Write([&](Tx& tx) { return tx.Systems().Insert(s); });
  }

  core::FakeClock clock_{T0()};
  std::unique_ptr<testing::TestStore> ts_;
};

TEST_P(StoreConformance, MigrateIsIdempotent) {
  EXPECT_TRUE(store().Migrate());
  EXPECT_TRUE(store().Migrate());
}

TEST_P(StoreConformance, OrganisationCrudWithOptimisticVersions) {
  ASSERT_TRUE(Insert(Org("o1", "Sở Y tế")));
  EXPECT_EQ(Insert(Org("o1", "again")).error().code, ErrorCode::kAlreadyExists);

  core::Organisation got;
  ASSERT_TRUE(store().Read([&](Tx& tx) -> core::Status {
    UCSC_ASSIGN_OR_RETURN(got, tx.Orgs().Get("o1", Scope::All()));
    return core::Ok();
  }));
  EXPECT_EQ(got.name, "Sở Y tế");
  EXPECT_EQ(got.version, 1);

  got.name = "Sở Y tế tỉnh";
  got.version = 2;
  ASSERT_TRUE(store().Write([&](Tx& tx) { return tx.Orgs().Update(got); }));
  // A second writer that still holds version 1 loses.
  auto stale = got;
  stale.version = 2;
  stale.name = "stale";
  EXPECT_EQ(store().Write([&](Tx& tx) { return tx.Orgs().Update(stale); }).error().code,
            ErrorCode::kConflict);
  EXPECT_EQ(store().Write([&](Tx& tx) { return tx.Orgs().Delete("o1", 1); }).error().code,
            ErrorCode::kConflict);
  EXPECT_EQ(store().Write([&](Tx& tx) { return tx.Orgs().Delete("nope", 1); }).error().code,
            ErrorCode::kNotFound);
  EXPECT_TRUE(store().Write([&](Tx& tx) { return tx.Orgs().Delete("o1", 2); }));
  EXPECT_EQ(store()
                .Read([&](Tx& tx) { return tx.Orgs().Get("o1", Scope::All()).map([](auto) {}); })
                .error()
                .code,
            ErrorCode::kNotFound);
}

TEST_P(StoreConformance, ForeignKeysAreEnforced) {
  EXPECT_EQ(Insert(System("s1", "Cổng thông tin", "missing-org", 2)).error().code,
            ErrorCode::kFailedPrecondition);
  ASSERT_TRUE(Insert(Org("o1", "Sở Tài chính")));
  ASSERT_TRUE(Insert(System("s1", "Cổng thông tin", "o1", 2)));
  EXPECT_EQ(store().Write([&](Tx& tx) { return tx.Orgs().Delete("o1", 1); }).error().code,
            ErrorCode::kFailedPrecondition);
  EXPECT_EQ(Insert(Org("o2", "Child", "no-such-parent")).error().code,
            ErrorCode::kFailedPrecondition);
}

TEST_P(StoreConformance, ListsInVietnameseOrderWithKeysetPages) {
  std::vector<std::string> names = {"Sở Y tế",      "Đài Phát thanh", "Dược phẩm",
                                    "Sở Tư pháp",   "Ăn uống",        "An ninh",
                                    "Sở Tài chính", "Gia Lai",        "Ân nhân"};
  for (size_t i = 0; i < names.size(); ++i) {
    ASSERT_TRUE(Insert(Org("o" + std::to_string(i), names[i])));
  }
  std::vector<std::string> seen;
  ListQuery q;
  q.limit = 4;
  for (int pages = 0; pages < 10; ++pages) {
    Page<core::Organisation> page;
    ASSERT_TRUE(store().Read([&](Tx& tx) -> core::Status {
      UCSC_ASSIGN_OR_RETURN(page, tx.Orgs().List(q));
      return core::Ok();
    }));
    for (const auto& o : page.items) seen.push_back(o.name);
    if (!page.more) break;
    q.after_key = page.last_key;
    q.after_id = page.last_id;
  }
  std::vector<std::string> want = {"An ninh",      "Ăn uống",        "Ân nhân",
                                   "Dược phẩm",    "Đài Phát thanh", "Gia Lai",
                                   "Sở Tài chính", "Sở Tư pháp",     "Sở Y tế"};
  EXPECT_EQ(seen, want);
}

TEST_P(StoreConformance, SearchIsDiacriticInsensitiveAndWildcardSafe) {
  ASSERT_TRUE(Insert(Org("o1", "Sở Tài chính")));
  ASSERT_TRUE(Insert(Org("o2", "Sở Tư pháp")));
  ASSERT_TRUE(Insert(Org("o3", "100% phần trăm")));
  auto search = [&](std::string text) {
    std::vector<std::string> ids;
    ListQuery q;
    q.search = std::move(text);
    EXPECT_TRUE(store().Read([&](Tx& tx) -> core::Status {
      UCSC_ASSIGN_OR_RETURN(auto page, tx.Orgs().List(q));
      for (auto& o : page.items) ids.push_back(o.id);
      return core::Ok();
    }));
    return ids;
  };
  EXPECT_EQ(search("so tai chinh"), std::vector<std::string>{"o1"});
  EXPECT_EQ(search("SỞ TÀI"), std::vector<std::string>{"o1"});
  EXPECT_EQ(search("%"), std::vector<std::string>{"o3"});
  EXPECT_EQ(search("' OR 1=1 --"), std::vector<std::string>{});
  EXPECT_EQ(search("_"), std::vector<std::string>{});
}

TEST_P(StoreConformance, ScopeHidesOtherOrganisationsRows) {
  ASSERT_TRUE(Insert(Org("o1", "A")));
  ASSERT_TRUE(Insert(Org("o2", "B")));
  ASSERT_TRUE(Insert(System("s1", "HT A", "o1", 3)));
  auto s2 = System("s2", "HT B operated by A", "o2", 2);
  s2.operator_org_id = "o1";
  ASSERT_TRUE(Insert(s2));
  ASSERT_TRUE(Insert(System("s3", "HT B", "o2", 1)));
  Scope only_o1 = Scope::Orgs({"o1"});
  ASSERT_TRUE(store().Read([&](Tx& tx) -> core::Status {
    EXPECT_TRUE(tx.Systems().Get("s1", only_o1));
    EXPECT_TRUE(tx.Systems().Get("s2", only_o1));  // operator sees it
    EXPECT_EQ(tx.Systems().Get("s3", only_o1).error().code, ErrorCode::kNotFound);
    ListQuery q;
    q.scope = only_o1;
    UCSC_ASSIGN_OR_RETURN(auto page, tx.Systems().List(q));
    EXPECT_EQ(page.items.size(), 2u);
    q.filters = {{"level", "3"}};
    UCSC_ASSIGN_OR_RETURN(auto level3, tx.Systems().List(q));
    EXPECT_EQ(level3.items.size(), 1u);
    q.filters = {{"name_key", "x"}};
    EXPECT_EQ(tx.Systems().List(q).error().code, ErrorCode::kInvalidArgument);
    UCSC_ASSIGN_OR_RETURN(auto count, tx.Systems().Count(only_o1));
    EXPECT_EQ(count, 2);
    return core::Ok();
  }));
}

TEST_P(StoreConformance, FailedRequestLeavesNoPartialWrite) {
  // A request that writes an organisation and its audit record, then fails.
  auto st = store().Write([&](Tx& tx) -> core::Status {
    UCSC_RETURN_IF_ERROR(tx.Orgs().Insert(Org("o1", "Sở Nội vụ")));
    core::AuditRecord r;
    r.at = T0();
    r.actor = "test";
    r.action = "create";
    r.object_type = "organisation";
    r.object_id = "o1";
    UCSC_ASSIGN_OR_RETURN(auto appended, tx.Audit().Append(r));
    (void)appended;
    return core::Internal("injected failure after two writes");
  });
  ASSERT_FALSE(st);
  ASSERT_TRUE(store().Read([&](Tx& tx) -> core::Status {
    EXPECT_EQ(tx.Orgs().Count(Scope::All()).value(), 0);
    EXPECT_TRUE(tx.Audit().List(0, 10).value().empty());
    return core::Ok();
  }));
}

// Tx::DataVersion: equal versions mean equal rows of the named tables; a write to another
// table, a read, a failed request or a write that changed no row leaves it alone.
TEST_P(StoreConformance, DataVersionChangesOnlyWithCommittedWritesToTheNamedTables) {
  constexpr std::string_view kInventory[] = {"organisations", "systems"};
  auto version = [&] {
    std::optional<uint64_t> v;
    EXPECT_TRUE(store().Read([&](Tx& tx) -> core::Status {
      v = tx.DataVersion(kInventory);
      return core::Ok();
    }));
    return v;
  };
  const auto v0 = version();
  ASSERT_TRUE(v0.has_value());
  ASSERT_TRUE(Insert(Org("o1", "Sở Nội vụ")));
  const auto v1 = version();
  ASSERT_TRUE(v1.has_value());
  EXPECT_NE(*v1, *v0);
  EXPECT_EQ(version(), v1) << "a read changes nothing";

  // A write to a table not named (an audit record), one that fails, one that changes no row.
  ASSERT_TRUE(store().Write([&](Tx& tx) -> core::Status {
    core::AuditRecord r;
    r.at = T0();
    r.actor = "test";
    r.action = "sign_in";
    r.object_type = "session";
    r.object_id = "s1";
    UCSC_ASSIGN_OR_RETURN(auto appended, tx.Audit().Append(r));
    (void)appended;
    return core::Ok();
  }));
  EXPECT_EQ(version(), v1) << "the audit log is not an inventory table";
  ASSERT_FALSE(store().Write([&](Tx& tx) -> core::Status {
    UCSC_RETURN_IF_ERROR(tx.Systems().Insert(System("s1", "Cổng dịch vụ công", "o1", 3)));
    return core::Internal("injected failure");
  }));
  EXPECT_EQ(version(), v1) << "a rolled-back write";
  ASSERT_FALSE(store().Write([&](Tx& tx) { return tx.Orgs().Delete("absent", 1); }));
  EXPECT_EQ(version(), v1) << "a delete that matched no row";

  ASSERT_TRUE(Insert(System("s1", "Cổng dịch vụ công", "o1", 3)));
  const auto v2 = version();
  ASSERT_TRUE(v2.has_value());
  EXPECT_NE(*v2, *v1);

  // A transaction that began before a commit to one of the tables cannot vouch for its view.
  ASSERT_TRUE(store().Read([&](Tx& tx) -> core::Status {
    EXPECT_EQ(tx.DataVersion(kInventory), v2);
    std::thread writer([&] {
      auto o = Org("o2", "Sở Tài chính");
      EXPECT_TRUE(Insert(o));
    });
    writer.join();
    EXPECT_EQ(tx.DataVersion(kInventory), std::nullopt);
    return core::Ok();
  }));
  EXPECT_NE(version(), v2);
}

TEST(WrittenTable, NamesTheTargetOfEachKindOfWrite) {
  using internal::WrittenTable;
  EXPECT_EQ(WrittenTable("INSERT INTO systems (id) VALUES ($1)"), "systems");
  EXPECT_EQ(WrittenTable("  insert or replace into \"Evidence\" VALUES (1)"), "evidence");
  EXPECT_EQ(WrittenTable("REPLACE INTO reminders VALUES (1)"), "reminders");
  EXPECT_EQ(WrittenTable("UPDATE tasks SET state = $1"), "tasks");
  EXPECT_EQ(WrittenTable("UPDATE OR IGNORE tasks SET state = $1"), "tasks");
  EXPECT_EQ(WrittenTable("UPDATE ONLY public.findings SET doc = $1"), "findings");
  EXPECT_EQ(WrittenTable("DELETE FROM sessions WHERE expires_at < $1"), "sessions");
  EXPECT_EQ(WrittenTable("-- a comment\n/* and another */ DELETE FROM jobs"), "jobs");
  EXPECT_EQ(WrittenTable("SELECT * FROM systems"), "");
  EXPECT_EQ(WrittenTable("select id from jobs for update skip locked"), "");
  EXPECT_EQ(WrittenTable("LOCK TABLE audit_log IN EXCLUSIVE MODE"), "");
  // What it cannot tell is reported as "*", which every table set includes.
  EXPECT_EQ(WrittenTable("WITH x AS (SELECT 1) UPDATE systems SET level = 2"), "*");
  EXPECT_EQ(WrittenTable("DELETE systems"), "*");
  EXPECT_EQ(WrittenTable(""), "*");
  EXPECT_EQ(WrittenTable("INSERT INTO (1)"), "*");
}

TEST_P(StoreConformance, AuditChainDetectsEditsAndDeletions) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(store().Write([&](Tx& tx) -> core::Status {
      core::AuditRecord r;
      r.at = T0() + std::chrono::seconds(i);
      r.actor = "user:admin";
      r.action = "update";
      r.object_type = "system";
      r.object_id = "s" + std::to_string(i);
      r.after = R"({"level":3})";
      return tx.Audit().Append(r).map([](auto) {});
    }));
  }
  AuditVerifyReport report;
  ASSERT_TRUE(store().Read([&](Tx& tx) -> core::Status {
    UCSC_ASSIGN_OR_RETURN(report, tx.Audit().Verify());
    return core::Ok();
  }));
  EXPECT_TRUE(report.ok());
  EXPECT_EQ(report.records, 5);

  // Tamper through a dump: edit record 3's payload and drop record 4, load into a fresh store.
  std::vector<std::string> lines;
  ASSERT_TRUE(store().Dump([&](std::string_view l) {
    lines.emplace_back(l);
    return core::Ok();
  }));
  std::vector<std::string> tampered;
  for (auto l : lines) {
    if (l.find("\"seq\":\"3\"") != std::string::npos) {
      auto pos = l.find("{\\\"level\\\":3}");
      ASSERT_NE(pos, std::string::npos) << l;
      l.replace(pos, 13, "{\\\"level\\\":1}");
    }
    if (l.find("\"seq\":\"4\"") != std::string::npos) continue;
    tampered.push_back(l);
  }
  std::string skip;
  auto other = testing::MakeTestStore(GetParam(), clock_, skip);
  ASSERT_NE(other, nullptr);
  size_t idx = 0;
  ASSERT_TRUE(other->store->Load([&](std::string& out) -> core::Result<bool> {
    if (idx == tampered.size()) return false;
    out = tampered[idx++];
    return true;
  }));
  ASSERT_TRUE(other->store->Read([&](Tx& tx) -> core::Status {
    UCSC_ASSIGN_OR_RETURN(report, tx.Audit().Verify());
    return core::Ok();
  }));
  EXPECT_FALSE(report.ok());
  std::string all;
  for (auto& p : report.problems) all += p + "\n";
  EXPECT_NE(all.find("record 3 was altered"), std::string::npos) << all;
  EXPECT_NE(all.find("missing"), std::string::npos) << all;
}

TEST_P(StoreConformance, DumpAndLoadRoundTrip) {
  ASSERT_TRUE(Insert(Org("root", "Ủy ban nhân dân tỉnh")));
  ASSERT_TRUE(Insert(Org("child", "Sở Y tế", "root")));
  ASSERT_TRUE(Insert(System("s1", "Hệ thống", "child", 3)));
  std::vector<std::string> lines;
  ASSERT_TRUE(store().Dump([&](std::string_view l) {
    lines.emplace_back(l);
    return core::Ok();
  }));
  std::string skip;
  auto other = testing::MakeTestStore(GetParam(), clock_, skip);
  ASSERT_NE(other, nullptr);
  size_t idx = 0;
  ASSERT_TRUE(other->store->Load([&](std::string& out) -> core::Result<bool> {
    if (idx == lines.size()) return false;
    out = lines[idx++];
    return true;
  }));
  ASSERT_TRUE(other->store->Read([&](Tx& tx) -> core::Status {
    UCSC_ASSIGN_OR_RETURN(auto s, tx.Systems().Get("s1", Scope::All()));
    EXPECT_EQ(s.level, 3);
    EXPECT_EQ(tx.Orgs().Count(Scope::All()).value(), 2);
    return core::Ok();
  }));
}

TEST_P(StoreConformance, EvidenceSnapshotsAndReminderLog) {
  ASSERT_TRUE(Insert(Org("o", "Sở Y tế")));
  ASSERT_TRUE(Insert(System("s1", "Hệ thống", "o", 3)));
  core::Evidence e;
  e.id = "e1";
  e.org_id = "o";
  e.subject_kind = "system";
  e.subject_id = "s1";
  e.type = "hunt_report";
  e.performed_on = "2026-08-31";
  e.title = "Báo cáo săn lùng";
  e.file = {"bao-cao.pdf", std::string(64, 'a'), 1234, "application/pdf"};
  e.version = 1;
  e.created_at = e.updated_at = T0();
  ASSERT_TRUE(store().Write([&](Tx& tx) { return tx.Evidence().Insert(e); }));
  ASSERT_TRUE(store().Write([&](Tx& tx) -> core::Status {
    UCSC_ASSIGN_OR_RETURN(auto got, tx.Evidence().Get("e1", Scope::Orgs({"o"})));
    EXPECT_EQ(got.file, e.file);
    EXPECT_EQ(got.review, core::ReviewState::kPending);
    EXPECT_FALSE(tx.Evidence().Get("e1", Scope::Orgs({"other"})));
    got.review = core::ReviewState::kRejected;
    got.review_reason = "thiếu chữ ký";
    got.version = 2;
    UCSC_RETURN_IF_ERROR(tx.Evidence().Update(got));
    // Rejected records never count: not read.
    UCSC_ASSIGN_OR_RETURN(auto rows, tx.Compliance().EvidenceRows("2020-01-01"));
    EXPECT_TRUE(rows.empty());
    // Before `since`, only the latest of each (subject, type); from it on, every record.
    for (auto [id, type, day] : {std::tuple{"e2", "hunt_report", "2023-01-05"},
                                 std::tuple{"e3", "hunt_report", "2023-07-05"},
                                 std::tuple{"e4", "scan_report", "2022-12-01"},
                                 std::tuple{"e5", "hunt_report", "2025-01-01"},
                                 std::tuple{"e6", "hunt_report", "2025-06-01"}}) {
      core::Evidence x = e;
      x.id = id;
      x.type = type;
      x.performed_on = day;
      UCSC_RETURN_IF_ERROR(tx.Evidence().Insert(x));
    }
    UCSC_ASSIGN_OR_RETURN(rows, tx.Compliance().EvidenceRows("2024-06-01"));
    std::set<std::string> ids;
    for (const auto& r : rows) {
      ids.insert(r.id);
      EXPECT_EQ(r.subject_id, "s1");
      EXPECT_EQ(r.subject_kind, "system");
      EXPECT_EQ(r.review, "pending");
    }
    EXPECT_EQ(ids, (std::set<std::string>{"e3", "e4", "e5", "e6"}));
    UCSC_RETURN_IF_ERROR(tx.Compliance().PutSnapshots(
        {{"2026-12-30", "o", 5, 2, 1, 3}, {"2026-12-31", "o", 6, 1, 1, 3}}));
    // Upsert: the same day again replaces the counts.
    UCSC_RETURN_IF_ERROR(tx.Compliance().PutSnapshots({{"2026-12-31", "o", 7, 0, 1, 3}}));
    UCSC_ASSIGN_OR_RETURN(auto snaps, tx.Compliance().Snapshots("o", "2026-12-01", "2026-12-31"));
    EXPECT_EQ(snaps.size(), 2u);
    EXPECT_EQ(snaps.at(1).ok, 7);
    UCSC_ASSIGN_OR_RETURN(bool first,
                          tx.Compliance().RecordReminder("R1/s1/2026-12-31/due", "{}", T0()));
    UCSC_ASSIGN_OR_RETURN(bool again,
                          tx.Compliance().RecordReminder("R1/s1/2026-12-31/due", "{}", T0()));
    EXPECT_TRUE(first);
    EXPECT_FALSE(again);
    return core::Ok();
  }));
}

TEST_P(StoreConformance, JobLeaseExpiresAndJobIsRetried) {
  core::Job job;
  job.id = "j1";
  job.kind = "noop";
  job.payload = "{}";
  job.max_attempts = 2;
  job.run_at = job.created_at = T0();
  ASSERT_TRUE(store().Write([&](Tx& tx) { return tx.Jobs().Enqueue(job); }));
  auto claim = [&](const std::string& worker, core::Instant now) {
    std::optional<core::Job> got;
    EXPECT_TRUE(store().Write([&](Tx& tx) -> core::Status {
      UCSC_ASSIGN_OR_RETURN(got, tx.Jobs().Claim(worker, now, std::chrono::seconds(30)));
      return core::Ok();
    }));
    return got;
  };
  auto first = claim("w1", T0());
  ASSERT_TRUE(first);
  EXPECT_EQ(first->attempts, 1);
  EXPECT_FALSE(claim("w2", T0() + std::chrono::seconds(29)));  // lease still held
  auto second = claim("w2", T0() + std::chrono::seconds(31));  // w1 died: lease expired
  ASSERT_TRUE(second);
  EXPECT_EQ(second->worker, "w2");
  EXPECT_EQ(second->attempts, 2);
  // w1 comes back and must not complete a job it no longer holds.
  EXPECT_EQ(
      store().Write([&](Tx& tx) { return tx.Jobs().Complete("j1", "w1", T0()); }).error().code,
      ErrorCode::kFailedPrecondition);
  // w2 dies too: the last attempt's lease expires and the job fails.
  EXPECT_FALSE(claim("w3", T0() + std::chrono::seconds(100)));
  ASSERT_TRUE(store().Read([&](Tx& tx) -> core::Status {
    UCSC_ASSIGN_OR_RETURN(auto j, tx.Jobs().Get("j1"));
    EXPECT_EQ(j.state, core::JobState::kFailed);
    return core::Ok();
  }));
}

TEST_P(StoreConformance, FailedJobIsRequeuedUntilMaxAttempts) {
  core::Job job;
  job.id = "j1";
  job.kind = "noop";
  job.payload = "{}";
  job.max_attempts = 2;
  job.run_at = job.created_at = T0();
  ASSERT_TRUE(store().Write([&](Tx& tx) { return tx.Jobs().Enqueue(job); }));
  for (int attempt = 1; attempt <= 2; ++attempt) {
    ASSERT_TRUE(store().Write([&](Tx& tx) -> core::Status {
      UCSC_ASSIGN_OR_RETURN(auto j, tx.Jobs().Claim("w", T0() + std::chrono::minutes(attempt),
                                                    std::chrono::seconds(30)));
      EXPECT_TRUE(j);
      return tx.Jobs().Fail("j1", "w", "boom", T0(), T0());
    }));
  }
  ASSERT_TRUE(store().Read([&](Tx& tx) -> core::Status {
    UCSC_ASSIGN_OR_RETURN(auto j, tx.Jobs().Get("j1"));
    EXPECT_EQ(j.state, core::JobState::kFailed);
    EXPECT_EQ(j.last_error, "boom");
    return core::Ok();
  }));
}

TEST_P(StoreConformance, ConcurrentClaimsNeverShareAJob) {
  ASSERT_TRUE(store().Write([&](Tx& tx) -> core::Status {
    for (int i = 0; i < 40; ++i) {
      core::Job job;
      job.id = "j" + std::to_string(100 + i);
      job.kind = "noop";
      job.payload = "{}";
      job.run_at = job.created_at = T0();
      UCSC_RETURN_IF_ERROR(tx.Jobs().Enqueue(job));
    }
    return core::Ok();
  }));
  std::mutex mu;
  std::multiset<std::string> claimed;
  std::vector<std::thread> workers;
  for (int w = 0; w < 4; ++w) {
    workers.emplace_back([&, w] {
      for (;;) {
        std::optional<core::Job> got;
        auto st = store().Write([&](Tx& tx) -> core::Status {
          UCSC_ASSIGN_OR_RETURN(
              got, tx.Jobs().Claim("w" + std::to_string(w), T0(), std::chrono::minutes(5)));
          return core::Ok();
        });
        if (!st) continue;  // busy: try again
        if (!got) return;
        std::lock_guard lock(mu);
        claimed.insert(got->id);
      }
    });
  }
  for (auto& t : workers) t.join();
  EXPECT_EQ(claimed.size(), 40u);
  for (const auto& id : claimed) EXPECT_EQ(claimed.count(id), 1u) << id;
}

TEST_P(StoreConformance, ScheduleAdvanceIsCompareAndSet) {
  core::Schedule s{"daily", "0 2 * * *", "snapshot", "{}", T0()};
  ASSERT_TRUE(store().Write([&](Tx& tx) { return tx.Jobs().UpsertSchedule(s); }));
  ASSERT_TRUE(store().Write([&](Tx& tx) -> core::Status {
    UCSC_ASSIGN_OR_RETURN(auto due, tx.Jobs().DueSchedules(T0()));
    EXPECT_EQ(due.size(), 1u);
    UCSC_ASSIGN_OR_RETURN(bool first,
                          tx.Jobs().AdvanceSchedule("daily", T0(), T0() + std::chrono::hours(24)));
    UCSC_ASSIGN_OR_RETURN(bool again,
                          tx.Jobs().AdvanceSchedule("daily", T0(), T0() + std::chrono::hours(24)));
    EXPECT_TRUE(first);
    EXPECT_FALSE(again);
    UCSC_ASSIGN_OR_RETURN(auto none, tx.Jobs().DueSchedules(T0() + std::chrono::hours(1)));
    EXPECT_TRUE(none.empty());
    return core::Ok();
  }));
}

// In-app notifications (issue 4 point 5): per account, newest first, paged, read marks.
TEST_P(StoreConformance, NotificationsPerAccount) {
  ASSERT_TRUE(Insert(Org("o1", "Sở Y tế")));
  for (const char* id : {"u1", "u2"}) {
    core::User u;
    u.id = id;
    u.username = std::string("user_") + id;
    u.role = core::Role::kOrgManager;
    u.org_id = "o1";
    u.password_hash = "$argon2id$v=19$fake";
    u.version = 1;
    u.created_at = u.updated_at = T0();
    ASSERT_TRUE(store().Write([&](Tx& tx) { return tx.Users().Insert(u); }));
  }
  ASSERT_TRUE(store().Write([&](Tx& tx) -> core::Status {
    for (int i = 1; i <= 5; ++i) {
      store::Notification n{"n" + std::to_string(i),
                            i == 5 ? "u2" : "u1",
                            "o1",
                            "reminder",
                            "Nhắc việc " + std::to_string(i),
                            "nội dung",
                            "/compliance",
                            T0(),
                            core::Instant{}};
      UCSC_RETURN_IF_ERROR(tx.Notifications().Add(n));
    }
    return core::Ok();
  }));
  ASSERT_TRUE(store().Write([&](Tx& tx) -> core::Status {
    auto all = tx.Notifications().List("u1", false, "", 10);
    EXPECT_TRUE(all);
    std::vector<std::string> ids;
    for (const auto& n : *all) ids.push_back(n.id);
    EXPECT_EQ(ids, (std::vector<std::string>{"n4", "n3", "n2", "n1"}));
    auto page2 = tx.Notifications().List("u1", false, "n3", 10);
    EXPECT_EQ(page2->size(), 2U);
    EXPECT_EQ(page2->front().id, "n2");
    EXPECT_EQ(page2->front().title, "Nhắc việc 2");
    EXPECT_EQ(*tx.Notifications().UnreadCount("u1"), 4);
    // Another account's id is not marked.
    EXPECT_EQ(*tx.Notifications().MarkRead("u1", {"n2", "n5"}, T0()), 1);
    EXPECT_EQ(*tx.Notifications().UnreadCount("u1"), 3);
    EXPECT_EQ(*tx.Notifications().UnreadCount("u2"), 1);
    auto unread = tx.Notifications().List("u1", true, "", 10);
    EXPECT_EQ(unread->size(), 3U);
    EXPECT_EQ(*tx.Notifications().MarkRead("u1", {}, T0()), 3);
    EXPECT_EQ(*tx.Notifications().UnreadCount("u1"), 0);
    EXPECT_EQ(*tx.Notifications().MarkRead("u1", {}, T0()), 0);
    return core::Ok();
  }));
}

// Scan authorisations and runs (issue 6 point 2): versioned updates, scope, newest-first lists.
TEST_P(StoreConformance, ScanAuthorisationsAndRuns) {
  ASSERT_TRUE(Insert(Org("o1", "Sở Y tế")));
  ASSERT_TRUE(Insert(Org("o2", "Sở Tài chính")));
  ASSERT_TRUE(Insert(System("s1", "Cổng thông tin", "o1", 2)));
  ASSERT_TRUE(Insert(System("s2", "Kho bạc", "o2", 2)));
  using store::ScanRecord;
  using store::ScanTable;
  ScanRecord a{"a1", "o1", "s1", "", "requested", 1, "{\"targets\":[\"127.0.0.1\"]}", T0(), T0()};
  ScanRecord b{"a2", "o2", "s2", "", "approved", 1, "{}", T0(), T0()};
  ASSERT_TRUE(store().Write([&](Tx& tx) -> core::Status {
    UCSC_RETURN_IF_ERROR(tx.Scans().Insert(ScanTable::kAuthorisations, a));
    return tx.Scans().Insert(ScanTable::kAuthorisations, b);
  }));
  ScanRecord run{"r1", "o1", "s1", "a1", "queued", 1, "{}", T0(), T0()};
  ASSERT_TRUE(store().Write([&](Tx& tx) { return tx.Scans().Insert(ScanTable::kRuns, run); }));
  // A run must name an existing authorisation.
  ScanRecord orphan = run;
  orphan.id = "r2";
  orphan.parent_id = "nope";
  EXPECT_FALSE(store().Write([&](Tx& tx) { return tx.Scans().Insert(ScanTable::kRuns, orphan); }));

  a.state = "approved";
  a.version = 2;
  ASSERT_TRUE(
      store().Write([&](Tx& tx) { return tx.Scans().Update(ScanTable::kAuthorisations, a); }));
  // The same version again: changed meanwhile.
  EXPECT_EQ(store()
                .Write([&](Tx& tx) { return tx.Scans().Update(ScanTable::kAuthorisations, a); })
                .error()
                .code,
            ErrorCode::kFailedPrecondition);
  ASSERT_TRUE(store().Read([&](Tx& tx) -> core::Status {
    UCSC_ASSIGN_OR_RETURN(auto got, tx.Scans().Get(ScanTable::kAuthorisations, "a1", Scope::All()));
    EXPECT_EQ(got.state, "approved");
    EXPECT_EQ(got.version, 2);
    EXPECT_EQ(got.doc, a.doc);
    EXPECT_EQ(tx.Scans().Get(ScanTable::kAuthorisations, "a2", Scope::Orgs({"o1"})).error().code,
              ErrorCode::kNotFound);
    UCSC_ASSIGN_OR_RETURN(
        auto all, tx.Scans().List(ScanTable::kAuthorisations, Scope::All(), "", "", "", 10));
    EXPECT_EQ(all.size(), 2u);
    EXPECT_EQ(all.front().id, "a2");
    UCSC_ASSIGN_OR_RETURN(auto mine, tx.Scans().List(ScanTable::kAuthorisations,
                                                     Scope::Orgs({"o1"}), "", "approved", "", 10));
    EXPECT_EQ(mine.size(), 1u);
    UCSC_ASSIGN_OR_RETURN(
        auto of_s2, tx.Scans().List(ScanTable::kAuthorisations, Scope::All(), "s2", "", "", 10));
    EXPECT_EQ(of_s2.size(), 1u);
    EXPECT_EQ(mine.size(), 1u);
    UCSC_ASSIGN_OR_RETURN(
        auto older, tx.Scans().List(ScanTable::kAuthorisations, Scope::All(), "", "", "a2", 10));
    EXPECT_EQ(older.size(), 1u);
    UCSC_ASSIGN_OR_RETURN(auto runs,
                          tx.Scans().List(ScanTable::kRuns, Scope::All(), "", "queued", "", 10));
    EXPECT_EQ(runs.size(), 1u);
    return core::Ok();
  }));
}

TEST_P(StoreConformance, UsersSessionsAndTokens) {
  ASSERT_TRUE(Insert(Org("o1", "Sở Y tế")));
  core::User u;
  u.id = "u1";
  u.username = "quanly";
  u.role = core::Role::kOrgManager;
  u.org_id = "o1";
  u.password_hash = "$argon2id$v=19$fake";
  u.version = 1;
  u.created_at = u.updated_at = T0();
  ASSERT_TRUE(store().Write([&](Tx& tx) { return tx.Users().Insert(u); }));
  auto dup = u;
  dup.id = "u2";
  EXPECT_EQ(store().Write([&](Tx& tx) { return tx.Users().Insert(dup); }).error().code,
            ErrorCode::kAlreadyExists);
  ASSERT_TRUE(store().Write([&](Tx& tx) -> core::Status {
    UCSC_ASSIGN_OR_RETURN(auto got, tx.Users().GetByUsername("quanly"));
    EXPECT_EQ(got.password_hash, u.password_hash);
    UCSC_RETURN_IF_ERROR(
        tx.Sessions().Insert({"hash1", "u1", "csrf", T0(), T0() + std::chrono::hours(8)}));
    UCSC_ASSIGN_OR_RETURN(auto s, tx.Sessions().Get("hash1"));
    EXPECT_EQ(s.csrf_token, "csrf");
    UCSC_ASSIGN_OR_RETURN(auto n, tx.Sessions().DeleteExpired(T0() + std::chrono::hours(9)));
    EXPECT_EQ(n, 1);
    UCSC_RETURN_IF_ERROR(tx.Tokens().Insert({"t1", "u1", "ci", "th", {"read"}, T0(), T0()}));
    UCSC_ASSIGN_OR_RETURN(auto t, tx.Tokens().GetByHash("th"));
    EXPECT_EQ(t.scopes, std::vector<std::string>{"read"});
    EXPECT_EQ(tx.Tokens().Delete("t1", "someone-else").error().code, ErrorCode::kNotFound);
    return tx.Tokens().Delete("t1", "u1");
  }));
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreConformance, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace ucsc::store
