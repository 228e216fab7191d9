// CRUD semantics of the inventory endpoints: 201 + Location + ETag, optimistic versions,
// system change events and level history, referential 409, keyset pagination in Vietnamese order,
// diacritic-insensitive search, the audit trail, and one transaction per request (a failure
// injected mid-request leaves no partial write).
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>

#include "server/api_test_util.h"
#include "text/vietnamese.h"

namespace ucsc::server::testing {
namespace {

using core::Role;

// ---- A fault-injecting store (leveldb's EnvWrapper pattern) -------------------------------------

// Forwards to the audit log of the real transaction, failing Append while `fail` is set.
class FaultyAudit final : public store::AuditLog {
 public:
  FaultyAudit(store::AuditLog& base, const bool& fail) : base_(base), fail_(fail) {}
  core::Result<core::AuditRecord> Append(core::AuditRecord record) override {
    if (fail_) return core::Internal("injected fault: audit append");
    return base_.Append(std::move(record));
  }
  core::Result<std::vector<core::AuditRecord>> List(int64_t after_seq, int limit) override {
    return base_.List(after_seq, limit);
  }
  core::Result<store::AuditVerifyReport> Verify() override { return base_.Verify(); }

 private:
  store::AuditLog& base_;
  const bool& fail_;
};

// A transaction that forwards everything but the audit log.
class FaultyTx final : public store::Tx {
 public:
  FaultyTx(store::Tx& base, const bool& fail) : base_(base), audit_(base.Audit(), fail) {}
  store::EntityRepo<core::Organisation>& Orgs() override { return base_.Orgs(); }
  store::EntityRepo<core::InformationSystem>& Systems() override { return base_.Systems(); }
  store::EntityRepo<core::Asset>& Assets() override { return base_.Assets(); }
  store::EntityRepo<core::Contact>& Contacts() override { return base_.Contacts(); }
  store::EntityRepo<core::IrTeamMember>& Team() override { return base_.Team(); }
  store::EntityRepo<core::Task>& Tasks() override { return base_.Tasks(); }
  store::EntityRepo<core::Evidence>& Evidence() override { return base_.Evidence(); }
  store::ComplianceRepo& Compliance() override { return base_.Compliance(); }
  store::NotificationRepo& Notifications() override { return base_.Notifications(); }
  store::ScanRepo& Scans() override { return base_.Scans(); }
  store::UserRepo& Users() override { return base_.Users(); }
  store::SessionRepo& Sessions() override { return base_.Sessions(); }
  store::TokenRepo& Tokens() override { return base_.Tokens(); }
  store::AuditLog& Audit() override { return audit_; }
  store::ChangeRepo& Changes() override { return base_.Changes(); }
  store::JobQueue& Jobs() override { return base_.Jobs(); }
  core::Result<std::vector<std::pair<std::string, std::string>>> OrgParentLinks() override {
    return base_.OrgParentLinks();
  }
  store::SqlSession& Sql() override { return base_.Sql(); }

 private:
  store::Tx& base_;
  FaultyAudit audit_;
};

// Forwards to `base`; while fail_audit is set, every write transaction's audit append fails.
class FaultInjectionStore final : public store::Store {
 public:
  explicit FaultInjectionStore(store::Store& base) : base_(base) {}
  bool fail_audit = false;

  core::Status Migrate() override { return base_.Migrate(); }
  core::Status Write(const store::TxFn& fn) override {
    return base_.Write([&](store::Tx& tx) {
      FaultyTx faulty(tx, fail_audit);
      return fn(faulty);
    });
  }
  core::Status Read(const store::TxFn& fn) override { return base_.Read(fn); }
  std::string_view Backend() const override { return base_.Backend(); }
  core::Status Attach(std::vector<store::SchemaPart> parts) override {
    return base_.Attach(std::move(parts));
  }
  std::vector<std::string> BackedUpTables() const override { return base_.BackedUpTables(); }
  core::Status Dump(const std::function<core::Status(std::string_view)>& sink) override {
    return base_.Dump(sink);
  }
  core::Status Load(const std::function<core::Result<bool>(std::string&)>& next_line) override {
    return base_.Load(next_line);
  }

