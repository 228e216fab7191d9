#include <gtest/gtest.h>

#include <set>

#include "scan/ports.h"

namespace ucsc::scan {
namespace {

TEST(PortSpec, ListsRangesAndDuplicates) {
  auto ports = ParsePortSpec("443,22,80-82, 22");
  ASSERT_TRUE(ports) << ports.error().ToString();
  EXPECT_EQ(*ports, (std::vector<uint16_t>{22, 80, 81, 82, 443}));
}

TEST(PortSpec, OpenEndedRanges) {
  auto all = ParsePortSpec("-");
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 65535u);
  EXPECT_EQ(all->front(), 1);
  EXPECT_EQ(all->back(), 65535);
  auto high = ParsePortSpec("65530-");
  ASSERT_TRUE(high);
  EXPECT_EQ(high->size(), 6u);
  auto low = ParsePortSpec("-3");
  ASSERT_TRUE(low);
  EXPECT_EQ(*low, (std::vector<uint16_t>{1, 2, 3}));
}

TEST(PortSpec, OutOfRangeIsAClearError) {
  for (const char* bad : {"0", "65536", "1-70000", "99999999999999"}) {
    auto r = ParsePortSpec(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, core::ErrorCode::kInvalidArgument);
    EXPECT_NE(r.error().message.find("1-65535"), std::string::npos)
        << bad << ": " << r.error().message;
  }
}

TEST(PortSpec, JunkAndReversedRangesAreErrors) {
  for (const char* bad :
       {"", "http", "22,,80", "80-22", "22;80", "1.5", "top:0", "top:x", "-1-5"}) {
    auto r = ParsePortSpec(bad);
    EXPECT_FALSE(r) << bad;
  }
  auto reversed = ParsePortSpec("80-22");
  ASSERT_FALSE(reversed);
  EXPECT_NE(reversed.error().message.find("80-22"), std::string::npos);
}

TEST(PortSpec, TopItemUsesTheRanking) {
  auto r = ParsePortSpec("top:3,9999");
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, (std::vector<uint16_t>{22, 80, 443, 9999}));
}

TEST(TopPorts, RankingIsUniqueAndStartsWithTheWeb) {
  int ranked = RankedPortCount();
  EXPECT_GE(ranked, 200);
  auto top = TopPorts(ranked);
  ASSERT_TRUE(top);
  std::set<uint16_t> unique(top->begin(), top->end());
  EXPECT_EQ(unique.size(), top->size());
  EXPECT_EQ((*top)[0], 80);
  EXPECT_EQ((*top)[1], 443);
  EXPECT_EQ((*top)[2], 22);
}

TEST(TopPorts, PastTheRankingFillsInAscendingOrderUpToAllPorts) {
  auto all = TopPorts(65535);
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 65535u);
  std::set<uint16_t> unique(all->begin(), all->end());
  EXPECT_EQ(unique.size(), 65535u);
  EXPECT_FALSE(TopPorts(0));
  EXPECT_FALSE(TopPorts(65536));
}

TEST(PortService, KnowsRegisteredPorts) {
  EXPECT_EQ(PortService(22), "ssh");
  EXPECT_EQ(PortService(6379), "redis");
  EXPECT_EQ(PortService(1883), "mqtt");
  EXPECT_EQ(PortService(40000), "");
}

}  // namespace
}  // namespace ucsc::scan
