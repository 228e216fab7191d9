#include "codec/entities.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "inventory/validate.h"

namespace ucsc::codec {
namespace {

TEST(Decode, UnknownFieldNamesItsPointer) {
  core::Organisation org;
  auto st =
      Decode(Json{{"name", "Sở Y tế"}, {"type", "agency"}, {"colour", "red"}}, Mode::kCreate, org);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().field, "/colour");
}

TEST(Decode, PatchKeepsAbsentFieldsAndRefusesReadOnlyOnes) {
  core::InformationSystem sys;
  sys.name = "Cổng thông tin";
  sys.owner_org_id = "o1";
  sys.level = 2;
  ASSERT_TRUE(Decode(Json{{"level", 3}}, Mode::kPatch, sys));
  EXPECT_EQ(sys.level, 3);
  EXPECT_EQ(sys.name, "Cổng thông tin");
  auto st = Decode(Json{{"version", 9}}, Mode::kPatch, sys);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().field, "/version");
}

TEST(ParseJson, DepthLimit) {
  std::string deep(40, '[');
  deep += std::string(40, ']');
  EXPECT_FALSE(ParseJson(deep, 32));
  EXPECT_TRUE(ParseJson(deep, 64));
}

// Replays every input kept in fuzz/corpus/api_json (regression seeds of crashes found by
// fuzz/api_json_fuzz.cc) through the same checks as the fuzz target.
TEST(FuzzCorpus, ApiJsonInputsRoundTrip) {
  const std::filesystem::path dir = std::filesystem::path(UCSC_SOURCE_DIR) / "fuzz/corpus/api_json";
  int replayed = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (!entry.is_regular_file() || entry.path().filename() == ".gitkeep") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    auto parsed = ParseJson(text.str(), 32);
    ++replayed;
    if (!parsed) continue;
    for (Mode mode : {Mode::kCreate, Mode::kPatch}) {
      core::Task task;
      if (!Decode(*parsed, mode, task) || !inventory::ValidateTask(task)) continue;
      task.id = "00000000-0000-7000-8000-000000000000";
      core::Task again;
      ASSERT_TRUE(Decode(ToJson(task), Mode::kStored, again)) << entry.path();
      EXPECT_EQ(ToJson(again), ToJson(task)) << entry.path();
    }
  }
  EXPECT_GE(replayed, 1);
}

}  // namespace
}  // namespace ucsc::codec
