// Server-run scans (issue 6 point 2): authorisation by the coordinator with the organisation
// told, runs only inside the approved scope and window, a real loopback scan recorded as R2
// evidence, and the kill switch. Every target is 127.0.0.1.
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <optional>
#include <thread>

#include "core/legal_time.h"
#include "server/api_test_util.h"
#include "vuln/advisories.h"
#include "vuln/findings_store.h"
#include "vuln/module.h"
#include "vuln/scan_service.h"

namespace ucsc::server::testing {

using namespace ::ucsc::vuln;  // NOLINT(google-build-using-namespace): the capability under test
namespace {

using core::Role;

// A TCP service on an ephemeral 127.0.0.1 port that sends `banner` (if any) to each client and
// keeps the connection open until the client closes it or the service stops.
class LoopbackService {
 public:
  explicit LoopbackService(std::string banner) : banner_(std::move(banner)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&a), len) != 0 || ::listen(fd_, 64) != 0) {
      ADD_FAILURE() << "cannot listen on 127.0.0.1";
    }
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    if (::pipe(stop_) != 0) ADD_FAILURE() << "pipe";
    thread_ = std::thread([this] { Serve(); });
  }
  ~LoopbackService() {
    if (::write(stop_[1], "x", 1) != 1) ADD_FAILURE() << "stop";
    thread_.join();
    for (int c : clients_) ::close(c);
    ::close(fd_);
    ::close(stop_[0]);
    ::close(stop_[1]);
  }
  uint16_t port() const { return port_; }

 private:
  void Serve() {
    for (;;) {
      pollfd p[2] = {{fd_, POLLIN, 0}, {stop_[0], POLLIN, 0}};
      if (::poll(p, 2, -1) < 0) return;
      if (p[1].revents != 0) return;
      int c = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (c < 0) continue;
      if (!banner_.empty() && ::write(c, banner_.data(), banner_.size()) < 0) {
        ::close(c);
        continue;
      }
      clients_.push_back(c);
    }
  }
  std::string banner_;
  int fd_ = -1;
  int stop_[2] = {-1, -1};
  uint16_t port_ = 0;
  std::vector<int> clients_;  // only the serving thread touches it until the join
  std::thread thread_;
};

class ScanApi : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    std::string skip;
    if (!h_.Open(GetParam(), skip)) {
      if (!skip.empty()) GTEST_SKIP() << skip;
      FAIL() << "cannot open the store";
    }
    syt_ = h_.OrgId("Sở Y tế");
    system_ = h_.InsertSystem("Cổng dịch vụ công Sở Y tế", syt_, 3);
    responder_.emplace(h_.SignIn(Role::kResponder));
    coord_.emplace(h_.SignIn(Role::kCoordinator));
  }

  Json Window(std::chrono::hours from, std::chrono::hours to) {
    const core::Instant now = h_.clock().Now();
    return Json{{"window_start", core::FormatRfc3339Utc(now + from)},
                {"window_end", core::FormatRfc3339Utc(now + to)}};
  }

  // Requests and approves a scope of 127.0.0.1 and `ports`; returns the authorisation id.
  std::string Authorise(const std::string& ports) {
    Json body = Window(std::chrono::hours(-1), std::chrono::hours(8));
    body["system_id"] = system_.id;
    body["targets"] = {"127.0.0.1"};
    body["ports"] = ports;
    body["reason"] = "Rà quét định kỳ 6 tháng (R2)";
    Response r = responder_->Post("/api/v1/scans/authorisations", body);
    EXPECT_EQ(r.status, 201) << r.body;
    const std::string id = Body(r)["id"];
    Response d = coord_->Post("/api/v1/scan-approvals/" + id, Json{{"decision", "approve"}});
    EXPECT_EQ(d.status, 200) << d.body;
    return id;
  }

  ScanServiceConfig Config(const std::string& nvd = "", const std::string& kev = "") {
    ScanServiceConfig c;
    c.evidence_dir = h_.evidence_dir();
    c.nvd_path = nvd;
    c.kev_path = kev;
    return c;
  }

  // Runs the queued scan_run jobs with `service`; returns how many ran.
  int RunQueuedScans(ScanService& service) {
    return h_.RunQueuedJobs("scan_run",
                            [&](const core::Job& job) { return service.RunJob(job, h_.store()); });
  }

  ApiHarness h_;
  std::string syt_;
  core::InformationSystem system_;
  std::optional<Client> responder_;
  std::optional<Client> coord_;
};

