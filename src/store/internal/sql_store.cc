#include "store/internal/sql_store.h"

#include <openssl/evp.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include "codec/entities.h"
#include "store/internal/entity_traits.h"
#include "text/vietnamese.h"

namespace ucsc::store::internal {
namespace {

using core::Result;
using core::Status;

std::string JsonArray(const std::vector<std::string>& items) { return codec::Json(items).dump(); }

std::string Placeholder(int n) { return "$" + std::to_string(n); }

// Escapes LIKE wildcards; the statement uses ESCAPE '!'.
std::string LikeContains(std::string_view folded) {
  std::string out = "%";
  for (char c : folded) {
    if (c == '%' || c == '_' || c == '!') out += '!';
    out += c;
  }
  out += '%';
  return out;
}

bool IsIntColumn(std::string_view c) {
  return c == "level" || c == "network_member" || c == "national_important" || c == "outsourced";
}

// Appends the scope test for `columns` (any of them in scope) to `sql`.
void AppendScope(const Dialect& d, const Scope& scope, const std::vector<std::string_view>& columns,
                 std::string& sql, std::vector<SqlParam>& params) {
  if (scope.all) return;
  params.emplace_back(JsonArray(scope.org_ids));
  int n = static_cast<int>(params.size());
  sql += " AND (";
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) sql += " OR ";
    sql += d.in_json_list(columns[i], n);
  }
  sql += ")";
}

template <class T>
Result<T> DecodeDoc(const std::optional<std::string>& doc) {
  UCSC_ASSIGN_OR_RETURN(auto j, codec::ParseJson(CellText(doc), 64));
  T out;
  auto st = codec::Decode(j, codec::Mode::kStored, out);
  if (!st) return core::Internal("stored document is corrupt: " + st.error().ToString());
  return out;
}

// ---- Generic inventory repository ---------------------------------------------------------

template <class T>
class EntityRepoImpl final : public EntityRepo<T> {
  using Traits = EntityTraits<T>;

 public:
  EntityRepoImpl(SqlConnection& conn, const Dialect& d) : conn_(conn), d_(d) {
    filters_ = Traits::FilterColumns();
  }

  Result<T> Get(const std::string& id, const Scope& scope) override {
    std::string sql = "SELECT doc FROM " + std::string(Traits::kTable) + " WHERE id = $1";
    std::vector<SqlParam> params{id};
    AppendScope(d_, scope, Traits::ScopeColumns(), sql, params);
    UCSC_ASSIGN_OR_RETURN(auto rows, conn_.Query(sql, params));
    if (rows.empty()) return core::NotFound(std::string(Traits::kType) + " not found");
    return DecodeDoc<T>(rows[0][0]);
  }

  Result<Page<T>> List(const ListQuery& q) override {
    UCSC_ASSIGN_OR_RETURN(auto raw, ListJson(q));
    Page<T> page;
    page.more = raw.more;
    page.last_key = std::move(raw.last_key);
    page.last_id = std::move(raw.last_id);
    page.items.reserve(raw.items.size());
    for (auto& doc : raw.items) {
      UCSC_ASSIGN_OR_RETURN(auto v, DecodeDoc<T>(doc));
      page.items.push_back(std::move(v));
    }
    return page;
  }

  Result<Page<std::string>> ListJson(const ListQuery& q) override {
    std::string sql =
        "SELECT doc, name_key, id FROM " + std::string(Traits::kTable) + " WHERE 1 = 1";
    std::vector<SqlParam> params;
    AppendScope(d_, q.scope, Traits::ScopeColumns(), sql, params);
    for (const auto& [column, value] : q.filters) {
      auto it = std::find(filters_.begin(), filters_.end(), column);
      if (it == filters_.end()) {
        return core::InvalidArgument("unknown filter '" + column + "'", "/" + column);
      }
      if (IsIntColumn(column)) {
        int64_t v = 0;
        auto r = std::from_chars(value.data(), value.data() + value.size(), v);
        if (r.ec != std::errc() || r.ptr != value.data() + value.size()) {
          if (value == "true" || value == "false") {
            v = value == "true";
          } else {
            return core::InvalidArgument("must be an integer", "/" + column);
          }
        }
        params.emplace_back(v);
      } else {
        params.emplace_back(value);
      }
      sql += " AND " + std::string(*it) + " = " + Placeholder(static_cast<int>(params.size()));
    }
    if (!q.search.empty()) {
      params.emplace_back(LikeContains(text::FoldForSearch(q.search)));
      sql += " AND name_fold LIKE " + Placeholder(static_cast<int>(params.size())) + " ESCAPE '!'";
    }
    if (!q.after_id.empty()) {
      params.emplace_back(q.after_key);
      int k = static_cast<int>(params.size());
      params.emplace_back(q.after_id);
      int i = k + 1;
      sql += " AND (name_key > " + Placeholder(k) + " OR (name_key = " + Placeholder(k) +
             " AND id > " + Placeholder(i) + "))";
    }
    int limit = std::clamp(q.limit, 1, 1000);
    params.emplace_back(int64_t{limit + 1});
    sql += " ORDER BY name_key, id LIMIT " + Placeholder(static_cast<int>(params.size()));
    UCSC_ASSIGN_OR_RETURN(auto rows, conn_.Query(sql, params));
    Page<std::string> page;
    page.more = static_cast<int>(rows.size()) > limit;
    if (page.more) rows.pop_back();
    page.items.reserve(rows.size());
    for (auto& row : rows) page.items.push_back(std::move(row[0]).value_or(std::string()));
    if (!rows.empty()) {
      page.last_key = CellText(rows.back()[1]);
      page.last_id = CellText(rows.back()[2]);
    }
    return page;
  }

  Result<int64_t> Count(const Scope& scope) override {
    std::string sql = "SELECT COUNT(*) FROM " + std::string(Traits::kTable) + " WHERE 1 = 1";
    std::vector<SqlParam> params;
    AppendScope(d_, scope, Traits::ScopeColumns(), sql, params);
    UCSC_ASSIGN_OR_RETURN(auto rows, conn_.Query(sql, params));
    return rows.empty() ? 0 : CellInt(rows[0][0]);
  }

  Status Insert(const T& v) override {
    std::string cols = "id";
    std::string vals = "$1";
    std::vector<SqlParam> params{v.id};
    for (auto& [column, value] : Traits::Keys(v)) {
      params.push_back(value);
      cols += ", " + std::string(column);
      vals += ", " + Placeholder(static_cast<int>(params.size()));
    }
    AddCommon(v, params, cols, vals);
    std::string sql =
        "INSERT INTO " + std::string(Traits::kTable) + " (" + cols + ") VALUES (" + vals + ")";
    UCSC_ASSIGN_OR_RETURN(auto n, conn_.Exec(sql, params));
    (void)n;
    return core::Ok();
  }

