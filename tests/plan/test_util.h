// Helpers shared by the plan tests: local instants and the shipped outlines.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "core/legal_time.h"
#include "plan/outline.h"
#include "plan/plan.h"

namespace ucsc::plan::testing {

// hh:mm local (UTC+7) on the local date y-m-d.
inline core::Instant Local(int y, unsigned m, unsigned d, int hh = 9, int mm = 0) {
  return core::StartOfLocalDay({y, m, d}) + std::chrono::hours(hh) + std::chrono::minutes(mm);
}

inline std::string DataDir(const std::string& sub) {
  return std::string(UCSC_SOURCE_DIR) + "/data/" + sub;
}

inline const std::vector<Outline>& ShippedOutlines() {
  static const std::vector<Outline> outlines = [] {
    auto r = LoadOutlines(DataDir("plans"));
    EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().ToString());
    return r ? *r : std::vector<Outline>{};
  }();
  return outlines;
}

inline const Outline& OtherOutline() {
  return *SelectOutline(ShippedOutlines(), OutlineKind::kOther);
}
inline const Outline& ImportantOutline() {
  return *SelectOutline(ShippedOutlines(), OutlineKind::kImportant);
}

inline Actor Staff(std::string org = "syt") { return {"u-staff", core::Role::kOrgStaff, org}; }
inline Actor Manager(std::string org = "syt") {
  return {"u-manager", core::Role::kOrgManager, org};
}
inline Actor Coordinator() { return {"u-coord", core::Role::kCoordinator, "skhcn"}; }

// A draft of system "his" of "syt" with every section of `outline` written.
inline IrPlan CompleteDraft(const Outline& outline, core::Instant at, std::string id = "p1") {
  auto p = NewDraft({.id = id, .org_id = "syt", .system_id = "his", .title = "Phương án HIS"},
                    outline, at);
  EXPECT_TRUE(p.has_value());
  for (const auto& s : outline.sections) {
    EXPECT_TRUE(SetSection(*p, outline, s.id, "Nội dung mục " + s.title.vi, at).has_value());
  }
  return *p;
}

// CompleteDraft submitted by staff and approved by the manager at `at`.
inline IrPlan ApprovedPlan(const Outline& outline, core::Instant at, std::string id = "p1") {
  IrPlan p = CompleteDraft(outline, at, id);
  EXPECT_TRUE(Submit(p, Staff(), at).has_value());
  EXPECT_TRUE(Approve(p, outline, Manager(), at).has_value());
  return p;
}

}  // namespace ucsc::plan::testing
