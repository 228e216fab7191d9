#include "tabular/csv.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ucsc::tabular {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

using Cells = std::vector<std::string>;

Table MustParse(std::string_view data, const CsvOptions& options = {}) {
  core::Result<Table> table = ParseCsv(data, options);
  EXPECT_TRUE(table.has_value()) << (table ? "" : table.error().ToString());
  return table ? std::move(*table) : Table{};
}

core::Error MustFail(std::string_view data, const CsvOptions& options = {}) {
  core::Result<Table> table = ParseCsv(data, options);
  EXPECT_FALSE(table.has_value());
  return table ? core::Error{} : table.error();
}

TEST(Csv, ParsesHeaderAndRows) {
  Table table = MustParse("hostname,ip\nweb01,10.0.0.1\ndb01,10.0.0.2\n");
  EXPECT_EQ(table.name, "");
  EXPECT_THAT(table.header, ElementsAre("hostname", "ip"));
  ASSERT_EQ(table.rows.size(), 2u);
  EXPECT_EQ(table.rows[0].number, 2);
  EXPECT_THAT(table.rows[0].cells, ElementsAre("web01", "10.0.0.1"));
  EXPECT_EQ(table.rows[1].number, 3);
  EXPECT_THAT(table.rows[1].cells, ElementsAre("db01", "10.0.0.2"));
}

TEST(Csv, QuotedFieldKeepsDelimiterQuoteAndNewline) {
  Table table = MustParse("name,note\n\"Sở, ngành\",\"He said \"\"hi\"\"\nsecond line\"\n");
  ASSERT_EQ(table.rows.size(), 1u);
  EXPECT_THAT(table.rows[0].cells, ElementsAre("Sở, ngành", "He said \"hi\"\nsecond line"));
}

TEST(Csv, QuotedNewlineKeepsLineNumberOfRecordStart) {
  Table table = MustParse("a,b\n1,\"x\ny\nz\"\n2,w\r\n3,\"p\r\nq\"\r\n4,v");
  ASSERT_EQ(table.rows.size(), 4u);
  EXPECT_EQ(table.rows[0].number, 2);
  EXPECT_EQ(table.rows[1].number, 5);
  EXPECT_EQ(table.rows[2].number, 6);
  EXPECT_EQ(table.rows[3].number, 8);
  EXPECT_EQ(table.rows[2].cells[1], "p\r\nq");
}

TEST(Csv, AcceptsCrLfLfAndCrLineEnds) {
  for (const char* data :
       {"a,b\r\n1,2\r\n3,4\r\n", "a,b\n1,2\n3,4\n", "a,b\r1,2\r3,4\r", "a,b\r\n1,2\n3,4"}) {
    Table table = MustParse(data);
    EXPECT_THAT(table.header, ElementsAre("a", "b")) << data;
    ASSERT_EQ(table.rows.size(), 2u) << data;
    EXPECT_THAT(table.rows[0].cells, ElementsAre("1", "2"));
    EXPECT_THAT(table.rows[1].cells, ElementsAre("3", "4"));
    EXPECT_EQ(table.rows[1].number, 3);
  }
}

TEST(Csv, StripsUtf8Bom) {
  Table table = MustParse("\xEF\xBB\xBFTên,IP\nmáy chủ,10.0.0.1\n");
  EXPECT_THAT(table.header, ElementsAre("Tên", "IP"));
  EXPECT_EQ(table.rows[0].number, 2);
}

TEST(Csv, DetectsSemicolonFromExcelViVnHeader) {
  // Excel in the vi-VN locale: ';' between cells, ',' as the decimal separator.
  Table table = MustParse(
      "Tên hệ thống;Đơn vị quản lý;Cấp độ;Điểm\r\n"
      "Cổng thông tin điện tử;Sở Thông tin và Truyền thông;3;7,5\r\n"
      "\"Hệ thống một cửa; liên thông\";UBND tỉnh;2;8,25\r\n");
  EXPECT_THAT(table.header, ElementsAre("Tên hệ thống", "Đơn vị quản lý", "Cấp độ", "Điểm"));
  ASSERT_EQ(table.rows.size(), 2u);
  EXPECT_THAT(table.rows[0].cells,
              ElementsAre("Cổng thông tin điện tử", "Sở Thông tin và Truyền thông", "3", "7,5"));
  EXPECT_THAT(table.rows[1].cells,
              ElementsAre("Hệ thống một cửa; liên thông", "UBND tỉnh", "2", "8,25"));
}

