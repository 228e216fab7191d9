// Server-run scans (issue 6 point 2): authorisation by the coordinator with the organisation
// told, runs only inside the approved scope and window, a real loopback scan recorded as R2
// evidence, and the kill switch. Every target is 127.0.0.1.
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <optional>
#include <thread>

#include "core/legal_time.h"
#include "server/api_test_util.h"
#include "server/scan_service.h"

namespace ucsc::server::testing {
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

  // Runs the queued scan_run jobs with `service`; returns how many ran.
  int RunQueuedScans(ScanService& service) {
    int ran = 0;
    for (;;) {
      std::optional<core::Job> job;
      EXPECT_TRUE(h_.store().Write([&](store::Tx& tx) -> core::Status {
        UCSC_ASSIGN_OR_RETURN(job,
                              tx.Jobs().Claim("test", h_.clock().Now(), std::chrono::minutes(5)));
        if (job) UCSC_RETURN_IF_ERROR(tx.Jobs().Complete(job->id, "test", h_.clock().Now()));
        return core::Ok();
      }));
      if (!job) return ran;
      if (job->kind != "scan_run") continue;
      EXPECT_TRUE(service.RunJob(*job, h_.store()));
      ++ran;
    }
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

  ScanService service(h_.clock(), h_.ids(), ScanServiceConfig{h_.evidence_dir()});
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
  ScanService service(h_.clock(), h_.ids(), ScanServiceConfig{h_.evidence_dir()});
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
  ScanService& service = h_.api().scans();
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

INSTANTIATE_TEST_SUITE_P(Backends, ScanApi, ::testing::Values("sqlite", "postgresql"));

}  // namespace
}  // namespace ucsc::server::testing