  Status Update(const T& v) override {
    std::string set;
    std::vector<SqlParam> params;
    for (auto& [column, value] : Traits::Keys(v)) {
      params.push_back(value);
      set += std::string(column) + " = " + Placeholder(static_cast<int>(params.size())) + ", ";
    }
    auto add = [&](std::string_view column, SqlParam p) {
      params.push_back(std::move(p));
      set += std::string(column) + " = " + Placeholder(static_cast<int>(params.size())) + ", ";
    };
    add("name_key", text::CollationKey(Traits::Name(v)));
    add("name_fold", text::FoldForSearch(Traits::Name(v)));
    add("doc", codec::ToJson(v).dump());
    add("updated_at", core::ToUnixMillis(v.updated_at));
    params.emplace_back(v.version);
    set += "version = " + Placeholder(static_cast<int>(params.size()));
    params.emplace_back(v.id);
    int id_param = static_cast<int>(params.size());
    params.emplace_back(v.version - 1);
    std::string sql = "UPDATE " + std::string(Traits::kTable) + " SET " + set +
                      " WHERE id = " + Placeholder(id_param) +
                      " AND version = " + Placeholder(id_param + 1);
    UCSC_ASSIGN_OR_RETURN(auto n, conn_.Exec(sql, params));
    if (n == 1) return core::Ok();
    return MissingOrStale(v.id);
  }

  Status Delete(const std::string& id, int64_t expected_version) override {
    std::vector<SqlParam> params{id, expected_version};
    UCSC_ASSIGN_OR_RETURN(auto n, conn_.Exec("DELETE FROM " + std::string(Traits::kTable) +
                                                 " WHERE id = $1 AND version = $2",
                                             params));
    if (n == 1) return core::Ok();
    return MissingOrStale(id);
  }

  const std::vector<std::string_view>& FilterColumns() const override { return filters_; }

 private:
  void AddCommon(const T& v, std::vector<SqlParam>& params, std::string& cols, std::string& vals) {
    auto add = [&](std::string_view column, SqlParam p) {
      params.push_back(std::move(p));
      cols += ", " + std::string(column);
      vals += ", " + Placeholder(static_cast<int>(params.size()));
    };
    add("name_key", text::CollationKey(Traits::Name(v)));
    add("name_fold", text::FoldForSearch(Traits::Name(v)));
    add("version", v.version);
    add("doc", codec::ToJson(v).dump());
    add("created_at", core::ToUnixMillis(v.created_at));
    add("updated_at", core::ToUnixMillis(v.updated_at));
  }

  Status MissingOrStale(const std::string& id) {
    std::vector<SqlParam> params{id};
    UCSC_ASSIGN_OR_RETURN(auto rows, conn_.Query("SELECT version FROM " +
                                                     std::string(Traits::kTable) + " WHERE id = $1",
                                                 params));
    if (rows.empty()) return core::NotFound(std::string(Traits::kType) + " not found");
    return core::MakeError(core::ErrorCode::kConflict,
                           std::string(Traits::kType) + " was changed by someone else (version " +
                               CellText(rows[0][0]) + ")");
  }

  SqlConnection& conn_;
  const Dialect& d_;
  std::vector<std::string_view> filters_;
};

// ---- Users, sessions, tokens ---------------------------------------------------------------

class UserRepoImpl final : public UserRepo {
 public:
  UserRepoImpl(SqlConnection& conn, const Dialect& d) : conn_(conn), d_(d) {}

  Result<core::User> GetById(const std::string& id) override {
    return One("SELECT doc FROM users WHERE id = $1", id);
  }
  Result<core::User> GetByUsername(const std::string& username) override {
    return One("SELECT doc FROM users WHERE username = $1", username);
  }
  Result<std::vector<core::User>> List(const Scope& scope) override {
    std::string sql = "SELECT doc FROM users WHERE 1 = 1";
    std::vector<SqlParam> params;
    AppendScope(d_, scope, {"org_id"}, sql, params);
    sql += " ORDER BY username";
    UCSC_ASSIGN_OR_RETURN(auto rows, conn_.Query(sql, params));
    std::vector<core::User> out;
    for (const auto& row : rows) {
      UCSC_ASSIGN_OR_RETURN(auto u, DecodeDoc<core::User>(row[0]));
      out.push_back(std::move(u));
    }
    return out;
  }
  Status Insert(const core::User& u) override {
    std::vector<SqlParam> params{u.id,
                                 u.username,
                                 u.org_id,
                                 std::string(core::RoleName(u.role)),
                                 u.version,
                                 codec::ToStoredJson(u).dump(),
                                 core::ToUnixMillis(u.created_at),
                                 core::ToUnixMillis(u.updated_at)};
    UCSC_ASSIGN_OR_RETURN(auto n, conn_.Exec("INSERT INTO users (id, username, org_id, role, "
                                             "version, doc, created_at, updated_at) VALUES ($1, "
                                             "$2, $3, $4, $5, $6, $7, $8)",
                                             params));
    (void)n;
    return core::Ok();
  }
  Status Update(const core::User& u) override {
    std::vector<SqlParam> params{u.username,
                                 u.org_id,
                                 std::string(core::RoleName(u.role)),
                                 u.version,
                                 codec::ToStoredJson(u).dump(),
                                 core::ToUnixMillis(u.updated_at),
                                 u.id,
                                 u.version - 1};
    UCSC_ASSIGN_OR_RETURN(
        auto n, conn_.Exec("UPDATE users SET username = $1, org_id = $2, role = $3, version = $4, "
                           "doc = $5, updated_at = $6 WHERE id = $7 AND version = $8",
                           params));
    if (n == 1) return core::Ok();
    auto existing = GetById(u.id);
    if (!existing) return tl::unexpected(existing.error());
    return core::MakeError(core::ErrorCode::kConflict, "user was changed by someone else");
  }

 private:
  Result<core::User> One(std::string_view sql, const std::string& arg) {
    std::vector<SqlParam> params{arg};
    UCSC_ASSIGN_OR_RETURN(auto rows, conn_.Query(sql, params));
    if (rows.empty()) return core::NotFound("user not found");
    return DecodeDoc<core::User>(rows[0][0]);
  }
  SqlConnection& conn_;
  const Dialect& d_;
};

class SessionRepoImpl final : public SessionRepo {
 public:
  explicit SessionRepoImpl(SqlConnection& conn) : conn_(conn) {}
  Status Insert(const core::Session& s) override {
    std::vector<SqlParam> params{s.token_hash, s.user_id, s.csrf_token,
                                 core::ToUnixMillis(s.created_at),
                                 core::ToUnixMillis(s.expires_at)};
    UCSC_ASSIGN_OR_RETURN(auto n, conn_.Exec("INSERT INTO sessions (token_hash, user_id, "
                                             "csrf_token, created_at, expires_at) VALUES ($1, $2, "
                                             "$3, $4, $5)",
                                             params));
    (void)n;
    return core::Ok();
  }
  Result<core::Session> Get(const std::string& token_hash) override {
    std::vector<SqlParam> params{token_hash};
    UCSC_ASSIGN_OR_RETURN(auto rows,
                          conn_.Query("SELECT token_hash, user_id, csrf_token, created_at, "
                                      "expires_at FROM sessions WHERE token_hash = $1",
                                      params));
    if (rows.empty()) return core::NotFound("session not found");
    const auto& r = rows[0];
    return core::Session{CellText(r[0]), CellText(r[1]), CellText(r[2]),
                         core::FromUnixMillis(CellInt(r[3])), core::FromUnixMillis(CellInt(r[4]))};
  }
  Status Delete(const std::string& token_hash) override {
    std::vector<SqlParam> params{token_hash};
    UCSC_ASSIGN_OR_RETURN(auto n, conn_.Exec("DELETE FROM sessions WHERE token_hash = $1", params));
    (void)n;
    return core::Ok();
  }
  Status DeleteForUser(const std::string& user_id) override {
    std::vector<SqlParam> params{user_id};
    UCSC_ASSIGN_OR_RETURN(auto n, conn_.Exec("DELETE FROM sessions WHERE user_id = $1", params));
    (void)n;
    return core::Ok();
  }
  Result<int64_t> DeleteExpired(core::Instant now) override {
    std::vector<SqlParam> params{core::ToUnixMillis(now)};
    return conn_.Exec("DELETE FROM sessions WHERE expires_at <= $1", params);
  }

