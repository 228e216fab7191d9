#include "incident/internal/repo.h"

#include <cctype>
#include <string_view>

#include "capability/route.h"
#include "codec/json_reader.h"
#include "incident/codec.h"

namespace ucsc::incident::internal {
namespace {

using store::SqlParam;
using store::SqlRow;

// The same DDL on both back ends: TEXT, BIGINT and INTEGER mean the same to SQLite and
// PostgreSQL here. Times are Unix milliseconds (BIGINT).
constexpr std::string_view kCreateTables = R"sql(
CREATE TABLE incidents (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES organisations(id),
  type TEXT NOT NULL,
  state TEXT NOT NULL,
  process TEXT NOT NULL,
  serious INTEGER NOT NULL,
  title TEXT NOT NULL,
  search TEXT NOT NULL,
  detected_at BIGINT NOT NULL,
  version BIGINT NOT NULL,
  doc TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL);
CREATE INDEX incidents_org ON incidents (org_id, id);
CREATE INDEX incidents_state ON incidents (state, id);
CREATE TABLE incident_events (
  incident_id TEXT NOT NULL REFERENCES incidents(id),
  seq BIGINT NOT NULL,
  kind TEXT NOT NULL,
  at BIGINT NOT NULL,
  ref TEXT NOT NULL,
  actor TEXT NOT NULL,
  detail TEXT NOT NULL,
  PRIMARY KEY (incident_id, seq));
CREATE TABLE incident_observables (
  id TEXT PRIMARY KEY,
  incident_id TEXT NOT NULL REFERENCES incidents(id),
  type TEXT NOT NULL,
  value TEXT NOT NULL,
  comment TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (incident_id, type, value));
CREATE INDEX incident_observables_value ON incident_observables (type, value);
CREATE TABLE incident_notices (
  id TEXT PRIMARY KEY,
  incident_id TEXT NOT NULL REFERENCES incidents(id),
  direction TEXT NOT NULL,
  document TEXT NOT NULL,
  party TEXT NOT NULL,
  channel TEXT NOT NULL,
  reference_no TEXT NOT NULL,
  at BIGINT NOT NULL,
  acknowledged_at BIGINT,
  acknowledged_by TEXT NOT NULL);
CREATE INDEX incident_notices_incident ON incident_notices (incident_id, id);
CREATE TABLE incident_clock_alerts (
  incident_id TEXT NOT NULL REFERENCES incidents(id),
  clock_id TEXT NOT NULL,
  ref TEXT NOT NULL,
  alerted_at BIGINT NOT NULL,
  PRIMARY KEY (incident_id, clock_id, ref));
CREATE TABLE incident_idempotency (
  actor TEXT NOT NULL,
  key TEXT NOT NULL,
  incident_id TEXT NOT NULL REFERENCES incidents(id),
  created_at BIGINT NOT NULL,
  PRIMARY KEY (actor, key));
)sql";

// Notices name the actual body of the party and the channel of the acknowledgement.
constexpr std::string_view kNoticeColumns = R"sql(
ALTER TABLE incident_notices ADD COLUMN party_name TEXT NOT NULL DEFAULT '';
ALTER TABLE incident_notices ADD COLUMN ack_channel TEXT NOT NULL DEFAULT '';
)sql";

constexpr std::string_view kInsertIncident =
    "INSERT INTO incidents (id, org_id, type, state, process, serious, title, search, "
    "detected_at, version, doc, created_at, updated_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)";
constexpr std::string_view kUpdateIncident =
    "UPDATE incidents SET org_id = $2, type = $3, state = $4, process = $5, serious = $6, "
    "title = $7, search = $8, detected_at = $9, version = $10, doc = $11, updated_at = $13 "
    "WHERE id = $1 AND version = $10 - 1 AND created_at = $12";
constexpr std::string_view kSelectIncident = "SELECT org_id, doc FROM incidents WHERE id = $1";
// The list, filters bound; the organisation scope is appended as a bound IN list.
constexpr std::string_view kListIncidents =
    "SELECT doc FROM incidents WHERE (CAST($1 AS TEXT) = '' OR org_id = $1) "
    "AND (CAST($2 AS TEXT) = '' OR state = $2) AND (CAST($3 AS TEXT) = '' OR type = $3) "
    "AND (CAST($4 AS BIGINT) < 0 OR serious = $4) "
    "AND (CAST($5 AS TEXT) = '' OR search LIKE $5) AND (CAST($6 AS TEXT) = '' OR id < $6)";
