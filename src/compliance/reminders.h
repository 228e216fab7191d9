// Compliance reminders (issue 4 point 5): before a due date and when overdue, one message per
// organisation to its managers and its focal point, escalated to the coordinator once an
// obligation is overdue by `escalate_after_days`. Each (rule, subject, due date, stage) is sent
// once: the store's reminder log is checked before and written after sending, so a restart never
// repeats a reminder that was logged (a crash between sending and logging resends it with the
// same Message-ID, which receiving systems can recognise).
//
// Thread-safety: SendReminders may run in one worker at a time (the job queue ensures it).
#pragma once

#include <string>
#include <vector>

#include "codec/json_reader.h"
#include "compliance/evaluate.h"
#include "core/clock.h"
#include "core/ids.h"
#include "core/result.h"
#include "notify/notifier.h"
#include "store/store.h"

namespace ucsc::compliance {

struct ReminderConfig {
  int escalate_after_days = 7;
};

struct ReminderReport {
  int messages = 0;                   // e-mail messages sent
  int notifications = 0;              // in-app notifications added (one per account)
  int items = 0;                      // (rule, subject, stage, channel) items in them
  int already_sent = 0;               // items skipped: in the reminder log
  int no_recipient = 0;               // items of organisations with no e-mail address on record
  int no_account = 0;                 // items of organisations with no account to notify in-app
  std::vector<std::string> failures;  // "org: error" for messages that could not be sent
};

// Evaluates at `now` and delivers the reminders not yet delivered, on two channels logged
// separately: in-app notifications (always) and e-mail (when `notifier` is not null). Errors: the
// store's; a message that fails to send is reported in `failures` (and retried at the next run).
[[nodiscard]] core::Result<ReminderReport> SendReminders(store::Store& store, const RuleSet& rules,
                                                         notify::Notifier* notifier,
                                                         const core::IdGenerator& ids,
                                                         core::Instant now,
                                                         const ReminderConfig& config);

// Stores today's counts per organisation (the scorecard trend). Errors: the store's.
[[nodiscard]] core::Status TakeSnapshot(store::Store& store, const RuleSet& rules,
                                        core::Instant now);

}  // namespace ucsc::compliance