 private:
  SqlConnection& conn_;
};

class TokenRepoImpl final : public TokenRepo {
 public:
  explicit TokenRepoImpl(SqlConnection& conn) : conn_(conn) {}
  Status Insert(const core::ApiToken& t) override {
    std::vector<SqlParam> params{t.id,
                                 t.user_id,
                                 t.name,
                                 t.token_hash,
                                 JsonArray(t.scopes),
                                 core::ToUnixMillis(t.expires_at),
                                 core::ToUnixMillis(t.created_at)};
    UCSC_ASSIGN_OR_RETURN(auto n, conn_.Exec("INSERT INTO api_tokens (id, user_id, name, "
                                             "token_hash, scopes, expires_at, created_at) VALUES "
                                             "($1, $2, $3, $4, $5, $6, $7)",
                                             params));
    (void)n;
    return core::Ok();
  }
  Result<core::ApiToken> GetByHash(const std::string& token_hash) override {
    std::vector<SqlParam> params{token_hash};
    UCSC_ASSIGN_OR_RETURN(auto rows,
                          conn_.Query(std::string(kSelect) + " WHERE token_hash = $1", params));
    if (rows.empty()) return core::NotFound("token not found");
    return FromRow(rows[0]);
  }
  Result<std::vector<core::ApiToken>> ListForUser(const std::string& user_id) override {
    std::vector<SqlParam> params{user_id};
    UCSC_ASSIGN_OR_RETURN(
        auto rows,
        conn_.Query(std::string(kSelect) + " WHERE user_id = $1 ORDER BY created_at", params));
    std::vector<core::ApiToken> out;
    for (const auto& r : rows) {
      UCSC_ASSIGN_OR_RETURN(auto t, FromRow(r));
      out.push_back(std::move(t));
    }
    return out;
  }
  Status Delete(const std::string& id, const std::string& user_id) override {
    std::vector<SqlParam> params{id, user_id};
    UCSC_ASSIGN_OR_RETURN(
        auto n, conn_.Exec("DELETE FROM api_tokens WHERE id = $1 AND user_id = $2", params));
    if (n == 0) return core::NotFound("token not found");
    return core::Ok();
  }

 private:
  static constexpr std::string_view kSelect =
      "SELECT id, user_id, name, token_hash, scopes, expires_at, created_at FROM api_tokens";
  static Result<core::ApiToken> FromRow(const SqlRow& r) {
    core::ApiToken t{CellText(r[0]),
                     CellText(r[1]),
                     CellText(r[2]),
                     CellText(r[3]),
                     {},
                     core::FromUnixMillis(CellInt(r[5])),
                     core::FromUnixMillis(CellInt(r[6]))};
    UCSC_ASSIGN_OR_RETURN(auto scopes, codec::ParseJson(CellText(r[4])));
    if (!scopes.is_array()) return core::Internal("corrupt token scopes");
    for (const auto& s : scopes) {
      if (s.is_string()) t.scopes.push_back(s.get<std::string>());
    }
    return t;
  }
  SqlConnection& conn_;
};

// ---- Audit log ---------------------------------------------------------------------------

const std::string kGenesisHash(64, '0');

class AuditLogImpl final : public AuditLog {
 public:
  AuditLogImpl(SqlConnection& conn, const Dialect& d) : conn_(conn), d_(d) {}

  Result<core::AuditRecord> Append(core::AuditRecord r) override {
    if (!d_.audit_lock.empty()) {
      UCSC_ASSIGN_OR_RETURN(auto locked, conn_.Query(d_.audit_lock, {}));
      (void)locked;
    }
    UCSC_ASSIGN_OR_RETURN(
        auto rows, conn_.Query("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", {}));
    r.seq = rows.empty() ? 1 : CellInt(rows[0][0]) + 1;
    r.prev_hash = rows.empty() ? kGenesisHash : CellText(rows[0][1]);
    r.hash = AuditHash(r.prev_hash, r);
    std::vector<SqlParam> params{r.seq,         core::ToUnixMillis(r.at),
                                 r.actor,       r.action,
                                 r.object_type, r.object_id,
                                 r.before,      r.after,
                                 r.prev_hash,   r.hash};
    UCSC_ASSIGN_OR_RETURN(
        auto n, conn_.Exec("INSERT INTO audit_log (seq, at, actor, action, object_type, "
                           "object_id, before_json, after_json, prev_hash, hash) VALUES ($1, $2, "
                           "$3, $4, $5, $6, $7, $8, $9, $10)",
                           params));
    (void)n;
    return r;
  }

  Result<std::vector<core::AuditRecord>> List(int64_t after_seq, int limit) override {
    std::vector<SqlParam> params{after_seq, int64_t{std::clamp(limit, 1, 10000)}};
    UCSC_ASSIGN_OR_RETURN(
        auto rows,
        conn_.Query("SELECT seq, at, actor, action, object_type, object_id, before_json, "
                    "after_json, prev_hash, hash FROM audit_log WHERE seq > $1 ORDER BY seq "
                    "LIMIT $2",
                    params));
    std::vector<core::AuditRecord> out;
    out.reserve(rows.size());
    for (const auto& row : rows) {
      out.push_back(core::AuditRecord{CellInt(row[0]), core::FromUnixMillis(CellInt(row[1])),
                                      CellText(row[2]), CellText(row[3]), CellText(row[4]),
                                      CellText(row[5]), CellText(row[6]), CellText(row[7]),
                                      CellText(row[8]), CellText(row[9])});
    }
    return out;
  }

  Result<AuditVerifyReport> Verify() override {
    AuditVerifyReport report;
    int64_t expect_seq = 1;
    std::string prev = kGenesisHash;
    for (;;) {
      UCSC_ASSIGN_OR_RETURN(auto batch, List(expect_seq - 1, 5000));
      if (batch.empty()) break;
      for (const auto& r : batch) {
        ++report.records;
        if (r.seq != expect_seq) {
          report.problems.push_back("records " + std::to_string(expect_seq) + "–" +
                                    std::to_string(r.seq - 1) + " are missing (deleted)");
        }
        if (r.prev_hash != prev) {
          report.problems.push_back("record " + std::to_string(r.seq) +
                                    " does not chain to the record before it");
        }
        if (AuditHash(r.prev_hash, r) != r.hash) {
          report.problems.push_back("record " + std::to_string(r.seq) +
                                    " was altered after it was written");
        }
        prev = r.hash;
        report.head_hash = r.hash;
        expect_seq = r.seq + 1;
        if (report.problems.size() > 100) return report;
      }
    }
    return report;
  }

 private:
  SqlConnection& conn_;
  const Dialect& d_;
};

// ---- Change events -------------------------------------------------------------------------

