#include "scan/net/net_target.h"

#include <gtest/gtest.h>

namespace ucsc::scan {
namespace {

std::vector<std::string> Strings(const std::vector<Target>& ts) {
  std::vector<std::string> out;
  for (const Target& t : ts) out.push_back(t.address.ToString());
  return out;
}

TEST(IpAddress, ParsesBothFamiliesAndBrackets) {
  auto v4 = IpAddress::Parse("127.0.0.1");
  ASSERT_TRUE(v4);
  EXPECT_EQ(v4->family, Family::kV4);
  EXPECT_TRUE(v4->IsLoopback());
  auto v6 = IpAddress::Parse("[::1]");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->family, Family::kV6);
  EXPECT_EQ(v6->ToString(), "::1");
  EXPECT_TRUE(v6->IsLoopback());
  EXPECT_FALSE(IpAddress::Parse("256.1.1.1"));
  EXPECT_FALSE(IpAddress::Parse("localhost"));
  EXPECT_EQ((Endpoint{*v6, 22}.ToString()), "[::1]:22");
}

TEST(Targets, AddressesAndCidrBlocks) {
  StaticResolver resolver;
  auto ts = ParseTargets({"127.0.0.1", "127.0.0.4/30", "::1", "127.0.0.5"}, resolver);
  ASSERT_TRUE(ts) << ts.error().ToString();
  EXPECT_EQ(Strings(*ts), (std::vector<std::string>{"127.0.0.1", "127.0.0.4", "127.0.0.5",
                                                    "127.0.0.6", "127.0.0.7", "::1"}));
  EXPECT_EQ(resolver.lookups(), 0);
}

TEST(Targets, CidrHostBitsAreClearedAndV6BlocksExpand) {
  StaticResolver resolver;
  auto ts = ParseTargets({"127.0.0.9/31", "::1/127"}, resolver);
  ASSERT_TRUE(ts);
  EXPECT_EQ(Strings(*ts), (std::vector<std::string>{"127.0.0.8", "127.0.0.9", "::", "::1"}));
}

TEST(Targets, BlocksLargerThanTheCapAreRefused) {
  StaticResolver resolver;
  auto big = ParseTargets({"10.0.0.0/8"}, resolver);
  ASSERT_FALSE(big);
  EXPECT_NE(big.error().message.find("too large"), std::string::npos);
  EXPECT_FALSE(ParseTargets({"::/0"}, resolver));
  TargetLimits small{.max_addresses = 4};
  EXPECT_TRUE(ParseTargets({"127.0.0.0/30"}, resolver, small));
  EXPECT_FALSE(ParseTargets({"127.0.0.0/30", "127.0.1.1"}, resolver, small));
}

TEST(Targets, MalformedSpecsNameThemselves) {
  StaticResolver resolver;
  for (const char* bad : {"127.0.0.1/33", "127.0.0.1/", "127.0.0.1/x", "::1/129", "300.1.1.1/8",
                          "bad host!", "", "a..b"}) {
    auto r = ParseTargets({bad}, resolver);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, core::ErrorCode::kInvalidArgument) << bad;
  }
  EXPECT_FALSE(ParseTargets({}, resolver));
  EXPECT_EQ(resolver.lookups(), 0);
}

TEST(Targets, HostNamesGoThroughTheInjectedResolver) {
  StaticResolver resolver;
  resolver.Add("db.test", {*IpAddress::Parse("127.0.0.2"), *IpAddress::Parse("::1")});
  auto ts = ParseTargets({"db.test", "127.0.0.2"}, resolver);
  ASSERT_TRUE(ts);
  EXPECT_EQ(Strings(*ts), (std::vector<std::string>{"127.0.0.2", "::1"}));
  EXPECT_EQ((*ts)[0].name, "db.test");
  EXPECT_EQ(resolver.lookups(), 1);
  auto missing = ParseTargets({"nowhere.test"}, resolver);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, core::ErrorCode::kNotFound);
}

}  // namespace
}  // namespace ucsc::scan