TEST(ScanScope, ParsesNumericTargetsOnlyAndBoundsTheSize) {
  auto s = ParseScanScope({"127.0.0.1", "127.0.0.0/30", "::1"}, "22,80,8000-8002");
  ASSERT_TRUE(s) << s.error().ToString();
  EXPECT_EQ(s->addresses.size(), 5u);  // 127.0.0.0–3 and ::1, 127.0.0.1 once
  EXPECT_EQ(s->ports, (std::vector<uint16_t>{22, 80, 8000, 8001, 8002}));
  EXPECT_EQ(ParseScanScope({"localhost"}, "22").error().field, "/targets/0");
  EXPECT_EQ(ParseScanScope({"127.0.0.1", "10.0.0.0/8"}, "22").error().field, "/targets/1");
  EXPECT_EQ(ParseScanScope({}, "22").error().field, "/targets");
  EXPECT_EQ(ParseScanScope({"127.0.0.1"}, "99999").error().field, "/ports");
  auto narrower = ParseScanScope({"127.0.0.9"}, "22");
  EXPECT_EQ(CheckWithinScope(*s, *narrower, {"127.0.0.9"}).error().field, "/targets/0");
  auto other_port = ParseScanScope({"127.0.0.1"}, "23");
  EXPECT_EQ(CheckWithinScope(*s, *other_port, {"127.0.0.1"}).error().field, "/ports");
  EXPECT_TRUE(CheckWithinScope(*s, *ParseScanScope({"127.0.0.2"}, "80"), {"127.0.0.2"}));
}

TEST(ScanScope, ScopedConnectorRefusesEveryEndpointOutsideTheScope) {
  auto scope = ParseScanScope({"127.0.0.1"}, "9");
  scan::SystemConnector system;
  scan::RecordingConnector recorder(system);
  ScopedConnector scoped(recorder, *scope);
  for (const char* ip : {"127.0.0.2", "::1"}) {
    auto a = scoped.StartConnect({*scan::IpAddress::Parse(ip), 9});
    EXPECT_EQ(a.fd, -1);
  }
  auto a = scoped.StartConnect({*scan::IpAddress::Parse("127.0.0.1"), 10});
  EXPECT_EQ(a.fd, -1);
  EXPECT_EQ(scoped.refused(), 3u);
  EXPECT_TRUE(recorder.calls().empty());  // nothing reached a socket
}

// The SLA of a finding without a KEV due date follows the configured policy (issue 6: "critical 7
// days … (configurable)"): 3 days instead of 7 here; overdue the day after.
TEST(FindingView, SlaDueFollowsTheConfiguredPolicy) {
  const core::Instant first = core::StartOfLocalDay({2026, 6, 1}) + std::chrono::hours(10);
  store::ScanRecord r;
  r.id = "fp";
  r.org_id = "o";
  r.system_id = "s";
  r.parent_id = "CVE-2099-0003";
  r.state = "open";
  r.doc = Json{{"asset", "127.0.0.1"},
               {"port", 443},
               {"cpe", "cpe:2.3:a:ucsc-test:widget:1.5:*:*:*:*:*:*:*"},
               {"cve", "CVE-2099-0003"},
               {"tier", "confirmed"},
               {"severity", "critical"},
               {"kev_due", nullptr},
               {"first_seen", core::FormatRfc3339Utc(first)},
               {"last_seen", core::FormatRfc3339Utc(first)},
               {"state_changed", core::FormatRfc3339Utc(first)}}
              .dump();
  scan::SlaPolicy fast;
  fast.critical_days = 3;
  const Json on_time = FindingView(r, fast, core::EndOfLocalDay({2026, 6, 4}));
  EXPECT_EQ(on_time["sla_due"], core::FormatRfc3339Utc(core::EndOfLocalDay({2026, 6, 4})));
  EXPECT_EQ(on_time["overdue"], false);
  EXPECT_EQ(on_time["exploitable"], false);
  EXPECT_EQ(FindingView(r, fast, core::StartOfLocalDay({2026, 6, 5}))["overdue"], true);
  EXPECT_EQ(FindingView(r, scan::SlaPolicy{}, core::StartOfLocalDay({2026, 6, 5}))["overdue"],
            false);  // the default, 7 days
}

