// Drill and plan-history routes (issue 15 points 1 and 3): a live-fire drill planned, run and
// closed over the API — If-Match on every change, closing refused while a finding is
// unclassified, the remediation and hunt tasks of a finding that allows intrusion opened at one
// instant (R6), R5 evidence for a live-fire drill and none for a tabletop exercise (R25) — and a
// plan's versions, their diff and the official documents (Decree 30/2020) of a plan and a drill.
#include "server/api_test_util.h"

namespace ucsc::server::testing {
namespace {

using core::Role;

Response PostIf(const Client& c, const std::string& path, const Json& body,
                std::optional<std::string> etag) {
  Request r;
  r.method = "POST";
  r.path = path;
  r.body = body.dump();
  r.headers["content-type"] = "application/json";
  if (etag) r.headers["if-match"] = *etag;
  return c.Send(std::move(r));
}

class DrillApi : public ::testing::TestWithParam<std::string> {
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

  Json PlannedBody(const std::string& kind = "live_fire") const {
    return Json{{"title", "Diễn tập tấn công mã hóa dữ liệu"},
                {"kind", kind},
                {"system_ids", {system_.id}},
                {"planned_start", "2026-06-10"},
                {"planned_end", "2026-06-12"},
                {"rules_of_engagement", "Chỉ tấn công trong giờ hành chính"},
                {"participants",
                 {{{"name", "Nguyễn Văn An"}, {"role", "lead"}},
                  {{"name", "Đội đỏ Công an tỉnh"}, {"role", "red_team"}},
                  {{"name", "Tổ ứng cứu Sở Y tế"}, {"role", "blue_team"}}}}};
  }

  std::vector<core::Evidence> DrillEvidence() {
    std::vector<core::Evidence> out;
    core::Status read = h_.store().Read([&](store::Tx& tx) -> core::Status {
      store::ListQuery q;
      q.limit = 500;
      UCSC_ASSIGN_OR_RETURN(auto page, tx.Evidence().List(q));
      for (const auto& e : page.items) {
        if (e.type == "drill_report" && e.subject_id == system_.id) out.push_back(e);
      }
      return core::Ok();
    });
    EXPECT_TRUE(read.has_value()) << read.error().ToString();
    return out;
  }

  std::vector<core::Task> DrillTasks(const std::string& drill_id) {
    std::vector<core::Task> out;
    EXPECT_TRUE(h_.store().Read([&](store::Tx& tx) -> core::Status {
      store::ListQuery q;
      q.limit = 500;
      UCSC_ASSIGN_OR_RETURN(auto page, tx.Tasks().List(q));
      for (const auto& t : page.items) {
        if (t.id.rfind(drill_id, 0) == 0) out.push_back(t);
      }
      return core::Ok();
    }));
    return out;
  }

