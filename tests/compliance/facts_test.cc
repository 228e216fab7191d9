// LoadFacts reads systems from their stored documents without the full decode: what it reads
// must be what the decoder reads.
#include "compliance/facts.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include "codec/entities.h"
#include "store_fixture.h"

namespace ucsc::compliance {
namespace {

using testing::ComplianceStore;

class LoadFactsTest : public ComplianceStore {};

core::InformationSystem System(std::string id, std::string owner, std::string op, int level) {
  core::InformationSystem s;
  s.id = std::move(id);
  s.name = "Hệ thống " + s.id;
  s.owner_org_id = std::move(owner);
  s.operator_org_id = std::move(op);
  s.level = level;
  s.version = 1;
  s.created_at = s.updated_at = core::StartOfLocalDay({2024, 3, 1}) + std::chrono::hours(1);
  return s;
}

TEST_P(LoadFactsTest, SystemsAreReadAsTheDecoderReadsThem) {
  auto a = System("a", "syt", "", 3);  // operated by its owner
  a.national_important = true;
  a.approval = {"QĐ 12", "2024-04-02", "UBND tỉnh"};
  // Raised at 23:30 UTC on 31/05 = 06:30 on 01/06 in Vietnam: the local date counts.
  core::LevelHistoryEntry up;
  up.level = 3;
  up.changed_at = core::FromUnixMillis(1'717'198'200'000);  // 2024-05-31T23:30:00Z
  up.changed_by = "u1";
  a.level_history = {up};
  auto b = System("b", "syt", "coord", 1);
  ASSERT_TRUE(store().Write([&](store::Tx& tx) -> core::Status {
    UCSC_RETURN_IF_ERROR(tx.Systems().Insert(a));
    return tx.Systems().Insert(b);
  }));
  Facts facts;
  ASSERT_TRUE(store().Read([&](store::Tx& tx) -> core::Status {
    UCSC_ASSIGN_OR_RETURN(facts, LoadFacts(tx, testing::At(2026, 12, 8)));
    return core::Ok();
  }));
  std::map<std::string, SystemFacts> by_id;
  for (const auto& s : facts.systems) by_id[s.id] = s;
  ASSERT_EQ(by_id.size(), 3u);  // and the fixture's "his"
  const auto& fa = by_id.at("a");
  EXPECT_EQ(fa.name, "Hệ thống a");
  EXPECT_EQ(fa.owner_org_id, "syt");
  EXPECT_EQ(fa.operator_org_id, "syt");
  EXPECT_EQ(fa.level, 3);
  EXPECT_TRUE(fa.national_important);
  EXPECT_TRUE(fa.level_approved);
  EXPECT_EQ(fa.created, (core::LocalDate{2024, 3, 1}));
  ASSERT_EQ(fa.level_history.size(), 1u);
  EXPECT_EQ(fa.level_history[0].date, (core::LocalDate{2024, 6, 1}));
  EXPECT_EQ(fa.level_history[0].level, 3);
  const auto& fb = by_id.at("b");
  EXPECT_EQ(fb.operator_org_id, "coord");
  EXPECT_EQ(fb.level, 1);
  EXPECT_FALSE(fb.national_important);
  EXPECT_FALSE(fb.level_approved);
  EXPECT_TRUE(fb.level_history.empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, LoadFactsTest, ::testing::Values("sqlite", "postgresql"));

TEST(SystemFactsFromDoc, RefusesADocumentThatIsNotASystems) {
  simdjson::dom::parser parser;
  const std::string good = codec::ToJson(System("x", "o", "", 2)).dump();
  ASSERT_TRUE(SystemFactsFromDoc(parser, good));
  const std::vector<std::string> bad_docs = {
      "[]",
      "{",
      R"({"id":"x"})",
      R"({"id":"x","name":"n","owner_org_id":"o","created_at":"yesterday","level":2})",
      R"({"id":"x","name":"n","owner_org_id":"o","created_at":"2024-01-01T00:00:00Z","level":"2"})",
      R"({"id":"x","name":"n","owner_org_id":"o","created_at":"2024-01-01T00:00:00Z","level":2,)"
      R"("level_history":[{"level":3}]})",
  };
  for (const auto& bad : bad_docs) {
    auto f = SystemFactsFromDoc(parser, bad);
    ASSERT_FALSE(f) << bad;
    EXPECT_EQ(f.error().code, core::ErrorCode::kInvalidArgument);
  }
}

}  // namespace
}  // namespace ucsc::compliance
