// The plan capability (DESIGN.md capability 4, issue 15) as a module: its tables (plan_store.h:
// plans, plan_versions, drills) on both back ends, in every backup; its policy rows and routes
// (plans, approvals, drills, exports; evidence of R3/R4/R5 written by service.h); its part of the
// demo province (demo.h, capability::Registry::AddDemo).
// Thread-safety: see capability/module.h.
#pragma once

#include <memory>

#include "capability/module.h"

namespace ucsc::plan {

std::unique_ptr<capability::Module> MakeModule(const capability::Env& env);

}  // namespace ucsc::plan
