// Plan routes (issue 15): a system's plan from draft to approval over the API — completeness
// (R4) listed, If-Match on edits (428 without, 412 when stale, nothing lost), approval by the
// organisation's manager only, refused while sections are missing, recorded as R3/R4 evidence
// in the same request, and the plan going stale when its system's level changes (R3).
#include "server/api_test_util.h"

namespace ucsc::server::testing {
namespace {

using core::Role;

class PlanApi : public ::testing::TestWithParam<std::string> {
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

  size_t PlanEvidence(const std::string& type = "ir_plan") {
    size_t n = 0;
    EXPECT_TRUE(h_.store().Read([&](store::Tx& tx) -> core::Status {
      store::ListQuery q;
      q.limit = 500;
      UCSC_ASSIGN_OR_RETURN(auto page, tx.Evidence().List(q));
      for (const auto& e : page.items) n += e.type == type && e.subject_id == system_.id;
      return core::Ok();
    }));
    return n;
  }

  ApiHarness h_;
  std::string syt_;
  core::InformationSystem system_;
};

TEST_P(PlanApi, FromDraftToApprovalWithCompletenessIfMatchAndEvidence) {
  Client staff = h_.SignIn(Role::kOrgStaff);
  Client manager = h_.SignIn(Role::kOrgManager);
  Response created = staff.Post("/api/v1/plans", Json{{"system_id", system_.id}});
  ASSERT_EQ(created.status, 201) << created.body;
  Json plan = Body(created);
  const std::string id = plan["id"];
  const std::string path = "/api/v1/plans/" + id;
  EXPECT_EQ(plan["outline_id"], "tt20_appendix_3");  // level 3: TT20 Appendix III
  EXPECT_FALSE(plan["completeness"]["complete"].get<bool>());
  EXPECT_EQ(plan["status"]["kind"], "draft");
  EXPECT_EQ(created.Header("ETag"), "\"1\"");
  // A second plan for the system is refused.
  EXPECT_TRUE(
      IsProblem(staff.Post("/api/v1/plans", Json{{"system_id", system_.id}}), 409, "/system_id"));

  // Submitted while incomplete, the manager's approval is refused listing what is missing (R4).
  ASSERT_EQ(staff.Post(path + "/submit", Json::object()).status, 200);
  const std::string before = h_.Dump();
  Response refused = manager.Post("/api/v1/plan-approvals/" + id, Json{{"decision", "approve"}});
  EXPECT_TRUE(IsProblem(refused, 409));
  for (const auto& m : plan["completeness"]["missing"]) {
    EXPECT_NE(refused.body.find(m["section_id"].get<std::string>()), std::string::npos)
        << m["section_id"];
  }
  EXPECT_EQ(h_.Dump(), before) << "a refused approval wrote something";
  ASSERT_EQ(
      manager
          .Post("/api/v1/plan-approvals/" + id, Json{{"decision", "reject"}, {"reason", "Thiếu"}})
          .status,
      200);

  // Edits need If-Match; a stale one is refused and the first edit is kept.
  Json sections = Json::object();
  for (const auto& m : plan["completeness"]["missing"]) {
    sections[m["section_id"].get<std::string>()] =
        "Nội dung mục " + m["title"]["vi"].get<std::string>();
  }
  EXPECT_TRUE(
      IsProblem(staff.PatchRaw(path, Json{{"sections", sections}}.dump(), std::nullopt), 428));
  Response edited = staff.Patch(path, Json{{"sections", sections}}, "\"3\"");
  ASSERT_EQ(edited.status, 200) << edited.body;
  EXPECT_TRUE(Body(edited)["completeness"]["complete"].get<bool>());
  EXPECT_TRUE(
      IsProblem(manager.Patch(path, Json{{"sections", {{"scope", "Bản ghi đè"}}}}, "\"3\""), 412));
  EXPECT_NE(Body(staff.Get(path))["sections"][0]["text"], "Bản ghi đè");
  EXPECT_TRUE(IsProblem(staff.Patch(path, Json{{"sections", {{"nope", "x"}}}}, "\"4\""), 404));

  // Staff may not approve (403 by policy); the manager does, and R3/R4 evidence is recorded.
  ASSERT_EQ(staff.Post(path + "/submit", Json::object()).status, 200);
  EXPECT_TRUE(
      IsProblem(staff.Post("/api/v1/plan-approvals/" + id, Json{{"decision", "approve"}}), 403));
  EXPECT_EQ(PlanEvidence(), 0U);
  EXPECT_EQ(PlanEvidence("ir_plan_content"), 0U);
  Response approved = manager.Post("/api/v1/plan-approvals/" + id, Json{{"decision", "approve"}});
  ASSERT_EQ(approved.status, 200) << approved.body;
  EXPECT_EQ(Body(approved)["state"], "approved");
  EXPECT_EQ(Body(approved)["status"]["kind"], "approved_current");
  EXPECT_EQ(PlanEvidence(), 1U);
  EXPECT_EQ(PlanEvidence("ir_plan_content"), 1U);  // R4, recorded by ucsc only

  // An hour later the system's level changes: the plan is stale and re-approval is due (R3).
  h_.clock().Advance(std::chrono::hours(1));
  Response sys = manager.Get("/api/v1/systems/" + system_.id);
  ASSERT_EQ(sys.status, 200);
  ASSERT_EQ(
      manager.Patch("/api/v1/systems/" + system_.id, Json{{"level", 4}}, sys.Header("ETag")).status,
      200);
  Json status = Body(staff.Get(path))["status"];
  EXPECT_TRUE(status["stale"].get<bool>()) << status;
  EXPECT_EQ(status["change_kind"], "level");
  EXPECT_EQ(status["reapproval_due"], "2026-07-01");
}

TEST_P(PlanApi, PlansOfOtherOrganisationsAreNotVisible) {
  Client staff = h_.SignIn(Role::kOrgStaff);
  const std::string id = Body(staff.Post("/api/v1/plans", Json{{"system_id", system_.id}}))["id"];
  auto other = h_.InsertSystem("Hệ thống ngân sách", h_.OrgId("Sở Tài chính"), 2);
  EXPECT_TRUE(
      IsProblem(staff.Post("/api/v1/plans", Json{{"system_id", other.id}}), 400, "/system_id"));
  Client liaison = h_.SignIn(Role::kLiaison);
  EXPECT_TRUE(IsProblem(liaison.Get("/api/v1/plans/" + id), 403));
  Json list = Body(staff.Get("/api/v1/plans", {{"system_id", system_.id}}));
  ASSERT_EQ(list["items"].size(), 1U);
  EXPECT_EQ(list["items"][0]["id"], id);
}

INSTANTIATE_TEST_SUITE_P(Backends, PlanApi, ::testing::ValuesIn(Backends()));

}  // namespace
}  // namespace ucsc::server::testing
