// Test harness of the server suite: a fresh store of one back end with the demo province
// imported, an Api driven in-process through Api::Handle (no sockets), a FakeClock and a
// deterministic IdGenerator, and a Client that signs in as a demo user and keeps the session
// cookie and CSRF token.
// Thread-safety: one harness per test, used by the test's thread.
//
// Example:
//   ApiHarness h;
//   ASSERT_TRUE(h.Open("sqlite", skip));
//   Client admin = h.SignIn(core::Role::kAdmin);   // password already changed: writes work
//   Response r = admin.Post("/api/v1/systems", Json{{"name", "…"}, …});
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "capability/module.h"
#include "cli/demo.h"
#include "cli/modules.h"
#include "codec/json_reader.h"
#include "core/clock.h"
#include "core/ids.h"
#include "core/model.h"
#include "server/api.h"
#include "store/store.h"
#include "store/test_store.h"

namespace ucsc::server::testing {

using codec::Json;
using Query = std::multimap<std::string, std::string>;

// The fixed start of every test's clock: 2026-06-01 03:00 UTC (10:00 in Vietnam).
core::Instant T0();

// The password every demo user has after SignIn changed it.
inline constexpr const char* kNewPassword = "Mat-khau-moi-2026!";

// Parses a response body; a null Json when it is not JSON.
Json Body(const Response& r);

// A signed-in (or anonymous) user of the API. Adds Cookie, X-CSRF-Token and Content-Type to
// every request. REQUIRES: the Api outlives the client.
class Client {
 public:
  explicit Client(Api& api) : api_(&api) {}

  Response Get(const std::string& path, const Query& query = {}) const;
  Response Post(const std::string& path, const Json& body) const;
  Response PostRaw(const std::string& path, std::string body,
                   std::string content_type = "application/json") const;
  Response Patch(const std::string& path, const Json& body, const std::string& etag) const;
  Response PatchRaw(const std::string& path, std::string body,
                    std::optional<std::string> etag) const;
  Response Delete(const std::string& path, std::optional<std::string> etag) const;
  // Adds the client's credentials to `r` and sends it.
  Response Send(Request r) const;

  std::string cookie;     // session cookie value ("" when anonymous or token-only)
  std::string csrf;       // CSRF token of the session
  std::string bearer;     // API token secret, sent as Authorization: Bearer
  bool send_csrf = true;  // false: leave X-CSRF-Token out
  bool tls = false;       // Request.tls
  std::string remote_ip = "192.0.2.10";
  std::string username;
  std::string password;
  std::string user_id;

 private:
  Api* api_;
};

class ForwardingClock;

// A fresh store with the demo province, and the Api on it.
class ApiHarness {
 public:
  ApiHarness();
  ~ApiHarness();

  // Opens a fresh store of `backend` ("sqlite" or "postgresql") holding the demo province (or
  // an empty one without `with_demo`) and creates the Api. The demo is imported once per process
  // into a template that each test copies. REQUIRES: at most one harness with the demo open at a
  // time per process (on PostgreSQL they share one schema). Returns false with `skip` set when the
  // back end may be skipped; false with `skip` empty (and a recorded failure) when it cannot be
  // opened.
  bool Open(const std::string& backend, std::string& skip, bool with_demo = true);
  // Re-creates the Api on another store (a fault-injecting wrapper); the throttle starts empty.
  void UseStore(store::Store& s);

  store::Store& store() { return *store_; }
  Api& api() { return *api_; }
  // The module of type M in the harness's module list (cli/modules.h).
  template <class M>
  M& Module() {
    for (auto& m : modules_) {
      if (auto* p = dynamic_cast<M*>(m.get())) return *p;
    }
    std::abort();
  }
  const capability::Registry& registry() const { return registry_; }
  core::FakeClock& clock() { return clock_; }
  const core::IdGenerator& ids() const { return ids_; }

  // The demo user of `role` and its one-time password.
  const cli::DemoCredential& Credential(core::Role role) const;
  // Signs in as the demo user of `role`. With `ready`, first changes the one-time password to
  // kNewPassword (POST /api/v1/me/password), so that writes are allowed.
  Client SignIn(core::Role role, bool ready = true);
  // Signs in with `username`/`password`; fails the test when the answer is not 200.
  Client SignInAs(const std::string& username, const std::string& password);
  // An anonymous client.
  Client Anonymous() { return Client(*api_); }

