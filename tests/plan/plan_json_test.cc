#include "plan/plan_json.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace ucsc::plan {
namespace {

using testing::ApprovedPlan;
using testing::Local;
using testing::Manager;
using testing::OtherOutline;
using testing::Staff;

IrPlan Sample() {
  IrPlan p = testing::CompleteDraft(OtherOutline(), Local(2026, 3, 1));
  p.scenarios.push_back({"dos", 2, "dos", "Tấn công từ chối dịch vụ", "Dấu hiệu: …"});
  EXPECT_TRUE(Submit(p, Staff(), Local(2026, 3, 2)).has_value());
  EXPECT_TRUE(Reject(p, Manager(), "Bổ sung kịch bản", Local(2026, 3, 3)).has_value());
  EXPECT_TRUE(Submit(p, Staff(), Local(2026, 3, 4)).has_value());
  EXPECT_TRUE(Approve(p, OtherOutline(), Manager(), Local(2026, 3, 5)).has_value());
  return p;
}

void ExpectSame(const IrPlan& a, const IrPlan& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.version, b.version);
  EXPECT_EQ(a.scope, b.scope);
  EXPECT_EQ(a.org_id, b.org_id);
  EXPECT_EQ(a.system_id, b.system_id);
  EXPECT_EQ(a.title, b.title);
  EXPECT_EQ(a.outline_id, b.outline_id);
  EXPECT_EQ(a.outline_version, b.outline_version);
  EXPECT_EQ(a.state, b.state);
  EXPECT_EQ(a.sections, b.sections);
  EXPECT_EQ(a.scenarios, b.scenarios);
  EXPECT_EQ(a.submitted_by, b.submitted_by);
  EXPECT_EQ(a.submitted_at, b.submitted_at);
  EXPECT_EQ(a.approved_by, b.approved_by);
  EXPECT_EQ(a.approver_role, b.approver_role);
  EXPECT_EQ(a.approved_at, b.approved_at);
  EXPECT_EQ(a.history, b.history);
  EXPECT_EQ(a.created_at, b.created_at);
  EXPECT_EQ(a.updated_at, b.updated_at);
}

TEST(PlanJson, RoundTripKeepsEveryField) {
  const IrPlan p = Sample();
  auto back = ParsePlanJson(ToJson(p).dump());
  ASSERT_TRUE(back.has_value()) << back.error().ToString();
  ExpectSame(p, *back);
}

TEST(PlanJson, DraftRoundTripsWithNullWorkflowFields) {
  const IrPlan p = testing::CompleteDraft(OtherOutline(), Local(2026, 3, 1));
  const auto j = ToJson(p);
  EXPECT_TRUE(j["approved_at"].is_null());
  EXPECT_TRUE(j["approver_role"].is_null());
  auto back = PlanFromJson(j);
  ASSERT_TRUE(back.has_value()) << back.error().ToString();
  ExpectSame(p, *back);
}

void ExpectBad(codec::Json j, std::string_view field) {
  auto r = PlanFromJson(j);
  ASSERT_FALSE(r.has_value()) << field;
  EXPECT_EQ(r.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().field, field) << r.error().message;
}

// Regression: a new draft's sections are blank (not yet written, R4); the stored document of such
// a draft must decode (it was refused as "must not be empty").
TEST(PlanJson, ANewDraftWithBlankSectionsRoundTrips) {
  auto p = NewDraft({.id = "p1", .org_id = "syt", .system_id = "his"}, OtherOutline(),
                    Local(2026, 3, 1));
  ASSERT_TRUE(p.has_value());
  auto back = ParsePlanJson(ToJson(*p).dump());
  ASSERT_TRUE(back.has_value()) << back.error().ToString();
  EXPECT_EQ(back->sections, p->sections);
  EXPECT_FALSE(CheckCompleteness(*back, OtherOutline()).empty());
}

TEST(PlanJson, UnknownKeysAreRefusedWithTheirPointer) {
  auto j = ToJson(Sample());
  j["colour"] = "red";
  ExpectBad(j, "/colour");
  j = ToJson(Sample());
  j["sections"][2]["note"] = "x";
  ExpectBad(j, "/sections/2/note");
  j = ToJson(Sample());
  j["history"][1]["why"] = "x";
  ExpectBad(j, "/history/1/why");
}

TEST(PlanJson, WrongTypesAndEnumsAreRefusedWithTheirPointer) {
  auto j = ToJson(Sample());
  j["version"] = "1";
  ExpectBad(j, "/version");
  j = ToJson(Sample());
  j["state"] = "published";
  ExpectBad(j, "/state");
  j = ToJson(Sample());
  j["scope"] = "national";
  ExpectBad(j, "/scope");
  j = ToJson(Sample());
  j["history"][0]["role"] = "king";
  ExpectBad(j, "/history/0/role");
  j = ToJson(Sample());
  j["approved_at"] = "yesterday";
  ExpectBad(j, "/approved_at");
  j = ToJson(Sample());
  j["sections"][0]["text"] = 5;
  ExpectBad(j, "/sections/0/text");
  j = ToJson(Sample());
  j["scenarios"] = codec::Json::array({42});
  ExpectBad(j, "/scenarios/0");
}

TEST(PlanJson, MissingAndInconsistentFieldsAreRefused) {
  auto j = ToJson(Sample());
  j.erase("sections");
  ExpectBad(j, "/sections");
  j = ToJson(Sample());
  j["system_id"] = "";
  ExpectBad(j, "/system_id");
  j = ToJson(Sample());
  j["approved_at"] = nullptr;
  ExpectBad(j, "/approved_at");  // approved without approval instant
  j = ToJson(Sample());
  j["sections"][1]["id"] = j["sections"][0]["id"];
  ExpectBad(j, "/sections/1/id");
  j = ToJson(Sample());
  j["version"] = 0;
  ExpectBad(j, "/version");
}

TEST(PlanJson, MalformedJsonIsInvalidArgument) {
  auto r = ParsePlanJson("{\"id\": ");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, core::ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace ucsc::plan
