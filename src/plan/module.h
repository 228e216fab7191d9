// The plan capability (DESIGN.md capability 4, issue 15) as a module. So far it brings its
// tables (plan_store.h: plans, plan_versions, drills) on both back ends, in every backup; the
// routes, evidence recording, CLI group and calendar of issue 15 are not registered yet.
// Thread-safety: see capability/module.h.
#pragma once

#include <memory>

#include "capability/module.h"

namespace ucsc::plan {

std::unique_ptr<capability::Module> MakeModule(const capability::Env& env);

}  // namespace ucsc::plan
