#include "store/internal/scan_repo.h"

#include "store/internal/sql_util.h"

namespace ucsc::store::internal {
namespace {

std::string Table(ScanTable t) {
  switch (t) {
    case ScanTable::kAuthorisations:
      return "scan_authorisations";
    case ScanTable::kRuns:
      return "scan_runs";
    case ScanTable::kHuntRuns:
      return "hunt_runs";
    case ScanTable::kFindings:
      return "findings";
    case ScanTable::kAdvisories:
      return "advisories";
  }
  return "scan_runs";
}

std::string Noun(ScanTable t) {
  switch (t) {
    case ScanTable::kAuthorisations:
      return "scan authorisation";
    case ScanTable::kRuns:
      return "scan run";
    case ScanTable::kHuntRuns:
      return "hunt run";
    case ScanTable::kFindings:
      return "finding";
    case ScanTable::kAdvisories:
      return "advisory";
  }
  return "run";
}

std::string Select(ScanTable t) {
  return "SELECT id, org_id, system_id, parent_id, state, version, doc, created_at, updated_at "
         "FROM " +
         Table(t);
}

ScanRecord FromRow(const SqlRow& r) {
  return ScanRecord{CellText(r[0]),
                    CellText(r[1]),
                    CellText(r[2]),
                    CellText(r[3]),
                    CellText(r[4]),
                    CellInt(r[5]),
                    CellText(r[6]),
                    core::FromUnixMillis(CellInt(r[7])),
                    core::FromUnixMillis(CellInt(r[8]))};
}

}  // namespace

core::Status ScanRepoImpl::Insert(ScanTable table, const ScanRecord& r) {
  std::vector<SqlParam> params{r.id,
                               r.org_id,
                               r.system_id,
                               r.parent_id,
                               r.state,
                               r.version,
                               r.doc,
                               core::ToUnixMillis(r.created_at),
                               core::ToUnixMillis(r.updated_at)};
  UCSC_ASSIGN_OR_RETURN(auto n, conn_.Exec("INSERT INTO " + Table(table) +
                                               " (id, org_id, system_id, parent_id, state, "
                                               "version, doc, created_at, updated_at) VALUES "
                                               "($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                                           params));
  (void)n;
  return core::Ok();
}

core::Status ScanRepoImpl::Update(ScanTable table, const ScanRecord& r) {
  std::vector<SqlParam> params{r.state, r.version,    r.doc, core::ToUnixMillis(r.updated_at),
                               r.id,    r.version - 1};
  UCSC_ASSIGN_OR_RETURN(auto n, conn_.Exec("UPDATE " + Table(table) +
                                               " SET state = $1, version = $2, doc = $3, "
                                               "updated_at = $4 WHERE id = $5 AND version = $6",
                                           params));
  if (n == 1) return core::Ok();
  std::vector<SqlParam> key{r.id};
  UCSC_ASSIGN_OR_RETURN(auto rows,
                        conn_.Query("SELECT version FROM " + Table(table) + " WHERE id = $1", key));
  if (rows.empty()) return core::NotFound("no such " + Noun(table));
  return core::MakeError(core::ErrorCode::kFailedPrecondition,
                         Noun(table) + " was changed meanwhile");
}

core::Result<ScanRecord> ScanRepoImpl::Get(ScanTable table, const std::string& id,
                                           const Scope& scope) {
  std::vector<SqlParam> params{id};
  std::string sql = Select(table) + " WHERE id = $1";
  AppendScope(d_, scope, {"org_id"}, sql, params);
  UCSC_ASSIGN_OR_RETURN(auto rows, conn_.Query(sql, params));
  if (rows.empty()) return core::NotFound("no such " + Noun(table));
  return FromRow(rows[0]);
}

core::Result<std::vector<ScanRecord>> ScanRepoImpl::List(ScanTable table, const Scope& scope,
                                                         const std::string& system_id,
                                                         const std::string& state,
                                                         const std::string& before_id, int limit) {
  std::vector<SqlParam> params{before_id, state, system_id};
  std::string sql = Select(table) +
                    " WHERE ($1 = '' OR id < $1) AND ($2 = '' OR state = $2) AND ($3 = '' OR "
                    "system_id = $3)";
  AppendScope(d_, scope, {"org_id"}, sql, params);
  params.emplace_back(int64_t{limit});
  sql += " ORDER BY id DESC LIMIT $" + std::to_string(params.size());
  UCSC_ASSIGN_OR_RETURN(auto rows, conn_.Query(sql, params));
  std::vector<ScanRecord> out;
  out.reserve(rows.size());
  for (auto& r : rows) out.push_back(FromRow(r));
  return out;
}

}  // namespace ucsc::store::internal
