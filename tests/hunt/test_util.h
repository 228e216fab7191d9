// Helpers for hunt tests: build events and rules from short literals.
#pragma once

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <utility>

#include "hunt/event.h"
#include "hunt/sigma/reference_evaluator.h"
#include "hunt/sigma/sigma_rule.h"

namespace ucsc::hunt::testing {

inline Event MakeEvent(std::initializer_list<std::pair<std::string, std::string>> fields) {
  Event e;
  for (const auto& [k, v] : fields) e.Add(k, v);
  return e;
}

// Parses one rule whose detection is `detection` (YAML, indented by two spaces per level).
inline Rule MakeRule(const std::string& detection) {
  const std::string yaml =
      "title: t\nid: 00000000-0000-0000-0000-000000000001\n"
      "logsource: {product: windows, category: process_creation}\n"
      "detection:\n" +
      detection;
  auto rules = ParseRules(yaml, "test.yml");
  EXPECT_TRUE(rules.has_value()) << (rules ? "" : rules.error().message) << "\n" << yaml;
  if (!rules || rules->empty()) return Rule{};
  return std::move(rules->front());
}

inline std::string RuleError(const std::string& yaml) {
  auto outcome = ParseRuleText(yaml, "bad.yml");
  if (outcome.errors.empty()) return "";
  return outcome.errors.front().ToString();
}

inline bool Matches(const Rule& r, const Event& e) { return EvaluateRule(r, e, nullptr, -1); }

}  // namespace ucsc::hunt::testing
