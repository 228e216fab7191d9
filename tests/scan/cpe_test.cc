#include "scan/cpe.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>

namespace ucsc::scan {
namespace {

TEST(CpeParse, FullFormattedString) {
  auto cpe = ParseCpe("cpe:2.3:a:openbsd:openssh:8.9:p1:*:*:*:*:*:*");
  ASSERT_TRUE(cpe) << cpe.error().ToString();
  EXPECT_EQ(cpe->part(), CpeValue::Of("a"));
  EXPECT_EQ(cpe->vendor(), CpeValue::Of("openbsd"));
  EXPECT_EQ(cpe->product(), CpeValue::Of("openssh"));
  EXPECT_EQ(cpe->version(), CpeValue::Of("8.9"));
  EXPECT_EQ(cpe->update(), CpeValue::Of("p1"));
  EXPECT_TRUE(cpe->Get(CpeAttr::kEdition).IsAny());
  EXPECT_TRUE(cpe->Get(CpeAttr::kOther).IsAny());
  EXPECT_EQ(cpe->Key(), "openbsd:openssh");
}

TEST(CpeParse, AnyAndNotApplicable) {
  auto cpe = ParseCpe("cpe:2.3:a:microsoft:exchange_server:2019:-:*:*:*:*:*:*");
  ASSERT_TRUE(cpe);
  EXPECT_TRUE(cpe->update().IsNa());
  EXPECT_TRUE(cpe->Get(CpeAttr::kLanguage).IsAny());
}

TEST(CpeParse, EscapesAreDecoded) {
  auto joomla = ParseCpe("cpe:2.3:a:joomla:joomla\\!:2.5.0:rc1:*:*:*:*:*:*");
  ASSERT_TRUE(joomla) << joomla.error().ToString();
  EXPECT_EQ(joomla->product().value, "joomla!");
  auto plphp = ParseCpe("cpe:2.3:a:alvaro_herrera:pl\\/php:*:*:*:*:*:*:*:*");
  ASSERT_TRUE(plphp);
  EXPECT_EQ(plphp->product().value, "pl/php");
  auto ios = ParseCpe("cpe:2.3:o:cisco:ios:12.1\\(19\\)e1:*:*:*:*:*:*:*");
  ASSERT_TRUE(ios);
  EXPECT_EQ(ios->version().value, "12.1(19)e1");
  // An escaped colon stays inside the value and does not split attributes.
  auto colon = ParseCpe("cpe:2.3:a:debian:dpkg:1\\:1.21:*:*:*:*:*:*:*");
  ASSERT_TRUE(colon) << colon.error().ToString();
  EXPECT_EQ(colon->version().value, "1:1.21");
  // Quoted "*" and "-" are literal values, not ANY / NA.
  auto star = ParseCpe("cpe:2.3:a:v:p:\\*:\\-:*:*:*:*:*:*");
  ASSERT_TRUE(star);
  EXPECT_EQ(star->version(), CpeValue::Of("*"));
  EXPECT_EQ(star->update(), CpeValue::Of("-"));
}

TEST(CpeParse, RoundTripKeepsEscapes) {
  for (const char* text :
       {"cpe:2.3:a:joomla:joomla\\!:2.5.0:rc1:*:*:*:*:*:*",
        "cpe:2.3:o:cisco:ios:12.1\\(19\\)e1:*:*:*:*:*:*:*", "cpe:2.3:a:v:p:\\*:\\-:-:*:*:*:*:*"}) {
    auto cpe = ParseCpe(text);
    ASSERT_TRUE(cpe) << text;
    EXPECT_EQ(cpe->ToString(), text);
    auto again = ParseCpe(cpe->ToString());
    ASSERT_TRUE(again);
    EXPECT_EQ(*again, *cpe);
  }
}

TEST(CpeParse, LowerCases) {
  auto cpe = ParseCpe("CPE:2.3:A:OpenBSD:OpenSSH:8.9:P1:*:*:*:*:*:*");
  ASSERT_TRUE(cpe);
  EXPECT_EQ(cpe->vendor().value, "openbsd");
  EXPECT_EQ(cpe->update().value, "p1");
}

TEST(CpeParse, ShortFormOnlyWhenAllowed) {
  EXPECT_FALSE(ParseCpe("cpe:2.3:a:openbsd:openssh:8.9:p1"));
  auto cpe = ParseCpe("cpe:2.3:a:openbsd:openssh:8.9:p1", CpeForm::kAllowShort);
  ASSERT_TRUE(cpe);
  EXPECT_EQ(cpe->update().value, "p1");
  EXPECT_TRUE(cpe->Get(CpeAttr::kEdition).IsAny());
  EXPECT_FALSE(ParseCpe("cpe:2.3:a:openbsd", CpeForm::kAllowShort));
}

void ExpectError(std::string_view text, std::string_view needle) {
  auto cpe = ParseCpe(text);
  ASSERT_FALSE(cpe) << text;
  EXPECT_EQ(cpe.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_NE(cpe.error().message.find(needle), std::string::npos)
      << "\"" << cpe.error().message << "\" lacks \"" << needle << "\"";
}

TEST(CpeParse, ClearErrors) {
  ExpectError("", "must start with");
  ExpectError("cpe:/a:openbsd:openssh", "must start with");
  ExpectError("cpe:2.2:a:x:y:*:*:*:*:*:*:*:*", "must start with");
  ExpectError("cpe:2.3:a:openbsd:openssh:8.9", "11 needed");
  ExpectError("cpe:2.3:a:x:y:*:*:*:*:*:*:*:*:*", "more than 11");
  ExpectError("cpe:2.3:x:x:y:*:*:*:*:*:*:*:*", "part");
  ExpectError("cpe:2.3:a:x::*:*:*:*:*:*:*:*", "product is empty at offset 12");
  ExpectError("cpe:2.3:a:joomla:joomla!:*:*:*:*:*:*:*:*", "unquoted '!' at offset 23");
  ExpectError("cpe:2.3:a:x:y:1.0\\", "dangling backslash");
  ExpectError("cpe:2.3:a:x:y z:*:*:*:*:*:*:*:*", "not printable");
  ExpectError("cpe:2.3:a:x:y:1.*:*:*:*:*:*:*:*", "wildcard");
  ExpectError("cpe:2.3:a:x:y:*:*:*:*:*:*:*:", "ends with ':'");
  ExpectError("cpe:2.3:a:x:y:\xc3\xa9:*:*:*:*:*:*:*", "not printable");
  ExpectError(std::string(2000, 'a'), "longer than");
}

TEST(CpeUri, NmapStyle) {
  auto cpe = ParseCpeUri("cpe:/a:openbsd:openssh:8.9p1");
  ASSERT_TRUE(cpe) << cpe.error().ToString();
  EXPECT_EQ(cpe->vendor().value, "openbsd");
  EXPECT_EQ(cpe->version().value, "8.9p1");
  EXPECT_TRUE(cpe->update().IsAny());
  auto os = ParseCpeUri("cpe:/o:linux:linux_kernel");
  ASSERT_TRUE(os);
  EXPECT_TRUE(os->version().IsAny());
  auto pct = ParseCpeUri("cpe:/a:joomla:joomla%21:3.0");
  ASSERT_TRUE(pct);
  EXPECT_EQ(pct->product().value, "joomla!");
  EXPECT_FALSE(ParseCpeUri("cpe:/a:x:y:%4"));
  EXPECT_FALSE(ParseCpeUri("cpe:/a"));
  EXPECT_FALSE(ParseCpeUri("cpe:/q:x:y"));
}

// Regression (cpe_fuzz): a URI whose bare punctuation doubles when quoted used to parse into a
// CPE whose formatted string was too long to parse back.
TEST(CpeUri, RefusesWhatCannotBeFormatted) {
  std::string uri = "cpe:/a:{{{:" + std::string(600, '}');
  auto cpe = ParseCpeUri(uri);
  ASSERT_FALSE(cpe);
  EXPECT_NE(cpe.error().message.find("once written"), std::string::npos);
  auto ok = ParseCpeUri("cpe:/a:{{{:}}}");
  ASSERT_TRUE(ok);
  EXPECT_TRUE(ParseCpe(ok->ToString()));
}

TEST(CpeUri, ReplaysFuzzCrash) {
  std::ifstream in(UCSC_SOURCE_DIR "/fuzz/corpus/cpe/crash-uri-too-long-once-quoted",
                   std::ios::binary);
  ASSERT_TRUE(in);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto cpe = ParseCpeUri(text);
  if (cpe) {
    EXPECT_TRUE(ParseCpe(cpe->ToString()));  // the fuzz oracle
  }
}

TEST(CpeAny, DispatchesOnBinding) {
  auto a = ParseAnyCpe("cpe:/a:nginx:nginx:1.24.0");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->version().value, "1.24.0");
  auto b = ParseAnyCpe("cpe:2.3:a:nginx:nginx:1.24.0");
  ASSERT_TRUE(b);
  EXPECT_EQ(*a, *b);
}

}  // namespace
}  // namespace ucsc::scan
