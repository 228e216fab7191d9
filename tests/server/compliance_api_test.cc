// Compliance routes (issue 4): evidence with file uploads and their refusals, the coordinator's
// review, status and scorecard within the caller's scope.
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "auth/random.h"
#include "compliance/reminders.h"
#include "notify/fake_notifier.h"
#include "outbox/outbox.h"
#include "server/api_test_util.h"

namespace ucsc::server::testing {
namespace {

using core::Role;

class ComplianceApi : public ::testing::TestWithParam<std::string> {
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
    system_ = h_.InsertSystem("Hệ thống hồ sơ sức khỏe", syt_, 3);
  }

  Response Upload(const Client& c, const std::string& id, std::string bytes,
                  const std::string& type, const std::string& name) {
    Request r;
    r.method = "POST";
    r.path = "/api/v1/evidence/" + id + "/file";
    r.body = std::move(bytes);
    if (!type.empty()) r.headers["content-type"] = type;
    if (!name.empty()) r.headers["x-file-name"] = name;
    return c.Send(r);
  }

  size_t FilesKept() {
    size_t n = 0;
    for (const auto& e : std::filesystem::directory_iterator(h_.evidence_dir())) {
      (void)e;
      ++n;
    }
    return n;
  }

  ApiHarness h_;
  std::string syt_;
  core::InformationSystem system_;
};

TEST_P(ComplianceApi, EvidenceIsCreatedForAVisibleSubjectOnly) {
  Client staff = h_.SignIn(Role::kOrgStaff);
  Json ok = {{"subject_kind", "system"},
             {"subject_id", system_.id},
             {"type", "hunt_report"},
             {"performed_on", "2026-05-31"},
             {"title", "Báo cáo săn lùng quý II"}};
  Response r = staff.Post("/api/v1/evidence", ok);
  ASSERT_EQ(r.status, 201) << r.body;
  Json e = Body(r);
  EXPECT_EQ(e["org_id"], syt_);
  EXPECT_EQ(e["review"], "pending");
  EXPECT_EQ(e["submitted_by"], "user:" + staff.username);

  Json bad = ok;
  bad["type"] = "selfie";
  EXPECT_TRUE(IsProblem(staff.Post("/api/v1/evidence", bad), 400, "/type"));
  // R4: the plan-content evidence is ucsc's own record (an approved complete plan), never an
  // upload; refused naming the field, in English and Vietnamese.
  bad = ok;
  bad["type"] = "ir_plan_content";
  Response recorded_only = staff.Post("/api/v1/evidence", bad);
  EXPECT_TRUE(IsProblem(recorded_only, 400, "/type"));
  EXPECT_NE(recorded_only.body.find("recorded by ucsc only"), std::string::npos)
      << recorded_only.body;
  EXPECT_NE(recorded_only.body.find("chỉ do ucsc ghi nhận"), std::string::npos)
      << recorded_only.body;
  // Nor can an uploaded record be turned into one.
  Response patched = staff.Patch("/api/v1/evidence/" + e["id"].get<std::string>(),
                                 Json{{"type", "ir_plan_content"}}, "\"1\"");
  EXPECT_TRUE(IsProblem(patched, 400, "/type")) << patched.body;
  bad = ok;
  bad["performed_on"] = "2026-06-02";  // the clock is at 01/06/2026
  EXPECT_TRUE(IsProblem(staff.Post("/api/v1/evidence", bad), 400, "/performed_on"));
  bad = ok;
  bad["performed_on"] = "2026-02-30";
  EXPECT_TRUE(IsProblem(staff.Post("/api/v1/evidence", bad), 400, "/performed_on"));
  bad = ok;
  bad["review"] = "accepted";  // only the coordinator reviews
  EXPECT_TRUE(IsProblem(staff.Post("/api/v1/evidence", bad), 400, "/review"));
  // A system of another organisation reads as no system at all.
  auto other = h_.InsertSystem("Hệ thống của Sở Tài chính", h_.OrgId("Sở Tài chính"));
  bad = ok;
  bad["subject_id"] = other.id;
  EXPECT_TRUE(IsProblem(staff.Post("/api/v1/evidence", bad), 400, "/subject_id"));
}

TEST_P(ComplianceApi, UploadRefusalsStoreNothing) {
  Client staff = h_.SignIn(Role::kOrgStaff);
  auto ev = h_.InsertEvidence("Báo cáo", system_);
  const std::string path = "/api/v1/evidence/" + ev.id;
  const std::string before = h_.Dump();
  const std::string pdf = "%PDF-1.7\n1 0 obj\n";

  EXPECT_TRUE(IsProblem(Upload(staff, ev.id, "", "application/pdf", "a.pdf"), 400));
  EXPECT_TRUE(IsProblem(
      Upload(staff, ev.id, std::string((10 << 20) + 1, 'a'), "text/plain", "a.txt"), 413));
  for (const char* name : {"../../etc/passwd", "..", "a/b.pdf", "a\\b.pdf", ".hidden.pdf",
                           "c:evil.pdf", "bad\nname.pdf", ""}) {
    SCOPED_TRACE(name);
    EXPECT_TRUE(IsProblem(Upload(staff, ev.id, pdf, "application/pdf", name), 400));
  }
  // Percent-encoded traversal is decoded before the check.
  EXPECT_TRUE(IsProblem(Upload(staff, ev.id, pdf, "application/pdf", "..%2F..%2Fx.pdf"), 400));
  // Declared type and content disagree.
  EXPECT_TRUE(IsProblem(Upload(staff, ev.id, pdf, "image/png", "a.png"), 400, "/content_type"));
  EXPECT_TRUE(IsProblem(Upload(staff, ev.id, "\x89PNG\r\n\x1a\nxxxx", "application/pdf", "a.pdf"),
                        400, "/content_type"));
  // Bytes of no accepted kind (an ELF executable).
  EXPECT_TRUE(IsProblem(Upload(staff, ev.id,
                               std::string("\x7f"
                                           "ELF\x02\x01\x01\0\0",
                                           9),
                               "application/octet-stream", "x.bin"),
                        400));
  EXPECT_EQ(h_.Dump(), before);
  EXPECT_EQ(FilesKept(), 0u);
  (void)path;
}

TEST_P(ComplianceApi, UploadKeepsTheFileByHashAndDownloadsIt) {
  Client staff = h_.SignIn(Role::kOrgStaff);
  auto ev = h_.InsertEvidence("Báo cáo", system_);
  const std::string pdf = "%PDF-1.7\nbáo cáo săn lùng\n";
  Response r = Upload(staff, ev.id, pdf, "application/pdf; charset=binary",
                      "B%C3%A1o%20c%C3%A1o%20qu%C3%BD%20II.pdf");
  ASSERT_EQ(r.status, 200) << r.body;
  Json e = Body(r);
  EXPECT_EQ(e["file"]["sha256"], auth::Sha256Hex(pdf));
  EXPECT_EQ(e["file"]["name"], "Báo cáo quý II.pdf");
  EXPECT_EQ(e["file"]["size"], pdf.size());
  EXPECT_EQ(e["file"]["content_type"], "application/pdf");
  const auto kept = std::filesystem::path(h_.evidence_dir()) / auth::Sha256Hex(pdf);
  ASSERT_TRUE(std::filesystem::exists(kept));
  struct stat sb {};
  ASSERT_EQ(::stat(kept.c_str(), &sb), 0);
  EXPECT_EQ(sb.st_mode & 0777, 0600u);

  Response d = staff.Get("/api/v1/evidence/" + ev.id + "/file");
  ASSERT_EQ(d.status, 200);
  EXPECT_EQ(d.body, pdf);
  EXPECT_EQ(d.content_type, "application/pdf");
  EXPECT_NE(d.Header("Content-Disposition").find("filename*=UTF-8''B%C3%A1o%20c%C3%A1o"),
            std::string::npos)
      << d.Header("Content-Disposition");
  EXPECT_EQ(d.Header("X-Content-Type-Options"), "nosniff");
  // A file altered on disk is not served.
  std::ofstream(kept, std::ios::binary | std::ios::trunc) << "tampered";
  EXPECT_EQ(staff.Get("/api/v1/evidence/" + ev.id + "/file").status, 500);
}

TEST_P(ComplianceApi, CoordinatorReviewsWithReasonForRejection) {
  Client coord = h_.SignIn(Role::kCoordinator);
  auto ev = h_.InsertEvidence("Báo cáo", system_);
  const std::string path = "/api/v1/compliance/evidence/" + ev.id + "/review";
  EXPECT_TRUE(IsProblem(coord.Post(path, {{"decision", "reject"}}), 400, "/reason"));
  EXPECT_TRUE(IsProblem(coord.Post(path, {{"decision", "maybe"}}), 400, "/decision"));
  Response r = coord.Post(path, {{"decision", "reject"}, {"reason", "Thiếu chữ ký, con dấu"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Body(r)["review"], "rejected");
  EXPECT_EQ(Body(r)["review_reason"], "Thiếu chữ ký, con dấu");
  // The agency corrects it: the record goes back to review.
  Client staff = h_.SignIn(Role::kOrgStaff);
  Response p = staff.Patch("/api/v1/evidence/" + ev.id, {{"title", "Báo cáo (đã ký)"}}, "\"2\"");
  ASSERT_EQ(p.status, 200) << p.body;
  EXPECT_EQ(Body(p)["review"], "pending");
  EXPECT_EQ(Body(p)["review_reason"], "");
}

TEST_P(ComplianceApi, StatusAndScorecardStayInTheCallersScope) {
  Client mgr = h_.SignIn(Role::kOrgManager);
  Client coord = h_.SignIn(Role::kCoordinator);
  const std::set<std::string> subtree = [&] {
    auto ids = h_.Subtree(syt_);
    return std::set<std::string>(ids.begin(), ids.end());
  }();
  Response r = mgr.Get("/api/v1/compliance/status",
                       {{"at", "2026-12-31"}, {"state", "overdue"}, {"limit", "500"}});
  ASSERT_EQ(r.status, 200) << r.body;
  Json items = Body(r)["items"];
  ASSERT_FALSE(items.empty());
  for (const auto& row : items) {
    EXPECT_TRUE(subtree.count(row["org_id"].get<std::string>())) << row.dump();
    EXPECT_EQ(row["state"], "overdue");
    EXPECT_FALSE(row["rule_id"].get<std::string>().empty());
    EXPECT_FALSE(row["basis"]["document"].get<std::string>().empty());
    EXPECT_FALSE(row["missing"].get<std::string>().empty()) << row.dump();
  }
  Response all = coord.Get("/api/v1/compliance/status",
                           {{"at", "2026-12-31"}, {"state", "overdue"}, {"limit", "500"}});
  ASSERT_EQ(all.status, 200);
  EXPECT_GT(Body(all)["items"].size(), items.size());
  // Another organisation's subtree is not reachable through ?org=.
  EXPECT_EQ(mgr.Get("/api/v1/compliance/status", {{"org", h_.OrgId("Sở Tài chính")}}).status, 404);
  EXPECT_TRUE(IsProblem(mgr.Get("/api/v1/compliance/status", {{"at", "31/12/2026"}}), 400, "/at"));
  EXPECT_TRUE(IsProblem(mgr.Get("/api/v1/compliance/status", {{"state", "late"}}), 400, "/state"));

  Response card = mgr.Get("/api/v1/compliance/scorecard", {{"at", "2026-12-31"}});
  ASSERT_EQ(card.status, 200) << card.body;
  const Json card_body = Body(card);  // a named value: the loop below must not outlive it
  for (const auto& org : card_body["organisations"]) {
    EXPECT_TRUE(subtree.count(org["org_id"].get<std::string>()));
  }
  // Pages: limit and cursor walk the same rows.
  Response p1 = coord.Get("/api/v1/compliance/status", {{"at", "2026-12-31"}, {"limit", "3"}});
  ASSERT_EQ(p1.status, 200);
  ASSERT_TRUE(Body(p1)["next_cursor"].is_string());
  Response p2 = coord.Get("/api/v1/compliance/status",
                          {{"at", "2026-12-31"},
                           {"limit", "3"},
                           {"cursor", Body(p1)["next_cursor"].get<std::string>()}});
  ASSERT_EQ(p2.status, 200);
  EXPECT_NE(Body(p1)["items"][0], Body(p2)["items"][0]);
}

// The scorecard's trend (daily snapshots) covers the same organisations as the card: with ?org=
// the whole subtree (Sở Y tế and its hospitals), not the one organisation.
TEST_P(ComplianceApi, ScorecardTrendCoversTheSubtree) {
  auto packs = compliance::LoadPacks(std::string(UCSC_SOURCE_DIR) + "/data/rulepacks");
  ASSERT_TRUE(packs) << packs.error().ToString();
  const core::Instant at = core::EndOfLocalDay({2026, 12, 31});
  ASSERT_TRUE(compliance::TakeSnapshot(h_.store(), *packs, at));
  Client coord = h_.SignIn(Role::kCoordinator);
  for (const std::string& org : {syt_, std::string()}) {
    SCOPED_TRACE(org);
    Query q{{"at", "2026-12-31"}};
    if (!org.empty()) q.emplace("org", org);
    Response r = coord.Get("/api/v1/compliance/scorecard", q);
    ASSERT_EQ(r.status, 200) << r.body;
    const Json card = Body(r);
    ASSERT_EQ(card["trend"].size(), 1u) << r.body;
    const Json& day = card["trend"][0];
    EXPECT_EQ(day["day"], "2026-12-31");
    for (const char* k : {"ok", "due_soon", "overdue", "not_applicable"}) {
      EXPECT_EQ(day[k], card["overall"][k]) << k;
    }
    if (!org.empty()) {
      EXPECT_GT(card["organisations"].size(), 1u);
    }
  }
}

// Urging (đôn đốc, issue 4 point 4): recorded as a task of the organisation, delivered at once
// in the application to its manager and, through the job queue, by e-mail, once.
TEST_P(ComplianceApi, UrgingNotifiesTheManagerInAppAndQueuesOneEmail) {
  Client coord = h_.SignIn(Role::kCoordinator);
  Client manager = h_.SignIn(Role::kOrgManager);  // quanly.syt, of Sở Y tế
  Client staff = h_.SignIn(Role::kOrgStaff);
  Response r = coord.Post("/api/v1/compliance/urge",
                          Json{{"org_id", syt_},
                               {"message", "Đề nghị nộp báo cáo săn lùng mối nguy hại"},
                               {"rule_ids", {"R1"}},
                               {"due_date", "2026-06-15"}});
  ASSERT_EQ(r.status, 201) << r.body;
  const Json task = Body(r);
  EXPECT_EQ(task["kind"], "urging");
  EXPECT_EQ(task["notified_accounts"], 2);

  Response inbox = manager.Get("/api/v1/me/notifications");
  ASSERT_EQ(inbox.status, 200) << inbox.body;
  const Json in = Body(inbox);
  ASSERT_EQ(in["items"].size(), 1u) << inbox.body;
  const Json first = in["items"][0];
  EXPECT_EQ(first["kind"], "urging");
  EXPECT_EQ(first["org_id"], syt_);
  EXPECT_NE(first["body"].get<std::string>().find("R1"), std::string::npos);
  EXPECT_NE(first["body"].get<std::string>().find("15/06/2026"), std::string::npos);
  EXPECT_EQ(first["read"], false);
  EXPECT_EQ(in["unread"], 1);
  // canbo.syt is Sở Y tế's focal point (same e-mail address): notified too. The coordinator and
  // a responder are not: notifications are per account.
  EXPECT_EQ(Body(staff.Get("/api/v1/me/notifications"))["items"].size(), 1u);
  EXPECT_EQ(Body(coord.Get("/api/v1/me/notifications"))["items"].size(), 0u);
  EXPECT_EQ(Body(h_.SignIn(Role::kResponder).Get("/api/v1/me/notifications"))["items"].size(), 0u);

  // One e-mail job, sent once by the job's function.
  std::optional<core::Job> job;
  ASSERT_TRUE(h_.store().Write([&](store::Tx& tx) -> core::Status {
    UCSC_ASSIGN_OR_RETURN(job, tx.Jobs().Claim("test", h_.clock().Now(), std::chrono::minutes(1)));
    return core::Ok();
  }));
  ASSERT_TRUE(job.has_value());
  EXPECT_EQ(job->kind, "org_mail");
  auto payload = codec::ParseJson(job->payload);
  ASSERT_TRUE(payload);
  auto queued = outbox::OrgMailFromJson(*payload);
  ASSERT_TRUE(queued) << queued.error().ToString();
  EXPECT_EQ(queued->org_id, syt_);
  EXPECT_EQ(queued->key, "urging/" + task["id"].get<std::string>());
  notify::FakeNotifier mail;
  auto sent = outbox::SendOrgMail(h_.store(), mail, *queued, h_.clock().Now());
  ASSERT_TRUE(sent) << sent.error().ToString();
  EXPECT_TRUE(*sent);
  const std::vector<notify::Message> outbox = mail.Sent();  // a copy: Sent() returns by value
  ASSERT_EQ(outbox.size(), 1u);
  const notify::Message& m = outbox[0];
  EXPECT_NE(m.subject.find("Sở Y tế"), std::string::npos) << m.subject;
  EXPECT_NE(m.text_body.find("15/06/2026"), std::string::npos);
  std::string to;
  for (const auto& rcpt : m.to) to += rcpt.address + " ";
  EXPECT_EQ(to, "dungnt.syt@songhong.gov.vn toannh.syt@songhong.gov.vn ");
  sent = outbox::SendOrgMail(h_.store(), mail, *queued, h_.clock().Now());
  ASSERT_TRUE(sent);
  EXPECT_FALSE(*sent);  // a retried job never sends twice
  EXPECT_EQ(mail.Sent().size(), 1u);
}

TEST_P(ComplianceApi, NotificationsAreMarkedReadOnlyByTheirAccount) {
  Client coord = h_.SignIn(Role::kCoordinator);
  Client manager = h_.SignIn(Role::kOrgManager);
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(coord
                  .Post("/api/v1/compliance/urge",
                        Json{{"org_id", syt_}, {"message", "Lần " + std::to_string(i)}})
                  .status,
              201);
  }
  Json in = Body(manager.Get("/api/v1/me/notifications", {{"limit", "2"}}));
  ASSERT_EQ(in["items"].size(), 2u);
  ASSERT_TRUE(in["next_before"].is_string());
  Json rest = Body(
      manager.Get("/api/v1/me/notifications", {{"before", in["next_before"].get<std::string>()}}));
  ASSERT_EQ(rest["items"].size(), 1u);
  const std::string oldest = rest["items"][0]["id"];

  // Another account cannot mark them.
  Response other = coord.Post("/api/v1/me/notifications/read", Json{{"ids", {oldest}}});
  ASSERT_EQ(other.status, 200) << other.body;
  EXPECT_EQ(Body(other)["marked"], 0);
  Response mine = manager.Post("/api/v1/me/notifications/read", Json{{"ids", {oldest}}});
  EXPECT_EQ(Body(mine)["marked"], 1);
  EXPECT_EQ(Body(mine)["unread"], 2);
  EXPECT_EQ(Body(manager.Get("/api/v1/me/notifications", {{"unread", "true"}}))["items"].size(),
            2u);
  EXPECT_EQ(Body(manager.Post("/api/v1/me/notifications/read", Json{{"all", true}}))["marked"], 2);
  EXPECT_EQ(Body(manager.Get("/api/v1/me/notifications"))["unread"], 0);

  // Refusals.
  EXPECT_TRUE(IsProblem(manager.Post("/api/v1/me/notifications/read", Json::object()), 400));
  EXPECT_TRUE(IsProblem(
      manager.Post("/api/v1/me/notifications/read", Json{{"ids", {oldest}}, {"all", true}}), 400));
  EXPECT_TRUE(IsProblem(manager.Post("/api/v1/me/notifications/read", Json{{"ids", {"x'--"}}}), 400,
                        "/ids/0"));
  EXPECT_TRUE(
      IsProblem(manager.Get("/api/v1/me/notifications", {{"unread", "yes"}}), 400, "/unread"));
  EXPECT_TRUE(IsProblem(manager.Get("/api/v1/me/notifications", {{"limit", "0"}}), 400, "/limit"));
  EXPECT_TRUE(
      IsProblem(manager.Get("/api/v1/me/notifications", {{"before", "1"}}), 400, "/before"));
  EXPECT_TRUE(IsProblem(manager.Get("/api/v1/me/notifications", {{"x", "1"}}), 400, "/x"));
}

TEST_P(ComplianceApi, RulesListThePacksInForceAndWhatIsNotChecked) {
  Client auditor = h_.SignIn(Role::kAuditor, false);
  Response r = auditor.Get("/api/v1/compliance/rules");
  ASSERT_EQ(r.status, 200) << r.body;
  Json j = Body(r);
  EXPECT_EQ(j["packs"].size(), 2u);
  EXPECT_FALSE(j["unchecked"].empty());
  bool r1 = false;
  for (const auto& rule : j["rules"]) r1 = r1 || rule["id"] == "R1";
  EXPECT_TRUE(r1);
}

INSTANTIATE_TEST_SUITE_P(Backends, ComplianceApi, ::testing::ValuesIn(Backends()));

}  // namespace
}  // namespace ucsc::server::testing
