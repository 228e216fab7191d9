// Background jobs of the compliance engine: a daily snapshot of the scorecard, daily reminders
// (compliance/reminders.h) and queued e-mails to organisations.
// Thread-safety: call during start-up, before WorkerPool::Start.
#pragma once

#include "compliance/reminders.h"
#include "compliance/rulepack.h"
#include "core/clock.h"
#include "notify/notifier.h"
#include "server/worker.h"

namespace ucsc::server {

// Registers "compliance_snapshot" (every day at 23:55), "compliance_reminders" (every day at
// 08:00, Vietnam time: in-app notifications, and e-mail when `notifier` is not null) and
// "org_mail" (an e-mail to an organisation queued by a route: urging, scan authorisation).
// REQUIRES: rules, notifier, clock and ids outlive the pool.
[[nodiscard]] core::Status RegisterComplianceJobs(
    WorkerPool& pool, const compliance::RulePackHolder& rules, notify::Notifier* notifier,
    const core::Clock& clock, const core::IdGenerator& ids, compliance::ReminderConfig config);

}  // namespace ucsc::server
