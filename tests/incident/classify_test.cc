#include "incident/classify.h"

#include <gtest/gtest.h>

namespace ucsc::incident {
namespace {

Incident Base(int level, bool national, std::vector<Harm> harms, Capacity cap) {
  Incident inc;
  inc.affected_systems.push_back({"sys-1", "Cổng dịch vụ công", "", level, national});
  inc.harms = std::move(harms);
  inc.capacity = cap;
  return inc;
}

const CriterionResult& Criterion(const Classification& c, std::string_view id) {
  for (const auto& r : c.criteria) {
    if (r.id == id) return r;
  }
  ADD_FAILURE() << "no criterion " << id;
  static const CriterionResult kNone;
  return kNone;
}

TEST(ClassifyR14, Level4InterruptionBeyondCapacityIsSerious) {
  auto c = Classify(Base(4, false, {Harm::kServiceInterruption}, Capacity::kBeyondCapacity));
  EXPECT_EQ(c.outcome, Seriousness::kSerious);
  EXPECT_EQ(c.process(), ProcessKind::kSerious);
  EXPECT_EQ(Criterion(c, "R14.1").outcome, Outcome::kMet);
  EXPECT_NE(Criterion(c, "R14.1").reason.vi.find("cấp độ 4"), std::string::npos);
  EXPECT_EQ(Criterion(c, "R14.2a").outcome, Outcome::kMet);
  EXPECT_EQ(Criterion(c, "R14.2b").outcome, Outcome::kNotMet);
  EXPECT_EQ(Criterion(c, "R14.2").outcome, Outcome::kMet);
  EXPECT_EQ(Criterion(c, "R14.3").outcome, Outcome::kMet);
}

TEST(ClassifyR14, Level3IsNormalWhateverTheHarm) {
  auto c = Classify(Base(3, false, {Harm::kLossOfControl}, Capacity::kBeyondCapacity));
  EXPECT_EQ(c.outcome, Seriousness::kNormal);
  EXPECT_EQ(c.process(), ProcessKind::kNormal);
  EXPECT_EQ(Criterion(c, "R14.1").outcome, Outcome::kNotMet);
}

TEST(ClassifyR14, NationalImportantListCountsAtAnyLevel) {
  auto c = Classify(Base(2, true, {Harm::kChainEffect}, Capacity::kBeyondCapacity));
  EXPECT_EQ(c.outcome, Seriousness::kSerious);
  EXPECT_NE(Criterion(c, "R14.1").reason.en.find("national"), std::string::npos);
  EXPECT_EQ(Criterion(c, "R14.2đ").outcome, Outcome::kMet);
}

TEST(ClassifyR14, NoHarmIsNormal) {
  auto c = Classify(Base(5, false, {}, Capacity::kBeyondCapacity));
  EXPECT_EQ(c.outcome, Seriousness::kNormal);
  EXPECT_EQ(Criterion(c, "R14.2").outcome, Outcome::kNotMet);
}

TEST(ClassifyR14, OwnerCanHandleIsNormal) {
  auto c = Classify(Base(5, false, {Harm::kSecretDataLeak}, Capacity::kWithinCapacity));
  EXPECT_EQ(c.outcome, Seriousness::kNormal);
  EXPECT_EQ(Criterion(c, "R14.3").outcome, Outcome::kNotMet);
}

TEST(ClassifyR14, UnknownCapacityIsPossiblySeriousForR10) {
  auto c = Classify(Base(4, false, {Harm::kIntegrityUnrecoverable}, Capacity::kUnknown));
  EXPECT_EQ(c.outcome, Seriousness::kPossiblySerious);
  EXPECT_EQ(c.process(), ProcessKind::kNormal);
  EXPECT_EQ(Criterion(c, "R14.3").outcome, Outcome::kUnknown);
}

TEST(ClassifyR14, UnclassifiedSystemMakesScopeUnknown) {
  auto c = Classify(Base(0, false, {Harm::kServiceInterruption}, Capacity::kBeyondCapacity));
  EXPECT_EQ(Criterion(c, "R14.1").outcome, Outcome::kUnknown);
  EXPECT_EQ(c.outcome, Seriousness::kPossiblySerious);
}

TEST(ClassifyR14, EveryCriterionHasBothLanguagesInArticleOrder) {
  auto c = Classify(Base(4, false, {Harm::kServiceInterruption}, Capacity::kUnknown));
  const std::vector<std::string> ids{"R14.1",  "R14.2a", "R14.2b", "R14.2c",
                                     "R14.2d", "R14.2đ", "R14.2",  "R14.3"};
  ASSERT_EQ(c.criteria.size(), ids.size());
  for (size_t i = 0; i < ids.size(); ++i) {
    EXPECT_EQ(c.criteria[i].id, ids[i]);
    EXPECT_FALSE(c.criteria[i].reason.vi.empty()) << ids[i];
    EXPECT_FALSE(c.criteria[i].reason.en.empty()) << ids[i];
  }
  EXPECT_FALSE(c.summary.vi.empty());
}

TEST(ClassifyR14, ReRunAfterChangeFollowsTheChange) {
  auto inc = Base(4, false, {Harm::kServiceInterruption}, Capacity::kWithinCapacity);
  EXPECT_EQ(Classify(inc).outcome, Seriousness::kNormal);
  inc.capacity = Capacity::kBeyondCapacity;
  EXPECT_EQ(Classify(inc).outcome, Seriousness::kSerious);
  inc.affected_systems[0].level = 3;
  EXPECT_EQ(Classify(inc).outcome, Seriousness::kNormal);
}

}  // namespace
}  // namespace ucsc::incident
