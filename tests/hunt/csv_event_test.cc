// CSV with a header (csv_event.h) and the CSV reader (record_reader.h).
#include "hunt/input/csv_event.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "hunt/input/record_reader.h"

namespace ucsc::hunt {
namespace {

std::string Get(const Event& e, std::string_view name) {
  std::string_view v;
  return e.Find(name, &v) ? std::string(v) : std::string("<missing>");
}

TEST(CsvRow, QuotesCommasAndEmptyFields) {
  std::vector<std::string> f;
  ASSERT_TRUE(ParseCsvRow(R"(a,"b,c","say ""hi""",,"line1
line2",)",
                          &f)
                  .has_value());
  EXPECT_EQ(f, (std::vector<std::string>{"a", "b,c", "say \"hi\"", "", "line1\nline2", ""}));
  ASSERT_TRUE(ParseCsvRow("", &f).has_value());
  EXPECT_EQ(f, (std::vector<std::string>{""}));
  ASSERT_TRUE(ParseCsvRow(R"(5" disk,x)", &f).has_value());  // a quote inside a bare field
  EXPECT_EQ(f, (std::vector<std::string>{"5\" disk", "x"}));
}

TEST(CsvRow, MalformedQuotingIsAnError) {
  std::vector<std::string> f;
  auto st = ParseCsvRow(R"(a,"open)", &f);
  ASSERT_FALSE(st.has_value());
  EXPECT_NE(st.error().message.find("column 2: a quoted field is not closed"), std::string::npos);
  st = ParseCsvRow(R"("a"b,c)", &f);
  ASSERT_FALSE(st.has_value());
  EXPECT_NE(st.error().message.find("column 1: text after the closing quote"), std::string::npos);
}

TEST(CsvEvent, ColumnsNamedByTheHeader) {
  CsvEventParser p;
  Event e;
  const std::vector<std::string> header{"EventID", "Channel", "CommandLine"};
  ASSERT_TRUE(
      p.Parse(R"(1,Microsoft-Windows-Sysmon/Operational,"cmd /c ""x""")", header, &e).has_value());
  EXPECT_EQ(Get(e, "EventID"), "1");
  EXPECT_EQ(Get(e, "CommandLine"), "cmd /c \"x\"");
  ASSERT_TRUE(p.Parse("4688", header, &e).has_value());  // fewer columns
  EXPECT_EQ(e.size(), 1u);
  auto st = p.Parse("1,2,3,4", header, &e);
  ASSERT_FALSE(st.has_value());
  EXPECT_NE(st.error().message.find("4 columns, the header 3"), std::string::npos);
}

TEST(CsvReader, HeaderBomMultiLineFieldsAndAnOpenQuoteAtTheEnd) {
  const std::string path =
      (std::filesystem::temp_directory_path() / "ucsc_csv_reader_test.csv").string();
  std::ofstream(path, std::ios::binary) << "\xEF\xBB\xBFtimestamp,Image,CommandLine\r\n"
                                        << "2024-01-01T00:00:00Z,a.exe,\"one\r\ntwo\"\r\n"
                                        << "\n"
                                        << "2024-01-01T00:00:01+07:00,b.exe,plain\n"
                                        << "2024-01-01T00:00:02Z,c.exe,\"never closed\n";
  auto reader = OpenCsvReader(path);
  ASSERT_TRUE(reader.has_value());
  RecordBatch batch;
  CsvEventParser p;
  Event e;
  std::vector<std::uint64_t> lines;
  std::vector<std::string> commands, times;
  std::uint64_t bad = 0;
  std::string errors;
  while (true) {
    auto more = (*reader)->Next(&batch, 1 << 20);
    ASSERT_TRUE(more.has_value());
    if (!*more) break;
    bad += batch.bad;
    errors += batch.errors;
    ASSERT_TRUE(batch.header != nullptr);
    EXPECT_EQ(batch.header->front(), "timestamp");  // BOM dropped
    for (const auto& u : batch.units) {
      ASSERT_TRUE(p.Parse(batch.text(u), *batch.header, &e).has_value());
      lines.push_back(u.record);
      commands.push_back(Get(e, "CommandLine"));
      times.push_back(e.Timestamp());
    }
  }
  EXPECT_EQ(lines, (std::vector<std::uint64_t>{2, 5}));
  EXPECT_EQ(commands, (std::vector<std::string>{"one\r\ntwo", "plain"}));
  EXPECT_EQ(times, (std::vector<std::string>{"2024-01-01T00:00:00Z", "2023-12-31T17:00:01Z"}));
  EXPECT_EQ(bad, 1u);
  EXPECT_NE(errors.find("line 6: a quoted field is not closed"), std::string::npos) << errors;
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace ucsc::hunt
