// Vulnerability findings in the store (issue 6 point 5): a scan's observations reconciled with
// the system's known findings (scan/findings.h), stored by fingerprint; each newly exploitable
// finding opens a remediation task and a hunt task in the same transaction, at the same instant
// and linked to each other (R6).
//
// Thread-safety: functions over the caller's transaction.
#pragma once

#include <string>
#include <vector>

#include "codec/json_reader.h"
#include "core/ids.h"
#include "core/result.h"
#include "scan/findings.h"
#include "store/store.h"

namespace ucsc::vuln {

// The stored document of a finding, and back. Errors: kInternal for a corrupt document.
codec::Json FindingToJson(const scan::Finding& f);
[[nodiscard]] core::Result<scan::Finding> FindingFromRecord(const store::ScanRecord& r);

// What the API shows: the finding, its SLA due time, whether it is overdue, R6 exploitability.
codec::Json FindingView(const store::ScanRecord& r, const scan::SlaPolicy& policy,
                        core::Instant now);

struct FindingsUpdate {
  int new_findings = 0;
  int still_open = 0;
  int reopened = 0;
  int fixed = 0;
  int tasks = 0;  // R6 tasks opened (two per exploitable finding)
};

// Reconciles `seen` (observations of one scan of `scope`) with the findings stored for the
// scope's system and writes the result; opens the R6 task pair for every new or reopened
// exploitable finding. Errors: the store's.
[[nodiscard]] core::Result<FindingsUpdate> RecordScanFindings(
    store::Tx& tx, const core::IdGenerator& ids, const std::string& org_id,
    const std::vector<scan::Observation>& seen, const scan::ScanScope& scope, core::Instant now,
    const scan::SlaPolicy& policy);

}  // namespace ucsc::vuln
