#include "compliance/facts.h"

#include <simdjson.h>

#include "codec/json_reader.h"
#include "core/legal_time.h"

namespace ucsc::compliance {

core::Result<EvidenceFact> ToFact(store::EvidenceRow&& row) {
  EvidenceFact f;
  f.id = std::move(row.id);
  if (row.subject_kind == "system") {
    f.subject_kind = SubjectKind::kSystem;
  } else if (row.subject_kind == "organisation") {
    f.subject_kind = SubjectKind::kOrganisation;
  } else {
    return core::InvalidArgument("evidence " + row.id + ": bad subject kind");
  }
  f.subject_id = std::move(row.subject_id);
  f.type = std::move(row.type);
  auto d = core::ParseIsoDate(row.performed_on);
  if (!d) return core::InvalidArgument("evidence " + row.id + ": bad date " + row.performed_on);
  f.performed_on = *d;
  f.rejected = row.review == "rejected";
  f.pending_review = row.review == "pending";
  return f;
}

core::Result<SystemFacts> SystemFactsFromDoc(simdjson::dom::parser& parser,
                                             const std::string& doc) {
  const auto corrupt = [&](std::string_view what) {
    return core::InvalidArgument("stored system document: " + std::string(what));
  };
  simdjson::dom::element root;
  if (parser.parse(doc).get(root) != simdjson::SUCCESS || !root.is_object()) {
    return corrupt("not a JSON object");
  }
  const auto text = [&](simdjson::dom::element e, std::string_view key, bool required,
                        std::string& out) -> bool {
    std::string_view v;
    auto field = e[key];
    if (field.error() == simdjson::NO_SUCH_FIELD) return !required;
    if (field.get(v) != simdjson::SUCCESS) return false;
    out.assign(v);
    return true;
  };
  const auto local_date = [](std::string_view rfc3339) -> std::optional<core::LocalDate> {
    auto t = core::ParseRfc3339(rfc3339);
    if (!t) return std::nullopt;
    return core::LocalDateOf(*t);
  };
  SystemFacts f;
  std::string created;
  if (!text(root, "id", true, f.id) || !text(root, "name", true, f.name) ||
      !text(root, "owner_org_id", true, f.owner_org_id) ||
      !text(root, "operator_org_id", false, f.operator_org_id) ||
      !text(root, "created_at", true, created)) {
    return corrupt("id, name, owner_org_id, operator_org_id or created_at");
  }
  if (f.operator_org_id.empty()) f.operator_org_id = f.owner_org_id;
  int64_t level = 0;
  if (root["level"].get(level) != simdjson::SUCCESS) return corrupt(f.id + ": level");
  f.level = static_cast<int>(level);
  bool national = false;
  if (auto n = root["national_important"]; n.error() != simdjson::NO_SUCH_FIELD) {
    if (n.get(national) != simdjson::SUCCESS) return corrupt(f.id + ": national_important");
  }
  f.national_important = national;
  if (simdjson::dom::element approval; root["approval"].get(approval) == simdjson::SUCCESS) {
    std::string date;
    if (!approval.is_object() || !text(approval, "date", false, date)) {
      return corrupt(f.id + ": approval");
    }
    f.level_approved = !date.empty();
  }
  auto day = local_date(created);
  if (!day) return corrupt(f.id + ": created_at");
  f.created = *day;
  if (simdjson::dom::array history; root["level_history"].get(history) == simdjson::SUCCESS) {
    for (simdjson::dom::element h : history) {
      std::string changed;
      int64_t to = 0;
      if (!h.is_object() || !text(h, "changed_at", true, changed) ||
          h["level"].get(to) != simdjson::SUCCESS) {
        return corrupt(f.id + ": level_history");
      }
      auto at = local_date(changed);
      if (!at) return corrupt(f.id + ": level_history changed_at");
      f.level_history.push_back({*at, static_cast<int>(to)});
    }
  }
  return f;
}

core::Result<std::string> FactsFingerprint(store::Tx& tx) {
  std::string sql = "SELECT ";
  for (size_t i = 0; i < std::size(kFactTables); ++i) {
    if (i > 0) sql += ", ";
    const std::string table(kFactTables[i]), changed(kFactTableChanged[i]);
    sql.append("(SELECT COUNT(*) FROM ").append(table).append("), (SELECT MAX(").append(changed);
    sql.append(") FROM ").append(table).append(")");
  }
  UCSC_ASSIGN_OR_RETURN(auto rows, tx.Sql().Query(sql, {}));
  std::string out;
  for (const auto& row : rows) {
    for (const auto& cell : row) out += cell.value_or("-") + "/";
  }
  return out;
}

core::Result<Facts> LoadFacts(store::Tx& tx, core::Instant earliest) {
  Facts facts;
  UCSC_RETURN_IF_ERROR(ForAll(tx.Orgs(), [&](const core::Organisation& o) {
    OrgFacts f;
    f.id = o.id;
    f.name = o.name;
    f.type = o.type;
    f.network_member = o.network_member;
    f.has_focal_point = !o.focal_point.name.empty() &&
                        (!o.focal_point.phone.empty() || !o.focal_point.email.empty());
    f.created = core::LocalDateOf(o.created_at);
    facts.orgs.push_back(std::move(f));
  }));
  // Systems straight from their stored documents, reading only the fields the rules use: the
  // full decode was most of an evaluation's time with 100,000 systems.
  simdjson::dom::parser parser;
  store::ListQuery q;
  q.limit = 1000;
  for (;;) {
    UCSC_ASSIGN_OR_RETURN(auto page, tx.Systems().ListJson(q));
    for (const auto& doc : page.items) {
      UCSC_ASSIGN_OR_RETURN(auto f, SystemFactsFromDoc(parser, doc));
      facts.systems.push_back(std::move(f));
    }
    if (!page.more) break;
    q.after_key = std::move(page.last_key);
    q.after_id = std::move(page.last_id);
  }
  // Windows reach back at most 24 months, deadlines' periods about two years: 800 days.
  const std::string since = core::FormatIsoDate(core::AddDays(core::LocalDateOf(earliest), -800));
  UCSC_ASSIGN_OR_RETURN(auto rows, tx.Compliance().EvidenceRows(since));
  facts.evidence.reserve(rows.size());
  for (auto& row : rows) {
    UCSC_ASSIGN_OR_RETURN(auto f, ToFact(std::move(row)));
    facts.evidence.push_back(std::move(f));
  }
  UCSC_ASSIGN_OR_RETURN(auto changes, tx.Compliance().SystemChanges());
  facts.triggers.reserve(changes.size());
  for (auto& [system_id, at] : changes) {
    facts.triggers.push_back({std::move(system_id), "system_changed", at});
  }
  // R6: an exploitable finding (its CVE in the KEV catalogue) starts the timer; a hunt task of
  // the system counts as its evidence from the day it was opened (the scan component opens it
  // with the remediation task, in one transaction).
  UCSC_ASSIGN_OR_RETURN(auto findings, tx.Scans().List(store::ScanTable::kFindings,
                                                       store::Scope::All(), "", "", "", 1'000'000));
  for (const auto& f : findings) {
    auto doc = codec::ParseJson(f.doc);
    if (!doc || !doc->is_object() || !doc->contains("kev_due") || !(*doc)["kev_due"].is_string()) {
      continue;
    }
    facts.triggers.push_back({f.system_id, "exploitable_finding", f.created_at});
  }
  UCSC_RETURN_IF_ERROR(ForAll(tx.Tasks(), {{"kind", "hunt"}}, [&](const core::Task& t) {
    if (t.system_id.empty()) return;
    EvidenceFact e;
    e.id = t.id;
    e.subject_kind = SubjectKind::kSystem;
    e.subject_id = t.system_id;
    e.type = "hunt_task";
    e.performed_on = core::LocalDateOf(t.created_at);
    facts.evidence.push_back(std::move(e));
  }));
  UCSC_ASSIGN_OR_RETURN(facts.ir_team_members, tx.Team().Count(store::Scope::All()));
  return facts;
}

}  // namespace ucsc::compliance
