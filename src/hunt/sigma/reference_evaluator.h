// The plain reference evaluator: walks each rule's AST for each event. Slow and obviously
// correct; the optimised Engine must agree with it on every event (tests/hunt/differential_test).
//
// Thread-safety: immutable after construction; Match may be called concurrently.
#pragma once

#include <vector>

#include "hunt/event.h"
#include "hunt/sigma/logsource.h"
#include "hunt/sigma/sigma_rule.h"

namespace ucsc::hunt {

// Evaluates one detection item on an event, reading fields through source `source` of `map`
// (source < 0: no renaming).
bool EvaluateItem(const DetectionItem& item, const Event& e, const LogSourceMap* map, int source);
// Evaluates a whole rule's condition.
bool EvaluateRule(const Rule& rule, const Event& e, const LogSourceMap* map, int source);

class ReferenceEvaluator {
 public:
  // REQUIRES: `rules` and `map` outlive the evaluator. Correlation and filter rules are skipped.
  ReferenceEvaluator(const std::vector<Rule>& rules, const LogSourceMap& map);

  // Indices (into `rules`) of the detection rules that match `e`, ascending.
  std::vector<int> Match(const Event& e) const;

 private:
  const std::vector<Rule>& rules_;
  const LogSourceMap& map_;
  std::vector<std::vector<int>> rule_sources_;
};

}  // namespace ucsc::hunt
