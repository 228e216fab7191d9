// The inventory capability (DESIGN.md capability 1) as a module: organisations, information
// systems with their security level and approval, assets, contacts, the IR-team roster and
// tasks, over the REST API; the bulk importer is importer.h.
// Thread-safety: see capability/module.h.
#pragma once

#include <memory>

#include "capability/module.h"

namespace ucsc::inventory {

// The module. Reads no settings.
std::unique_ptr<capability::Module> MakeModule(const capability::Env& env);

}  // namespace ucsc::inventory
