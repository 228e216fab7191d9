#include "store/internal/compliance_repo.h"

namespace ucsc::store::internal {
namespace {

// Every record from `since` ($1) on, and before it only the latest of each (subject, type): what
// an evaluation at or after since + 2 years can use. Served from the covering index
// evidence_facts: no document is read. Rejected records never count and are left out.
constexpr std::string_view kSelectEvidenceRows =
    "SELECT id, subject_kind, subject_id, type, performed_on, review FROM evidence "
    "WHERE review <> 'rejected' AND performed_on >= $1 "
    "UNION ALL "
    "SELECT e.id, e.subject_kind, e.subject_id, e.type, e.performed_on, e.review "
    "FROM evidence e JOIN (SELECT subject_id, type, MAX(performed_on) AS d FROM "
    "evidence WHERE review <> 'rejected' AND performed_on < $1 GROUP BY "
    "subject_id, type) m ON e.subject_id = m.subject_id AND e.type = m.type AND "
    "e.performed_on = m.d WHERE e.review <> 'rejected'";
constexpr std::string_view kSelectSystemChangeTimes = "SELECT system_id, at FROM change_events";
constexpr std::string_view kUpsertSnapshot =
    "INSERT INTO compliance_snapshots (day, org_id, ok, due_soon, overdue, not_applicable) VALUES "
    "($1, $2, $3, $4, $5, $6) ON CONFLICT (day, org_id) DO UPDATE SET ok = excluded.ok, due_soon "
    "= excluded.due_soon, overdue = excluded.overdue, not_applicable = excluded.not_applicable";
constexpr std::string_view kSelectSnapshots =
    "SELECT day, org_id, ok, due_soon, overdue, not_applicable FROM compliance_snapshots WHERE "
    "day >= $1 AND day <= $2";
constexpr std::string_view kSelectReminderKeys = "SELECT key FROM reminders";
constexpr std::string_view kInsertReminder =
    "INSERT INTO reminders (key, detail, at) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING";

}  // namespace

core::Result<std::vector<EvidenceRow>> ComplianceRepoImpl::EvidenceRows(const std::string& since) {
  std::vector<SqlParam> params{since};
  UCSC_ASSIGN_OR_RETURN(auto rows, conn_.Query(kSelectEvidenceRows, params));
  std::vector<EvidenceRow> out;
  out.reserve(rows.size());
  for (auto& r : rows) {
    out.push_back(EvidenceRow{std::move(*r[0]), std::move(*r[1]), std::move(*r[2]),
                              std::move(*r[3]), std::move(*r[4]), std::move(*r[5])});
  }
  return out;
}

core::Result<std::vector<std::pair<std::string, core::Instant>>>
ComplianceRepoImpl::SystemChanges() {
  UCSC_ASSIGN_OR_RETURN(auto rows, conn_.Query(kSelectSystemChangeTimes, {}));
  std::vector<std::pair<std::string, core::Instant>> out;
  out.reserve(rows.size());
  for (auto& r : rows) out.emplace_back(CellText(r[0]), core::FromUnixMillis(CellInt(r[1])));
  return out;
}

core::Status ComplianceRepoImpl::PutSnapshots(const std::vector<ComplianceSnapshot>& snaps) {
  for (const auto& s : snaps) {
    std::vector<SqlParam> params{s.day, s.org_id, s.ok, s.due_soon, s.overdue, s.not_applicable};
    UCSC_ASSIGN_OR_RETURN(auto n, conn_.Exec(kUpsertSnapshot, params));
    (void)n;
  }
  return core::Ok();
}

core::Result<std::vector<ComplianceSnapshot>> ComplianceRepoImpl::Snapshots(
    const std::string& org_id, const std::string& from, const std::string& to) {
  std::vector<SqlParam> params{from, to};
  std::string sql(kSelectSnapshots);
  if (!org_id.empty()) {
    params.emplace_back(org_id);
    sql += " AND org_id = $3";
  }
  sql += " ORDER BY day, org_id";
  UCSC_ASSIGN_OR_RETURN(auto rows, conn_.Query(sql, params));
  std::vector<ComplianceSnapshot> out;
  for (auto& r : rows) {
    out.push_back({CellText(r[0]), CellText(r[1]), CellInt(r[2]), CellInt(r[3]), CellInt(r[4]),
                   CellInt(r[5])});
  }
  return out;
}

core::Result<std::vector<std::string>> ComplianceRepoImpl::ReminderKeys() {
  UCSC_ASSIGN_OR_RETURN(auto rows, conn_.Query(kSelectReminderKeys, {}));
  std::vector<std::string> out;
  out.reserve(rows.size());
  for (auto& r : rows) out.push_back(std::move(*r[0]));
  return out;
}

core::Result<bool> ComplianceRepoImpl::RecordReminder(const std::string& key,
                                                      const std::string& detail, core::Instant at) {
  std::vector<SqlParam> params{key, detail, core::ToUnixMillis(at)};
  UCSC_ASSIGN_OR_RETURN(auto n, conn_.Exec(kInsertReminder, params));
  return n == 1;
}

}  // namespace ucsc::store::internal
