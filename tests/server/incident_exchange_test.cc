// Exchange of an incident's observables through the API (issue 14 §7): export as a STIX 2.1
// bundle and a MISP event, import of both (validated, deduplicated within the input and against
// the incident's own), a round trip between two incidents, and bad input refused naming the JSON
// pointer of the bad member.
#include "server/api_test_util.h"

namespace ucsc::server::testing {
namespace {

using core::Role;

class IncidentExchange : public ::testing::TestWithParam<std::string> {
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
  }

  std::string Create(const Client& c, const std::string& title) {
    Json body{{"title", title},
              {"description", "Máy chủ bị mã hóa dữ liệu"},
              {"type", "encryption"},
              {"detected_at", core::FormatRfc3339Utc(T0())},
              {"affected_systems", {{{"system_id", level3_.id}}}},
              {"notification",
               {{"reporter", {{"name", "Sở Y tế"}, {"address", "12 Lê Lợi"}}},
                {"operator_name", "Trung tâm CNTT Sở Y tế"},
                {"handling_result", "Đã cô lập máy chủ"}}}};
    Response r = c.Post("/api/v1/incidents", body);
    EXPECT_EQ(r.status, 201) << r.body;
    return Body(r)["id"].get<std::string>();
  }

  Response Import(const Client& c, const std::string& id, const Json& body) {
    return c.Post("/api/v1/incidents/" + id + "/observables/import", body);
  }

