#include "tabular/xlsx.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tabular/internal/zip.h"

namespace ucsc::tabular {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr std::string_view kContentTypes =
    R"(<?xml version="1.0" encoding="UTF-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/></Types>)";

constexpr std::string_view kPackageRels =
    R"(<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>)";

constexpr std::string_view kWorkbook =
    R"(<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"
          xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="Tài sản" sheetId="1" r:id="rId1"/></sheets></workbook>)";

constexpr std::string_view kWorkbookRels =
    R"(<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>
</Relationships>)";

std::string Sheet(std::string_view sheet_data, std::string_view before = "") {
  return std::string(
             R"(<?xml version="1.0" encoding="UTF-8"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">)") +
         std::string(before) + "<sheetData>" + std::string(sheet_data) + "</sheetData></worksheet>";
}

std::string SharedStrings(std::string_view items) {
  return std::string(
             R"(<?xml version="1.0" encoding="UTF-8"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">)") +
         std::string(items) + "</sst>";
}

std::string Zip(const std::vector<internal::ZipEntry>& entries) {
  core::Result<std::string> bytes = internal::WriteZip(entries);
  EXPECT_TRUE(bytes.has_value()) << (bytes ? "" : bytes.error().ToString());
  return bytes ? *bytes : std::string();
}

// A workbook with one sheet "Tài sản" whose sheetData is `sheet_data`.
std::string Workbook(std::string_view sheet_data, std::string_view shared_items = "",
                     std::string_view before_sheet_data = "") {
  return Zip({{"[Content_Types].xml", std::string(kContentTypes)},
              {"_rels/.rels", std::string(kPackageRels)},
              {"xl/workbook.xml", std::string(kWorkbook)},
              {"xl/_rels/workbook.xml.rels", std::string(kWorkbookRels)},
              {"xl/sharedStrings.xml", SharedStrings(shared_items)},
              {"xl/worksheets/sheet1.xml", Sheet(sheet_data, before_sheet_data)}});
}

std::vector<Table> MustRead(std::string_view bytes, const XlsxOptions& options = {}) {
  core::Result<std::vector<Table>> tables = ReadXlsx(bytes, options);
  EXPECT_TRUE(tables.has_value()) << (tables ? "" : tables.error().ToString());
  return tables ? std::move(*tables) : std::vector<Table>{};
}

core::Error MustFail(std::string_view bytes, const XlsxOptions& options = {}) {
  core::Result<std::vector<Table>> tables = ReadXlsx(bytes, options);
  EXPECT_FALSE(tables.has_value());
  return tables ? core::Error{} : tables.error();
}

std::string Cell(std::string_view ref, std::string_view number) {
  return "<c r=\"" + std::string(ref) + "\"><v>" + std::string(number) + "</v></c>";
}

TEST(Xlsx, RoundTripThroughWriteXlsx) {
  Table assets;
  assets.name = "Tài sản";
  assets.header = {"Tên máy", "Địa chỉ IP", "Ghi chú"};
  assets.rows.push_back(Row{0, {"máy chủ web", "10.0.0.1", "Phòng máy <tầng 2> & \"kho\""}});
  assets.rows.push_back(Row{0, {"", "10.0.0.2", "dòng 1\r\ndòng 2\ttab"}});
  assets.rows.push_back(Row{0, {"  khoảng trắng  ", "", "_x0041_ literal, \x01 control"}});
  assets.rows.push_back(Row{0, {"ngắn"}});
  Table contacts;
  contacts.name = "Liên hệ & đầu mối";
  contacts.header = {"Họ tên", "Điện thoại"};
  contacts.rows.push_back(Row{0, {"Nguyễn Văn A", "0912345678"}});

  core::Result<std::string> bytes = WriteXlsx({assets, contacts});
  ASSERT_TRUE(bytes.has_value()) << bytes.error().ToString();
  std::vector<Table> tables = MustRead(*bytes);
  ASSERT_EQ(tables.size(), 2u);
  EXPECT_EQ(tables[0].name, "Tài sản");
  EXPECT_EQ(tables[0].header, assets.header);
  ASSERT_EQ(tables[0].rows.size(), 4u);
  for (size_t row_idx = 0; row_idx < 3; ++row_idx) {
    EXPECT_EQ(tables[0].rows[row_idx].number, static_cast<int>(row_idx) + 2);
    EXPECT_EQ(tables[0].rows[row_idx].cells, assets.rows[row_idx].cells) << row_idx;
  }
  EXPECT_THAT(tables[0].rows[3].cells, ElementsAre("ngắn", "", ""));
  EXPECT_EQ(tables[1].name, "Liên hệ & đầu mối");
  EXPECT_THAT(tables[1].header, ElementsAre("Họ tên", "Điện thoại"));
  ASSERT_EQ(tables[1].rows.size(), 1u);
  EXPECT_THAT(tables[1].rows[0].cells, ElementsAre("Nguyễn Văn A", "0912345678"));
}

