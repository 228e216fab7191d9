#include "plan/playbook.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "test_util.h"

namespace ucsc::plan {
namespace {

using testing::DataDir;
using testing::Local;
using testing::OtherOutline;

const std::vector<Scenario>& Library() {
  static const std::vector<Scenario> lib = [] {
    auto r = LoadScenarios(DataDir("playbooks"));
    EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().ToString());
    return r ? *r : std::vector<Scenario>{};
  }();
  return lib;
}

constexpr std::string_view kMinimal = R"(scenario: t
version: 3
incident_type: fire
title: {vi: Cháy, en: Fire}
signs: [{vi: Khói, en: Smoke}]
first_actions: [{vi: Sơ tán, en: Evacuate}]
containment: [{vi: Cắt điện, en: Cut power}]
eradication: [{vi: Tìm nguyên nhân, en: Find the cause}]
recovery: [{vi: Khôi phục, en: Restore}, {vi: Kiểm tra, en: Check}]
communication: [{vi: Thông báo, en: Announce}]
notify:
  - {to: owner, whom: {vi: Chủ quản, en: Owner}, within_days: 0}
  - {to: specialised_unit, whom: {vi: Đơn vị chuyên trách, en: Specialised unit}, within_days: 5, basis: TT20 Điều 9, rule: R8}
)";

std::string Edit(std::string_view from, std::string_view to) {
  std::string s(kMinimal);
  auto pos = s.find(from);
  EXPECT_NE(pos, std::string::npos) << from;
  s.replace(pos, from.size(), to);
  return s;
}

void ExpectError(const std::string& text, std::string_view field, std::string_view words) {
  auto s = ParseScenario(text, "bad.yaml");
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(s.error().field, field) << s.error().message;
  EXPECT_NE(s.error().message.find("bad.yaml:"), std::string::npos) << s.error().message;
  EXPECT_NE(s.error().message.find(words), std::string::npos) << s.error().message;
}

TEST(ScenarioLibrary, ShippedLibraryCoversTheTenTypesAndNonAttackIncidents) {
  ASSERT_EQ(Library().size(), 14u);
  EXPECT_TRUE(MissingIncidentTypes(Library()).empty());
  EXPECT_EQ(IncidentTypeNames().size(), 14u);
  EXPECT_TRUE(IsAttackType("combined_attack"));
  EXPECT_TRUE(IsAttackType("other_attack"));
  EXPECT_FALSE(IsAttackType("fire"));
  EXPECT_FALSE(IsAttackType("power_line_outage"));
}

TEST(ScenarioLibrary, AttackScenariosNotifyWithinFiveDays_R8_AndImmediatelyWhenBeyondCapacity_R10) {
  for (const auto& s : Library()) {
    if (!IsAttackType(s.incident_type)) continue;
    bool r8 = false;
    bool r10 = false;
    for (const auto& n : s.notify) {
      if (n.rule == "R8" && n.to == "coordinating_agency") r8 = n.within_days == 5;
      if (n.rule == "R10") r10 = n.within_days == 0;
    }
    EXPECT_TRUE(r8) << s.id;
    EXPECT_TRUE(r10) << s.id;
  }
}

TEST(ScenarioLibrary, VietnameseTextsCarryDiacritics) {
  for (const auto& s : Library()) {
    // Every Vietnamese title of the library has at least one non-ASCII letter.
    EXPECT_TRUE(std::any_of(s.title.vi.begin(), s.title.vi.end(), [](char c) {
      return static_cast<unsigned char>(c) >= 0x80;
    })) << s.id;
    EXPECT_NE(s.title.vi, s.title.en) << s.id;
  }
}

TEST(ScenarioParse, MinimalScenarioParses) {
  auto s = ParseScenario(kMinimal, "mem.yaml");
  ASSERT_TRUE(s.has_value()) << s.error().ToString();
  EXPECT_EQ(s->id, "t");
  EXPECT_EQ(s->version, 3);
  EXPECT_EQ(s->recovery.size(), 2u);
  ASSERT_EQ(s->notify.size(), 2u);
  EXPECT_EQ(s->notify[1].rule, "R8");
  EXPECT_EQ(s->notify[1].basis, "TT20 Điều 9");
}

