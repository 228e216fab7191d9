#include "scan/kev.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "shared_data.h"

namespace ucsc::scan {
namespace {

const char* kKevFile = UCSC_SHARED_DIR "/data/kev/known_exploited_vulnerabilities.json";

TEST(KevName, Normalises) {
  EXPECT_EQ(NormaliseName("Microsoft"), "microsoft");
  EXPECT_EQ(NormaliseName("Exchange Server"), "exchange_server");
  EXPECT_EQ(NormaliseName("  HTTP  Server "), "http_server");
  EXPECT_EQ(NormaliseName("joomla!"), "joomla");
  EXPECT_EQ(NormaliseName("Struts 1"), "struts_1");
  EXPECT_EQ(NormaliseName("exchange_server"), "exchange_server");
}

TEST(KevLoad, SharedCatalogue) {
  if (auto why = ucsc::testing::MissingSharedData({kKevFile}); !why.empty()) GTEST_SKIP() << why;
  auto kev = LoadKevFile(kKevFile);
  ASSERT_TRUE(kev) << kev.error().ToString();
  EXPECT_EQ(kev->entries().size(), 1404u);  // SOURCE.md: count 1404
  EXPECT_EQ(kev->catalog_version(), "2025.08.25");
  const KevEntry* e = kev->Find("CVE-2021-26855");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->due_date, "2021-04-16");
  EXPECT_EQ(e->vendor_key, "microsoft");
  EXPECT_EQ(e->product_key, "exchange_server");
  EXPECT_EQ(kev->Find("CVE-2024-6387"), nullptr);
}

void ExpectKevError(const std::string& json, std::string_view needle) {
  auto kev = ParseKev(json, "k.json");
  ASSERT_FALSE(kev) << json;
  EXPECT_EQ(kev.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_NE(kev.error().message.find(needle), std::string::npos)
      << "\"" << kev.error().message << "\" lacks \"" << needle << "\"";
}

TEST(KevLoad, ClearErrors) {
  const std::string ok_entry =
      R"({"cveID":"CVE-2021-26855","vendorProject":"Microsoft","product":"Exchange Server",)"
      R"("dateAdded":"2021-11-03","dueDate":"2021-04-16"})";
  ASSERT_TRUE(ParseKev(R"({"vulnerabilities":[)" + ok_entry + "]}"));
  ExpectKevError("{", "k.json");
  ExpectKevError("[]", "not an object");
  ExpectKevError("{}", "no \"vulnerabilities\"");
  ExpectKevError(R"({"vulnerabilities":[{"cveID":"CVE-1"}]})", "/vulnerabilities/0");
  ExpectKevError(R"({"vulnerabilities":[{"cveID":"X","vendorProject":"a","product":"b",)"
                 R"("dateAdded":"2021-11-03","dueDate":"2021-04-16"}]})",
                 "not a CVE id");
  ExpectKevError(
      R"({"vulnerabilities":[{"cveID":"CVE-2021-1234","vendorProject":"a","product":"b",)"
      R"("dateAdded":"2021-11-03","dueDate":"16/04/2021"}]})",
      "dueDate is not YYYY-MM-DD");
  ExpectKevError(R"({"vulnerabilities":[)" + ok_entry + "," + ok_entry + "]}", "duplicate");
}

}  // namespace
}  // namespace ucsc::scan
