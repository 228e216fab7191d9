// Targeted advisories (issue 6 point 6): when the KEV or NVD data is refreshed, the entries not
// seen before are matched against every system's inventory (its assets' software CPEs and the
// products of its open findings); each affected organisation — and only it — gets one advisory
// per CVE naming its affected systems, in the application and by e-mail. The organisation
// acknowledges it and reports it remediated; it is overdue after its due date (the KEV due date,
// else the SLA of its severity).
//
// Thread-safety: RefreshAdvisories runs in one job or command at a time.
#pragma once

#include <string>
#include <vector>

#include "codec/json_reader.h"
#include "core/ids.h"
#include "core/result.h"
#include "scan/findings.h"
#include "scan/kev.h"
#include "scan/nvd.h"
#include "store/store.h"

namespace ucsc::vuln {

struct AdvisoryReport {
  size_t catalog_entries = 0;              // NVD records + KEV entries read
  size_t new_entries = 0;                  // CVEs new to NVD or newly in KEV since the last refresh
  bool baseline = false;                   // first refresh: entries recorded, nothing sent
  int advisories = 0;                      // (organisation, CVE) advisories created
  std::vector<std::string> organisations;  // the organisations told
};

// Errors: the store's. With `notify_first` the very first refresh also sends advisories (else it
// only records what is known, so that a new installation is not flooded with old CVEs).
[[nodiscard]] core::Result<AdvisoryReport> RefreshAdvisories(
    store::Store& store, const core::IdGenerator& ids, core::Instant now, const scan::NvdIndex& nvd,
    const scan::KevCatalog* kev, bool notify_first = false, const scan::SlaPolicy& policy = {});

// Reads the NVD data and (when `kev_path` is not empty) the KEV catalogue afresh — each a local
// file or an http(s) URL downloaded into `cache_dir` (data_fetch.h) — then RefreshAdvisories.
// Errors: the download's, the loaders' and the store's.
[[nodiscard]] core::Result<AdvisoryReport> RefreshAdvisoriesFromFiles(
    store::Store& store, const core::IdGenerator& ids, core::Instant now,
    const std::string& nvd_path, const std::string& kev_path, bool notify_first = false,
    const scan::SlaPolicy& policy = {}, const std::string& cache_dir = "var/vuln");

// What the API shows of an advisory: its document plus state, due date and overdue flag.
codec::Json AdvisoryView(const store::ScanRecord& r, core::Instant now);

}  // namespace ucsc::vuln
