// Incident notices through the API (issue 14 §5, DOMAIN.md §3.3): a notice sent to each party a
// document requires satisfies its legal clock — R8 met a minute before the deadline, late a
// minute after; a received notice starts R12 and our acknowledgement meets it; Form 04 sent to
// the owner and the coordinating agency is what closing needs (R11); notices are on the
// timeline; bad notices are clean 4xx naming the field.
#include "incident/workflow.h"
#include "server/api_test_util.h"
#include "server/incident_test_util.h"

namespace ucsc::server::testing {
namespace {

using core::Role;
using std::chrono::hours;
using std::chrono::minutes;

// The shared incident fixture (incident_test_util.h): Sở Y tế, a level-3 system, and the
// steps every incident test takes through the API.
class IncidentNotices : public IncidentFixture {};

// Whether a problem's field is one of the server-set report times.
bool IsServerSetPointerOf(const Response& r) {
  const Json j = Body(r);
  if (!j.contains("errors") || j["errors"].empty()) return false;
  const std::string p = j["errors"][0]["pointer"];
  return p == "/reported_at" || p == "/initial_report/reported_at";
}

// R8 (TT20 Art 9.2a): detected 28/05 10:00 local, due at the end of 02/06 local. The last of the
// three notices one minute before the end → met; one minute after → late.
TEST_P(IncidentNotices, R8IsMetByTheNotificationToEveryPartyOneMinuteBeforeTheDeadline) {
  Client staff = h_.SignIn(Role::kOrgStaff);
  const core::Instant detected = T0() - hours(24 * 4);  // 28/05 10:00 local
  const std::string on_time = Create(staff, "Đúng hạn", detected);
  const std::string late = Create(staff, "Trễ hạn", detected);
  const core::Instant due = core::EndOfLocalDay({2026, 6, 2});
  Json r8 = ClockOf(staff, on_time, "notification");
  EXPECT_EQ(r8["state"], "running");
  EXPECT_EQ(r8["due_at"], core::FormatRfc3339Utc(due));

  h_.clock().Set(due + hours(30));

  staff = h_.SignIn(Role::kOrgStaff);  // the session idled out
  // Two of the three parties are not enough.
  ASSERT_EQ(Notice(staff, on_time, "notification", "owner", due - hours(3)).status, 201);
  ASSERT_EQ(Notice(staff, on_time, "notification", "national_coordinator", due - hours(2)).status,
            201);
  EXPECT_EQ(ClockOf(staff, on_time, "notification")["state"], "overdue");
  ASSERT_EQ(Notice(staff, on_time, "notification", "specialised_unit", due - minutes(1)).status,
            201);
  r8 = ClockOf(staff, on_time, "notification");
  EXPECT_EQ(r8["state"], "satisfied");
  EXPECT_EQ(r8["met"], true);
  EXPECT_EQ(r8["late"], false);
  EXPECT_EQ(r8["satisfied_at"], core::FormatRfc3339Utc(due - minutes(1)));

  SendAll(staff, late, "notification", kNotificationParties, due + minutes(1));
  r8 = ClockOf(staff, late, "notification");
  EXPECT_EQ(r8["state"], "satisfied");
  EXPECT_EQ(r8["late"], true);
  EXPECT_EQ(r8["met"], false);

  // The notices and their events are on the incident's timeline; reported_at is the time the
  // notification reached the last party.
  Json inc = Body(staff.Get("/api/v1/incidents/" + on_time));
  EXPECT_EQ(inc["notices"].size(), 3U);
  EXPECT_EQ(inc["reported_at"], core::FormatRfc3339Utc(due - minutes(1)));
  int sent = 0, notified = 0;
  for (const auto& e : inc["timeline"]) {
    sent += e["kind"] == "notice_sent" ? 1 : 0;
    notified += e["kind"] == "notification_sent" ? 1 : 0;
  }
  EXPECT_EQ(sent, 3);
  EXPECT_EQ(notified, 1);
  Json listed = Body(staff.Get("/api/v1/incidents/" + on_time + "/notices"));
  ASSERT_EQ(listed["items"].size(), 3U);
  EXPECT_EQ(listed["items"][0]["party_title"]["vi"], "Cơ quan chủ quản hệ thống thông tin");
  EXPECT_EQ(listed["items"][0]["acknowledged"], false);
}

// R12 (QĐ05 Art 12, TT20 Art 10): a notice received is acknowledged within the 24 h grace.
TEST_P(IncidentNotices, AReceivedNoticeStartsR12AndOurAcknowledgementMeetsIt) {
  Client staff = h_.SignIn(Role::kOrgStaff);
  const std::string id = Create(staff, "Lệnh điều phối", T0() - hours(5));
  Response in = staff.Post("/api/v1/incidents/" + id + "/notices",
                           Json{{"direction", "received"},
                                {"document", "coordination_order"},
                                {"party", "national_coordinator"},
                                {"channel", "system"},
                                {"at", core::FormatRfc3339Utc(T0() - hours(2))}});
  ASSERT_EQ(in.status, 201) << in.body;
  const std::string notice = Body(in)["notice"]["id"];
  Json r12 = ClockOf(staff, id, "acknowledgement");
  EXPECT_EQ(r12["state"], "running");
  EXPECT_EQ(r12["ref"], notice);
  EXPECT_EQ(r12["due_at"], core::FormatRfc3339Utc(T0() + hours(22)));
  h_.clock().Set(T0() + hours(23));
  staff = h_.SignIn(Role::kOrgStaff);  // the session idled out
  EXPECT_EQ(ClockOf(staff, id, "acknowledgement")["state"], "overdue");
  const std::string ack = "/api/v1/incidents/" + id + "/notices/" + notice + "/acknowledgement";
  EXPECT_TRUE(IsProblem(staff.Post(ack, Json{{"channel", "pigeon"}}), 400, "/channel"));
  EXPECT_TRUE(
      IsProblem(staff.Post(ack, Json{{"channel", "email"},
                                     {"at", core::FormatRfc3339Utc(T0() + hours(24))}}),  // future
                400, "/at"));
  Response ok = staff.Post(
      ack,
      Json{{"channel", "email"}, {"at", core::FormatRfc3339Utc(T0() + hours(22) - minutes(1))}});
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(Body(ok)["notice"]["acknowledged"], true);
  EXPECT_EQ(Body(ok)["notice"]["acknowledged_by"].get<std::string>().rfind("user:", 0), 0U);
  r12 = ClockOf(staff, id, "acknowledgement");
  EXPECT_EQ(r12["state"], "satisfied");
  EXPECT_EQ(r12["met"], true);
  EXPECT_TRUE(IsProblem(staff.Post(ack, Json{{"channel", "email"}}), 409));  // once
}

// A sent notice's acknowledgement names who acknowledged it and goes on the timeline.
TEST_P(IncidentNotices, TheRecipientsAcknowledgementOfASentNoticeIsRecorded) {
  Client staff = h_.SignIn(Role::kOrgStaff);
  const std::string id = Create(staff, "Xác nhận", T0() - hours(5));
  Response sent = Notice(staff, id, "notification", "national_coordinator", T0() - hours(1));
  ASSERT_EQ(sent.status, 201) << sent.body;
  const std::string ack = "/api/v1/incidents/" + id + "/notices/" +
                          Body(sent)["notice"]["id"].get<std::string>() + "/acknowledgement";
  EXPECT_TRUE(IsProblem(staff.Post(ack, Json{{"channel", "email"}}), 400, "/by"));
  EXPECT_TRUE(IsProblem(staff.Post(ack, Json{{"channel", "email"},
                                             {"by", "NCSC"},
                                             {"at", core::FormatRfc3339Utc(T0() - hours(2))}}),
                        400, "/at"));  // before the notice
  ASSERT_EQ(staff.Post(ack, Json{{"channel", "email"}, {"by", "Trực ban NCSC"}}).status, 200);
  Json inc = Body(staff.Get("/api/v1/incidents/" + id));
  bool received = false;
  for (const auto& e : inc["timeline"]) {
    received = received || (e["kind"] == "acknowledgement_received" && e["actor"] != "");
  }
  EXPECT_TRUE(received) << inc["timeline"].dump();
  EXPECT_EQ(inc["notices"][0]["acknowledged_by"], "Trực ban NCSC");
  EXPECT_TRUE(IsProblem(
      staff.Post("/api/v1/incidents/" + id + "/notices/" + h_.ids().Next() + "/acknowledgement",
                 Json{{"channel", "email"}, {"by", "x"}}),
      404));
}

TEST_P(IncidentNotices, BadNoticesAreRefusedNamingTheField) {
  Client staff = h_.SignIn(Role::kOrgStaff);
  const std::string id = Create(staff, "Sai", T0() - hours(5));
  const std::string path = "/api/v1/incidents/" + id + "/notices";
  Json good{{"direction", "sent"},
            {"document", "notification"},
            {"party", "owner"},
            {"channel", "email"}};
  auto with = [&](const char* key, Json value) {
    Json b = good;
    b[key] = std::move(value);
    return b;
  };
  EXPECT_TRUE(IsProblem(staff.Post(path, with("direction", "lost")), 400, "/direction"));
  EXPECT_TRUE(IsProblem(staff.Post(path, with("document", "form99")), 400, "/document"));
  EXPECT_TRUE(IsProblem(staff.Post(path, with("party", "vncert2")), 400, "/party"));
  EXPECT_TRUE(IsProblem(staff.Post(path, with("channel", "pigeon")), 400, "/channel"));
  EXPECT_TRUE(IsProblem(staff.Post(path, with("at", core::FormatRfc3339Utc(T0() + minutes(1)))),
                        400, "/at"));
  EXPECT_TRUE(
      IsProblem(staff.Post(path, with("at", core::FormatRfc3339Utc(T0() - hours(6)))), 400, "/at"));
  EXPECT_TRUE(IsProblem(staff.Post(path, with("colour", "red")), 400, "/colour"));
  EXPECT_EQ(Body(staff.Get(path))["items"].size(), 0U);
  Response ok = staff.Post(path, good);  // at = now
  ASSERT_EQ(ok.status, 201) << ok.body;
  EXPECT_EQ(Body(ok)["notice"]["at"], core::FormatRfc3339Utc(T0()));
  Json parties = Body(staff.Get("/api/v1/incident-recipients"));
  EXPECT_EQ(parties["pack"], "incident-recipients@2025.1");
  EXPECT_FALSE(parties["parties"].empty());
}

// R11 (TT20 Art 9.2b) and the workflow: the incident closes only after Form 04 reached the owner
// and the coordinating agency; the closing-report clock runs from the end of the response
// (step 3 of TT20) for 5 days.
TEST_P(IncidentNotices, ClosingNeedsForm04SentToOwnerAndCoordinatorWithinFiveDays) {
  Client staff = h_.SignIn(Role::kOrgStaff);
  const std::string id = Create(staff, "Đóng", T0() - hours(5));
  SendAll(staff, id, "notification", kNotificationParties, T0() - hours(1));
  CompleteSteps(staff, id, 3);  // response ended at T0 (01/06 10:00 local)
  Json r11 = ClockOf(staff, id, "closing_report");
  EXPECT_EQ(r11["state"], "running");
  EXPECT_EQ(r11["due_at"], core::FormatRfc3339Utc(core::EndOfLocalDay({2026, 6, 6})));
  const std::string t = "/api/v1/incidents/" + id + "/transitions";
  for (const auto& item :
       incident::WorkflowFor(incident::ProcessKind::kNormal).steps[3].checklist) {
    ASSERT_EQ(staff.Post(t, Json{{"action", "check_item"}, {"item", item.id}}).status, 200);
  }
  EXPECT_TRUE(
      IsProblem(staff.Post(t, Json{{"action", "close"}}), 409, "/closing_report/reported_at"));
  h_.clock().Set(core::EndOfLocalDay({2026, 6, 6}) + hours(1));
  staff = h_.SignIn(Role::kOrgStaff);  // the session idled out
  ASSERT_EQ(Notice(staff, id, "closing_report", "owner",
                   core::EndOfLocalDay({2026, 6, 6}) - minutes(10), "09/BC-SYT")
                .status,
            201);
  EXPECT_TRUE(IsProblem(staff.Post(t, Json{{"action", "close"}}), 409));  // one of two
  ASSERT_EQ(Notice(staff, id, "closing_report", "national_coordinator",
                   core::EndOfLocalDay({2026, 6, 6}) - minutes(1), "09/BC-SYT")
                .status,
            201);
  r11 = ClockOf(staff, id, "closing_report");
  EXPECT_EQ(r11["met"], true);
  Json inc = Body(staff.Get("/api/v1/incidents/" + id));
  EXPECT_EQ(inc["closing_report"]["reference_no"], "09/BC-SYT");
  Response closed = staff.Post(t, Json{{"action", "close"}});
  ASSERT_EQ(closed.status, 200) << closed.body;
  EXPECT_EQ(Body(closed)["state"], "closed");
}

// Issue 14 task 1 (R11, TT20 Art 9.2b): Form 04's time cannot be typed in. A PATCH of
// closing_report.reported_at (or of the other report times) is refused naming the field, in
// Vietnamese by default and in English on Accept-Language: en; the incident is unchanged and
// still cannot close; only Form 04 sent through POST …/notices lets it close.
TEST_P(IncidentNotices, ReportTimesAreServerSetAndAPatchCannotMeetR11) {
  Client staff = h_.SignIn(Role::kOrgStaff);
  const std::string id = Create(staff, "Không tự khai", T0() - hours(5));
  SendAll(staff, id, "notification", kNotificationParties, T0() - hours(1));
  CompleteSteps(staff, id, 3);
  const std::string t = "/api/v1/incidents/" + id + "/transitions";
  for (const auto& item :
       incident::WorkflowFor(incident::ProcessKind::kNormal).steps[3].checklist) {
    ASSERT_EQ(staff.Post(t, Json{{"action", "check_item"}, {"item", item.id}}).status, 200);
  }
  Response got = staff.Get("/api/v1/incidents/" + id);
  const std::string etag = got.Header("ETag");
  const std::string before = Body(got).dump();
  const std::string at = core::FormatRfc3339Utc(T0());
  Response vi =
      staff.Patch("/api/v1/incidents/" + id, Json{{"closing_report", {{"reported_at", at}}}}, etag);
  EXPECT_TRUE(IsProblem(vi, 400, "/closing_report/reported_at"));
  const std::string vi_detail = Body(vi)["errors"][0]["detail"];
  EXPECT_NE(vi_detail.find("closing_report.reported_at do hệ thống ghi nhận"), std::string::npos)
      << vi_detail;
  Request en;
  en.method = "PATCH";
  en.path = "/api/v1/incidents/" + id;
  en.body = Json{{"closing_report", {{"reported_at", at}, {"resolution", "x"}}}}.dump();
  en.headers["content-type"] = "application/json";
  en.headers["if-match"] = etag;
  en.headers["accept-language"] = "en-GB,en;q=0.9,vi;q=0.5";
  Response en_r = staff.Send(en);
  EXPECT_TRUE(IsProblem(en_r, 400, "/closing_report/reported_at"));
  EXPECT_EQ(Body(en_r)["title"], "Invalid input");
  const std::string en_detail = Body(en_r)["errors"][0]["detail"];
  EXPECT_NE(en_detail.find("closing_report.reported_at is set by the server"), std::string::npos)
      << en_detail;
  for (const Json& body :
       {Json{{"reported_at", at}}, Json{{"initial_report", {{"reported_at", at}}}}}) {
    Response r = staff.Patch("/api/v1/incidents/" + id, body, etag);
    EXPECT_TRUE(IsProblem(r, 400, "/")) << body.dump();
    EXPECT_TRUE(IsServerSetPointerOf(r)) << r.body;
  }
  Response same = staff.Get("/api/v1/incidents/" + id);
  EXPECT_EQ(same.Header("ETag"), etag);
  EXPECT_EQ(Body(same).dump(), before);
  EXPECT_EQ(Body(same)["closing_report"]["reported_at"], "");
  EXPECT_TRUE(
      IsProblem(staff.Post(t, Json{{"action", "close"}}), 409, "/closing_report/reported_at"));
  // Nor at intake.
  Json create{{"title", "x"},
              {"description", "y"},
              {"type", "malware"},
              {"detected_at", core::FormatRfc3339Utc(T0() - hours(1))},
              {"reported_at", at}};
  EXPECT_TRUE(IsProblem(staff.Post("/api/v1/incidents", create), 400, "/reported_at"));
  // The notices are the way.
  SendAll(staff, id, "closing_report", {"owner", "national_coordinator"}, T0());
  Response closed = staff.Post(t, Json{{"action", "close"}});
  ASSERT_EQ(closed.status, 200) << closed.body;
  EXPECT_EQ(Body(closed)["closing_report"]["reported_at"], at);
}

INSTANTIATE_TEST_SUITE_P(Backends, IncidentNotices, ::testing::ValuesIn(Backends()));

}  // namespace
}  // namespace ucsc::server::testing
