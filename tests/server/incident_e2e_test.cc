// End to end through the API with a fake clock (issue 14 task 4): a ransomware incident on a
// level-3 system driven through the four TT20 steps (Art 11) and a serious incident (R14,
// QĐ05 Art 9) on a level-4 system through the QĐ05 procedure (Art 14) to its seventh step,
// asserting every legal clock as it starts, falls due, goes overdue and is satisfied (R8–R12,
// R15), every acknowledgement (R12), the content of Form 03 and Form 04 and the audit trail.
#include <algorithm>
#include <optional>
#include <pugixml.hpp>
#include <string>
#include <vector>

#include "incident/workflow.h"
#include "report/docx_test_util.h"
#include "server/api_test_util.h"
#include "server/incident_test_util.h"

namespace ucsc::server::testing {
namespace {

using core::Role;
using std::chrono::hours;
using std::chrono::minutes;

std::string DocxText(const std::string& bytes) {
  auto parts = report::testing::Unzip(bytes);
  pugi::xml_document xml;
  EXPECT_TRUE(xml.load_string(parts["word/document.xml"].c_str()));
  std::string out;
  for (const auto& p : xml.select_nodes("//w:p")) {
    out += report::testing::ParagraphText(p.node()) + "\n";
  }
  return out;
}

std::string Utc(core::Instant t) { return core::FormatRfc3339Utc(t); }

class IncidentEndToEnd : public IncidentFixture {
 protected:
  // Moves the clock to `at` and signs in again (the session idles out).
  Client At(core::Instant at) {
    h_.clock().Set(at);
    return h_.SignIn(Role::kOrgStaff);
  }

  Response PatchIncident(const Client& c, const std::string& id, const Json& change) {
    const Json inc = Body(c.Get("/api/v1/incidents/" + id));
    return c.Patch("/api/v1/incidents/" + id, change, capability::ETag(inc["version"].get<int>()));
  }

  Response Received(const Client& c, const std::string& id, const std::string& document,
                    core::Instant at) {
    return c.Post("/api/v1/incidents/" + id + "/notices", Json{{"direction", "received"},
                                                               {"document", document},
                                                               {"party", "national_coordinator"},
                                                               {"channel", "system"},
                                                               {"at", Utc(at)}});
  }

  Response Acknowledge(const Client& c, const std::string& id, const std::string& notice,
                       const Json& body) {
    return c.Post("/api/v1/incidents/" + id + "/notices/" + notice + "/acknowledgement", body);
  }

  // The id of the notice of `document` sent to `party`.
  std::string SentNotice(const Client& c, const std::string& id, const std::string& document,
                         const std::string& party) {
    const Json items = Body(c.Get("/api/v1/incidents/" + id + "/notices"))["items"];
    for (const auto& n : items) {
      if (n["direction"] == "sent" && n["document"] == document && n["party"] == party) {
        return n["id"];
      }
    }
    ADD_FAILURE() << "no " << document << " sent to " << party;
    return "";
  }

  // Asserts a clock's state, start and due instants.
  void ExpectClock(const Client& c, const std::string& id, const std::string& clock,
                   const std::string& state, std::optional<core::Instant> started = std::nullopt,
                   std::optional<core::Instant> due = std::nullopt) {
    SCOPED_TRACE(clock);
    const Json j = ClockOf(c, id, clock);
    EXPECT_EQ(j["state"], state) << j.dump();
    if (started) {
      EXPECT_EQ(j["started_at"], Utc(*started)) << j.dump();
    }
    if (due) {
      EXPECT_EQ(j["due_at"], Utc(*due)) << j.dump();
    }
  }

  // Checks every item of the current (last) step; closing is then the only step left.
  void CheckItems(const Client& c, const std::string& id) {
    const Json inc = Body(c.Get("/api/v1/incidents/" + id));
    const auto& wf =
        incident::WorkflowFor(inc["process"] == "serious" ? incident::ProcessKind::kSerious
                                                          : incident::ProcessKind::kNormal);
    for (const auto& item : wf.steps[static_cast<size_t>(inc["step"].get<int>()) - 1].checklist) {
      Response r = c.Post("/api/v1/incidents/" + id + "/transitions",
                          Json{{"action", "check_item"}, {"item", item.id}});
      ASSERT_EQ(r.status, 200) << r.body;
    }
  }