TEST(Xlsx, WriteXlsxProducesAZipWithTheOoxmlParts) {
  Table table;
  table.name = "Sheet1";
  table.header = {"a"};
  core::Result<std::string> bytes = WriteXlsx({table});
  ASSERT_TRUE(bytes.has_value()) << bytes.error().ToString();
  EXPECT_TRUE(bytes->starts_with("PK\x03\x04"));
  core::Result<internal::ZipReader> zip = internal::ZipReader::Open(*bytes);
  ASSERT_TRUE(zip.has_value());
  for (const char* part :
       {"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
        "xl/styles.xml", "xl/worksheets/sheet1.xml"}) {
    EXPECT_TRUE(zip->Contains(part)) << part;
  }
  EXPECT_EQ(*WriteXlsx({table}), *bytes) << "output should be deterministic";
}

TEST(Xlsx, WriteXlsxRejectsInvalidSheetNames) {
  const auto fails = [](std::vector<std::string> names) {
    std::vector<Table> tables;
    for (std::string& name : names) tables.push_back(Table{std::move(name), {"a"}, {}});
    core::Result<std::string> bytes = WriteXlsx(tables);
    return !bytes.has_value() && bytes.error().code == core::ErrorCode::kInvalidArgument;
  };
  EXPECT_TRUE(fails({}));
  EXPECT_TRUE(fails({""}));
  EXPECT_TRUE(fails({"a/b"}));
  EXPECT_TRUE(fails({"[x]"}));
  EXPECT_TRUE(fails({"'quoted'"}));
  EXPECT_TRUE(fails({std::string(32, 'x')}));
  EXPECT_TRUE(fails({"Data", "DATA"}));
  EXPECT_FALSE(fails({std::string(31, 'x'), "Danh mục tài sản thông tin 2024"}));
}

TEST(Xlsx, WriteXlsxRejectsBadCells) {
  Table table{"S", {"a"}, {}};
  table.rows.push_back(Row{0, {"bad \xC3 utf8"}});
  EXPECT_EQ(WriteXlsx({table}).error().code, core::ErrorCode::kInvalidArgument);
  table.rows[0].cells[0] = std::string(32768, 'x');
  EXPECT_THAT(WriteXlsx({table}).error().message, HasSubstr("32767"));
}

TEST(Xlsx, HandBuiltSharedStringsWithRichTextAndGaps) {
  const std::string shared =
      "<si><t>Tên</t></si>"
      "<si><r><rPr><b/></rPr><t xml:space=\"preserve\">Địa </t></r><r><t>chỉ</t></r>"
      "<rPh sb=\"0\" eb=\"1\"><t>PHONETIC</t></rPh></si>"
      "<si><t>Năm</t></si>"
      "<si><t>Cổng_x000D__x000A_thông tin</t></si>"
      "<si><t xml:space=\"preserve\"> </t></si>";
  const std::string rows =
      "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"C1\" t=\"s\"><v>1</v></c>"
      "<c r=\"D1\" t=\"s\"><v>2</v></c></row>"
      "<row r=\"3\"><c r=\"A3\" t=\"s\"><v>3</v></c>"
      "<c r=\"D3\"><v>2024</v></c></row>"
      "<row r=\"4\"><c r=\"B4\" t=\"inlineStr\"><is><r><t>Hà </t></r><r><t>Nội</t></r></is></c>"
      "<c t=\"s\"><v>4</v></c></row>";
  std::vector<Table> tables = MustRead(Workbook(rows, shared));
  ASSERT_EQ(tables.size(), 1u);
  EXPECT_EQ(tables[0].name, "Tài sản");
  EXPECT_THAT(tables[0].header, ElementsAre("Tên", "", "Địa chỉ", "Năm"));
  ASSERT_EQ(tables[0].rows.size(), 2u);
  EXPECT_EQ(tables[0].rows[0].number, 3);
  EXPECT_THAT(tables[0].rows[0].cells, ElementsAre("Cổng\r\nthông tin", "", "", "2024"));
  EXPECT_EQ(tables[0].rows[1].number, 4);
  EXPECT_THAT(tables[0].rows[1].cells, ElementsAre("", "Hà Nội", " ", ""));
}

