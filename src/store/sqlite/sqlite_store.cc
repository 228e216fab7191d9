#include "store/sqlite/sqlite_store.h"

#include <sqlite3.h>

#include <map>

#include "store/internal/sql_store.h"

namespace ucsc::store::sqlite {
namespace {

using core::Result;
using core::Status;
using internal::SqlParam;
using internal::SqlRow;

std::string InJsonList(std::string_view column, int param) {
  return std::string(column) + " IN (SELECT value FROM json_each($" + std::to_string(param) + "))";
}

const internal::Dialect kDialect{
    .name = "sqlite",
    .in_json_list = &InJsonList,
    .claim_suffix = "",
    .audit_lock = "",
    .migration_suffix = ".sqlite.sql",
};

// $N → ?N: SQLite numbers ?NNN parameters the same way.
std::string Rewrite(std::string_view sql) {
  std::string out(sql);
  for (size_t i = 0; i + 1 < out.size(); ++i) {
    if (out[i] == '$' && out[i + 1] >= '0' && out[i + 1] <= '9') out[i] = '?';
  }
  return out;
}

class SqliteConnection final : public internal::SqlConnection {
 public:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  ~SqliteConnection() override {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }

  Result<std::vector<SqlRow>> Query(std::string_view sql,
                                    std::span<const SqlParam> params) override {
    UCSC_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Prepare(sql, params));
    std::vector<SqlRow> rows;
    for (;;) {
      int rc = sqlite3_step(stmt);
      if (rc == SQLITE_ROW) {
        int n = sqlite3_column_count(stmt);
        SqlRow row(n);
        for (int i = 0; i < n; ++i) {
          if (sqlite3_column_type(stmt, i) != SQLITE_NULL) {
            const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
            row[i] = std::string(text, sqlite3_column_bytes(stmt, i));
          }
        }
        rows.push_back(std::move(row));
      } else if (rc == SQLITE_DONE) {
        break;
      } else {
        sqlite3_reset(stmt);
        return MapError(rc);
      }
    }
    sqlite3_reset(stmt);
    return rows;
  }

  Result<int64_t> Exec(std::string_view sql, std::span<const SqlParam> params) override {
    UCSC_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Prepare(sql, params));
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    }
    sqlite3_reset(stmt);
    if (rc != SQLITE_DONE) return MapError(rc);
    return static_cast<int64_t>(sqlite3_changes(db_));
  }

  Status ExecScript(std::string_view sql) override {
    std::string text(sql);
    char* err = nullptr;
    int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
      std::string msg = err ? err : sqlite3_errstr(rc);
      sqlite3_free(err);
      return core::Internal("sqlite: " + msg);
    }
    return core::Ok();
  }

  Status Begin(bool write) override {
    // Prepared once per connection, like every other statement.
    return Exec(write ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED", {}).map([](int64_t) {});
  }
  Status Commit() override {
    return Exec("COMMIT", {}).map([](int64_t) {});
  }
  void Rollback() override {
    if (!sqlite3_get_autocommit(db_)) (void)ExecScript("ROLLBACK");
  }
  bool Healthy() const override { return true; }

 private:
  core::Error Error(core::ErrorCode code, int rc) const {
    return core::Error{
        code, std::string("sqlite: ") + sqlite3_errmsg(db_) + " (" + sqlite3_errstr(rc) + ")", ""};
  }

  tl::unexpected<core::Error> MapError(int rc) const {
    int ext = sqlite3_extended_errcode(db_);
    if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY) {
      return tl::unexpected(Error(core::ErrorCode::kAlreadyExists, rc));
    }
    if (ext == SQLITE_CONSTRAINT_FOREIGNKEY) {
      return tl::unexpected(Error(core::ErrorCode::kFailedPrecondition, rc));
    }
    if ((rc & 0xFF) == SQLITE_CONSTRAINT) {
      return tl::unexpected(Error(core::ErrorCode::kInvalidArgument, rc));
    }
    if ((rc & 0xFF) == SQLITE_BUSY || (rc & 0xFF) == SQLITE_LOCKED) {
      return tl::unexpected(Error(core::ErrorCode::kUnavailable, rc));
    }
    return tl::unexpected(Error(core::ErrorCode::kInternal, rc));
  }

  Result<sqlite3_stmt*> Prepare(std::string_view sql, std::span<const SqlParam> params) {
    std::string key(sql);
    sqlite3_stmt* stmt = nullptr;
    auto it = cache_.find(key);
    if (it != cache_.end()) {
      stmt = it->second;
    } else {
      std::string text = Rewrite(sql);
      int rc = sqlite3_prepare_v3(db_, text.c_str(), static_cast<int>(text.size()),
                                  SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
      if (rc != SQLITE_OK) return MapError(rc);
      if (cache_.size() > 256) {
        for (auto& [s, st] : cache_) sqlite3_finalize(st);
        cache_.clear();
      }
      cache_.emplace(std::move(key), stmt);
    }
    sqlite3_clear_bindings(stmt);
    for (size_t i = 0; i < params.size(); ++i) {
      int idx = static_cast<int>(i + 1);
      int rc = SQLITE_OK;
      if (const auto* s = std::get_if<std::string>(&params[i])) {
        rc = sqlite3_bind_text(stmt, idx, s->data(), static_cast<int>(s->size()), SQLITE_TRANSIENT);
      } else if (const auto* n = std::get_if<int64_t>(&params[i])) {
        rc = sqlite3_bind_int64(stmt, idx, *n);
      } else {
        rc = sqlite3_bind_null(stmt, idx);
      }
      if (rc != SQLITE_OK) return MapError(rc);
    }
    return stmt;
  }

  sqlite3* db_;
  std::map<std::string, sqlite3_stmt*, std::less<>> cache_;
};

Result<std::unique_ptr<internal::SqlConnection>> Connect(const std::string& path) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(
      path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    return core::MakeError(core::ErrorCode::kUnavailable,
                           "cannot open database " + path + ": " + msg);
  }
  sqlite3_busy_timeout(db, 10000);
  auto conn = std::make_unique<SqliteConnection>(db);
  UCSC_RETURN_IF_ERROR(conn->ExecScript(
      "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; "
      // Reads through a memory map and a larger page cache: no read() system call per page.
      "PRAGMA mmap_size = 1073741824; PRAGMA cache_size = -32768;"));
  return std::unique_ptr<internal::SqlConnection>(std::move(conn));
}

}  // namespace

Result<std::unique_ptr<Store>> OpenSqlite(const std::string& path, int max_connections) {
  if (path.empty() || path == ":memory:") {
    return core::InvalidArgument("SQLite needs a file path (\":memory:\" is not shared)");
  }
  // Open once now so that a bad path fails here, not on the first request.
  UCSC_ASSIGN_OR_RETURN(auto probe, Connect(path));
  probe.reset();
  return std::unique_ptr<Store>(std::make_unique<internal::SqlStore>(
      kDialect, [path] { return Connect(path); }, max_connections));
}

}  // namespace ucsc::store::sqlite
