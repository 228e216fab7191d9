#include "server/compliance_jobs.h"

namespace ucsc::server {

core::Status RegisterComplianceJobs(WorkerPool& pool, const compliance::RulePackHolder& rules,
                                    notify::Notifier* notifier, const core::Clock& clock,
                                    compliance::ReminderConfig config) {
  pool.Register("compliance_snapshot", [&rules, &clock](const core::Job&, store::Store& store) {
    auto set = rules.Current();
    if (set == nullptr)
      return core::Status(core::MakeError(core::ErrorCode::kUnavailable, "no rule pack loaded"));
    return compliance::TakeSnapshot(store, *set, clock.Now());
  });
  UCSC_RETURN_IF_ERROR(
      pool.Schedule("compliance_snapshot", "55 23 * * *", "compliance_snapshot", "{}"));
  if (notifier == nullptr) return core::Ok();
  pool.Register(
      "compliance_reminders",
      [&rules, &clock, notifier, config](const core::Job&, store::Store& store) -> core::Status {
        auto set = rules.Current();
        if (set == nullptr) {
          return core::MakeError(core::ErrorCode::kUnavailable, "no rule pack loaded");
        }
        UCSC_ASSIGN_OR_RETURN(
            auto report, compliance::SendReminders(store, *set, *notifier, clock.Now(), config));
        if (!report.failures.empty()) {
          // Retried by the queue; what was sent is in the log and is not sent again.
          return core::MakeError(
              core::ErrorCode::kUnavailable,
              std::to_string(report.failures.size()) +
                  " reminder message(s) not sent; first: " + report.failures.front());
        }
        return core::Ok();
      });
  return pool.Schedule("compliance_reminders", "0 8 * * *", "compliance_reminders", "{}");
}

}  // namespace ucsc::server
