// Tables that capability modules own, and the SQL seam their repositories are written on.
//
// The store's own tables (inventory, users, sessions, audit, jobs, …) come from migrations/. A
// capability module brings its tables as a SchemaPart: its migrations, one SQL text per back end,
// and its tables in backup order. store::Open applies the parts' migrations after the store's
// own (each once, recorded by id in module_migrations), and Dump/Load cover their tables, so a
// module's rows are in every backup without an edit to the store.
//
// A module's repository runs its SQL through Tx::Sql(): named constants beside the repository,
// parameters always bound ($1, $2 … on both back ends), never concatenated.
//
// Thread-safety: SchemaPart is a value. A SqlSession belongs to its transaction's thread.
#pragma once

#include <charconv>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/result.h"

namespace ucsc::store {

using SqlParam = std::variant<std::nullptr_t, int64_t, std::string>;
using SqlRow = std::vector<std::optional<std::string>>;

// A cell of a SqlRow as text ("" when NULL) and as an integer (0 when NULL or not a number).
inline std::string CellText(const std::optional<std::string>& cell) {
  return cell.value_or(std::string());
}
inline int64_t CellInt(const std::optional<std::string>& cell) {
  int64_t v = 0;
  if (cell) std::from_chars(cell->data(), cell->data() + cell->size(), v);
  return v;
}

// One transaction's SQL, for repositories of capability modules.
class SqlSession {
 public:
  virtual ~SqlSession() = default;
  // Runs a statement and returns its rows as text. Errors: kAlreadyExists (unique violation),
  // kFailedPrecondition (foreign key), kUnavailable (busy/connection), kInternal.
  [[nodiscard]] virtual core::Result<std::vector<SqlRow>> Query(
      std::string_view sql, std::span<const SqlParam> params) = 0;
  // Runs a statement; returns the number of rows changed. Errors as Query.
  [[nodiscard]] virtual core::Result<int64_t> Exec(std::string_view sql,
                                                   std::span<const SqlParam> params) = 0;
  // "sqlite" or "postgresql", for the rare statement that must differ.
  virtual std::string_view Backend() const = 0;
};

// A table as the logical backup sees it. The first column orders the dump.
struct TableDef {
  std::string name;
  std::vector<std::string> columns;
};

// One migration of a module: `id` is unique across modules ("vuln/0001_findings") and
// migrations of one part run in the order given.
struct MigrationDef {
  std::string id;
  std::string sqlite_sql;
  std::string pg_sql;
};

struct SchemaPart {
  std::string owner;  // the module's name
  std::vector<MigrationDef> migrations;
  std::vector<TableDef> tables;  // parents before children
};

}  // namespace ucsc::store
