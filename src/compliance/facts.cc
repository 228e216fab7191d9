#include "compliance/facts.h"

#include "codec/json_reader.h"

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
  UCSC_RETURN_IF_ERROR(ForAll(tx.Systems(), [&](const core::InformationSystem& s) {
    SystemFacts f;
    f.id = s.id;
    f.name = s.name;
    f.owner_org_id = s.owner_org_id;
    f.operator_org_id = s.operator_org_id.empty() ? s.owner_org_id : s.operator_org_id;
    f.level = s.level;
    f.national_important = s.national_important;
    f.level_approved = !s.approval.date.empty();
    f.created = core::LocalDateOf(s.created_at);
    for (const auto& h : s.level_history) {
      f.level_history.push_back({core::LocalDateOf(h.changed_at), h.level});
    }
    facts.systems.push_back(std::move(f));
  }));
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