  ApiHarness h_;
  std::string syt_;
  core::InformationSystem system_;
};

TEST_P(DrillApi, LiveFireDrillFromPlanningToClosingWithR5EvidenceAndR6Tasks) {
  Client staff = h_.SignIn(Role::kOrgStaff);
  Response created = staff.Post("/api/v1/drills", PlannedBody());
  ASSERT_EQ(created.status, 201) << created.body;
  Json drill = Body(created);
  const std::string id = drill["id"];
  const std::string path = "/api/v1/drills/" + id;
  EXPECT_EQ(drill["state"], "planned");
  EXPECT_EQ(drill["org_id"], syt_);
  EXPECT_EQ(created.Header("ETag"), "\"1\"");

  // Every change needs If-Match: 428 without, 412 when stale.
  EXPECT_TRUE(IsProblem(PostIf(staff, path + "/start", Json::object(), std::nullopt), 428));
  EXPECT_TRUE(IsProblem(PostIf(staff, path + "/start", Json::object(), "\"7\""), 412));
  Response started = PostIf(staff, path + "/start", Json::object(), "\"1\"");
  ASSERT_EQ(started.status, 200) << started.body;
  EXPECT_EQ(Body(started)["state"], "running");

  // The timeline: the red team acts, the blue team detects 25 minutes later and contains 50.
  std::string etag = started.Header("ETag");
  auto add = [&](const std::string& kind, const std::string& text) {
    Response r = PostIf(staff, path + "/timeline", Json{{"kind", kind}, {"text", text}}, etag);
    EXPECT_EQ(r.status, 200) << r.body;
    etag = r.Header("ETag");
    return r;
  };
  add("action", "Đội đỏ gửi thư lừa đảo có mã độc");
  h_.clock().Advance(std::chrono::minutes(25));
  add("detection", "Hệ thống giám sát cảnh báo kết nối lạ");
  h_.clock().Advance(std::chrono::minutes(25));
  Json contained = Body(add("containment", "Cô lập máy trạm bị nhiễm"));
  EXPECT_EQ(contained["time_to_detect_seconds"], 25 * 60);
  EXPECT_EQ(contained["time_to_contain_seconds"], 50 * 60);
  EXPECT_EQ(contained["timeline"][0]["actor"], "user:" + h_.Credential(Role::kOrgStaff).username);
  EXPECT_TRUE(
      IsProblem(PostIf(staff, path + "/timeline", Json{{"kind", "detection"}, {"text", " "}}, etag),
                400, "/timeline"));

  // Closing without a finding, or with an unclassified one, is refused and writes nothing.
  Json problems = contained["closing_problems"];
  ASSERT_EQ(problems.size(), 1U) << problems;
  EXPECT_TRUE(IsProblem(PostIf(staff, path + "/close", Json::object(), etag), 409));
  const core::User owner = h_.User(h_.Credential(Role::kOrgManager).username);
  Json finding{{"id", "f1"},
               {"system_id", system_.id},
               {"title", "Máy chủ chưa vá lỗ hổng cho phép thực thi mã từ xa"},
               {"category", "unclassified"},
               {"severity", "critical"},
               {"allows_intrusion", true},
               {"owner", owner.id},
               {"due_date", "2026-07-01"}};
  Response recorded = PostIf(staff, path + "/findings", finding, etag);
  ASSERT_EQ(recorded.status, 200) << recorded.body;
  etag = recorded.Header("ETag");
  const std::string before = h_.Dump();
  Response refused = PostIf(staff, path + "/close", Json::object(), etag);
  EXPECT_TRUE(IsProblem(refused, 409));
  EXPECT_NE(refused.body.find("f1"), std::string::npos) << refused.body;
  EXPECT_EQ(h_.Dump(), before) << "a refused close wrote something";
  EXPECT_TRUE(DrillEvidence().empty());

  // A finding on a system out of scope, or with a bad owner, names its field.
  Json out_of_scope = finding;
  out_of_scope["system_id"] = "nope";
  EXPECT_TRUE(IsProblem(PostIf(staff, path + "/findings", out_of_scope, etag), 400, "/system_id"));
  Json bad_owner = finding;
  bad_owner["owner"] = "nobody";
  EXPECT_TRUE(IsProblem(PostIf(staff, path + "/findings", bad_owner, etag), 400, "/owner"));

  // Classified as technology, it closes: remediation + hunt at one instant (R6), R5 evidence.
  finding["category"] = "technology";
  recorded = PostIf(staff, path + "/findings", finding, etag);
  ASSERT_EQ(recorded.status, 200) << recorded.body;
  EXPECT_EQ(Body(recorded)["findings"].size(), 1U);
  Response closed = PostIf(staff, path + "/close", Json::object(), recorded.Header("ETag"));
  ASSERT_EQ(closed.status, 200) << closed.body;
  EXPECT_EQ(Body(closed)["state"], "closed");
  auto tasks = DrillTasks(id);
  ASSERT_EQ(tasks.size(), 2U);
  EXPECT_EQ(tasks[0].created_at, tasks[1].created_at);
  EXPECT_EQ(DrillEvidence().size(), 1U);
  // Closed is final.
  EXPECT_TRUE(
      IsProblem(PostIf(staff, path + "/close", Json::object(), closed.Header("ETag")), 409));

  // Listed by year and state.
  Json list = Body(staff.Get("/api/v1/drills", {{"year", "2026"}, {"state", "closed"}}));
  ASSERT_EQ(list["items"].size(), 1U);
  EXPECT_EQ(Body(staff.Get("/api/v1/drills", {{"year", "2025"}}))["items"].size(), 0U);
  EXPECT_TRUE(IsProblem(staff.Get("/api/v1/drills", {{"year", "26"}}), 400, "/year"));
}

TEST_P(DrillApi, TabletopExerciseIsNotR5Evidence) {
  Client staff = h_.SignIn(Role::kOrgStaff);
  Response created = staff.Post("/api/v1/drills", PlannedBody("tabletop"));
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string path = "/api/v1/drills/" + Body(created)["id"].get<std::string>();
  Response r = PostIf(staff, path + "/start", Json::object(), "\"1\"");
  ASSERT_EQ(r.status, 200) << r.body;
  r = PostIf(staff, path + "/findings",
             Json{{"system_id", system_.id},
                  {"title", "Chưa rõ đầu mối báo cáo"},
                  {"category", "process"},
                  {"severity", "medium"},
                  {"owner", h_.User(h_.Credential(Role::kOrgStaff).username).id},
                  {"due_date", "2026-08-01"}},
             r.Header("ETag"));
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(PostIf(staff, path + "/close", Json::object(), r.Header("ETag")).status, 200);
  EXPECT_TRUE(DrillEvidence().empty()) << "R25: a tabletop exercise is not an R5 drill";
}

TEST_P(DrillApi, PlanningRefusesBadInputNamingTheField) {
  Client staff = h_.SignIn(Role::kOrgStaff);
  Json no_red = PlannedBody();
  no_red["participants"] = Json::array({{{"name", "Tổ ứng cứu"}, {"role", "blue_team"}}});
  EXPECT_TRUE(IsProblem(staff.Post("/api/v1/drills", no_red), 400, "/participants"));
  Json backwards = PlannedBody();
  backwards["planned_end"] = "2026-06-01";
  EXPECT_TRUE(IsProblem(staff.Post("/api/v1/drills", backwards), 400, "/planned_end"));
  Json server_key = PlannedBody();
  server_key["state"] = "closed";
  EXPECT_TRUE(IsProblem(staff.Post("/api/v1/drills", server_key), 400, "/state"));
  Json twice = PlannedBody();
  twice["system_ids"] = {system_.id, system_.id};
  EXPECT_TRUE(IsProblem(staff.Post("/api/v1/drills", twice), 400, "/system_ids"));
  auto other = h_.InsertSystem("Hệ thống ngân sách", h_.OrgId("Sở Tài chính"), 3);
  Json foreign = PlannedBody();
  foreign["system_ids"] = {other.id};
  EXPECT_TRUE(IsProblem(staff.Post("/api/v1/drills", foreign), 400, "/system_ids/0"));
  Json bad_kind = PlannedBody();
  bad_kind["kind"] = "paintball";
  EXPECT_TRUE(IsProblem(staff.Post("/api/v1/drills", bad_kind), 400, "/kind"));
  Json list = Body(staff.Get("/api/v1/drills"));
  EXPECT_EQ(list["items"].size(), 0U);
}

TEST_P(DrillApi, DrillsOfOtherOrganisationsAndLiaisonsSeeNothing) {
  Client staff = h_.SignIn(Role::kOrgStaff);
  Response created = staff.Post("/api/v1/drills", PlannedBody());
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = Body(created)["id"];
  EXPECT_TRUE(IsProblem(h_.SignIn(Role::kLiaison).Get("/api/v1/drills/" + id), 403));
  EXPECT_EQ(h_.SignIn(Role::kCoordinator).Get("/api/v1/drills/" + id).status, 200);
  EXPECT_TRUE(IsProblem(h_.SignIn(Role::kAuditor).Post("/api/v1/drills", PlannedBody()), 403));
}

TEST_P(DrillApi, DrillReportIsAnOfficialDocument) {
  Client staff = h_.SignIn(Role::kOrgStaff);
  Response created = staff.Post("/api/v1/drills", PlannedBody());
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string path = "/api/v1/drills/" + Body(created)["id"].get<std::string>();
  Response docx = staff.Get(path + "/report");
  ASSERT_EQ(docx.status, 200) << docx.body;
  EXPECT_EQ(docx.content_type,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  EXPECT_EQ(docx.body.substr(0, 2), "PK");
  EXPECT_NE(docx.Header("Content-Disposition").find(".docx"), std::string::npos);
  EXPECT_TRUE(IsProblem(staff.Get(path + "/report", {{"format", "odt"}}), 400, "/format"));
  EXPECT_TRUE(IsProblem(staff.Get(path + "/report", {{"colour", "red"}}), 400));
}

TEST_P(DrillApi, PlanVersionsDiffAndDocument) {
  Client staff = h_.SignIn(Role::kOrgStaff);
  Client manager = h_.SignIn(Role::kOrgManager);
  Response created = staff.Post("/api/v1/plans", Json{{"system_id", system_.id}});
  ASSERT_EQ(created.status, 201) << created.body;
  Json plan = Body(created);
  const std::string id = plan["id"];
  const std::string path = "/api/v1/plans/" + id;
  Json sections = Json::object();
  for (const auto& m : plan["completeness"]["missing"]) {
    sections[m["section_id"].get<std::string>()] =
        "Nội dung " + m["title"]["vi"].get<std::string>();
  }
  Response edited = staff.Patch(path, Json{{"sections", sections}}, "\"1\"");
  ASSERT_EQ(edited.status, 200) << edited.body;
  ASSERT_EQ(staff.Post(path + "/submit", Json::object()).status, 200);
  ASSERT_EQ(manager.Post("/api/v1/plan-approvals/" + id, Json{{"decision", "approve"}}).status,
            200);
  // An edit of the approved plan makes version 2.
  const std::string first = plan["completeness"]["missing"][0]["section_id"];
  Response v2 = staff.Patch(path, Json{{"sections", {{first, "Dòng mới\nDòng thứ hai"}}}},
                            staff.Get(path).Header("ETag"));
  ASSERT_EQ(v2.status, 200) << v2.body;
  EXPECT_EQ(Body(v2)["version"], 2);

  Json versions = Body(staff.Get(path + "/versions"));
  ASSERT_EQ(versions["items"].size(), 2U) << versions;
  EXPECT_EQ(versions["items"][0]["state"], "approved");
  EXPECT_EQ(versions["items"][1]["state"], "draft");

  Json diff = Body(staff.Get(path + "/diff"));
  EXPECT_EQ(diff["from_version"], 1);
  EXPECT_EQ(diff["to_version"], 2);
  ASSERT_EQ(diff["sections"].size(), 1U) << diff;
  EXPECT_EQ(diff["sections"][0]["section_id"], first);
  EXPECT_EQ(diff["sections"][0]["change"], "changed");
  EXPECT_TRUE(IsProblem(staff.Get(path + "/diff", {{"from", "9"}}), 400, "/from"));
  EXPECT_TRUE(IsProblem(staff.Get(path + "/diff", {{"to", "x"}}), 400, "/to"));

  Response doc = staff.Get(path + "/document", {{"version", "1"}});
  ASSERT_EQ(doc.status, 200) << doc.body;
  EXPECT_EQ(doc.body.substr(0, 2), "PK");
  EXPECT_NE(doc.Header("Content-Disposition").find("-v1.docx"), std::string::npos);
  EXPECT_TRUE(IsProblem(h_.SignIn(Role::kLiaison).Get(path + "/versions"), 403));
}

INSTANTIATE_TEST_SUITE_P(Backends, DrillApi, ::testing::ValuesIn(Backends()));

}  // namespace
}  // namespace ucsc::server::testing
