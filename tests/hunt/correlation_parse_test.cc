// Correlation rules (Sigma correlation specification 2.0.0) are parsed into the AST with their
// type, rules, group-by, timespan, condition and aliases; bad ones are refused with a reason.
// Sigma filters load with their rule list and selections (evaluation: correlation_test.cc,
// filter_test.cc).
#include <gtest/gtest.h>

#include "hunt/sigma/sigma_rule.h"
#include "test_util.h"

namespace ucsc::hunt {
namespace {

TEST(CorrelationParse, EventCountWithGroupByAndTimespan) {
  auto rules = ParseRules(R"(title: failed logon
name: failed_logon
logsource: {product: windows, service: security}
detection:
  sel: {EventID: 4625}
  condition: sel
---
title: brute force
correlation:
  type: event_count
  rules: [failed_logon]
  group-by: [TargetUserName, IpAddress]
  timespan: 5m
  condition:
    gte: 10
level: high
)",
                          "c.yml");
  ASSERT_TRUE(rules.has_value()) << rules.error().message;
  ASSERT_EQ(rules->size(), 2u);
  const Rule& c = (*rules)[1];
  ASSERT_TRUE(c.correlation.has_value());
  EXPECT_EQ(c.correlation->type, CorrelationType::kEventCount);
  EXPECT_EQ(c.correlation->rules, std::vector<std::string>{"failed_logon"});
  EXPECT_EQ(c.correlation->group_by, (std::vector<std::string>{"TargetUserName", "IpAddress"}));
  EXPECT_EQ(c.correlation->timespan_ms, 5 * 60 * 1000);
  ASSERT_EQ(c.correlation->condition.terms.size(), 1u);
  EXPECT_EQ(c.correlation->condition.terms[0].first, CorrelationCondition::Op::kGte);
  EXPECT_EQ(c.correlation->condition.terms[0].second, 10);
}

TEST(CorrelationParse, ValueCountTemporalOrderedAliasesAndNewerTypes) {
  auto rules = ParseRules(R"(title: many users
correlation:
  type: value_count
  rules: [a]
  group-by: [IpAddress]
  timespan: 1h
  condition: {field: TargetUserName, gt: 5, lte: 100}
---
title: sequence
correlation:
  type: temporal_ordered
  rules: [recon, lateral]
  group-by: [host]
  timespan: 2d
  aliases:
    host:
      recon: Computer
      lateral: WorkstationName
---
title: bytes
correlation:
  type: value_sum
  rules: [net]
  timespan: 10s
  condition: {field: SentBytes, gt: 1000000}
)",
                          "c2.yml");
  ASSERT_TRUE(rules.has_value()) << rules.error().message;
  const auto& vc = *(*rules)[0].correlation;
  EXPECT_EQ(vc.type, CorrelationType::kValueCount);
  EXPECT_EQ(vc.condition.field, "TargetUserName");
  EXPECT_EQ(vc.condition.terms.size(), 2u);
  const auto& to = *(*rules)[1].correlation;
  EXPECT_EQ(to.type, CorrelationType::kTemporalOrdered);
  EXPECT_EQ(to.timespan_ms, 2LL * 86400 * 1000);
  EXPECT_EQ(to.aliases.at("host").at("lateral"), "WorkstationName");
  // Temporal types default to "all referenced rules matched".
  ASSERT_EQ(to.condition.terms.size(), 1u);
  EXPECT_EQ(to.condition.terms[0].second, 2);
  EXPECT_EQ((*rules)[2].correlation->type, CorrelationType::kValueSum);
}

TEST(CorrelationParse, RefusedWithReasons) {
  using testing::RuleError;
  EXPECT_NE(RuleError("title: x\ncorrelation:\n  type: nope\n  rules: [a]\n  timespan: 1m\n")
                .find("unknown correlation type 'nope'"),
            std::string::npos);
  EXPECT_NE(RuleError("title: x\ncorrelation:\n  type: event_count\n  rules: [a]\n  timespan: "
                      "1m\n")
                .find("needs a 'condition'"),
            std::string::npos);
  EXPECT_NE(RuleError("title: x\ncorrelation:\n  type: event_count\n  rules: [a]\n  timespan: "
                      "soon\n  condition: {gt: 1}\n")
                .find("invalid timespan"),
            std::string::npos);
  EXPECT_NE(RuleError("title: x\ncorrelation:\n  type: value_count\n  rules: [a]\n  timespan: "
                      "1m\n  condition: {gt: 1}\n")
                .find("needs condition.field"),
            std::string::npos);
  EXPECT_NE(RuleError("title: x\ncorrelation:\n  type: event_count\n  timespan: 1m\n  condition: "
                      "{gt: 1}\n")
                .find("needs 'rules'"),
            std::string::npos);
}

// Regression: every filter document was refused with "invalid node; first invalid key:
// detection" (the loader assigned the filter node to the missing detection node).
TEST(FilterParse, FilterDocumentLoadsWithRulesAndCondition) {
  auto rules = ParseRules(R"(title: Filter administrator accounts
logsource: {product: windows, category: process_creation}
filter:
  rules: [6f3e2987-db24-4c78-a860-b4f4095a7095, proc_b]
  selection:
    User|startswith: 'adm_'
  condition: not selection
)",
                          "f.yml");
  ASSERT_TRUE(rules.has_value()) << rules.error().message;
  ASSERT_EQ(rules->size(), 1u);
  const Rule& f = (*rules)[0];
  EXPECT_TRUE(f.is_filter);
  EXPECT_EQ(f.filter_rules,
            (std::vector<std::string>{"6f3e2987-db24-4c78-a860-b4f4095a7095", "proc_b"}));
  ASSERT_EQ(f.selections.size(), 1u) << "`rules` is not a selection";
  EXPECT_EQ(f.selections[0].name, "selection");
  EXPECT_EQ(f.condition.kind, Condition::Kind::kNot);
  EXPECT_NE(testing::RuleError("title: x\nlogsource: {product: windows}\nfilter:\n  sel: {A: "
                               "1}\n  condition: sel\n")
                .find("a filter needs 'rules'"),
            std::string::npos);
}

TEST(CorrelationParse, ValueMedianAndPercentileNeedTheirFields) {
  auto rules = ParseRules(R"(title: m
correlation: {type: value_median, rules: [a], timespan: 1m, condition: {field: n, lt: 5},
              generate: True}
)",
                          "m.yml");
  ASSERT_TRUE(rules.has_value()) << rules.error().message;
  EXPECT_EQ((*rules)[0].correlation->type, CorrelationType::kValueMedian);
  EXPECT_EQ(CorrelationTypeName(CorrelationType::kValueMedian), "value_median");
  EXPECT_TRUE((*rules)[0].correlation->generate);
  EXPECT_NE(testing::RuleError("title: x\ncorrelation:\n  type: value_percentile\n  rules: [a]\n"
                               "  timespan: 1m\n  condition: {field: n, gt: 1}\n")
                .find("needs condition.percentile"),
            std::string::npos);
  EXPECT_EQ(ParseTimespan("90m"), 90 * 60 * 1000);
  EXPECT_FALSE(ParseTimespan("0s").has_value());
  EXPECT_FALSE(ParseTimespan("5").has_value());
}

}  // namespace
}  // namespace ucsc::hunt