TEST(Csv, DetectsTabFromHeader) {
  Table table = MustParse("a\tb, c\td\n1\t2\t3\n");
  EXPECT_THAT(table.header, ElementsAre("a", "b, c", "d"));
  EXPECT_THAT(table.rows[0].cells, ElementsAre("1", "2", "3"));
}

TEST(Csv, DetectionIgnoresDelimitersInsideQuotes) {
  Table table = MustParse("\"a;b;c\",d\n1,2\n");
  EXPECT_THAT(table.header, ElementsAre("a;b;c", "d"));
}

TEST(Csv, SingleColumnDefaultsToComma) {
  Table table = MustParse("hostname\nweb01\n");
  EXPECT_THAT(table.header, ElementsAre("hostname"));
  EXPECT_THAT(table.rows[0].cells, ElementsAre("web01"));
}

TEST(Csv, GivenDelimiterOverridesDetection) {
  CsvOptions options;
  options.delimiter = '|';
  Table table = MustParse("a,b|c\n1,2|3\n", options);
  EXPECT_THAT(table.header, ElementsAre("a,b", "c"));
  EXPECT_THAT(table.rows[0].cells, ElementsAre("1,2", "3"));
}

TEST(Csv, ExcelSepLineNamesDelimiterAndCountsAsALine) {
  Table table = MustParse("sep=;\r\na;b,c\r\n1;2\r\n");
  EXPECT_THAT(table.header, ElementsAre("a", "b,c"));
  ASSERT_EQ(table.rows.size(), 1u);
  EXPECT_EQ(table.rows[0].number, 3);
}

TEST(Csv, RejectsUnusableDelimiterOption) {
  for (char delimiter : {'"', '\n', '\r', '\0', '\xC3'}) {
    CsvOptions options;
    options.delimiter = delimiter;
    EXPECT_EQ(MustFail("a,b\n", options).code, core::ErrorCode::kInvalidArgument);
  }
}

TEST(Csv, IgnoresTrailingEmptyLines) {
  Table table = MustParse("a,b\n1,2\n\n\r\n\r\n");
  ASSERT_EQ(table.rows.size(), 1u);
}

TEST(Csv, BlankLineBetweenRecordsIsAnEmptyRow) {
  Table table = MustParse("a,b\n1,2\n\n3,4\n\n");
  ASSERT_EQ(table.rows.size(), 3u);
  EXPECT_EQ(table.rows[1].number, 3);
  EXPECT_THAT(table.rows[1].cells, ElementsAre("", ""));
  EXPECT_EQ(table.rows[2].number, 4);
}

TEST(Csv, SkipsBlankLinesBeforeHeader) {
  Table table = MustParse("\n\r\na,b\n1,2\n");
  EXPECT_THAT(table.header, ElementsAre("a", "b"));
  EXPECT_EQ(table.rows[0].number, 4);
}

TEST(Csv, TrimsHeaderCellsButNotDataCells) {
  Table table = MustParse(" Tên máy \t, \" IP \" \n  web01 , 10.0.0.1\n");
  EXPECT_THAT(table.header, ElementsAre("Tên máy", "\" IP \""));
  EXPECT_THAT(table.rows[0].cells, ElementsAre("  web01 ", " 10.0.0.1"));
}

TEST(Csv, TrimsQuotedHeaderCells) {
  Table table = MustParse("\" a \",b\n1,2\n");
  EXPECT_THAT(table.header, ElementsAre("a", "b"));
}

TEST(Csv, PadsShortRowsWithEmptyCells) {
  Table table = MustParse("a,b,c\n1\n1,2\n");
  EXPECT_THAT(table.rows[0].cells, ElementsAre("1", "", ""));
  EXPECT_THAT(table.rows[1].cells, ElementsAre("1", "2", ""));
}

TEST(Csv, TrailingDelimiterMeansEmptyLastCell) {
  Table table = MustParse("a,b\n1,\n");
  EXPECT_THAT(table.rows[0].cells, ElementsAre("1", ""));
}

TEST(Csv, KeepsQuoteInsideUnquotedField) {
  Table table = MustParse("size,x\n5\" floppy,1\n");
  EXPECT_THAT(table.rows[0].cells, ElementsAre("5\" floppy", "1"));
}

