// The capability modules of the `ucsc` binary, in one list (capability/module.h). Adding a
// capability is adding one line to MakeModules.
// Thread-safety: call once, on the main thread.
#pragma once

#include "capability/module.h"

namespace ucsc::cli {

// Every module of the product, made with `env` (which must outlive them).
capability::ModuleList MakeModules(const capability::Env& env);

// The settings the modules read (capability::Env::settings), from the environment:
// UCSC_RULEPACKS, UCSC_EVIDENCE_DIR, UCSC_SIGMA_RULES, UCSC_HUNT_DIR, UCSC_NVD, UCSC_KEV,
// UCSC_VULN_CACHE.
capability::Json SettingsFromEnvironment();

}  // namespace ucsc::cli