class ChangeRepoImpl final : public ChangeRepo {
 public:
  explicit ChangeRepoImpl(SqlConnection& conn) : conn_(conn) {}
  Status Append(const core::ChangeEvent& e) override {
    std::vector<SqlParam> params{
        e.id, e.system_id, e.field, e.before, e.after, e.actor, core::ToUnixMillis(e.at)};
    UCSC_ASSIGN_OR_RETURN(auto n, conn_.Exec("INSERT INTO change_events (id, system_id, field, "
                                             "before_json, after_json, actor, at) VALUES ($1, $2, "
                                             "$3, $4, $5, $6, $7)",
                                             params));
    (void)n;
    return core::Ok();
  }
  Result<std::vector<core::ChangeEvent>> ListForSystem(const std::string& system_id,
                                                       int limit) override {
    std::vector<SqlParam> params{system_id, int64_t{std::clamp(limit, 1, 10000)}};
    UCSC_ASSIGN_OR_RETURN(auto rows,
                          conn_.Query("SELECT id, system_id, field, before_json, after_json, "
                                      "actor, at FROM change_events WHERE system_id = $1 ORDER "
                                      "BY at DESC, id DESC LIMIT $2",
                                      params));
    std::vector<core::ChangeEvent> out;
    for (const auto& r : rows) {
      out.push_back(core::ChangeEvent{CellText(r[0]), CellText(r[1]), CellText(r[2]),
                                      CellText(r[3]), CellText(r[4]), CellText(r[5]),
                                      core::FromUnixMillis(CellInt(r[6]))});
    }
    return out;
  }

 private:
  SqlConnection& conn_;
};

// ---- Compliance ------------------------------------------------------------------------------

class ComplianceRepoImpl final : public ComplianceRepo {
 public:
  explicit ComplianceRepoImpl(SqlConnection& conn) : conn_(conn) {}

  Result<std::vector<EvidenceRow>> EvidenceRows(const std::string& since) override {
    // Every record from `since` on, and before it only the latest of each (subject, type): what
    // an evaluation at or after since + 2 years can use. Served from the covering index
    // evidence_facts: no document is read. Rejected records never count and are left out.
    std::vector<SqlParam> params{since};
    UCSC_ASSIGN_OR_RETURN(
        auto rows,
        conn_.Query("SELECT id, subject_kind, subject_id, type, performed_on, review FROM evidence "
                    "WHERE review <> 'rejected' AND performed_on >= $1 "
                    "UNION ALL "
                    "SELECT e.id, e.subject_kind, e.subject_id, e.type, e.performed_on, e.review "
                    "FROM evidence e JOIN (SELECT subject_id, type, MAX(performed_on) AS d FROM "
                    "evidence WHERE review <> 'rejected' AND performed_on < $1 GROUP BY "
                    "subject_id, type) m ON e.subject_id = m.subject_id AND e.type = m.type AND "
                    "e.performed_on = m.d WHERE e.review <> 'rejected'",
                    params));
    std::vector<EvidenceRow> out;
    out.reserve(rows.size());
    for (auto& r : rows) {
      out.push_back(EvidenceRow{std::move(*r[0]), std::move(*r[1]), std::move(*r[2]),
                                std::move(*r[3]), std::move(*r[4]), std::move(*r[5])});
    }
    return out;
  }

  Result<std::vector<std::pair<std::string, core::Instant>>> SystemChanges() override {
    UCSC_ASSIGN_OR_RETURN(auto rows, conn_.Query("SELECT system_id, at FROM change_events", {}));
    std::vector<std::pair<std::string, core::Instant>> out;
    out.reserve(rows.size());
    for (auto& r : rows) out.emplace_back(CellText(r[0]), core::FromUnixMillis(CellInt(r[1])));
    return out;
  }

  Status PutSnapshots(const std::vector<ComplianceSnapshot>& snaps) override {
    for (const auto& s : snaps) {
      std::vector<SqlParam> params{s.day, s.org_id, s.ok, s.due_soon, s.overdue, s.not_applicable};
      UCSC_ASSIGN_OR_RETURN(
          auto n, conn_.Exec("INSERT INTO compliance_snapshots (day, org_id, ok, due_soon, "
                             "overdue, not_applicable) VALUES ($1, $2, $3, $4, $5, $6) ON "
                             "CONFLICT (day, org_id) DO UPDATE SET ok = excluded.ok, due_soon = "
                             "excluded.due_soon, overdue = excluded.overdue, not_applicable = "
                             "excluded.not_applicable",
                             params));
      (void)n;
    }
    return core::Ok();
  }

  Result<std::vector<ComplianceSnapshot>> Snapshots(const std::string& org_id,
                                                    const std::string& from,
                                                    const std::string& to) override {
    std::vector<SqlParam> params{from, to};
    std::string sql =
        "SELECT day, org_id, ok, due_soon, overdue, not_applicable FROM compliance_snapshots "
        "WHERE day >= $1 AND day <= $2";
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

  Result<std::vector<std::string>> ReminderKeys() override {
    UCSC_ASSIGN_OR_RETURN(auto rows, conn_.Query("SELECT key FROM reminders", {}));
    std::vector<std::string> out;
    out.reserve(rows.size());
    for (auto& r : rows) out.push_back(std::move(*r[0]));
    return out;
  }

  Result<bool> RecordReminder(const std::string& key, const std::string& detail,
                              core::Instant at) override {
    std::vector<SqlParam> params{key, detail, core::ToUnixMillis(at)};
    UCSC_ASSIGN_OR_RETURN(auto n, conn_.Exec("INSERT INTO reminders (key, detail, at) VALUES "
                                             "($1, $2, $3) ON CONFLICT (key) DO NOTHING",
                                             params));
    return n == 1;
  }

 private:
  SqlConnection& conn_;
};

// ---- Notifications ---------------------------------------------------------------------------

class NotificationRepoImpl final : public NotificationRepo {
 public:
  explicit NotificationRepoImpl(SqlConnection& conn) : conn_(conn) {}

  Status Add(const Notification& n) override {
    std::vector<SqlParam> params{n.id,
                                 n.user_id,
                                 n.org_id,
                                 n.kind,
                                 n.title,
                                 n.body,
                                 n.link,
                                 core::ToUnixMillis(n.created_at),
                                 core::ToUnixMillis(n.read_at)};
    UCSC_ASSIGN_OR_RETURN(
        auto n_rows,
        conn_.Exec("INSERT INTO notifications (id, user_id, org_id, kind, title, body, "
                   "link, created_at, read_at) VALUES ($1, $2, $3, $4, $5, $6, $7, "
                   "$8, $9)",
                   params));
    (void)n_rows;
    return core::Ok();
  }

  Result<std::vector<Notification>> List(const std::string& user_id, bool unread_only,
                                         const std::string& before_id, int limit) override {
    std::vector<SqlParam> params{user_id, before_id, int64_t{limit}};
    std::string sql =
        "SELECT id, user_id, org_id, kind, title, body, link, created_at, read_at FROM "
        "notifications WHERE user_id = $1 AND ($2 = '' OR id < $2)";
    if (unread_only) sql += " AND read_at = 0";
    sql += " ORDER BY id DESC LIMIT $3";
    UCSC_ASSIGN_OR_RETURN(auto rows, conn_.Query(sql, params));
    std::vector<Notification> out;
    out.reserve(rows.size());
    for (auto& r : rows) {
      out.push_back(Notification{CellText(r[0]), CellText(r[1]), CellText(r[2]), CellText(r[3]),
                                 CellText(r[4]), CellText(r[5]), CellText(r[6]),
                                 core::FromUnixMillis(CellInt(r[7])),
                                 core::FromUnixMillis(CellInt(r[8]))});
    }
    return out;
  }

