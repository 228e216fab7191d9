// The module shape (capability/module.h, issue 12): a capability that exists only in the tests
// (notes_module.h) gets its table (migrated on both back ends, in every backup), its policy row,
// its routes (in the OpenAPI document), and its job and schedule, with no file of the product
// edited; and the host refuses a module whose route names a resource nobody wrote a row for.
#include <gtest/gtest.h>

#include <atomic>
#include <set>

#include "auth/random.h"
#include "cli/modules.h"
#include "core/legal_time.h"
#include "notes_module.h"
#include "server/api.h"
#include "server/worker.h"
#include "store/test_store.h"

namespace ucsc::capability::testing {
namespace {

using core::Role;

core::RandomFill Counter(std::shared_ptr<std::atomic<uint64_t>> n) {
  return [n = std::move(n)](std::span<uint8_t> out) {
    const uint64_t v = ++*n;
    std::fill(out.begin(), out.end(), uint8_t{0});
    for (size_t i = 0; i < out.size() && i < 8; ++i) {
      out[out.size() - 1 - i] = static_cast<uint8_t>(v >> (8 * i));
    }
  };
}

// One store of the back end with the product's modules and the notes module attached.
class ModuleShape : public ::testing::TestWithParam<std::string> {
 protected:
  ModuleShape()
      : clock_(core::FromUnixMillis(1780282800000)),  // 2026-06-01 03:00 UTC
        ids_(clock_, Counter(std::make_shared<std::atomic<uint64_t>>(0))) {}

  void SetUp() override {
    std::string skip;
    ts_ = store::testing::MakeTestStore(GetParam(), clock_, skip);
    if (ts_ == nullptr) {
      if (!skip.empty()) GTEST_SKIP() << skip;
      FAIL() << "cannot open the store";
    }
    modules_ = cli::MakeModules(Env{clock_, ids_, settings_, 32, {}});
    // The one line a new capability adds to the module list.
    modules_.push_back(MakeNotesModule(Env{clock_, ids_, settings_, 32, {}}));
    registry_ = RegisterAll(modules_);
    ASSERT_TRUE(ts_->store->Attach(registry_.tables()));
    auto migrated = ts_->store->Migrate();
    ASSERT_TRUE(migrated) << migrated.error().ToString();
    auto api = server::Api::Make(*ts_->store, clock_, ids_, server::ApiConfig{}, registry_);
    ASSERT_TRUE(api) << api.error().ToString();
    api_ = std::move(*api);

    org_.id = ids_.Next();
    org_.name = "Sở Khoa học và Công nghệ";
    org_.version = 1;
    org_.created_at = org_.updated_at = clock_.Now();
    ASSERT_TRUE(ts_->store->Write([&](store::Tx& tx) { return tx.Orgs().Insert(org_); }));
    for (Role role : {Role::kCoordinator, Role::kResponder, Role::kLiaison, Role::kAuditor}) {
      AddUser(role);
    }
  }

  void AddUser(Role role) {
    core::User u;
    u.id = ids_.Next();
    u.username = std::string(core::RoleName(role));
    u.role = role;
    u.org_id = org_.id;
    u.password_hash = "not-used";
    u.version = 1;
    u.created_at = u.updated_at = clock_.Now();
    core::ApiToken t;
    t.id = ids_.Next();
    t.user_id = u.id;
    t.name = "test";
    t.token_hash = auth::Sha256Hex("secret-" + u.username);
    t.scopes = {"read", "write"};
    t.created_at = clock_.Now();
    t.expires_at = clock_.Now() + std::chrono::hours(1);
    ASSERT_TRUE(ts_->store->Write([&](store::Tx& tx) -> core::Status {
      UCSC_RETURN_IF_ERROR(tx.Users().Insert(u));
      return tx.Tokens().Insert(t);
    }));
  }

  Response Send(Role role, std::string method, std::string path, Json body = nullptr) {
    Request r;
    r.method = std::move(method);
    r.path = std::move(path);
    r.headers["authorization"] = "Bearer secret-" + std::string(core::RoleName(role));
    if (!body.is_null()) {
      r.headers["content-type"] = "application/json";
      r.body = body.dump();
    }
    return api_->Handle(r);
  }

