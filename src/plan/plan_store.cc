#include "plan/plan_store.h"

#include <string_view>

#include "core/clock.h"
#include "plan/drill_json.h"
#include "plan/plan_json.h"

namespace ucsc::plan {
namespace {

using store::SqlParam;

// The schema, identical on both back ends (TEXT instants in RFC 3339 UTC, BIGINT counters).
constexpr std::string_view kCreateTables =
    "CREATE TABLE plans ("
    " id TEXT PRIMARY KEY,"
    " org_id TEXT NOT NULL REFERENCES organisations(id),"
    " system_id TEXT UNIQUE REFERENCES systems(id),"
    " scope TEXT NOT NULL,"
    " latest_version BIGINT NOT NULL,"
    " etag BIGINT NOT NULL,"
    " created_at TEXT NOT NULL,"
    " updated_at TEXT NOT NULL);"
    "CREATE TABLE plan_versions ("
    " id TEXT PRIMARY KEY,"
    " plan_id TEXT NOT NULL REFERENCES plans(id),"
    " version BIGINT NOT NULL,"
    " state TEXT NOT NULL,"
    " doc TEXT NOT NULL,"
    " updated_at TEXT NOT NULL,"
    " UNIQUE (plan_id, version));"
    "CREATE TABLE drills ("
    " id TEXT PRIMARY KEY,"
    " org_id TEXT NOT NULL REFERENCES organisations(id),"
    " state TEXT NOT NULL,"
    " planned_start TEXT NOT NULL,"
    " etag BIGINT NOT NULL,"
    " doc TEXT NOT NULL,"
    " updated_at TEXT NOT NULL);"
    "CREATE INDEX plan_versions_plan ON plan_versions (plan_id, version);";

constexpr std::string_view kInsertPlan =
    "INSERT INTO plans (id, org_id, system_id, scope, latest_version, etag, created_at, "
    "updated_at) VALUES ($1, $2, $3, $4, $5, 1, $6, $7)";
constexpr std::string_view kInsertVersion =
    "INSERT INTO plan_versions (id, plan_id, version, state, doc, updated_at) "
    "VALUES ($1, $2, $3, $4, $5, $6)";
constexpr std::string_view kUpdateVersion =
    "UPDATE plan_versions SET state = $1, doc = $2, updated_at = $3 "
    "WHERE plan_id = $4 AND version = $5";
constexpr std::string_view kSelectLatest =
    "SELECT p.etag, v.doc FROM plans p JOIN plan_versions v "
    "ON v.plan_id = p.id AND v.version = p.latest_version WHERE p.id = $1";
constexpr std::string_view kSelectVersions =
    "SELECT doc FROM plan_versions WHERE plan_id = $1 ORDER BY version";
constexpr std::string_view kSelectPlanOfSystem = "SELECT id FROM plans WHERE system_id = $1";
constexpr std::string_view kSelectAllLatest =
    "SELECT p.etag, v.doc FROM plans p JOIN plan_versions v "
    "ON v.plan_id = p.id AND v.version = p.latest_version ORDER BY p.id";
constexpr std::string_view kSelectAllVersions =
    "SELECT doc FROM plan_versions ORDER BY plan_id, version";
constexpr std::string_view kBumpPlan =
    "UPDATE plans SET latest_version = $1, etag = etag + 1, updated_at = $2 "
    "WHERE id = $3 AND etag = $4";
constexpr std::string_view kSelectPlanEtag = "SELECT etag FROM plans WHERE id = $1";

constexpr std::string_view kInsertDrill =
    "INSERT INTO drills (id, org_id, state, planned_start, etag, doc, updated_at) "
    "VALUES ($1, $2, $3, $4, 1, $5, $6)";
constexpr std::string_view kSelectDrill = "SELECT etag, doc FROM drills WHERE id = $1";
constexpr std::string_view kSelectDrills =
    "SELECT etag, doc FROM drills ORDER BY planned_start, id";
constexpr std::string_view kUpdateDrill =
    "UPDATE drills SET state = $1, planned_start = $2, doc = $3, updated_at = $4, "
    "etag = etag + 1 WHERE id = $5 AND etag = $6";
constexpr std::string_view kSelectDrillEtag = "SELECT etag FROM drills WHERE id = $1";

std::string VersionKey(const IrPlan& p) { return p.id + ":v" + std::to_string(p.version); }

std::string Now(const IrPlan& p) { return core::FormatRfc3339Utc(p.updated_at); }

SqlParam SystemParam(const IrPlan& p) {
  if (p.system_id.empty()) return nullptr;
  return p.system_id;
}

core::Result<IrPlan> DecodePlan(const std::optional<std::string>& doc) {
  auto p = ParsePlanJson(doc.value_or(""));
  if (!p) return core::Internal("stored plan version is corrupt: " + p.error().ToString());
  return p;
}

core::Result<Drill> DecodeDrill(const std::optional<std::string>& doc) {
  auto d = ParseDrillJson(doc.value_or(""));
  if (!d) return core::Internal("stored drill is corrupt: " + d.error().ToString());
  return d;
}

}  // namespace

store::SchemaPart PlanTables() {
  store::SchemaPart part;
  part.owner = "plan";
  part.migrations.push_back(
      {"plan/0001_plans_drills", std::string(kCreateTables), std::string(kCreateTables)});
  part.tables = {
      {"plans",
       {"id", "org_id", "system_id", "scope", "latest_version", "etag", "created_at",
        "updated_at"}},
      {"plan_versions", {"id", "plan_id", "version", "state", "doc", "updated_at"}},
      {"drills", {"id", "org_id", "state", "planned_start", "etag", "doc", "updated_at"}},
  };
  return part;
}

// ---- PlanRepo -----------------------------------------------------------------------------------

core::Status PlanRepo::Create(const IrPlan& p) {
  const std::string created = core::FormatRfc3339Utc(p.created_at);
  std::vector<SqlParam> plan{
      p.id,    p.org_id, SystemParam(p), std::string(PlanScopeName(p.scope)), int64_t{p.version},
      created, Now(p)};
  UCSC_ASSIGN_OR_RETURN(int64_t n, sql_.Exec(kInsertPlan, plan));
  (void)n;
  std::vector<SqlParam> version{VersionKey(p),      p.id,
                                int64_t{p.version}, std::string(PlanStateName(p.state)),
                                ToJson(p).dump(),   Now(p)};
  UCSC_ASSIGN_OR_RETURN(n, sql_.Exec(kInsertVersion, version));
  return core::Ok();
}

core::Result<StoredPlan> PlanRepo::Latest(const std::string& plan_id) {
  std::vector<SqlParam> p{plan_id};
  UCSC_ASSIGN_OR_RETURN(auto rows, sql_.Query(kSelectLatest, p));
  if (rows.empty()) return core::NotFound("no such plan");
  UCSC_ASSIGN_OR_RETURN(auto plan, DecodePlan(rows[0][1]));
  return StoredPlan{std::move(plan), store::CellInt(rows[0][0])};
}

core::Result<std::vector<IrPlan>> PlanRepo::Versions(const std::string& plan_id) {
  std::vector<SqlParam> p{plan_id};
  UCSC_ASSIGN_OR_RETURN(auto rows, sql_.Query(kSelectVersions, p));
  if (rows.empty()) return core::NotFound("no such plan");
  std::vector<IrPlan> out;
  for (const auto& r : rows) {
    UCSC_ASSIGN_OR_RETURN(auto plan, DecodePlan(r[0]));
    out.push_back(std::move(plan));
  }
  return out;
}

core::Result<std::optional<std::string>> PlanRepo::PlanOfSystem(const std::string& system_id) {
  std::vector<SqlParam> p{system_id};
  UCSC_ASSIGN_OR_RETURN(auto rows, sql_.Query(kSelectPlanOfSystem, p));
  if (rows.empty()) return std::optional<std::string>{};
  return rows[0][0];
}

core::Result<std::vector<StoredPlan>> PlanRepo::ListLatest() {
  UCSC_ASSIGN_OR_RETURN(auto rows, sql_.Query(kSelectAllLatest, {}));
  std::vector<StoredPlan> out;
  for (const auto& r : rows) {
    UCSC_ASSIGN_OR_RETURN(auto plan, DecodePlan(r[1]));
    out.push_back({std::move(plan), store::CellInt(r[0])});
  }
  return out;
}

core::Result<std::vector<IrPlan>> PlanRepo::AllVersions() {
  UCSC_ASSIGN_OR_RETURN(auto rows, sql_.Query(kSelectAllVersions, {}));
  std::vector<IrPlan> out;
  for (const auto& r : rows) {
    UCSC_ASSIGN_OR_RETURN(auto plan, DecodePlan(r[0]));
    out.push_back(std::move(plan));
  }
  return out;
}

core::Result<int64_t> PlanRepo::Save(const IrPlan& p, int64_t expected_etag) {
  std::vector<SqlParam> bump{int64_t{p.version}, Now(p), p.id, expected_etag};
  UCSC_ASSIGN_OR_RETURN(int64_t changed, sql_.Exec(kBumpPlan, bump));
  if (changed == 0) {
    std::vector<SqlParam> id{p.id};
    UCSC_ASSIGN_OR_RETURN(auto rows, sql_.Query(kSelectPlanEtag, id));
    if (rows.empty()) return core::NotFound("no such plan");
    return core::MakeError(core::ErrorCode::kConflict,
                           "the plan was changed by someone else (ETag \"" +
                               rows[0][0].value_or("") + "\"); reload it and edit again");
  }
  const std::string doc = ToJson(p).dump();
  std::vector<SqlParam> update{std::string(PlanStateName(p.state)), doc, Now(p), p.id,
                               int64_t{p.version}};
  UCSC_ASSIGN_OR_RETURN(changed, sql_.Exec(kUpdateVersion, update));
  if (changed == 0) {
    std::vector<SqlParam> insert{
        VersionKey(p), p.id, int64_t{p.version}, std::string(PlanStateName(p.state)), doc, Now(p)};
    UCSC_ASSIGN_OR_RETURN(changed, sql_.Exec(kInsertVersion, insert));
  }
  return expected_etag + 1;
}

// ---- DrillRepo ----------------------------------------------------------------------------------

core::Status DrillRepo::Create(const Drill& d) {
  std::vector<SqlParam> p{d.id,
                          d.org_id,
                          std::string(DrillStateName(d.state)),
                          core::FormatIsoDate(d.planned_start),
                          ToJson(d).dump(),
                          core::FormatRfc3339Utc(d.closed_at.value_or(
                              d.started_at.value_or(core::StartOfLocalDay(d.planned_start))))};
  UCSC_ASSIGN_OR_RETURN(int64_t n, sql_.Exec(kInsertDrill, p));
  (void)n;
  return core::Ok();
}

core::Result<StoredDrill> DrillRepo::Get(const std::string& id) {
  std::vector<SqlParam> p{id};
  UCSC_ASSIGN_OR_RETURN(auto rows, sql_.Query(kSelectDrill, p));
  if (rows.empty()) return core::NotFound("no such drill");
  UCSC_ASSIGN_OR_RETURN(auto d, DecodeDrill(rows[0][1]));
  return StoredDrill{std::move(d), store::CellInt(rows[0][0])};
}

core::Result<std::vector<StoredDrill>> DrillRepo::List() {
  UCSC_ASSIGN_OR_RETURN(auto rows, sql_.Query(kSelectDrills, {}));
  std::vector<StoredDrill> out;
  for (const auto& r : rows) {
    UCSC_ASSIGN_OR_RETURN(auto d, DecodeDrill(r[1]));
    out.push_back({std::move(d), store::CellInt(r[0])});
  }
  return out;
}

core::Result<int64_t> DrillRepo::Save(const Drill& d, int64_t expected_etag) {
  const core::Instant at =
      d.closed_at.value_or(d.started_at.value_or(core::StartOfLocalDay(d.planned_start)));
  std::vector<SqlParam> p{std::string(DrillStateName(d.state)),
                          core::FormatIsoDate(d.planned_start),
                          ToJson(d).dump(),
                          core::FormatRfc3339Utc(at),
                          d.id,
                          expected_etag};
  UCSC_ASSIGN_OR_RETURN(int64_t changed, sql_.Exec(kUpdateDrill, p));
  if (changed == 0) {
    std::vector<SqlParam> id{d.id};
    UCSC_ASSIGN_OR_RETURN(auto rows, sql_.Query(kSelectDrillEtag, id));
    if (rows.empty()) return core::NotFound("no such drill");
    return core::MakeError(core::ErrorCode::kConflict,
                           "the drill was changed by someone else; reload it and try again");
  }
  return expected_etag + 1;
}

}  // namespace ucsc::plan