  Result<int64_t> UnreadCount(const std::string& user_id) override {
    std::vector<SqlParam> params{user_id};
    UCSC_ASSIGN_OR_RETURN(auto rows,
                          conn_.Query("SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND "
                                      "read_at = 0",
                                      params));
    return rows.empty() ? int64_t{0} : CellInt(rows[0][0]);
  }

  Result<int64_t> MarkRead(const std::string& user_id, const std::vector<std::string>& ids,
                           core::Instant at) override {
    const int64_t at_ms = core::ToUnixMillis(at);
    if (ids.empty()) {
      std::vector<SqlParam> params{at_ms, user_id};
      return conn_.Exec("UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at = 0",
                        params);
    }
    int64_t changed = 0;
    for (const auto& id : ids) {
      std::vector<SqlParam> params{at_ms, user_id, id};
      UCSC_ASSIGN_OR_RETURN(auto n, conn_.Exec("UPDATE notifications SET read_at = $1 WHERE "
                                               "user_id = $2 AND id = $3 AND read_at = 0",
                                               params));
      changed += n;
    }
    return changed;
  }

 private:
  SqlConnection& conn_;
};

// ---- Scans -------------------------------------------------------------------------------------

class ScanRepoImpl final : public ScanRepo {
 public:
  ScanRepoImpl(SqlConnection& conn, const Dialect& d) : conn_(conn), d_(d) {}

