// Which tables this process's committed transactions wrote, as generations: the cheap "has
// anything I read changed?" test behind Tx::DataVersion (caches of derived data, such as the
// compliance evaluation, key on it).
//
// Every statement run in a transaction passes through a RecordingConnection, which notes the
// table an INSERT / UPDATE / DELETE names; when the transaction commits, WriteLog::Committed
// gives each of those tables the next sequence number. A statement whose target cannot be told
// (a CTE, a script) is recorded as "*", which every table set includes: an unknown write can
// only make a cache miss, never serve stale data.
//
// Thread-safety: WriteLog is thread-safe; a RecordingConnection belongs to its transaction.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <span>
#include <string>
#include <string_view>

#include "store/internal/sql.h"

namespace ucsc::store::internal {

// The table a statement writes: "" for a read (SELECT, PRAGMA, LOCK …), the lower-case table
// name for INSERT [OR …] INTO t / REPLACE INTO t / UPDATE [OR …] t / DELETE FROM t, "*" when it
// cannot tell.
std::string WrittenTable(std::string_view sql);

class WriteLog {
 public:
  // The number of the last committed write transaction (0 before any).
  uint64_t Seq() const { return seq_.load(std::memory_order_acquire); }
  // Records a committed transaction that wrote `tables` (no-op when empty).
  void Committed(const std::set<std::string, std::less<>>& tables);
  // The sequence number of the last commit that wrote any of `tables` (or "*").
  uint64_t LastWrite(std::span<const std::string_view> tables) const;

 private:
  mutable std::mutex mu_;
  std::atomic<uint64_t> seq_{0};
  std::map<std::string, uint64_t, std::less<>> last_;  // GUARDED_BY(mu_)
};

// Forwards every call to `inner` and notes the tables written.
class RecordingConnection final : public SqlConnection {
 public:
  explicit RecordingConnection(SqlConnection& inner) : inner_(inner) {}
  core::Result<std::vector<SqlRow>> Query(std::string_view sql,
                                          std::span<const SqlParam> params) override;
  core::Result<int64_t> Exec(std::string_view sql, std::span<const SqlParam> params) override;
  core::Status ExecScript(std::string_view sql) override;
  core::Status Begin(bool write) override { return inner_.Begin(write); }
  core::Status Commit() override { return inner_.Commit(); }
  void Rollback() override { inner_.Rollback(); }
  bool Healthy() const override { return inner_.Healthy(); }

  const std::set<std::string, std::less<>>& written() const { return written_; }

 private:
  void Note(std::string_view sql);

  SqlConnection& inner_;
  std::set<std::string, std::less<>> written_;
};

}  // namespace ucsc::store::internal