// The whole path: request, approval (the organisation is told), a run refused outside the
// scope, a real scan of an SSH-like service, the scan recorded as R2 evidence of the system.
TEST_P(ScanApi, ApprovedScanRunsInsideItsScopeAndBecomesR2Evidence) {
  LoopbackService ssh("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n");
  const std::string port = std::to_string(ssh.port());

  // Not yet approved: no run.
  Json body = Window(std::chrono::hours(-1), std::chrono::hours(8));
  body["system_id"] = system_.id;
  body["targets"] = {"127.0.0.1"};
  body["ports"] = port;
  body["reason"] = "Rà quét định kỳ";
  Response r = responder_->Post("/api/v1/scans/authorisations", body);
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string pending = Body(r)["id"];
  EXPECT_EQ(Body(r)["state"], "requested");
  EXPECT_TRUE(
      IsProblem(responder_->Post("/api/v1/scans/runs", Json{{"authorisation_id", pending}}), 409));
  // Only the coordinator decides.
  EXPECT_EQ(
      responder_->Post("/api/v1/scan-approvals/" + pending, Json{{"decision", "approve"}}).status,
      403);
  EXPECT_TRUE(
      IsProblem(coord_->Post("/api/v1/scan-approvals/" + pending, Json{{"decision", "reject"}}),
                400, "/reason"));

  const std::string auth = Authorise(port);
  // The organisation's manager is told what will be scanned and when.
  Client manager = h_.SignIn(Role::kOrgManager);
  const Json inbox = Body(manager.Get("/api/v1/me/notifications"));
  ASSERT_EQ(inbox["items"].size(), 1u) << inbox.dump();
  EXPECT_EQ(inbox["items"][0]["kind"], "scan_authorised");
  EXPECT_NE(inbox["items"][0]["body"].get<std::string>().find("127.0.0.1"), std::string::npos);

  // Outside the scope: refused, naming what.
  EXPECT_TRUE(IsProblem(responder_->Post("/api/v1/scans/runs", Json{{"authorisation_id", auth},
                                                                    {"targets", {"127.0.0.2"}}}),
                        400, "/targets/0"));
  EXPECT_TRUE(IsProblem(
      responder_->Post("/api/v1/scans/runs", Json{{"authorisation_id", auth}, {"ports", "1-1024"}}),
      400, "/ports"));

  Response run = responder_->Post("/api/v1/scans/runs", Json{{"authorisation_id", auth}});
  ASSERT_EQ(run.status, 202) << run.body;
  const std::string run_id = Body(run)["id"];
  EXPECT_EQ(Body(run)["state"], "queued");

  ScanService service(h_.clock(), h_.ids(), Config());
  EXPECT_EQ(RunQueuedScans(service), 1);
  Response done = responder_->Get("/api/v1/scans/runs/" + run_id);
  ASSERT_EQ(done.status, 200);
  const Json result = Body(done);
  ASSERT_EQ(result["state"], "done") << result.dump();
  ASSERT_EQ(result["open"].size(), 1u) << result.dump();
  EXPECT_EQ(result["open"][0]["endpoint"], "127.0.0.1:" + port);
  EXPECT_EQ(result["open"][0]["product"], "OpenSSH");
  EXPECT_EQ(result["open"][0]["version"], "9.2p1");
  EXPECT_EQ(result["refused_out_of_scope"], 0);
  const std::string evidence_id = result["evidence_id"];
  Response ev = coord_->Get("/api/v1/evidence/" + evidence_id);
  ASSERT_EQ(ev.status, 200) << ev.body;
  EXPECT_EQ(Body(ev)["type"], "scan_report");
  EXPECT_EQ(Body(ev)["subject_id"], system_.id);
  EXPECT_EQ(Body(ev)["review"], "pending");

  // A retried job does not scan twice.
  core::Job again;
  again.kind = "scan_run";
  again.payload = Json{{"run_id", run_id}}.dump();
  EXPECT_TRUE(service.RunJob(again, h_.store()));
  EXPECT_EQ(Body(responder_->Get("/api/v1/scans/runs/" + run_id))["version"], result["version"]);

  // Revoked: no more runs. And the staff of the organisation see its scans, read-only.
  ASSERT_EQ(coord_
                ->Post("/api/v1/scan-approvals/" + auth,
                       Json{{"decision", "revoke"}, {"reason", "đổi lịch"}})
                .status,
            200);
  EXPECT_TRUE(
      IsProblem(responder_->Post("/api/v1/scans/runs", Json{{"authorisation_id", auth}}), 409));
  Client staff = h_.SignIn(Role::kOrgStaff);
  EXPECT_EQ(Body(staff.Get("/api/v1/scans/runs"))["items"].size(), 1u);
}