  ApiHarness h_;
  std::string syt_;
  core::InformationSystem level3_;
};

const Json kObservables = {
    {"observables",
     {{{"type", "ip"}, {"value", "203.0.113.7"}},
      {{"type", "domain"}, {"value", "evil.example"}},
      {{"type", "sha256"},
       {"value", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"}},
      {{"type", "url"}, {"value", "hxxp://evil.example/payload"}}}}};

TEST_P(IncidentExchange, StixAndMispExportsRoundTripIntoAnotherIncident) {
  Client staff = h_.SignIn(Role::kOrgStaff);
  const std::string a = Create(staff, "Nguồn");
  const std::string b = Create(staff, "Đích");
  ASSERT_EQ(staff.Post("/api/v1/incidents/" + a + "/observables", kObservables).status, 201);

  Response stix = staff.Get("/api/v1/incidents/" + a + "/stix");
  ASSERT_EQ(stix.status, 200) << stix.body;
  const Json bundle = Body(stix);
  EXPECT_EQ(bundle["type"], "bundle");
  int indicators = 0;
  for (const auto& o : bundle["objects"]) {
    if (o["type"] == "indicator") {
      ++indicators;
      EXPECT_EQ(o["spec_version"], "2.1");
      EXPECT_EQ(o["pattern_type"], "stix");
    }
  }
  EXPECT_EQ(indicators, 4);
  EXPECT_EQ(Body(staff.Get("/api/v1/incidents/" + a + "/stix")), bundle);  // stable ids

  Response imported = Import(staff, b, bundle);
  ASSERT_EQ(imported.status, 201) << imported.body;
  EXPECT_EQ(Body(imported)["format"], "stix");
  EXPECT_EQ(Body(imported)["added"].size(), 4U);
  EXPECT_EQ(Body(imported)["skipped"].size(), 1U);  // the grouping carries no observable
  Response again = Import(staff, b, bundle);
  ASSERT_EQ(again.status, 201) << again.body;
  EXPECT_TRUE(Body(again)["added"].empty());
  EXPECT_EQ(Body(again)["already_present"], 4);

  Response misp = staff.Get("/api/v1/incidents/" + a + "/misp");
  ASSERT_EQ(misp.status, 200) << misp.body;
  const Json event = Body(misp);
  EXPECT_EQ(event["Event"]["info"], "Nguồn");
  EXPECT_EQ(event["Event"]["Attribute"].size(), 4U);
  Response from_misp = Import(staff, b, event);
  ASSERT_EQ(from_misp.status, 201) << from_misp.body;
  EXPECT_EQ(Body(from_misp)["format"], "misp");
  EXPECT_EQ(Body(from_misp)["already_present"], 4);  // the same observables as the STIX import

  // The observables of B are A's; each is seen in the other incident.
  Json list = Body(staff.Get("/api/v1/incidents/" + b + "/observables"));
  ASSERT_EQ(list["items"].size(), 4U);
  EXPECT_EQ(list["items"][0]["seen_in_incidents"][0]["incident_id"], a);
}

TEST_P(IncidentExchange, AMispEventIsDeduplicatedAndItsUnknownTypesSkipped) {
  Client staff = h_.SignIn(Role::kOrgStaff);
  const std::string id = Create(staff, "MISP");
  Json event{
      {"Event",
       {{"info", "Chiến dịch"},
        {"Attribute",
         {{{"type", "ip-src"}, {"value", "198.51.100.4"}},
          {{"type", "ip-dst"}, {"value", "198.51.100[.]4"}},  // defanged duplicate
          {{"type", "filename|md5"}, {"value", "hoadon.exe|d41d8cd98f00b204e9800998ecf8427e"}},
          {{"type", "btc"}, {"value", "1BoatSLRHtKNngkdXEeobR76b53LETtpyT"}}}}}}};
  Response r = Import(staff, id, event);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(Body(r)["added"].size(), 3U);  // ip once, file name, md5
  ASSERT_EQ(Body(r)["skipped"].size(), 1U);
  EXPECT_EQ(Body(r)["skipped"][0]["pointer"], "/Event/Attribute/3");
  int audited = 0;
  for (const auto& a : h_.AuditRecords()) {
    if (a.action == "import_observables" && a.object_id == id) ++audited;
  }
  EXPECT_EQ(audited, 1);
}

TEST_P(IncidentExchange, BadImportsNameTheBadMemberAndAddNothing) {
  Client staff = h_.SignIn(Role::kOrgStaff);
  const std::string id = Create(staff, "Sai");
  Json bad_pattern{{"type", "bundle"},
                   {"id", "bundle--1"},
                   {"objects",
                    {{{"type", "indicator"},
                      {"id", "indicator--a"},
                      {"pattern", "[ipv4-addr:value = '1.2.3.4']"}},
                     {{"type", "indicator"},
                      {"id", "indicator--b"},
                      {"pattern", "[ipv4-addr:value MATCHES '^1']"}}}}};
  EXPECT_TRUE(IsProblem(Import(staff, id, bad_pattern), 400, "/objects/1/pattern"));
  Json bad_value{{"type", "bundle"},
                 {"objects",
                  {{{"type", "indicator"},
                    {"id", "indicator--c"},
                    {"pattern", "[ipv4-addr:value = '1.2.3.999']"}}}}};
  EXPECT_TRUE(IsProblem(Import(staff, id, bad_value), 400, "/objects/0/pattern"));
  Json bad_misp{{"Event", {{"Attribute", {{{"type", "md5"}, {"value", "xyz"}}}}}}};
  EXPECT_TRUE(IsProblem(Import(staff, id, bad_misp), 400, "/Event/Attribute/0/value"));
  EXPECT_TRUE(IsProblem(Import(staff, id, Json{{"hello", "world"}}), 400));
  EXPECT_TRUE(IsProblem(Import(staff, id, Json::array()), 400));
  // More than 5000 observables in one import.
  Json big{{"Event", {{"Attribute", Json::array()}}}};
  for (int i = 0; i < 5001; ++i) {
    big["Event"]["Attribute"].push_back(
        Json{{"type", "ip-dst"},
             {"value", "10." + std::to_string(i / 65536) + "." + std::to_string((i / 256) % 256) +
                           "." + std::to_string(i % 256)}});
  }
  EXPECT_TRUE(IsProblem(Import(staff, id, big), 400));
  // The first, valid indicator of the bad bundle was not kept: all or nothing.
  EXPECT_TRUE(Body(staff.Get("/api/v1/incidents/" + id + "/observables"))["items"].empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, IncidentExchange, ::testing::ValuesIn(Backends()));

}  // namespace
}  // namespace ucsc::server::testing
