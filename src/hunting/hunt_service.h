// Hunts run by the server (issue 5; R1 evidence for issue 4). An organisation (or the IR team)
// uploads a system's logs — EVTX, JSON lines, XML, CSV or syslog, plain or compressed — and the
// job "hunt_run" runs every Sigma rule of the configured rule set over them with the hunt
// engine; the detections become the hunt_report evidence of the system, pending review.
//
// Thread-safety: safe for concurrent use; the compiled rule set is built once and shared
// read-only.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "core/clock.h"
#include "core/ids.h"
#include "core/model.h"
#include "core/result.h"
#include "store/store.h"

namespace ucsc::hunting {

struct HuntServiceConfig {
  std::string rules_dir = "data/sigma/rules";  // Sigma rules (files or directories)
  std::string input_dir = "var/hunt";          // uploaded logs, by SHA-256, owner-only
  std::string evidence_dir = "var/evidence";
};

class HuntService {
 public:
  // REQUIRES: clock and ids outlive the service.
  HuntService(const core::Clock& clock, const core::IdGenerator& ids, HuntServiceConfig config);
  ~HuntService();

  const HuntServiceConfig& config() const { return config_; }

  // Keeps an uploaded log file under input_dir (by SHA-256); returns the digest.
  [[nodiscard]] core::Result<std::string> KeepInput(const std::string& bytes);

  // The "hunt_run" job: payload {"run_id": "..."}. A run that is not queued is left alone.
  // Errors: the store's (the job is retried).
  [[nodiscard]] core::Status RunJob(const core::Job& job, store::Store& store);

 private:
  struct Compiled;
  // Loads and compiles the rule set once. Errors: kUnavailable when no rule loads.
  core::Result<std::shared_ptr<const Compiled>> Rules();

  const core::Clock& clock_;
  const core::IdGenerator& ids_;
  HuntServiceConfig config_;
  std::mutex mu_;
  std::shared_ptr<const Compiled> compiled_;  // GUARDED_BY(mu_)
};

}  // namespace ucsc::hunting