TEST_P(ScanApi, ARunOutsideTheWindowIsRefused) {
  LoopbackService svc("");
  const std::string auth = Authorise(std::to_string(svc.port()));
  Response queued = responder_->Post("/api/v1/scans/runs", Json{{"authorisation_id", auth}});
  ASSERT_EQ(queued.status, 202);
  // The window closes while the run waits in the queue: the job refuses it.
  h_.clock().Advance(std::chrono::hours(9));
  ScanService service(h_.clock(), h_.ids(), Config());
  EXPECT_EQ(RunQueuedScans(service), 1);
  responder_.emplace(h_.SignIn(Role::kResponder));  // the session of 9 hours ago has expired
  const Json run =
      Body(responder_->Get("/api/v1/scans/runs/" + Body(queued)["id"].get<std::string>()));
  EXPECT_EQ(run["state"], "refused");
  EXPECT_NE(run["error"].get<std::string>().find("window"), std::string::npos);
  // And no new run is accepted.
  EXPECT_TRUE(
      IsProblem(responder_->Post("/api/v1/scans/runs", Json{{"authorisation_id", auth}}), 409));
  // A window in the past or longer than 31 days is refused at request time.
  Json body = Window(std::chrono::hours(-48), std::chrono::hours(-24));
  body["system_id"] = system_.id;
  body["targets"] = {"127.0.0.1"};
  body["ports"] = "22";
  body["reason"] = "x";
  EXPECT_TRUE(
      IsProblem(responder_->Post("/api/v1/scans/authorisations", body), 400, "/window_end"));
  body.update(Window(std::chrono::hours(0), std::chrono::hours(24 * 40)));
  EXPECT_TRUE(
      IsProblem(responder_->Post("/api/v1/scans/authorisations", body), 400, "/window_end"));
  body.update(Window(std::chrono::hours(0), std::chrono::hours(24)));
  body["targets"] = {"scanme.example.org"};
  EXPECT_TRUE(IsProblem(responder_->Post("/api/v1/scans/authorisations", body), 400, "/targets/0"));
}

// The kill switch stops a running scan: services that accept and never answer keep the version
// probes waiting (seconds each); the kill ends the run at once, recorded as killed, no evidence.
TEST_P(ScanApi, KillSwitchStopsARunningScan) {
  std::vector<std::unique_ptr<LoopbackService>> silent;
  std::string ports;
  for (int i = 0; i < 8; ++i) {
    silent.push_back(std::make_unique<LoopbackService>(""));
    ports += (ports.empty() ? "" : ",") + std::to_string(silent.back()->port());
  }
  const std::string auth = Authorise(ports);
  Response queued = responder_->Post("/api/v1/scans/runs", Json{{"authorisation_id", auth}});
  ASSERT_EQ(queued.status, 202);
  ScanService& service = h_.Module<vuln::VulnModule>().scans();
  std::atomic<bool> finished{false};
  std::thread worker([&] {
    RunQueuedScans(service);
    finished = true;
  });
  // Wait (bounded) until the scan is running, then pull the switch.
  for (int i = 0; i < 2000 && service.Running() == 0 && !finished; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_EQ(service.Running(), 1);
  const auto pulled = std::chrono::steady_clock::now();
  Response kill = coord_->Post("/api/v1/scans/kill", Json::object());
  ASSERT_EQ(kill.status, 200) << kill.body;
  EXPECT_EQ(Body(kill)["stopped"], 1);
  worker.join();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - pulled).count();
  std::printf("kill switch: the run ended %.3f s after the kill\n", seconds);
  const Json run =
      Body(responder_->Get("/api/v1/scans/runs/" + Body(queued)["id"].get<std::string>()));
  EXPECT_EQ(run["state"], "killed") << run.dump();
  EXPECT_FALSE(run.contains("evidence_id"));
  EXPECT_EQ(Body(kill)["stopped"], 1);
  EXPECT_EQ(Body(responder_->Post("/api/v1/scans/kill", Json::object()))["stopped"], 0);
}

