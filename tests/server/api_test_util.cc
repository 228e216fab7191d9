#include "server/api_test_util.h"

#include <libpq-fe.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>

#include "auth/password.h"
#include "auth/random.h"

namespace ucsc::server::testing {

core::Instant T0() { return core::FromUnixMillis(1'780'282'800'000); }  // 2026-06-01T03:00Z

// A clock that reads whichever test clock is current (the shared PostgreSQL store outlives
// every test's FakeClock).
class ForwardingClock final : public core::Clock {
 public:
  core::Instant Now() const override { return target_ != nullptr ? target_->Now() : T0(); }
  void Set(const core::Clock* target) { target_ = target; }

 private:
  const core::Clock* target_ = nullptr;
};

namespace {

bool PgCommand(PGconn* conn, const std::string& sql, std::string& error) {
  PGresult* res = PQexec(conn, sql.c_str());
  bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
  if (!ok) error = PQerrorMessage(conn);
  PQclear(res);
  return ok;
}

bool PgExec(const std::string& url, const std::string& sql, std::string& error) {
  PGconn* conn = PQconnectdb(url.c_str());
  bool ok = PQstatus(conn) == CONNECTION_OK;
  if (!ok) error = PQerrorMessage(conn);
  if (ok) ok = PgCommand(conn, sql, error);
  PQfinish(conn);
  return ok;
}

// `url` with `schema` as the search path (as tests/store/test_store.cc does).
std::string WithSchema(const std::string& url, const std::string& schema) {
  return url + (url.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" +
         schema;
}

std::string UniqueName(const std::string& prefix) {
  static uint64_t n = 0;
  std::random_device rd;
  return prefix + std::to_string(getpid()) + "_" + std::to_string(++n) + "_" +
         std::to_string(rd() % 1000000);
}

// The demo province imported once per process and back end, which every test copies: an
// import takes ~0.1 s on SQLite and ~0.5 s on PostgreSQL, a copy a few milliseconds.
// SQLite: a template file copied per test. PostgreSQL (where a connection alone costs ~0.1 s):
// a template schema, and one work schema with one open Store that the tests share one at a
// time; before each test the work schema's tables are emptied and refilled from the template
// (in creation order, which is also foreign-key order) over one kept connection.
struct DemoTemplate {
  std::string dir;      // sqlite: directory of the template file
  std::string file;     // sqlite: the template file
  std::string pg_url;   // postgresql: the database (UCSC_TEST_PG)
  std::string pg_tpl;   // postgresql: the template schema
  std::string pg_work;  // postgresql: the schema the tests use
  PGconn* pg_admin = nullptr;
  ForwardingClock pg_clock;
  std::unique_ptr<store::Store> pg_store;  // on pg_work
  std::vector<cli::DemoCredential> creds;
  uint64_t ids_used = 0;

  ~DemoTemplate() {
    pg_store.reset();
    if (pg_admin != nullptr) PQfinish(pg_admin);
    std::error_code ec;
    if (!dir.empty()) std::filesystem::remove_all(dir, ec);
    std::string error;
    for (const auto& schema : {pg_tpl, pg_work}) {
      if (!schema.empty()) {
        PgExec(pg_url,
               "SET client_min_messages = warning; DROP SCHEMA IF EXISTS " + schema + " CASCADE",
               error);
      }
    }
  }

  // Empties the work schema (but its migration record) and, `with_demo`, refills it.
  bool ResetWork(bool with_demo, std::string& error) {
    std::string sql =
        "DO $$\n"
        "DECLARE t record;\n"
        "BEGIN\n"
        "  FOR t IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = "
        "c.relnamespace\n"
        "      WHERE n.nspname = '" +
        pg_work +
        "' AND c.relkind = 'r'\n"
        "        AND c.relname <> 'schema_migrations' ORDER BY c.oid DESC LOOP\n"
        "    EXECUTE format('DELETE FROM %I.%I', '" +
        pg_work +
        "', t.relname);\n"
        "  END LOOP;\n";
    if (with_demo) {
      sql +=
          "  FOR t IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = "
          "c.relnamespace\n"
          "      WHERE n.nspname = '" +
          pg_tpl +
          "' AND c.relkind = 'r'\n"
          "        AND c.relname <> 'schema_migrations' ORDER BY c.oid LOOP\n"
          "    EXECUTE format('INSERT INTO %I.%I SELECT * FROM %I.%I', '" +
          pg_work + "', t.relname, '" + pg_tpl +
          "', t.relname);\n"
          "  END LOOP;\n";
    }
    sql += "END $$;";
    return PgCommand(pg_admin, sql, error);
  }
};

}  // namespace

Json Body(const Response& r) {
  Json j = Json::parse(r.body, nullptr, /*allow_exceptions=*/false);
  return j.is_discarded() ? Json() : j;
}

ApiConfig TestConfig() {
  ApiConfig c;
  c.hash_strength = auth::HashStrength::kTest;
  return c;
}

::testing::AssertionResult IsProblem(const Response& r, int status,
                                     std::optional<std::string> pointer_prefix) {
  auto fail = [&](const std::string& why) {
    return ::testing::AssertionFailure()
           << why << " (got " << r.status << " " << r.content_type << ": " << r.body << ")";
  };
  if (r.status != status) return fail("want HTTP " + std::to_string(status));
  if (r.content_type != "application/problem+json") return fail("want application/problem+json");
  Json j = Body(r);
  if (!j.is_object()) return fail("the body is not a JSON object");
  if (!j.contains("status") || j["status"] != status) {
    return fail("the problem's \"status\" member differs from the HTTP status");
  }
  if (!j.contains("title") || !j["title"].is_string() || j["title"].get<std::string>().empty()) {
    return fail("the problem has no title");
  }
  if (!j.contains("type") || !j["type"].is_string()) return fail("the problem has no type");
  if (pointer_prefix) {
    if (!j.contains("errors") || !j["errors"].is_array() || j["errors"].empty()) {
      return fail("want errors[0].pointer starting with " + *pointer_prefix);
    }
    const Json& e = j["errors"][0];
    if (!e.contains("pointer") || !e["pointer"].is_string() || !e.contains("detail")) {
      return fail("errors[0] lacks pointer or detail");
    }
    if (e["pointer"].get<std::string>().rfind(*pointer_prefix, 0) != 0) {
      return fail("want errors[0].pointer starting with " + *pointer_prefix);
    }
  }
  return ::testing::AssertionSuccess();
}

// ---- Client ---------------------------------------------------------------------------------

Response Client::Send(Request r) const {
  if (!cookie.empty()) r.headers["cookie"] = "ucsc_session=" + cookie;
  if (send_csrf && !csrf.empty()) r.headers["x-csrf-token"] = csrf;
  if (!bearer.empty()) r.headers["authorization"] = "Bearer " + bearer;
  r.tls = tls;
  r.remote_ip = remote_ip;
  return api_->Handle(r);
}

Response Client::Get(const std::string& path, const Query& query) const {
  Request r;
  r.method = "GET";
  r.path = path;
  r.query = query;
  return Send(std::move(r));
}

Response Client::Post(const std::string& path, const Json& body) const {
  return PostRaw(path, body.dump());
}

Response Client::PostRaw(const std::string& path, std::string body,
                         std::string content_type) const {
  Request r;
  r.method = "POST";
  r.path = path;
  r.body = std::move(body);
  r.headers["content-type"] = std::move(content_type);
  return Send(std::move(r));
}

Response Client::Patch(const std::string& path, const Json& body, const std::string& etag) const {
  return PatchRaw(path, body.dump(), etag);
}

Response Client::PatchRaw(const std::string& path, std::string body,
                          std::optional<std::string> etag) const {
  Request r;
  r.method = "PATCH";
  r.path = path;
  r.body = std::move(body);
  r.headers["content-type"] = "application/json";
  if (etag) r.headers["if-match"] = *etag;
  return Send(std::move(r));
}

Response Client::Delete(const std::string& path, std::optional<std::string> etag) const {
  Request r;
  r.method = "DELETE";
  r.path = path;
  if (etag) r.headers["if-match"] = *etag;
  return Send(std::move(r));
}

// ---- Harness --------------------------------------------------------------------------------

core::RandomFill CounterFill(std::shared_ptr<std::atomic<uint64_t>> counter) {
  return [counter = std::move(counter)](std::span<uint8_t> out) {
    // Deterministic "random" bytes: a big-endian counter, so ids sort in creation order.
    uint64_t n = ++*counter;
    std::fill(out.begin(), out.end(), uint8_t{0});
    for (size_t i = 0; i < out.size() && i < 8; ++i) {
      out[out.size() - 1 - i] = static_cast<uint8_t>(n >> (8 * i));
    }
  };
}

ApiHarness::ApiHarness()
    : clock_(T0()),
      counter_(std::make_shared<std::atomic<uint64_t>>(0)),
      ids_(clock_, CounterFill(counter_)) {
  std::string tmpl = (std::filesystem::temp_directory_path() / "ucsc-evidence-XXXXXX").string();
  if (::mkdtemp(tmpl.data()) != nullptr) evidence_dir_ = tmpl;
}

ApiHarness::~ApiHarness() {
  api_.reset();
  owned_store_.reset();
  ts_.reset();
  if (shared_clock_ != nullptr) shared_clock_->Set(nullptr);
  std::error_code ec;
  if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
  if (!evidence_dir_.empty()) {
    std::filesystem::remove_all(evidence_dir_, ec);
    std::filesystem::remove_all(evidence_dir_ + "-hunt", ec);
    std::filesystem::remove_all(evidence_dir_ + "-rules", ec);
  }
}

namespace {

std::map<std::string, std::unique_ptr<DemoTemplate>>& Templates() {
  static auto* templates = new std::map<std::string, std::unique_ptr<DemoTemplate>>();
  return *templates;
}

// Removes the templates when the process ends.
struct TemplateCleanup : ::testing::Environment {
  void TearDown() override { Templates().clear(); }
};
[[maybe_unused]] ::testing::Environment* const kCleanup =
    ::testing::AddGlobalTestEnvironment(new TemplateCleanup);

// Builds (once) the template of `backend`. Returns nullptr with `skip` set when PostgreSQL is
// not configured and may be skipped.
// The tables of every module of the product (cli/modules.h), attached to every store the
// harness opens, as the binary does.
std::vector<store::SchemaPart> ModuleTables() {
  core::FakeClock clock(T0());
  core::IdGenerator ids(clock, CounterFill(std::make_shared<std::atomic<uint64_t>>(0)));
  const Json settings = Json::object();
  auto modules = cli::MakeModules(capability::Env{clock, ids, settings, 32, {}});
  return capability::RegisterAll(modules).tables();
}

DemoTemplate* DemoTemplateFor(const std::string& backend, std::string& skip) {
  auto& slot = Templates()[backend];
  if (slot) return slot.get();
  auto t = std::make_unique<DemoTemplate>();
  std::string url;
  if (backend == "sqlite") {
    t->dir = (std::filesystem::temp_directory_path() / UniqueName("ucsc_server_tpl_")).string();
    std::filesystem::create_directories(t->dir);
    t->file = t->dir + "/demo.db";
    url = "sqlite:" + t->file;
  } else {
    const char* pg = std::getenv("UCSC_TEST_PG");
    if (pg == nullptr || *pg == '\0') {
      const char* s = std::getenv("UCSC_SKIP_PG");
      if (s != nullptr && std::string(s) == "1") {
        skip = "UCSC_SKIP_PG=1: PostgreSQL tests skipped by hand";
      } else {
        ADD_FAILURE() << "UCSC_TEST_PG is not set: run the tests through `make test` "
                         "(scripts/pg-test starts a throw-away PostgreSQL), or set UCSC_SKIP_PG=1";
      }
      return nullptr;
    }
    t->pg_url = pg;
    t->pg_admin = PQconnectdb(pg);
    std::string error;
    if (PQstatus(t->pg_admin) != CONNECTION_OK) {
      ADD_FAILURE() << "cannot connect to " << pg << ": " << PQerrorMessage(t->pg_admin);
      return nullptr;
    }
    PgCommand(t->pg_admin, "SET client_min_messages = warning", error);
    for (auto* schema : {&t->pg_tpl, &t->pg_work}) {
      const std::string name = UniqueName(schema == &t->pg_tpl ? "ucsc_tpl_" : "ucsc_work_");
      if (!PgCommand(t->pg_admin, "CREATE SCHEMA " + name, error)) {
        ADD_FAILURE() << "cannot create schema " << name << ": " << error;
        return nullptr;
      }
      *schema = name;
    }
    url = WithSchema(t->pg_url, t->pg_tpl);
  }
  core::FakeClock clock(T0());
  auto counter = std::make_shared<std::atomic<uint64_t>>(0);
  core::IdGenerator ids(clock, CounterFill(counter));
  {
    auto opened = store::Open(url, clock, ModuleTables());
    if (!opened) {
      ADD_FAILURE() << "cannot open " << url << ": " << opened.error().ToString();
      return nullptr;
    }
    auto migrated = (*opened)->Migrate();
    if (!migrated) {
      ADD_FAILURE() << "migration failed: " << migrated.error().ToString();
      return nullptr;
    }
    auto creds = cli::InitDemo(**opened, UCSC_SOURCE_DIR "/data/demo", clock, ids,
                               auth::HashStrength::kTest);
    if (!creds) {
      ADD_FAILURE() << "InitDemo: " << creds.error().ToString();
      return nullptr;
    }
    t->creds = std::move(*creds);
  }
  if (!t->pg_work.empty()) {
    auto work = store::Open(WithSchema(t->pg_url, t->pg_work), t->pg_clock, ModuleTables());
    auto migrated = work ? (*work)->Migrate() : core::Status(tl::unexpected(work.error()));
    if (!migrated) {
      ADD_FAILURE() << "cannot prepare the work schema: " << migrated.error().ToString();
      return nullptr;
    }
    t->pg_store = std::move(*work);
  }
  t->ids_used = counter->load();
  slot = std::move(t);
  return slot.get();
}

}  // namespace

bool ApiHarness::Open(const std::string& backend, std::string& skip, bool with_demo) {
  if (!with_demo && backend == "sqlite") {
    ts_ = store::testing::MakeTestStore(backend, clock_, skip);
    if (ts_ == nullptr) return false;
    store_ = ts_->store.get();
    MakeApi(*store_);
    return true;
  }
  DemoTemplate* t = DemoTemplateFor(backend, skip);
  if (t == nullptr) return false;
  if (backend == "sqlite") {
    dir_ = (std::filesystem::temp_directory_path() / UniqueName("ucsc_server_test_")).string();
    std::filesystem::create_directories(dir_);
    std::filesystem::copy_file(t->file, dir_ + "/test.db");
    const std::string url = "sqlite:" + dir_ + "/test.db";
    auto opened = store::Open(url, clock_, ModuleTables());
    if (!opened) {
      ADD_FAILURE() << "cannot open " << url << ": " << opened.error().ToString();
      return false;
    }
    owned_store_ = std::move(*opened);
    store_ = owned_store_.get();
  } else {
    std::string error;
    if (!t->ResetWork(with_demo, error)) {
      ADD_FAILURE() << "cannot reset the work schema: " << error;
      return false;
    }
    t->pg_clock.Set(&clock_);
    shared_clock_ = &t->pg_clock;
    store_ = t->pg_store.get();
  }
  if (with_demo) {
    creds_ = t->creds;
    for (const auto& c : creds_) passwords_[c.username] = c.password;
    counter_->store(t->ids_used);
  }
  MakeApi(*store_);
  return true;
}

void ApiHarness::MakeApi(store::Store& s) {
  api_.reset();
  modules_.clear();
  settings_ = Json{{"rulepacks_dir", UCSC_SOURCE_DIR "/data/rulepacks"},
                   {"plans_dir", UCSC_SOURCE_DIR "/data/plans"},
                   {"evidence_dir", evidence_dir_},
                   {"hunt_dir", hunt_dir()},
                   {"sigma_rules_dir", sigma_rules_dir()}};
  modules_ = cli::MakeModules(capability::Env{clock_, ids_, settings_, 32, {}});
  registry_ = capability::RegisterAll(modules_);
  auto made = Api::Make(s, clock_, ids_, TestConfig(), registry_);
  ASSERT_TRUE(made) << made.error().ToString();
  api_ = std::move(*made);
}

void ApiHarness::UseStore(store::Store& s) { MakeApi(s); }

const cli::DemoCredential& ApiHarness::Credential(core::Role role) const {
  for (const auto& c : creds_) {
    if (c.role == core::RoleName(role)) return c;
  }
  static const cli::DemoCredential kNone;
  ADD_FAILURE() << "no demo user of role " << core::RoleName(role);
  return kNone;
}

Client ApiHarness::SignInAs(const std::string& username, const std::string& password) {
  Client c(*api_);
  Response r = c.Post("/api/v1/auth/login", Json{{"username", username}, {"password", password}});
  EXPECT_EQ(r.status, 200) << "login as " << username << ": " << r.body;
  std::string set_cookie = r.Header("Set-Cookie");
  const std::string prefix = "ucsc_session=";
  if (set_cookie.rfind(prefix, 0) == 0) {
    c.cookie = set_cookie.substr(prefix.size(), set_cookie.find(';') - prefix.size());
  }
  Json j = Body(r);
  if (j.is_object() && j.contains("csrf_token")) c.csrf = j["csrf_token"].get<std::string>();
  if (j.is_object() && j.contains("user")) c.user_id = j["user"]["id"].get<std::string>();
  c.username = username;
  c.password = password;
  return c;
}

Client ApiHarness::SignIn(core::Role role, bool ready) {
  const auto& cred = Credential(role);
  Client c = SignInAs(cred.username, passwords_[cred.username]);
  if (ready && passwords_[cred.username] != kNewPassword) {
    Response r = c.Post("/api/v1/me/password",
                        Json{{"current_password", c.password}, {"new_password", kNewPassword}});
    EXPECT_EQ(r.status, 204) << r.body;
    passwords_[cred.username] = c.password = kNewPassword;
  }
  return c;
}

int ApiHarness::RunQueuedJobs(const std::string& kind,
                              const std::function<core::Status(const core::Job&)>& run) {
  int ran = 0;
  for (;;) {
    std::optional<core::Job> job;
    EXPECT_TRUE(store().Write([&](store::Tx& tx) -> core::Status {
      UCSC_ASSIGN_OR_RETURN(job, tx.Jobs().Claim("test", clock_.Now(), std::chrono::minutes(5)));
      if (job) UCSC_RETURN_IF_ERROR(tx.Jobs().Complete(job->id, "test", clock_.Now()));
      return core::Ok();
    }));
    if (!job) return ran;
    if (job->kind != kind) continue;
    auto st = run(*job);
    EXPECT_TRUE(st) << st.error().ToString();
    ++ran;
  }
}

std::string ApiHarness::OrgId(const std::string& name) {
  std::string id;
  EXPECT_TRUE(store().Read([&](store::Tx& tx) -> core::Status {
    store::ListQuery q;
    q.search = name;
    q.limit = 1000;
    UCSC_ASSIGN_OR_RETURN(auto page, tx.Orgs().List(q));
    for (const auto& o : page.items) {
      if (o.name == name) id = o.id;
    }
    return core::Ok();
  }));
  EXPECT_FALSE(id.empty()) << "no organisation named " << name;
  return id;
}

std::string ApiHarness::SystemId(const std::string& name) {
  std::string id;
  EXPECT_TRUE(store().Read([&](store::Tx& tx) -> core::Status {
    store::ListQuery q;
    q.search = name;
    q.limit = 1000;
    UCSC_ASSIGN_OR_RETURN(auto page, tx.Systems().List(q));
    for (const auto& s : page.items) {
      if (s.name == name) id = s.id;
    }
    return core::Ok();
  }));
  EXPECT_FALSE(id.empty()) << "no system named " << name;
  return id;
}

core::User ApiHarness::User(const std::string& username) {
  core::User u;
  EXPECT_TRUE(store().Read([&](store::Tx& tx) -> core::Status {
    UCSC_ASSIGN_OR_RETURN(u, tx.Users().GetByUsername(username));
    return core::Ok();
  }));
  return u;
}

std::vector<std::pair<std::string, std::string>> ApiHarness::OrgLinks() {
  std::vector<std::pair<std::string, std::string>> links;
  EXPECT_TRUE(store().Read([&](store::Tx& tx) -> core::Status {
    UCSC_ASSIGN_OR_RETURN(links, tx.OrgParentLinks());
    return core::Ok();
  }));
  return links;
}

std::vector<std::string> ApiHarness::Subtree(const std::string& root) {
  auto links = OrgLinks();
  std::vector<std::string> out{root};
  for (size_t i = 0; i < out.size(); ++i) {
    for (const auto& [id, parent] : links) {
      if (parent == out[i]) out.push_back(id);
    }
  }
  return out;
}

std::string ApiHarness::Dump() {
  std::string out;
  auto st = store().Dump([&](std::string_view line) -> core::Status {
    out.append(line);
    out.push_back('\n');
    return core::Ok();
  });
  EXPECT_TRUE(st) << st.error().ToString();
  return out;
}

std::vector<core::AuditRecord> ApiHarness::AuditRecords() {
  std::vector<core::AuditRecord> all;
  EXPECT_TRUE(store().Read([&](store::Tx& tx) -> core::Status {
    int64_t after = 0;
    while (true) {
      UCSC_ASSIGN_OR_RETURN(auto batch, tx.Audit().List(after, 500));
      if (batch.empty()) break;
      after = batch.back().seq;
      all.insert(all.end(), batch.begin(), batch.end());
    }
    return core::Ok();
  }));
  return all;
}

namespace {
template <class T>
void Stamp(T& v, const core::IdGenerator& ids, core::Instant now) {
  v.id = ids.Next();
  v.version = 1;
  v.created_at = v.updated_at = now;
}
}  // namespace

core::Organisation ApiHarness::InsertOrg(const std::string& name, const std::string& parent_id) {
  core::Organisation o;
  Stamp(o, ids_, clock_.Now());
  o.name = name;
  o.type = core::OrgType::kPublicServiceUnit;
  o.parent_id = parent_id;
  EXPECT_TRUE(store().Write([&](store::Tx& tx) { return tx.Orgs().Insert(o); }));
  return o;
}

core::InformationSystem ApiHarness::InsertSystem(const std::string& name,
                                                 const std::string& owner_org_id, int level) {
  core::InformationSystem s;
  Stamp(s, ids_, clock_.Now());
  s.name = name;
  s.owner_org_id = s.operator_org_id = owner_org_id;
  s.level = level;
  s.level_history.push_back({level, {}, clock_.Now(), "test"});
  EXPECT_TRUE(store().Write([&](store::Tx& tx) { return tx.Systems().Insert(s); }));
  return s;
}

core::Asset ApiHarness::InsertAsset(const std::string& name,
                                    const core::InformationSystem& system) {
  core::Asset a;
  Stamp(a, ids_, clock_.Now());
  a.name = name;
  a.system_id = system.id;
  a.org_id = system.owner_org_id;
  a.ips = {"10.20.30.40"};
  EXPECT_TRUE(store().Write([&](store::Tx& tx) { return tx.Assets().Insert(a); }));
  return a;
}

core::Contact ApiHarness::InsertContact(const std::string& name, const std::string& org_id) {
  core::Contact c;
  Stamp(c, ids_, clock_.Now());
  c.name = name;
  c.org_id = org_id;
  EXPECT_TRUE(store().Write([&](store::Tx& tx) { return tx.Contacts().Insert(c); }));
  return c;
}

core::IrTeamMember ApiHarness::InsertMember(const std::string& name, const std::string& org_id) {
  core::IrTeamMember m;
  Stamp(m, ids_, clock_.Now());
  m.name = name;
  m.org_id = org_id;
  EXPECT_TRUE(store().Write([&](store::Tx& tx) { return tx.Team().Insert(m); }));
  return m;
}

core::Task ApiHarness::InsertTask(const std::string& title, const std::string& org_id,
                                  const std::string& system_id) {
  core::Task t;
  Stamp(t, ids_, clock_.Now());
  t.title = title;
  t.org_id = org_id;
  t.system_id = system_id;
  t.kind = "remediation";
  EXPECT_TRUE(store().Write([&](store::Tx& tx) { return tx.Tasks().Insert(t); }));
  return t;
}

core::Evidence ApiHarness::InsertEvidence(const std::string& title,
                                          const core::InformationSystem& system,
                                          const std::string& file_bytes) {
  core::Evidence e;
  Stamp(e, ids_, clock_.Now());
  e.title = title;
  e.subject_kind = "system";
  e.subject_id = system.id;
  e.org_id = system.owner_org_id;
  e.type = "hunt_report";
  e.performed_on = core::FormatIsoDate(core::LocalDateOf(clock_.Now()));
  e.submitted_by = "test";
  if (!file_bytes.empty()) {
    e.file = {"bao-cao.pdf", auth::Sha256Hex(file_bytes), static_cast<int64_t>(file_bytes.size()),
              "application/pdf"};
    std::ofstream(std::filesystem::path(evidence_dir_) / e.file.sha256, std::ios::binary)
        << file_bytes;
  }
  EXPECT_TRUE(store().Write([&](store::Tx& tx) { return tx.Evidence().Insert(e); }));
  return e;
}

core::ApiToken ApiHarness::InsertToken(const std::string& user_id, const std::string& secret,
                                       std::vector<std::string> scopes) {
  core::ApiToken t;
  t.id = ids_.Next();
  t.user_id = user_id;
  t.name = "test token";
  t.token_hash = auth::Sha256Hex(secret);
  t.scopes = std::move(scopes);
  t.created_at = clock_.Now();
  t.expires_at = clock_.Now() + std::chrono::hours(24);
  EXPECT_TRUE(store().Write([&](store::Tx& tx) { return tx.Tokens().Insert(t); }));
  return t;
}

void ApiHarness::SetMustChangePassword(const std::string& username, bool value) {
  EXPECT_TRUE(store().Write([&](store::Tx& tx) -> core::Status {
    UCSC_ASSIGN_OR_RETURN(auto u, tx.Users().GetByUsername(username));
    u.must_change_password = value;
    u.version += 1;
    return tx.Users().Update(u);
  }));
}

}  // namespace ucsc::server::testing
