// The seam between the portable repositories and the two SQL back ends. SQL text uses $1, $2 …
// placeholders; the SQLite connection rewrites them to ?1, ?2. Parameters are always bound.
// Thread-safety: a SqlConnection is used by one thread at a time (the pool hands it out).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/result.h"
#include "store/schema.h"

namespace ucsc::store::internal {

using store::SqlParam;
using store::SqlRow;

class SqlConnection {
 public:
  virtual ~SqlConnection() = default;
  // Runs a statement and returns its rows as text. Errors: kAlreadyExists (unique
  // violation), kFailedPrecondition (foreign key), kUnavailable (busy/connection), kInternal.
  [[nodiscard]] virtual core::Result<std::vector<SqlRow>> Query(
      std::string_view sql, std::span<const SqlParam> params) = 0;
  // Runs a statement; returns the number of rows changed.
  [[nodiscard]] virtual core::Result<int64_t> Exec(std::string_view sql,
                                                   std::span<const SqlParam> params) = 0;
  // Runs several statements without parameters (migrations).
  [[nodiscard]] virtual core::Status ExecScript(std::string_view sql) = 0;
  [[nodiscard]] virtual core::Status Begin(bool write) = 0;
  [[nodiscard]] virtual core::Status Commit() = 0;
  virtual void Rollback() = 0;
  // False once the connection is known broken; the pool then drops it.
  virtual bool Healthy() const = 0;
};

// What differs between the back ends beyond the connection itself.
struct Dialect {
  std::string_view name;
  // SQL fragment testing `column` against the JSON array of strings bound at $`param`.
  std::string (*in_json_list)(std::string_view column, int param);
  // Appended to the job-claim SELECT (FOR UPDATE SKIP LOCKED on PostgreSQL).
  std::string_view claim_suffix;
  // Statement run before reading the audit tail, serialising appends (empty on SQLite, where
  // the write transaction already does).
  std::string_view audit_lock;
  // Suffix of this back end's migration files: ".sqlite.sql" or ".pg.sql".
  std::string_view migration_suffix;
};

using ConnectionFactory = std::function<core::Result<std::unique_ptr<SqlConnection>>()>;

}  // namespace ucsc::store::internal
