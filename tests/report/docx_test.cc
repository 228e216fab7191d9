// RenderDocx against the checklist of ../shared/DOCFORMAT.md §6, item by item, on the XML parts
// of the package (document.xml, styles.xml, settings.xml, headers).
#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <regex>
#include <string>
#include <vector>

#include "report/docx_test_util.h"
#include "report/official_document.h"
#include "text/vietnamese.h"

namespace ucsc::report {
namespace {

using testing::CellParagraphs;
using testing::FormatOf;
using testing::IntAttr;
using testing::ParagraphText;

constexpr int kTextWidth = 11906 - 1701 - 850;

// A rendered and parsed package.
struct Rendered {
  std::map<std::string, std::string> parts;
  pugi::xml_document document, styles, settings, header_default, header_first;
  pugi::xml_node body;
  std::vector<pugi::xml_node> blocks;  // body children: w:p, w:tbl, w:sectPr

  explicit Rendered(const OfficialDocument& doc) {
    auto docx = RenderDocx(doc);
    EXPECT_TRUE(docx.has_value()) << (docx ? "" : docx.error().ToString());
    if (!docx) return;
    parts = testing::Unzip(*docx);
    EXPECT_TRUE(document.load_string(parts["word/document.xml"].c_str()));
    EXPECT_TRUE(styles.load_string(parts["word/styles.xml"].c_str()));
    EXPECT_TRUE(settings.load_string(parts["word/settings.xml"].c_str()));
    EXPECT_TRUE(header_default.load_string(parts["word/header1.xml"].c_str()));
    EXPECT_TRUE(header_first.load_string(parts["word/header2.xml"].c_str()));
    body = document.child("w:document").child("w:body");
    for (pugi::xml_node child : body.children()) blocks.push_back(child);
  }
  pugi::xml_node SectPr() const { return body.child("w:sectPr"); }
  pugi::xml_node HeaderTable() const { return blocks.at(0); }
  // The last table of the body (only a closing empty paragraph and sectPr follow it).
  pugi::xml_node SignatureTable() const {
    for (size_t i = blocks.size(); i-- > 0;) {
      if (std::string(blocks[i].name()) == "w:tbl") return blocks[i];
    }
    return {};
  }
  pugi::xml_node Cell(pugi::xml_node table, int row, int col) const {
    std::vector<pugi::xml_node> rows;
    for (pugi::xml_node tr : table.children("w:tr")) rows.push_back(tr);
    std::vector<pugi::xml_node> cells;
    for (pugi::xml_node tc : rows.at(static_cast<size_t>(row)).children("w:tc")) {
      cells.push_back(tc);
    }
    return cells.at(static_cast<size_t>(col));
  }
};

int CellWidth(pugi::xml_node tc) { return IntAttr(tc.child("w:tcPr").child("w:tcW"), "w:w"); }

// The length of the rule drawn by an empty paragraph's bottom border inside a box of `width`.
int RuleLength(pugi::xml_node p, int width) {
  const pugi::xml_node ind = p.child("w:pPr").child("w:ind");
  return width - IntAttr(ind, "w:left", 0) - IntAttr(ind, "w:right", 0);
}

bool HasSolidBottomRule(pugi::xml_node p) {
  const pugi::xml_node bottom = p.child("w:pPr").child("w:pBdr").child("w:bottom");
  return std::string(bottom.attribute("w:val").value()) == "single" &&
         std::string(bottom.attribute("w:color").value()) == "000000" && ParagraphText(p).empty();
}

std::string Jc(pugi::xml_node p) {
  return p.child("w:pPr").child("w:jc").attribute("w:val").value();
}

bool IsUpper(const std::string& s) {
  // Upper case iff folding the lower-case spelling equals folding it, and no ASCII lower letter
  // or Vietnamese lower letter remains: compare with a lower-cased copy's search form is not
  // enough, so check code points directly for the letters the samples use.
  for (unsigned char c : s) {
    if (c >= 'a' && c <= 'z') return false;
  }
  for (const char* lower : {"à", "á", "ả", "ã", "ạ", "ă", "â", "đ", "è", "é", "ê", "ệ", "ì", "í",
                            "ò", "ó", "ô", "ơ", "ở", "ọ", "ộ", "ù", "ú", "ư", "ự", "ủ", "ỉ", "ĩ"}) {
    if (s.find(lower) != std::string::npos) return false;
  }
  return true;
}

void ExpectBoldWidthWithin(int actual_rule, const std::string& text, int size_pt, double low,
                           double high) {
  const int measured = testing::MeasuredBoldWidthTwips(text, size_pt);
  if (measured < 0) {
    if (testing::InCi()) FAIL() << "Liberation Serif Bold not installed";
    GTEST_SKIP() << "Liberation Serif Bold not installed: rule length not checked";
  }
  EXPECT_GE(actual_rule, measured * low)
      << text << ": rule " << actual_rule << " text " << measured;
  EXPECT_LE(actual_rule, measured * high)
      << text << ": rule " << actual_rule << " text " << measured;
}

// ----- Checklist 1: A4 portrait, margins 20/20/30/15 mm within the legal ranges.
TEST(DocxChecklist, Item01PageA4PortraitAndMargins) {
  Rendered r(testing::SampleReport());
  const pugi::xml_node pg_sz = r.SectPr().child("w:pgSz");
  EXPECT_EQ(IntAttr(pg_sz, "w:w"), 11906);
  EXPECT_EQ(IntAttr(pg_sz, "w:h"), 16838);
  EXPECT_STRNE(pg_sz.attribute("w:orient").value(), "landscape");
  const pugi::xml_node mar = r.SectPr().child("w:pgMar");
  EXPECT_EQ(IntAttr(mar, "w:top"), 1134);
  EXPECT_EQ(IntAttr(mar, "w:bottom"), 1134);
  EXPECT_EQ(IntAttr(mar, "w:left"), 1701);
  EXPECT_EQ(IntAttr(mar, "w:right"), 850);
  // Legal ranges: top/bottom 20–25 mm, left 30–35 mm, right 15–20 mm (1 mm = 56.69 twips).
  EXPECT_GE(IntAttr(mar, "w:top"), 1133);
  EXPECT_LE(IntAttr(mar, "w:top"), 1418);
  EXPECT_GE(IntAttr(mar, "w:left"), 1700);
  EXPECT_LE(IntAttr(mar, "w:left"), 1985);
  EXPECT_GE(IntAttr(mar, "w:right"), 850);
  EXPECT_LE(IntAttr(mar, "w:right"), 1134);
}

// ----- Checklist 2: all runs Times New Roman, black; text NFC.
TEST(DocxChecklist, Item02AllRunsTimesNewRomanBlackNfc) {
  OfficialDocument doc = testing::SampleReport();
  // Decomposed input (NFD marks) must come out precomposed.
  testing::AddBlock(&doc, Paragraph::Plain("Ho\xCC\x80"
                                           "a bi\xCC\x80nh, Vie\xCC\x82\xCC\xA3t Nam"));
  Rendered r(doc);
  int runs = 0;
  for (pugi::xml_document* part : {&r.document, &r.header_default, &r.header_first}) {
    for (pugi::xpath_node x : part->select_nodes("//w:r")) {
      ++runs;
      const pugi::xml_node rpr = x.node().child("w:rPr");
      const pugi::xml_node fonts = rpr.child("w:rFonts");
      for (const char* attr : {"w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"}) {
        EXPECT_STREQ(fonts.attribute(attr).value(), "Times New Roman") << attr;
      }
      EXPECT_STREQ(rpr.child("w:color").attribute("w:val").value(), "000000");
    }
    for (pugi::xpath_node x : part->select_nodes("//w:t")) {
      const std::string t = x.node().text().get();
      EXPECT_EQ(text::NormalizeNfc(t), t) << t;
    }
    // No other colour anywhere.
    for (pugi::xpath_node x : part->select_nodes("//w:color")) {
      EXPECT_STREQ(x.node().attribute("w:val").value(), "000000");
    }
  }
  EXPECT_GT(runs, 30);
  EXPECT_NE(r.parts["word/document.xml"].find("Hòa bình, Việt Nam"), std::string::npos);
  // Style defaults agree.
  const pugi::xml_node defaults =
      r.styles.child("w:styles").child("w:docDefaults").child("w:rPrDefault").child("w:rPr");
  EXPECT_STREQ(defaults.child("w:rFonts").attribute("w:ascii").value(), "Times New Roman");
  EXPECT_STREQ(defaults.child("w:rFonts").attribute("w:hAnsi").value(), "Times New Roman");
  EXPECT_STREQ(defaults.child("w:rFonts").attribute("w:cs").value(), "Times New Roman");
  EXPECT_STREQ(defaults.child("w:color").attribute("w:val").value(), "000000");
  EXPECT_STREQ(defaults.child("w:lang").attribute("w:val").value(), "vi-VN");
}

// ----- Checklist 3: the document starts with a borderless 2 × 2 header table (40 % | 60 %).
TEST(DocxChecklist, Item03StartsWithBorderless2x2HeaderTable) {
  Rendered r(testing::SampleReport());
  const pugi::xml_node table = r.HeaderTable();
  ASSERT_STREQ(table.name(), "w:tbl");
  int rows = 0;
  for (pugi::xml_node tr : table.children("w:tr")) {
    ++rows;
    int cells = 0;
    for (pugi::xml_node tc : tr.children("w:tc")) {
      (void)tc;
      ++cells;
    }
    EXPECT_EQ(cells, 2);
  }
  EXPECT_EQ(rows, 2);
  const pugi::xml_node borders = table.child("w:tblPr").child("w:tblBorders");
  for (const char* side : {"w:top", "w:left", "w:bottom", "w:right", "w:insideH", "w:insideV"}) {
    const std::string val = borders.child(side).attribute("w:val").value();
    EXPECT_TRUE(val == "none" || val == "nil") << side << "=" << val;
  }
  for (pugi::xpath_node x : table.select_nodes(".//w:tcBorders")) {
    ADD_FAILURE() << "cell borders set: " << x.node().name();
  }
  const int left = CellWidth(r.Cell(table, 0, 0));
  const int right = CellWidth(r.Cell(table, 0, 1));
  EXPECT_EQ(left + right, kTextWidth);
  EXPECT_NEAR(left * 100.0 / kTextWidth, 40, 1);
}

// ----- Checklist 4: right cell line 1 is the national title, bold, upper, 12–13 pt.
TEST(DocxChecklist, Item04NationalTitle) {
  Rendered r(testing::SampleReport());
  const auto ps = CellParagraphs(r.Cell(r.HeaderTable(), 0, 1));
  ASSERT_GE(ps.size(), 3u);
  EXPECT_EQ(ParagraphText(ps[0]), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
  const auto f = FormatOf(ps[0]);
  EXPECT_TRUE(f.bold);
  EXPECT_FALSE(f.italic);
  EXPECT_GE(f.half_points, 24);
  EXPECT_LE(f.half_points, 26);
  EXPECT_EQ(Jc(ps[0]), "center");
}

// ----- Checklist 5: right cell line 2 is the motto, bold 13–14 pt, with a solid rule as long as
// the motto's text (±5 %), measured from the font file.
TEST(DocxChecklist, Item05MottoAndFullWidthRule) {
  Rendered r(testing::SampleReport());
  const pugi::xml_node cell = r.Cell(r.HeaderTable(), 0, 1);
  const auto ps = CellParagraphs(cell);
  ASSERT_GE(ps.size(), 3u);
  EXPECT_EQ(ParagraphText(ps[1]), "Độc lập - Tự do - Hạnh phúc");
  const auto f = FormatOf(ps[1]);
  EXPECT_TRUE(f.bold);
  EXPECT_GE(f.half_points, 26);
  EXPECT_LE(f.half_points, 28);
  EXPECT_EQ(Jc(ps[1]), "center");
  EXPECT_EQ(IntAttr(ps[1].child("w:pPr").child("w:spacing"), "w:line"), 240);  // single
  ASSERT_TRUE(HasSolidBottomRule(ps[2]));
  EXPECT_EQ(Jc(ps[2]), "center");
  const pugi::xml_node ind = ps[2].child("w:pPr").child("w:ind");
  EXPECT_NEAR(IntAttr(ind, "w:left"), IntAttr(ind, "w:right"), 1);  // centred
  ExpectBoldWidthWithin(RuleLength(ps[2], CellWidth(cell)), "Độc lập - Tự do - Hạnh phúc",
                        f.half_points / 2, 0.95, 1.05);
}

// ----- Checklist 6: left cell: parent upper regular; issuing body upper bold 12–13 pt; a
// centred rule 1/3–1/2 of the body's width.
TEST(DocxChecklist, Item06IssuingBodyAndShortRule) {
  Rendered r(testing::SampleReport());
  const pugi::xml_node cell = r.Cell(r.HeaderTable(), 0, 0);
  const auto ps = CellParagraphs(cell);
  ASSERT_EQ(ps.size(), 3u);
  EXPECT_EQ(ParagraphText(ps[0]), "UBND TỈNH THÁI NGUYÊN");
  EXPECT_FALSE(FormatOf(ps[0]).bold);
  EXPECT_GE(FormatOf(ps[0]).half_points, 24);
  EXPECT_LE(FormatOf(ps[0]).half_points, 26);
  const std::string body = ParagraphText(ps[1]);
  EXPECT_TRUE(IsUpper(body)) << body;
  std::string flat = body;
  for (char& c : flat) {
    if (c == '\n') c = ' ';
  }
  EXPECT_EQ(flat, "SỞ KHOA HỌC VÀ CÔNG NGHỆ");
  const auto f = FormatOf(ps[1]);
  EXPECT_TRUE(f.bold);
  EXPECT_GE(f.half_points, 24);
  EXPECT_LE(f.half_points, 26);
  ASSERT_TRUE(HasSolidBottomRule(ps[2]));
  EXPECT_EQ(Jc(ps[2]), "center");
  // The widest printed line of the body is the reference width.
  int widest = 0;
  size_t start = 0;
  while (start <= body.size()) {
    size_t end = body.find('\n', start);
    if (end == std::string::npos) end = body.size();
    widest = std::max(widest, testing::MeasuredBoldWidthTwips(body.substr(start, end - start),
                                                              f.half_points / 2));
    start = end + 1;
  }
  if (widest < 0 || testing::MeasuredBoldWidthTwips("A", 13) < 0) {
    if (testing::InCi()) FAIL() << "Liberation Serif Bold not installed";
    GTEST_SKIP() << "font not installed";
  }
  const int rule = RuleLength(ps[2], CellWidth(cell));
  EXPECT_GE(rule, widest / 3.0);
  EXPECT_LE(rule, widest / 2.0);
  // Every line fits the cell, so the renderer shows the lines the rule was measured on.
  EXPECT_LE(widest, CellWidth(cell));
}

TEST(DocxChecklist, Item06NoParentLineWhenAbsent) {
  OfficialDocument doc = testing::SampleReport();
  doc.parent_body.clear();
  Rendered r(doc);
  const auto ps = CellParagraphs(r.Cell(r.HeaderTable(), 0, 0));
  ASSERT_EQ(ps.size(), 2u);
  EXPECT_TRUE(FormatOf(ps[0]).bold);
  EXPECT_TRUE(HasSolidBottomRule(ps[1]));
}

const std::regex kNumberPattern(
    "^Số: [0-9]{2,}/(?:[A-Z]|Đ)(?:[A-Za-z]|Đ)*(?:-(?:[A-Z]|Đ)(?:[A-Za-z0-9]|Đ)*)+$");
const std::regex kDatePattern("^.+, ngày [0-9]{2} tháng (0[12]|[3-9]|1[0-2]) năm [0-9]{4}$");

// ----- Checklist 7: number line pattern, 13 pt, regular.
TEST(DocxChecklist, Item07NumberLine) {
  Rendered r(testing::SampleReport());
  const auto ps = CellParagraphs(r.Cell(r.HeaderTable(), 1, 0));
  ASSERT_GE(ps.size(), 1u);
  const std::string number = ParagraphText(ps[0]);
  EXPECT_EQ(number, "Số: 07/BC-SKHCN");
  EXPECT_TRUE(std::regex_match(number, kNumberPattern)) << number;
  const auto f = FormatOf(ps[0]);
  EXPECT_EQ(f.half_points, 26);
  EXPECT_FALSE(f.bold);
  EXPECT_FALSE(f.italic);
  EXPECT_EQ(Jc(ps[0]), "center");
}

TEST(DocxChecklist, Item07SymbolsAndPadding) {
  EXPECT_EQ(FormatNumberLine(1, "QĐ-UBND"), "Số: 01/QĐ-UBND");
  EXPECT_EQ(FormatNumberLine(12, "BC-UBND"), "Số: 12/BC-UBND");
  EXPECT_EQ(FormatNumberLine(1234, "QyĐ-BTTTT"), "Số: 1234/QyĐ-BTTTT");
  for (const std::string s :
       {"Số: 01/QĐ-UBND", "Số: 05/BNV-VP", "Số: 12/UBND-VX", "Số: 33/CTr-SKHCN"}) {
    EXPECT_TRUE(std::regex_match(s, kNumberPattern)) << s;
  }
  // A blank number for the văn thư keeps the symbol.
  EXPECT_EQ(FormatNumberLine(std::nullopt, "BC-SKHCN").rfind("Số:", 0), 0u);
  EXPECT_NE(FormatNumberLine(std::nullopt, "BC-SKHCN").find("/BC-SKHCN"), std::string::npos);
}

// ----- Checklist 8: date line pattern, italic 13–14 pt, same row as the number.
TEST(DocxChecklist, Item08DateLineSameRowAsNumber) {
  Rendered r(testing::SampleReport());
  const auto ps = CellParagraphs(r.Cell(r.HeaderTable(), 1, 1));
  ASSERT_EQ(ps.size(), 1u);
  const std::string date = ParagraphText(ps[0]);
  EXPECT_EQ(date, "Thái Nguyên, ngày 05 tháng 12 năm 2026");
  EXPECT_TRUE(std::regex_match(date, kDatePattern)) << date;
  const auto f = FormatOf(ps[0]);
  EXPECT_TRUE(f.italic);
  EXPECT_FALSE(f.bold);
  EXPECT_GE(f.half_points, 26);
  EXPECT_LE(f.half_points, 28);
  // Same spacing before as the number: the two lines sit on one baseline row.
  const auto number = CellParagraphs(r.Cell(r.HeaderTable(), 1, 0));
  EXPECT_EQ(IntAttr(ps[0].child("w:pPr").child("w:spacing"), "w:before"),
            IntAttr(number[0].child("w:pPr").child("w:spacing"), "w:before"));
}

TEST(DocxChecklist, Item08LongPlaceNameStaysWithinTheRange) {
  OfficialDocument doc = testing::SampleReport();
  doc.place = "Thành phố Hồ Chí Minh";
  doc.date = {2026, 12, 25};
  Rendered r(doc);
  const auto ps = CellParagraphs(r.Cell(r.HeaderTable(), 1, 1));
  ASSERT_EQ(ps.size(), 1u);
  EXPECT_EQ(ParagraphText(ps[0]), "Thành phố Hồ Chí Minh, ngày 25 tháng 12 năm 2026");
  EXPECT_TRUE(std::regex_match(ParagraphText(ps[0]), kDatePattern));
  EXPECT_EQ(FormatOf(ps[0]).half_points, 26);  // 13 pt, the legal minimum, to keep one line
  EXPECT_TRUE(FormatOf(ps[0]).italic);
}

TEST(DocxChecklist, Item08DatePadding) {
  EXPECT_EQ(FormatDateLine({2026, 1, 5}), "ngày 05 tháng 01 năm 2026");
  EXPECT_EQ(FormatDateLine({2026, 2, 28}), "ngày 28 tháng 02 năm 2026");
  EXPECT_EQ(FormatDateLine({2026, 3, 5}), "ngày 05 tháng 3 năm 2026");
  EXPECT_EQ(FormatDateLine({2026, 12, 31}), "ngày 31 tháng 12 năm 2026");
  for (unsigned month = 1; month <= 12; ++month) {
    const std::string line = "Hà Nội, " + FormatDateLine({2026, month, 1});
    EXPECT_TRUE(std::regex_match(line, kDatePattern)) << line;
  }
}

// ----- Checklist 9: typed documents: centred upper bold type, bold trích yếu, rule 1/3–1/2.
TEST(DocxChecklist, Item09TypeLineAbstractAndRule) {
  Rendered r(testing::SampleReport());
  const pugi::xml_node type = r.blocks.at(1);
  EXPECT_EQ(ParagraphText(type), "BÁO CÁO");
  EXPECT_TRUE(FormatOf(type).bold);
  EXPECT_EQ(FormatOf(type).half_points, 28);
  EXPECT_EQ(Jc(type), "center");
  const pugi::xml_node abstract = r.blocks.at(2);
  std::string flat = ParagraphText(abstract);
  for (char& c : flat) {
    if (c == '\n') c = ' ';
  }
  EXPECT_EQ(flat, "Tình hình bảo đảm an toàn hệ thống thông tin theo cấp độ năm 2026");
  EXPECT_TRUE(FormatOf(abstract).bold);
  EXPECT_GE(FormatOf(abstract).half_points, 26);
  EXPECT_LE(FormatOf(abstract).half_points, 28);
  EXPECT_EQ(Jc(abstract), "center");
  const pugi::xml_node rule = r.blocks.at(3);
  ASSERT_TRUE(HasSolidBottomRule(rule));
  const std::string text = ParagraphText(abstract);
  int widest = 0;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    widest = std::max(widest, testing::MeasuredBoldWidthTwips(text.substr(start, end - start), 14));
    start = end + 1;
  }
  if (widest <= 0) {
    if (testing::InCi()) FAIL() << "Liberation Serif Bold not installed";
    GTEST_SKIP() << "font not installed";
  }
  const int length = RuleLength(rule, kTextWidth);
  EXPECT_GE(length, widest / 3.0);
  EXPECT_LE(length, widest / 2.0);
}

// ----- Checklist 10: công văn: no "CÔNG VĂN" line; "V/v …" in the left cell, 12–13 pt,
// regular, 6 pt below "Số".
TEST(DocxChecklist, Item10CongVan) {
  Rendered r(testing::SampleCongVan());
  for (pugi::xpath_node x : r.document.select_nodes("//w:p")) {
    EXPECT_NE(ParagraphText(x.node()), "CÔNG VĂN");
  }
  // Right after the header table come the addressees, not a type line.
  EXPECT_EQ(ParagraphText(r.blocks.at(1)).rfind("Kính gửi:", 0), 0u);
  const auto ps = CellParagraphs(r.Cell(r.HeaderTable(), 1, 0));
  ASSERT_EQ(ps.size(), 2u);
  EXPECT_EQ(ParagraphText(ps[0]), "Số: 125/SKHCN-CNTT");
  EXPECT_TRUE(std::regex_match(ParagraphText(ps[0]), kNumberPattern));
  EXPECT_EQ(ParagraphText(ps[1]), "V/v Đôn đốc thực hiện Chỉ thị số 18/CT-TTg");
  const auto f = FormatOf(ps[1]);
  EXPECT_FALSE(f.bold);
  EXPECT_FALSE(f.italic);
  EXPECT_GE(f.half_points, 24);
  EXPECT_LE(f.half_points, 26);
  EXPECT_EQ(IntAttr(ps[1].child("w:pPr").child("w:spacing"), "w:before"), 120);
  // Date with a zero-padded February.
  EXPECT_EQ(ParagraphText(CellParagraphs(r.Cell(r.HeaderTable(), 1, 1))[0]),
            "Thái Nguyên, ngày 09 tháng 02 năm 2026");
}

// ----- Checklist 11: body paragraphs justified, first-line indent 567/720, ≥ 6 pt after, line
// 240–360 auto, 13–14 pt.
TEST(DocxChecklist, Item11BodyParagraphs) {
  Rendered r(testing::SampleReport());
  int checked = 0;
  for (const pugi::xml_node& block : r.blocks) {
    if (std::string(block.name()) != "w:p") continue;
    const std::string text = ParagraphText(block);
    if (text.rfind("Trong kỳ báo cáo", 0) != 0 && text.rfind("Căn cứ", 0) != 0 &&
        text.rfind("a) ", 0) != 0 && text.rfind("b) ", 0) != 0 &&
        text.rfind("Sở Khoa học và Công nghệ trân trọng", 0) != 0) {
      continue;
    }
    ++checked;
    const pugi::xml_node ppr = block.child("w:pPr");
    EXPECT_EQ(Jc(block), "both") << text;
    const int first_line = IntAttr(ppr.child("w:ind"), "w:firstLine");
    EXPECT_TRUE(first_line == 567 || first_line == 720) << text;
    EXPECT_GE(IntAttr(ppr.child("w:spacing"), "w:after"), 120) << text;
    const int line = IntAttr(ppr.child("w:spacing"), "w:line");
    EXPECT_GE(line, 240);
    EXPECT_LE(line, 360);
    EXPECT_STREQ(ppr.child("w:spacing").attribute("w:lineRule").value(), "auto");
    const auto f = FormatOf(block);
    EXPECT_GE(f.half_points, 26);
    EXPECT_LE(f.half_points, 28);
  }
  EXPECT_EQ(checked, 6);
}

TEST(DocxChecklist, Item11LegalBasesItalicWithPunctuation) {
  Rendered r(testing::SampleReport());
  std::vector<std::string> bases;
  for (const pugi::xml_node& block : r.blocks) {
    if (ParagraphText(block).rfind("Căn cứ", 0) == 0) {
      bases.push_back(ParagraphText(block));
      EXPECT_TRUE(FormatOf(block).italic);
    }
  }
  ASSERT_EQ(bases.size(), 2u);
  EXPECT_EQ(bases[0].back(), ';');
  EXPECT_EQ(bases[1].back(), '.');
}

TEST(DocxChecklist, Item11EndMarkAfterLastParagraph) {
  Rendered r(testing::SampleReport());
  std::string last;
  for (const pugi::xml_node& block : r.blocks) {
    if (std::string(block.name()) == "w:p" && !ParagraphText(block).empty()) {
      last = ParagraphText(block);
    }
  }
  EXPECT_EQ(last, "Sở Khoa học và Công nghệ trân trọng báo cáo./.");
}

// ----- Checklist 12: signature block is a 2-column table; right: title lines upper bold, name
// bold not upper, centred.
TEST(DocxChecklist, Item12SignatureBlock) {
  Rendered r(testing::SampleReport());
  const pugi::xml_node table = r.SignatureTable();
  ASSERT_STREQ(table.name(), "w:tbl");
  int columns = 0;
  for (pugi::xml_node col : table.child("w:tblGrid").children("w:gridCol")) {
    (void)col;
    ++columns;
  }
  EXPECT_EQ(columns, 2);
  const pugi::xml_node borders = table.child("w:tblPr").child("w:tblBorders");
  EXPECT_STREQ(borders.child("w:insideV").attribute("w:val").value(), "none");
  std::vector<pugi::xml_node> lines;
  for (pugi::xml_node p : CellParagraphs(r.Cell(table, 0, 1))) {
    if (!ParagraphText(p).empty()) lines.push_back(p);
  }
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(ParagraphText(lines[0]), "KT. GIÁM ĐỐC");
  EXPECT_EQ(ParagraphText(lines[1]), "PHÓ GIÁM ĐỐC");
  EXPECT_EQ(ParagraphText(lines[2]), "Nguyễn Thị Hồng Nhung");
  for (const auto& p : lines) {
    EXPECT_TRUE(FormatOf(p).bold);
    EXPECT_GE(FormatOf(p).half_points, 26);
    EXPECT_LE(FormatOf(p).half_points, 28);
    EXPECT_EQ(Jc(p), "center");
  }
  EXPECT_TRUE(IsUpper(ParagraphText(lines[0])));
  EXPECT_TRUE(IsUpper(ParagraphText(lines[1])));
  EXPECT_FALSE(IsUpper(ParagraphText(lines[2])));
}

// ----- Checklist 13: "Nơi nhận:" bold italic 12 pt; items 11 pt "- …;"; last "- Lưu: VT, …."
TEST(DocxChecklist, Item13Recipients) {
  Rendered r(testing::SampleReport());
  const pugi::xml_node table = r.SignatureTable();
  const auto ps = CellParagraphs(r.Cell(table, 0, 0));
  ASSERT_EQ(ps.size(), 5u);
  EXPECT_EQ(ParagraphText(ps[0]), "Nơi nhận:");
  EXPECT_TRUE(FormatOf(ps[0]).bold);
  EXPECT_TRUE(FormatOf(ps[0]).italic);
  EXPECT_EQ(FormatOf(ps[0]).half_points, 24);
  EXPECT_EQ(Jc(ps[0]), "left");
  // Level with the first title line of the right cell.
  const auto right = CellParagraphs(r.Cell(table, 0, 1));
  EXPECT_EQ(IntAttr(ps[0].child("w:pPr").child("w:spacing"), "w:before"),
            IntAttr(right[0].child("w:pPr").child("w:spacing"), "w:before"));
  EXPECT_EQ(ParagraphText(ps[1]), "- Bộ Công an (A05);");
  EXPECT_EQ(ParagraphText(ps[2]), "- UBND tỉnh (để b/c);");
  EXPECT_EQ(ParagraphText(ps[3]), "- Lưu: VT, CNTT.");
  for (size_t i = 1; i <= 3; ++i) {
    EXPECT_EQ(FormatOf(ps[i]).half_points, 22);
    EXPECT_FALSE(FormatOf(ps[i]).bold);
    EXPECT_EQ(Jc(ps[i]), "left");
    EXPECT_EQ(IntAttr(ps[i].child("w:pPr").child("w:ind"), "w:left"), 0);
  }
  // Cell 12 after the Lưu line, upper case, 11 pt.
  EXPECT_EQ(ParagraphText(ps[4]), "NTHN.(05)");
  EXPECT_EQ(FormatOf(ps[4]).half_points, 22);
}

// ----- Checklist 14: "Kính gửi:" with one addressee on one line; several as a dashed list.
TEST(DocxChecklist, Item14AddresseesSeveral) {
  Rendered r(testing::SampleReport());
  const pugi::xml_node p = r.blocks.at(4);
  EXPECT_EQ(ParagraphText(p), "Kính gửi:\t- Bộ Công an;\n- Ủy ban nhân dân tỉnh Thái Nguyên.");
  const pugi::xml_node ind = p.child("w:pPr").child("w:ind");
  // Items aligned after the colon: hanging indent with a tab stop at the item column.
  const int item_column = IntAttr(ind, "w:left");
  EXPECT_GT(IntAttr(ind, "w:hanging"), 0);
  EXPECT_EQ(IntAttr(p.child("w:pPr").child("w:tabs").child("w:tab"), "w:pos"), item_column);
  EXPECT_EQ(FormatOf(p).half_points, 28);
  EXPECT_FALSE(FormatOf(p).bold);
}

TEST(DocxChecklist, Item14AddresseeSingle) {
  Rendered r(testing::SampleCongVan());
  const pugi::xml_node p = r.blocks.at(1);
  EXPECT_EQ(ParagraphText(p), "Kính gửi: Các sở, ban, ngành tỉnh.");
  EXPECT_EQ(ParagraphText(p).find('\n'), std::string::npos);
  EXPECT_EQ(FormatOf(p).half_points, 28);
}

// ----- Checklist 15: no page number on page 1; "2" centred in the page-2 header, 13–14 pt.
TEST(DocxChecklist, Item15PageNumbersFromPage2) {
  Rendered r(testing::SampleReport());
  EXPECT_TRUE(r.SectPr().child("w:titlePg"));
  std::map<std::string, std::string> header_of_type;
  for (pugi::xml_node ref : r.SectPr().children("w:headerReference")) {
    header_of_type[ref.attribute("w:type").value()] = ref.attribute("r:id").value();
  }
  ASSERT_EQ(header_of_type.size(), 2u);
  // Relationships map the ids to the parts.
  pugi::xml_document rels;
  ASSERT_TRUE(rels.load_string(r.parts["word/_rels/document.xml.rels"].c_str()));
  std::map<std::string, std::string> target_of;
  for (pugi::xml_node rel : rels.child("Relationships").children("Relationship")) {
    target_of[rel.attribute("Id").value()] = rel.attribute("Target").value();
  }
  EXPECT_EQ(target_of[header_of_type["first"]], "header2.xml");
  EXPECT_EQ(target_of[header_of_type["default"]], "header1.xml");
  // First page: empty header.
  EXPECT_TRUE(r.header_first.select_nodes("//w:t").empty());
  EXPECT_TRUE(r.header_first.select_nodes("//w:fldChar").empty());
  EXPECT_TRUE(r.header_first.select_nodes("//w:fldSimple").empty());
  // Other pages: a centred PAGE field, 13–14 pt, upright.
  const pugi::xml_node p = r.header_default.child("w:hdr").child("w:p");
  EXPECT_EQ(Jc(p), "center");
  const std::string instr = r.header_default.select_node("//w:instrText").node().text().get();
  EXPECT_EQ(instr, " PAGE ");
  const auto f = FormatOf(p);
  EXPECT_GE(f.half_points, 26);
  EXPECT_LE(f.half_points, 28);
  EXPECT_FALSE(f.italic);
  EXPECT_FALSE(f.bold);
  EXPECT_STREQ(r.SectPr().child("w:pgNumType").attribute("w:fmt").value(), "decimal");
  EXPECT_EQ(IntAttr(r.SectPr().child("w:pgNumType"), "w:start"), 1);
  // The page number sits in the top margin.
  EXPECT_LT(IntAttr(r.SectPr().child("w:pgMar"), "w:header") + 14 * 20,
            IntAttr(r.SectPr().child("w:pgMar"), "w:top"));
  // settings.xml: one header for odd and even pages.
  EXPECT_FALSE(r.settings.child("w:settings").child("w:evenAndOddHeaders"));
}

// ----- Checklist 16: signature and seal images are applied by the signing platform; an
// unsigned document carries no images at all (no other colour, no drawing).
TEST(DocxChecklist, Item16UnsignedDocumentHasNoImages) {
  Rendered r(testing::SampleReport());
  EXPECT_TRUE(r.document.select_nodes("//w:drawing").empty());
  EXPECT_TRUE(r.document.select_nodes("//w:pict").empty());
  for (const auto& [name, data] : r.parts) EXPECT_EQ(name.find("media/"), std::string::npos);
}

// settings.xml and the package parts.
TEST(DocxPackage, SettingsStylesAndContentTypes) {
  Rendered r(testing::SampleReport());
  const pugi::xml_node settings = r.settings.child("w:settings");
  EXPECT_EQ(IntAttr(settings.child("w:defaultTabStop"), "w:val"), 720);
  EXPECT_STREQ(settings.child("w:themeFontLang").attribute("w:val").value(), "vi-VN");
  EXPECT_STREQ(settings.child("w:compat").child("w:compatSetting").attribute("w:val").value(),
               "15");
  for (const char* part :
       {"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml",
        "word/settings.xml", "word/fontTable.xml", "word/header1.xml", "word/header2.xml",
        "word/_rels/document.xml.rels", "docProps/core.xml", "docProps/app.xml"}) {
    EXPECT_EQ(r.parts.count(part), 1u) << part;
    pugi::xml_document xml;
    EXPECT_TRUE(xml.load_string(r.parts[part].c_str())) << part;
  }
  EXPECT_NE(r.parts["[Content_Types].xml"].find("/word/document.xml"), std::string::npos);
}

TEST(DocxPackage, DeterministicBytes) {
  auto a = RenderDocx(testing::SampleReport());
  auto b = RenderDocx(testing::SampleReport());
  ASSERT_TRUE(a && b);
  EXPECT_EQ(*a, *b);
  OfficialDocument other = testing::SampleReport();
  other.number = 8;
  auto c = RenderDocx(other);
  ASSERT_TRUE(c);
  EXPECT_NE(*a, *c);
}

TEST(DocxPackage, SameBytesInAnyTimeZone) {
  const char* old_tz = std::getenv("TZ");
  const std::string saved = old_tz != nullptr ? old_tz : "";
  ::setenv("TZ", "UTC", 1);
  ::tzset();
  auto utc = RenderDocx(testing::SampleReport());
  ::setenv("TZ", "Asia/Ho_Chi_Minh", 1);
  ::tzset();
  auto hcm = RenderDocx(testing::SampleReport());
  if (old_tz != nullptr) {
    ::setenv("TZ", saved.c_str(), 1);
  } else {
    ::unsetenv("TZ");
  }
  ::tzset();
  ASSERT_TRUE(utc && hcm);
  EXPECT_EQ(*utc, *hcm);
}

TEST(DocxPackage, EscapesXmlSpecialCharacters) {
  OfficialDocument doc = testing::SampleReport();
  const std::string hostile = "A & B <w:t>\"x\"</w:t> 'y' ]]>";
  testing::AddBlock(&doc, Paragraph::Plain(hostile));
  doc.signature.name = "Lê Văn <Tám> & Co";
  Rendered r(doc);
  bool found = false;
  for (pugi::xpath_node x : r.document.select_nodes("//w:p")) {
    if (ParagraphText(x.node()) == hostile + "./.") found = true;  // last block: end mark
  }
  EXPECT_TRUE(found);
  EXPECT_NE(r.parts["word/document.xml"].find("Lê Văn &lt;Tám&gt; &amp; Co"), std::string::npos);
}

TEST(DocxPackage, DataTableHeaderRepeatsAndHasBorders) {
  Rendered r(testing::SampleReport());
  pugi::xml_node data_table;
  for (size_t i = 1; i < r.blocks.size(); ++i) {
    if (std::string(r.blocks[i].name()) == "w:tbl" && r.blocks[i] != r.SignatureTable()) {
      data_table = r.blocks[i];
    }
  }
  ASSERT_TRUE(data_table);
  EXPECT_STREQ(
      data_table.child("w:tblPr").child("w:tblBorders").child("w:top").attribute("w:val").value(),
      "single");
  const pugi::xml_node first_row = data_table.child("w:tr");
  EXPECT_TRUE(first_row.child("w:trPr").child("w:tblHeader"));
  int total = 0;
  for (pugi::xml_node col : data_table.child("w:tblGrid").children("w:gridCol")) {
    total += IntAttr(col, "w:w");
  }
  EXPECT_EQ(total, kTextWidth);
}

TEST(DocxPackage, BodyEndsWithAParagraphAfterTheSignature) {
  Rendered r(testing::SampleReport());
  ASSERT_GE(r.blocks.size(), 3u);
  EXPECT_STREQ(r.blocks[r.blocks.size() - 1].name(), "w:sectPr");
  EXPECT_STREQ(r.blocks[r.blocks.size() - 2].name(), "w:p");
  EXPECT_TRUE(ParagraphText(r.blocks[r.blocks.size() - 2]).empty());
  EXPECT_EQ(r.blocks[r.blocks.size() - 3], r.SignatureTable());
}

TEST(DocxBody, HeadingStylesAndLetterLists) {
  OfficialDocument doc = testing::SampleReport();
  doc.body.clear();
  testing::AddBlock(&doc, Heading{"Chương I", HeadingStyle::kCentered});
  testing::AddBlock(&doc, Heading{"1. Hệ thống cấp độ 3", HeadingStyle::kSubsection});
  testing::AddBlock(&doc, Heading{"a) Trường hợp khẩn cấp", HeadingStyle::kPoint});
  testing::AddBlock(&doc,
                    NumberedList{{"một", "hai", "ba", "bốn", "năm", "sáu"}, ListStyle::kLetter});
  testing::AddBlock(&doc, NumberedList{{"Một;", "Hai"}, ListStyle::kDash});
  Rendered r(doc);
  std::map<std::string, pugi::xml_node> by_text;
  for (const pugi::xml_node& block : r.blocks) by_text[ParagraphText(block)] = block;
  ASSERT_TRUE(by_text.count("Chương I"));
  EXPECT_EQ(Jc(by_text["Chương I"]), "center");
  EXPECT_TRUE(FormatOf(by_text["Chương I"]).bold);
  EXPECT_TRUE(by_text["Chương I"].child("w:pPr").child("w:keepNext"));
  EXPECT_TRUE(FormatOf(by_text["1. Hệ thống cấp độ 3"]).bold);
  EXPECT_EQ(IntAttr(by_text["1. Hệ thống cấp độ 3"].child("w:pPr").child("w:ind"), "w:firstLine"),
            567);
  EXPECT_TRUE(FormatOf(by_text["a) Trường hợp khẩn cấp"]).italic);
  EXPECT_FALSE(FormatOf(by_text["a) Trường hợp khẩn cấp"]).bold);
  // Vietnamese letter order: a b c d đ e.
  for (const char* item : {"a) một", "b) hai", "c) ba", "d) bốn", "đ) năm", "e) sáu"}) {
    EXPECT_TRUE(by_text.count(item)) << item;
  }
  EXPECT_TRUE(by_text.count("- Một;"));
  EXPECT_TRUE(by_text.count("- Hai./."));  // the last list item carries the end mark
}

// Golden: the Vietnamese text of the whole document, paragraph by paragraph.
TEST(DocxGolden, VietnameseTextInOrder) {
  Rendered r(testing::SampleReport());
  std::vector<std::string> texts;
  for (pugi::xpath_node x : r.document.select_nodes("//w:p")) {
    std::string t = ParagraphText(x.node());
    if (!t.empty()) texts.push_back(t);
  }
  const std::vector<std::string> expected = {
      "UBND TỈNH THÁI NGUYÊN",
      "SỞ KHOA HỌC\nVÀ CÔNG NGHỆ",
      "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
      "Độc lập - Tự do - Hạnh phúc",
      "Số: 07/BC-SKHCN",
      "Thái Nguyên, ngày 05 tháng 12 năm 2026",
      "BÁO CÁO",
      "Tình hình bảo đảm an toàn hệ thống thông tin theo cấp độ năm 2026",
      "Kính gửi:\t- Bộ Công an;\n- Ủy ban nhân dân tỉnh Thái Nguyên.",
      "Căn cứ Nghị định số 85/2016/NĐ-CP ngày 01/7/2016 của Chính phủ;",
      "Căn cứ Thông tư số 12/2022/TT-BTTTT ngày 12/8/2022.",
      "I. TÌNH HÌNH CHUNG",
      "Trong kỳ báo cáo, các cơ quan, đơn vị đã rà soát, cập nhật hồ sơ đề xuất cấp độ và triển "
      "khai phương án bảo đảm an toàn hệ thống thông tin theo đúng quy định.",
      "a) Kiểm tra, đánh giá định kỳ;",
      "b) Diễn tập thực chiến.",
      "STT",
      "Tên hệ thống",
      "Cấp độ",
      "1",
      "Cổng dịch vụ công trực tuyến",
      "3",
      "2",
      "Hệ thống thư điện tử",
      "2",
      "Sở Khoa học và Công nghệ trân trọng báo cáo./.",
      "Nơi nhận:",
      "- Bộ Công an (A05);",
      "- UBND tỉnh (để b/c);",
      "- Lưu: VT, CNTT.",
      "NTHN.(05)",
      "KT. GIÁM ĐỐC",
      "PHÓ GIÁM ĐỐC",
      "Nguyễn Thị Hồng Nhung",
  };
  EXPECT_EQ(texts, expected);
}

// Validation: bad input is refused with the field named, never rendered.
TEST(DocxValidation, RefusesBadInput) {
  struct Case {
    const char* what;
    void (*mutate)(OfficialDocument&);
    const char* field;
  };
  const Case cases[] = {
      {"no issuing body", [](OfficialDocument& d) { d.issuing_body = "  "; }, "/issuing_body"},
      {"bad symbol", [](OfficialDocument& d) { d.symbol = "bc-ubnd"; }, "/symbol"},
      {"symbol with one group", [](OfficialDocument& d) { d.symbol = "BC"; }, "/symbol"},
      {"symbol with space", [](OfficialDocument& d) { d.symbol = "BC- UBND"; }, "/symbol"},
      {"number 0", [](OfficialDocument& d) { d.number = 0; }, "/number"},
      {"bad date",
       [](OfficialDocument& d) {
         d.date = {2026, 2, 30};
       },
       "/date"},
      {"no place", [](OfficialDocument& d) { d.place.clear(); }, "/place"},
      {"invalid UTF-8", [](OfficialDocument& d) { d.abstract = "T\xC3"; }, "/abstract"},
      {"control character", [](OfficialDocument& d) { d.recipients[1] = "a\x01"; },
       "/recipients/1"},
      {"no signer", [](OfficialDocument& d) { d.signature.name.clear(); }, "/signature/name"},
      {"no archive", [](OfficialDocument& d) { d.archive_units.clear(); }, "/archive_units"},
      {"short row", [](OfficialDocument& d) { std::get<Table>(d.body[3]).rows[1].pop_back(); },
       "/body/3/rows/1"},
      {"bad weight", [](OfficialDocument& d) { std::get<Table>(d.body[3]).column_weights[0] = 0; },
       "/body/3/column_weights/0"},
  };
  for (const Case& c : cases) {
    OfficialDocument doc = testing::SampleReport();
    c.mutate(doc);
    auto docx = RenderDocx(doc);
    ASSERT_FALSE(docx.has_value()) << c.what;
    EXPECT_EQ(docx.error().code, core::ErrorCode::kInvalidArgument) << c.what;
    EXPECT_EQ(docx.error().field, c.field) << c.what << ": " << docx.error().ToString();
  }
}

TEST(DocxValidation, AcceptsBlankNumberAndSymbolsWithDj) {
  OfficialDocument doc = testing::SampleReport();
  doc.number = std::nullopt;
  doc.symbol = "QĐ-UBND";
  EXPECT_TRUE(RenderDocx(doc).has_value());
  doc.symbol = "KH-ĐHTN2";
  EXPECT_TRUE(RenderDocx(doc).has_value());
}

}  // namespace
}  // namespace ucsc::report
