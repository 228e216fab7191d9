#include "server/incident_test_util.h"

#include "incident/workflow.h"

namespace ucsc::server::testing {

using std::chrono::hours;

const std::vector<std::string> kNotificationParties{"owner", "national_coordinator",
                                                    "specialised_unit"};

void IncidentFixture::SetUp() {
  std::string skip;
  if (!h_.Open(GetParam(), skip)) {
    if (!skip.empty()) {
      GTEST_SKIP() << skip;
    }
    FAIL() << "cannot open the store";
  }
  syt_ = h_.OrgId("Sở Y tế");
  level3_ = h_.InsertSystem("Cổng thông tin Sở Y tế", syt_, 3);
}

std::string IncidentFixture::Create(const Client& c, const std::string& title,
                                    core::Instant detected, const core::InformationSystem* system,
                                    const Json& extra) {
  Json body{{"title", title},
            {"description", "Máy chủ bị mã hóa dữ liệu, có thư đòi tiền chuộc"},
            {"type", "encryption"},
            {"detected_at", core::FormatRfc3339Utc(detected)},
            {"affected_systems", {{{"system_id", (system != nullptr ? *system : level3_).id}}}},
            {"notification",
             {{"reporter", {{"name", "Sở Y tế"}, {"address", "12 Lê Lợi"}}},
              {"operator_name", "Trung tâm CNTT Sở Y tế"},
              {"owner_name", "Sở Y tế tỉnh"},
              {"handling_result", "Đã cô lập máy chủ"}}}};
  body.merge_patch(extra);
  Response r = c.Post("/api/v1/incidents", body);
  EXPECT_EQ(r.status, 201) << r.body;
  const Json j = Body(r);
  return j.contains("id") ? j["id"].get<std::string>() : std::string();
}

Response IncidentFixture::Notice(const Client& c, const std::string& id,
                                 const std::string& document, const std::string& party,
                                 core::Instant at, const std::string& ref) {
  Json body{{"direction", "sent"},
            {"document", document},
            {"party", party},
            {"channel", "email"},
            {"at", core::FormatRfc3339Utc(at)}};
  if (!ref.empty()) body["reference_no"] = ref;
  return c.Post("/api/v1/incidents/" + id + "/notices", body);
}

void IncidentFixture::SendAll(const Client& c, const std::string& id, const std::string& document,
                              const std::vector<std::string>& parties, core::Instant last,
                              const std::string& ref) {
  for (size_t i = 0; i < parties.size(); ++i) {
    const core::Instant at = i + 1 == parties.size() ? last : last - hours(1);
    Response r = Notice(c, id, document, parties[i], at, ref);
    ASSERT_EQ(r.status, 201) << r.body;
  }
}

Json IncidentFixture::ClockOf(const Client& c, const std::string& id, const std::string& clock_id) {
  Response r = c.Get("/api/v1/incidents/" + id + "/clocks");
  EXPECT_EQ(r.status, 200) << r.body;
  const Json items = Body(r)["items"];
  for (const auto& item : items) {
    if (item["clock_id"] == clock_id) return item;
  }
  ADD_FAILURE() << "no clock " << clock_id << " in " << r.body;
  return {};
}

void IncidentFixture::CompleteSteps(const Client& c, const std::string& id, int steps) {
  const std::string t = "/api/v1/incidents/" + id + "/transitions";
  for (int i = 0; i < steps; ++i) {
    const Json inc = Body(c.Get("/api/v1/incidents/" + id));
    const auto& wf =
        incident::WorkflowFor(inc["process"] == "serious" ? incident::ProcessKind::kSerious
                                                          : incident::ProcessKind::kNormal);
    const int step = inc["step"].get<int>();
    for (const auto& item : wf.steps[static_cast<size_t>(step) - 1].checklist) {
      Response r = c.Post(t, Json{{"action", "check_item"}, {"item", item.id}});
      ASSERT_EQ(r.status, 200) << r.body;
    }
    Response done = c.Post(t, Json{{"action", "complete_step"}});
    ASSERT_EQ(done.status, 200) << done.body;
  }
}

}  // namespace ucsc::server::testing