 private:
  store::Store& base_;
};

// ---- Fixture --------------------------------------------------------------------------------

class ApiCrud : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    std::string skip;
    if (!h_.Open(GetParam(), skip)) {
      if (!skip.empty()) {
        GTEST_SKIP() << skip;
      }
      FAIL() << "cannot open the store";
    }
    syt_ = h_.OrgId("Sở Y tế");
    admin_ = std::make_unique<Client>(h_.SignIn(Role::kAdmin));
  }
  const Client& admin() { return *admin_; }

  // Creates through the API; returns the body.
  Json Create(const std::string& resource, const Json& body) {
    Response r = admin().Post("/api/v1/" + resource, body);
    EXPECT_EQ(r.status, 201) << resource << ": " << r.body;
    return Body(r);
  }
  std::vector<core::AuditRecord> AuditSince(size_t n) {
    auto all = h_.AuditRecords();
    return std::vector<core::AuditRecord>(all.begin() + static_cast<std::ptrdiff_t>(n), all.end());
  }

  ApiHarness h_;
  std::string syt_;
  std::unique_ptr<Client> admin_;
};

// One valid creation body per resource (the system and organisation referenced exist).
std::map<std::string, Json> CreationBodies(const std::string& org, const std::string& system) {
  return {
      {"organisations",
       {{"name", "Phòng Công nghệ thông tin"}, {"type", "agency"}, {"parent_id", org}}},
      {"systems",
       {{"name", "Hệ thống bệnh án điện tử"},
        {"owner_org_id", org},
        {"level", 3},
        {"approval",
         {{"decision_no", "12/QĐ-SYT"}, {"date", "2025-03-01"}, {"approver", "Giám đốc Sở"}}},
        {"public_endpoints", {"https://benhan.songhong.gov.vn"}}}},
      {"assets",
       {{"name", "Máy chủ cơ sở dữ liệu"},
        {"system_id", system},
        {"ips", {"10.1.2.3", "2001:db8::7"}},
        {"software",
         {{{"vendor", "postgresql"},
           {"product", "postgresql"},
           {"version", "15.6"},
           {"cpe", "cpe:2.3:a:postgresql:postgresql:15.6:*:*:*:*:*:*:*"}}}}}},
      {"contacts",
       {{"name", "Trần Văn Bình"}, {"org_id", org}, {"email", "binhtv@songhong.gov.vn"}}},
      {"ir-team", {{"name", "Phạm Thu Hà"}, {"org_id", org}, {"skills", {"pháp chứng số"}}}},
      {"tasks",
       {{"title", "Vá lỗ hổng PostgreSQL"},
        {"org_id", org},
        {"system_id", system},
        {"kind", "remediation"},
        {"due_date", "2026-06-30"}}},
  };
}

const std::map<std::string, Json> kPatches = {
    {"organisations", {{"short_name", "Phòng CNTT"}}},
    {"systems", {{"description", "Bệnh án điện tử toàn tỉnh"}}},
    {"assets", {{"os", "Debian 12"}}},
    {"contacts", {{"position", "Trưởng phòng"}}},
    {"ir-team", {{"outsourced", true}}},
    {"tasks", {{"state", "in_progress"}}},
};

const std::map<std::string, std::string> kAuditTypes = {
    {"organisations", "organisation"}, {"systems", "system"},         {"assets", "asset"},
    {"contacts", "contact"},           {"ir-team", "ir_team_member"}, {"tasks", "task"},
};

TEST_P(ApiCrud, CreateAnswers201WithLocationAndETagAndIsAudited) {
  auto sys = h_.InsertSystem("Hệ thống nền", syt_);
  for (const auto& [resource, body] : CreationBodies(syt_, sys.id)) {
    SCOPED_TRACE(resource);
    const size_t audit_before = h_.AuditRecords().size();
    Response r = admin().Post("/api/v1/" + resource, body);
    ASSERT_EQ(r.status, 201) << r.body;
    Json created = Body(r);
    const std::string id = created["id"];
    EXPECT_TRUE(core::IsUuid(id)) << id;
    EXPECT_EQ(created["version"], 1);
    EXPECT_EQ(r.Header("Location"), "/api/v1/" + resource + "/" + id);
    EXPECT_EQ(r.Header("ETag"), "\"1\"");
    for (const auto& [key, value] : body.items()) EXPECT_EQ(created[key], value) << key;

    Response got = admin().Get(r.Header("Location"));
    EXPECT_EQ(got.status, 200);
    EXPECT_EQ(got.Header("ETag"), "\"1\"");
    EXPECT_EQ(Body(got), created);

    auto audit = AuditSince(audit_before);
    ASSERT_EQ(audit.size(), 1u);
    EXPECT_EQ(audit[0].action, "create");
    EXPECT_EQ(audit[0].object_type, kAuditTypes.at(resource));
    EXPECT_EQ(audit[0].object_id, id);
    EXPECT_EQ(audit[0].actor, "user:" + admin().username);
    EXPECT_EQ(Json::parse(audit[0].after), created);
  }
  // An asset takes its organisation from its system.
  Json asset = Body(admin().Get("/api/v1/assets", {{"system_id", sys.id}}))["items"][0];
  EXPECT_EQ(asset["org_id"], syt_);
}

