#include "server/compliance_jobs.h"

#include "codec/json_reader.h"

namespace ucsc::server {

core::Status RegisterComplianceJobs(WorkerPool& pool, const compliance::RulePackHolder& rules,
                                    notify::Notifier* notifier, const core::Clock& clock,
                                    const core::IdGenerator& ids,
                                    compliance::ReminderConfig config) {
  pool.Register("compliance_snapshot", [&rules, &clock](const core::Job&, store::Store& store) {
    auto set = rules.Current();
    if (set == nullptr)
      return core::Status(core::MakeError(core::ErrorCode::kUnavailable, "no rule pack loaded"));
    return compliance::TakeSnapshot(store, *set, clock.Now());
  });
  UCSC_RETURN_IF_ERROR(
      pool.Schedule("compliance_snapshot", "55 23 * * *", "compliance_snapshot", "{}"));
  pool.Register("compliance_reminders",
                [&rules, &clock, &ids, notifier, config](const core::Job&,
                                                         store::Store& store) -> core::Status {
                  auto set = rules.Current();
                  if (set == nullptr) {
                    return core::MakeError(core::ErrorCode::kUnavailable, "no rule pack loaded");
                  }
                  UCSC_ASSIGN_OR_RETURN(
                      auto report,
                      compliance::SendReminders(store, *set, notifier, ids, clock.Now(), config));
                  if (!report.failures.empty()) {
                    // Retried by the queue; what was sent is in the log and is not sent again.
                    return core::MakeError(
                        core::ErrorCode::kUnavailable,
                        std::to_string(report.failures.size()) +
                            " reminder message(s) not sent; first: " + report.failures.front());
                  }
                  return core::Ok();
                });
  pool.Register("org_mail",
                [&clock, notifier](const core::Job& job, store::Store& store) -> core::Status {
                  // Without a mail server the message is in-app only (added by its route).
                  if (notifier == nullptr) return core::Ok();
                  UCSC_ASSIGN_OR_RETURN(auto payload, codec::ParseJson(job.payload));
                  UCSC_ASSIGN_OR_RETURN(auto mail, compliance::OrgMailFromJson(payload));
                  UCSC_ASSIGN_OR_RETURN(
                      bool sent, compliance::SendOrgMail(store, *notifier, mail, clock.Now()));
                  (void)sent;
                  return core::Ok();
                });
  return pool.Schedule("compliance_reminders", "0 8 * * *", "compliance_reminders", "{}");
}

}  // namespace ucsc::server
