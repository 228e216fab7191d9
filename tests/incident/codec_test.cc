#include "incident/codec.h"

#include <gtest/gtest.h>

#include "core/legal_time.h"

namespace ucsc::incident {
namespace {

using codec::Mode;

constexpr const char* kCreateBody = R"({
  "org_id": "org-1",
  "title": "Mã hóa dữ liệu máy chủ một cửa",
  "description": "Máy chủ bị mã hóa, yêu cầu tiền chuộc",
  "type": "encryption",
  "detected_at": "2026-03-02T01:30:00Z",
  "affected_systems": [{"system_id": "sys-1", "name": "Cổng dịch vụ công", "level": 3}],
  "harms": ["service_interruption"],
  "capacity": "within_capacity",
  "notification": {"reporter": {"name": "Sở Tài chính", "address": "12 Lê Lợi"},
                   "operator_name": "Trung tâm CNTT", "handling_result": "Đã cô lập"},
  "initial_report": {"contact": {"name": "Nguyễn Văn A", "phone": "0912", "email": "a@x.vn"},
                     "status": "not_handled", "detected_by_ids": true,
                     "public_ips": ["203.0.113.5"]}
})";

TEST(IncidentCodec, CreateDecodesEveryGroup) {
  auto inc = ParseIncident(kCreateBody, Mode::kCreate);
  ASSERT_TRUE(inc) << inc.error().ToString();
  EXPECT_EQ(inc->type, IncidentType::kEncryption);
  EXPECT_EQ(core::FormatRfc3339Utc(inc->detected_at), "2026-03-02T01:30:00.000Z");
  ASSERT_EQ(inc->affected_systems.size(), 1u);
  EXPECT_EQ(inc->affected_systems[0].level, 3);
  EXPECT_EQ(inc->harms, std::vector<Harm>{Harm::kServiceInterruption});
  EXPECT_EQ(inc->capacity, Capacity::kWithinCapacity);
  EXPECT_EQ(inc->notification.reporter.name, "Sở Tài chính");
  EXPECT_EQ(inc->initial_report.status, HandlingStatus::kNotHandled);
  EXPECT_TRUE(inc->initial_report.detected_by_ids);
  EXPECT_EQ(inc->state, IncidentState::kOpen);
  EXPECT_EQ(inc->step, 1);
}

TEST(IncidentCodec, StoredRoundTripKeepsEveryField) {
  auto inc = ParseIncident(kCreateBody, Mode::kCreate);
  ASSERT_TRUE(inc);
  inc->id = "inc-7";
  inc->version = 3;
  inc->process = ProcessKind::kSerious;
  inc->step = 6;
  inc->state = IncidentState::kResponseEnded;
  inc->checklist_done = {"1.a", "2.b"};
  inc->progress.push_back({core::FromUnixMillis(1'000'000), "Đã khôi phục dữ liệu"});
  inc->closing_report.reference_no = "12/BC-STC";
  inc->closing_report.reported_at = core::FromUnixMillis(2'000'000);
  const auto text = ToJson(*inc).dump();
  auto back = ParseIncident(text, Mode::kStored);
  ASSERT_TRUE(back) << back.error().ToString();
  EXPECT_EQ(ToJson(*back), ToJson(*inc));
  EXPECT_EQ(back->closing_report, inc->closing_report);
  EXPECT_EQ(back->progress, inc->progress);
}

struct BadCase {
  const char* patch;  // merged into the create body
  const char* field;
};

class IncidentCodecBad : public ::testing::TestWithParam<BadCase> {};

TEST_P(IncidentCodecBad, NamesTheJsonPointer) {
  auto body = codec::Json::parse(kCreateBody);
  body.merge_patch(codec::Json::parse(GetParam().patch));
  Incident out;
  auto st = Decode(body, Mode::kCreate, out);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(st.error().field, GetParam().field) << st.error().ToString();
}

INSTANTIATE_TEST_SUITE_P(
    Fields, IncidentCodecBad,
    ::testing::Values(
        BadCase{R"({"type": "ransom"})", "/type"}, BadCase{R"({"title": ""})", "/title"},
        BadCase{R"({"detected_at": "02/03/2026"})", "/detected_at"},
        BadCase{R"({"detected_at": null})", "/detected_at"},
        BadCase{R"({"affected_systems": [{"name": "x", "level": 6}]})",
                "/affected_systems/0/level"},
        BadCase{R"({"affected_systems": [{"level": 2}]})", "/affected_systems/0"},
        BadCase{R"({"affected_systems": {"name": "x"}})", "/affected_systems"},
        BadCase{R"({"harms": ["service_interruption", "fire"]})", "/harms/1"},
        BadCase{R"({"capacity": "maybe"})", "/capacity"},
        BadCase{R"({"notification": {"reporter": {"fax": "1"}}})", "/notification/reporter/fax"},
        BadCase{R"({"initial_report": {"status": "done"}})", "/initial_report/status"},
        BadCase{R"({"initial_report": {"public_ips": [1]}})", "/initial_report/public_ips/0"},
        BadCase{R"({"closing_report": {"reported_at": 5}})", "/closing_report/reported_at"},
        // Issue 14 task 1: the report times are server-set from the notices (R8, R10, R11).
        BadCase{R"({"reported_at": "2026-03-02T03:00:00Z"})", "/reported_at"},
        BadCase{R"({"initial_report": {"reported_at": "2026-03-02T03:00:00Z"}})",
                "/initial_report/reported_at"},
        BadCase{R"({"closing_report": {"reported_at": "2026-03-02T03:00:00Z"}})",
                "/closing_report/reported_at"},
        BadCase{R"({"step": 3})", "/step"}, BadCase{R"({"state": "closed"})", "/state"},
        BadCase{R"({"id": "x"})", "/id"}, BadCase{R"({"severity": "high"})", "/severity"}));

