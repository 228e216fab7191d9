// The store core: the connection pool, transactions, module parts and migrations. The
// repositories live one per file beside it; the logical backup is backup.cc.
#include "store/internal/sql_store.h"

#include <set>

#include "store/internal/sql_tx.h"
#include "store/internal/tables.h"

namespace ucsc::store::internal {

using core::Result;
using core::Status;

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
  // Read before the transaction begins: every commit numbered up to here is in its view.
  const uint64_t begin_seq = log_.Seq();
  UCSC_RETURN_IF_ERROR(lease.conn->Begin(write));
  lease.open = true;
  RecordingConnection recording(*lease.conn);
  SqlTx tx(recording, dialect_, &log_, begin_seq);
  Status result = fn(tx);
  if (!result) return result;
  lease.open = false;
  result = lease.conn->Commit();
  if (!result) {
    lease.conn->Rollback();
    return result;
  }
  log_.Committed(recording.written());
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
    log_.Committed({"*"});  // a migration may rewrite any table
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

}  // namespace ucsc::store::internal
