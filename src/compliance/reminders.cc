#include "compliance/reminders.h"

#include <algorithm>
#include <map>
#include <set>

#include "codec/json_reader.h"
#include "compliance/facts.h"
#include "outbox/outbox.h"

namespace ucsc::compliance {

namespace {

struct Item {
  const Status* row;
  std::string key;    // rule/subject/due/stage: the e-mail channel's log key
  std::string stage;  // "due_soon", "overdue", "escalated"
  bool mail = false;  // not yet sent by e-mail (and a notifier is configured)
  bool app = false;   // not yet notified in the application
};

std::string Line(const Status& r) {
  std::string s = "- " + r.rule->id + " — " + r.rule->title.vi + "\n  Đối tượng: " + r.subject_name;
  if (r.level > 0) s += " (cấp độ " + std::to_string(r.level) + ")";
  if (r.due) s += "\n  Hạn: " + core::FormatVnDate(*r.due);
  if (r.state == State::kOverdue) s += " — quá hạn " + std::to_string(r.days_overdue) + " ngày";
  s += "\n  Căn cứ: " + r.rule->basis.document;
  if (!r.rule->basis.article.empty()) s += ", " + r.rule->basis.article;
  if (!r.missing.empty()) s += "\n  Còn thiếu: " + r.missing;
  return s + "\n";
}

}  // namespace

namespace {

// A message's subject and body for `items` of one organisation.
struct Composed {
  std::string subject;
  std::string body;
  bool escalated = false;
};

Composed Compose(const std::string& org_name, const std::vector<const Item*>& items,
                 core::Instant now, int escalate_after_days) {
  Composed c;
  int soon = 0, late = 0;
  std::string due_text, late_text;
  for (const Item* i : items) {
    (i->row->state == State::kDueSoon ? due_text : late_text) += Line(*i->row);
    ++(i->row->state == State::kDueSoon ? soon : late);
    c.escalated = c.escalated || i->stage == "escalated";
  }
  c.subject = "Nhắc việc Chỉ thị 18: " + org_name + " — " + std::to_string(late) +
              " nghĩa vụ quá hạn, " + std::to_string(soon) + " sắp đến hạn";
  c.body = "Kính gửi " + org_name +
           ",\n\nHệ thống ucsc nhắc các nghĩa vụ ứng cứu sự cố theo Chỉ thị 18/CT-TTg "
           "tính đến ngày " +
           core::FormatVnDate(core::LocalDateOf(now)) + ":\n\n";
  if (!late_text.empty()) c.body += "QUÁ HẠN\n" + late_text + "\n";
  if (!due_text.empty()) c.body += "SẮP ĐẾN HẠN\n" + due_text + "\n";
  if (c.escalated) {
    c.body += "Một số nghĩa vụ quá hạn từ " + std::to_string(escalate_after_days) +
              " ngày trở lên: đã báo cơ quan điều phối.\n";
  }
  c.body += "\nĐề nghị cập nhật bằng chứng trên hệ thống ucsc.\n";
  return c;
}

// The reminder log key of the in-app channel for an item whose e-mail key is `key`.
std::string AppKey(const std::string& key) { return key + "#app"; }

}  // namespace

core::Result<ReminderReport> SendReminders(store::Store& store, const RuleSet& rules,
                                           notify::Notifier* notifier, const core::IdGenerator& ids,
                                           core::Instant now, const ReminderConfig& config) {
  Facts facts;
  outbox::Audience audience;
  std::set<std::string> sent;
  UCSC_RETURN_IF_ERROR(store.Read([&](store::Tx& tx) -> core::Status {
    UCSC_ASSIGN_OR_RETURN(facts, LoadFacts(tx, now));
    UCSC_ASSIGN_OR_RETURN(audience, outbox::LoadAudience(tx));
    UCSC_ASSIGN_OR_RETURN(auto keys, tx.Compliance().ReminderKeys());
    sent.insert(keys.begin(), keys.end());
    return core::Ok();
  }));
  Evaluator ev(rules, facts);
  const auto rows = ev.EvaluateAll(now);

  ReminderReport report;
  std::map<std::string, std::vector<Item>> by_org;
  for (const auto& r : rows) {
    if (r.state != State::kDueSoon && r.state != State::kOverdue) continue;
    std::string stage = r.state == State::kDueSoon ? "due_soon" : "overdue";
    if (r.state == State::kOverdue && r.days_overdue >= config.escalate_after_days) {
      stage = "escalated";
    }
    std::string key = r.rule->id + "/" + r.subject_id + "/" +
                      (r.due ? core::FormatIsoDate(*r.due) : std::string("-")) + "/" + stage;
    const bool mail = notifier != nullptr && !sent.count(key);
    const bool app = !sent.count(AppKey(key));
    if (!mail && !app) {
      ++report.already_sent;
      continue;
    }
    by_org[r.org_id].push_back({&r, std::move(key), std::move(stage), mail, app});
  }

  for (auto& entry : by_org) {
    // Named, not a structured binding: clang 14 cannot capture bindings in lambdas.
    const std::string& org_id = entry.first;
    const std::string& name = audience.org_name[org_id];
    const outbox::Recipients& to = audience.Of(org_id);
    std::vector<const Item*> app_items, mail_items;
    for (const Item& i : entry.second) {
      if (i.app) app_items.push_back(&i);
      if (i.mail) mail_items.push_back(&i);
    }

    // In the application: one notification per account, logged in the same transaction.
    if (!app_items.empty()) {
      const Composed c = Compose(name, app_items, now, config.escalate_after_days);
      std::vector<std::string> users = to.user_ids;
      if (c.escalated) {
        for (const auto& id : audience.coordinators.user_ids) {
          if (std::find(users.begin(), users.end(), id) == users.end()) users.push_back(id);
        }
      }
      if (users.empty()) {
        report.no_account += static_cast<int>(app_items.size());
      } else {
        UCSC_RETURN_IF_ERROR(store.Write([&](store::Tx& tx) -> core::Status {
          store::Notification n;
          n.org_id = org_id;
          n.kind = c.escalated ? "reminder_escalated" : "reminder";
          n.title = c.subject;
          n.body = c.body;
          n.link = "/api/v1/compliance/status?org=" + org_id;
          n.created_at = now;
          UCSC_RETURN_IF_ERROR(outbox::AddNotifications(tx, ids, users, n));
          for (const Item* i : app_items) {
            codec::Json detail{{"channel", "app"},
                               {"accounts", static_cast<int64_t>(users.size())},
                               {"org_id", org_id},
                               {"stage", i->stage}};
            UCSC_ASSIGN_OR_RETURN(
                bool fresh, tx.Compliance().RecordReminder(AppKey(i->key), detail.dump(), now));
            (void)fresh;
          }
          return core::Ok();
        }));
        report.notifications += static_cast<int>(users.size());
        report.items += static_cast<int>(app_items.size());
      }
    }

    // By e-mail: one message to the managers and the focal point (cc the coordinators when
    // escalated), logged after it was accepted.
    if (mail_items.empty()) continue;
    const Composed c = Compose(name, mail_items, now, config.escalate_after_days);
    notify::Message m;
    m.to = to.mail;
    if (c.escalated) m.cc = audience.coordinators.mail;
    if (m.to.empty()) {
      if (m.cc.empty()) {
        report.no_recipient += static_cast<int>(mail_items.size());
        continue;
      }
      std::swap(m.to, m.cc);
    }
    std::vector<std::string> keys;
    for (const Item* i : mail_items) keys.push_back(i->key);
    std::sort(keys.begin(), keys.end());
    m.subject = c.subject;
    m.text_body = c.body;
    std::string joined;
    for (const auto& k : keys) joined += k + "\n";
    m.idempotency_key =
        "reminder/" + org_id + "/" + std::to_string(std::hash<std::string>{}(joined));
    m.locale = notify::Locale::kVi;
    auto receipt = notifier->Send(m);
    if (!receipt) {
      report.failures.push_back(name + ": " + receipt.error().ToString());
      continue;
    }
    std::string to_list;
    for (const auto& r : m.to) to_list += (to_list.empty() ? "" : ",") + r.address;
    for (const auto& r : m.cc) to_list += "," + r.address;
    UCSC_RETURN_IF_ERROR(store.Write([&](store::Tx& tx) -> core::Status {
      for (const Item* i : mail_items) {
        codec::Json detail{{"message_id", receipt->message_id},
                           {"channel", receipt->channel},
                           {"to", to_list},
                           {"org_id", org_id},
                           {"stage", i->stage}};
        UCSC_ASSIGN_OR_RETURN(bool fresh,
                              tx.Compliance().RecordReminder(i->key, detail.dump(), now));
        (void)fresh;
      }
      return core::Ok();
    }));
    ++report.messages;
    report.items += static_cast<int>(mail_items.size());
  }
  return report;
}

core::Status TakeSnapshot(store::Store& store, const RuleSet& rules, core::Instant now) {
  Facts facts;
  UCSC_RETURN_IF_ERROR(store.Read([&](store::Tx& tx) -> core::Status {
    UCSC_ASSIGN_OR_RETURN(facts, LoadFacts(tx, now));
    return core::Ok();
  }));
  Evaluator ev(rules, facts);
  std::map<std::string, store::ComplianceSnapshot> per_org;
  const std::string day = core::FormatIsoDate(core::LocalDateOf(now));
  for (const auto& r : ev.EvaluateAll(now)) {
    auto& s = per_org[r.org_id];
    s.day = day;
    s.org_id = r.org_id;
    switch (r.state) {
      case State::kOk:
        ++s.ok;
        break;
      case State::kDueSoon:
        ++s.due_soon;
        break;
      case State::kOverdue:
        ++s.overdue;
        break;
      case State::kNotApplicable:
        ++s.not_applicable;
        break;
    }
  }
  std::vector<store::ComplianceSnapshot> snaps;
  for (auto& [id, s] : per_org) snaps.push_back(std::move(s));
  return store.Write(
      [&](store::Tx& tx) -> core::Status { return tx.Compliance().PutSnapshots(snaps); });
}

}  // namespace ucsc::compliance