TEST(Xlsx, CellTypesAndNumberFormatting) {
  const std::string rows =
      "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>v</t></is></c></row>" +
      std::string("<row r=\"2\">") + Cell("A2", "2024") + "</row>" + "<row r=\"3\">" +
      Cell("A3", "2024.0") + "</row>" + "<row r=\"4\">" + Cell("A4", "0.1") + "</row>" +
      "<row r=\"5\">" + Cell("A5", "1.5E-3") + "</row>" + "<row r=\"6\">" + Cell("A6", "45292") +
      "</row>" +  // 2024-01-01 as a date serial.
      "<row r=\"7\">" + Cell("A7", "-0") + "</row>" + "<row r=\"8\">" +
      Cell("A8", "0.30000000000000004") + "</row>" + "<row r=\"9\">" + Cell("A9", "1E+22") +
      "</row>" + "<row r=\"10\">" + Cell("A10", "84912345678") + "</row>" +
      "<row r=\"11\"><c r=\"A11\" t=\"b\"><v>1</v></c></row>"
      "<row r=\"12\"><c r=\"A12\" t=\"b\"><v>0</v></c></row>"
      "<row r=\"13\"><c r=\"A13\" t=\"e\"><v>#DIV/0!</v></c></row>"
      "<row r=\"14\"><c r=\"A14\" t=\"str\"><f>A1&amp;\"x\"</f><v>vx</v></c></row>"
      "<row r=\"15\"><c r=\"A15\"><f>1+1</f><v>2</v></c></row>"
      "<row r=\"16\"><c r=\"A16\" s=\"3\"/></row>";
  std::vector<Table> tables = MustRead(Workbook(rows));
  ASSERT_EQ(tables.size(), 1u);
  std::vector<std::string> values;
  for (const Row& row : tables[0].rows) values.push_back(row.cells[0]);
  EXPECT_THAT(values,
              ElementsAre("2024", "2024", "0.1", "0.0015", "45292", "0", "0.30000000000000004",
                          "1e+22", "84912345678", "TRUE", "FALSE", "#DIV/0!", "vx", "2"));
}

TEST(Xlsx, SkipsEmptyRowsAndTrimsHeader) {
  const std::string rows =
      "<row r=\"1\" s=\"2\" customFormat=\"1\"/>"
      "<row r=\"2\"><c r=\"A2\" s=\"1\"/></row>"
      "<row r=\"3\"><c r=\"A3\" t=\"inlineStr\"><is><t> Tên </t></is></c>"
      "<c r=\"B3\" t=\"inlineStr\"><is><t>IP</t></is></c><c r=\"C3\" s=\"4\"/></row>"
      "<row r=\"4\"><c r=\"A4\" s=\"1\"/><c r=\"C4\" s=\"1\"/></row>"
      "<row r=\"5\"><c r=\"B5\" t=\"inlineStr\"><is><t>10.0.0.1</t></is></c></row>"
      "<row r=\"1000\"/>";
  std::vector<Table> tables = MustRead(Workbook(rows));
  EXPECT_THAT(tables[0].header, ElementsAre("Tên", "IP"));
  ASSERT_EQ(tables[0].rows.size(), 1u);
  EXPECT_EQ(tables[0].rows[0].number, 5);
  EXPECT_THAT(tables[0].rows[0].cells, ElementsAre("", "10.0.0.1"));
}

TEST(Xlsx, EmptySheetGivesEmptyTable) {
  std::vector<Table> tables = MustRead(Workbook(""));
  ASSERT_EQ(tables.size(), 1u);
  EXPECT_TRUE(tables[0].header.empty());
  EXPECT_TRUE(tables[0].rows.empty());
}

TEST(Xlsx, ValueRightOfTheHeaderIsAnError) {
  const std::string rows = "<row r=\"1\">" + Cell("A1", "1") + Cell("B1", "2") + "</row>" +
                           "<row r=\"2\">" + Cell("A2", "1") + Cell("C2", "3") + "</row>";
  core::Error error = MustFail(Workbook(rows));
  EXPECT_EQ(error.code, core::ErrorCode::kInvalidArgument);
  EXPECT_THAT(error.message, HasSubstr("sheet 'Tài sản' cell C2"));
  EXPECT_THAT(error.message, HasSubstr("column B"));
}

