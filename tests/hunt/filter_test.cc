// Sigma filters (hunt/sigma/filter.h) on tests/hunt/data/correlation/filter.yml: a filter drops
// only detections of the rules it lists, only on events its condition rejects, only where its
// logsource covers the rule, with field names through the logsource mapping.
#include "hunt/sigma/filter.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "hunt/sigma/logsource.h"
#include "test_util.h"

namespace ucsc::hunt {
namespace {

std::vector<Rule> FilterRules() {
  std::ifstream in(std::string(UCSC_SOURCE_DIR) + "/tests/hunt/data/correlation/filter.yml");
  std::stringstream text;
  text << in.rdbuf();
  auto rules = ParseRules(text.str(), "filter.yml");
  EXPECT_TRUE(rules.has_value()) << (rules ? "" : rules.error().message);
  return rules ? std::move(*rules) : std::vector<Rule>{};
}

constexpr int kProcA = 0, kProcB = 1, kFileA = 2;

TEST(SigmaFilter, DropsListedRuleOnlyWhereItsConditionRejectsTheEvent) {
  const auto rules = FilterRules();
  ASSERT_EQ(rules.size(), 4u);
  ASSERT_TRUE(rules[3].is_filter);
  const FilterSet filters(rules, nullptr);
  ASSERT_FALSE(filters.Empty());
  const Event admin = testing::MakeEvent({{"Image", "C:\\rar.exe"}, {"User", "adm_joe"}});
  const Event user = testing::MakeEvent({{"Image", "C:\\rar.exe"}, {"User", "joe"}});
  EXPECT_FALSE(filters.Keeps(kProcA, admin));
  EXPECT_TRUE(filters.Keeps(kProcA, user));
  EXPECT_TRUE(filters.Keeps(kProcB, admin)) << "proc_b is not listed";
}

TEST(SigmaFilter, DoesNotApplyToARuleOfAnotherLogsource) {
  const auto rules = FilterRules();
  std::vector<std::string> warnings;
  const FilterSet filters(rules, nullptr, &warnings);
  EXPECT_TRUE(warnings.empty());
  const Event admin = testing::MakeEvent({{"TargetFilename", "x.rar"}, {"User", "adm_joe"}});
  EXPECT_TRUE(filters.Keeps(kFileA, admin)) << "file_event is not process_creation";
}

TEST(SigmaFilter, ReadsFieldsThroughTheMappingOfTheEventsSource) {
  const auto rules = FilterRules();
  auto map = LogSourceMap::Parse(LogSourceMap::DefaultText());
  ASSERT_TRUE(map.has_value());
  const FilterSet filters(rules, &*map);
  // Security 4688 carries the user in SubjectUserName (mapped from User).
  const Event security = testing::MakeEvent({{"Channel", "Security"},
                                             {"EventID", "4688"},
                                             {"NewProcessName", "C:\\rar.exe"},
                                             {"SubjectUserName", "adm_joe"}});
  EXPECT_FALSE(filters.Keeps(kProcA, security));
  const Event sysmon = testing::MakeEvent({{"Channel", "Microsoft-Windows-Sysmon/Operational"},
                                           {"EventID", "1"},
                                           {"Image", "C:\\rar.exe"},
                                           {"User", "joe"}});
  EXPECT_TRUE(filters.Keeps(kProcA, sysmon));
  // An event of no source of the filter's logsource: the filter does not apply.
  const Event other = testing::MakeEvent({{"Channel", "System"}, {"User", "adm_joe"}});
  EXPECT_TRUE(filters.Keeps(kProcA, other));
}

TEST(SigmaFilter, UnknownReferenceIsNamedAndAnyAppliesToEveryRule) {
  auto rules = ParseRules(R"(title: r
name: r
logsource: {product: windows, category: process_creation}
detection: {sel: {Image: x}, condition: sel}
---
title: f1
logsource: {product: windows}
filter: {rules: [missing], sel: {User: adm}, condition: not sel}
---
title: f2
logsource: {product: windows}
filter: {rules: any, sel: {User: svc}, condition: not sel}
)",
                          "f.yml");
  ASSERT_TRUE(rules.has_value()) << rules.error().message;
  std::vector<std::string> warnings;
  const FilterSet filters(*rules, nullptr, &warnings);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("unknown rule 'missing'"), std::string::npos) << warnings[0];
  EXPECT_TRUE(filters.Keeps(0, testing::MakeEvent({{"User", "adm"}})));
  EXPECT_FALSE(filters.Keeps(0, testing::MakeEvent({{"User", "svc"}})));
}

}  // namespace
}  // namespace ucsc::hunt