  // The names of the tables a dump of `s` holds rows of.
  static std::set<std::string> DumpedTables(store::Store& s, std::vector<std::string>* lines) {
    std::set<std::string> out;
    EXPECT_TRUE(s.Dump([&](std::string_view line) -> core::Status {
      auto j = codec::ParseJson(line);
      if (j) out.insert((*j)["table"].get<std::string>());
      if (lines != nullptr) lines->emplace_back(line);
      return core::Ok();
    }));
    return out;
  }

  core::FakeClock clock_;
  core::IdGenerator ids_;
  Json settings_ = Json{{"rulepacks_dir", UCSC_SOURCE_DIR "/data/rulepacks"}};
  std::unique_ptr<store::testing::TestStore> ts_;
  ModuleList modules_;
  Registry registry_;
  std::unique_ptr<server::Api> api_;
  core::Organisation org_;
};

TEST_P(ModuleShape, RoutesAreGuardedByTheModulesPolicyRow) {
  Response created = Send(Role::kCoordinator, "POST", "/api/v1/test-notes",
                          Json{{"org_id", org_.id}, {"body", "Kiểm tra định kỳ"}});
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = Json::parse(created.body)["id"];
  Response read = Send(Role::kAuditor, "GET", "/api/v1/test-notes/" + id);
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(Json::parse(read.body)["body"], "Kiểm tra định kỳ");
  // The row: responders and auditors read, liaisons see nothing.
  EXPECT_EQ(
      Send(Role::kResponder, "POST", "/api/v1/test-notes", Json{{"org_id", org_.id}, {"body", "x"}})
          .status,
      403);
  EXPECT_EQ(
      Send(Role::kAuditor, "POST", "/api/v1/test-notes", Json{{"org_id", org_.id}, {"body", "x"}})
          .status,
      403);
  EXPECT_EQ(Send(Role::kLiaison, "GET", "/api/v1/test-notes/" + id).status, 403);
  // Bad input is the module's own field error.
  Response bad = Send(Role::kCoordinator, "POST", "/api/v1/test-notes", Json{{"org_id", org_.id}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("/body"), std::string::npos) << bad.body;
}

TEST_P(ModuleShape, OpenApiDescribesTheModulesRoutesAndSchemas) {
  Response r = Send(Role::kAuditor, "GET", "/api/v1/openapi.json");
  ASSERT_EQ(r.status, 200);
  const Json doc = Json::parse(r.body);
  const Json& post = doc["paths"]["/api/v1/test-notes"]["post"];
  ASSERT_TRUE(post.is_object()) << "the module's route is missing";
  EXPECT_EQ(post["requestBody"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/TestNote");
  EXPECT_TRUE(doc["components"]["schemas"].contains("TestNote"));
  EXPECT_TRUE(doc["paths"]["/api/v1/test-notes/{id}"].contains("get"));
}

TEST_P(ModuleShape, TheModulesTableIsMigratedAndInEveryBackup) {
  ASSERT_EQ(Send(Role::kCoordinator, "POST", "/api/v1/test-notes",
                 Json{{"org_id", org_.id}, {"body", "sao lưu"}})
                .status,
            201);
  std::vector<std::string> lines;
  EXPECT_TRUE(DumpedTables(*ts_->store, &lines).contains("test_notes"));

  // Into a fresh store of the same back end with the same modules: every line comes back.
  std::string skip;
  auto other = store::testing::MakeTestStore(GetParam(), clock_, skip);
  ASSERT_NE(other, nullptr);
  ASSERT_TRUE(other->store->Attach(registry_.tables()));
  ASSERT_TRUE(other->store->Migrate());
  size_t next = 0;
  auto loaded = other->store->Load([&](std::string& line) -> core::Result<bool> {
    if (next == lines.size()) return false;
    line = lines[next++];
    return true;
  });
  ASSERT_TRUE(loaded) << loaded.error().ToString();
  std::vector<std::string> again;
  DumpedTables(*other->store, &again);
  EXPECT_EQ(again, lines) << "a row or a table was lost in the round trip";

  // A second Migrate applies nothing twice.
  EXPECT_TRUE(ts_->store->Migrate());
}

// Every table of the schema — the store's own and every module's — is in the backup list, so
// that a forgotten entry cannot silently drop a table from backups.
TEST_P(ModuleShape, EveryTableOfTheSchemaIsBackedUp) {
  std::set<std::string> tables;
  ASSERT_TRUE(ts_->store->Read([&](store::Tx& tx) -> core::Status {
    const bool pg = tx.Sql().Backend() == "postgresql";
    UCSC_ASSIGN_OR_RETURN(
        auto rows,
        tx.Sql().Query(pg ? "SELECT table_name FROM information_schema.tables WHERE "
                            "table_schema = current_schema() AND table_type = 'BASE TABLE'"
                          : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT "
                            "LIKE 'sqlite_%'",
                       {}));
    for (const auto& r : rows) tables.insert(r[0].value_or(""));
    return core::Ok();
  }));
  // The migration bookkeeping belongs to the target store, which is migrated before a restore.
  tables.erase("schema_migrations");
  tables.erase("module_migrations");
  ASSERT_TRUE(tables.contains("test_notes"));
  const auto backed = ts_->store->BackedUpTables();
  const std::set<std::string> listed(backed.begin(), backed.end());
  EXPECT_EQ(listed, tables) << "a table of the schema is not in the backup list, or the list "
                               "names a table the schema lacks";
}

TEST_P(ModuleShape, TheModulesJobRunsInTheWorkerPool) {
  server::WorkerPool pool(*ts_->store, clock_, ids_, server::WorkerConfig{});
  for (const auto& job : registry_.jobs()) pool.Register(job.kind, job.run);
  bool scheduled = false;
  for (const auto& s : registry_.schedules()) scheduled |= s.kind == "notes_count";
  EXPECT_TRUE(scheduled);
  auto queued = pool.Enqueue("notes_count", Json{{"org_id", org_.id}}.dump());
  ASSERT_TRUE(queued);
  // Other modules' schedules are due too; run until the queue is empty.
  for (int i = 0; i < 20; ++i) {
    auto ran = pool.RunOnce("test-worker");
    ASSERT_TRUE(ran) << ran.error().ToString();
    if (!*ran) break;
  }
  core::Job job;
  ASSERT_TRUE(ts_->store->Read([&](store::Tx& tx) -> core::Status {
    UCSC_ASSIGN_OR_RETURN(job, tx.Jobs().Get(*queued));
    return core::Ok();
  }));
  EXPECT_EQ(job.state, core::JobState::kDone) << job.last_error;
  int64_t notes = 0;
  ASSERT_TRUE(ts_->store->Read([&](store::Tx& tx) -> core::Status {
    std::vector<store::SqlParam> p{std::string("count=0")};
    UCSC_ASSIGN_OR_RETURN(auto rows,
                          tx.Sql().Query("SELECT COUNT(*) FROM test_notes WHERE body = $1", p));
    notes = std::stoll(rows[0][0].value_or("0"));
    return core::Ok();
  }));
  EXPECT_EQ(notes, 1);
}

// No default grants: a route whose resource has no row, or a row that leaves a role out, stops
// the Api from being made.
TEST_P(ModuleShape, ARouteWithoutAPolicyRowIsRefused) {
  Registry r;
  r.AddRoute({"GET", "/api/v1/orphans", "A route nobody wrote a row for", false, "orphans",
              Access::kRead, [](Ctx&, store::Tx&) { return core::Ok(); }});
  auto api = server::Api::Make(*ts_->store, clock_, ids_, server::ApiConfig{}, r);
  ASSERT_FALSE(api);
  EXPECT_NE(api.error().message.find("orphans"), std::string::npos) << api.error().message;

  Registry incomplete;
  incomplete.AddPolicy({.resource = "half", .admin = Grant::kWrite});
  auto refused = server::Api::Make(*ts_->store, clock_, ids_, server::ApiConfig{}, incomplete);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("coordinator"), std::string::npos)
      << refused.error().message;

  Registry twice;
  twice.AddPolicy(registry_.policy().front());
  twice.AddPolicy(registry_.policy().front());
  EXPECT_FALSE(server::Api::Make(*ts_->store, clock_, ids_, server::ApiConfig{}, twice));
}

INSTANTIATE_TEST_SUITE_P(Backends, ModuleShape, ::testing::Values("sqlite", "postgresql"));

}  // namespace
}  // namespace ucsc::capability::testing