  Status Insert(ScanTable table, const ScanRecord& r) override {
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

  Status Update(ScanTable table, const ScanRecord& r) override {
    std::vector<SqlParam> params{r.state, r.version,    r.doc, core::ToUnixMillis(r.updated_at),
                                 r.id,    r.version - 1};
    UCSC_ASSIGN_OR_RETURN(auto n, conn_.Exec("UPDATE " + Table(table) +
                                                 " SET state = $1, version = $2, doc = $3, "
                                                 "updated_at = $4 WHERE id = $5 AND version = $6",
                                             params));
    if (n == 1) return core::Ok();
    std::vector<SqlParam> key{r.id};
    UCSC_ASSIGN_OR_RETURN(
        auto rows, conn_.Query("SELECT version FROM " + Table(table) + " WHERE id = $1", key));
    if (rows.empty()) return core::NotFound("no such " + Noun(table));
    return core::MakeError(core::ErrorCode::kFailedPrecondition,
                           Noun(table) + " was changed meanwhile");
  }

  Result<ScanRecord> Get(ScanTable table, const std::string& id, const Scope& scope) override {
    std::vector<SqlParam> params{id};
    std::string sql = Select(table) + " WHERE id = $1";
    AppendScope(d_, scope, {"org_id"}, sql, params);
    UCSC_ASSIGN_OR_RETURN(auto rows, conn_.Query(sql, params));
    if (rows.empty()) return core::NotFound("no such " + Noun(table));
    return FromRow(rows[0]);
  }

  Result<std::vector<ScanRecord>> List(ScanTable table, const Scope& scope,
                                       const std::string& system_id, const std::string& state,
                                       const std::string& before_id, int limit) override {
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

 private:
  static std::string Table(ScanTable t) {
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
  static std::string Noun(ScanTable t) {
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
  static std::string Select(ScanTable t) {
    return "SELECT id, org_id, system_id, parent_id, state, version, doc, created_at, updated_at "
           "FROM " +
           Table(t);
  }
  static ScanRecord FromRow(const SqlRow& r) {
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

  SqlConnection& conn_;
  const Dialect& d_;
};

// ---- Jobs ------------------------------------------------------------------------------------

class JobQueueImpl final : public JobQueue {
 public:
  JobQueueImpl(SqlConnection& conn, const Dialect& d) : conn_(conn), d_(d) {}

  Status Enqueue(const core::Job& j) override {
    std::vector<SqlParam> params{j.id,
                                 j.kind,
                                 j.payload,
                                 std::string(core::JobStateName(core::JobState::kQueued)),
                                 int64_t{0},
                                 int64_t{j.max_attempts},
                                 core::ToUnixMillis(j.run_at),
                                 int64_t{0},
                                 std::string(),
                                 std::string(),
                                 core::ToUnixMillis(j.created_at),
                                 core::ToUnixMillis(j.created_at)};
    UCSC_ASSIGN_OR_RETURN(
        auto n, conn_.Exec("INSERT INTO jobs (id, kind, payload, state, attempts, max_attempts, "
                           "run_at, lease_until, worker, last_error, created_at, updated_at) "
                           "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                           params));
    (void)n;
    return core::Ok();
  }

  Result<std::optional<core::Job>> Claim(const std::string& worker, core::Instant now,
                                         std::chrono::milliseconds lease) override {
    const int64_t now_ms = core::ToUnixMillis(now);
    for (int round = 0; round < 100; ++round) {
      std::vector<SqlParam> params{now_ms};
      UCSC_ASSIGN_OR_RETURN(
          auto rows, conn_.Query("SELECT id, state, attempts, max_attempts FROM jobs WHERE "
                                 "(state = 'queued' AND run_at <= $1) OR (state = 'running' AND "
                                 "lease_until < $1) ORDER BY run_at, id LIMIT 1" +
                                     std::string(d_.claim_suffix),
                                 params));
      if (rows.empty()) return std::optional<core::Job>();
      std::string id = CellText(rows[0][0]);
      if (CellText(rows[0][1]) == "running" && CellInt(rows[0][2]) >= CellInt(rows[0][3])) {
        std::vector<SqlParam> p{now_ms, id};
        UCSC_ASSIGN_OR_RETURN(auto n, conn_.Exec("UPDATE jobs SET state = 'failed', worker = '', "
                                                 "last_error = 'worker lost its lease on the "
                                                 "last attempt', updated_at = $1 WHERE id = $2",
                                                 p));
        (void)n;
        continue;
      }
      std::vector<SqlParam> p{now_ms + lease.count(), worker, now_ms, id};
      UCSC_ASSIGN_OR_RETURN(auto n, conn_.Exec("UPDATE jobs SET state = 'running', attempts = "
                                               "attempts + 1, lease_until = $1, worker = $2, "
                                               "updated_at = $3 WHERE id = $4",
                                               p));
      (void)n;
      UCSC_ASSIGN_OR_RETURN(auto job, Get(id));
      return std::optional<core::Job>(std::move(job));
    }
    return std::optional<core::Job>();
  }

  Status Complete(const std::string& id, const std::string& worker, core::Instant now) override {
    std::vector<SqlParam> p{core::ToUnixMillis(now), id, worker};
    UCSC_ASSIGN_OR_RETURN(auto n, conn_.Exec("UPDATE jobs SET state = 'done', updated_at = $1 "
                                             "WHERE id = $2 AND worker = $3 AND state = "
                                             "'running'",
                                             p));
    if (n == 0) {
      return core::MakeError(core::ErrorCode::kFailedPrecondition,
                             "job " + id + " is not held by " + worker);
    }
    return core::Ok();
  }

  Status Fail(const std::string& id, const std::string& worker, const std::string& error,
              core::Instant now, core::Instant retry_at) override {
    std::vector<SqlParam> p{core::ToUnixMillis(retry_at), error.substr(0, 2000),
                            core::ToUnixMillis(now), id, worker};
    UCSC_ASSIGN_OR_RETURN(
        auto n, conn_.Exec("UPDATE jobs SET state = CASE WHEN attempts >= max_attempts THEN "
                           "'failed' ELSE 'queued' END, run_at = $1, last_error = $2, "
                           "updated_at = $3, worker = '', lease_until = 0 WHERE id = $4 AND "
                           "worker = $5 AND state = 'running'",
                           p));
    if (n == 0) {
      return core::MakeError(core::ErrorCode::kFailedPrecondition,
                             "job " + id + " is not held by " + worker);
    }
    return core::Ok();
  }

  Result<core::Job> Get(const std::string& id) override {
    std::vector<SqlParam> p{id};
    UCSC_ASSIGN_OR_RETURN(auto rows, conn_.Query(std::string(kSelect) + " WHERE id = $1", p));
    if (rows.empty()) return core::NotFound("job not found");
    return FromRow(rows[0]);
  }

  Result<std::vector<core::Job>> List(int limit) override {
    std::vector<SqlParam> p{int64_t{std::clamp(limit, 1, 1000)}};
    UCSC_ASSIGN_OR_RETURN(
        auto rows, conn_.Query(std::string(kSelect) + " ORDER BY created_at DESC LIMIT $1", p));
    std::vector<core::Job> out;
    for (const auto& r : rows) out.push_back(FromRow(r));
    return out;
  }

  Status UpsertSchedule(const core::Schedule& s) override {
    std::vector<SqlParam> p{s.name, s.cron, s.kind, s.payload, core::ToUnixMillis(s.next_run)};
    UCSC_ASSIGN_OR_RETURN(
        auto n, conn_.Exec("INSERT INTO schedules (name, cron, kind, payload, next_run) VALUES "
                           "($1, $2, $3, $4, $5) ON CONFLICT (name) DO UPDATE SET cron = "
                           "excluded.cron, kind = excluded.kind, payload = excluded.payload, "
                           "next_run = CASE WHEN schedules.cron = excluded.cron THEN "
                           "schedules.next_run ELSE excluded.next_run END",
                           p));
    (void)n;
    return core::Ok();
  }

  Result<std::vector<core::Schedule>> DueSchedules(core::Instant now) override {
    std::vector<SqlParam> p{core::ToUnixMillis(now)};
    UCSC_ASSIGN_OR_RETURN(auto rows, conn_.Query("SELECT name, cron, kind, payload, next_run FROM "
                                                 "schedules WHERE next_run <= $1 ORDER BY name",
                                                 p));
    std::vector<core::Schedule> out;
    for (const auto& r : rows) {
      out.push_back(core::Schedule{CellText(r[0]), CellText(r[1]), CellText(r[2]), CellText(r[3]),
                                   core::FromUnixMillis(CellInt(r[4]))});
    }
    return out;
  }

  Result<bool> AdvanceSchedule(const std::string& name, core::Instant expected,
                               core::Instant next) override {
    std::vector<SqlParam> p{core::ToUnixMillis(next), name, core::ToUnixMillis(expected)};
    UCSC_ASSIGN_OR_RETURN(
        auto n,
        conn_.Exec("UPDATE schedules SET next_run = $1 WHERE name = $2 AND next_run = $3", p));
    return n == 1;
  }

 private:
  static constexpr std::string_view kSelect =
      "SELECT id, kind, payload, state, attempts, max_attempts, run_at, lease_until, worker, "
      "last_error, created_at, updated_at FROM jobs";
  static core::Job FromRow(const SqlRow& r) {
    core::Job j;
    j.id = CellText(r[0]);
    j.kind = CellText(r[1]);
    j.payload = CellText(r[2]);
    j.state = core::ParseJobState(CellText(r[3])).value_or(core::JobState::kFailed);
    j.attempts = static_cast<int>(CellInt(r[4]));
    j.max_attempts = static_cast<int>(CellInt(r[5]));
    j.run_at = core::FromUnixMillis(CellInt(r[6]));
    j.lease_until = core::FromUnixMillis(CellInt(r[7]));
    j.worker = CellText(r[8]);
    j.last_error = CellText(r[9]);
    j.created_at = core::FromUnixMillis(CellInt(r[10]));
    j.updated_at = core::FromUnixMillis(CellInt(r[11]));
    return j;
  }
  SqlConnection& conn_;
  const Dialect& d_;
};

// ---- Transaction ---------------------------------------------------------------------------

// Tx::Sql(): the connection, named for the repositories of capability modules.
class SqlSessionImpl final : public SqlSession {
 public:
  SqlSessionImpl(SqlConnection& c, const Dialect& d) : conn_(c), dialect_(d) {}
  Result<std::vector<SqlRow>> Query(std::string_view sql,
                                    std::span<const SqlParam> params) override {
    return conn_.Query(sql, params);
  }
  Result<int64_t> Exec(std::string_view sql, std::span<const SqlParam> params) override {
    return conn_.Exec(sql, params);
  }
  std::string_view Backend() const override { return dialect_.name; }

 private:
  SqlConnection& conn_;
  const Dialect& dialect_;
};

class SqlTx final : public Tx {
 public:
  SqlTx(SqlConnection& c, const Dialect& d)
      : conn_(c),
        sql_(c, d),
        orgs_(c, d),
        systems_(c, d),
        assets_(c, d),
        contacts_(c, d),
        team_(c, d),
        tasks_(c, d),
        evidence_(c, d),
        compliance_(c),
        notifications_(c),
        scans_(c, d),
        users_(c, d),
        sessions_(c),
        tokens_(c),
        audit_(c, d),
        changes_(c),
        jobs_(c, d) {}
  EntityRepo<core::Organisation>& Orgs() override { return orgs_; }
  EntityRepo<core::InformationSystem>& Systems() override { return systems_; }
  EntityRepo<core::Asset>& Assets() override { return assets_; }
  EntityRepo<core::Contact>& Contacts() override { return contacts_; }
  EntityRepo<core::IrTeamMember>& Team() override { return team_; }
  EntityRepo<core::Task>& Tasks() override { return tasks_; }
  EntityRepo<core::Evidence>& Evidence() override { return evidence_; }
  ComplianceRepo& Compliance() override { return compliance_; }
  NotificationRepo& Notifications() override { return notifications_; }
  ScanRepo& Scans() override { return scans_; }
  UserRepo& Users() override { return users_; }
  SessionRepo& Sessions() override { return sessions_; }
  TokenRepo& Tokens() override { return tokens_; }
  AuditLog& Audit() override { return audit_; }
  ChangeRepo& Changes() override { return changes_; }
  JobQueue& Jobs() override { return jobs_; }
  Result<std::vector<std::pair<std::string, std::string>>> OrgParentLinks() override {
    UCSC_ASSIGN_OR_RETURN(auto rows, conn_.Query("SELECT id, parent_id FROM organisations", {}));
    std::vector<std::pair<std::string, std::string>> out;
    out.reserve(rows.size());
    for (const auto& r : rows) out.emplace_back(CellText(r[0]), CellText(r[1]));
    return out;
  }
  SqlSession& Sql() override { return sql_; }

 private:
  SqlConnection& conn_;
  SqlSessionImpl sql_;
  EntityRepoImpl<core::Organisation> orgs_;
  EntityRepoImpl<core::InformationSystem> systems_;
  EntityRepoImpl<core::Asset> assets_;
  EntityRepoImpl<core::Contact> contacts_;
  EntityRepoImpl<core::IrTeamMember> team_;
  EntityRepoImpl<core::Task> tasks_;
  EntityRepoImpl<core::Evidence> evidence_;
  ComplianceRepoImpl compliance_;
  NotificationRepoImpl notifications_;
  ScanRepoImpl scans_;
  UserRepoImpl users_;
  SessionRepoImpl sessions_;
  TokenRepoImpl tokens_;
  AuditLogImpl audit_;
  ChangeRepoImpl changes_;
  JobQueueImpl jobs_;
};

// The store's own tables and columns in dump order (parents before children); the tables of
// capability modules follow (SqlStore::Attach).
const std::vector<TableDef>& OwnTables() {
  static const std::vector<TableDef> kTables = {
      {"organisations",
       {"id", "parent_id", "type", "network_member", "name_key", "name_fold", "version", "doc",
        "created_at", "updated_at"}},
      {"systems",
       {"id", "owner_org_id", "operator_org_id", "level", "national_important", "name_key",
        "name_fold", "version", "doc", "created_at", "updated_at"}},
      {"assets",
       {"id", "system_id", "org_id", "name_key", "name_fold", "version", "doc", "created_at",
        "updated_at"}},
      {"contacts",
       {"id", "org_id", "name_key", "name_fold", "version", "doc", "created_at", "updated_at"}},
      {"ir_team_members",
       {"id", "org_id", "outsourced", "name_key", "name_fold", "version", "doc", "created_at",
        "updated_at"}},
      {"tasks",
       {"id", "org_id", "system_id", "kind", "state", "assignee", "due_date", "name_key",
        "name_fold", "version", "doc", "created_at", "updated_at"}},
      {"change_events", {"id", "system_id", "field", "before_json", "after_json", "actor", "at"}},
      {"evidence",
       {"id", "org_id", "subject_kind", "subject_id", "type", "performed_on", "review", "name_key",
        "name_fold", "version", "doc", "created_at", "updated_at"}},
      {"compliance_snapshots", {"day", "org_id", "ok", "due_soon", "overdue", "not_applicable"}},
      {"reminders", {"key", "detail", "at"}},
      {"users", {"id", "username", "org_id", "role", "version", "doc", "created_at", "updated_at"}},
      {"notifications",
       {"id", "user_id", "org_id", "kind", "title", "body", "link", "created_at", "read_at"}},
      {"scan_authorisations",
       {"id", "org_id", "system_id", "parent_id", "state", "version", "doc", "created_at",
        "updated_at"}},
      {"scan_runs",
       {"id", "org_id", "system_id", "parent_id", "state", "version", "doc", "created_at",
        "updated_at"}},
      {"hunt_runs",
       {"id", "org_id", "system_id", "parent_id", "state", "version", "doc", "created_at",
        "updated_at"}},
      {"findings",
       {"id", "org_id", "system_id", "parent_id", "state", "version", "doc", "created_at",
        "updated_at"}},
      {"advisories",
       {"id", "org_id", "system_id", "parent_id", "state", "version", "doc", "created_at",
        "updated_at"}},
      {"sessions", {"token_hash", "user_id", "csrf_token", "created_at", "expires_at"}},
      {"api_tokens", {"id", "user_id", "name", "token_hash", "scopes", "expires_at", "created_at"}},
      {"audit_log",
       {"seq", "at", "actor", "action", "object_type", "object_id", "before_json", "after_json",
        "prev_hash", "hash"}},
      {"jobs",
       {"id", "kind", "payload", "state", "attempts", "max_attempts", "run_at", "lease_until",
        "worker", "last_error", "created_at", "updated_at"}},
      {"schedules", {"name", "cron", "kind", "payload", "next_run"}},
  };
  return kTables;
}

// Orders organisation rows so that every parent precedes its children.
void SortParentsFirst(std::vector<SqlRow>& rows) {
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < rows.size(); ++i) index[CellText(rows[i][0])] = i;
  std::vector<SqlRow> out;
  std::set<std::string> placed;
  std::function<void(size_t, int)> place = [&](size_t i, int depth) {
    const std::string id = CellText(rows[i][0]);
    if (placed.contains(id) || depth > 1000) return;
    auto parent = rows[i][1];
    if (parent && index.contains(*parent)) place(index[*parent], depth + 1);
    if (placed.insert(id).second) out.push_back(rows[i]);
  };
  for (size_t i = 0; i < rows.size(); ++i) place(i, 0);
  rows = std::move(out);
}

}  // namespace

std::string AuditHash(const std::string& prev_hash, const core::AuditRecord& r) {
  std::string text;
  auto field = [&](std::string_view v) {
    text += std::to_string(v.size());
    text += ':';
    text += v;
    text += '\n';
  };
  field(std::to_string(r.seq));
  field(std::to_string(core::ToUnixMillis(r.at)));
  field(r.actor);
  field(r.action);
  field(r.object_type);
  field(r.object_id);
  field(r.before);
  field(r.after);
  field(prev_hash);
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(text.data(), text.size(), md, &len, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 0xF];
  }
  return out;
}

SqlStore::SqlStore(const Dialect& dialect, ConnectionFactory factory, int max_connections)
    : dialect_(dialect), factory_(std::move(factory)), max_connections_(max_connections) {}

SqlStore::~SqlStore() = default;

Result<std::unique_ptr<SqlConnection>> SqlStore::Acquire() {
  std::unique_lock lock(mu_);
  for (;;) {
    if (!idle_.empty()) {
      auto conn = std::move(idle_.back());
      idle_.pop_back();
      return conn;
    }
    if (open_ < max_connections_) {
      ++open_;
      lock.unlock();
      auto conn = factory_();
      if (!conn) {
        lock.lock();
        --open_;
        cv_.notify_one();
        return tl::unexpected(conn.error());
      }
      return std::move(*conn);
    }
    if (cv_.wait_for(lock, std::chrono::seconds(30)) == std::cv_status::timeout && idle_.empty() &&
        open_ >= max_connections_) {
      return core::MakeError(core::ErrorCode::kUnavailable, "no database connection free");
    }
  }
}

void SqlStore::Release(std::unique_ptr<SqlConnection> conn) {
  std::lock_guard lock(mu_);
  if (conn->Healthy()) {
    idle_.push_back(std::move(conn));
  } else {
    --open_;
  }
  cv_.notify_one();
}

Status SqlStore::Run(bool write, const TxFn& fn) {
  UCSC_ASSIGN_OR_RETURN(auto conn, Acquire());
  // Returns the connection to the pool (rolling back) even if `fn` throws.
  struct Lease {
    SqlStore* store;
    std::unique_ptr<SqlConnection> conn;
    bool open = false;
    ~Lease() {
      if (open) conn->Rollback();
      store->Release(std::move(conn));
    }
  } lease{this, std::move(conn)};
  UCSC_RETURN_IF_ERROR(lease.conn->Begin(write));
  lease.open = true;
  SqlTx tx(*lease.conn, dialect_);
  Status result = fn(tx);
  if (!result) return result;
  lease.open = false;
  result = lease.conn->Commit();
  if (!result) lease.conn->Rollback();
  return result;
}

Status SqlStore::Write(const TxFn& fn) { return Run(true, fn); }
Status SqlStore::Read(const TxFn& fn) { return Run(false, fn); }

std::vector<const TableDef*> SqlStore::AllTables() const {
  std::vector<const TableDef*> out;
  for (const auto& t : OwnTables()) out.push_back(&t);
  for (const auto& part : parts_) {
    for (const auto& t : part.tables) out.push_back(&t);
  }
  return out;
}

std::vector<std::string> SqlStore::BackedUpTables() const {
  std::vector<std::string> out;
  for (const TableDef* t : AllTables()) out.push_back(t->name);
  return out;
}

Status SqlStore::Attach(std::vector<SchemaPart> parts) {
  std::set<std::string> tables, migrations;
  for (const TableDef* t : AllTables()) tables.insert(t->name);
  for (const auto& part : parts_) {
    for (const auto& m : part.migrations) migrations.insert(m.id);
  }
  for (const auto& part : parts) {
    for (const auto& t : part.tables) {
      if (t.columns.empty()) {
        return core::InvalidArgument("table " + t.name + " of " + part.owner + " has no columns");
      }
      if (!tables.insert(t.name).second) {
        return core::InvalidArgument("table " + t.name + " of " + part.owner + " is already known");
      }
    }
    for (const auto& m : part.migrations) {
      if (!migrations.insert(m.id).second) {
        return core::InvalidArgument("migration " + m.id + " of " + part.owner +
                                     " is already known");
      }
    }
  }
  for (auto& part : parts) parts_.push_back(std::move(part));
  return core::Ok();
}

Status SqlStore::Migrate() {
  UCSC_ASSIGN_OR_RETURN(auto conn, Acquire());
  auto release = [&](Status s) {
    Release(std::move(conn));
    return s;
  };
  auto st = conn->ExecScript(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT "
      "NULL)");
  if (!st) return release(st);
  for (const auto& m : EmbeddedMigrations(dialect_.migration_suffix)) {
    st = conn->Begin(true);
    if (!st) return release(st);
    if (!dialect_.audit_lock.empty()) {
      auto locked = conn->Query(dialect_.audit_lock, {});
      if (!locked) {
        conn->Rollback();
        return release(tl::unexpected(locked.error()));
      }
    }
    std::vector<SqlParam> p{int64_t{m.version}};
    auto rows = conn->Query("SELECT version FROM schema_migrations WHERE version = $1", p);
    if (!rows) {
      conn->Rollback();
      return release(tl::unexpected(rows.error()));
    }
    if (!rows->empty()) {
      conn->Rollback();
      continue;
    }
    st = conn->ExecScript(m.sql);
    if (st) {
      std::vector<SqlParam> ins{int64_t{m.version}, std::string(m.name)};
      auto n = conn->Exec("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", ins);
      if (!n) st = tl::unexpected(n.error());
    }
    if (!st) {
      conn->Rollback();
      return release(core::MakeError(
          st.error().code, "migration " + std::string(m.name) + " failed: " + st.error().message));
    }
    st = conn->Commit();
    if (!st) return release(st);
  }
  // Migrations of capability modules: each applied once, recorded by its id.
  st = conn->ExecScript(
      "CREATE TABLE IF NOT EXISTS module_migrations (id TEXT PRIMARY KEY, owner TEXT NOT NULL)");
  if (!st) return release(st);
  const bool pg = dialect_.name == "postgresql";
  for (const auto& part : parts_) {
    for (const auto& m : part.migrations) {
      st = conn->Begin(true);
      if (!st) return release(st);
      if (!dialect_.audit_lock.empty()) {
        auto locked = conn->Query(dialect_.audit_lock, {});
        if (!locked) {
          conn->Rollback();
          return release(tl::unexpected(locked.error()));
        }
      }
      std::vector<SqlParam> p{m.id};
      auto rows = conn->Query("SELECT id FROM module_migrations WHERE id = $1", p);
      if (!rows) {
        conn->Rollback();
        return release(tl::unexpected(rows.error()));
      }
      if (!rows->empty()) {
        conn->Rollback();
        continue;
      }
      st = conn->ExecScript(pg ? m.pg_sql : m.sqlite_sql);
      if (st) {
        std::vector<SqlParam> ins{m.id, part.owner};
        auto n = conn->Exec("INSERT INTO module_migrations (id, owner) VALUES ($1, $2)", ins);
        if (!n) st = tl::unexpected(n.error());
      }
      if (!st) {
        conn->Rollback();
        return release(core::MakeError(st.error().code,
                                       "migration " + m.id + " failed: " + st.error().message));
      }
      st = conn->Commit();
      if (!st) return release(st);
    }
  }
  return release(core::Ok());
}

Status SqlStore::Dump(const std::function<Status(std::string_view)>& sink) {
  {
    UCSC_ASSIGN_OR_RETURN(auto conn, Acquire());
    Status st = conn->Begin(false);
    for (const TableDef* tp : AllTables()) {
      const TableDef& t = *tp;
      if (!st) break;
      std::string cols;
      for (const auto& c : t.columns) cols += (cols.empty() ? "" : ", ") + c;
      auto rows =
          conn->Query("SELECT " + cols + " FROM " + t.name + " ORDER BY " + t.columns[0], {});
      if (!rows) {
        st = tl::unexpected(rows.error());
        break;
      }
      if (t.name == "organisations") SortParentsFirst(*rows);
      for (const auto& row : *rows) {
        codec::Json obj = codec::Json::object();
        for (size_t i = 0; i < t.columns.size(); ++i) {
          obj[t.columns[i]] = row[i] ? codec::Json(*row[i]) : codec::Json(nullptr);
        }
        codec::Json line{{"table", t.name}, {"row", obj}};
        st = sink(line.dump());
        if (!st) break;
      }
    }
    conn->Rollback();
    Release(std::move(conn));
    return st;
  }
}

Status SqlStore::Load(const std::function<Result<bool>(std::string&)>& next_line) {
  {
    UCSC_ASSIGN_OR_RETURN(auto conn, Acquire());
    Status st = conn->Begin(true);
    std::map<std::string, const TableDef*, std::less<>> by_name;
    for (const TableDef* t : AllTables()) by_name[t->name] = t;
    std::string line;
    int64_t line_no = 0;
    while (st) {
      auto more = next_line(line);
      if (!more) {
        st = tl::unexpected(more.error());
        break;
      }
      if (!*more) break;
      ++line_no;
      if (line.empty()) continue;
      auto j = codec::ParseJson(line);
      if (!j || !j->is_object() || !(*j)["table"].is_string() || !(*j)["row"].is_object()) {
        st = core::InvalidArgument("backup line " + std::to_string(line_no) + " is malformed");
        break;
      }
      auto it = by_name.find((*j)["table"].get<std::string>());
      if (it == by_name.end()) {
        st = core::InvalidArgument("backup line " + std::to_string(line_no) +
                                   " names an unknown table");
        break;
      }
      const auto& t = *it->second;
      std::string cols, vals;
      std::vector<SqlParam> params;
      for (const auto& c : t.columns) {
        const auto& v = (*j)["row"][c];
        params.push_back(v.is_string() ? SqlParam(v.get<std::string>()) : SqlParam(nullptr));
        cols += (cols.empty() ? "" : ", ") + c;
        vals += (vals.empty() ? "" : ", ") + Placeholder(static_cast<int>(params.size()));
      }
      auto n =
          conn->Exec("INSERT INTO " + t.name + " (" + cols + ") VALUES (" + vals + ")", params);
      if (!n) {
        st = core::MakeError(n.error().code,
                             "backup line " + std::to_string(line_no) + ": " + n.error().message);
      }
    }
    if (st) {
      st = conn->Commit();
    } else {
      conn->Rollback();
    }
    Release(std::move(conn));
    return st;
  }
}

}  // namespace ucsc::store::internal
