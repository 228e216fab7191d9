// The portable Store: repositories written once over SqlConnection + Dialect; the SQLite and
// PostgreSQL back ends supply only connections, a dialect and their migration files.
// Thread-safety: SqlStore is thread-safe (a connection pool guarded by a mutex).
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/internal/sql.h"
#include "store/internal/write_log.h"
#include "store/store.h"

namespace ucsc::store::internal {

// Migration files compiled into the binary (generated from migrations/ at build time).
struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
};
const std::vector<Migration>& EmbeddedMigrations(std::string_view suffix);

class SqlStore : public Store {
 public:
  // REQUIRES: `dialect` has static storage duration. `max_connections` ≥ 1.
  SqlStore(const Dialect& dialect, ConnectionFactory factory, int max_connections);
  ~SqlStore() override;

  core::Status Migrate() override;
  core::Status Write(const TxFn& fn) override;
  core::Status Read(const TxFn& fn) override;
  std::string_view Backend() const override { return dialect_.name; }
  core::Status Attach(std::vector<SchemaPart> parts) override;
  std::vector<std::string> BackedUpTables() const override;
  core::Status Dump(const std::function<core::Status(std::string_view)>& sink) override;
  core::Status Load(const std::function<core::Result<bool>(std::string&)>& next_line) override;

 private:
  core::Result<std::unique_ptr<SqlConnection>> Acquire();
  void Release(std::unique_ptr<SqlConnection> conn);
  core::Status Run(bool write, const TxFn& fn);
  // The store's own tables, then those of the attached parts, in dump order.
  std::vector<const TableDef*> AllTables() const;

  const Dialect& dialect_;
  ConnectionFactory factory_;
  const int max_connections_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<SqlConnection>> idle_;  // GUARDED_BY(mu_)
  int open_ = 0;                                      // GUARDED_BY(mu_)
  std::vector<SchemaPart> parts_;                     // set before Migrate (Attach's REQUIRES)
  WriteLog log_;                                      // Tx::DataVersion
};

}  // namespace ucsc::store::internal