TEST(Csv, LongRowIsAnErrorNamingItsLine) {
  core::Error error = MustFail("a,b\n1,2\n\"multi\nline\",2,3\n");
  EXPECT_EQ(error.code, core::ErrorCode::kInvalidArgument);
  EXPECT_THAT(error.message, HasSubstr("line 3:"));
  EXPECT_THAT(error.message, HasSubstr("3 cells but the header has 2"));
}

TEST(Csv, InvalidUtf8IsAnErrorNamingItsLine) {
  // "Hà Nội" in Windows-1258, as Excel's plain "CSV" format writes it in vi-VN.
  core::Error error = MustFail("a,b\n1,\"x\ny\"\n2,H\xE0 N\xF4i\n");
  EXPECT_EQ(error.code, core::ErrorCode::kInvalidArgument);
  EXPECT_THAT(error.message, HasSubstr("line 4:"));
  EXPECT_THAT(error.message, HasSubstr("UTF-8"));
}

TEST(Csv, RejectsOverlongAndSurrogateUtf8) {
  EXPECT_THAT(MustFail("a\n\xC0\xAF\n").message, HasSubstr("line 2:"));
  EXPECT_THAT(MustFail("a\n\xED\xA0\x80\n").message, HasSubstr("line 2:"));
  EXPECT_THAT(MustFail("a\n\xF4\x90\x80\x80\n").message, HasSubstr("line 2:"));
}

TEST(Csv, NulByteIsAnError) {
  core::Error error = MustFail(std::string_view("a\nx\0y\n", 6));
  EXPECT_EQ(error.code, core::ErrorCode::kInvalidArgument);
  EXPECT_THAT(error.message, HasSubstr("line 2: NUL"));
}

TEST(Csv, UnterminatedQuoteNamesLineWhereFieldBegan) {
  core::Error error = MustFail("a,b\n1,2\n3,\"open\nstill open\nand more\n");
  EXPECT_EQ(error.code, core::ErrorCode::kInvalidArgument);
  EXPECT_THAT(error.message, HasSubstr("line 3:"));
  EXPECT_THAT(error.message, HasSubstr("never closed"));
}

TEST(Csv, TextAfterClosingQuoteIsAnError) {
  core::Error error = MustFail("a,b\n\"x\"y,2\n");
  EXPECT_EQ(error.code, core::ErrorCode::kInvalidArgument);
  EXPECT_THAT(error.message, HasSubstr("line 2:"));
}

TEST(Csv, Utf16IsRejectedWithAHint) {
  core::Error error =
      MustFail(std::string_view("\xFF\xFE"
                                "a\0,\0b\0",
                                8));
  EXPECT_EQ(error.code, core::ErrorCode::kInvalidArgument);
  EXPECT_THAT(error.message, HasSubstr("UTF-16"));
}

TEST(Csv, EmptyInputHasNoHeader) {
  for (const char* data : {"", "\xEF\xBB\xBF", "\n\n\r\n", "sep=;\n"}) {
    core::Error error = MustFail(data);
    EXPECT_EQ(error.code, core::ErrorCode::kInvalidArgument) << data;
    EXPECT_THAT(error.message, HasSubstr("no header"));
  }
}

TEST(Csv, MaxBytesLimit) {
  CsvOptions options;
  options.max_bytes = 8;
  core::Error error = MustFail("a,b\n1,2\n3,4\n", options);
  EXPECT_EQ(error.code, core::ErrorCode::kResourceExhausted);
  EXPECT_THAT(error.message, HasSubstr("max_bytes"));
}

TEST(Csv, MaxRowsLimitCountsDataRows) {
  CsvOptions options;
  options.max_rows = 2;
  EXPECT_EQ(MustParse("a\n1\n2\n", options).rows.size(), 2u);
  core::Error error = MustFail("a\n1\n2\n3\n", options);
  EXPECT_EQ(error.code, core::ErrorCode::kResourceExhausted);
  EXPECT_THAT(error.message, HasSubstr("line 4:"));
  EXPECT_THAT(error.message, HasSubstr("max_rows"));
}

TEST(Csv, MaxCellBytesLimit) {
  CsvOptions options;
  options.max_cell_bytes = 4;
  EXPECT_EQ(MustParse("a\n1234\n\"12\"\"4\"\n", options).rows.size(), 2u);
  core::Error unquoted = MustFail("a\n12345\n", options);
  EXPECT_EQ(unquoted.code, core::ErrorCode::kResourceExhausted);
  EXPECT_THAT(unquoted.message, HasSubstr("line 2:"));
  EXPECT_THAT(unquoted.message, HasSubstr("max_cell_bytes"));
  core::Error quoted = MustFail("a\n\"12\n345\"\n", options);
  EXPECT_EQ(quoted.code, core::ErrorCode::kResourceExhausted);
  EXPECT_THAT(quoted.message, HasSubstr("line 2:"));
}