  // The audit actions on incident `id`, in order.
  std::vector<std::string> AuditActions(const std::string& id) {
    std::vector<std::string> out;
    for (const auto& a : h_.AuditRecords()) {
      if (a.object_id == id) out.push_back(a.action);
    }
    return out;
  }

  static int CountOf(const std::vector<std::string>& v, const std::string& s) {
    return static_cast<int>(std::count(v.begin(), v.end(), s));
  }

  // Kinds of the incident's timeline events.
  std::vector<std::string> Timeline(const Client& c, const std::string& id) {
    std::vector<std::string> out;
    const Json events = Body(c.Get("/api/v1/incidents/" + id))["timeline"];
    for (const auto& e : events) out.push_back(e["kind"]);
    return out;
  }

  // What Form 03 needs beyond the notification (DOMAIN.md C).
  static Json Form03Facts() {
    return Json{{"notification",
                 {{"reporter", {{"phone", "0208 3855 111"}, {"email", "syt@songhong.gov.vn"}}}}},
                {"initial_report",
                 {{"contact",
                   {{"name", "Trần Thị Bình"},
                    {"position", "Trưởng phòng CNTT"},
                    {"phone", "0912 345 678"},
                    {"email", "binhtt@songhong.gov.vn"}}},
                  {"status", "not_handled"},
                  {"detected_by_log_review", true},
                  {"notified_coordinating_agency", true},
                  {"os", "Windows Server 2019"},
                  {"public_ips", {"203.0.113.5"}}}}};
  }

