#include "plan/drill_json.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace ucsc::plan {
namespace {

using testing::Local;

Drill Sample() {
  Drill d;
  d.id = "d1";
  d.org_id = "syt";
  d.title = "Diễn tập thực chiến HIS 2026";
  d.system_ids = {"his", "portal"};
  d.scenario_id = "";
  d.rules_of_engagement = "Không tấn công cơ sở dữ liệu sản xuất";
  d.scan_authorisation_id = "auth-9";
  d.planned_start = {2026, 10, 5};
  d.planned_end = {2026, 10, 7};
  d.participants = {{"Đội đỏ", "vendor", ParticipantRole::kRedTeam},
                    {"Đội xanh", "syt", ParticipantRole::kBlueTeam}};
  EXPECT_TRUE(StartDrill(d, Local(2026, 10, 5, 8)).has_value());
  EXPECT_TRUE(AddTimelineEntry(d, {Local(2026, 10, 5, 9), TimelineKind::kAction, "red", "Dò quét"})
                  .has_value());
  EXPECT_TRUE(
      AddTimelineEntry(d, {Local(2026, 10, 5, 10), TimelineKind::kDetection, "blue", "Phát hiện"})
          .has_value());
  Finding f;
  f.id = "f1";
  f.system_id = "portal";
  f.title = "Lỗ hổng tải tệp";
  f.category = FindingCategory::kTechnology;
  f.severity = Severity::kCritical;
  f.allows_intrusion = true;
  f.owner = "u-it";
  f.due_date = "2026-10-31";
  EXPECT_TRUE(RecordFinding(d, f).has_value());
  EXPECT_TRUE(CloseDrill(d, Local(2026, 10, 7, 17)).has_value());
  return d;
}

TEST(DrillJson, RoundTripKeepsEveryField) {
  const Drill d = Sample();
  auto back = ParseDrillJson(ToJson(d).dump());
  ASSERT_TRUE(back.has_value()) << back.error().ToString();
  EXPECT_EQ(ToJson(*back), ToJson(d));
  EXPECT_EQ(back->findings.at(0).category, FindingCategory::kTechnology);
  EXPECT_TRUE(back->findings.at(0).allows_intrusion);
  EXPECT_EQ(back->closed_at, Local(2026, 10, 7, 17));
  EXPECT_EQ(TimeToDetect(*back), TimeToDetect(d));
}

void ExpectBad(codec::Json j, std::string_view field) {
  auto r = DrillFromJson(j);
  ASSERT_FALSE(r.has_value()) << field;
  EXPECT_EQ(r.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().field, field) << r.error().message;
}

TEST(DrillJson, BadFieldsAreRefusedWithTheirPointer) {
  auto j = ToJson(Sample());
  j["findings"][0]["category"] = "luck";
  ExpectBad(j, "/findings/0/category");
  j = ToJson(Sample());
  j["kind"] = "paintball";
  ExpectBad(j, "/kind");
  j = ToJson(Sample());
  j["planned_start"] = "2026-02-30";
  ExpectBad(j, "/planned_start");
  j = ToJson(Sample());
  j["participants"][1]["role"] = "green_team";
  ExpectBad(j, "/participants/1/role");
  j = ToJson(Sample());
  j["timeline"][0]["extra"] = 1;
  ExpectBad(j, "/timeline/0/extra");
  j = ToJson(Sample());
  j["closed_at"] = nullptr;
  ExpectBad(j, "/closed_at");
  j = ToJson(Sample());
  j["system_ids"] = codec::Json::array();
  ExpectBad(j, "/system_ids");
  j = ToJson(Sample());
  j["findings"][0]["due_date"] = "31/10/2026";
  ExpectBad(j, "/findings/0/due_date");
}

TEST(DrillJson, UnclassifiedFindingDecodesButCannotClose_R5) {
  auto j = ToJson(Sample());
  j["state"] = "running";
  j["closed_at"] = nullptr;
  j["findings"][0]["category"] = "unclassified";
  auto d = DrillFromJson(j);
  ASSERT_TRUE(d.has_value()) << d.error().ToString();
  auto r = CloseDrill(*d, Local(2026, 10, 8));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, core::ErrorCode::kFailedPrecondition);
}

}  // namespace
}  // namespace ucsc::plan