TEST(Csv, DefaultCellLimitCatchesRunawayQuote) {
  std::string data = "a,b\n1,\"oops\n";
  data.append(size_t{70} * 1024, 'x');
  core::Error error = MustFail(data);
  EXPECT_EQ(error.code, core::ErrorCode::kResourceExhausted);
  EXPECT_THAT(error.message, HasSubstr("line 2:"));
  EXPECT_THAT(error.message, HasSubstr("quote left open"));
}

TEST(Csv, MaxColumnsLimit) {
  CsvOptions options;
  options.max_columns = 3;
  core::Error error = MustFail("a,b,c,d\n", options);
  EXPECT_EQ(error.code, core::ErrorCode::kResourceExhausted);
  EXPECT_THAT(error.message, HasSubstr("max_columns"));
}

TEST(Csv, MaxCellsLimitCountsPadding) {
  // Blank lines padded to a wide header would otherwise multiply memory.
  CsvOptions options;
  options.max_cells = 10;
  core::Error error = MustFail("a,b,c,d\n\n\n\n1\n", options);
  EXPECT_EQ(error.code, core::ErrorCode::kResourceExhausted);
  EXPECT_THAT(error.message, HasSubstr("max_cells"));
}

TEST(WriteCsv, QuotesOnlyWhenNeeded) {
  Table table;
  table.header = {"name", "note"};
  table.rows.push_back(Row{2, {"plain", "a,b"}});
  table.rows.push_back(Row{3, {"say \"hi\"", "x;y"}});
  table.rows.push_back(Row{4, {"two\nlines", "tab\there"}});
  table.rows.push_back(Row{5, {"", ""}});
  EXPECT_EQ(WriteCsv(table),
            "name,note\r\nplain,\"a,b\"\r\n\"say \"\"hi\"\"\",\"x;y\"\r\n"
            "\"two\nlines\",\"tab\there\"\r\n,\r\n");
}

TEST(WriteCsv, LoneEmptyCellIsQuotedSoItIsNotABlankLine) {
  Table table;
  table.header = {"only"};
  table.rows.push_back(Row{2, {""}});
  table.rows.push_back(Row{3, {"x"}});
  table.rows.push_back(Row{4, {""}});
  const std::string csv = WriteCsv(table);
  EXPECT_EQ(csv, "only\r\n\"\"\r\nx\r\n\"\"\r\n");
  EXPECT_EQ(MustParse(csv).rows.size(), 3u);
}

TEST(WriteCsv, IncludesBomWhenAsked) {
  Table table;
  table.header = {"Tên"};
  EXPECT_EQ(WriteCsv(table, CsvBom::kInclude), "\xEF\xBB\xBFTên\r\n");
  EXPECT_THAT(MustParse(WriteCsv(table, CsvBom::kInclude)).header, ElementsAre("Tên"));
}

TEST(WriteCsv, RoundTripsThroughParseCsv) {
  Table table;
  table.header = {"sep=;",
                  "\xEF\xBB\xBF"
                  "bom",
                  "Địa chỉ"};
  table.rows.push_back(Row{0, {"Phường Bến Nghé, Quận 1", "\"quoted\"", "a\r\nb\rc\nd"}});
  table.rows.push_back(Row{0, {"  spaced  ", "", "tab\tsemi;colon"}});
  table.rows.push_back(Row{0, {"", "", ""}});
  core::Result<Table> parsed = ParseCsv(WriteCsv(table));
  ASSERT_TRUE(parsed.has_value()) << parsed.error().ToString();
  EXPECT_EQ(parsed->header, table.header);
  ASSERT_EQ(parsed->rows.size(), table.rows.size());
  for (size_t row_idx = 0; row_idx < table.rows.size(); ++row_idx) {
    EXPECT_EQ(parsed->rows[row_idx].cells, table.rows[row_idx].cells) << row_idx;
  }
  EXPECT_EQ(parsed->rows[1].number, 6);  // The first row spans lines 2-5.
}

}  // namespace
}  // namespace ucsc::tabular