// NVD: one CVE for OpenSSH before 9.8 (critical, in KEV, due 31/01/2099), one for 8.9p2 only.
constexpr const char* kNvd = R"json({"format":"NVD_CVE","version":"2.0","totalResults":2,
"vulnerabilities":[
{"cve":{"id":"CVE-2099-0001","published":"2099-01-01T00:00:00.000",
 "lastModified":"2099-01-02T00:00:00.000",
 "descriptions":[{"lang":"en","value":"OpenSSH before 9.8 (test record)"}],
 "metrics":{"cvssMetricV31":[{"source":"nvd@nist.gov","type":"Primary","cvssData":{
   "version":"3.1","vectorString":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
   "baseScore":9.8,"baseSeverity":"CRITICAL"}}]},
 "configurations":[{"nodes":[{"operator":"OR","negate":false,"cpeMatch":[
   {"vulnerable":true,"criteria":"cpe:2.3:a:openbsd:openssh:*:*:*:*:*:*:*:*",
    "versionEndExcluding":"9.8"}]}]}]}},
{"cve":{"id":"CVE-2099-0002","published":"2099-01-01T00:00:00.000",
 "lastModified":"2099-01-02T00:00:00.000",
 "descriptions":[{"lang":"en","value":"OpenSSH 8.9p2 only (test record)"}],
 "metrics":{"cvssMetricV31":[{"source":"nvd@nist.gov","type":"Primary","cvssData":{
   "version":"3.1","vectorString":"CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:N/A:N",
   "baseScore":3.7,"baseSeverity":"LOW"}}]},
 "configurations":[{"nodes":[{"operator":"OR","negate":false,"cpeMatch":[
   {"vulnerable":true,"criteria":"cpe:2.3:a:openbsd:openssh:8.9:p2:*:*:*:*:*:*"}]}]}]}}]})json";
constexpr const char* kKev = R"json({"catalogVersion":"2099.01.01","vulnerabilities":[
 {"cveID":"CVE-2099-0001","vendorProject":"OpenBSD","product":"OpenSSH",
  "vulnerabilityName":"test","dateAdded":"2099-01-10","dueDate":"2099-01-31",
  "knownRansomwareCampaignUse":"Unknown"}]})json";

