// Sigma filters (global filters): tuning that applies to the detections of listed rules.
//
// Implements the Sigma filters specification 2.0.0 (SigmaHQ/sigma-specification,
// specification/sigma-filters-specification.md, v2.0.0 of 2024-08-08; v2.1.0 of 2025-08-02
// only adds `taxonomy`). The specification says a filter is *added* to the rules it lists; as in
// pySigma (the reference implementation), the filter's condition is joined to each listed
// rule's condition with AND: a detection of a listed rule stands only when the filter's
// condition also holds on the event, so a filter is written `condition: not selection` to drop
// the events its selection describes. A filter applies to a listed rule (by id or name; `any` /
// `all` = every rule) whose logsource it covers (each key the filter sets equals the rule's), and
// only on events of a mapping source that carries the filter's logsource. It runs after the
// engine matched, with the reference evaluator: detections are rare, so the cost is small.
//
// Thread-safety: immutable after construction; Keeps may be called concurrently.
#pragma once

#include <string>
#include <vector>

#include "hunt/event.h"
#include "hunt/sigma/logsource.h"
#include "hunt/sigma/sigma_rule.h"

namespace ucsc::hunt {

class FilterSet {
 public:
  // REQUIRES: `rules` and `map` (may be null: field names as written, every event in every
  // filter's logsource) outlive the set. References to unknown rules are named in `warnings`.
  FilterSet(const std::vector<Rule>& rules, const LogSourceMap* map,
            std::vector<std::string>* warnings = nullptr);

  [[nodiscard]] bool Empty() const { return filtered_rules_ == 0; }
  // True when the detection of rule `rule` on event `e` stands after every filter for it.
  [[nodiscard]] bool Keeps(int rule, const Event& e) const;

 private:
  const std::vector<Rule>& rules_;
  const LogSourceMap* map_;
  std::vector<std::vector<int>> filters_for_;  // per rule: indices of filter rules
  std::vector<std::vector<int>> sources_;      // per filter rule: mapping sources
  std::size_t filtered_rules_ = 0;
};

}  // namespace ucsc::hunt
