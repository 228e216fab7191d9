// The incident-response capability (issue 14) as a module: its tables (internal/repo.h), the
// policy row "incidents", the routes under /api/v1/incidents (intake with Idempotency-Key, list,
// read, change with If-Match, workflow transitions of workflow.h, observables with "seen
// elsewhere", the legal clocks of clocks.h) and the job "incident_clocks" that alerts overdue
// clocks once each through the outbox.
// Settings (capability::Env::settings): "incident_clocks" (default
// <rulepacks_dir>/../incident/clocks.yaml, i.e. data/incident/clocks.yaml).
// Thread-safety: as capability::Module.
#pragma once

#include <memory>

#include "capability/module.h"

namespace ucsc::incident {

std::unique_ptr<capability::Module> MakeModule(const capability::Env& env);

}  // namespace ucsc::incident