TEST(ScenarioParse, MissingLanguageIsRefusedNamingFileAndField) {
  ExpectError(Edit("{vi: Khôi phục, en: Restore}", "{vi: Khôi phục}"), "/recovery/0/en", "missing");
  ExpectError(Edit("title: {vi: Cháy, en: Fire}", "title: {en: Fire}"), "/title/vi", "missing");
  ExpectError(Edit("whom: {vi: Chủ quản, en: Owner}", "whom: {vi: Chủ quản, en: \" \"}"),
              "/notify/0/whom/en", "blank");
}

TEST(ScenarioParse, BadFieldsAreRefused) {
  ExpectError(Edit("incident_type: fire", "incident_type: meteor"), "/incident_type",
              "unknown incident type");
  ExpectError(Edit("rule: R8", "rule: rule8"), "/notify/1/rule", "rule id");
  ExpectError(Edit("within_days: 5", "within_days: -1"), "/notify/1/within_days", "between");
  ExpectError(Edit("signs: [{vi: Khói, en: Smoke}]", "signs: []"), "/signs", "non-empty");
  ExpectError(Edit("version: 3", "version: 3\nauthor: me"), "/author", "unknown field");
  ExpectError(Edit("scenario: t", "scenario: T-1"), "/scenario", "[a-z0-9_]+");
}

TEST(ScenarioLoad, DuplicateIdAndVersionAcrossFilesIsRefused) {
  const auto dir = std::filesystem::temp_directory_path() / "ucsc_plan_playbook_dup";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  for (const char* name : {"a.yaml", "b.yaml"}) {
    std::ofstream(dir / name) << kMinimal;
  }
  auto r = LoadScenarios(dir.string());
  std::filesystem::remove_all(dir);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().field, "/scenario");
  EXPECT_NE(r.error().message.find("a.yaml"), std::string::npos);
}

TEST(ScenarioLoad, HighestVersionIsFound) {
  std::vector<Scenario> lib;
  for (int v : {1, 3, 2}) {
    auto s = ParseScenario(Edit("version: 3", "version: " + std::to_string(v)), "m.yaml");
    ASSERT_TRUE(s.has_value());
    lib.push_back(*s);
  }
  ASSERT_NE(FindScenario(lib, "t"), nullptr);
  EXPECT_EQ(FindScenario(lib, "t")->version, 3);
  EXPECT_EQ(FindScenario(lib, "none"), nullptr);
  EXPECT_EQ(MissingIncidentTypes(lib).size(), 13u);
}

TEST(RenderScenario, BothLanguagesHaveEveryPartAndTimeLimits) {
  auto s = ParseScenario(kMinimal, "mem.yaml");
  ASSERT_TRUE(s.has_value());
  const std::string vi = RenderScenario(*s, Lang::kVi);
  for (const char* h :
       {"Dấu hiệu nhận biết:", "Xử lý ban đầu:", "Ngăn chặn sự cố:", "Xử lý, loại bỏ:",
        "Khôi phục:", "Thông tin, truyền thông:", "- Chủ quản: ngay lập tức",
        "- Đơn vị chuyên trách: trong 5 ngày (TT20 Điều 9, R8)"}) {
    EXPECT_NE(vi.find(h), std::string::npos) << h << "\n" << vi;
  }
  const std::string en = RenderScenario(*s, Lang::kEn);
  EXPECT_NE(en.find("- Owner: immediately"), std::string::npos) << en;
  EXPECT_NE(en.find("- Specialised unit: within 5 days"), std::string::npos) << en;
}

