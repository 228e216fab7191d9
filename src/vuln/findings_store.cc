#include "vuln/findings_store.h"

#include <map>

#include "core/legal_time.h"

namespace ucsc::vuln {

using codec::Json;

namespace {

template <class E, class NameFn>
std::optional<E> ParseEnum(std::string_view text, std::initializer_list<E> values, NameFn name) {
  for (E v : values) {
    if (name(v) == text) return v;
  }
  return std::nullopt;
}

std::optional<scan::Tier> ParseTier(std::string_view t) {
  return ParseEnum(t, {scan::Tier::kNone, scan::Tier::kPossible, scan::Tier::kConfirmed},
                   scan::TierName);
}

std::optional<scan::Severity> ParseSeverityName(std::string_view t) {
  using S = scan::Severity;
  return ParseEnum(t, {S::kUnknown, S::kNone, S::kLow, S::kMedium, S::kHigh, S::kCritical},
                   scan::SeverityName);
}

std::optional<scan::FindingState> ParseState(std::string_view t) {
  using S = scan::FindingState;
  return ParseEnum(t, {S::kOpen, S::kInProgress, S::kFixed, S::kAcceptedRisk, S::kFalsePositive},
                   scan::FindingStateName);
}

Json OptionalDate(const std::optional<core::LocalDate>& d) {
  return d ? Json(core::FormatIsoDate(*d)) : Json(nullptr);
}

std::optional<core::LocalDate> DateField(const Json& j, const char* key) {
  if (!j.contains(key) || !j[key].is_string()) return std::nullopt;
  return core::ParseIsoDate(j[key].get<std::string>());
}

core::Instant InstantField(const Json& j, const char* key) {
  if (!j.contains(key) || !j[key].is_string()) return core::Instant{};
  return core::ParseRfc3339(j[key].get<std::string>()).value_or(core::Instant{});
}

store::ScanRecord ToRecord(const scan::Finding& f, const std::string& org_id, int64_t version,
                           core::Instant created, core::Instant now) {
  store::ScanRecord r;
  r.id = f.fingerprint;
  r.org_id = org_id;
  r.system_id = f.system.str();
  r.parent_id = f.cve;
  r.state = std::string(scan::FindingStateName(f.state));
  r.version = version;
  r.doc = FindingToJson(f).dump();
  r.created_at = created;
  r.updated_at = now;
  return r;
}

// R6: the remediation task and the hunt task of an exploitable finding, opened together.
core::Status OpenR6Tasks(store::Tx& tx, const core::IdGenerator& ids, const std::string& org_id,
                         const scan::Finding& f, core::Instant now, const scan::SlaPolicy& policy,
                         FindingsUpdate& update) {
  const std::string where = f.asset + (f.port != 0 ? ":" + std::to_string(f.port) : "");
  core::Task fix, hunt;
  fix.id = ids.Next();
  hunt.id = ids.Next();
  for (core::Task* t : {&fix, &hunt}) {
    t->org_id = org_id;
    t->system_id = f.system.str();
    t->state = core::TaskState::kOpen;
    t->version = 1;
    t->created_at = t->updated_at = now;
  }
  fix.kind = "remediation";
  fix.title = "Khắc phục " + f.cve + " trên " + where + " (R6; việc săn lùng đi kèm: " + hunt.id +
              "; dấu vết " + f.fingerprint + ")";
  fix.due_date = core::FormatIsoDate(core::LocalDateOf(scan::SlaDue(f, policy)));
  hunt.kind = "hunt";
  hunt.title = "Săn lùng dấu hiệu khai thác " + f.cve + " trên " + where +
               " (R6; việc khắc phục đi kèm: " + fix.id + "; dấu vết " + f.fingerprint + ")";
  hunt.due_date = core::FormatIsoDate(core::AddDays(core::LocalDateOf(now), 1));
  UCSC_RETURN_IF_ERROR(tx.Tasks().Insert(fix));
  UCSC_RETURN_IF_ERROR(tx.Tasks().Insert(hunt));
  update.tasks += 2;
  return core::Ok();
}

}  // namespace

Json FindingToJson(const scan::Finding& f) {
  return Json{{"fingerprint", f.fingerprint},
              {"system_id", f.system.str()},
              {"asset", f.asset},
              {"port", f.port},
              {"cpe", f.cpe},
              {"cve", f.cve},
              {"tier", scan::TierName(f.tier)},
              {"severity", scan::SeverityName(f.severity)},
              {"kev_due", OptionalDate(f.kev_due)},
              {"first_seen", core::FormatRfc3339Utc(f.first_seen)},
              {"last_seen", core::FormatRfc3339Utc(f.last_seen)},
              {"state", scan::FindingStateName(f.state)},
              {"accepted_until", OptionalDate(f.accepted_until)},
              {"state_changed", core::FormatRfc3339Utc(f.state_changed)}};
}

core::Result<scan::Finding> FindingFromRecord(const store::ScanRecord& r) {
  auto j = codec::ParseJson(r.doc);
  if (!j || !j->is_object()) return core::Internal("finding " + r.id + ": corrupt document");
  scan::Finding f;
  f.fingerprint = r.id;
  f.system = core::SystemId(r.system_id);
  f.asset = j->value("asset", "");
  f.port = static_cast<uint16_t>(j->value("port", 0));
  f.cpe = j->value("cpe", "");
  f.cve = j->value("cve", "");
  auto tier = ParseTier(j->value("tier", ""));
  auto severity = ParseSeverityName(j->value("severity", ""));
  auto state = ParseState(r.state);
  if (!tier || !severity || !state) {
    return core::Internal("finding " + r.id + ": corrupt tier, severity or state");
  }
  f.tier = *tier;
  f.severity = *severity;
  f.state = *state;
  f.kev_due = DateField(*j, "kev_due");
  f.accepted_until = DateField(*j, "accepted_until");
  f.first_seen = InstantField(*j, "first_seen");
  f.last_seen = InstantField(*j, "last_seen");
  f.state_changed = InstantField(*j, "state_changed");
  return f;
}

Json FindingView(const store::ScanRecord& r, const scan::SlaPolicy& policy, core::Instant now) {
  Json j = codec::ParseJson(r.doc).value_or(Json::object());
  j["id"] = r.id;
  j["org_id"] = r.org_id;
  j["version"] = r.version;
  if (auto f = FindingFromRecord(r)) {
    j["sla_due"] = core::FormatRfc3339Utc(scan::SlaDue(*f, policy));
    j["overdue"] = scan::IsOverdue(*f, now, policy);
    j["exploitable"] = scan::IsExploitable(*f);
  }
  return j;
}

core::Result<FindingsUpdate> RecordScanFindings(store::Tx& tx, const core::IdGenerator& ids,
                                                const std::string& org_id,
                                                const std::vector<scan::Observation>& seen,
                                                const scan::ScanScope& scope, core::Instant now,
                                                const scan::SlaPolicy& policy) {
  UCSC_ASSIGN_OR_RETURN(auto rows, tx.Scans().List(store::ScanTable::kFindings, store::Scope::All(),
                                                   scope.system.str(), "", "", 1'000'000));
  std::vector<scan::Finding> previous;
  std::map<std::string, const store::ScanRecord*> stored;
  previous.reserve(rows.size());
  for (const auto& r : rows) {
    UCSC_ASSIGN_OR_RETURN(auto f, FindingFromRecord(r));
    previous.push_back(std::move(f));
    stored[r.id] = &r;
  }
  const scan::ReconcileResult result = scan::Reconcile(previous, seen, scope, now);
  FindingsUpdate update;
  for (const auto& f : result.new_findings) {
    UCSC_RETURN_IF_ERROR(
        tx.Scans().Insert(store::ScanTable::kFindings, ToRecord(f, org_id, 1, now, now)));
    ++update.new_findings;
    if (scan::IsExploitable(f))
      UCSC_RETURN_IF_ERROR(OpenR6Tasks(tx, ids, org_id, f, now, policy, update));
  }
  auto save = [&](const scan::Finding& f) -> core::Status {
    const store::ScanRecord* before = stored.at(f.fingerprint);
    return tx.Scans().Update(
        store::ScanTable::kFindings,
        ToRecord(f, before->org_id, before->version + 1, before->created_at, now));
  };
  for (const auto& f : result.still_open) {
    UCSC_RETURN_IF_ERROR(save(f));
    ++update.still_open;
  }
  for (const auto& f : result.reopened) {
    UCSC_RETURN_IF_ERROR(save(f));
    ++update.reopened;
    if (scan::IsExploitable(f))
      UCSC_RETURN_IF_ERROR(OpenR6Tasks(tx, ids, org_id, f, now, policy, update));
  }
  for (const auto& f : result.fixed) {
    UCSC_RETURN_IF_ERROR(save(f));
    ++update.fixed;
  }
  for (const auto& f : result.unchanged) {
    if (f.last_seen == now) UCSC_RETURN_IF_ERROR(save(f));  // seen again: last_seen moved
  }
  return update;
}

}  // namespace ucsc::vuln
