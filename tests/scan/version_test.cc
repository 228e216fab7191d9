#include "scan/version.h"

#include <gtest/gtest.h>

#include <string>

namespace ucsc::scan {
namespace {

int Cmp(std::string_view a, std::string_view b) {
  auto c = CompareVersions(a, b);
  EXPECT_TRUE(c) << a << " vs " << b << ": " << c.error().ToString();
  int ab = c ? *c : 99;
  auto r = CompareVersions(b, a);
  EXPECT_TRUE(r && *r == -ab) << "not antisymmetric: " << a << " vs " << b;
  return ab;
}

TEST(Version, DottedNumbers) {
  EXPECT_LT(Cmp("2.4.57", "2.4.58"), 0);
  EXPECT_LT(Cmp("2.4.9", "2.4.58"), 0);  // numbers, not text
  EXPECT_GT(Cmp("10.0", "9.8"), 0);
  EXPECT_EQ(Cmp("2.4", "2.4.0"), 0);  // trailing zeros do not count
  EXPECT_EQ(Cmp("2.04", "2.4"), 0);
  EXPECT_LT(Cmp("2.4.58", "2.4.58.1"), 0);
}

TEST(Version, OpenSshPortable) {
  EXPECT_GT(Cmp("8.9p1", "8.9"), 0);
  EXPECT_LT(Cmp("8.9p1", "9.8"), 0);
  EXPECT_LT(Cmp("7.2p1", "7.2p2"), 0);
  EXPECT_LT(Cmp("9.8p1", "9.10p1"), 0);
  EXPECT_LT(Cmp("p1", "p2"), 0);
  EXPECT_LT(Cmp("p9", "p10"), 0);
}

TEST(Version, OpenSslLetters) {
  EXPECT_GT(Cmp("1.1.1w", "1.1.1"), 0);
  EXPECT_LT(Cmp("1.1.1v", "1.1.1w"), 0);
  EXPECT_LT(Cmp("1.1.1w", "3.0.0"), 0);
  EXPECT_GT(Cmp("1.0.1a", "1.0.1"), 0);  // a single letter is a later fix, not an alpha
  EXPECT_LT(Cmp("1.0.1a", "1.0.2"), 0);
  EXPECT_LT(Cmp("1.0a", "1.0.1"), 0);  // rpm: a number is newer than a word
}

TEST(Version, WindowsBuilds) {
  EXPECT_LT(Cmp("10.0.17763.5122", "10.0.17763.5206"), 0);
  EXPECT_LT(Cmp("10.0.17763.5122", "10.0.20348.1"), 0);
  EXPECT_GT(Cmp("10.0.17763.10000", "10.0.17763.5122"), 0);
}

TEST(Version, Epochs) {
  EXPECT_GT(Cmp("1:1.0", "2.0"), 0);
  EXPECT_EQ(Cmp("0:2.0", "2.0"), 0);
  EXPECT_LT(Cmp("1:2.0", "2:0.1"), 0);
  auto v = Version::Parse("3:1.2.3");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->epoch(), 3u);
}

TEST(Version, PreReleases) {
  EXPECT_LT(Cmp("2.0.0-rc1", "2.0.0"), 0);
  EXPECT_LT(Cmp("2.0.0rc1", "2.0.0"), 0);
  EXPECT_LT(Cmp("2.0.0-beta2", "2.0.0-rc1"), 0);
  EXPECT_LT(Cmp("2.0.0-alpha", "2.0.0-beta"), 0);
  EXPECT_LT(Cmp("2.0.0-rc1", "2.0.0-rc2"), 0);
  EXPECT_GT(Cmp("2.0.0-rc1", "1.9.9"), 0);
  EXPECT_LT(Cmp("5.0~b2", "5.0"), 0);  // Debian tilde
  EXPECT_LT(Cmp("1.0.0-dev", "1.0.0-alpha1"), 0);
}

TEST(Version, ExchangeCumulativeUpdates) {
  EXPECT_LT(Cmp("cumulative_update_8", "cumulative_update_19"), 0);
  EXPECT_EQ(Cmp("Cumulative_Update_19", "cumulative_update_19"), 0);
  EXPECT_LT(Cmp("15.1.2507.6", "15.1.2507.27"), 0);  // Exchange 2016 CU23 builds
}

TEST(Version, OddButValid) {
  EXPECT_LT(Cmp("12.1(19)e1", "12.1(20)"), 0);
  EXPECT_EQ(Cmp("1.0", "1.0"), 0);
}

TEST(Version, AbsurdInputIsRefused) {
  for (std::string bad :
       {std::string(), std::string(200, '1'), std::string("1.2 beta"), std::string("1.2\n"),
        std::string("1.") + std::string(40, '9'), std::string("..."), std::string(":1.0"),
        std::string("x:1.0"), std::string("1:2:3"), std::string("1:"), std::string("1.\xff")}) {
    auto v = Version::Parse(bad);
    EXPECT_FALSE(v) << "accepted \"" << bad << "\"";
    if (!v) {
      EXPECT_EQ(v.error().code, core::ErrorCode::kInvalidArgument);
    }
  }
  std::string many;
  for (int i = 0; i < 40; ++i) many += "1.";
  many += "1";
  auto v = Version::Parse(many);
  ASSERT_FALSE(v);
  EXPECT_NE(v.error().message.find("parts"), std::string::npos);
}

TEST(Version, LongNumbersCompareWithoutOverflow) {
  EXPECT_LT(Cmp("1.99999999999999999999", "2.0"), 0);
  EXPECT_LT(Cmp("18446744073709551615", "18446744073709551616"), 0);
}

}  // namespace
}  // namespace ucsc::scan