// Findings (issue 6 point 5) and R6: a scan sees OpenSSH 8.9p1, the KEV-listed CVE becomes an
// open finding due on its KEV date with a remediation task and a hunt task opened together; the
// lifecycle moves by hand; a later scan that no longer sees the service marks it fixed.
TEST_P(ScanApi, ScanFindingsFollowTheirLifecycleAndOpenR6Tasks) {
  const std::string nvd = h_.evidence_dir() + "-nvd.json", kev = h_.evidence_dir() + "-kev.json";
  std::ofstream(nvd) << kNvd;
  std::ofstream(kev) << kKev;
  ScanService service(h_.clock(), h_.ids(), Config(nvd, kev));
  auto ssh = std::make_unique<LoopbackService>("SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.10\r\n");
  const std::string port = std::to_string(ssh->port());
  const std::string auth = Authorise(port);
  ASSERT_EQ(responder_->Post("/api/v1/scans/runs", Json{{"authorisation_id", auth}}).status, 202);
  EXPECT_EQ(RunQueuedScans(service), 1);
  Json runs = Body(responder_->Get("/api/v1/scans/runs"));
  ASSERT_EQ(runs["items"].size(), 1u);
  const Json first_run = runs["items"][0];
  EXPECT_EQ(first_run["findings"]["new"], 1) << first_run.dump();
  EXPECT_EQ(first_run["findings"]["r6_tasks"], 2);

  Response list = responder_->Get("/api/v1/findings", {{"system_id", system_.id}});
  ASSERT_EQ(list.status, 200) << list.body;
  const Json findings = Body(list)["items"];
  ASSERT_EQ(findings.size(), 1u) << list.body;
  const Json f = findings[0];
  EXPECT_EQ(f["cve"], "CVE-2099-0001");
  EXPECT_EQ(f["state"], "open");
  EXPECT_EQ(f["severity"], "critical");
  EXPECT_EQ(f["tier"], "confirmed");
  EXPECT_EQ(f["exploitable"], true);
  EXPECT_EQ(f["kev_due"], "2099-01-31");
  EXPECT_EQ(f["asset"], "127.0.0.1");
  EXPECT_EQ(f["sla_due"], core::FormatRfc3339Utc(core::EndOfLocalDay({2099, 1, 31})));
  EXPECT_EQ(f["overdue"], false);
  const std::string id = f["id"];

  // R6: both tasks, opened at the same instant, each naming the other.
  std::vector<core::Task> tasks;
  ASSERT_TRUE(h_.store().Read([&](store::Tx& tx) -> core::Status {
    store::ListQuery q;
    q.limit = 500;
    UCSC_ASSIGN_OR_RETURN(auto page, tx.Tasks().List(q));
    for (auto& t : page.items) {
      if (t.system_id == system_.id) tasks.push_back(t);
    }
    return core::Ok();
  }));
  ASSERT_EQ(tasks.size(), 2u);
  const core::Task& a = tasks[0].kind == "remediation" ? tasks[0] : tasks[1];
  const core::Task& b = tasks[0].kind == "remediation" ? tasks[1] : tasks[0];
  EXPECT_EQ(a.kind, "remediation");
  EXPECT_EQ(b.kind, "hunt");
  EXPECT_EQ(a.created_at, b.created_at);
  EXPECT_NE(a.title.find(b.id), std::string::npos);
  EXPECT_NE(b.title.find(a.id), std::string::npos);
  EXPECT_EQ(a.due_date, "2099-01-31");

  // The lifecycle by hand.
  const std::string path = "/api/v1/findings/" + id + "/transition";
  EXPECT_TRUE(
      IsProblem(responder_->Post(path, Json{{"event", "accept_risk"}, {"until", "2026-12-31"}}),
                400, "/reason"));
  EXPECT_TRUE(IsProblem(responder_->Post(path, Json{{"event", "fix"}}), 400, "/event"));
  Response started = responder_->Post(path, Json{{"event", "start_work"}});
  ASSERT_EQ(started.status, 200) << started.body;
  EXPECT_EQ(Body(started)["state"], "in_progress");
  EXPECT_TRUE(IsProblem(responder_->Post(path, Json{{"event", "start_work"}}), 409));
  EXPECT_EQ(h_.SignIn(Role::kLiaison).Post(path, Json{{"event", "reopen"}}).status, 403);

  // The service is gone at the next scan: fixed.
  ssh.reset();
  h_.clock().Advance(std::chrono::hours(1));
  ASSERT_EQ(responder_->Post("/api/v1/scans/runs", Json{{"authorisation_id", auth}}).status, 202);
  EXPECT_EQ(RunQueuedScans(service), 1);
  const Json after =
      Body(responder_->Get("/api/v1/findings", {{"system_id", system_.id}}))["items"][0];
  EXPECT_EQ(after["state"], "fixed") << after.dump();
  runs = Body(responder_->Get("/api/v1/scans/runs"));
  EXPECT_EQ(runs["items"][0]["findings"]["fixed"], 1) << runs.dump();
}

// An NVD file with `records` (each a CVE for a test product "ucsc-test:widget" before 2.0).
std::string WidgetNvd(const std::vector<std::string>& ids) {
  Json vulns = Json::array();
  for (const auto& id : ids) {
    vulns.push_back(Json::parse(R"json({"cve":{"id":")json" + id + R"json(",
      "published":"2099-01-01T00:00:00.000","lastModified":"2099-01-02T00:00:00.000",
      "descriptions":[{"lang":"en","value":"widget before 2.0 (test record)"}],
      "metrics":{"cvssMetricV31":[{"source":"nvd@nist.gov","type":"Primary","cvssData":{
        "version":"3.1","vectorString":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N",
        "baseScore":9.1,"baseSeverity":"CRITICAL"}}]},
      "configurations":[{"nodes":[{"operator":"OR","negate":false,"cpeMatch":[
        {"vulnerable":true,"criteria":"cpe:2.3:a:ucsc-test:widget:*:*:*:*:*:*:*:*",
         "versionEndExcluding":"2.0"}]}]}]}})json"));
  }
  return Json{{"format", "NVD_CVE"},
              {"version", "2.0"},
              {"totalResults", ids.size()},
              {"vulnerabilities", vulns}}
      .dump();
}

