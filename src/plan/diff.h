// Differences between two versions of a plan: sections added, removed or changed (with a line
// diff of their text), and scenarios added, removed or changed. A section whose text is blank
// counts as absent. Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "plan/plan.h"

namespace ucsc::plan {

enum class LineOp { kSame, kAdded, kRemoved };

struct DiffLine {
  LineOp op = LineOp::kSame;
  std::string text;
  friend bool operator==(const DiffLine&, const DiffLine&) = default;
};

// A minimal line diff of `before` → `after` (longest common subsequence; lines split on '\n', a
// trailing "\r" dropped). Removed lines come before added ones at each change. When both texts
// have more than 5 000 lines, the common prefix and suffix are kept and the middle is reported as
// removed-then-added (bounded work).
std::vector<DiffLine> DiffLines(std::string_view before, std::string_view after);

enum class Change { kAdded, kRemoved, kChanged };
std::string_view ChangeName(Change c);

struct SectionDiff {
  std::string section_id;
  Change change = Change::kChanged;
  std::vector<DiffLine> lines;
};

struct ScenarioDiff {
  std::string scenario_id;
  Change change = Change::kChanged;
  std::vector<DiffLine> lines;
};

struct PlanDiff {
  int from_version = 0;
  int to_version = 0;
  std::vector<SectionDiff> sections;  // in the order of `to`, then removed ones in `from` order
  std::vector<ScenarioDiff> scenarios;
  bool empty() const { return sections.empty() && scenarios.empty(); }
};

// The differences from `from` to `to` (normally two versions of one plan; ids are not checked).
PlanDiff DiffPlans(const IrPlan& from, const IrPlan& to);

}  // namespace ucsc::plan
