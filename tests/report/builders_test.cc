// The two document builders (level_report.h, compliance_report.h) and RenderXlsx.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "report/compliance_report.h"
#include "report/docx_test_util.h"
#include "report/level_report.h"
#include "report/xlsx.h"
#include "tabular/xlsx.h"

namespace ucsc::report {
namespace {

IssueDetails SampleIssue() {
  IssueDetails issue;
  issue.parent_body = "UBND tỉnh Thái Nguyên";
  issue.issuing_body = "Sở Khoa học và Công nghệ";
  issue.issuer_code = "SKHCN";
  issue.number = 41;
  issue.place = "Thái Nguyên";
  issue.date = {2026, 12, 18};
  issue.addressees = {"Ủy ban nhân dân tỉnh Thái Nguyên"};
  issue.signature = {"KT. Giám đốc", "Phó Giám đốc", "Trần Văn Bình"};
  issue.recipients = {"Bộ Công an (Cục A05)", "Ban Giám đốc Sở"};
  issue.archive_units = "VT, CNTT";
  return issue;
}

LevelReportInput SampleLevelInput() {
  LevelReportInput input;
  input.issue = SampleIssue();
  input.route = LevelReportRoute::kOperatorToOwner;
  input.year = 2026;
  LevelSystemEntry portal;
  portal.name = "Cổng dịch vụ công trực tuyến tỉnh";
  portal.operator_name = "Trung tâm Chuyển đổi số";
  portal.level = 3;
  portal.approval = "Quyết định số 12/QĐ-UBND ngày 05/3/2024";
  portal.plan_implemented = true;
  portal.last_assessment = core::LocalDate{2026, 6, 1};  // in the period
  portal.incidents = 2;
  LevelSystemEntry mail = portal;
  mail.name = "Hệ thống thư điện tử công vụ";
  mail.level = 2;
  mail.approval.clear();
  mail.plan_implemented = false;
  mail.last_assessment.reset();
  mail.incidents = 0;
  LevelSystemEntry dc = portal;
  dc.name = "Trung tâm dữ liệu tỉnh";
  dc.level = 3;
  dc.last_assessment = core::LocalDate{2025, 12, 14};  // the day before the period starts
  dc.incidents = 1;
  input.systems = {portal, mail, dc};
  input.results = {"Đã triển khai giám sát an toàn thông tin cho các hệ thống cấp độ 3."};
  input.proposals = {"Đề nghị bố trí kinh phí kiểm tra, đánh giá năm 2027."};
  return input;
}

// All non-empty paragraph texts of a DOCX, in order.
std::vector<std::string> Texts(const std::string& docx) {
  auto parts = testing::Unzip(docx);
  pugi::xml_document xml;
  EXPECT_TRUE(xml.load_string(parts["word/document.xml"].c_str()));
  std::vector<std::string> texts;
  for (pugi::xpath_node x : xml.select_nodes("//w:p")) {
    const std::string t = testing::ParagraphText(x.node());
    if (!t.empty()) texts.push_back(t);
  }
  return texts;
}

bool Contains(const std::vector<std::string>& texts, const std::string& text) {
  return std::find(texts.begin(), texts.end(), text) != texts.end();
}

bool AnyStartsWith(const std::vector<std::string>& texts, const std::string& prefix) {
  return std::any_of(texts.begin(), texts.end(),
                     [&](const std::string& t) { return t.rfind(prefix, 0) == 0; });
}

TEST(LevelReport, PeriodAndDeadlines) {
  const ReportPeriod period = LevelReportPeriod(2026);
  EXPECT_EQ(period.first, (core::LocalDate{2025, 12, 15}));
  EXPECT_EQ(period.last, (core::LocalDate{2026, 12, 14}));
  EXPECT_EQ(LevelReportDeadline(2026, LevelReportRoute::kOperatorToOwner),
            (core::LocalDate{2026, 12, 20}));
  EXPECT_EQ(LevelReportDeadline(2026, LevelReportRoute::kOwnerToMinistry),
            (core::LocalDate{2026, 12, 25}));
}

TEST(LevelReport, ContentFromTheSystems) {
  auto doc = BuildLevelReport(SampleLevelInput());
  ASSERT_TRUE(doc) << doc.error().ToString();
  EXPECT_EQ(doc->symbol, "BC-SKHCN");
  EXPECT_EQ(doc->type_name, "Báo cáo");
  auto docx = RenderDocx(*doc);
  ASSERT_TRUE(docx) << docx.error().ToString();
  const auto texts = Texts(*docx);
  EXPECT_TRUE(Contains(texts, "Số: 41/BC-SKHCN"));
  EXPECT_TRUE(Contains(texts, "Thái Nguyên, ngày 18 tháng 12 năm 2026"));
  EXPECT_TRUE(Contains(texts, "Kính gửi: Ủy ban nhân dân tỉnh Thái Nguyên."));
  EXPECT_TRUE(AnyStartsWith(texts, "Thực hiện quy định tại Điều 13 Thông tư số 12/2022/TT-BTTTT"));
  bool period_named = false;
  for (const auto& t : texts) {
    if (t.find("(số liệu từ ngày 15/12/2025 đến ngày 14/12/2026)") != std::string::npos &&
        t.find("trước ngày 20/12") != std::string::npos) {
      period_named = true;
    }
  }
  EXPECT_TRUE(period_named);
  EXPECT_TRUE(Contains(texts,
                       "1. Tổng số hệ thống thông tin: 3 (cấp độ 1: 0, cấp độ 2: 1, cấp độ 3: 2, "
                       "cấp độ 4: 0, cấp độ 5: 0)."));
  EXPECT_TRUE(Contains(texts, "2. Hệ thống đã được phê duyệt hồ sơ đề xuất cấp độ: 2/3 (66,7%)."));
  EXPECT_TRUE(Contains(
      texts,
      "3. Hệ thống đã triển khai đầy đủ phương án bảo đảm an toàn theo cấp độ: 2/3 (66,7%)."));
  // The data centre's assessment on 14/12/2025 is outside the 2026 period.
  EXPECT_TRUE(Contains(
      texts, "4. Hệ thống cấp độ 3 trở lên đã được kiểm tra, đánh giá trong kỳ: 1/2 (50%)."));
  EXPECT_TRUE(Contains(texts, "5. Số sự cố an toàn thông tin mạng trong kỳ: 3."));
  for (const std::string cell :
       {"Cổng dịch vụ công trực tuyến tỉnh", "Quyết định số 12/QĐ-UBND ngày 05/3/2024",
        "Chưa phê duyệt", "Chưa triển khai đầy đủ", "01/06/2026", "Chưa thực hiện",
        "Trung tâm dữ liệu tỉnh"}) {
    EXPECT_TRUE(Contains(texts, cell)) << cell;
  }
  EXPECT_TRUE(Contains(texts, "IV. TỒN TẠI, HẠN CHẾ"));
  EXPECT_TRUE(Contains(texts, "Không có."));  // no shortcomings given
  EXPECT_TRUE(Contains(texts, "Sở Khoa học và Công nghệ trân trọng báo cáo./."));
}

TEST(LevelReport, OwnerToMinistryRoute) {
  LevelReportInput input = SampleLevelInput();
  input.route = LevelReportRoute::kOwnerToMinistry;
  auto doc = BuildLevelReport(input);
  ASSERT_TRUE(doc);
  auto docx = RenderDocx(*doc);
  ASSERT_TRUE(docx);
  bool found = false;
  for (const auto& t : Texts(*docx))
    found = found || t.find("trước ngày 25/12") != std::string::npos;
  EXPECT_TRUE(found);
}

TEST(LevelReport, RefusesBadInput) {
  LevelReportInput input = SampleLevelInput();
  input.systems[1].level = 6;
  auto doc = BuildLevelReport(input);
  ASSERT_FALSE(doc);
  EXPECT_EQ(doc.error().field, "/systems/1/level");

  input = SampleLevelInput();
  input.systems[0].name = " ";
  EXPECT_EQ(BuildLevelReport(input).error().field, "/systems/0/name");

  input = SampleLevelInput();
  input.year = 1999;
  EXPECT_EQ(BuildLevelReport(input).error().field, "/year");

  input = SampleLevelInput();
  input.issue.issuer_code = "skhcn";
  EXPECT_EQ(BuildLevelReport(input).error().field, "/symbol");

  input = SampleLevelInput();
  input.issue.signature.name.clear();
  EXPECT_EQ(BuildLevelReport(input).error().field, "/signature/name");
}

TEST(LevelReport, XlsxRoundTrip) {
  auto tables = LevelReportTables(SampleLevelInput());
  ASSERT_TRUE(tables) << tables.error().ToString();
  auto xlsx = RenderXlsx(*tables);
  ASSERT_TRUE(xlsx) << xlsx.error().ToString();
  auto read = tabular::ReadXlsx(*xlsx);
  ASSERT_TRUE(read) << read.error().ToString();
  ASSERT_EQ(read->size(), 2u);
  EXPECT_EQ((*read)[0].name, "Tổng hợp");
  EXPECT_EQ((*read)[1].name, "Hệ thống");
  EXPECT_EQ((*read)[1].header[1], "Tên hệ thống thông tin");
  ASSERT_EQ((*read)[1].rows.size(), 3u);
  EXPECT_EQ((*read)[1].rows[0].cells[1], "Cổng dịch vụ công trực tuyến tỉnh");
  EXPECT_EQ((*read)[1].rows[2].cells[3], "3");
  bool period = false;
  for (const auto& row : (*read)[0].rows) {
    if (row.cells[0] == "Kỳ số liệu") period = row.cells[1] == "15/12/2025 - 14/12/2026";
  }
  EXPECT_TRUE(period);
  // Deterministic.
  EXPECT_EQ(*xlsx, *RenderXlsx(*tables));
}

ComplianceReportInput SampleComplianceInput() {
  ComplianceReportInput input;
  input.issue = SampleIssue();
  input.issue.issuing_body = "Công an tỉnh Thái Nguyên";
  input.issue.parent_body.clear();
  input.issue.issuer_code = "CAT-PA05";
  input.as_of = {2026, 12, 31};
  input.rule_pack = "vn-2022";
  input.totals = {120, 30, 45, 5};
  OverdueItem hunt;
  hunt.organisation = "Sở Y tế";
  hunt.subject = "Hệ thống quản lý khám chữa bệnh";
  hunt.level = 3;
  hunt.rule_id = "R1";
  hunt.rule_title = "Săn lùng mối nguy hại ít nhất 6 tháng một lần";
  hunt.legal_basis = "Chỉ thị 18/CT-TTg, mục 1b";
  hunt.due_date = {2026, 10, 2};
  hunt.days_overdue = 90;
  hunt.missing_evidence = "Báo cáo săn lùng mối nguy hại";
  OverdueItem team;
  team.organisation = "Sở Tài chính";
  team.rule_id = "R7";
  team.rule_title = "Đội ứng cứu sự cố có ít nhất 5 chuyên gia";
  team.legal_basis = "Quyết định 05/2017/QĐ-TTg, Điều 6";
  team.due_date = {2026, 12, 1};
  team.days_overdue = 30;
  team.missing_evidence = "Quyết định kiện toàn đội ứng cứu sự cố";
  input.overdue = {hunt, team};
  input.organisations = {{"Sở Y tế", {10, 2, 3, 1}}, {"Sở Tài chính", {8, 0, 0, 0}}};
  input.assessment = {"Tỷ lệ quá hạn còn cao ở khối sở, ngành."};
  input.proposals = {"Đôn đốc các đơn vị quá hạn.", "Tổ chức kiểm tra trong quý I/2027."};
  return input;
}

TEST(FormatPercent, RoundingAndEdges) {
  EXPECT_EQ(FormatPercent(1, 3), "33,3%");
  EXPECT_EQ(FormatPercent(2, 3), "66,7%");
  EXPECT_EQ(FormatPercent(5, 10), "50%");
  EXPECT_EQ(FormatPercent(0, 7), "0%");
  EXPECT_EQ(FormatPercent(7, 7), "100%");
  EXPECT_EQ(FormatPercent(0, 0), "-");
  EXPECT_EQ(FormatPercent(1999, 2000), "99,9%");  // never "100%" with one missing
  EXPECT_EQ(FormatPercent(1, 5000), "0,1%");      // never "0%" with one present
  EXPECT_EQ(FormatPercent(171, 1000), "17,1%");
}

TEST(ComplianceReport, SummaryOverdueAndOrganisations) {
  auto doc = BuildComplianceReport(SampleComplianceInput());
  ASSERT_TRUE(doc) << doc.error().ToString();
  EXPECT_EQ(doc->symbol, "BC-CAT-PA05");
  auto docx = RenderDocx(*doc);
  ASSERT_TRUE(docx) << docx.error().ToString();
  const auto texts = Texts(*docx);
  // The issuing body is upper-cased and wrapped to the 40 % header cell in even lines.
  EXPECT_TRUE(Contains(texts, "CÔNG AN TỈNH\nTHÁI NGUYÊN"));
  EXPECT_TRUE(Contains(texts, "Số: 41/BC-CAT-PA05"));
  // 120 + 30 + 45 = 195 applicable.
  EXPECT_TRUE(Contains(texts, "1. Số nghĩa vụ (quy tắc × đối tượng) phải thực hiện: 195."));
  EXPECT_TRUE(Contains(texts, "2. Đã đáp ứng: 120 (61,5%)."));
  EXPECT_TRUE(Contains(texts, "3. Sắp đến hạn: 30 (15,4%)."));
  EXPECT_TRUE(Contains(texts, "4. Quá hạn: 45 (23,1%)."));
  EXPECT_TRUE(Contains(texts, "5. Không áp dụng: 5."));
  EXPECT_TRUE(Contains(texts, "6. Tỷ lệ tuân thủ (đã đáp ứng và sắp đến hạn): 76,9%."));
  // Every overdue row names its rule id, legal basis and the missing evidence.
  for (const std::string cell :
       {"R1 - Săn lùng mối nguy hại ít nhất 6 tháng một lần", "Chỉ thị 18/CT-TTg, mục 1b",
        "Báo cáo săn lùng mối nguy hại", "Hệ thống quản lý khám chữa bệnh (cấp độ 3)", "02/10/2026",
        "90", "R7 - Đội ứng cứu sự cố có ít nhất 5 chuyên gia", "Quyết định 05/2017/QĐ-TTg, Điều 6",
        "Quyết định kiện toàn đội ứng cứu sự cố"}) {
    EXPECT_TRUE(Contains(texts, cell)) << cell;
  }
  // Per organisation: Sở Y tế 10 ok + 2 due soon of 15 applicable = 80%.
  EXPECT_TRUE(Contains(texts, "15"));
  EXPECT_TRUE(Contains(texts, "80%"));
  EXPECT_TRUE(Contains(texts, "100%"));
  EXPECT_TRUE(Contains(texts, "2. Tổ chức kiểm tra trong quý I/2027."));
  bool intro = false;
  for (const auto& t : texts) {
    intro = intro || (t.rfind("Thực hiện Chỉ thị số 18/CT-TTg", 0) == 0 &&
                      t.find("tính đến ngày 31/12/2026 (bộ quy tắc vn-2022)") != std::string::npos);
  }
  EXPECT_TRUE(intro);
}

TEST(ComplianceReport, NoOverdue) {
  ComplianceReportInput input = SampleComplianceInput();
  input.overdue.clear();
  input.proposals.clear();
  auto doc = BuildComplianceReport(input);
  ASSERT_TRUE(doc);
  auto docx = RenderDocx(*doc);
  ASSERT_TRUE(docx);
  const auto texts = Texts(*docx);
  EXPECT_TRUE(Contains(texts, "Không có nghĩa vụ quá hạn."));
}

TEST(ComplianceReport, RefusesBadInput) {
  ComplianceReportInput input = SampleComplianceInput();
  input.overdue[1].legal_basis.clear();
  EXPECT_EQ(BuildComplianceReport(input).error().field, "/overdue/1/legal_basis");
  input = SampleComplianceInput();
  input.overdue[0].missing_evidence = "  ";
  EXPECT_EQ(BuildComplianceReport(input).error().field, "/overdue/0/missing_evidence");
  input = SampleComplianceInput();
  input.overdue[0].days_overdue = 0;
  EXPECT_EQ(BuildComplianceReport(input).error().field, "/overdue/0/days_overdue");
  input = SampleComplianceInput();
  input.totals.overdue = -1;
  EXPECT_EQ(BuildComplianceReport(input).error().field, "/totals");
  input = SampleComplianceInput();
  input.organisations[1].organisation.clear();
  EXPECT_EQ(ComplianceReportTables(input).error().field, "/organisations/1/organisation");
  input = SampleComplianceInput();
  input.as_of = {2026, 13, 1};
  EXPECT_EQ(BuildComplianceReport(input).error().field, "/as_of");
}

TEST(ComplianceReport, XlsxSheets) {
  auto tables = ComplianceReportTables(SampleComplianceInput());
  ASSERT_TRUE(tables);
  auto xlsx = RenderXlsx(*tables);
  ASSERT_TRUE(xlsx) << xlsx.error().ToString();
  auto read = tabular::ReadXlsx(*xlsx);
  ASSERT_TRUE(read) << read.error().ToString();
  ASSERT_EQ(read->size(), 3u);
  EXPECT_EQ((*read)[1].name, "Quá hạn");
  ASSERT_EQ((*read)[1].rows.size(), 2u);
  const auto& first = (*read)[1].rows[0].cells;
  EXPECT_EQ(first[3], "R1 - Săn lùng mối nguy hại ít nhất 6 tháng một lần");
  EXPECT_EQ(first[4], "Chỉ thị 18/CT-TTg, mục 1b");
  EXPECT_EQ(first[7], "Báo cáo săn lùng mối nguy hại");
  EXPECT_EQ((*read)[2].name, "Đơn vị");
  EXPECT_EQ((*read)[2].rows[0].cells[6], "80%");
}

TEST(RenderXlsx, NormalisesToNfcAndRefusesInvalidUtf8) {
  std::vector<tabular::Table> tables = {{"Sheet", {"Tên"}, {{2, {"Vie\xCC\x82\xCC\xA3t Nam"}}}}};
  auto xlsx = RenderXlsx(tables);
  ASSERT_TRUE(xlsx);
  auto read = tabular::ReadXlsx(*xlsx);
  ASSERT_TRUE(read);
  EXPECT_EQ((*read)[0].rows[0].cells[0], "Việt Nam");
  tables[0].rows[0].cells[0] = "\xFF";
  auto bad = RenderXlsx(tables);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, core::ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace ucsc::report
