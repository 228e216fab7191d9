// Evidence of engine runs (issue 4 point 2): a hunt (R1) or scan (R2) run against a system
// records its evidence, with the report kept by SHA-256, and the obligation is then met.
#include "compliance/run_evidence.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "auth/random.h"
#include "compliance/evaluate.h"
#include "compliance/facts.h"
#include "store_fixture.h"

namespace ucsc::compliance {
namespace {

using testing::At;
using testing::Packs;

class RunEvidenceTest : public testing::ComplianceStore {
 protected:
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  RunEvidence Hunt() {
    RunEvidence run;
    run.system_id = "his";
    run.type = "hunt_report";
    run.performed_on = {2025, 6, 20};
    run.title = "Săn lùng mối nguy hại: 3.141 luật Sigma";
    run.description = "12.345 sự kiện, 2 phát hiện";
    run.submitted_by = "cli:analyst";
    run.file_name = "hunt-2025-06-20.jsonl";
    run.file_bytes = "{\"rule_id\":\"x\",\"record\":1}\n";
    run.evidence_dir = dir_;
    return run;
  }
  // The R-rule's status for the system at `at`.
  State StateOf(const std::string& rule, core::Instant at) {
    Facts facts;
    EXPECT_TRUE(store().Read([&](store::Tx& tx) -> core::Status {
      UCSC_ASSIGN_OR_RETURN(facts, LoadFacts(tx, at));
      return core::Ok();
    }));
    Evaluator ev(Packs(), facts);
    for (const auto& s : ev.EvaluateSubject("his", at)) {
      if (s.rule->id == rule) return s.state;
    }
    ADD_FAILURE() << "no " << rule << " row";
    return State::kNotApplicable;
  }
  std::string dir_ =
      (std::filesystem::temp_directory_path() / ("ucsc-run-evidence-" + auth::RandomToken(6)))
          .string();
};

// R1: the system's first hunt was due 01/07/2025 (six months after it was entered); on
// 02/07/2025 it is overdue, unless the run of 20/06/2025 was recorded.
TEST_P(RunEvidenceTest, AHuntRunMeetsR1AndKeepsItsReport) {
  EXPECT_EQ(StateOf("R1", At(2025, 7, 2)), State::kOverdue);
  const RunEvidence run = Hunt();
  auto e = RecordRunEvidence(store(), ids_, At(2025, 6, 20), run);
  ASSERT_TRUE(e) << e.error().ToString();
  EXPECT_EQ(e->org_id, "syt");
  EXPECT_EQ(e->review, core::ReviewState::kPending);
  EXPECT_EQ(e->performed_on, "2025-06-20");
  EXPECT_EQ(e->file.sha256, auth::Sha256Hex(run.file_bytes));
  EXPECT_EQ(e->file.content_type, "application/jsonl");
  EXPECT_EQ(StateOf("R1", At(2025, 7, 2)), State::kOk);
  // R2 (scans) is not met by a hunt.
  EXPECT_EQ(StateOf("R2", At(2025, 7, 2)), State::kOverdue);

  const auto path = std::filesystem::path(dir_) / e->file.sha256;
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  EXPECT_EQ(bytes.str(), run.file_bytes);
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  // Stored, with its audit record.
  ASSERT_TRUE(store().Read([&](store::Tx& tx) -> core::Status {
    UCSC_ASSIGN_OR_RETURN(auto stored, tx.Evidence().Get(e->id, store::Scope::All()));
    EXPECT_EQ(stored.submitted_by, "cli:analyst");
    UCSC_ASSIGN_OR_RETURN(auto audit, tx.Audit().List(0, 1000));
    if (audit.empty()) return core::Internal("no audit record");
    EXPECT_EQ(audit.back().object_id, e->id);
    EXPECT_EQ(audit.back().actor, "cli:analyst");
    return core::Ok();
  }));
}

TEST_P(RunEvidenceTest, RefusalsStoreNothing) {
  // The field a refusal names, or "accepted".
  auto refused = [&](const RunEvidence& r, core::Instant now) -> std::string {
    auto e = RecordRunEvidence(store(), ids_, now, r);
    return e ? std::string("accepted") : e.error().field;
  };
  RunEvidence run = Hunt();
  run.system_id = "no-such-system";
  auto unknown = RecordRunEvidence(store(), ids_, At(2025, 6, 20), run);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, core::ErrorCode::kNotFound);
  run = Hunt();
  run.type = "drill_report";
  EXPECT_EQ(refused(run, At(2025, 6, 20)), "/type");
  run = Hunt();
  EXPECT_EQ(refused(run, At(2025, 6, 19)),
            "/performed_on");  // the day after "today"
  run = Hunt();
  run.file_name = "../hunt.jsonl";
  EXPECT_EQ(refused(run, At(2025, 6, 20)), "/name");
  run = Hunt();
  // An executable: neither a document nor UTF-8 text.
  run.file_bytes = std::string(
      "\x7f"
      "ELF\x02\x01\x01\0\xff",
      9);
  EXPECT_EQ(refused(run, At(2025, 6, 20)), "/file");
  EXPECT_FALSE(std::filesystem::exists(dir_));
  ASSERT_TRUE(store().Read([&](store::Tx& tx) -> core::Status {
    UCSC_ASSIGN_OR_RETURN(auto n, tx.Evidence().Count(store::Scope::All()));
    EXPECT_EQ(n, 0);
    return core::Ok();
  }));
  // The day of the run itself is fine, and a run without a report file too.
  run = Hunt();
  run.file_name.clear();
  run.file_bytes.clear();
  EXPECT_TRUE(RecordRunEvidence(store(), ids_, At(2025, 6, 20), run));
}

// R6: an exploitable finding (KEV-listed CVE) found on 10/06/2025 needs its hunt task within
// one day: the day of the deadline (11/06) is not overdue, the day after (12/06) is, unless the
// hunt task was opened with the finding.
TEST_P(RunEvidenceTest, R6IsMetByTheHuntTaskOpenedWithTheFinding) {
  const core::Instant found = core::StartOfLocalDay({2025, 6, 10}) + std::chrono::hours(9);
  store::ScanRecord finding;
  finding.id = "fp-1";
  finding.org_id = "syt";
  finding.system_id = "his";
  finding.parent_id = "CVE-2024-6387";
  finding.state = "open";
  finding.doc = R"({"cve":"CVE-2024-6387","kev_due":"2025-07-01"})";
  finding.created_at = finding.updated_at = found;
  ASSERT_TRUE(store().Write(
      [&](store::Tx& tx) { return tx.Scans().Insert(store::ScanTable::kFindings, finding); }));
  EXPECT_NE(StateOf("R6", At(2025, 6, 11)), State::kOverdue);
  EXPECT_EQ(StateOf("R6", At(2025, 6, 12)), State::kOverdue);
  // A finding not in KEV starts nothing.
  store::ScanRecord plain = finding;
  plain.id = "fp-2";
  plain.doc = R"({"cve":"CVE-2099-0002","kev_due":null})";
  ASSERT_TRUE(store().Write(
      [&](store::Tx& tx) { return tx.Scans().Insert(store::ScanTable::kFindings, plain); }));

  core::Task hunt;
  hunt.id = "t-hunt";
  hunt.org_id = "syt";
  hunt.system_id = "his";
  hunt.kind = "hunt";
  hunt.title = "Săn lùng dấu hiệu khai thác CVE-2024-6387";
  hunt.version = 1;
  hunt.created_at = hunt.updated_at = found;
  ASSERT_TRUE(store().Write([&](store::Tx& tx) { return tx.Tasks().Insert(hunt); }));
  EXPECT_EQ(StateOf("R6", At(2025, 6, 12)), State::kOk);
}

INSTANTIATE_TEST_SUITE_P(Backends, RunEvidenceTest, ::testing::Values("sqlite", "postgresql"));

}  // namespace
}  // namespace ucsc::compliance
