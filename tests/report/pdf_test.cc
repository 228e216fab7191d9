// Integration: DOCX -> PDF through the installed LibreOffice, checked with poppler-utils:
// pdftotext returns the Vietnamese text intact, pdffonts shows only embedded fonts, and the page
// number appears from page 2. Under CI=true a missing tool is a failure, never a skip.
#include "report/pdf.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "report/compliance_report.h"
#include "report/docx_test_util.h"
#include "report/official_document.h"

namespace ucsc::report {
namespace {

namespace fs = std::filesystem;

bool HaveTool(const std::string& name) {
  return std::system(("command -v " + name + " >/dev/null 2>&1").c_str()) == 0;
}

// Skips (outside CI) or fails (CI=true) when LibreOffice or poppler-utils is missing.
#define REQUIRE_PDF_TOOLS()                                                                  \
  do {                                                                                       \
    const bool have_soffice = FindSoffice().has_value();                                     \
    const bool have_poppler = HaveTool("pdftotext") && HaveTool("pdffonts");                 \
    if (!have_soffice || !have_poppler) {                                                    \
      const std::string missing = !have_soffice ? "LibreOffice (soffice)" : "poppler-utils"; \
      if (testing::InCi()) FAIL() << missing << " is required when CI=true";                 \
      GTEST_SKIP() << missing << " not installed: PDF integration test skipped";             \
    }                                                                                        \
  } while (false)

// Runs `command` and returns its standard output.
std::string Capture(const std::string& command) {
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  std::array<char, 4096> buffer;
  size_t got;
  while ((got = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
    out.append(buffer.data(), got);
  ::pclose(pipe);
  return out;
}

// Whitespace runs (including line ends) collapsed to one space.
std::string Collapse(const std::string& s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\f' || c == '\r') {
      space = true;
    } else {
      if (space && !out.empty()) out += ' ';
      space = false;
      out += c;
    }
  }
  return out;
}

class PdfIntegration : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "ucsc-pdf-it-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  // Renders, converts and stores the PDF; returns its path ("" on failure, with a test failure).
  std::string ToPdfFile(const OfficialDocument& doc, const std::string& name) {
    auto docx = RenderDocx(doc);
    EXPECT_TRUE(docx) << docx.error().ToString();
    if (!docx) return "";
    auto pdf = ConvertDocxToPdf(*docx);
    EXPECT_TRUE(pdf) << pdf.error().ToString();
    if (!pdf) return "";
    const std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << *pdf;
    // UCSC_REPORT_KEEP=<dir> keeps the DOCX and PDF for a look by eye.
    if (const char* keep = std::getenv("UCSC_REPORT_KEEP"); keep != nullptr && *keep != '\0') {
      std::ofstream(fs::path(keep) / name, std::ios::binary) << *pdf;
      std::ofstream(fs::path(keep) / (name + ".docx"), std::ios::binary) << *docx;
    }
    return path;
  }
  fs::path dir_;
};

OfficialDocument LongReport() {
  OfficialDocument doc = testing::SampleReport();
  for (int i = 1; i <= 30; ++i) {
    testing::AddBlock(
        &doc, Paragraph::Plain("Đoạn " + std::to_string(i) +
                               ": Các cơ quan, đơn vị tiếp tục rà soát, cập nhật phương án ứng "
                               "cứu sự cố; tổ chức diễn tập thực chiến đối với hệ thống cấp độ 3 "
                               "trở lên; săn lùng mối nguy hại và rà quét lỗ hổng định kỳ."));
  }
  return doc;
}

TEST_F(PdfIntegration, VietnameseTextEmbeddedFontsAndPageNumbers) {
  REQUIRE_PDF_TOOLS();
  const std::string path = ToPdfFile(LongReport(), "report.pdf");
  ASSERT_FALSE(path.empty());

  // pdftotext: the Vietnamese text comes back intact (precomposed, every diacritic).
  const std::string text = Collapse(Capture("pdftotext -enc UTF-8 '" + path + "' -"));
  for (const std::string expected :
       {"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
        "UBND TỈNH THÁI NGUYÊN", "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "Số: 07/BC-SKHCN",
        "Thái Nguyên, ngày 05 tháng 12 năm 2026", "BÁO CÁO",
        "Tình hình bảo đảm an toàn hệ thống thông tin theo cấp độ năm 2026", "Kính gửi:",
        "- Ủy ban nhân dân tỉnh Thái Nguyên.", "I. TÌNH HÌNH CHUNG", "Cổng dịch vụ công trực tuyến",
        "tổ chức diễn tập thực chiến đối với hệ thống cấp độ 3 trở lên; săn lùng mối nguy hại và "
        "rà quét lỗ hổng định kỳ./.",
        "Nơi nhận:", "- Lưu: VT, CNTT.", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Thị Hồng Nhung"}) {
    EXPECT_NE(text.find(expected), std::string::npos) << "missing in PDF text: " << expected;
  }

  // pdffonts: every font embedded; the text face is Times New Roman or its metric twin.
  const std::string fonts = Capture("pdffonts '" + path + "'");
  std::istringstream lines(fonts);
  std::string line;
  int font_rows = 0;
  bool serif = false;
  while (std::getline(lines, line)) {
    if (line.rfind("name", 0) == 0 || line.rfind("----", 0) == 0 || line.empty()) continue;
    std::vector<std::string> tokens;
    std::istringstream words(line);
    for (std::string w; words >> w;) tokens.push_back(w);
    ASSERT_GE(tokens.size(), 7u) << line;
    ++font_rows;
    // Columns from the right: object ID (2 tokens), uni, sub, emb.
    EXPECT_EQ(tokens[tokens.size() - 5], "yes") << "font not embedded: " << line;
    EXPECT_EQ(line.find("Type 3"), std::string::npos) << line;
    if (line.find("LiberationSerif") != std::string::npos ||
        line.find("TimesNewRoman") != std::string::npos) {
      serif = true;
    }
  }
  EXPECT_GT(font_rows, 0) << fonts;
  EXPECT_TRUE(serif) << fonts;

  // Page numbers: none on page 1; "2" alone at the top of page 2.
  const std::string pages = Capture("pdfinfo '" + path + "' | sed -n 's/^Pages: *//p'");
  ASSERT_GE(std::stoi(pages.empty() ? "0" : pages), 2) << "the sample must span two pages";
  auto first_line = [&](int page) {
    std::istringstream in(Capture("pdftotext -enc UTF-8 -layout -f " + std::to_string(page) +
                                  " -l " + std::to_string(page) + " '" + path + "' -"));
    for (std::string l; std::getline(in, l);) {
      const std::string collapsed = Collapse(l);
      if (!collapsed.empty()) return collapsed;
    }
    return std::string();
  };
  EXPECT_EQ(first_line(2), "2");
  const std::string page1 = first_line(1);
  EXPECT_NE(page1, "1");
  EXPECT_NE(page1.find("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), std::string::npos) << page1;

  // A4 portrait.
  const std::string size = Capture("pdfinfo '" + path + "' | sed -n 's/^Page size: *//p'");
  EXPECT_NE(size.find("595.3"), std::string::npos) << size;
  EXPECT_NE(size.find("841.8"), std::string::npos) << size;
}

TEST_F(PdfIntegration, ComplianceReportConverts) {
  REQUIRE_PDF_TOOLS();
  ComplianceReportInput input;
  input.issue.issuing_body = "Công an tỉnh Thái Nguyên";
  input.issue.issuer_code = "CAT-PA05";
  input.issue.number = 3;
  input.issue.place = "Thái Nguyên";
  input.issue.date = {2027, 1, 4};
  input.issue.signature = {"KT. Giám đốc", "Phó Giám đốc", "Đặng Quốc Hưng"};
  input.issue.recipients = {"Bộ Công an (Cục A05)"};
  input.as_of = {2026, 12, 31};
  input.totals = {120, 30, 45, 5};
  OverdueItem item;
  item.organisation = "Sở Y tế";
  item.subject = "Hệ thống quản lý khám chữa bệnh";
  item.level = 3;
  item.rule_id = "R2";
  item.rule_title = "Rà quét lỗ hổng ít nhất 6 tháng một lần";
  item.legal_basis = "Chỉ thị 18/CT-TTg";
  item.due_date = {2026, 11, 1};
  item.days_overdue = 60;
  item.missing_evidence = "Báo cáo rà quét lỗ hổng";
  input.overdue = {item};
  input.organisations = {{"Sở Y tế", {10, 2, 3, 1}}};
  auto doc = BuildComplianceReport(input);
  ASSERT_TRUE(doc) << doc.error().ToString();
  const std::string path = ToPdfFile(*doc, "compliance.pdf");
  ASSERT_FALSE(path.empty());
  const std::string text = Collapse(Capture("pdftotext -enc UTF-8 '" + path + "' -"));
  for (const std::string expected :
       {"Số: 03/BC-CAT-PA05", "Thái Nguyên, ngày 04 tháng 01 năm 2027", "Đã đáp ứng: 120 (61,5%)",
        "Báo cáo rà quét lỗ hổng", "Đặng Quốc Hưng"}) {
    EXPECT_NE(text.find(expected), std::string::npos) << "missing in PDF text: " << expected;
  }
}

}  // namespace
}  // namespace ucsc::report
