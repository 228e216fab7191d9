// The outbox every capability uses to tell people something (issue 12 point 2): who is told
// about an organisation (its managers and focal point; the coordinators on escalation), in-app
// notifications, and e-mail to an organisation queued as the job "org_mail" and sent once.
// Compliance reminders and urging, scan authorisations, advisories and incident alerts all go
// through here; the module (outbox/module.h) serves the signed-in account's notifications and
// runs the "org_mail" job.
//
// Thread-safety: LoadAudience, AddNotifications and EnqueueOrgMail run inside the caller's
// transaction; SendOrgMail opens its own; values are plain.
//
// Example (a route that urges an organisation):
//   UCSC_ASSIGN_OR_RETURN(auto audience, outbox::LoadAudience(tx));
//   UCSC_RETURN_IF_ERROR(outbox::AddNotifications(tx, ids, audience.Of(org).user_ids, n));
//   UCSC_RETURN_IF_ERROR(outbox::EnqueueOrgMail(tx, ids, {org, subject, body, "urging/" + id},
//   now));
#pragma once

#include <map>
#include <string>
#include <vector>

#include "codec/json_reader.h"
#include "core/clock.h"
#include "core/ids.h"
#include "core/result.h"
#include "notify/notifier.h"
#include "store/store.h"

namespace ucsc::outbox {

struct Recipients {
  std::vector<notify::Recipient> mail;  // distinct addresses
  std::vector<std::string> user_ids;    // accounts for in-app notifications, distinct
};

struct Audience {
  std::map<std::string, Recipients> by_org;  // organisation id -> its recipients
  std::map<std::string, std::string> org_name;
  Recipients coordinators;  // coordinator accounts and the coordinating body's focal point
  const Recipients& Of(const std::string& org_id) const;
};

// Reads every organisation and account once. Disabled accounts and empty addresses are left
// out; an account whose e-mail is the focal point's is notified in the application too.
// Errors: the store's.
[[nodiscard]] core::Result<Audience> LoadAudience(store::Tx& tx);

// Adds one in-app notification per account in `user_ids`. Errors: the store's.
[[nodiscard]] core::Status AddNotifications(store::Tx& tx, const core::IdGenerator& ids,
                                            const std::vector<std::string>& user_ids,
                                            const store::Notification& prototype);

// An e-mail to an organisation's managers and focal point, sent once: logged under `key` in the
// reminder log. Queued as the job "org_mail" with this as its payload, so the request that
// decides it never waits for the mail server.
struct OrgMail {
  std::string org_id;
  std::string subject;
  std::string body;
  std::string key;  // e.g. "urging/<task id>"
};
codec::Json OrgMailToJson(const OrgMail& m);
// Errors: kInvalidArgument when a field is missing or not a string.
[[nodiscard]] core::Result<OrgMail> OrgMailFromJson(const codec::Json& j);

// Queues the job "org_mail" in `tx`: the e-mail goes out when the transaction commits, through
// the worker that holds the notifier. Errors: the store's.
[[nodiscard]] core::Status EnqueueOrgMail(store::Tx& tx, const core::IdGenerator& ids,
                                          const OrgMail& mail, core::Instant now);

// Sends `mail` unless its key is logged; returns false when it had been sent before. Errors: the
// store's; kFailedPrecondition when the organisation has no e-mail address on record; the
// notifier's (the job is retried).
[[nodiscard]] core::Result<bool> SendOrgMail(store::Store& store, notify::Notifier& notifier,
                                             const OrgMail& mail, core::Instant now);

}  // namespace ucsc::outbox
