// FUZZ_LIBS: ucsc_compliance_rulepack ucsc_core
// Compliance rule-pack loader (compliance/rulepack.h, ParsePack): any bytes give a RuleSet or
// a kInvalidArgument error naming the file, never a crash. Oracles on a loaded set (the
// contract of RuleSet): every date is a real calendar date, rules are sorted by (id,
// effective_from), versions of one id do not overlap, so InForce(id, d) finds exactly the
// version whose range holds d; known evidence types only; deadlines sorted; a window is never
// negative.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "compliance/rulepack.h"
#include "core/legal_time.h"

namespace {

using ucsc::compliance::Rule;
using ucsc::compliance::RuleSet;
using ucsc::core::LocalDate;

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

void CheckRule(const Rule& r) {
  Check(!r.id.empty());
  Check(ucsc::core::IsValidDate(r.effective_from));
  Check(ucsc::core::IsValidDate(r.first_effective) && r.first_effective <= r.effective_from);
  if (r.effective_until) Check(r.effective_from <= *r.effective_until);
  for (const std::string& type : r.evidence) Check(ucsc::compliance::IsEvidenceType(type));
  for (std::size_t deadline_idx = 1; deadline_idx < r.deadlines.size(); ++deadline_idx) {
    Check(r.deadlines[deadline_idx - 1] <= r.deadlines[deadline_idx]);
  }
  for (int level = 0; level <= 6; ++level) Check(r.WindowMonths(level) >= 0);
  Check(r.InForce(r.effective_from));
  if (r.effective_until) {
    Check(r.InForce(*r.effective_until));
    Check(!r.InForce(ucsc::core::AddDays(*r.effective_until, 1)));
  }
  Check(!r.InForce(ucsc::core::AddDays(r.effective_from, -1)));
}

void CheckSet(const RuleSet& set) {
  for (std::size_t rule_idx = 0; rule_idx < set.rules.size(); ++rule_idx) {
    const Rule& r = set.rules[rule_idx];
    CheckRule(r);
    if (rule_idx > 0) {
      const Rule& prev = set.rules[rule_idx - 1];
      Check(prev.id < r.id || (prev.id == r.id && prev.effective_from < r.effective_from));
      // Versions of one id: the earlier one ends before the next begins.
      if (prev.id == r.id) Check(prev.effective_until && *prev.effective_until < r.effective_from);
    }
    // On each end of its range this version, and no other, is in force.
    Check(set.InForce(r.id, r.effective_from) == &r);
    if (r.effective_until) Check(set.InForce(r.id, *r.effective_until) == &r);
  }
  const auto ids = set.Ids();
  for (std::size_t id_idx = 1; id_idx < ids.size(); ++id_idx) Check(ids[id_idx - 1] < ids[id_idx]);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 65536) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto set = ucsc::compliance::ParsePack(text, "fuzz.yaml");
  if (!set) {
    Check(set.error().code == ucsc::core::ErrorCode::kInvalidArgument);
    Check(set.error().message.find("fuzz.yaml") != std::string::npos);
    return 0;
  }
  CheckSet(*set);
  return 0;
}
