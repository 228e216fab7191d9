// The hunting capability (DESIGN.md capability 5) as a module: hunts the server runs over logs
// uploaded for a system (POST /api/v1/hunts/file, the job "hunt_run"); each completed run is R1
// evidence of the system. The Sigma engine itself is hunt/ (no store).
//
// Settings (capability::Env::settings): "sigma_rules_dir" (default data/sigma/rules), "hunt_dir"
// (var/hunt: uploaded logs, owner-only), "evidence_dir" (var/evidence).
// Thread-safety: see capability/module.h.
#pragma once

#include <memory>

#include "capability/module.h"
#include "hunting/hunt_service.h"

namespace ucsc::hunting {

class HuntingModule final : public capability::Module {
 public:
  explicit HuntingModule(const capability::Env& env);
  std::string_view Name() const override { return "hunting"; }
  void Register(capability::Registry& registry) override;

  // The "hunt_run" job's service (tests run jobs through it).
  HuntService& hunts() { return *hunts_; }

 private:
  const core::Clock& clock_;
  const core::IdGenerator& ids_;
  std::shared_ptr<HuntService> hunts_;
};

std::unique_ptr<HuntingModule> MakeModule(const capability::Env& env);

}  // namespace ucsc::hunting
