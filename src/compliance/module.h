// The compliance capability (DESIGN.md capability 2) as a module: status per (rule, subject) and
// scorecards over the REST API, evidence records and files, the coordinator's review, urging and
// inspection, in-app notifications, the daily snapshot and reminder jobs, e-mail to
// organisations.
//
// Settings (capability::Env::settings): "rulepacks_dir" (default data/rulepacks), "evidence_dir"
// (var/evidence; never a served directory), "max_upload_bytes" (10 MiB), "escalate_after_days"
// (7).
// Thread-safety: see capability/module.h.
#pragma once

#include <memory>

#include "capability/module.h"

namespace ucsc::compliance {

std::unique_ptr<capability::Module> MakeModule(const capability::Env& env);

}  // namespace ucsc::compliance