TEST_P(ApiCrud, PatchBumpsTheVersionAndIsAudited) {
  auto sys = h_.InsertSystem("Hệ thống nền", syt_);
  for (const auto& [resource, body] : CreationBodies(syt_, sys.id)) {
    SCOPED_TRACE(resource);
    Json created = Create(resource, body);
    const std::string path = "/api/v1/" + resource + "/" + created["id"].get<std::string>();
    const size_t audit_before = h_.AuditRecords().size();
    Response r = admin().Patch(path, kPatches.at(resource), "\"1\"");
    ASSERT_EQ(r.status, 200) << r.body;
    Json patched = Body(r);
    EXPECT_EQ(patched["version"], 2);
    EXPECT_EQ(r.Header("ETag"), "\"2\"");
    for (const auto& [key, value] : kPatches.at(resource).items()) EXPECT_EQ(patched[key], value);
    // Fields not in the patch keep their value.
    for (const auto& [key, value] : body.items()) {
      if (!kPatches.at(resource).contains(key)) {
        EXPECT_EQ(patched[key], value) << key;
      }
    }
    EXPECT_EQ(admin().Get(path).Header("ETag"), "\"2\"");
    auto audit = AuditSince(audit_before);
    ASSERT_EQ(audit.size(), 1u);
    EXPECT_EQ(audit[0].action, "update");
    EXPECT_EQ(Json::parse(audit[0].before), created);
    EXPECT_EQ(Json::parse(audit[0].after), patched);
    // The old ETag is stale now, for PATCH and DELETE alike.
    EXPECT_TRUE(IsProblem(admin().Patch(path, kPatches.at(resource), "\"1\""), 412));
    EXPECT_TRUE(IsProblem(admin().Delete(path, "\"1\""), 412));
  }
}

TEST_P(ApiCrud, SystemPatchRecordsOneChangeEventPerFieldAndTheLevelHistory) {
  Json created = Create("systems", CreationBodies(syt_, "").at("systems"));
  const std::string path = "/api/v1/systems/" + created["id"].get<std::string>();
  ASSERT_EQ(created["level_history"].size(), 1u);
  EXPECT_EQ(created["level_history"][0]["level"], 3);
  EXPECT_TRUE(Body(admin().Get(path + "/changes"))["items"].empty());

  h_.clock().Advance(std::chrono::minutes(5));
  Response r = admin().Patch(
      path,
      Json{{"name", "Hệ thống bệnh án điện tử tỉnh"}, {"level", 4}, {"national_important", true}},
      "\"1\"");
  ASSERT_EQ(r.status, 200) << r.body;
  Json v2 = Body(r);
  Json changes = Body(admin().Get(path + "/changes"))["items"];
  std::map<std::string, Json> by_field;
  for (const auto& e : changes) by_field[e["field"].get<std::string>()] = e;
  EXPECT_EQ(by_field.size(), 3u) << changes.dump();
  ASSERT_TRUE(by_field.contains("/level"));
  EXPECT_EQ(by_field["/level"]["before"], "3");
  EXPECT_EQ(by_field["/level"]["after"], "4");
  EXPECT_EQ(by_field["/level"]["actor"], "user:" + admin().username);
  EXPECT_EQ(by_field["/name"]["after"], Json("Hệ thống bệnh án điện tử tỉnh").dump());
  EXPECT_TRUE(by_field.contains("/national_important"));
  // The level changed: a second history entry, stamped with the time and the actor.
  ASSERT_EQ(v2["level_history"].size(), 2u);
  EXPECT_EQ(v2["level_history"][1]["level"], 4);
  EXPECT_EQ(v2["level_history"][1]["changed_by"], "user:" + admin().username);
  EXPECT_EQ(v2["level_history"][1]["changed_at"], v2["updated_at"]);
  EXPECT_NE(v2["updated_at"], created["updated_at"]);

  // A change that leaves the level alone adds an event but no history entry.
  Response r3 = admin().Patch(path, Json{{"description", "Đã cập nhật"}}, "\"2\"");
  ASSERT_EQ(r3.status, 200) << r3.body;
  EXPECT_EQ(Body(r3)["version"], 3);
  EXPECT_EQ(Body(r3)["level_history"].size(), 2u);
  EXPECT_EQ(Body(admin().Get(path + "/changes"))["items"].size(), 4u);
  // A new approval record is history too (ND85).
  Response r4 = admin().Patch(path,
                              Json{{"approval",
                                    {{"decision_no", "99/QĐ-UBND"},
                                     {"date", "2026-05-20"},
                                     {"approver", "Chủ tịch UBND tỉnh"}}}},
                              "\"3\"");
  ASSERT_EQ(r4.status, 200) << r4.body;
  EXPECT_EQ(Body(r4)["level_history"].size(), 3u);
}