TEST(Xlsx, HugeDeclaredDimensionsAreNotPreallocated) {
  const std::string rows = "<row r=\"1\">" + Cell("A1", "1") + "</row>" + "<row r=\"1048576\">" +
                           Cell("A1048576", "2") + "</row>";
  std::vector<Table> tables = MustRead(Workbook(rows, "", "<dimension ref=\"A1:XFD1048576\"/>"));
  ASSERT_EQ(tables[0].rows.size(), 1u);
  EXPECT_EQ(tables[0].rows[0].number, 1048576);
}

TEST(Xlsx, CellReferencesBeyondExcelLimitsAreInvalid) {
  EXPECT_EQ(MustFail(Workbook("<row r=\"1\">" + Cell("XFE1", "1") + "</row>")).code,
            core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(MustFail(Workbook("<row r=\"1048577\">" + Cell("A1048577", "1") + "</row>")).code,
            core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(MustFail(Workbook("<row r=\"1\">" + Cell("1A", "1") + "</row>")).code,
            core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(MustFail(Workbook("<row r=\"-3\"/>")).code, core::ErrorCode::kInvalidArgument);
}

TEST(Xlsx, ColumnAndRowLimits) {
  XlsxOptions options;
  options.max_columns = 10;
  core::Error columns = MustFail(Workbook("<row r=\"1\">" + Cell("K1", "1") + "</row>"), options);
  EXPECT_EQ(columns.code, core::ErrorCode::kResourceExhausted);
  EXPECT_THAT(columns.message, HasSubstr("max_columns"));

  options = {};
  options.max_rows = 2;
  std::string rows;
  for (int row = 1; row <= 4; ++row) {
    rows +=
        "<row r=\"" + std::to_string(row) + "\">" + Cell("A" + std::to_string(row), "1") + "</row>";
  }
  core::Error too_many = MustFail(Workbook(rows), options);
  EXPECT_EQ(too_many.code, core::ErrorCode::kResourceExhausted);
  EXPECT_THAT(too_many.message, HasSubstr("max_rows"));
}

TEST(Xlsx, SharedStringAmplificationHitsTextLimit) {
  XlsxOptions options;
  options.max_text_bytes = 100'000;
  std::string rows = "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>";
  for (int row = 2; row <= 200; ++row) {
    rows += "<row r=\"" + std::to_string(row) + "\"><c t=\"s\"><v>0</v></c></row>";
  }
  core::Error error =
      MustFail(Workbook(rows, "<si><t>" + std::string(1000, 'x') + "</t></si>"), options);
  EXPECT_EQ(error.code, core::ErrorCode::kResourceExhausted);
  EXPECT_THAT(error.message, HasSubstr("max_text_bytes"));
}

TEST(Xlsx, ZipBombIsStoppedByUncompressedLimit) {
  XlsxOptions options;
  options.max_uncompressed_bytes = size_t{1024} * 1024;
  const std::string padding(size_t{8} * 1024 * 1024, ' ');  // Deflates to a few kilobytes.
  core::Error error = MustFail(Workbook("", "", padding), options);
  EXPECT_EQ(error.code, core::ErrorCode::kResourceExhausted);
  EXPECT_THAT(error.message, HasSubstr("max_uncompressed_bytes"));
}

TEST(Xlsx, CorruptZipIsInvalidArgument) {
  EXPECT_EQ(MustFail("").code, core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(MustFail("not a zip at all").code, core::ErrorCode::kInvalidArgument);
  std::string bytes = Workbook("<row r=\"1\">" + Cell("A1", "1") + "</row>");
  EXPECT_EQ(MustFail(bytes.substr(0, bytes.size() / 2)).code, core::ErrorCode::kInvalidArgument);
  std::string flipped = bytes;
  for (size_t pos = 40; pos < flipped.size() / 2; pos += 7) flipped[pos] ^= 0x5A;
  EXPECT_EQ(MustFail(flipped).code, core::ErrorCode::kInvalidArgument);
}

TEST(Xlsx, LegacyXlsGetsAHelpfulError) {
  core::Error error =
      MustFail(std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") + std::string(512, '\0'));
  EXPECT_EQ(error.code, core::ErrorCode::kInvalidArgument);
  EXPECT_THAT(error.message, HasSubstr(".xls"));
}

TEST(Xlsx, ZipWithoutWorkbookIsInvalidArgument) {
  core::Error error = MustFail(Zip({{"word/document.xml", "<w:document/>"}}));
  EXPECT_EQ(error.code, core::ErrorCode::kInvalidArgument);
  EXPECT_THAT(error.message, HasSubstr("xl/workbook.xml is missing"));
}

TEST(Xlsx, MissingWorksheetPartIsInvalidArgument) {
  core::Error error = MustFail(Zip({{"xl/workbook.xml", std::string(kWorkbook)},
                                    {"xl/_rels/workbook.xml.rels", std::string(kWorkbookRels)}}));
  EXPECT_EQ(error.code, core::ErrorCode::kInvalidArgument);
  EXPECT_THAT(error.message, HasSubstr("xl/worksheets/sheet1.xml is missing"));
}

TEST(Xlsx, MalformedXmlIsInvalidArgument) {
  core::Error error = MustFail(Workbook("<row r=\"1\"><c r=\"A1\"><v>1</v></row>"));
  EXPECT_EQ(error.code, core::ErrorCode::kInvalidArgument);
  EXPECT_THAT(error.message, HasSubstr("not well-formed XML"));
}

TEST(Xlsx, BadCellValuesAreInvalidArgument) {
  EXPECT_THAT(MustFail(Workbook("<row r=\"1\"><c r=\"B1\" t=\"s\"><v>7</v></c></row>",
                                "<si><t>only one</t></si>"))
                  .message,
              HasSubstr("cell B1: shared string index '7' is out of range"));
  EXPECT_THAT(MustFail(Workbook("<row r=\"1\">" + Cell("A1", "abc") + "</row>")).message,
              HasSubstr("is not a number"));
  EXPECT_THAT(MustFail(Workbook("<row r=\"1\">" + Cell("A1", "inf") + "</row>")).message,
              HasSubstr("is not a number"));
  EXPECT_THAT(MustFail(Workbook("<row r=\"1\"><c r=\"A1\" t=\"b\"><v>2</v></c></row>")).message,
              HasSubstr("not a boolean"));
  EXPECT_THAT(MustFail(Workbook("<row r=\"1\"><c r=\"A1\" t=\"zz\"><v>2</v></c></row>")).message,
              HasSubstr("unknown cell type"));
  EXPECT_THAT(MustFail(Workbook("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>\xC3(</t></is>"
                                "</c></row>"))
                  .message,
              HasSubstr("not valid UTF-8"));
}

TEST(Xlsx, SheetWithoutRelationshipIsInvalidArgument) {
  core::Error error =
      MustFail(Zip({{"xl/workbook.xml", std::string(kWorkbook)},
                    {"xl/_rels/workbook.xml.rels",
                     "<Relationships "
                     "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"/>"}}));
  EXPECT_EQ(error.code, core::ErrorCode::kInvalidArgument);
  EXPECT_THAT(error.message, HasSubstr("rId1"));
}

TEST(Xlsx, RelationshipTargetCannotEscapeThePackage) {
  core::Error error =
      MustFail(Zip({{"xl/workbook.xml", std::string(kWorkbook)},
                    {"xl/_rels/workbook.xml.rels",
                     "<Relationships><Relationship Id=\"rId1\" Type=\"x/worksheet\" "
                     "Target=\"../../../etc/passwd\"/></Relationships>"}}));
  EXPECT_EQ(error.code, core::ErrorCode::kInvalidArgument);
}

TEST(Xlsx, AcceptsPrefixedSpreadsheetMlElements) {
  // Some generators bind the main namespace to a prefix instead of the default namespace.
  const std::string workbook =
      "<x:workbook xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
      "xmlns:rel=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
      "<x:sheets><x:sheet name=\"S\" sheetId=\"1\" rel:id=\"rId1\"/></x:sheets></x:workbook>";
  const std::string sheet =
      "<x:worksheet xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
      "<x:sheetData><x:row r=\"1\"><x:c r=\"A1\" t=\"inlineStr\"><x:is><x:t>h</x:t></x:is></x:c>"
      "</x:row><x:row r=\"2\"><x:c r=\"A2\"><x:v>5</x:v></x:c></x:row></x:sheetData>"
      "</x:worksheet>";
  std::vector<Table> tables =
      MustRead(Zip({{"xl/workbook.xml", workbook},
                    {"xl/_rels/workbook.xml.rels", std::string(kWorkbookRels)},
                    {"xl/worksheets/sheet1.xml", sheet}}));
  ASSERT_EQ(tables.size(), 1u);
  EXPECT_EQ(tables[0].name, "S");
  EXPECT_THAT(tables[0].header, ElementsAre("h"));
  EXPECT_THAT(tables[0].rows[0].cells, ElementsAre("5"));
}

}  // namespace
}  // namespace ucsc::tabular
