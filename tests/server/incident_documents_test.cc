// Official documents of an incident through the API (issue 14 §6, DOMAIN.md A, C, D, F): the
// notification, Form 03, progress report and Form 04 as DOCX (and PDF through LibreOffice) in the
// Decree 30/2020 layout, built from the case; a case that lacks a mandatory (*) field answers
// 422 naming every such field.
#include <pugixml.hpp>

#include "report/docx_test_util.h"
#include "report/pdf.h"
#include "server/api_test_util.h"

namespace ucsc::server::testing {
namespace {

using core::Role;
using std::chrono::hours;

// The text of every paragraph of the DOCX's main part, one per line.
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

class IncidentDocuments : public ::testing::TestWithParam<std::string> {
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

  std::string Create(const Client& c) {
    Json body{{"title", "Mã hóa dữ liệu cổng thông tin"},
              {"description", "Máy chủ bị mã hóa dữ liệu, có thư đòi tiền chuộc"},
              {"type", "encryption"},
              {"detected_at", core::FormatRfc3339Utc(T0() - hours(3))},
              {"affected_systems", {{{"system_id", level3_.id}}}},
              {"notification",
               {{"reporter", {{"name", "Sở Y tế"}, {"address", "12 Lê Lợi"}}},
                {"operator_name", "Trung tâm CNTT Sở Y tế"},
                {"owner_name", "Sở Y tế tỉnh Sông Hồng"},
                {"handling_result", "Đã cô lập máy chủ"}}}};
    Response r = c.Post("/api/v1/incidents", body);
    EXPECT_EQ(r.status, 201) << r.body;
    return Body(r)["id"].get<std::string>();
  }

