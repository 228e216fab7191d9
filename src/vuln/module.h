// The vulnerability-management capability (DESIGN.md capabilities 6 and 7) as a module: scan
// authorisations approved by the coordinator, scans the server runs inside them (the job
// "scan_run", R2 evidence), findings with their lifecycle and the R6 task pair, advisories for
// new NVD/KEV entries (the daily job "vuln_refresh"), and the kill switch. The scanning engine is
// scan/ (no store).
//
// Settings (capability::Env::settings): "evidence_dir" (default var/evidence), "nvd_path" and
// "kev_path" (a file or an http(s) URL; empty: no CVE matching, no advisories),
// "vuln_cache_dir" (var/vuln), "finding_sla" ({"critical_days": 7, "high_days": 30,
// "medium_days": 90, "low_days": 180, "unknown_days": 90}).
// Thread-safety: see capability/module.h; scans() is thread-safe.
#pragma once

#include <memory>

#include "capability/module.h"
#include "scan/sla.h"
#include "vuln/scan_service.h"

namespace ucsc::vuln {

class VulnModule final : public capability::Module {
 public:
  explicit VulnModule(const capability::Env& env);
  std::string_view Name() const override { return "vuln"; }
  void Register(capability::Registry& registry) override;

  // The server's scans: the kill switch, running count (tests, operations).
  ScanService& scans() { return *scans_; }

 private:
  const core::Clock& clock_;
  const core::IdGenerator& ids_;
  int depth_;
  scan::SlaPolicy sla_;
  std::string nvd_path_, kev_path_, cache_dir_;
  std::shared_ptr<ScanService> scans_;
};

std::unique_ptr<VulnModule> MakeModule(const capability::Env& env);

}  // namespace ucsc::vuln
