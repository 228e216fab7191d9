#include "compliance/rulepack.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace ucsc::compliance {
namespace {

const std::string kPacks = std::string(UCSC_SOURCE_DIR) + "/data/rulepacks";

std::string RuleText(const std::string& extra, const std::string& id = "X1") {
  return "  - id: " + id +
         "\n"
         "    title: {vi: Việc, en: Work}\n"
         "    basis: {document: Chỉ thị 18/CT-TTg, article: \"1.b\"}\n"
         "    effective_from: 2022-10-13\n"
         "    subject: system\n" +
         extra;
}

std::string Pack(const std::string& rules) { return "pack: t\nversion: \"1\"\nrules:\n" + rules; }

std::string Error(const std::string& text) {
  auto r = ParsePack(text, "t.yaml");
  EXPECT_FALSE(r.has_value()) << text;
  return r ? std::string() : r.error().message;
}

TEST(RulePack, ShippedPacksLoad) {
  auto set = LoadPacks(kPacks);
  ASSERT_TRUE(set) << set.error().message;
  EXPECT_EQ(set->packs.size(), 2u);
  // Every rule of DOMAIN.md is either encoded or listed as unchecked with a reason.
  std::set<std::string> covered;
  for (const auto& r : set->rules) covered.insert(r.id.substr(0, r.id.find('-')));
  for (const auto& u : set->unchecked) {
    EXPECT_FALSE(u.reason.empty()) << u.id;
    covered.insert(u.id.substr(0, u.id.find('-')));
  }
  for (int i = 1; i <= 28; ++i) {
    EXPECT_TRUE(covered.count("R" + std::to_string(i)))
        << "R" << i << " neither encoded nor listed";
  }
}

TEST(RulePack, RuleSwitchesAtItsEffectiveDate) {
  auto set = LoadPacks(kPacks);
  ASSERT_TRUE(set);
  const Rule* before = set->InForce("R22", {2026, 6, 30});
  const Rule* on = set->InForce("R22", {2026, 7, 1});
  ASSERT_NE(before, nullptr);
  ASSERT_NE(on, nullptr);
  EXPECT_EQ(before->pack, "vn-2022");
  EXPECT_EQ(on->pack, "vn-2026");
  EXPECT_NE(on->basis.document.find("116/2025"), std::string::npos);
  // R23-OWNER: the ministry receiving the report changed on 1/3/2025.
  EXPECT_EQ(set->InForce("R23-OWNER", {2025, 2, 28})->version, 1);
  EXPECT_EQ(set->InForce("R23-OWNER", {2025, 3, 1})->version, 2);
  EXPECT_EQ(set->InForce("R1", {2022, 10, 12}), nullptr);
  EXPECT_NE(set->InForce("R1", {2022, 10, 13}), nullptr);
}

TEST(RulePack, UnknownKindRefusedWithLine) {
  auto msg = Error(Pack(RuleText("    kind: weekly_window\n    evidence: [hunt_report]\n")));
  EXPECT_NE(msg.find("t.yaml:9:"), std::string::npos) << msg;
  EXPECT_NE(msg.find("unknown kind 'weekly_window'"), std::string::npos) << msg;
}

TEST(RulePack, BadDateRefusedWithLine) {
  auto text = Pack(
      "  - id: X1\n    title: {vi: a, en: b}\n    basis: {document: d}\n"
      "    effective_from: 2023-02-29\n    subject: system\n    kind: rolling_window\n"
      "    every_months: 6\n    evidence: [hunt_report]\n");
  auto msg = Error(text);
  EXPECT_NE(msg.find("t.yaml:7:"), std::string::npos) << msg;
  EXPECT_NE(msg.find("bad date '2023-02-29'"), std::string::npos) << msg;
}

TEST(RulePack, UnknownEvidenceTypeRefused) {
  auto msg =
      Error(Pack(RuleText("    kind: rolling_window\n    every_months: 6\n"
                          "    evidence: [hunt_report, selfie]\n")));
  EXPECT_NE(msg.find("t.yaml:11:"), std::string::npos) << msg;
  EXPECT_NE(msg.find("unknown evidence type 'selfie'"), std::string::npos) << msg;
}

TEST(RulePack, OverlappingVersionsRefused) {
  const std::string a = RuleText(
      "    kind: rolling_window\n    every_months: 6\n    evidence: [hunt_report]\n"
      "    effective_until: 2026-07-01\n");
  std::string b =
      "  - id: X1\n    version: 2\n    title: {vi: a, en: b}\n    basis: {document: d}\n"
      "    effective_from: 2026-07-01\n    subject: system\n    kind: rolling_window\n"
      "    every_months: 12\n    evidence: [hunt_report]\n";
  auto msg = Error(Pack(a + b));
  EXPECT_NE(msg.find("overlaps version 1"), std::string::npos) << msg;
  EXPECT_NE(msg.find("t.yaml:13"), std::string::npos) << msg;
  // The day after is fine.
  b.replace(b.find("2026-07-01"), 10, "2026-07-02");
  EXPECT_TRUE(ParsePack(Pack(a + b), "t.yaml"));
}

TEST(RulePack, OverlapAcrossFilesRefusedAndNamesBothFiles) {
  auto dir = std::filesystem::temp_directory_path() / "ucsc-rulepack-overlap";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::filesystem::copy_file(kPacks + "/vn-2022.yaml", dir / "vn-2022.yaml");
  // A later pack re-issuing R1 without ending the old version.
  std::ofstream(dir / "vn-2027.yaml") << Pack(
      RuleText("    kind: rolling_window\n    every_months: 3\n    evidence: [hunt_report]\n"
               "    version: 2\n",
               "R1"));
  auto set = LoadPacks(dir.string());
  ASSERT_FALSE(set);
  EXPECT_NE(set.error().message.find("vn-2027.yaml"), std::string::npos) << set.error().message;
  EXPECT_NE(set.error().message.find("vn-2022.yaml"), std::string::npos) << set.error().message;
  std::filesystem::remove_all(dir);
}

TEST(RulePack, OtherMistakesRefused) {
  EXPECT_NE(Error(Pack(RuleText("    kind: rolling_window\n    evidence: [hunt_report]\n")))
                .find("needs every_months"),
            std::string::npos);
  EXPECT_NE(Error(Pack(RuleText("    kind: calendar_deadline\n    deadlines: [\"02-30\"]\n"
                                "    evidence: [drill_report]\n")))
                .find("bad deadline '02-30'"),
            std::string::npos);
  EXPECT_NE(Error(Pack(RuleText("    kind: event_timer\n    triggers: [moon_phase]\n"
                                "    within_days: 5\n    evidence: [ir_plan]\n")))
                .find("unknown trigger 'moon_phase'"),
            std::string::npos);
  EXPECT_NE(Error(Pack(RuleText("    kind: rolling_window\n    every_months: 6\n"
                                "    evidence: [hunt_report]\n    colour: red\n")))
                .find("unknown key 'colour'"),
            std::string::npos);
  EXPECT_NE(Error(Pack(RuleText("    kind: rolling_window\n    every_months: 0\n"
                                "    evidence: [hunt_report]\n")))
                .find("between 1 and 120"),
            std::string::npos);
  EXPECT_NE(Error("pack: t\nversion: 1\nrules: [\n").find("YAML syntax"), std::string::npos);
  EXPECT_NE(Error(Pack(RuleText("    kind: standing\n    check: ir_team_min\n    min_count: 5\n")))
                .find("applies to organisations"),
            std::string::npos);
}

TEST(RulePack, FailedReloadKeepsThePreviousPackInForce) {
  RulePackHolder holder;
  EXPECT_EQ(holder.Current(), nullptr);
  ASSERT_TRUE(holder.Reload(kPacks));
  auto before = holder.Current();
  ASSERT_NE(before, nullptr);
  auto dir = std::filesystem::temp_directory_path() / "ucsc-rulepack-bad";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "bad.yaml") << Pack(RuleText("    kind: monthly\n"));
  auto st = holder.Reload(dir.string());
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().message.find("bad.yaml:9: unknown kind 'monthly'"), std::string::npos)
      << st.error().message;
  EXPECT_EQ(holder.Current(), before);
  std::filesystem::remove_all(dir);
}

TEST(RulePack, MissingPathIsNotFound) {
  auto r = LoadPacks("/nonexistent/ucsc-packs");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::kNotFound);
}

}  // namespace
}  // namespace ucsc::compliance