constexpr std::string_view kListOrder = " ORDER BY id DESC LIMIT $7";
// Form 05: the incidents detected in a period; the organisations are appended as a bound IN list.
constexpr std::string_view kDetectedBetween =
    "SELECT doc FROM incidents WHERE detected_at >= $1 AND detected_at <= $2";
constexpr std::string_view kOpenIds =
    "SELECT id FROM incidents WHERE state <> 'closed' ORDER BY id";

constexpr std::string_view kNextSeq =
    "SELECT COALESCE(MAX(seq), 0) FROM incident_events WHERE incident_id = $1";
constexpr std::string_view kInsertEvent =
    "INSERT INTO incident_events (incident_id, seq, kind, at, ref, actor, detail) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7)";
constexpr std::string_view kSelectEvents =
    "SELECT kind, at, ref, actor, detail FROM incident_events WHERE incident_id = $1 ORDER BY seq";

constexpr std::string_view kInsertObservable =
    "INSERT INTO incident_observables (id, incident_id, type, value, comment, created_at) "
    "VALUES ($1, $2, $3, $4, $5, $6)";
constexpr std::string_view kHasObservable =
    "SELECT COUNT(*) FROM incident_observables WHERE incident_id = $1 AND type = $2 AND value = $3";
constexpr std::string_view kSelectObservables =
    "SELECT id, type, value, comment, created_at FROM incident_observables "
    "WHERE incident_id = $1 ORDER BY id";
constexpr std::string_view kSeenIn =
    "SELECT i.id, i.org_id, i.title FROM incident_observables o JOIN incidents i "
    "ON i.id = o.incident_id WHERE o.type = $1 AND o.value = $2 AND o.incident_id <> $3 "
    "ORDER BY i.id DESC LIMIT 100";

constexpr std::string_view kInsertNotice =
    "INSERT INTO incident_notices (id, incident_id, direction, document, party, channel, "
    "reference_no, at, acknowledged_at, acknowledged_by, party_name, ack_channel) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, '', $9, '')";
constexpr std::string_view kSelectNotices =
    "SELECT id, direction, document, party, channel, reference_no, at, acknowledged_at, "
    "acknowledged_by, party_name, ack_channel FROM incident_notices WHERE incident_id = $1 "
    "ORDER BY id";
constexpr std::string_view kAckNotice =
    "UPDATE incident_notices SET acknowledged_at = $3, acknowledged_by = $4, ack_channel = $5 "
    "WHERE incident_id = $1 AND id = $2 AND acknowledged_at IS NULL";

constexpr std::string_view kInsertAlert =
    "INSERT INTO incident_clock_alerts (incident_id, clock_id, ref, alerted_at) "
    "VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING";
constexpr std::string_view kSelectAlerts =
    "SELECT clock_id, ref FROM incident_clock_alerts WHERE incident_id = $1";

constexpr std::string_view kSelectIdempotency =
    "SELECT incident_id FROM incident_idempotency WHERE actor = $1 AND key = $2";
constexpr std::string_view kInsertIdempotency =
    "INSERT INTO incident_idempotency (actor, key, incident_id, created_at) "
    "VALUES ($1, $2, $3, $4)";

int64_t Ms(core::Instant t) { return core::ToUnixMillis(t); }

std::vector<SqlParam> IncidentParams(const Incident& inc, bool serious) {
  return {inc.id,
          inc.org_id,
          std::string(IncidentTypeName(inc.type)),
          std::string(IncidentStateName(inc.state)),
          std::string(ProcessKindName(inc.process)),
          int64_t{serious ? 1 : 0},
          inc.title,
          SearchText(inc),
          Ms(inc.detected_at),
          inc.version,
          ToJson(inc).dump(),
          Ms(inc.created_at),
          Ms(inc.updated_at)};
}

core::Result<Incident> DecodeStored(const std::string& doc) {
  UCSC_ASSIGN_OR_RETURN(auto j, codec::ParseJson(doc, 64));
  Incident inc;
  auto st = Decode(j, codec::Mode::kStored, inc);
  if (!st) {
    return core::MakeError(core::ErrorCode::kInternal,
                           "stored incident does not decode: " + st.error().ToString());
  }
  return inc;
}

}  // namespace