TEST_P(ApiCrud, ConcurrentEditsLoseWith412) {
  Json created = Create("systems", CreationBodies(syt_, "").at("systems"));
  const std::string path = "/api/v1/systems/" + created["id"].get<std::string>();
  Client coordinator = h_.SignIn(Role::kCoordinator);
  // Both read version 1; the first write wins, the second is told it is stale.
  EXPECT_EQ(admin().Patch(path, Json{{"level", 4}}, "\"1\"").status, 200);
  const std::string before = h_.Dump();
  EXPECT_TRUE(IsProblem(coordinator.Patch(path, Json{{"level", 2}}, "\"1\""), 412));
  EXPECT_EQ(h_.Dump(), before);
  EXPECT_EQ(Body(admin().Get(path))["level"], 4);
}

TEST_P(ApiCrud, DeleteOfAReferencedRowIs409) {
  const std::string before = h_.Dump();
  // Sở Y tế has sub-units, systems, contacts and users.
  Response r = admin().Delete("/api/v1/organisations/" + syt_, "\"1\"");
  EXPECT_TRUE(IsProblem(r, 409));
  EXPECT_EQ(h_.Dump(), before);
  EXPECT_NE(Body(r)["detail"].get<std::string>().find("referenced"), std::string::npos) << r.body;
  // A system with assets.
  auto sys = h_.InsertSystem("Hệ thống có tài sản", syt_);
  h_.InsertAsset("Máy chủ gắn với hệ thống", sys);
  const std::string before2 = h_.Dump();
  EXPECT_TRUE(IsProblem(admin().Delete("/api/v1/systems/" + sys.id, "\"1\""), 409));
  EXPECT_EQ(h_.Dump(), before2);
  EXPECT_EQ(admin().Get("/api/v1/organisations/" + syt_).status, 200);
}

TEST_P(ApiCrud, DeleteRemovesTheRowAndIsAudited) {
  auto sys = h_.InsertSystem("Hệ thống nền", syt_);
  for (const auto& [resource, body] : CreationBodies(syt_, sys.id)) {
    SCOPED_TRACE(resource);
    Json created = Create(resource, body);
    const std::string path = "/api/v1/" + resource + "/" + created["id"].get<std::string>();
    const size_t audit_before = h_.AuditRecords().size();
    Response r = admin().Delete(path, "\"1\"");
    EXPECT_EQ(r.status, 204) << r.body;
    EXPECT_TRUE(r.body.empty());
    EXPECT_TRUE(IsProblem(admin().Get(path), 404));
    EXPECT_TRUE(IsProblem(admin().Delete(path, "\"1\""), 404));
    auto audit = AuditSince(audit_before);
    ASSERT_EQ(audit.size(), 1u);
    EXPECT_EQ(audit[0].action, "delete");
    EXPECT_EQ(Json::parse(audit[0].before), created);
    EXPECT_TRUE(audit[0].after.empty());
  }
}

