#include "store/postgres/pg_store.h"

#include <libpq-fe.h>

#include <map>

#include "store/internal/sql_store.h"

namespace ucsc::store::postgres {
namespace {

using core::Result;
using core::Status;
using internal::SqlParam;
using internal::SqlRow;

std::string InJsonList(std::string_view column, int param) {
  return std::string(column) + " IN (SELECT jsonb_array_elements_text($" + std::to_string(param) +
         "::jsonb))";
}

const internal::Dialect kDialect{
    .name = "postgresql",
    .in_json_list = &InJsonList,
    .claim_suffix = " FOR UPDATE SKIP LOCKED",
    .audit_lock = "SELECT pg_advisory_xact_lock(824731)",
    .migration_suffix = ".pg.sql",
};

class PgConnection final : public internal::SqlConnection {
 public:
  explicit PgConnection(PGconn* conn) : conn_(conn) {}
  ~PgConnection() override { PQfinish(conn_); }

  Result<std::vector<SqlRow>> Query(std::string_view sql,
                                    std::span<const SqlParam> params) override {
    UCSC_ASSIGN_OR_RETURN(PGresult * res, Run(sql, params));
    std::vector<SqlRow> rows;
    int n = PQntuples(res);
    int cols = PQnfields(res);
    rows.reserve(n);
    for (int r = 0; r < n; ++r) {
      SqlRow row(cols);
      for (int c = 0; c < cols; ++c) {
        if (!PQgetisnull(res, r, c)) {
          row[c] = std::string(PQgetvalue(res, r, c), PQgetlength(res, r, c));
        }
      }
      rows.push_back(std::move(row));
    }
    PQclear(res);
    return rows;
  }

  Result<int64_t> Exec(std::string_view sql, std::span<const SqlParam> params) override {
    UCSC_ASSIGN_OR_RETURN(PGresult * res, Run(sql, params));
    const char* affected = PQcmdTuples(res);
    int64_t n = (affected && *affected) ? std::stoll(affected) : 0;
    PQclear(res);
    return n;
  }

  Status ExecScript(std::string_view sql) override {
    std::string text(sql);
    PGresult* res = PQexec(conn_, text.c_str());
    auto st = Check(res);
    PQclear(res);
    return st;
  }

  Status Begin(bool write) override {
    return ExecScript(write ? "BEGIN ISOLATION LEVEL READ COMMITTED"
                            : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  }
  Status Commit() override { return ExecScript("COMMIT"); }
  void Rollback() override { (void)ExecScript("ROLLBACK"); }
  bool Healthy() const override { return PQstatus(conn_) == CONNECTION_OK; }

 private:
  Status Check(PGresult* res) {
    auto status = PQresultStatus(res);
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return core::Ok();
    const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
    std::string code = state ? state : "";
    std::string msg = "postgresql: " + std::string(PQerrorMessage(conn_));
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    if (code == "23505") return core::MakeError(core::ErrorCode::kAlreadyExists, msg);
    if (code == "23503") return core::MakeError(core::ErrorCode::kFailedPrecondition, msg);
    if (code.rfind("23", 0) == 0 || code.rfind("22", 0) == 0) {
      // The driver's text may quote the input and the schema: keep it out of answers.
      return core::MakeError(core::ErrorCode::kInvalidArgument,
                             "a value is not acceptable to the database (SQLSTATE " + code + ")");
    }
    if (code == "40001" || code == "40P01" || code.rfind("08", 0) == 0 || code.empty()) {
      return core::MakeError(core::ErrorCode::kUnavailable, msg);
    }
    return core::Internal(msg);
  }

  Result<PGresult*> Run(std::string_view sql, std::span<const SqlParam> params) {
    std::string key(sql);
    auto it = prepared_.find(key);
    if (it == prepared_.end()) {
      std::string name = std::to_string(prepared_.size());
      name.insert(name.begin(), 's');
      PGresult* res = PQprepare(conn_, name.c_str(), key.c_str(), 0, nullptr);
      auto st = Check(res);
      PQclear(res);
      if (!st) return tl::unexpected(st.error());
      it = prepared_.emplace(key, std::move(name)).first;
    }
    std::vector<std::string> storage(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    for (size_t i = 0; i < params.size(); ++i) {
      if (const auto* s = std::get_if<std::string>(&params[i])) {
        storage[i] = *s;
        values[i] = storage[i].c_str();
      } else if (const auto* n = std::get_if<int64_t>(&params[i])) {
        storage[i] = std::to_string(*n);
        values[i] = storage[i].c_str();
      }
    }
    PGresult* res = PQexecPrepared(conn_, it->second.c_str(), static_cast<int>(values.size()),
                                   values.data(), nullptr, nullptr, 0);
    auto st = Check(res);
    if (!st) {
      PQclear(res);
      return tl::unexpected(st.error());
    }
    return res;
  }

  PGconn* conn_;
  std::map<std::string, std::string, std::less<>> prepared_;
};

Result<std::unique_ptr<internal::SqlConnection>> Connect(const std::string& url) {
  PGconn* conn = PQconnectdb(url.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string msg = PQerrorMessage(conn);
    PQfinish(conn);
    while (!msg.empty() && msg.back() == '\n') msg.pop_back();
    return core::MakeError(core::ErrorCode::kUnavailable, "cannot connect to PostgreSQL: " + msg);
  }
  PGresult* res = PQexec(conn, "SET client_min_messages = warning; SET TIME ZONE 'UTC'");
  PQclear(res);
  return std::unique_ptr<internal::SqlConnection>(std::make_unique<PgConnection>(conn));
}

}  // namespace

Result<std::unique_ptr<Store>> OpenPostgres(const std::string& url, int max_connections) {
  UCSC_ASSIGN_OR_RETURN(auto probe, Connect(url));
  probe.reset();
  return std::unique_ptr<Store>(std::make_unique<internal::SqlStore>(
      kDialect, [url] { return Connect(url); }, max_connections));
}

}  // namespace ucsc::store::postgres
