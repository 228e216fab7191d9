// Scans run by the server (issue 6 point 2). A scan of an organisation's system needs an
// authorisation approved by the coordinator: a scope (addresses, ports) and a time window. A run
// reaches only endpoints inside that scope — checked when it is requested, again when it starts,
// and at every connect (ScopedConnector) — and only inside the window: it is stopped when the
// window closes. KillAll() stops every running scan within a second (the scanner's kill switch).
// A completed run is recorded as scan_report evidence of the system (R2), with its report as
// the evidence file.
//
// Thread-safety: ScanService is safe for concurrent use (jobs run on worker threads, the kill
// route on a request thread).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "codec/json_reader.h"
#include "core/clock.h"
#include "core/ids.h"
#include "core/model.h"
#include "core/result.h"
#include "scan/findings.h"
#include "scan/net/net_address.h"
#include "scan/net/net_connector.h"
#include "scan/net/net_kill_switch.h"
#include "store/store.h"

namespace ucsc::vuln {

// An authorised scope: numeric addresses and CIDR blocks (no names: a name could resolve
// elsewhere later), and ports.
struct ScanScope {
  std::vector<scan::IpAddress> addresses;  // sorted, distinct
  std::vector<uint16_t> ports;             // sorted, distinct
};

// Most addresses one authorisation may cover.
constexpr uint64_t kMaxScopeAddresses = 4096;

// Parses targets ("127.0.0.1", "10.0.0.0/30", "::1") and a port spec ("22,80,8000-8100").
// Errors: kInvalidArgument with pointer /targets/<i> or /ports.
[[nodiscard]] core::Result<ScanScope> ParseScanScope(const std::vector<std::string>& targets,
                                                     const std::string& ports);

// kInvalidArgument naming the first address (/targets/<i>) or port (/ports) of `request`
// outside `allowed`.
[[nodiscard]] core::Status CheckWithinScope(const ScanScope& allowed, const ScanScope& request,
                                            const std::vector<std::string>& request_targets);

// Forwards connects inside the scope; refuses (EACCES) every other endpoint and counts it.
class ScopedConnector final : public scan::Connector {
 public:
  ScopedConnector(scan::Connector& inner, const ScanScope& scope) : inner_(inner), scope_(scope) {}
  scan::ConnectAttempt StartConnect(const scan::Endpoint& to) override;
  uint64_t refused() const;

 private:
  scan::Connector& inner_;
  const ScanScope& scope_;
  mutable std::mutex mu_;
  uint64_t refused_ = 0;  // GUARDED_BY(mu_)
};

struct ScanServiceConfig {
  std::string evidence_dir = "var/evidence";
  int concurrency = 256;
  std::chrono::milliseconds connect_timeout{1000};
  // Vulnerability data (issue 6 point 3): NVD JSON 2.0 (plain or zstd) and the CISA KEV
  // catalogue. Without NVD data a scan records services but no findings.
  std::string nvd_path;  // a file or an http(s) URL (downloaded into cache_dir)
  std::string kev_path;
  scan::SlaPolicy sla;
  std::string cache_dir = "var/vuln";
};

class ScanService {
 public:
  // REQUIRES: clock and ids outlive the service. `connector` null: real sockets.
  ScanService(const core::Clock& clock, const core::IdGenerator& ids, ScanServiceConfig config,
              scan::Connector* connector = nullptr);
  ~ScanService();

  // The "scan_run" job: payload {"run_id": "..."}. A run that is not queued is left alone (a
  // retried job never scans twice). Errors: the store's (the job is retried).
  [[nodiscard]] core::Status RunJob(const core::Job& job, store::Store& store);

  // Triggers the kill switch of every running scan; returns how many there were.
  int KillAll();
  int Running() const;

 private:
  struct VulnData;
  core::Status Run(store::Store& store, const std::string& run_id);
  // NVD + KEV loaded once; null when no NVD path is configured. Errors: the loaders'.
  core::Result<std::shared_ptr<const VulnData>> Vulns();

  const core::Clock& clock_;
  const core::IdGenerator& ids_;
  ScanServiceConfig config_;
  scan::SystemConnector system_connector_;
  scan::Connector* connector_;
  mutable std::mutex mu_;
  std::set<scan::KillSwitch*> running_;    // GUARDED_BY(mu_)
  std::shared_ptr<const VulnData> vulns_;  // GUARDED_BY(mu_)
};

}  // namespace ucsc::vuln