  ApiHarness h_;
  std::string syt_;
  core::InformationSystem level3_;
};

TEST_P(IncidentDocuments, TheNotificationIsADocxInTheDecree30LayoutFromTheCase) {
  Client staff = h_.SignIn(Role::kOrgStaff);
  const std::string id = Create(staff);
  Response r = staff.Get("/api/v1/incidents/" + id + "/documents/notification",
                         {{"number", "7"}, {"signer_name", "Nguyễn Văn An"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  EXPECT_NE(r.Header("Content-Disposition").find("notification.docx"), std::string::npos);
  ASSERT_EQ(r.body.rfind("PK", 0), 0U);
  const std::string text = DocxText(r.body);
  for (const char* want :
       {"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "SỞ Y TẾ",
        "Số: 07/TB-SYT", "THÔNG BÁO", "Kính gửi:", "Sở Y tế tỉnh Sông Hồng",
        "Trung tâm An ninh mạng quốc gia", "Trung tâm CNTT Sở Y tế", "Máy chủ bị mã hóa dữ liệu",
        "Đã cô lập máy chủ", "Nguyễn Văn An", "Nơi nhận:"}) {
    EXPECT_NE(text.find(want), std::string::npos) << want << "\n" << text;
  }
  // The place of issue is the province (the root organisation).
  EXPECT_NE(text.find("Sông Hồng, ngày 01 tháng 6 năm 2026"), std::string::npos) << text;
}

TEST_P(IncidentDocuments, Form03NamesEveryMissingMandatoryFieldWith422ThenRenders) {
  Client staff = h_.SignIn(Role::kOrgStaff);
  const std::string id = Create(staff);
  const std::string path = "/api/v1/incidents/" + id + "/documents/form03";
  Response r = staff.Get(path);
  ASSERT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(r.content_type, "application/problem+json");
  std::set<std::string> pointers;
  const Json errors = Body(r)["errors"];
  for (const auto& e : errors) pointers.insert(e["pointer"].get<std::string>());
  for (const char* want : {"/notification/reporter/phone", "/notification/reporter/email",
                           "/initial_report/contact/name", "/initial_report/contact/phone",
                           "/initial_report/contact/email", "/initial_report/status"}) {
    EXPECT_TRUE(pointers.contains(want)) << want << " in " << r.body;
  }
  Response en = staff.Send([&] {
    Request q;
    q.method = "GET";
    q.path = path;
    q.headers["accept-language"] = "en";
    return q;
  }());
  EXPECT_EQ(Body(en)["title"], "The case lacks fields the form needs");
  Json inc = Body(staff.Get("/api/v1/incidents/" + id));
  Json patch{
      {"notification",
       {{"reporter",
         {{"name", "Sở Y tế"},
          {"address", "12 Lê Lợi"},
          {"phone", "0208 3855 111"},
          {"email", "syt@example.gov.vn"}}},
        {"operator_name", "Trung tâm CNTT Sở Y tế"},
        {"owner_name", "Sở Y tế tỉnh Sông Hồng"},
        {"handling_result", "Đã cô lập máy chủ"}}},
      {"initial_report",
       {{"contact", {{"name", "Trần Thị Bình"}, {"phone", "0912 345 678"}, {"email", "b@x.vn"}}},
        {"status", "not_handled"},
        {"detected_by_log_review", true},
        {"notified_coordinating_agency", true}}}};
  Response p =
      staff.Patch("/api/v1/incidents/" + id, patch, capability::ETag(inc["version"].get<int>()));
  ASSERT_EQ(p.status, 200) << p.body;
  Response ok = staff.Get("/api/v1/incidents/" + id + "/documents/initial_report");
  ASSERT_EQ(ok.status, 200) << ok.body;
  const std::string text = DocxText(ok.body);
  for (const char* want :
       {"BÁO CÁO", "Ban đầu sự cố mạng", "Trần Thị Bình", "0912 345 678", "Chưa được xử lý",
        "Qua kiểm tra nhật ký", "Cơ quan điều phối quốc gia", "Cấp độ 3", "Số:", "/BC-SYT"}) {
    EXPECT_NE(text.find(want), std::string::npos) << want << "\n" << text;
  }
}

TEST_P(IncidentDocuments, BadFormsAndFormatsAreCleanErrors) {
  Client staff = h_.SignIn(Role::kOrgStaff);
  const std::string id = Create(staff);
  const std::string base = "/api/v1/incidents/" + id + "/documents/";
  EXPECT_TRUE(IsProblem(staff.Get(base + "form99"), 404));
  EXPECT_TRUE(IsProblem(staff.Get(base + "notification", {{"format", "odt"}}), 400, "/format"));
  EXPECT_TRUE(IsProblem(staff.Get(base + "notification", {{"number", "x1"}}), 400, "/number"));
  EXPECT_TRUE(IsProblem(staff.Get(base + "notification", {{"issuer_code", "bad code"}}), 400,
                        "/issuer_code"));
  EXPECT_TRUE(IsProblem(staff.Get(base + "notification", {{"colour", "red"}}), 400, "/colour"));
  // Form 04 before the response ended: the closing report's mandatory reporter contact is
  // missing (DOMAIN.md D).
  Response d = staff.Get(base + "form04");
  ASSERT_EQ(d.status, 422) << d.body;
  // The progress report needs at least one progress row (DOMAIN.md F).
  Response f = staff.Get(base + "progress_report");
  ASSERT_EQ(f.status, 422) << f.body;
  EXPECT_NE(f.body.find("/progress"), std::string::npos) << f.body;
}

TEST_P(IncidentDocuments, ThePdfIsRenderedThroughLibreOffice) {
  if (GetParam() != "sqlite") GTEST_SKIP() << "one rendering is enough";
  if (!report::FindSoffice() && !report::testing::InCi()) GTEST_SKIP() << "no LibreOffice";
  Client staff = h_.SignIn(Role::kOrgStaff);
  const std::string id = Create(staff);
  Request q;
  q.method = "GET";
  q.path = "/api/v1/incidents/" + id + "/documents/notification";
  q.headers["accept"] = "application/pdf";
  Response r = staff.Send(q);
  ASSERT_EQ(r.status, 200) << r.body.substr(0, 500);
  EXPECT_EQ(r.content_type, "application/pdf");
  EXPECT_EQ(r.body.rfind("%PDF-", 0), 0U);
}

INSTANTIATE_TEST_SUITE_P(Backends, IncidentDocuments, ::testing::ValuesIn(Backends()));

}  // namespace
}  // namespace ucsc::server::testing