// 120 systems, pages of 50: three pages, no duplicates, in Vietnamese dictionary order.
TEST_P(ApiCrud, ListPagesInVietnameseOrderWithoutDuplicates) {
  Json org = Create("organisations", Json{{"name", "Ban thử phân trang"}, {"type", "agency"}});
  const std::string org_id = org["id"];
  const std::vector<std::string> stems = {
      "Ánh sáng", "Anh", "Ăn", "Âm",  "Bắc", "Đông", "Dương",    "Điện",     "Ổn",       "Ơn",
      "Ô tô",     "Ư",   "Uy", "Yên", "Xã",  "Ấp",   "Hệ thống", "hệ thống", "Hệ Thống", "Zalo",
  };
  std::vector<std::string> names;
  for (int i = 0; i < 120; ++i) {
    names.push_back(stems[i % stems.size()] + " " + std::to_string(i / stems.size() * 7 + 1));
  }
  // Created in a scrambled order, so that creation order is not the list order.
  std::vector<std::string> shuffled = names;
  std::mt19937 rng(18);
  std::shuffle(shuffled.begin(), shuffled.end(), rng);
  std::map<std::string, std::string> id_of;
  for (const auto& name : shuffled) {
    Json s = Create("systems", Json{{"name", name}, {"owner_org_id", org_id}, {"level", 1}});
    id_of[name] = s["id"];
  }
  std::vector<std::pair<std::string, std::string>> expected;
  for (const auto& name : names) expected.emplace_back(text::CollationKey(name), id_of[name]);
  std::sort(expected.begin(), expected.end());

  std::vector<std::string> got;
  std::vector<size_t> page_sizes;
  Query q{{"owner_org_id", org_id}, {"limit", "50"}};
  for (int page = 0; page < 10; ++page) {
    Response r = admin().Get("/api/v1/systems", q);
    ASSERT_EQ(r.status, 200) << r.body;
    Json j = Body(r);
    page_sizes.push_back(j["items"].size());
    for (const auto& item : j["items"]) got.push_back(item["id"]);
    if (j["next_cursor"].is_null()) break;
    q = {
        {"owner_org_id", org_id}, {"limit", "50"}, {"cursor", j["next_cursor"].get<std::string>()}};
  }
  EXPECT_EQ(page_sizes, (std::vector<size_t>{50, 50, 20}));
  EXPECT_EQ(std::set<std::string>(got.begin(), got.end()).size(), 120u) << "duplicates";
  std::vector<std::string> want;
  for (const auto& [key, id] : expected) want.push_back(id);
  EXPECT_EQ(got, want);
  // Spot checks of the Vietnamese order: Đ after D, Ă and Â after A, numbers by value.
  auto pos = [&](const std::string& name) {
    return std::find(got.begin(), got.end(), id_of.at(name)) - got.begin();
  };
  EXPECT_LT(pos("Dương 1"), pos("Điện 1"));
  EXPECT_LT(pos("Anh 1"), pos("Ăn 1"));
  EXPECT_LT(pos("Ăn 1"), pos("Âm 1"));
  EXPECT_LT(pos("Ô tô 1"), pos("Ơn 1"));
  EXPECT_LT(pos("Uy 1"), pos("Ư 1"));
  EXPECT_LT(pos("Anh 8"), pos("Anh 36"));
}

TEST_P(ApiCrud, SearchIgnoresDiacriticsAndCase) {
  for (const char* q : {"so y te", "SỞ Y TẾ", "  so   y te ", "Sở Y tế", "sơ y tê"}) {
    SCOPED_TRACE(q);
    Response r = admin().Get("/api/v1/organisations", {{"q", q}, {"limit", "500"}});
    ASSERT_EQ(r.status, 200) << r.body;
    Json items = Body(r)["items"];
    std::set<std::string> names;
    for (const auto& o : items) {
      names.insert(o["name"].get<std::string>());
      EXPECT_NE(text::FoldForSearch(o["name"].get<std::string>()).find("so y te"),
                std::string::npos);
    }
    EXPECT_TRUE(names.contains("Sở Y tế"));
  }
  // Systems too, and a folded query matches every spelling.
  Response r = admin().Get("/api/v1/systems", {{"q", "so y te"}, {"limit", "500"}});
  Json items = Body(r)["items"];
  EXPECT_FALSE(items.empty());
  for (const auto& s : items) {
    EXPECT_NE(text::FoldForSearch(s["name"].get<std::string>()).find("so y te"), std::string::npos)
        << s["name"];
  }
  EXPECT_TRUE(
      Body(admin().Get("/api/v1/organisations", {{"q", "khong co don vi nay"}}))["items"].empty());
}

