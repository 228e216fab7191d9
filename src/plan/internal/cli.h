// The `ucsc plan …` and `ucsc drill …` commands (cli.cc), for Registry::AddCommands. Private to
// src/plan.
// Thread-safety: see capability/module.h.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "capability/module.h"
#include "plan/outline.h"

namespace ucsc::plan::internal {

// Adds the groups "plan" (list, show, document) and "drill" (list, show, report) to `app`.
// `outlines` are the module's (null or empty when they did not load: the commands that need them
// fail with `load_error`).
void AddCommands(CLI::App& app, const capability::CliEnv& env,
                 std::vector<capability::Command>& out,
                 const std::shared_ptr<const std::vector<Outline>>& outlines,
                 const std::string& load_error);

}  // namespace ucsc::plan::internal
