#include <algorithm>
#include <utility>

#include "outbox/outbox.h"

namespace ucsc::outbox {

codec::Json OrgMailToJson(const OrgMail& m) {
  return codec::Json{
      {"org_id", m.org_id}, {"subject", m.subject}, {"body", m.body}, {"key", m.key}};
}

core::Result<OrgMail> OrgMailFromJson(const codec::Json& j) {
  OrgMail m;
  for (auto [key, out] : {std::pair<const char*, std::string*>{"org_id", &m.org_id},
                          {"subject", &m.subject},
                          {"body", &m.body},
                          {"key", &m.key}}) {
    if (!j.is_object() || !j.contains(key) || !j[key].is_string() ||
        j[key].get<std::string>().empty()) {
      return core::InvalidArgument("is required (a string)", std::string("/") + key);
    }
    *out = j[key].get<std::string>();
  }
  return m;
}

core::Result<bool> SendOrgMail(store::Store& store, notify::Notifier& notifier, const OrgMail& mail,
                               core::Instant now) {
  Audience audience;
  bool sent_before = false;
  UCSC_RETURN_IF_ERROR(store.Read([&](store::Tx& tx) -> core::Status {
    UCSC_ASSIGN_OR_RETURN(audience, LoadAudience(tx));
    UCSC_ASSIGN_OR_RETURN(auto keys, tx.Compliance().ReminderKeys());
    sent_before = std::find(keys.begin(), keys.end(), mail.key) != keys.end();
    return core::Ok();
  }));
  if (sent_before) return false;
  notify::Message m;
  m.to = audience.Of(mail.org_id).mail;
  if (m.to.empty()) {
    return core::MakeError(
        core::ErrorCode::kFailedPrecondition,
        audience.org_name[mail.org_id] + ": no e-mail address on record (focal point or manager)");
  }
  m.subject = mail.subject;
  m.text_body = mail.body;
  m.idempotency_key = mail.key;
  m.locale = notify::Locale::kVi;
  UCSC_ASSIGN_OR_RETURN(auto receipt, notifier.Send(m));
  std::string to_list;
  for (const auto& r : m.to) to_list += (to_list.empty() ? "" : ",") + r.address;
  UCSC_RETURN_IF_ERROR(store.Write([&](store::Tx& tx) -> core::Status {
    codec::Json detail{{"message_id", receipt.message_id},
                       {"channel", receipt.channel},
                       {"to", to_list},
                       {"org_id", mail.org_id},
                       {"stage", "org_mail"}};
    UCSC_ASSIGN_OR_RETURN(bool fresh, tx.Compliance().RecordReminder(mail.key, detail.dump(), now));
    (void)fresh;
    return core::Ok();
  }));
  return true;
}

core::Status EnqueueOrgMail(store::Tx& tx, const core::IdGenerator& ids, const OrgMail& mail,
                            core::Instant now) {
  core::Job job;
  job.id = ids.Next();
  job.kind = "org_mail";
  job.payload = OrgMailToJson(mail).dump();
  job.max_attempts = 10;
  job.run_at = job.created_at = job.updated_at = now;
  return tx.Jobs().Enqueue(job);
}

}  // namespace ucsc::outbox