TEST_P(ApiCrud, EveryStateChangeIsAuditedAndTheChainVerifies) {
  const size_t start = h_.AuditRecords().size();
  Json org = Create("organisations", Json{{"name", "Đơn vị kiểm toán"}, {"type", "agency"}});
  const std::string path = "/api/v1/organisations/" + org["id"].get<std::string>();
  ASSERT_EQ(admin().Patch(path, Json{{"phone", "02003000000"}}, "\"1\"").status, 200);
  ASSERT_EQ(admin().Delete(path, "\"2\"").status, 204);
  Response token =
      admin().Post("/api/v1/tokens", Json{{"name", "kiểm toán"}, {"scopes", {"read"}}});
  ASSERT_EQ(token.status, 201);
  ASSERT_EQ(
      admin().Delete("/api/v1/tokens/" + Body(token)["id"].get<std::string>(), std::nullopt).status,
      204);
  Response user = admin().Post(
      "/api/v1/users", Json{{"username", "canbo.moi"}, {"role", "org_staff"}, {"org_id", syt_}});
  ASSERT_EQ(user.status, 201) << user.body;
  EXPECT_FALSE(Body(user)["one_time_password"].get<std::string>().empty());
  EXPECT_FALSE(Body(user).contains("password_hash"));
  Client staff = h_.SignIn(Role::kOrgStaff);  // login + password change
  Client anonymous = h_.Anonymous();
  anonymous.Post("/api/v1/auth/login", Json{{"username", "canbo.moi"}, {"password", "sai"}});
  ASSERT_EQ(staff.Post("/api/v1/auth/logout", Json::object()).status, 204);

  std::vector<std::string> actions;
  for (const auto& r : AuditSince(start)) actions.push_back(r.action);
  EXPECT_EQ(actions, (std::vector<std::string>{"create", "update", "delete", "token_create",
                                               "token_revoke", "create", "login", "password_change",
                                               "login_failed", "logout"}));
  // Secrets never reach the audit log.
  for (const auto& r : h_.AuditRecords()) {
    EXPECT_EQ(r.after.find("argon2"), std::string::npos) << r.after;
    EXPECT_EQ(r.after.find(Body(user)["one_time_password"].get<std::string>()), std::string::npos);
    EXPECT_EQ(r.after.find(Body(token)["token"].get<std::string>()), std::string::npos);
  }
  Response verify = admin().Get("/api/v1/audit/verify");
  ASSERT_EQ(verify.status, 200) << verify.body;
  EXPECT_EQ(Body(verify)["ok"], true) << verify.body;
  EXPECT_EQ(Body(verify)["records"], static_cast<int64_t>(h_.AuditRecords().size()));
  // The auditor pages through the log.
  Client auditor = h_.SignIn(Role::kAuditor);
  std::vector<int64_t> seqs;
  Query q{{"limit", "100"}};
  for (int page = 0; page < 100; ++page) {
    Json j = Body(auditor.Get("/api/v1/audit", q));
    for (const auto& item : j["items"]) seqs.push_back(item["seq"]);
    if (j["next_cursor"].is_null()) break;
    q = {{"limit", "100"}, {"after", j["next_cursor"].get<std::string>()}};
  }
  EXPECT_EQ(seqs.size(), h_.AuditRecords().size());
  EXPECT_TRUE(std::is_sorted(seqs.begin(), seqs.end()));
  EXPECT_EQ(std::set<int64_t>(seqs.begin(), seqs.end()).size(), seqs.size());
}

TEST_P(ApiCrud, ReadsAreNotAudited) {
  const size_t start = h_.AuditRecords().size();
  admin().Get("/api/v1/systems");
  admin().Get("/api/v1/organisations/" + syt_);
  admin().Get("/api/v1/audit");
  EXPECT_EQ(h_.AuditRecords().size(), start);
}

