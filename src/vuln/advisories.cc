#include "vuln/advisories.h"

#include <map>
#include <set>

#include "core/legal_time.h"
#include "outbox/outbox.h"
#include "scan/match.h"
#include "store/for_all.h"
#include "vuln/data_fetch.h"

namespace ucsc::vuln {

using codec::Json;

namespace {

struct Affected {
  std::string cve;
  const scan::VulnMatch* match = nullptr;
  std::vector<std::pair<std::string, std::string>> systems;  // (id, name)
  std::set<std::string> cpes;
};

std::string DueDate(const scan::VulnMatch& m, core::Instant now, const scan::SlaPolicy& policy) {
  if (m.kev != nullptr && core::ParseIsoDate(m.kev->due_date)) return m.kev->due_date;
  scan::Finding f;
  f.first_seen = now;
  f.severity =
      m.cve != nullptr ? scan::ParseSeverity(m.cve->cvss.severity) : scan::Severity::kUnknown;
  return core::FormatIsoDate(core::LocalDateOf(scan::SlaDue(f, policy)));
}

}  // namespace

core::Result<AdvisoryReport> RefreshAdvisories(store::Store& store, const core::IdGenerator& ids,
                                               core::Instant now, const scan::NvdIndex& nvd,
                                               const scan::KevCatalog* kev, bool notify_first,
                                               const scan::SlaPolicy& policy) {
  AdvisoryReport report;
  // What was seen at earlier refreshes: "catalog/nvd/<cve>" and "catalog/kev/<cve>" in the log.
  std::set<std::string> seen;
  struct SystemInventory {
    std::string org_id, name;
    std::vector<scan::Cpe> cpes;
  };
  std::map<std::string, SystemInventory> systems;
  outbox::Audience audience;
  UCSC_RETURN_IF_ERROR(store.Read([&](store::Tx& tx) -> core::Status {
    UCSC_ASSIGN_OR_RETURN(auto keys, tx.Compliance().ReminderKeys());
    for (auto& k : keys) {
      if (k.rfind("catalog/", 0) == 0) seen.insert(std::move(k));
    }
    UCSC_RETURN_IF_ERROR(store::ForAll(tx.Systems(), [&](const core::InformationSystem& s) {
      systems[s.id] = {s.owner_org_id, s.name, {}};
    }));
    UCSC_RETURN_IF_ERROR(store::ForAll(tx.Assets(), [&](const core::Asset& a) {
      auto it = systems.find(a.system_id);
      if (it == systems.end()) return;
      for (const auto& sw : a.software) {
        if (sw.cpe.empty()) continue;
        if (auto cpe = scan::ParseCpe(sw.cpe)) it->second.cpes.push_back(*cpe);
      }
    }));
    UCSC_ASSIGN_OR_RETURN(
        auto findings,
        tx.Scans().List(store::ScanTable::kFindings, store::Scope::All(), "", "", "", 1'000'000));
    for (const auto& f : findings) {
      if (f.state != "open" && f.state != "in_progress") continue;
      auto doc = codec::ParseJson(f.doc);
      auto it = systems.find(f.system_id);
      if (!doc || it == systems.end()) continue;
      if (auto cpe = scan::ParseCpe(doc->value("cpe", ""))) it->second.cpes.push_back(*cpe);
    }
    UCSC_ASSIGN_OR_RETURN(audience, outbox::LoadAudience(tx));
    return core::Ok();
  }));
  report.baseline = seen.empty();

  // The entries new since the last refresh.
  std::vector<std::string> new_keys;
  std::set<std::string> new_cves;
  for (const auto& c : nvd.cves()) {
    ++report.catalog_entries;
    std::string key = "catalog/nvd/" + c.id;
    if (!seen.count(key)) {
      new_keys.push_back(std::move(key));
      new_cves.insert(c.id);
    }
  }
  if (kev != nullptr) {
    for (const auto& e : kev->entries()) {
      ++report.catalog_entries;
      std::string key = "catalog/kev/" + e.cve_id;
      if (!seen.count(key)) {
        new_keys.push_back(std::move(key));
        new_cves.insert(e.cve_id);
      }
    }
  }
  report.new_entries = new_cves.size();

  // Match every system; keep what concerns a new entry, grouped by organisation and CVE.
  std::map<std::string, std::map<std::string, Affected>> by_org;
  std::vector<std::vector<scan::VulnMatch>> keep;  // owns the matches referred to below
  const scan::Matcher matcher(nvd, kev);
  if (!report.baseline || notify_first) {
    keep.reserve(systems.size());
    for (const auto& [id, sys] : systems) {
      if (sys.cpes.empty()) continue;
      keep.push_back(matcher.Match(sys.cpes));
      for (const auto& m : keep.back()) {
        if (!new_cves.count(m.cve_id)) continue;
        Affected& a = by_org[sys.org_id][m.cve_id];
        a.cve = m.cve_id;
        if (a.match == nullptr || m.tier > a.match->tier) a.match = &m;
        a.systems.emplace_back(id, sys.name);
        for (const auto& item : m.items) a.cpes.insert(sys.cpes[item.item].ToString());
      }
    }
  }

  UCSC_RETURN_IF_ERROR(store.Write([&](store::Tx& tx) -> core::Status {
    for (const auto& k : new_keys) {
      UCSC_ASSIGN_OR_RETURN(bool fresh, tx.Compliance().RecordReminder(k, "{}", now));
      (void)fresh;
    }
    for (auto& [org_id, cves] : by_org) {
      std::string list;
      int created = 0;
      for (auto& [cve, a] : cves) {
        // One advisory per (organisation, CVE), ever.
        UCSC_ASSIGN_OR_RETURN(bool fresh, tx.Compliance().RecordReminder(
                                              "advisory/" + org_id + "/" + cve, "{}", now));
        if (!fresh) continue;
        const scan::VulnMatch& m = *a.match;
        Json systems_json = Json::array();
        std::string names;
        for (const auto& [sid, sname] : a.systems) {
          systems_json.push_back(Json{{"id", sid}, {"name", sname}});
          names += (names.empty() ? "" : ", ") + sname;
        }
        Json doc{{"cve", cve},
                 {"tier", scan::TierName(m.tier)},
                 {"kev", m.kev != nullptr},
                 {"due_date", DueDate(m, now, policy)},
                 {"systems", systems_json},
                 {"cpes", std::vector<std::string>(a.cpes.begin(), a.cpes.end())}};
        if (m.cve != nullptr) {
          doc["description"] = m.cve->description;
          doc["cvss"] = Json{{"score", m.cve->cvss.base_score},
                             {"severity", m.cve->cvss.severity},
                             {"vector", m.cve->cvss.vector}};
        }
        if (m.kev != nullptr) {
          doc["kev_name"] = m.kev->name;
          doc["kev_date_added"] = m.kev->date_added;
        }
        store::ScanRecord r;
        r.id = ids.Next();
        r.org_id = org_id;
        r.parent_id = cve;
        r.state = "sent";
        r.version = 1;
        r.doc = doc.dump();
        r.created_at = r.updated_at = now;
        UCSC_RETURN_IF_ERROR(tx.Scans().Insert(store::ScanTable::kAdvisories, r));
        list += "- " + cve + (m.kev != nullptr ? " (đang bị khai thác, KEV)" : "") +
                ": hạn xử lý " + doc["due_date"].get<std::string>() + "; hệ thống: " + names + "\n";
        ++created;
      }
      if (created == 0) continue;
      report.advisories += created;
      report.organisations.push_back(org_id);
      store::Notification n;
      n.org_id = org_id;
      n.kind = "advisory";
      n.title = "Cảnh báo lỗ hổng: " + std::to_string(created) + " lỗ hổng mới ảnh hưởng " +
                audience.org_name[org_id];
      n.body = list + "\nĐề nghị xác nhận đã nhận và báo cáo khi đã khắc phục.";
      n.link = "/api/v1/advisories";
      n.created_at = now;
      const auto& to = audience.Of(org_id);
      UCSC_RETURN_IF_ERROR(outbox::AddNotifications(tx, ids, to.user_ids, n));
      core::Job job;
      job.id = ids.Next();
      job.kind = "org_mail";
      job.payload =
          outbox::OrgMailToJson(
              {org_id, n.title, "Kính gửi " + audience.org_name[org_id] + ",\n\n" + n.body + "\n",
               "advisories/" + org_id + "/" + std::to_string(core::ToUnixMillis(now))})
              .dump();
      job.max_attempts = 10;
      job.run_at = job.created_at = job.updated_at = now;
      UCSC_RETURN_IF_ERROR(tx.Jobs().Enqueue(job));
    }
    return core::Ok();
  }));
  return report;
}

core::Result<AdvisoryReport> RefreshAdvisoriesFromFiles(
    store::Store& store, const core::IdGenerator& ids, core::Instant now,
    const std::string& nvd_path, const std::string& kev_path, bool notify_first,
    const scan::SlaPolicy& policy, const std::string& cache_dir) {
  UCSC_ASSIGN_OR_RETURN(std::string nvd_file, LocalCopy(nvd_path, cache_dir));
  UCSC_ASSIGN_OR_RETURN(auto nvd, scan::LoadNvdFile(nvd_file));
  std::optional<scan::KevCatalog> kev;
  if (!kev_path.empty()) {
    UCSC_ASSIGN_OR_RETURN(std::string kev_file, LocalCopy(kev_path, cache_dir));
    UCSC_ASSIGN_OR_RETURN(auto k, scan::LoadKevFile(kev_file));
    kev = std::move(k);
  }
  return RefreshAdvisories(store, ids, now, nvd, kev ? &*kev : nullptr, notify_first, policy);
}

Json AdvisoryView(const store::ScanRecord& r, core::Instant now) {
  Json j = codec::ParseJson(r.doc).value_or(Json::object());
  j["id"] = r.id;
  j["org_id"] = r.org_id;
  j["state"] = r.state;
  j["version"] = r.version;
  j["created_at"] = core::FormatRfc3339Utc(r.created_at);
  bool overdue = false;
  if (auto due = core::ParseIsoDate(j.value("due_date", ""))) {
    overdue = r.state != "remediated" && now > core::EndOfLocalDay(*due);
  }
  j["overdue"] = overdue;
  return j;
}

}  // namespace ucsc::vuln
