// Incident routes (issue 14): intake with an Idempotency-Key (replayed), the DOMAIN.md A minimum
// (R8), If-Match, the workflow enforced (no skipping, no closing without Form 04), R14
// reclassification onto QĐ05, observables validated per type and "seen elsewhere", the legal
// clocks and the overdue alert raised once (R8).
#include "incident/internal/repo.h"
#include "incident/workflow.h"
#include "server/api_test_util.h"

namespace ucsc::server::testing {
namespace {

using core::Role;

class IncidentApi : public ::testing::TestWithParam<std::string> {
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
    level3_ = h_.InsertSystem("Cổng thông tin Sở Y tế", syt_, 3);
    level4_ = h_.InsertSystem("Hệ thống khám chữa bệnh", syt_, 4);
  }

  Json Report(const std::string& title, const core::InformationSystem& sys,
              core::Instant detected) {
    return Json{{"title", title},
                {"description", "Máy chủ bị mã hóa dữ liệu, có thư đòi tiền chuộc"},
                {"type", "encryption"},
                {"detected_at", core::FormatRfc3339Utc(detected)},
                {"affected_systems", {{{"system_id", sys.id}}}},
                {"notification",
                 {{"reporter", {{"name", "Sở Y tế"}, {"address", "12 Lê Lợi"}}},
                  {"operator_name", "Trung tâm CNTT Sở Y tế"},
                  {"handling_result", "Đã cô lập máy chủ"}}}};
  }

  Response PostWithKey(const Client& c, const Json& body, const std::string& key) {
    Request r;
    r.method = "POST";
    r.path = "/api/v1/incidents";
    r.body = body.dump();
    r.headers["content-type"] = "application/json";
    r.headers["idempotency-key"] = key;
    return c.Send(r);
  }

