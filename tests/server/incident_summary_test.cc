// Form 05 through the API (issue 14 task 3; DOMAIN.md E, R16/R18): GET
// /api/v1/incident-summaries/form05 rolls up the incidents of the caller's scope — an
// organisation's user its organisation's subtree, the coordinator the province — by the 10 types
// for a period read from the 20/6 and 15/12 cut-offs, as JSON, DOCX (Decree 30/2020 layout, every
// mandatory field) or PDF; the helpers and the damage come from the incidents, the support
// requested from the notices sent.
#include <cstdlib>
#include <fstream>
#include <pugixml.hpp>

#include "incident/model.h"
#include "report/docx_test_util.h"
#include "report/pdf.h"
#include "server/api_test_util.h"

namespace ucsc::server::testing {
namespace {

using core::Role;
using std::chrono::hours;

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

class IncidentSummary : public ::testing::TestWithParam<std::string> {
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
    bvdk_ = h_.OrgId("Bệnh viện Đa khoa tỉnh Sông Hồng");
    stc_ = h_.OrgId("Sở Tài chính");
  }

  std::string Create(const Client& c, const std::string& org, const std::string& type,
                     core::Instant detected, Json support = Json::object()) {
    Json body{{"title", "Sự cố " + type},
              {"description", "Mô tả sự cố"},
              {"type", type},
              {"org_id", org},
              {"detected_at", core::FormatRfc3339Utc(detected)},
              {"affected_systems", {{{"name", "Cổng thông tin"}}}},
              {"notification",
               {{"reporter", {{"name", "Đơn vị"}, {"address", "12 Lê Lợi"}}},
                {"operator_name", "Trung tâm CNTT"},
                {"handling_result", "Đã cô lập"}}},
              {"support", std::move(support)}};
    Response r = c.Post("/api/v1/incidents", body);
    EXPECT_EQ(r.status, 201) << r.body;
    return Body(r)["id"].get<std::string>();
  }

  Json Form05(const Client& c, const Query& q) {
    Response r = c.Get("/api/v1/incident-summaries/form05", q);
    EXPECT_EQ(r.status, 200) << r.body;
    return Body(r);
  }

  // The row of `type` in a summary.
  static Json Row(const Json& summary, const std::string& type) {
    const Json& rows = summary["rows"];
    for (const auto& r : rows) {
      if (r["type"] == type) return r;
    }
    return {};
  }

  // Sở Y tế: a ransomware incident helped by VNPT with support requested of the national
  // coordinator (H1 2026), a defacement of its hospital (H1 2026), a malware of 10/12/2025
  // (the 2025 year); Sở Tài chính: a DoS (H1 2026).
  void Seed() {
    Client staff = h_.SignIn(Role::kOrgStaff);
    ransom_ = Create(staff, syt_, "encryption", T0() - hours(5),
                     Json{{"domestic_helpers", {"VNPT Sông Hồng"}},
                          {"foreign_helpers", {"Kaspersky Lab"}},
                          {"estimated_damage_vnd", 50'000'000}});
    Response n = staff.Post("/api/v1/incidents/" + ransom_ + "/notices",
                            Json{{"direction", "sent"},
                                 {"document", "request_for_support"},
                                 {"party", "national_coordinator"},
                                 {"channel", "system"}});
    ASSERT_EQ(n.status, 201) << n.body;
    Create(staff, bvdk_, "defacement", core::StartOfLocalDay({2026, 3, 1}) + hours(8));
    Create(staff, syt_, "malware", core::StartOfLocalDay({2025, 12, 10}) + hours(8));
    Client coord = h_.SignIn(Role::kCoordinator);
    Create(coord, stc_, "dos", core::StartOfLocalDay({2026, 2, 1}) + hours(8));
  }

