#include "plan/diff.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace ucsc::plan {
namespace {

using testing::ApprovedPlan;
using testing::Local;
using testing::OtherOutline;

TEST(DiffLines, ChangedLineIsRemovedThenAdded) {
  const auto d = DiffLines("a\nb\nc\n", "a\nB\nc\n");
  const std::vector<DiffLine> want{
      {LineOp::kSame, "a"}, {LineOp::kRemoved, "b"}, {LineOp::kAdded, "B"}, {LineOp::kSame, "c"}};
  EXPECT_EQ(d, want);
}

TEST(DiffLines, InsertionAndDeletionKeepCommonLines) {
  const auto d = DiffLines("một\nhai\nba", "không\nmột\nba\nbốn");
  const std::vector<DiffLine> want{{LineOp::kAdded, "không"},
                                   {LineOp::kSame, "một"},
                                   {LineOp::kRemoved, "hai"},
                                   {LineOp::kSame, "ba"},
                                   {LineOp::kAdded, "bốn"}};
  EXPECT_EQ(d, want);
}

TEST(DiffLines, EmptyAndCrLfInputs) {
  EXPECT_TRUE(DiffLines("", "").empty());
  const std::vector<DiffLine> added{{LineOp::kAdded, "x"}, {LineOp::kAdded, "y"}};
  EXPECT_EQ(DiffLines("", "x\r\ny\r\n"), added);
  const std::vector<DiffLine> same{{LineOp::kSame, "x"}};
  EXPECT_EQ(DiffLines("x\r\n", "x\n"), same);
}

TEST(DiffLines, HugeInputsStayBounded) {
  std::string a, b;
  for (int i = 0; i < 6000; ++i) {
    a += "a" + std::to_string(i) + "\n";
    b += "b" + std::to_string(i) + "\n";
  }
  const auto d = DiffLines("head\n" + a + "tail", "head\n" + b + "tail");
  ASSERT_EQ(d.size(), 12002u);
  EXPECT_EQ(d.front(), (DiffLine{LineOp::kSame, "head"}));
  EXPECT_EQ(d[1].op, LineOp::kRemoved);
  EXPECT_EQ(d[6001].op, LineOp::kAdded);
  EXPECT_EQ(d.back(), (DiffLine{LineOp::kSame, "tail"}));
}

TEST(DiffPlans, SectionsAddedRemovedChanged) {
  const Outline& o = OtherOutline();
  IrPlan v1 = ApprovedPlan(o, Local(2026, 3, 5));
  auto v2 = NextVersion(v1, Local(2026, 6, 1));
  ASSERT_TRUE(v2.has_value());
  ASSERT_TRUE(
      SetSection(*v2, o, "risks", "Nội dung mục rủi ro\nThêm: mã hóa dữ liệu", Local(2026, 6, 1))
          .has_value());
  ASSERT_TRUE(SetSection(*v2, o, "resources", "", Local(2026, 6, 1)).has_value());
  v1.sections[0].text = "";  // pretend v1 had no scope text: v2 adds it
  const PlanDiff d = DiffPlans(v1, *v2);
  EXPECT_EQ(d.from_version, 1);
  EXPECT_EQ(d.to_version, 2);
  ASSERT_EQ(d.sections.size(), 3u);
  EXPECT_EQ(d.sections[0].section_id, "scope");
  EXPECT_EQ(d.sections[0].change, Change::kAdded);
  EXPECT_EQ(d.sections[1].section_id, "risks");
  EXPECT_EQ(d.sections[1].change, Change::kChanged);
  EXPECT_EQ(d.sections[1].lines.back(), (DiffLine{LineOp::kAdded, "Thêm: mã hóa dữ liệu"}));
  EXPECT_EQ(d.sections[2].section_id, "resources");
  EXPECT_EQ(d.sections[2].change, Change::kRemoved);
}

TEST(DiffPlans, IdenticalVersionsHaveNoDifference) {
  IrPlan v1 = ApprovedPlan(OtherOutline(), Local(2026, 3, 5));
  auto v2 = NextVersion(v1, Local(2026, 6, 1));
  ASSERT_TRUE(v2.has_value());
  EXPECT_TRUE(DiffPlans(v1, *v2).empty());
}

TEST(DiffPlans, ScenariosAddedRemovedChanged) {
  IrPlan v1 = ApprovedPlan(OtherOutline(), Local(2026, 3, 5));
  v1.scenarios = {{"dos", 1, "dos", "DoS", "a"}, {"fire", 1, "fire", "Cháy", "b"}};
  IrPlan v2 = v1;
  v2.version = 2;
  v2.scenarios = {{"dos", 2, "dos", "DoS", "a\nc"}, {"malware", 1, "malware", "Mã độc", "m"}};
  const PlanDiff d = DiffPlans(v1, v2);
  ASSERT_EQ(d.scenarios.size(), 3u);
  EXPECT_EQ(d.scenarios[0].scenario_id, "dos");
  EXPECT_EQ(d.scenarios[0].change, Change::kChanged);
  EXPECT_EQ(d.scenarios[1].scenario_id, "malware");
  EXPECT_EQ(d.scenarios[1].change, Change::kAdded);
  EXPECT_EQ(d.scenarios[2].scenario_id, "fire");
  EXPECT_EQ(d.scenarios[2].change, Change::kRemoved);
}

}  // namespace
}  // namespace ucsc::plan
