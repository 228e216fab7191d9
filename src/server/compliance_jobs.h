// Background jobs of the compliance engine: a daily snapshot of the scorecard and, when a
// notifier is configured, daily reminders (compliance/reminders.h).
// Thread-safety: call during start-up, before WorkerPool::Start.
#pragma once

#include "compliance/reminders.h"
#include "compliance/rulepack.h"
#include "core/clock.h"
#include "notify/notifier.h"
#include "server/worker.h"

namespace ucsc::server {

// Registers "compliance_snapshot" (every day at 23:55) and, with `notifier`, "compliance_reminders"
// (every day at 08:00, Vietnam time). REQUIRES: rules, notifier and clock outlive the pool.
[[nodiscard]] core::Status RegisterComplianceJobs(WorkerPool& pool,
                                                  const compliance::RulePackHolder& rules,
                                                  notify::Notifier* notifier,
                                                  const core::Clock& clock,
                                                  compliance::ReminderConfig config);

}  // namespace ucsc::server