// One transaction per request: when the audit append fails at the end of a request, the row
// written before it is rolled back too.
TEST_P(ApiCrud, FailureMidRequestLeavesNoPartialWrite) {
  auto sys = h_.InsertSystem("Hệ thống đang chạy", syt_);
  FaultInjectionStore faulty(h_.store());
  h_.UseStore(faulty);
  Client admin = h_.SignIn(Role::kAdmin);  // the new Api has a fresh session cache
  const std::string before = h_.Dump();
  faulty.fail_audit = true;

  Response created = admin.Post(
      "/api/v1/systems", Json{{"name", "Hệ thống dở dang"}, {"owner_org_id", syt_}, {"level", 2}});
  EXPECT_TRUE(IsProblem(created, 500));
  EXPECT_EQ(Body(created)["detail"], "internal error") << "no internals leak: " << created.body;
  Response patched = admin.Patch("/api/v1/systems/" + sys.id, Json{{"level", 5}}, "\"1\"");
  EXPECT_TRUE(IsProblem(patched, 500));
  EXPECT_TRUE(IsProblem(admin.Delete("/api/v1/systems/" + sys.id, "\"1\""), 500));
  EXPECT_TRUE(
      IsProblem(admin.Post("/api/v1/tokens", Json{{"name", "x"}, {"scopes", {"read"}}}), 500));
  EXPECT_EQ(h_.Dump(), before) << "a failed request left a partial write";
  Json search = Body(admin.Get("/api/v1/systems", {{"q", "dở dang"}}));
  EXPECT_TRUE(search["items"].empty());
  Json kept = Body(admin.Get("/api/v1/systems/" + sys.id));
  EXPECT_EQ(kept["version"], 1);
  EXPECT_EQ(kept["level"], 2);
  EXPECT_TRUE(Body(admin.Get("/api/v1/systems/" + sys.id + "/changes"))["items"].empty());

  faulty.fail_audit = false;
  EXPECT_EQ(admin
                .Post("/api/v1/systems",
                      Json{{"name", "Hệ thống dở dang"}, {"owner_org_id", syt_}, {"level", 2}})
                .status,
            201);
  EXPECT_EQ(Body(admin.Get("/api/v1/audit/verify"))["ok"], true);
}

// An asset is scoped by its system's owner: moving the system moves its assets with it.
TEST_P(ApiCrud, MovingASystemMovesItsAssetsScope) {
  const std::string stc = h_.OrgId("Sở Tài chính");
  auto sys = h_.InsertSystem("Hệ thống chuyển giao", syt_);
  auto asset = h_.InsertAsset("Máy chủ chuyển giao", sys);
  ASSERT_EQ(admin()
                .Patch("/api/v1/systems/" + sys.id,
                       Json{{"owner_org_id", stc}, {"operator_org_id", stc}}, "\"1\"")
                .status,
            200);
  Client manager = h_.SignIn(Role::kOrgManager);  // Sở Y tế
  EXPECT_TRUE(IsProblem(manager.Get("/api/v1/systems/" + sys.id), 404));
  EXPECT_TRUE(IsProblem(manager.Get("/api/v1/assets/" + asset.id), 404));
  EXPECT_EQ(Body(admin().Get("/api/v1/assets/" + asset.id))["org_id"], stc);
}

// Review finding: an operator organisation sees the systems it runs but must not re-own,
// re-assign or delete them, nor add assets to them.
TEST_P(ApiCrud, OperatorSideCannotTakeOverASystem) {
  const std::string stc = h_.OrgId("Sở Tài chính");
  auto sys = h_.InsertSystem("Hệ thống do Sở Y tế vận hành", stc);
  ASSERT_EQ(
      admin().Patch("/api/v1/systems/" + sys.id, Json{{"operator_org_id", syt_}}, "\"1\"").status,
      200);
  Client manager = h_.SignIn(Role::kOrgManager);  // Sở Y tế, the operator
  EXPECT_EQ(manager.Get("/api/v1/systems/" + sys.id).status, 200);
  const std::string before = h_.Dump();
  EXPECT_TRUE(IsProblem(
      manager.Patch("/api/v1/systems/" + sys.id, Json{{"owner_org_id", syt_}}, "\"2\""), 403));
  EXPECT_TRUE(IsProblem(manager.Delete("/api/v1/systems/" + sys.id, "\"2\""), 403));
  EXPECT_TRUE(IsProblem(
      manager.Post("/api/v1/assets", Json{{"name", "Máy lạ"}, {"system_id", sys.id}}), 403));
  EXPECT_EQ(h_.Dump(), before);
}

TEST_P(ApiCrud, RepeatedQueryParameterIs400) {
  EXPECT_TRUE(
      IsProblem(admin().Get("/api/v1/systems", {{"level", "1"}, {"level", "1"}}), 400, "/level"));
}

INSTANTIATE_TEST_SUITE_P(Backends, ApiCrud, ::testing::ValuesIn(Backends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace ucsc::server::testing