  // Ids of stored rows, found through the store (not the API).
  std::string OrgId(const std::string& name);
  std::string SystemId(const std::string& name);
  core::User User(const std::string& username);
  // (id, parent_id) of every organisation.
  std::vector<std::pair<std::string, std::string>> OrgLinks();
  // The ids of `root` and every organisation below it.
  std::vector<std::string> Subtree(const std::string& root);

  // The logical dump of the whole database (every table), to compare before/after.
  std::string Dump();
  // Every audit record.
  std::vector<core::AuditRecord> AuditRecords();

  // Inserts rows directly through the store (version 1, at the clock's time).
  core::Organisation InsertOrg(const std::string& name, const std::string& parent_id);
  core::InformationSystem InsertSystem(const std::string& name, const std::string& owner_org_id,
                                       int level = 2);
  core::Asset InsertAsset(const std::string& name, const core::InformationSystem& system);
  core::Contact InsertContact(const std::string& name, const std::string& org_id);
  core::IrTeamMember InsertMember(const std::string& name, const std::string& org_id);
  core::Task InsertTask(const std::string& title, const std::string& org_id,
                        const std::string& system_id = "");
  // A hunt report on `system`, dated today; with `file_bytes`, a PDF file kept in the harness's
  // evidence directory.
  core::Evidence InsertEvidence(const std::string& title, const core::InformationSystem& system,
                                const std::string& file_bytes = "");
  const std::string& evidence_dir() const { return evidence_dir_; }
  // Where the Api keeps uploaded logs, and the Sigma rules it hunts with (empty until a test
  // writes rules there; the rule set is loaded at the first hunt).
  std::string hunt_dir() const { return evidence_dir_ + "-hunt"; }
  std::string sigma_rules_dir() const { return evidence_dir_ + "-rules"; }
  core::ApiToken InsertToken(const std::string& user_id, const std::string& secret,
                             std::vector<std::string> scopes);
  void SetMustChangePassword(const std::string& username, bool value);
  // Claims every queued job (at the clock's time) and runs those of `kind` with `run`, which must
  // succeed; returns how many of that kind ran. Jobs of other kinds are completed unrun.
  int RunQueuedJobs(const std::string& kind,
                    const std::function<core::Status(const core::Job&)>& run);

 private:
  void MakeApi(store::Store& s);

  core::FakeClock clock_;
  std::shared_ptr<std::atomic<uint64_t>> counter_;
  core::IdGenerator ids_;
  std::unique_ptr<store::testing::TestStore> ts_;  // without the demo
  std::unique_ptr<store::Store> owned_store_;      // sqlite: this test's copy of the demo
  store::Store* store_ = nullptr;                  // the store in use
  ForwardingClock* shared_clock_ = nullptr;        // postgresql: the shared store's clock
  Json settings_;
  capability::ModuleList modules_;
  capability::Registry registry_;
  std::unique_ptr<Api> api_;
  std::vector<cli::DemoCredential> creds_;
  std::map<std::string, std::string> passwords_;  // username → current password
  std::string dir_;                               // sqlite: this test's copy
  std::string evidence_dir_;                      // evidence files of this harness
};

// Deterministic IdGenerator bytes: a counter, so ids sort in creation order.
core::RandomFill CounterFill(std::shared_ptr<std::atomic<uint64_t>> counter);

// The ApiConfig of the tests: fast password hashing.
ApiConfig TestConfig();

// Asserts an RFC 7807 answer: `status`, application/problem+json, a "status" member equal to
// the HTTP status, a title, and, when `pointer_prefix` is given, an errors[0].pointer that starts
// with it.
::testing::AssertionResult IsProblem(const Response& r, int status,
                                     std::optional<std::string> pointer_prefix = std::nullopt);

// The backend names the parametrized suites run on.
inline std::vector<std::string> Backends() { return {"sqlite", "postgresql"}; }

}  // namespace ucsc::server::testing