TEST(IncidentCodec, PatchKeepsAbsentFields) {
  auto inc = ParseIncident(kCreateBody, Mode::kCreate);
  ASSERT_TRUE(inc);
  auto st = Decode(codec::Json::parse(R"({"capacity": "beyond_capacity"})"), Mode::kPatch, *inc);
  ASSERT_TRUE(st) << st.error().ToString();
  EXPECT_EQ(inc->capacity, Capacity::kBeyondCapacity);
  EXPECT_EQ(inc->type, IncidentType::kEncryption);
}

// Issue 14 task 1 (R11): a PATCH cannot set Form 04's time, which is what closing needs; the
// refusal names the field in both languages; the stored form keeps it.
TEST(IncidentCodec, PatchRefusesTheServerSetReportTimesNamingThem) {
  auto inc = ParseIncident(kCreateBody, Mode::kCreate);
  ASSERT_TRUE(inc);
  for (std::string_view ptr : ServerSetPointers()) {
    EXPECT_TRUE(IsServerSetPointer(ptr));
    codec::Json body = codec::Json::object();
    if (ptr == "/reported_at") {
      body["reported_at"] = "2026-03-02T03:00:00Z";
    } else {
      const std::string part(ptr.substr(1, ptr.rfind('/') - 1));
      body[part] = codec::Json{{"reported_at", "2026-03-02T03:00:00Z"}};
    }
    Incident out = *inc;
    auto st = Decode(body, Mode::kPatch, out);
    ASSERT_FALSE(st) << ptr;
    EXPECT_EQ(st.error().field, ptr);
    EXPECT_EQ(core::ToUnixMillis(out.closing_report.reported_at), 0);
    EXPECT_EQ(core::ToUnixMillis(out.reported_at), 0);
  }
  EXPECT_FALSE(IsServerSetPointer("/closing_report/reference_no"));
  const std::string en = ServerSetDetail("/closing_report/reported_at", true);
  const std::string vi = ServerSetDetail("/closing_report/reported_at", false);
  EXPECT_NE(en.find("closing_report.reported_at"), std::string::npos) << en;
  EXPECT_NE(vi.find("closing_report.reported_at"), std::string::npos) << vi;
  EXPECT_NE(en.find("set by the server"), std::string::npos) << en;
  EXPECT_NE(vi.find("do hệ thống ghi nhận"), std::string::npos) << vi;
  // The stored document keeps the time the notices set.
  auto j = ToJson(*inc);
  j["id"] = "inc-1";
  j["closing_report"]["reported_at"] = "2026-03-02T03:00:00Z";
  Incident stored;
  ASSERT_TRUE(Decode(j, Mode::kStored, stored));
  EXPECT_NE(core::ToUnixMillis(stored.closing_report.reported_at), 0);
}

TEST(IncidentCodec, StoredStepOutOfRangeForProcessIsRefused) {
  auto inc = ParseIncident(kCreateBody, Mode::kCreate);
  ASSERT_TRUE(inc);
  auto j = ToJson(*inc);
  j["id"] = "inc-1";
  j["step"] = 5;  // the normal process has 4 steps
  Incident out;
  auto st = Decode(j, Mode::kStored, out);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().field, "/step");
}

TEST(IncidentCodec, MalformedJsonIsAnError) {
  auto inc = ParseIncident("{\"title\": ", Mode::kCreate);
  ASSERT_FALSE(inc);
  EXPECT_EQ(inc.error().code, core::ErrorCode::kInvalidArgument);
}

TEST(IncidentCodec, EventRoundTrip) {
  Event e{EventKind::kAcknowledgementSent, core::FromUnixMillis(5000), "notice-1", "u1", ""};
  Event back;
  ASSERT_TRUE(Decode(ToJson(e), back));
  EXPECT_EQ(back, e);
  auto bad = ToJson(e);
  bad["kind"] = "sent";
  auto st = Decode(bad, back);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().field, "/kind");
}

TEST(IncidentTypes, TenTypesInReportOrderWithVietnameseLabels) {
  ASSERT_EQ(IncidentTypes().size(), 10u);
  for (size_t i = 0; i < IncidentTypes().size(); ++i) {
    const auto& info = IncidentTypes()[i];
    EXPECT_EQ(info.number, static_cast<int>(i) + 1);
    EXPECT_EQ(ParseIncidentType(info.name), info.type);
    EXPECT_FALSE(info.vi.empty());
  }
  EXPECT_EQ(InfoOf(IncidentType::kEncryption).vi, "Mã hóa phần mềm, dữ liệu, thiết bị");
}

}  // namespace
}  // namespace ucsc::incident