  ApiHarness h_;
  std::string syt_;
  core::InformationSystem level3_, level4_;
};

// The module's tables round-trip through its repository and are in the logical backup.
TEST_P(IncidentApi, TheRepositoryRoundTripsAndTheTablesAreBackedUp) {
  incident::Incident inc;
  inc.id = h_.ids().Next();
  inc.org_id = syt_;
  inc.title = "Sự cố lưu trữ";
  inc.description = "Mô tả";
  inc.type = incident::IncidentType::kDos;
  inc.detected_at = h_.clock().Now();
  inc.version = 1;
  inc.created_at = inc.updated_at = h_.clock().Now();
  const incident::Event ev{incident::EventKind::kDetected, inc.detected_at, "", "test", ""};
  auto st = h_.store().Write([&](store::Tx& tx) -> core::Status {
    incident::internal::Repo repo(tx.Sql());
    UCSC_RETURN_IF_ERROR(repo.Insert(inc, false));
    UCSC_RETURN_IF_ERROR(repo.AppendEvents(inc.id, {ev}));
    UCSC_ASSIGN_OR_RETURN(bool fresh,
                          repo.MarkAlerted(inc.id, "notification", "", inc.detected_at));
    EXPECT_TRUE(fresh);
    UCSC_ASSIGN_OR_RETURN(bool again,
                          repo.MarkAlerted(inc.id, "notification", "", inc.detected_at));
    EXPECT_FALSE(again);
    return repo.RecordIdempotency("user:x", "k1", inc.id, inc.detected_at);
  });
  ASSERT_TRUE(st) << st.error().ToString();
  st = h_.store().Read([&](store::Tx& tx) -> core::Status {
    incident::internal::Repo repo(tx.Sql());
    UCSC_ASSIGN_OR_RETURN(auto back, repo.Get(inc.id, store::Scope::All()));
    EXPECT_EQ(back.title, inc.title);
    EXPECT_EQ(back.version, 1);
    UCSC_ASSIGN_OR_RETURN(auto events, repo.Events(inc.id));
    EXPECT_EQ(events, std::vector<incident::Event>{ev});
    UCSC_ASSIGN_OR_RETURN(auto key, repo.IdempotentIncident("user:x", "k1"));
    EXPECT_EQ(key, std::optional<std::string>(inc.id));
    EXPECT_FALSE(repo.Get(inc.id, store::Scope::Orgs({"other"})).has_value());
    return core::Ok();
  });
  ASSERT_TRUE(st) << st.error().ToString();
  const std::string dump = h_.Dump();
  for (const char* table :
       {"incidents", "incident_events", "incident_clock_alerts", "incident_idempotency"}) {
    EXPECT_NE(dump.find(table), std::string::npos) << table;
  }
  EXPECT_NE(dump.find("Sự cố lưu trữ"), std::string::npos);
}

TEST_P(IncidentApi, AReplayedIdempotencyKeyReturnsTheSameIncidentNeverASecond) {
  Client staff = h_.SignIn(Role::kOrgStaff);
  const Json body = Report("Mã độc tống tiền cổng thông tin", level3_, h_.clock().Now());
  Response first = PostWithKey(staff, body, "siem-4711");
  ASSERT_EQ(first.status, 201) << first.body;
  Json inc = Body(first);
  EXPECT_EQ(inc["org_id"], syt_);
  EXPECT_EQ(inc["process"], "normal");
  EXPECT_EQ(inc["affected_systems"][0]["level"], 3);  // from the inventory
  Response replay = PostWithKey(staff, body, "siem-4711");
  ASSERT_EQ(replay.status, 200) << replay.body;
  EXPECT_EQ(Body(replay)["id"], inc["id"]);
  EXPECT_EQ(replay.Header("Idempotent-Replayed"), "true");
  Response list = staff.Get("/api/v1/incidents", {{"q", "mã độc tống"}});
  ASSERT_EQ(list.status, 200) << list.body;
  ASSERT_EQ(Body(list)["items"].size(), 1U);
  EXPECT_EQ(Body(list)["items"][0]["id"], inc["id"]);
  // Another key is another incident.
  ASSERT_EQ(PostWithKey(staff, body, "siem-4712").status, 201);
  EXPECT_EQ(Body(staff.Get("/api/v1/incidents", {{"org_id", syt_}}))["items"].size(), 2U);
}

TEST_P(IncidentApi, IntakeNeedsTheNotificationFieldsOfDomainA) {
  Client staff = h_.SignIn(Role::kOrgStaff);
  Json body = Report("Thiếu đơn vị vận hành", level3_, h_.clock().Now());
  body["notification"].erase("operator_name");
  EXPECT_TRUE(IsProblem(staff.Post("/api/v1/incidents", body), 400, "/notification/operator_name"));
  body = Report("Tương lai", level3_, h_.clock().Now() + std::chrono::hours(2));
  EXPECT_TRUE(IsProblem(staff.Post("/api/v1/incidents", body), 400, "/detected_at"));
  body = Report("Loại lạ", level3_, h_.clock().Now());
  body["type"] = "alien";
  EXPECT_TRUE(IsProblem(staff.Post("/api/v1/incidents", body), 400, "/type"));
  EXPECT_EQ(Body(staff.Get("/api/v1/incidents"))["items"].size(), 0U);
}

TEST_P(IncidentApi, PatchNeedsTheCurrentETagAndReclassifiesOntoQd05) {
  Client mgr = h_.SignIn(Role::kOrgManager);
  Response r = mgr.Post("/api/v1/incidents",
                        Report("Tấn công hệ thống khám chữa bệnh", level4_, h_.clock().Now()));
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string id = Body(r)["id"];
  const std::string path = "/api/v1/incidents/" + id;
  EXPECT_EQ(Body(r)["classification"]["outcome"], "normal");  // no harm yet (R14.2)
  Json change = {{"harms", {"service_interruption"}}, {"capacity", "beyond_capacity"}};
  EXPECT_TRUE(IsProblem(mgr.Patch(path, change, "\"7\""), 412));
  Response p = mgr.Patch(path, change, r.Header("ETag"));
  ASSERT_EQ(p.status, 200) << p.body;
  Json inc = Body(p);
  EXPECT_EQ(inc["classification"]["outcome"], "serious");
  EXPECT_EQ(inc["process"], "serious");  // QĐ05 Art 14, seven steps
  ASSERT_FALSE(inc["classification"]["criteria"].empty());
  for (const auto& c : inc["classification"]["criteria"]) {
    EXPECT_FALSE(c["reason"]["vi"].get<std::string>().empty()) << c.dump();
  }
  // The classification is audited with each criterion's reason.
  int classified = 0;
  for (const auto& a : h_.AuditRecords()) {
    if (a.action == "classify" && a.object_id == id) ++classified;
  }
  EXPECT_EQ(classified, 2);  // at intake and after the change
  Json timeline = Body(mgr.Get(path))["timeline"];
  bool changed = false, possibly = false;
  for (const auto& e : timeline) {
    changed = changed || e["kind"] == "process_changed";
    possibly = possibly || e["kind"] == "beyond_capacity";
  }
  EXPECT_TRUE(changed) << timeline.dump();
  EXPECT_TRUE(possibly) << timeline.dump();
}

TEST_P(IncidentApi, TransitionsCannotSkipAStepOrCloseWithoutForm04) {
  Client staff = h_.SignIn(Role::kOrgStaff);
  Response r = staff.Post("/api/v1/incidents", Report("Bước", level3_, h_.clock().Now()));
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string t = "/api/v1/incidents/" + Body(r)["id"].get<std::string>() + "/transitions";
  EXPECT_TRUE(IsProblem(staff.Post(t, Json{{"action", "complete_step"}}), 409));
  EXPECT_TRUE(IsProblem(staff.Post(t, Json{{"action", "close"}}), 409));
  EXPECT_TRUE(IsProblem(staff.Post(t, Json{{"action", "jump"}}), 400, "/action"));
  EXPECT_TRUE(IsProblem(staff.Post(t, Json{{"action", "check_item"}, {"item", "9.z"}}), 400));
  Response ok = staff.Post(t, Json{{"action", "check_item"}, {"item", "1.a"}});
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(Body(ok)["checklist_done"], Json::array({"1.a"}));
}

TEST_P(IncidentApi, ObservablesAreValidatedPerTypeAndSeenInOtherIncidents) {
  Client staff = h_.SignIn(Role::kOrgStaff);
  auto make = [&](const std::string& title) {
    Response r = staff.Post("/api/v1/incidents", Report(title, level3_, h_.clock().Now()));
    EXPECT_EQ(r.status, 201) << r.body;
    return Body(r)["id"].get<std::string>();
  };
  const std::string a = make("Sự cố A"), b = make("Sự cố B");
  const std::string obs_a = "/api/v1/incidents/" + a + "/observables";
  for (const auto& [type, value] :
       std::vector<std::pair<std::string, std::string>>{{"ip", "300.1.2.3"},
                                                        {"cidr", "10.0.0.0/33"},
                                                        {"domain", "-bad-.example"},
                                                        {"url", "not a url"},
                                                        {"email", "no-at-sign"},
                                                        {"md5", "abc"},
                                                        {"sha1", "zz"},
                                                        {"sha256", "1234"},
                                                        {"registry_key", "NOTAHIVE\\x"},
                                                        {"file_name", ""},
                                                        {"user_account", ""},
                                                        {"process", ""}}) {
    SCOPED_TRACE(type);
    Json body = {{"observables", {{{"type", type}, {"value", value}}}}};
    EXPECT_TRUE(IsProblem(staff.Post(obs_a, body), 400, "/observables/0/value"));
  }
  EXPECT_TRUE(
      IsProblem(staff.Post(obs_a, Json{{"observables", {{{"type", "ipv9"}, {"value", "1"}}}}}), 400,
                "/observables/0/type"));
  Json good = {{"observables", {{{"type", "ip"}, {"value", "203.0.113[.]7"}}}}};
  ASSERT_EQ(staff.Post(obs_a, good).status, 201);
  Response again = staff.Post(obs_a, good);  // the same value twice is kept once
  ASSERT_EQ(again.status, 201);
  EXPECT_TRUE(Body(again)["added"].empty());
  ASSERT_EQ(staff.Post("/api/v1/incidents/" + b + "/observables", good).status, 201);
  Json list = Body(staff.Get(obs_a));
  ASSERT_EQ(list["items"].size(), 1U);
  EXPECT_EQ(list["items"][0]["value"], "203.0.113.7");  // refanged, normalised
  EXPECT_EQ(list["items"][0]["defanged"], "203[.]0[.]113[.]7");
  ASSERT_EQ(list["items"][0]["seen_in_incidents"].size(), 1U);
  EXPECT_EQ(list["items"][0]["seen_in_incidents"][0]["incident_id"], b);
}

TEST_P(IncidentApi, AnOverdueNotificationClockIsAlertedOnce) {
  Client staff = h_.SignIn(Role::kOrgStaff);
  Client mgr = h_.SignIn(Role::kOrgManager);
  // Detected 6 days ago and never notified: R8 (5 days) is overdue.
  Response r = staff.Post(
      "/api/v1/incidents",
      Report("Quá hạn thông báo", level3_, h_.clock().Now() - std::chrono::hours(24 * 6)));
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string id = Body(r)["id"];
  Response clocks = staff.Get("/api/v1/incidents/" + id + "/clocks");
  ASSERT_EQ(clocks.status, 200) << clocks.body;
  Json notification;
  const Json clock_items = Body(clocks)["items"];  // a named copy: the body is a temporary
  for (const auto& c : clock_items) {
    if (c["clock_id"] == "notification") notification = c;
  }
  ASSERT_FALSE(notification.is_null()) << clocks.body;
  EXPECT_EQ(notification["rule"], "R8");
  EXPECT_EQ(notification["state"], "overdue");
  EXPECT_FALSE(notification["started_at"].is_null());
  EXPECT_FALSE(notification["due_at"].is_null());

  const capability::JobSpec* job = nullptr;
  for (const auto& j : h_.registry().jobs()) {
    if (j.kind == "incident_clocks") job = &j;
  }
  ASSERT_NE(job, nullptr);
  auto count_alerts = [&] {
    int n = 0;
    const Json items = Body(mgr.Get("/api/v1/me/notifications"))["items"];
    for (const auto& item : items) {
      if (item["kind"] == "incident_clock") ++n;
    }
    return n;
  };
  core::Job run;
  run.kind = "incident_clocks";
  ASSERT_TRUE(job->run(run, h_.store()));
  const int first = count_alerts();
  EXPECT_GE(first, 1);
  ASSERT_TRUE(job->run(run, h_.store()));
  EXPECT_EQ(count_alerts(), first);  // once per clock, not every run
  int audited = 0;
  for (const auto& a : h_.AuditRecords()) {
    if (a.action == "clock_overdue" && a.object_id == id) ++audited;
  }
  EXPECT_GE(audited, 1);
}

TEST_P(IncidentApi, OrganisationsSeeOnlyTheirSubtreesIncidents) {
  Client staff = h_.SignIn(Role::kOrgStaff);
  Client coord = h_.SignIn(Role::kCoordinator);
  const std::string other = h_.InsertOrg("Sở Xây dựng thử", "").id;
  auto sys = h_.InsertSystem("Hệ thống của sở khác", other, 2);
  Response r = coord.Post("/api/v1/incidents", [&] {
    Json b = Report("Sự cố sở khác", sys, h_.clock().Now());
    b["org_id"] = other;
    return b;
  }());
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string id = Body(r)["id"];
  EXPECT_TRUE(IsProblem(staff.Get("/api/v1/incidents/" + id), 404));
  EXPECT_EQ(Body(staff.Get("/api/v1/incidents"))["items"].size(), 0U);
  EXPECT_EQ(Body(coord.Get("/api/v1/incidents"))["items"].size(), 1U);
}

// Issue 14 task 2: GET /api/v1/incident-workflows is the server's own table (workflow.h), TT20
// Art 11 in 4 steps and QĐ05 Art 14 in 7, every step's checklist with its required flag, in
// Vietnamese by default and in English on Accept-Language: en.
TEST_P(IncidentApi, TheWorkflowsRouteIsTheServersTableInBothLanguages) {
  Client staff = h_.SignIn(Role::kOrgStaff);
  auto check = [&](const Response& r, bool en) {
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.Header("Content-Language"), en ? "en" : "vi");
    const Json j = Body(r);
    EXPECT_EQ(j["lang"], en ? "en" : "vi");
    const Json& items = j["items"];
    ASSERT_EQ(items.size(), 2U);
    size_t index = 0;
    for (auto kind : {incident::ProcessKind::kNormal, incident::ProcessKind::kSerious}) {
      const incident::Workflow& w = incident::WorkflowFor(kind);
      const Json& p = items[index++];
      EXPECT_EQ(p["process"], std::string(incident::ProcessKindName(kind)));
      EXPECT_EQ(p["title"], en ? w.title.en : w.title.vi);
      EXPECT_EQ(p["basis"], w.basis);
      EXPECT_EQ(p["response_ends_after"], w.response_ends_after);
      ASSERT_EQ(p["steps"].size(), w.steps.size());
      for (size_t s = 0; s < w.steps.size(); ++s) {
        const Json step = p["steps"][s];
        EXPECT_EQ(step["number"], static_cast<int>(s) + 1);
        EXPECT_EQ(step["title"], en ? w.steps[s].title.en : w.steps[s].title.vi);
        ASSERT_EQ(step["checklist"].size(), w.steps[s].checklist.size());
        for (size_t i = 0; i < w.steps[s].checklist.size(); ++i) {
          const auto& item = w.steps[s].checklist[i];
          EXPECT_EQ(step["checklist"][i]["id"], item.id);
          EXPECT_EQ(step["checklist"][i]["required"], item.required);
          EXPECT_EQ(step["checklist"][i]["text"], en ? item.text.en : item.text.vi);
        }
      }
    }
    EXPECT_EQ(items[0]["steps"].size(), 4U);
    EXPECT_EQ(items[1]["steps"].size(), 7U);
  };
  Response vi = staff.Get("/api/v1/incident-workflows");
  check(vi, false);
  const Json normal = Body(vi)["items"][0];
  EXPECT_EQ(normal["title"], "Quy trình ứng cứu sự cố thông thường");
  EXPECT_EQ(normal["steps"][0]["checklist"][4]["id"], "1.đ");
  EXPECT_EQ(normal["steps"][0]["checklist"][3]["required"], false);  // 1.d: when needed
  Request en;
  en.method = "GET";
  en.path = "/api/v1/incident-workflows";
  en.headers["accept-language"] = "en-US,en;q=0.8";
  check(staff.Send(en), true);
  EXPECT_TRUE(IsProblem(staff.Get("/api/v1/incident-workflows", {{"process", "normal"}}), 400));
  EXPECT_EQ(h_.SignIn(Role::kAuditor).Get("/api/v1/incident-workflows").status, 200);
}

INSTANTIATE_TEST_SUITE_P(Backends, IncidentApi, ::testing::ValuesIn(Backends()));

}  // namespace
}  // namespace ucsc::server::testing
