#include "compliance/reminders.h"

#include <algorithm>
#include <map>
#include <set>

#include "codec/json_reader.h"
#include "compliance/facts.h"

namespace ucsc::compliance {

namespace {

struct Item {
  const Status* row;
  std::string key;
  std::string stage;  // "due_soon", "overdue", "escalated"
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

core::Result<ReminderReport> SendReminders(store::Store& store, const RuleSet& rules,
                                           notify::Notifier& notifier, core::Instant now,
                                           const ReminderConfig& config) {
  Facts facts;
  std::vector<core::User> users;
  std::vector<core::Organisation> orgs;
  std::set<std::string> sent;
  UCSC_RETURN_IF_ERROR(store.Read([&](store::Tx& tx) -> core::Status {
    UCSC_ASSIGN_OR_RETURN(facts, LoadFacts(tx, now));
    UCSC_ASSIGN_OR_RETURN(users, tx.Users().List(store::Scope::All()));
    store::ListQuery q;
    q.limit = 500;
    for (;;) {
      UCSC_ASSIGN_OR_RETURN(auto page, tx.Orgs().List(q));
      for (auto& o : page.items) orgs.push_back(std::move(o));
      if (!page.more) break;
      q.after_key = page.last_key;
      q.after_id = page.last_id;
    }
    UCSC_ASSIGN_OR_RETURN(auto keys, tx.Compliance().ReminderKeys());
    sent.insert(keys.begin(), keys.end());
    return core::Ok();
  }));
  Evaluator ev(rules, facts);
  const auto rows = ev.EvaluateAll(now);

  // Recipients: an organisation's managers and focal point; the coordinators for escalations.
  std::map<std::string, std::vector<notify::Recipient>> org_to;
  std::vector<notify::Recipient> coordinators;
  std::map<std::string, std::string> org_name;
  for (const auto& o : orgs) {
    org_name[o.id] = o.name;
    if (!o.focal_point.email.empty()) {
      org_to[o.id].push_back({o.focal_point.email, o.focal_point.name});
      if (o.type == core::OrgType::kCoordinator) {
        coordinators.push_back({o.focal_point.email, o.focal_point.name});
      }
    }
  }
  for (const auto& u : users) {
    if (u.disabled || u.email.empty()) continue;
    if (u.role == core::Role::kOrgManager) org_to[u.org_id].push_back({u.email, u.display_name});
    if (u.role == core::Role::kCoordinator) coordinators.push_back({u.email, u.display_name});
  }
  auto dedupe = [](std::vector<notify::Recipient>& v) {
    std::set<std::string> seen;
    std::erase_if(v, [&](const notify::Recipient& r) { return !seen.insert(r.address).second; });
  };
  for (auto& [id, v] : org_to) dedupe(v);
  dedupe(coordinators);

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
    if (sent.count(key)) {
      ++report.already_sent;
      continue;
    }
    by_org[r.org_id].push_back({&r, std::move(key), std::move(stage)});
  }

  for (auto& entry : by_org) {
    // Named, not a structured binding: clang 14 cannot capture bindings in lambdas.
    const std::string& org_id = entry.first;
    std::vector<Item>& items = entry.second;
    notify::Message m;
    m.to = org_to[org_id];
    const bool escalated = std::any_of(items.begin(), items.end(),
                                       [](const Item& i) { return i.stage == "escalated"; });
    if (escalated) m.cc = coordinators;
    if (m.to.empty()) {
      if (m.cc.empty()) {
        report.no_recipient += static_cast<int>(items.size());
        continue;
      }
      std::swap(m.to, m.cc);
    }
    int soon = 0, late = 0;
    std::string due_text, late_text;
    std::vector<std::string> keys;
    for (const auto& i : items) {
      (i.row->state == State::kDueSoon ? due_text : late_text) += Line(*i.row);
      ++(i.row->state == State::kDueSoon ? soon : late);
      keys.push_back(i.key);
    }
    std::sort(keys.begin(), keys.end());
    m.subject = "Nhắc việc Chỉ thị 18: " + org_name[org_id] + " — " + std::to_string(late) +
                " nghĩa vụ quá hạn, " + std::to_string(soon) + " sắp đến hạn";
    m.text_body = "Kính gửi " + org_name[org_id] +
                  ",\n\nHệ thống ucsc nhắc các nghĩa vụ ứng cứu sự cố theo Chỉ thị 18/CT-TTg "
                  "tính đến ngày " +
                  core::FormatVnDate(core::LocalDateOf(now)) + ":\n\n";
    if (!late_text.empty()) m.text_body += "QUÁ HẠN\n" + late_text + "\n";
    if (!due_text.empty()) m.text_body += "SẮP ĐẾN HẠN\n" + due_text + "\n";
    if (escalated) {
      m.text_body += "Một số nghĩa vụ quá hạn từ " + std::to_string(config.escalate_after_days) +
                     " ngày trở lên: đã báo cơ quan điều phối.\n";
    }
    m.text_body += "\nĐề nghị cập nhật bằng chứng trên hệ thống ucsc.\n";
    std::string joined;
    for (const auto& k : keys) joined += k + "\n";
    m.idempotency_key =
        "reminder/" + org_id + "/" + std::to_string(std::hash<std::string>{}(joined));
    m.locale = notify::Locale::kVi;
    auto receipt = notifier.Send(m);
    if (!receipt) {
      report.failures.push_back(org_name[org_id] + ": " + receipt.error().ToString());
      continue;
    }
    std::string to;
    for (const auto& r : m.to) to += (to.empty() ? "" : ",") + r.address;
    for (const auto& r : m.cc) to += "," + r.address;
    UCSC_RETURN_IF_ERROR(store.Write([&](store::Tx& tx) -> core::Status {
      for (const auto& i : items) {
        codec::Json detail{{"message_id", receipt->message_id},
                           {"channel", receipt->channel},
                           {"to", to},
                           {"org_id", org_id},
                           {"stage", i.stage}};
        UCSC_ASSIGN_OR_RETURN(bool fresh,
                              tx.Compliance().RecordReminder(i.key, detail.dump(), now));
        (void)fresh;
      }
      return core::Ok();
    }));
    ++report.messages;
    report.items += static_cast<int>(items.size());
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