  ApiHarness h_;
  std::string syt_, bvdk_, stc_, ransom_;
};

// R16: an organisation's user gets its subtree, the coordinator the province; the period
// decides which incidents count.
TEST_P(IncidentSummary, RollsUpTheCallersScopeByTypeForThePeriod) {
  Seed();
  Client staff = h_.SignIn(Role::kOrgStaff);
  Json s = Form05(staff, {{"year", "2026"}, {"half", "1"}});
  EXPECT_EQ(s["form"], "form05");
  EXPECT_EQ(s["organisation"]["id"], syt_);
  EXPECT_EQ(s["organisation"]["name"], "Sở Y tế");
  EXPECT_EQ(s["period"]["from"], "2025-12-16");
  EXPECT_EQ(s["period"]["to"], "2026-06-20");
  EXPECT_EQ(s["period"]["ref"], "2026-H1");
  EXPECT_EQ(s["rows"].size(), 10U);
  EXPECT_EQ(s["total"]["count"], 2);
  const Json enc = Row(s, "encryption");
  EXPECT_EQ(enc["number"], 6);
  EXPECT_EQ(enc["count"], 1);
  EXPECT_EQ(enc["self_handled"], 0);
  EXPECT_EQ(enc["domestic_help"], 1);
  EXPECT_EQ(enc["foreign_help"], 1);
  EXPECT_EQ(enc["support_requested"], 1);
  EXPECT_EQ(enc["estimated_damage_vnd"], 50'000'000);
  EXPECT_EQ(enc["incident_ids"], Json::array({ransom_}));
  EXPECT_EQ(Row(s, "defacement")["count"], 1);  // the hospital is in Sở Y tế's subtree
  EXPECT_EQ(Row(s, "dos")["count"], 0);         // Sở Tài chính is not
  EXPECT_EQ(Row(s, "malware")["count"], 0);     // 10/12/2025 is in the 2025 year
  EXPECT_EQ(s["domestic_helpers"], Json::array({"VNPT Sông Hồng"}));
  EXPECT_EQ(s["foreign_helpers"], Json::array({"Kaspersky Lab"}));

  Client coord = h_.SignIn(Role::kCoordinator);
  Json p = Form05(coord, {{"year", "2026"}, {"half", "1"}});
  EXPECT_EQ(p["organisation"]["name"], "Ủy ban nhân dân tỉnh Sông Hồng");
  EXPECT_EQ(p["total"]["count"], 3);
  EXPECT_EQ(Row(p, "dos")["count"], 1);
  EXPECT_EQ(Form05(coord, {{"year", "2026"}, {"half", "1"}, {"org_id", syt_}})["total"]["count"],
            2);
  EXPECT_EQ(Form05(coord, {{"year", "2026"}, {"half", "2"}})["total"]["count"], 0);
  Json y2025 = Form05(coord, {{"year", "2025"}, {"half", "year"}});
  EXPECT_EQ(y2025["total"]["count"], 1);
  EXPECT_EQ(Row(y2025, "malware")["count"], 1);
  EXPECT_EQ(Form05(coord, {{"year", "2026"}, {"half", "year"}})["total"]["count"], 3);

  // Outside the caller's scope and bad parameters are 400 naming the parameter.
  const std::string path = "/api/v1/incident-summaries/form05";
  EXPECT_TRUE(IsProblem(staff.Get(path, {{"year", "2026"}, {"half", "1"}, {"org_id", stc_}}), 400,
                        "/org_id"));
  EXPECT_TRUE(IsProblem(staff.Get(path, {{"year", "2026"}, {"half", "3"}}), 400, "/half"));
  EXPECT_TRUE(IsProblem(staff.Get(path, {{"year", "26"}, {"half", "1"}}), 400, "/year"));
  EXPECT_TRUE(IsProblem(staff.Get(path, {{"half", "1"}}), 400, "/year"));
  EXPECT_TRUE(IsProblem(staff.Get(path, {{"year", "2026"}, {"half", "1"}, {"format", "xlsx"}}), 400,
                        "/format"));
  EXPECT_TRUE(IsProblem(staff.Get(path, {{"year", "2026"}, {"half", "1"}, {"colour", "x"}}), 400));
  EXPECT_EQ(h_.SignIn(Role::kLiaison).Get(path, {{"year", "2026"}, {"half", "1"}}).status, 403);
}

// The DOCX carries every mandatory field of Form 05 in the Decree 30/2020 layout, addressed to
// the national coordinating agency; an organisation without an address is 422 naming it.
TEST_P(IncidentSummary, TheDocxCarriesEveryMandatoryField) {
  Seed();
  Client staff = h_.SignIn(Role::kOrgStaff);
  Response r =
      staff.Get("/api/v1/incident-summaries/form05", {{"year", "2026"},
                                                      {"half", "1"},
                                                      {"format", "docx"},
                                                      {"member_code", "TV-042"},
                                                      {"number", "7"},
                                                      {"proposals", "Tăng cường diễn tập"}});
  ASSERT_EQ(r.status, 200) << r.body.substr(0, 500);
  EXPECT_EQ(r.content_type,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  EXPECT_NE(r.Header("Content-Disposition").find("form05-2026-H1.docx"), std::string::npos);
  const std::string text = DocxText(r.body);
  for (const char* want :
       {"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "SỞ Y TẾ",
        "Số: 07/BC-SYT",
        "BÁO CÁO",
        "Tổng hợp 06 tháng đầu năm 2026 về hoạt động tiếp nhận và xử lý sự cố",
        "Trung tâm An ninh mạng quốc gia",
        "Tên tổ chức (*)",
        "Địa chỉ (*)",
        "Mã thành viên mạng lưới",
        "TV-042",
        "Kỳ báo cáo (*)",
        "Từ tháng 12/2025 đến tháng 6/2026 (từ ngày 16/12/2025 đến ngày 20/06/2026)",
        "Số lượng",
        "Tự xử lý",
        "Có hỗ trợ của tổ chức trong nước",
        "Có hỗ trợ của tổ chức nước ngoài",
        "Đề nghị cơ quan điều phối quốc gia hỗ trợ",
        "Ước tính thiệt hại (đồng)",
        "Tổng cộng",
        "50.000.000",
        "VNPT Sông Hồng",
        "Kaspersky Lab",
        "Tăng cường diễn tập",
        "Nơi nhận:"}) {
    EXPECT_NE(text.find(want), std::string::npos) << want << "\n" << text;
  }
  for (const auto& info : incident::IncidentTypes()) {
    EXPECT_NE(text.find(std::string(info.vi)), std::string::npos) << info.vi;
  }

  const core::Organisation bare = h_.InsertOrg("Phòng Công nghệ thông tin", syt_);
  Response missing =
      staff.Get("/api/v1/incident-summaries/form05",
                {{"year", "2026"}, {"half", "1"}, {"format", "docx"}, {"org_id", bare.id}});
  EXPECT_TRUE(IsProblem(missing, 422, "/organisation/address"));
}

TEST_P(IncidentSummary, ThePdfIsRenderedThroughLibreOffice) {
  if (GetParam() != "sqlite") GTEST_SKIP() << "one rendering is enough";
  if (!report::FindSoffice() && !report::testing::InCi()) GTEST_SKIP() << "no LibreOffice";
  Seed();
  Client coord = h_.SignIn(Role::kCoordinator);
  Response r = coord.Get("/api/v1/incident-summaries/form05",
                         {{"year", "2026"}, {"half", "year"}, {"format", "pdf"}});
  ASSERT_EQ(r.status, 200) << r.body.substr(0, 500);
  EXPECT_EQ(r.content_type, "application/pdf");
  EXPECT_EQ(r.body.rfind("%PDF-", 0), 0U);
  if (const char* out = std::getenv("UCSC_FORM05_PDF")) {  // to look at the layout
    std::ofstream(out, std::ios::binary) << r.body;
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, IncidentSummary, ::testing::ValuesIn(Backends()));

}  // namespace
}  // namespace ucsc::server::testing