TEST(AddScenarios, InstantiatedScenariosCompleteTheScenarioSections_R4) {
  const Outline& o = OtherOutline();
  IrPlan p = testing::CompleteDraft(o, Local(2026, 3, 1));
  ASSERT_TRUE(SetSection(p, o, "scenarios", "", Local(2026, 3, 1)).has_value());
  ASSERT_TRUE(SetSection(p, o, "response", "", Local(2026, 3, 1)).has_value());
  ASSERT_EQ(CheckCompleteness(p, o).size(), 2u);
  ASSERT_TRUE(AddScenarios(p, Library(), Lang::kVi, Local(2026, 3, 2)).has_value());
  EXPECT_TRUE(CheckCompleteness(p, o).empty());
  ASSERT_EQ(p.scenarios.size(), 14u);
  const Scenario* dos = FindScenario(Library(), "dos");
  ASSERT_NE(dos, nullptr);
  EXPECT_EQ(p.scenarios[0].scenario_id, "dos");
  EXPECT_EQ(p.scenarios[0].title, "Tấn công từ chối dịch vụ");
  EXPECT_EQ(p.scenarios[0].text, RenderScenario(*dos, Lang::kVi));
}

TEST(AddScenarios, ReaddingReplacesAndNonDraftIsRefused) {
  const Outline& o = OtherOutline();
  IrPlan p = testing::CompleteDraft(o, Local(2026, 3, 1));
  const Scenario* fire = FindScenario(Library(), "fire");
  ASSERT_NE(fire, nullptr);
  ASSERT_TRUE(AddScenarios(p, std::span(fire, 1), Lang::kVi, Local(2026, 3, 2)).has_value());
  ASSERT_TRUE(AddScenarios(p, std::span(fire, 1), Lang::kEn, Local(2026, 3, 3)).has_value());
  ASSERT_EQ(p.scenarios.size(), 1u);
  EXPECT_EQ(p.scenarios[0].title, "Fire or explosion");
  auto none = AddScenarios(p, {}, Lang::kVi, Local(2026, 3, 3));
  ASSERT_FALSE(none.has_value());
  ASSERT_TRUE(Submit(p, testing::Staff(), Local(2026, 3, 4)).has_value());
  auto late = AddScenarios(p, std::span(fire, 1), Lang::kVi, Local(2026, 3, 5));
  ASSERT_FALSE(late.has_value());
  EXPECT_EQ(late.error().code, core::ErrorCode::kFailedPrecondition);
}

TEST(ScenarioTasks, StepsThenNotificationsWithLocalDueDates_R8) {
  auto s = ParseScenario(kMinimal, "mem.yaml");
  ASSERT_TRUE(s.has_value());
  // Detected 23:30 local on 31/12/2026 (16:30 UTC): due dates follow the local date.
  const TaskContext ctx{"inc7", "syt", "his", Local(2026, 12, 31, 23, 30), Local(2027, 1, 1, 8)};
  const auto tasks = ScenarioTasks(*s, ctx, Lang::kVi);
  ASSERT_EQ(tasks.size(), 7u);  // 1 first action + 1 containment + 1 eradication + 2 recovery + 2
  EXPECT_EQ(tasks[0].id, "inc7-1");
  EXPECT_EQ(tasks[0].kind, "response");
  EXPECT_EQ(tasks[0].title, "Xử lý ban đầu: Sơ tán");
  EXPECT_EQ(tasks[0].org_id, "syt");
  EXPECT_EQ(tasks[0].system_id, "his");
  EXPECT_TRUE(tasks[0].due_date.empty());
  EXPECT_EQ(tasks[0].state, core::TaskState::kOpen);
  EXPECT_EQ(tasks[4].title, "Khôi phục: Kiểm tra");
  EXPECT_EQ(tasks[5].kind, "notify");
  EXPECT_EQ(tasks[5].due_date, "2026-12-31");  // immediately: the day of detection
  EXPECT_EQ(tasks[6].due_date, "2027-01-05");  // 5 days
  EXPECT_EQ(tasks[6].title, "Thông báo Đơn vị chuyên trách (trong 5 ngày)");
  EXPECT_EQ(tasks[6].created_at, Local(2027, 1, 1, 8));
}

}  // namespace
}  // namespace ucsc::plan
