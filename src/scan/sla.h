// The remediation deadlines of vulnerability findings by severity (issue 6 point 5), kept apart
// from findings.h so that configuration code can hold one without the matching headers.
// Thread-safety: a plain value.
#pragma once

namespace ucsc::scan {

// Days from first seen by severity. kUnknown (no CVSS score) uses `unknown_days`; kNone uses
// `low_days`. A KEV-listed finding is due on its KEV due date instead (findings.h SlaDue).
struct SlaPolicy {
  int critical_days = 7;
  int high_days = 30;
  int medium_days = 90;
  int low_days = 180;
  int unknown_days = 90;
};

}  // namespace ucsc::scan