store::SchemaPart Tables() {
  store::SchemaPart part;
  part.owner = "incident";
  part.migrations.push_back(
      {"incident/0001_init", std::string(kCreateTables), std::string(kCreateTables)});
  part.migrations.push_back(
      {"incident/0002_notice_party", std::string(kNoticeColumns), std::string(kNoticeColumns)});
  part.tables = {
      {"incidents",
       {"id", "org_id", "type", "state", "process", "serious", "title", "search", "detected_at",
        "version", "doc", "created_at", "updated_at"}},
      {"incident_events", {"incident_id", "seq", "kind", "at", "ref", "actor", "detail"}},
      {"incident_observables", {"id", "incident_id", "type", "value", "comment", "created_at"}},
      {"incident_notices",
       {"id", "incident_id", "direction", "document", "party", "channel", "reference_no", "at",
        "acknowledged_at", "acknowledged_by", "party_name", "ack_channel"}},
      {"incident_clock_alerts", {"incident_id", "clock_id", "ref", "alerted_at"}},
      {"incident_idempotency", {"actor", "key", "incident_id", "created_at"}},
  };
  return part;
}

std::string SearchText(const Incident& inc) {
  std::string s = inc.title + "\n" + inc.description;
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

core::Status Repo::Insert(const Incident& inc, bool serious) {
  auto p = IncidentParams(inc, serious);
  UCSC_ASSIGN_OR_RETURN(int64_t n, sql_.Exec(kInsertIncident, p));
  (void)n;
  return core::Ok();
}

core::Status Repo::Update(const Incident& inc, bool serious) {
  auto p = IncidentParams(inc, serious);
  UCSC_ASSIGN_OR_RETURN(int64_t n, sql_.Exec(kUpdateIncident, p));
  if (n != 1) {
    return core::MakeError(core::ErrorCode::kConflict,
                           "the incident changed since version " + std::to_string(inc.version - 1));
  }
  return core::Ok();
}

core::Result<Incident> Repo::Get(const std::string& id, const store::Scope& scope) {
  std::vector<SqlParam> p{id};
  UCSC_ASSIGN_OR_RETURN(auto rows, sql_.Query(kSelectIncident, p));
  if (rows.empty()) return core::NotFound("no such incident");
  const std::string org = store::CellText(rows[0][0]);
  if (!capability::InScope(scope, org)) return core::NotFound("no such incident");
  return DecodeStored(store::CellText(rows[0][1]));
}

core::Result<std::vector<Incident>> Repo::List(const ListFilter& f) {
  const int64_t serious = f.serious == "true" ? 1 : f.serious == "false" ? 0 : -1;
  std::string q;
  if (!f.q.empty()) {
    q = "%";
    for (char c : f.q) {
      if (c == '%' || c == '_') continue;  // LIKE wildcards are not searched for
      q += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    q += "%";
  }
  std::vector<SqlParam> p{f.org_id, f.state, f.type, serious, q, f.after, int64_t{f.limit + 1}};
  std::string sql(kListIncidents);
  if (!f.scope.all) {
    if (f.scope.org_ids.empty()) return std::vector<Incident>{};
    // Placeholders only: the values are bound.
    sql += " AND org_id IN (";
    for (size_t i = 0; i < f.scope.org_ids.size(); ++i) {
      sql += (i == 0 ? "$" : ", $") + std::to_string(p.size() + 1);
      p.emplace_back(f.scope.org_ids[i]);
    }
    sql += ")";
  }
  sql += kListOrder;
  UCSC_ASSIGN_OR_RETURN(auto rows, sql_.Query(sql, p));
  std::vector<Incident> out;
  for (const auto& r : rows) {
    UCSC_ASSIGN_OR_RETURN(auto inc, DecodeStored(store::CellText(r[0])));
    out.push_back(std::move(inc));
  }
  return out;
}

core::Result<std::vector<Incident>> Repo::DetectedBetween(const std::vector<std::string>& org_ids,
                                                          core::Instant from, core::Instant to) {
  std::vector<Incident> out;
  if (org_ids.empty()) return out;
  std::vector<SqlParam> p{Ms(from), Ms(to)};
  std::string sql(kDetectedBetween);
  // Placeholders only: the values are bound.
  sql += " AND org_id IN (";
  for (size_t i = 0; i < org_ids.size(); ++i) {
    sql += (i == 0 ? "$" : ", $") + std::to_string(p.size() + 1);
    p.emplace_back(org_ids[i]);
  }
  sql += ") ORDER BY id";
  UCSC_ASSIGN_OR_RETURN(auto rows, sql_.Query(sql, p));
  for (const auto& r : rows) {
    UCSC_ASSIGN_OR_RETURN(auto inc, DecodeStored(store::CellText(r[0])));
    out.push_back(std::move(inc));
  }
  return out;
}

core::Result<std::vector<std::string>> Repo::OpenIds() {
  UCSC_ASSIGN_OR_RETURN(auto rows, sql_.Query(kOpenIds, {}));
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(store::CellText(r[0]));
  return out;
}

core::Status Repo::AppendEvents(const std::string& incident_id, const std::vector<Event>& events) {
  if (events.empty()) return core::Ok();
  std::vector<SqlParam> q{incident_id};
  UCSC_ASSIGN_OR_RETURN(auto rows, sql_.Query(kNextSeq, q));
  int64_t seq = rows.empty() ? 0 : store::CellInt(rows[0][0]);
  for (const auto& e : events) {
    std::vector<SqlParam> p{
        incident_id, ++seq, std::string(EventKindName(e.kind)), Ms(e.at), e.ref, e.actor, e.detail};
    UCSC_ASSIGN_OR_RETURN(int64_t n, sql_.Exec(kInsertEvent, p));
    (void)n;
  }
  return core::Ok();
}

core::Result<std::vector<Event>> Repo::Events(const std::string& incident_id) {
  std::vector<SqlParam> p{incident_id};
  UCSC_ASSIGN_OR_RETURN(auto rows, sql_.Query(kSelectEvents, p));
  std::vector<Event> out;
  for (const auto& r : rows) {
    Event e;
    auto kind = ParseEventKind(store::CellText(r[0]));
    if (!kind) return core::MakeError(core::ErrorCode::kInternal, "stored event kind unknown");
    e.kind = *kind;
    e.at = core::FromUnixMillis(store::CellInt(r[1]));
    e.ref = store::CellText(r[2]);
    e.actor = store::CellText(r[3]);
    e.detail = store::CellText(r[4]);
    out.push_back(std::move(e));
  }
  return out;
}

core::Result<bool> Repo::AddObservable(const StoredObservable& o) {
  const std::string type(ObservableTypeName(o.observable.type));
  std::vector<SqlParam> q{o.incident_id, type, o.observable.value};
  UCSC_ASSIGN_OR_RETURN(auto rows, sql_.Query(kHasObservable, q));
  if (!rows.empty() && store::CellInt(rows[0][0]) > 0) return false;
  std::vector<SqlParam> p{
      o.id, o.incident_id, type, o.observable.value, o.observable.comment, Ms(o.created_at)};
  UCSC_ASSIGN_OR_RETURN(int64_t n, sql_.Exec(kInsertObservable, p));
  (void)n;
  return true;
}

core::Result<std::vector<StoredObservable>> Repo::Observables(const std::string& incident_id) {
  std::vector<SqlParam> p{incident_id};
  UCSC_ASSIGN_OR_RETURN(auto rows, sql_.Query(kSelectObservables, p));
  std::vector<StoredObservable> out;
  for (const auto& r : rows) {
    StoredObservable o;
    o.id = store::CellText(r[0]);
    o.incident_id = incident_id;
    auto type = ParseObservableType(store::CellText(r[1]));
    if (!type) return core::MakeError(core::ErrorCode::kInternal, "stored observable type unknown");
    o.observable = {*type, store::CellText(r[2]), store::CellText(r[3])};
    o.created_at = core::FromUnixMillis(store::CellInt(r[4]));
    out.push_back(std::move(o));
  }
  return out;
}

core::Result<std::vector<SeenElsewhere>> Repo::SeenIn(const Observable& o,
                                                      const std::string& except_id,
                                                      const store::Scope& scope) {
  std::vector<SqlParam> p{std::string(ObservableTypeName(o.type)), o.value, except_id};
  UCSC_ASSIGN_OR_RETURN(auto rows, sql_.Query(kSeenIn, p));
  std::vector<SeenElsewhere> out;
  for (const auto& r : rows) {
    SeenElsewhere s{store::CellText(r[0]), store::CellText(r[1]), store::CellText(r[2])};
    if (capability::InScope(scope, s.org_id)) out.push_back(std::move(s));
  }
  return out;
}

core::Status Repo::InsertNotice(const Notice& n) {
  std::vector<SqlParam> p{
      n.id,           n.incident_id, std::string(NoticeDirectionName(n.direction)),
      n.document,     n.party,       n.channel,
      n.reference_no, Ms(n.at),      n.party_name};
  UCSC_ASSIGN_OR_RETURN(int64_t changed, sql_.Exec(kInsertNotice, p));
  (void)changed;
  return core::Ok();
}

core::Result<std::vector<Notice>> Repo::Notices(const std::string& incident_id) {
  std::vector<SqlParam> p{incident_id};
  UCSC_ASSIGN_OR_RETURN(auto rows, sql_.Query(kSelectNotices, p));
  std::vector<Notice> out;
  for (const auto& r : rows) {
    Notice n;
    n.id = store::CellText(r[0]);
    n.incident_id = incident_id;
    auto direction = ParseNoticeDirection(store::CellText(r[1]));
    if (!direction) return core::MakeError(core::ErrorCode::kInternal, "stored direction unknown");
    n.direction = *direction;
    n.document = store::CellText(r[2]);
    n.party = store::CellText(r[3]);
    n.channel = store::CellText(r[4]);
    n.reference_no = store::CellText(r[5]);
    n.at = core::FromUnixMillis(store::CellInt(r[6]));
    if (r[7]) n.acknowledged_at = core::FromUnixMillis(store::CellInt(r[7]));
    n.acknowledged_by = store::CellText(r[8]);
    n.party_name = store::CellText(r[9]);
    n.ack_channel = store::CellText(r[10]);
    out.push_back(std::move(n));
  }
  return out;
}

core::Result<Notice> Repo::Acknowledge(const std::string& incident_id, const std::string& notice_id,
                                       core::Instant at, const std::string& by,
                                       const std::string& channel) {
  UCSC_ASSIGN_OR_RETURN(auto all, Notices(incident_id));
  for (auto& n : all) {
    if (n.id != notice_id) continue;
    if (n.acknowledged_at) {
      return core::MakeError(core::ErrorCode::kFailedPrecondition,
                             "the notice was acknowledged already", "/notice_id");
    }
    std::vector<SqlParam> p{incident_id, notice_id, Ms(at), by, channel};
    UCSC_ASSIGN_OR_RETURN(int64_t changed, sql_.Exec(kAckNotice, p));
    (void)changed;
    n.acknowledged_at = at;
    n.acknowledged_by = by;
    n.ack_channel = channel;
    return n;
  }
  return core::NotFound("no such notice of this incident");
}

core::Result<bool> Repo::MarkAlerted(const std::string& incident_id, const std::string& clock_id,
                                     const std::string& ref, core::Instant at) {
  std::vector<SqlParam> p{incident_id, clock_id, ref, Ms(at)};
  UCSC_ASSIGN_OR_RETURN(int64_t n, sql_.Exec(kInsertAlert, p));
  return n == 1;
}

core::Result<std::vector<std::pair<std::string, std::string>>> Repo::Alerted(
    const std::string& incident_id) {
  std::vector<SqlParam> p{incident_id};
  UCSC_ASSIGN_OR_RETURN(auto rows, sql_.Query(kSelectAlerts, p));
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& r : rows) out.emplace_back(store::CellText(r[0]), store::CellText(r[1]));
  return out;
}

core::Result<std::optional<std::string>> Repo::IdempotentIncident(const std::string& actor,
                                                                  const std::string& key) {
  std::vector<SqlParam> p{actor, key};
  UCSC_ASSIGN_OR_RETURN(auto rows, sql_.Query(kSelectIdempotency, p));
  if (rows.empty()) return std::optional<std::string>{};
  return std::optional<std::string>{store::CellText(rows[0][0])};
}

core::Status Repo::RecordIdempotency(const std::string& actor, const std::string& key,
                                     const std::string& incident_id, core::Instant at) {
  std::vector<SqlParam> p{actor, key, incident_id, Ms(at)};
  UCSC_ASSIGN_OR_RETURN(int64_t n, sql_.Exec(kInsertIdempotency, p));
  (void)n;
  return core::Ok();
}

}  // namespace ucsc::incident::internal
