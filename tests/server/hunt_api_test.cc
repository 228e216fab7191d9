// Server-run hunts (issue 5, R1 evidence of issue 4): a system's logs uploaded, hunted by the
// job with the configured Sigma rules, the detections kept as the system's hunt_report evidence.
#include <filesystem>
#include <fstream>
#include <optional>

#include "hunting/hunt_service.h"
#include "hunting/module.h"
#include "server/api_test_util.h"

namespace ucsc::server::testing {
namespace {

using core::Role;

constexpr const char* kRule = R"(title: Credential dumping with Mimikatz on the command line
id: 6f1d3f3e-7b53-4c36-9a55-1a2b3c4d5e6f
status: test
author: ucsc tests
logsource:
  category: process_creation
  product: windows
detection:
  selection:
    CommandLine|contains: 'sekurlsa::logonpasswords'
  condition: selection
level: high
)";

const std::string kLogs =
    R"({"EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational","Image":"C:\\Tools\\m.exe","CommandLine":"m.exe privilege::debug sekurlsa::logonpasswords exit","UtcTime":"2026-05-31 10:00:00.000"})"
    "\n"
    R"({"EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational","Image":"C:\\Windows\\notepad.exe","CommandLine":"notepad.exe","UtcTime":"2026-05-31 10:01:00.000"})"
    "\n";

class HuntApi : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    std::string skip;
    if (!h_.Open(GetParam(), skip)) {
      if (!skip.empty()) GTEST_SKIP() << skip;
      FAIL() << "cannot open the store";
    }
    std::filesystem::create_directories(h_.sigma_rules_dir());
    std::ofstream(std::filesystem::path(h_.sigma_rules_dir()) / "mimikatz.yml") << kRule;
    syt_ = h_.OrgId("Sở Y tế");
    system_ = h_.InsertSystem("Máy chủ quản lý bệnh viện", syt_, 3);
    staff_.emplace(h_.SignIn(Role::kOrgStaff));
  }

  Response Upload(const std::string& system_id, std::string bytes, const std::string& name,
                  const std::string& format = "") {
    Request r;
    r.method = "POST";
    r.path = "/api/v1/hunts/file";
    r.query.emplace("system_id", system_id);
    if (!format.empty()) r.query.emplace("format", format);
    r.body = std::move(bytes);
    r.headers["content-type"] = "application/octet-stream";
    if (!name.empty()) r.headers["x-file-name"] = name;
    return staff_->Send(r);
  }

  // Runs the queued hunt_run jobs; returns how many ran.
  int RunQueuedHunts() {
    return h_.RunQueuedJobs("hunt_run", [&](const core::Job& job) {
      return h_.Module<hunting::HuntingModule>().hunts().RunJob(job, h_.store());
    });
  }

  ApiHarness h_;
  std::string syt_;
  core::InformationSystem system_;
  std::optional<Client> staff_;
};

TEST_P(HuntApi, UploadedLogsAreHuntedAndTheDetectionsBecomeR1Evidence) {
  Response r = Upload(system_.id, kLogs, "sysmon-2026-05-31.jsonl");
  ASSERT_EQ(r.status, 202) << r.body;
  const std::string run_id = Body(r)["id"];
  EXPECT_EQ(Body(r)["state"], "queued");
  EXPECT_EQ(RunQueuedHunts(), 1);

  const Json run = Body(staff_->Get("/api/v1/hunts/runs/" + run_id));
  ASSERT_EQ(run["state"], "done") << run.dump();
  EXPECT_EQ(run["stats"]["events"], 2);
  EXPECT_EQ(run["stats"]["detections"], 1);
  EXPECT_EQ(run["stats"]["rules"], 1);
  const std::string evidence_id = run["evidence_id"];
  const Json ev = Body(staff_->Get("/api/v1/evidence/" + evidence_id));
  EXPECT_EQ(ev["type"], "hunt_report");
  EXPECT_EQ(ev["subject_id"], system_.id);
  EXPECT_EQ(ev["review"], "pending");
  Response file = staff_->Get("/api/v1/evidence/" + evidence_id + "/file");
  ASSERT_EQ(file.status, 200) << file.body;
  EXPECT_NE(file.body.find("sekurlsa::logonpasswords"), std::string::npos);
  EXPECT_NE(file.body.find("6f1d3f3e-7b53-4c36-9a55-1a2b3c4d5e6f"), std::string::npos);
  EXPECT_EQ(file.body.find("notepad.exe"), std::string::npos);
  // A retried job does not hunt twice.
  core::Job again;
  again.kind = "hunt_run";
  again.payload = Json{{"run_id", run_id}}.dump();
  EXPECT_TRUE(h_.Module<hunting::HuntingModule>().hunts().RunJob(again, h_.store()));
  EXPECT_EQ(Body(staff_->Get("/api/v1/hunts/runs/" + run_id))["version"], run["version"]);
  EXPECT_EQ(Body(staff_->Get("/api/v1/hunts/runs"))["items"].size(), 1u);
}

TEST_P(HuntApi, RefusalsAndUnreadableLogs) {
  const std::string before = h_.Dump();
  auto other = h_.InsertSystem("Hệ thống của Sở Tài chính", h_.OrgId("Sở Tài chính"));
  const std::string after_insert = h_.Dump();
  EXPECT_TRUE(IsProblem(Upload(other.id, kLogs, "a.jsonl"), 400, "/system_id"));
  EXPECT_TRUE(IsProblem(Upload(system_.id, kLogs, ""), 400, "/name"));
  EXPECT_TRUE(IsProblem(Upload(system_.id, kLogs, "../a.jsonl"), 400, "/name"));
  EXPECT_TRUE(IsProblem(Upload(system_.id, "", "a.jsonl"), 400, "/file"));
  EXPECT_TRUE(IsProblem(Upload(system_.id, kLogs, "a.jsonl", "pcap"), 400, "/format"));
  EXPECT_TRUE(IsProblem(Upload(system_.id, std::string((10 << 20) + 1, 'a'), "a.jsonl"), 413));
  EXPECT_EQ(h_.Dump(), after_insert);
  (void)before;

  // Bytes that hold no event: the run fails with the reason, no evidence.
  Response r = Upload(system_.id, std::string("\x01\x02\x03 not a log\n", 14), "x.jsonl", "jsonl");
  ASSERT_EQ(r.status, 202) << r.body;
  EXPECT_EQ(RunQueuedHunts(), 1);
  const Json run = Body(staff_->Get("/api/v1/hunts/runs/" + Body(r)["id"].get<std::string>()));
  EXPECT_EQ(run["state"], "failed") << run.dump();
  EXPECT_FALSE(run.contains("evidence_id"));
}

INSTANTIATE_TEST_SUITE_P(Backends, HuntApi, ::testing::Values("sqlite", "postgresql"));

}  // namespace
}  // namespace ucsc::server::testing
