// Evidence files and the evidence of engine runs (issue 4 point 2: "hunts and scans create their
// evidence"). A hunt (R1) or a scan (R2) run against a system records a hunt_report /
// scan_report evidence record for it, pending the coordinator's review, with the run's report
// kept as the evidence file. The same file rules apply as to uploads through the API: kept by
// SHA-256 name, owner-only, outside any served directory, written through a rename.
//
// Thread-safety: free functions; StoreEvidenceFile may run concurrently (same bytes, same name).
#pragma once

#include <string>

#include "core/clock.h"
#include "core/ids.h"
#include "core/model.h"
#include "core/result.h"
#include "store/store.h"

namespace ucsc::compliance {

// The file name as given, checked: no path, no control characters, not hidden, valid UTF-8,
// at most 255 octets. Errors: kInvalidArgument (pointer /name).
[[nodiscard]] core::Result<std::string> CheckEvidenceFileName(const std::string& name);

// The content type the bytes show, or "" when not an accepted kind. Accepted: PDF, PNG, JPEG,
// DOCX/XLSX (zip), plain text / CSV / JSON lines in UTF-8.
std::string SniffEvidenceType(const std::string& bytes, const std::string& name);

// Writes `bytes` to <dir>/<sha256> (mode 0600, the directory 0700) through a temporary file and
// a rename, so a crash never leaves a partial file under the final name. Errors: kUnavailable.
[[nodiscard]] core::Status StoreEvidenceFile(const std::string& dir, const std::string& sha256,
                                             const std::string& bytes);

// One engine run to record as evidence.
struct RunEvidence {
  std::string system_id;
  std::string type;  // "hunt_report" (R1) or "scan_report" (R2)
  core::LocalDate performed_on;
  std::string title;
  std::string description;   // what ran and what it found, for the reviewer
  std::string submitted_by;  // "cli:<os user>" or a user id
  std::string file_name;     // the report's name; empty: no file
  std::string file_bytes;    // the report
  std::string evidence_dir;  // where files are kept (the server's UCSC_EVIDENCE_DIR)
};

// Stores the file (when given) and inserts the evidence record for the system's owner
// organisation, review pending, with an audit record, in one transaction. Errors: kNotFound for
// an unknown system; kInvalidArgument for a bad type, name or date after `now`; the store's.
[[nodiscard]] core::Result<core::Evidence> RecordRunEvidence(store::Store& store,
                                                             const core::IdGenerator& ids,
                                                             core::Instant now,
                                                             const RunEvidence& run);

}  // namespace ucsc::compliance