  static Json Form04Facts() {
    return Json{{"closing_report",
                 {{"what_happened", "Mã độc LockBit xâm nhập qua dịch vụ RDP để ngỏ"},
                  {"resolution", "Gỡ mã độc, khôi phục từ bản sao lưu, đóng RDP ra Internet"},
                  {"proposals", "Rà quét cổng dịch vụ định kỳ"},
                  {"attachments", {"Nhật ký tường lửa"}}}}};
  }
};

// TT20 (normal process): ransomware on a level-3 system. R8 and R10 met, R12 overdue then met
// late, R15 overdue then stopped late, R9 and R11 met; Form 03 and Form 04 from the case; closed.
TEST_P(IncidentEndToEnd, RansomwareOnALevel3SystemThroughTheFourTt20Steps) {
  const core::Instant detected = T0() - hours(2);  // 01/06/2026 08:00 local
  Client staff = At(T0());
  const std::string id = Create(staff, "Mã độc tống tiền cổng thông tin Sở Y tế", detected);
  const std::string path = "/api/v1/incidents/" + id;
  Json inc = Body(staff.Get(path));
  EXPECT_EQ(inc["process"], "normal");
  EXPECT_EQ(inc["step"], 1);
  EXPECT_EQ(inc["affected_systems"][0]["level"], 3);
  EXPECT_EQ(inc["classification"]["outcome"], "normal");  // level 3: R14.1 fails
  // R8 runs from the detection to the end of the 5th day; R15 from the intake, every 24 h.
  ExpectClock(staff, id, "notification", "running", detected, core::EndOfLocalDay({2026, 6, 6}));
  ExpectClock(staff, id, "progress_report", "running", T0(), T0() + hours(24));
  ExpectClock(staff, id, "initial_report", "not_started");
  ExpectClock(staff, id, "closing_report", "not_started");
  ExpectClock(staff, id, "follow_up", "not_started");

  // 11:00: beyond capacity → R10 (Form 03 "immediately", 24 h grace).
  staff = At(T0() + hours(1));
  Json facts = Form03Facts();
  facts["capacity"] = "beyond_capacity";
  ASSERT_EQ(PatchIncident(staff, id, facts).status, 200);
  ExpectClock(staff, id, "initial_report", "running", T0() + hours(1), T0() + hours(25));
  Response form03 = staff.Get(path + "/documents/form03", {{"number", "15"}});
  ASSERT_EQ(form03.status, 200) << form03.body.substr(0, 400);
  const std::string f03 = DocxText(form03.body);
  for (const char* want :
       {"Số: 15/BC-SYT", "Ban đầu sự cố mạng: Mã độc tống tiền cổng thông tin Sở Y tế",
        "Trần Thị Bình", "0912 345 678", "binhtt@songhong.gov.vn", "Trung tâm CNTT Sở Y tế",
        "Cấp độ 3", "Mã hóa phần mềm, dữ liệu, thiết bị", "01/06/2026", "08:00", "Chưa được xử lý",
        "Qua kiểm tra nhật ký", "Cơ quan điều phối quốc gia", "Windows Server 2019", "203.0.113.5",
        "Thời gian báo cáo (*)"}) {
    EXPECT_NE(f03.find(want), std::string::npos) << want << "\n" << f03;
  }

  // 12:00: Form 03 and the notification reach every party → R10 and R8 met.
  staff = At(T0() + hours(2));
  SendAll(staff, id, "initial_report", {"owner", "specialised_unit", "national_coordinator"},
          T0() + hours(2), "15/BC-SYT");
  SendAll(staff, id, "notification", kNotificationParties, T0() + hours(2), "14/TB-SYT");
  for (const char* clock : {"initial_report", "notification"}) {
    const Json j = ClockOf(staff, id, clock);
    EXPECT_EQ(j["state"], "satisfied") << clock;
    EXPECT_EQ(j["met"], true) << clock;
    EXPECT_EQ(j["satisfied_at"], Utc(T0() + hours(2))) << clock;
  }
  inc = Body(staff.Get(path));
  EXPECT_EQ(inc["reported_at"], Utc(T0() + hours(2)));
  EXPECT_EQ(inc["initial_report"]["reported_at"], Utc(T0() + hours(2)));
  EXPECT_EQ(inc["initial_report"]["reference_no"], "15/BC-SYT");
  // The coordinating agency acknowledges the notification (R12, the receiver's duty).
  const std::string to_ncsc = SentNotice(staff, id, "notification", "national_coordinator");
  Response ack = Acknowledge(
      staff, id, to_ncsc, Json{{"channel", "system"}, {"by", "Trực ban Trung tâm ANM quốc gia"}});
  ASSERT_EQ(ack.status, 200) << ack.body;
  EXPECT_EQ(Body(ack)["notice"]["acknowledged"], true);
  EXPECT_EQ(Body(ack)["notice"]["acknowledged_at"], Utc(T0() + hours(2)));

  // 13:00: a coordination order (Form 06) arrives → R12 runs for it, 24 h.
  staff = At(T0() + hours(3));
  Response order = Received(staff, id, "coordination_order", T0() + hours(3));
  ASSERT_EQ(order.status, 201) << order.body;
  const std::string order_id = Body(order)["notice"]["id"];
  ExpectClock(staff, id, "acknowledgement", "running", T0() + hours(3), T0() + hours(27));
  EXPECT_EQ(ClockOf(staff, id, "acknowledgement")["ref"], order_id);

  // Next day 14:00: nobody acknowledged the order, no progress report → R12 and R15 overdue.
  staff = At(T0() + hours(28));
  ExpectClock(staff, id, "acknowledgement", "overdue");
  ExpectClock(staff, id, "progress_report", "overdue");
  ExpectClock(staff, id, "notification", "satisfied");
  ack = Acknowledge(staff, id, order_id, Json{{"channel", "email"}});
  ASSERT_EQ(ack.status, 200) << ack.body;
  Json r12 = ClockOf(staff, id, "acknowledgement");
  EXPECT_EQ(r12["state"], "satisfied");
  EXPECT_EQ(r12["late"], true);
  EXPECT_EQ(r12["met"], false);
  ASSERT_EQ(PatchIncident(staff, id,
                          Json{{"progress",
                                {{{"at", Utc(T0() + hours(4))},
                                  {"description", "Xác định mã độc LockBit trên 2 máy chủ"}}}}})
                .status,
            200);
  SendAll(staff, id, "progress_report", {"owner", "specialised_unit"}, T0() + hours(28));
  ExpectClock(staff, id, "progress_report", "running");

  // Steps 1–3 (TT20 Art 11.1–11.3): the response ends → R9 (24 h) and R11 (5 days) start; R15
  // stops, late (a gap of more than 24 h).
  CompleteSteps(staff, id, 3);
  inc = Body(staff.Get(path));
  EXPECT_EQ(inc["state"], "response_ended");
  EXPECT_EQ(inc["step"], 4);
  ExpectClock(staff, id, "follow_up", "running", T0() + hours(28), T0() + hours(52));
  ExpectClock(staff, id, "closing_report", "running", T0() + hours(28),
              core::EndOfLocalDay({2026, 6, 7}));
  Json r15 = ClockOf(staff, id, "progress_report");
  EXPECT_EQ(r15["state"], "satisfied");
  EXPECT_EQ(r15["late"], true);

  // 15:00: the follow-up to the three parties → R9 met.
  staff = At(T0() + hours(29));
  SendAll(staff, id, "follow_up", kNotificationParties, T0() + hours(29));
  EXPECT_EQ(ClockOf(staff, id, "follow_up")["met"], true);

  // Step 4 (review): every item checked, yet no closing without Form 04 (R11).
  CheckItems(staff, id);
  const std::string t = path + "/transitions";
  EXPECT_TRUE(
      IsProblem(staff.Post(t, Json{{"action", "close"}}), 409, "/closing_report/reported_at"));
  ASSERT_EQ(PatchIncident(staff, id, Form04Facts()).status, 200);

  // 03/06 10:00: Form 04 to the owner and the coordinating agency → R11 met; the DOCX cites
  // Form 03 and carries the handling result.
  staff = At(T0() + hours(48));
  SendAll(staff, id, "closing_report", {"owner", "national_coordinator"}, T0() + hours(48),
          "21/BC-SYT");
  Json r11 = ClockOf(staff, id, "closing_report");
  EXPECT_EQ(r11["state"], "satisfied");
  EXPECT_EQ(r11["met"], true);
  EXPECT_EQ(r11["satisfied_at"], Utc(T0() + hours(48)));
  Response form04 = staff.Get(path + "/documents/form04");
  ASSERT_EQ(form04.status, 200) << form04.body.substr(0, 400);
  const std::string f04 = DocxText(form04.body);
  for (const char* want :
       {"Kết thúc ứng phó sự cố: Mã độc tống tiền cổng thông tin Sở Y tế", "15/BC-SYT",
        "Ngày báo cáo ban đầu", "01/06/2026", "Trung tâm CNTT Sở Y tế", "Cấp độ 3",
        "Mã độc LockBit xâm nhập qua dịch vụ RDP để ngỏ",
        "Gỡ mã độc, khôi phục từ bản sao lưu, đóng RDP ra Internet", "Rà quét cổng dịch vụ định kỳ",
        "Nhật ký tường lửa", "Sở Y tế tỉnh"}) {
    EXPECT_NE(f04.find(want), std::string::npos) << want << "\n" << f04;
  }
  Response closed = staff.Post(t, Json{{"action", "close"}});
  ASSERT_EQ(closed.status, 200) << closed.body;
  EXPECT_EQ(Body(closed)["state"], "closed");
  EXPECT_EQ(Body(closed)["closing_report"]["reference_no"], "21/BC-SYT");
  EXPECT_EQ(Body(closed)["allowed_actions"], Json::array({"reopen"}));

  // Every clock ends satisfied: R8–R11 in time, R12 and R15 late.
  const Json clocks = Body(staff.Get(path + "/clocks"))["items"];
  for (const auto& c : clocks) {
    EXPECT_EQ(c["state"], "satisfied") << c.dump();
    const bool late = c["clock_id"] == "acknowledgement" || c["clock_id"] == "progress_report";
    EXPECT_EQ(c["late"], late) << c.dump();
  }
  // The timeline and the notices.
  const auto timeline = Timeline(staff, id);
  for (const char* kind : {"detected", "response_started", "beyond_capacity", "initial_report_sent",
                           "notification_sent", "acknowledgement_received", "notice_received",
                           "acknowledgement_sent", "progress_report_sent", "response_ended",
                           "follow_up_sent", "closing_report_sent", "closed"}) {
    EXPECT_EQ(CountOf(timeline, kind), 1) << kind;
  }
  EXPECT_EQ(CountOf(timeline, "step_completed"), 4);
  EXPECT_EQ(CountOf(timeline, "notice_sent"), 13);
  // The audit trail: every change audited in order, the chain intact.
  const auto audit = AuditActions(id);
  ASSERT_FALSE(audit.empty());
  EXPECT_EQ(audit.front(), "create");
  EXPECT_EQ(audit.back(), "close");
  EXPECT_EQ(CountOf(audit, "notice"), 14);  // 13 sent, 1 received
  EXPECT_EQ(CountOf(audit, "acknowledge_notice"), 2);
  EXPECT_EQ(CountOf(audit, "complete_step"), 3);
  EXPECT_EQ(CountOf(audit, "update"), 3);
  EXPECT_GE(CountOf(audit, "classify"), 1);
  EXPECT_EQ(CountOf(audit, "check_item"), 15);  // 6 + 3 + 3 + 3 items
  auto verified = h_.store().Read([](store::Tx& tx) -> core::Status {
    UCSC_ASSIGN_OR_RETURN(auto report, tx.Audit().Verify());
    if (!report.ok()) return core::Internal(report.problems.front());
    return core::Ok();
  });
  EXPECT_TRUE(verified) << verified.error().ToString();
}

// QĐ05 (serious process): a level-4 system interrupted and beyond the owner's capacity is a
// serious incident (R14) from intake, on the seven-step procedure at step 3 (steps 1–2, detect
// and classify, are the intake and the R14 classification); R10 met, R8 overdue and met late,
// R12 met, steps 3–7 done, Form 04 sent, closed.
TEST_P(IncidentEndToEnd, SeriousIncidentOnALevel4SystemThroughTheSevenQd05Steps) {
  const core::InformationSystem level4 = h_.InsertSystem("Hệ thống khám chữa bệnh", syt_, 4);
  const core::Instant detected = T0() - hours(1);
  Client staff = At(T0());
  Json extra = Form03Facts();
  extra["harms"] = {"service_interruption"};
  extra["capacity"] = "beyond_capacity";
  extra["type"] = "combined_attack";
  const std::string id =
      Create(staff, "Tấn công tổng hợp hệ thống khám chữa bệnh", detected, &level4, extra);
  const std::string path = "/api/v1/incidents/" + id;
  Json inc = Body(staff.Get(path));
  EXPECT_EQ(inc["classification"]["outcome"], "serious");
  EXPECT_EQ(inc["classification"]["process"], "serious");
  EXPECT_EQ(inc["process"], "serious");
  EXPECT_EQ(inc["step"], 3);
  EXPECT_EQ(inc["affected_systems"][0]["level"], 4);
  bool escalated = false;
  const Json timeline = inc["timeline"];
  for (const auto& e : timeline) {
    if (e["kind"] == "process_changed") {
      escalated = e["ref"] == "serious" && e["detail"].get<std::string>().rfind("R14", 0) == 0;
    }
  }
  EXPECT_TRUE(escalated) << timeline.dump();
  // R10 started at intake by both triggers (beyond capacity, possibly serious); R8 by detection.
  ExpectClock(staff, id, "initial_report", "running", T0(), T0() + hours(24));
  ExpectClock(staff, id, "notification", "running", detected, core::EndOfLocalDay({2026, 6, 6}));

  // 12:00: Form 03 to every party → R10 met; the coordinating agency acknowledges it.
  staff = At(T0() + hours(2));
  SendAll(staff, id, "initial_report", {"owner", "specialised_unit", "national_coordinator"},
          T0() + hours(2), "31/BC-SYT");
  EXPECT_EQ(ClockOf(staff, id, "initial_report")["met"], true);
  ASSERT_EQ(Acknowledge(staff, id, SentNotice(staff, id, "initial_report", "national_coordinator"),
                        Json{{"channel", "phone"}, {"by", "Trực ban VNCERT/CC"}})
                .status,
            200);
  // 13:00: the coordinating agency's order (Form 06); we acknowledge within the hour (R12 met).
  staff = At(T0() + hours(3));
  Response order = Received(staff, id, "coordination_order", T0() + hours(3));
  ASSERT_EQ(order.status, 201) << order.body;
  ExpectClock(staff, id, "acknowledgement", "running", T0() + hours(3), T0() + hours(27));
  staff = At(T0() + hours(4));
  ASSERT_EQ(Acknowledge(staff, id, Body(order)["notice"]["id"], Json{{"channel", "system"}}).status,
            200);
  Json r12 = ClockOf(staff, id, "acknowledgement");
  EXPECT_EQ(r12["state"], "satisfied");
  EXPECT_EQ(r12["met"], true);
  // Progress report; steps 3 (plan, operations group) and 4 (initial response).
  SendAll(staff, id, "progress_report", {"owner", "specialised_unit"}, T0() + hours(4));
  CompleteSteps(staff, id, 2);
  EXPECT_EQ(Body(staff.Get(path))["step"], 5);

  // 07/06 10:00: the notification was forgotten → R8 overdue since the end of 06/06; sent now,
  // it is satisfied late.
  staff = At(T0() + hours(24 * 6));
  ExpectClock(staff, id, "notification", "overdue", detected, core::EndOfLocalDay({2026, 6, 6}));
  ExpectClock(staff, id, "progress_report", "overdue");
  SendAll(staff, id, "notification", kNotificationParties, T0() + hours(24 * 6));
  Json r8 = ClockOf(staff, id, "notification");
  EXPECT_EQ(r8["state"], "satisfied");
  EXPECT_EQ(r8["late"], true);
  EXPECT_EQ(r8["met"], false);
  SendAll(staff, id, "progress_report", {"owner", "specialised_unit"}, T0() + hours(24 * 6));

  // 11:00: step 5 (emergency response) ends the response → R11 and R9 start.
  staff = At(T0() + hours(24 * 6 + 1));
  CompleteSteps(staff, id, 1);
  inc = Body(staff.Get(path));
  EXPECT_EQ(inc["state"], "response_ended");
  EXPECT_EQ(inc["step"], 6);
  ExpectClock(staff, id, "closing_report", "running", T0() + hours(24 * 6 + 1),
              core::EndOfLocalDay({2026, 6, 12}));
  ExpectClock(staff, id, "follow_up", "running", T0() + hours(24 * 6 + 1),
              T0() + hours(24 * 7 + 1));
  // Step 6 (evaluation by the National Steering Committee).
  CompleteSteps(staff, id, 1);
  // 08/06 09:00: follow-up and Form 04 → R9, R11 met; step 7 (closure) closes.
  staff = At(T0() + hours(24 * 7 - 1));
  SendAll(staff, id, "follow_up", kNotificationParties, T0() + hours(24 * 7 - 1));
  ASSERT_EQ(PatchIncident(staff, id, Form04Facts()).status, 200);
  SendAll(staff, id, "closing_report", {"owner", "national_coordinator"}, T0() + hours(24 * 7 - 1),
          "40/BC-SYT");
  EXPECT_EQ(ClockOf(staff, id, "follow_up")["met"], true);
  EXPECT_EQ(ClockOf(staff, id, "closing_report")["met"], true);
  Response form04 = staff.Get(path + "/documents/form04");
  ASSERT_EQ(form04.status, 200) << form04.body.substr(0, 400);
  const std::string f04 = DocxText(form04.body);
  for (const char* want : {"Kết thúc ứng phó sự cố: Tấn công tổng hợp hệ thống khám chữa bệnh",
                           "31/BC-SYT", "Cấp độ 4", "Hệ thống khám chữa bệnh",
                           "Gỡ mã độc, khôi phục từ bản sao lưu, đóng RDP ra Internet"}) {
    EXPECT_NE(f04.find(want), std::string::npos) << want << "\n" << f04;
  }
  CheckItems(staff, id);
  Response closed = staff.Post(path + "/transitions", Json{{"action", "close"}});
  ASSERT_EQ(closed.status, 200) << closed.body;
  EXPECT_EQ(Body(closed)["state"], "closed");
  EXPECT_EQ(Body(closed)["step"], 7);

  // Steps 3–7 completed in order on the timeline; the audit has the R14 classification.
  std::vector<std::string> steps;
  const Json events = Body(staff.Get(path))["timeline"];
  for (const auto& e : events) {
    if (e["kind"] == "step_completed") steps.push_back(e["ref"]);
  }
  EXPECT_EQ(steps, (std::vector<std::string>{"3", "4", "5", "6", "7"}));
  const auto audit = AuditActions(id);
  EXPECT_EQ(audit.front(), "create");
  EXPECT_EQ(audit.back(), "close");
  bool serious = false;
  for (const auto& a : h_.AuditRecords()) {
    if (a.object_id == id && a.action == "classify") {
      serious = serious || a.after.find(R"("outcome":"serious")") != std::string::npos;
    }
  }
  EXPECT_TRUE(serious);
  EXPECT_EQ(CountOf(audit, "acknowledge_notice"), 2);
  const Json clocks = Body(staff.Get(path + "/clocks"))["items"];
  for (const auto& c : clocks) {
    EXPECT_EQ(c["state"], "satisfied") << c.dump();
    const bool late = c["clock_id"] == "notification" || c["clock_id"] == "progress_report";
    EXPECT_EQ(c["late"], late) << c.dump();
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, IncidentEndToEnd, ::testing::ValuesIn(Backends()));

}  // namespace
}  // namespace ucsc::server::testing
