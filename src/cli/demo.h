// Demo province set-up and the benchmark's inventory generator.
#pragma once

#include <string>
#include <vector>

#include "auth/password.h"
#include "capability/module.h"
#include "core/clock.h"
#include "core/ids.h"
#include "core/result.h"
#include "store/store.h"

namespace ucsc::cli {

struct DemoCredential {
  std::string username;
  std::string role;
  std::string password;
};

// Imports data/demo (CSV) and creates one user per role with a one-time password.
[[nodiscard]] core::Result<std::vector<DemoCredential>> InitDemo(
    store::Store& store, const std::string& demo_dir, const core::Clock& clock,
    const core::IdGenerator& ids, auth::HashStrength strength, core::Instant inventory_since = {});

// Runs every module's demo seed (capability::Registry::AddDemo), in registration order, over the
// demo inventory as stored. Returns the evidence types the seeds record themselves (for
// SeedComplianceHistory's `skip_types`). Errors: the first seed's error, prefixed with its name.
[[nodiscard]] core::Result<std::vector<std::string>> SeedModuleDemos(
    store::Store& store, const std::vector<capability::DemoSpec>& demos, const core::Clock& clock,
    const core::IdGenerator& ids);

// Adds an evidence history (2022 to today) so that evaluated at the end of 31/12/2026 (or today,
// if later) the (rule, subject) pairs are a mix of ok, due soon and overdue; rules whose evidence
// types are all in `skip_types` (seeded by modules, e.g. plans and drills for R3–R5) get none.
// Returns the number of evidence records written.
[[nodiscard]] core::Result<int64_t> SeedComplianceHistory(
    store::Store& store, const std::string& rules_dir, const core::Clock& clock,
    const core::IdGenerator& ids, const std::vector<std::string>& skip_types = {});

// Adds `systems` synthetic systems spread over `orgs` new organisations (for benchmarks).
[[nodiscard]] core::Status GenerateInventory(store::Store& store, int orgs, int systems,
                                             const core::Clock& clock,
                                             const core::IdGenerator& ids);

}  // namespace ucsc::cli
