// R14, QĐ05 Art 9: the serious-incident test, evaluated criterion by criterion. A pure function of
// the incident's affected systems, harms and capacity: callers re-run it on every change and
// record the result (the classification record R14 asks for).
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "incident/model.h"

namespace ucsc::incident {

enum class Outcome { kMet, kNotMet, kUnknown };
std::string_view OutcomeName(Outcome o);

struct CriterionResult {
  std::string id;  // "R14.1", "R14.2a" … "R14.2đ", "R14.2", "R14.3"
  Text title;
  Outcome outcome = Outcome::kNotMet;
  Text reason;
};

enum class Seriousness {
  kNormal,           // sự cố thông thường → TT20 (4 steps)
  kPossiblySerious,  // (1) and (2) met, capacity not yet known → Form 03 now (R10)
  kSerious,          // (1) ∧ (2) ∧ (3) → QĐ05 (7 steps)
};
std::string_view SeriousnessName(Seriousness s);

struct Classification {
  Seriousness outcome = Seriousness::kNormal;
  std::vector<CriterionResult> criteria;  // in the order of QĐ05 Art 9
  Text summary;
  // The process the outcome calls for (serious → QĐ05; otherwise TT20).
  ProcessKind process() const {
    return outcome == Seriousness::kSerious ? ProcessKind::kSerious : ProcessKind::kNormal;
  }
};

// Evaluates QĐ05 Art 9 for `inc`: (1) an affected system of level 4 or 5 or on the national
// important list; (2) at least one harm (a)–(đ); (3) the owner cannot handle it alone
// (capacity beyond; unknown capacity gives kUnknown). Never fails.
Classification Classify(const Incident& inc);

}  // namespace ucsc::incident