// Advisories (issue 6 point 6): the first refresh is a baseline; a later one with a new CVE
// that affects the widget on a Sở Y tế system tells Sở Y tế only, once; the organisation
// acknowledges it and reports it remediated.
TEST_P(ScanApi, NewCatalogueEntriesReachOnlyTheAffectedOrganisation) {
  core::Asset a = h_.InsertAsset("Máy chủ ứng dụng widget", system_);
  a.software = {{"ucsc-test", "widget", "1.5", "cpe:2.3:a:ucsc-test:widget:1.5:*:*:*:*:*:*:*"}};
  a.version = 2;
  ASSERT_TRUE(h_.store().Write([&](store::Tx& tx) { return tx.Assets().Update(a); }));
  const std::string v1 = h_.evidence_dir() + "-nvd1.json", v2 = h_.evidence_dir() + "-nvd2.json";
  std::ofstream(v1) << WidgetNvd({"CVE-2099-1000"});
  std::ofstream(v2) << WidgetNvd({"CVE-2099-1000", "CVE-2099-1001"});

  auto first = RefreshAdvisoriesFromFiles(h_.store(), h_.ids(), h_.clock().Now(), v1, "");
  ASSERT_TRUE(first) << first.error().ToString();
  EXPECT_TRUE(first->baseline);
  EXPECT_EQ(first->advisories, 0);
  auto second = RefreshAdvisoriesFromFiles(h_.store(), h_.ids(), h_.clock().Now(), v2, "");
  ASSERT_TRUE(second) << second.error().ToString();
  EXPECT_FALSE(second->baseline);
  EXPECT_EQ(second->new_entries, 1u);
  EXPECT_EQ(second->advisories, 1);
  EXPECT_EQ(second->organisations, std::vector<std::string>{syt_});
  auto third = RefreshAdvisoriesFromFiles(h_.store(), h_.ids(), h_.clock().Now(), v2, "");
  ASSERT_TRUE(third);
  EXPECT_EQ(third->new_entries, 0u);
  EXPECT_EQ(third->advisories, 0);

  Client manager = h_.SignIn(Role::kOrgManager);
  const Json inbox = Body(manager.Get("/api/v1/me/notifications"));
  ASSERT_EQ(inbox["items"].size(), 1u);
  EXPECT_EQ(inbox["items"][0]["kind"], "advisory");
  EXPECT_NE(inbox["items"][0]["body"].get<std::string>().find("CVE-2099-1001"), std::string::npos);
  const Json list = Body(manager.Get("/api/v1/advisories"));
  ASSERT_EQ(list["items"].size(), 1u) << list.dump();
  const Json adv = list["items"][0];
  EXPECT_EQ(adv["cve"], "CVE-2099-1001");
  EXPECT_EQ(adv["state"], "sent");
  EXPECT_EQ(adv["systems"][0]["id"], system_.id);
  EXPECT_EQ(adv["overdue"], false);
  // Due by the SLA of a critical CVE: 7 days.
  EXPECT_EQ(adv["due_date"],
            core::FormatIsoDate(core::AddDays(core::LocalDateOf(h_.clock().Now()), 7)));
  // Another organisation's coordinator view sees it; an organisation it does not concern does not.
  EXPECT_EQ(Body(coord_->Get("/api/v1/advisories"))["items"].size(), 1u);

  const std::string path = "/api/v1/advisories/" + adv["id"].get<std::string>() + "/state";
  Response ack = manager.Post(path, Json{{"state", "acknowledged"}});
  ASSERT_EQ(ack.status, 200) << ack.body;
  EXPECT_EQ(Body(ack)["state"], "acknowledged");
  EXPECT_TRUE(IsProblem(manager.Post(path, Json{{"state", "acknowledged"}}), 409));
  EXPECT_TRUE(IsProblem(manager.Post(path, Json{{"state", "remediated"}}), 400, "/note"));
  h_.clock().Advance(std::chrono::hours(24 * 8));
  manager = h_.SignIn(Role::kOrgManager);
  EXPECT_EQ(Body(manager.Get("/api/v1/advisories"))["items"][0]["overdue"], true);
  Response done =
      manager.Post(path, Json{{"state", "remediated"}, {"note", "nâng cấp widget lên 2.1"}});
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(Body(done)["overdue"], false);
}

INSTANTIATE_TEST_SUITE_P(Backends, ScanApi, ::testing::Values("sqlite", "postgresql"));

}  // namespace
}  // namespace ucsc::server::testing
