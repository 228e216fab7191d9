// Store: the one persistence interface, split by aggregate (STYLE.md "Interfaces"). SQLite
// (store/sqlite) and PostgreSQL (store/postgres) implement it and pass one conformance suite.
//
// Every request runs in one transaction: Store::Write(fn) commits when fn returns ok and rolls
// back otherwise, so a failed request leaves no partial write.
//
// Thread-safety: Store is thread-safe. A Tx and the repos it hands out belong to the thread
// running the callback and must not escape it.
//
// Example:
//   auto store = store::Open("sqlite:./var/ucsc.db", clock);
//   UCSC_RETURN_IF_ERROR((*store)->Write([&](store::Tx& tx) -> core::Status {
//     return tx.Orgs().Insert(org);
//   }));
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/model.h"
#include "core/result.h"
#include "store/schema.h"

namespace ucsc::store {

// Which organisations' rows a query may see. `all` for province-wide roles.
struct Scope {
  bool all = true;
  std::vector<std::string> org_ids;

  static Scope All() { return Scope{}; }
  static Scope Orgs(std::vector<std::string> ids) { return Scope{false, std::move(ids)}; }
};

// A list request with keyset pagination in Vietnamese name order.
struct ListQuery {
  Scope scope;
  std::string search;  // free text; matched diacritic-insensitively against the name
  std::vector<std::pair<std::string, std::string>> filters;  // column → exact value
  std::string after_key;  // cursor: collation key of the last row seen
  std::string after_id;   // cursor: id of the last row seen
  int limit = 50;
};

template <class T>
struct Page {
  std::vector<T> items;
  bool more = false;  // another page follows; continue after the last item
  std::string last_key;
  std::string last_id;
};

// CRUD on one inventory aggregate. Errors: kNotFound (absent or outside the scope),
// kAlreadyExists (duplicate id), kFailedPrecondition (a referenced row is missing, or the row
// is still referenced), kConflict (stale version), kInvalidArgument (unknown filter).
template <class T>
class EntityRepo {
 public:
  virtual ~EntityRepo() = default;
  [[nodiscard]] virtual core::Result<T> Get(const std::string& id, const Scope& scope) = 0;
  [[nodiscard]] virtual core::Result<Page<T>> List(const ListQuery& query) = 0;
  // As List, but each item is the stored JSON document (the API representation) undecoded:
  // the fast path for list endpoints.
  [[nodiscard]] virtual core::Result<Page<std::string>> ListJson(const ListQuery& query) = 0;
  [[nodiscard]] virtual core::Result<int64_t> Count(const Scope& scope) = 0;
  // Stores `value` with version 1 and its timestamps as given.
  [[nodiscard]] virtual core::Status Insert(const T& value) = 0;
  // Stores `value` if the stored version equals value.version - 1 (the caller bumps it).
  [[nodiscard]] virtual core::Status Update(const T& value) = 0;
  [[nodiscard]] virtual core::Status Delete(const std::string& id, int64_t expected_version) = 0;
  // Names of the columns usable in ListQuery::filters.
  virtual const std::vector<std::string_view>& FilterColumns() const = 0;
};

class UserRepo {
 public:
  virtual ~UserRepo() = default;
  [[nodiscard]] virtual core::Result<core::User> GetById(const std::string& id) = 0;
  [[nodiscard]] virtual core::Result<core::User> GetByUsername(const std::string& username) = 0;
  [[nodiscard]] virtual core::Result<std::vector<core::User>> List(const Scope& scope) = 0;
  [[nodiscard]] virtual core::Status Insert(const core::User& user) = 0;
  // Optimistic like EntityRepo::Update.
  [[nodiscard]] virtual core::Status Update(const core::User& user) = 0;
};

class SessionRepo {
 public:
  virtual ~SessionRepo() = default;
  [[nodiscard]] virtual core::Status Insert(const core::Session& s) = 0;
  [[nodiscard]] virtual core::Result<core::Session> Get(const std::string& token_hash) = 0;
  [[nodiscard]] virtual core::Status Delete(const std::string& token_hash) = 0;
  [[nodiscard]] virtual core::Status DeleteForUser(const std::string& user_id) = 0;
  [[nodiscard]] virtual core::Result<int64_t> DeleteExpired(core::Instant now) = 0;
};

class TokenRepo {
 public:
  virtual ~TokenRepo() = default;
  [[nodiscard]] virtual core::Status Insert(const core::ApiToken& t) = 0;
  [[nodiscard]] virtual core::Result<core::ApiToken> GetByHash(const std::string& token_hash) = 0;
  [[nodiscard]] virtual core::Result<std::vector<core::ApiToken>> ListForUser(
      const std::string& user_id) = 0;
  [[nodiscard]] virtual core::Status Delete(const std::string& id, const std::string& user_id) = 0;
};

struct AuditVerifyReport {
  int64_t records = 0;
  std::string head_hash;              // hash of the last record: anchor it outside the database
  std::vector<std::string> problems;  // empty when the chain is intact
  bool ok() const { return problems.empty(); }
};

// Hash-chained audit log: each record's hash covers its fields and the previous hash.
class AuditLog {
 public:
  virtual ~AuditLog() = default;
  // Appends; fills seq, prev_hash and hash. Serialised against concurrent appends.
  [[nodiscard]] virtual core::Result<core::AuditRecord> Append(core::AuditRecord record) = 0;
  [[nodiscard]] virtual core::Result<std::vector<core::AuditRecord>> List(int64_t after_seq,
                                                                          int limit) = 0;
  // Recomputes the chain; reports edited, deleted or reordered records.
  [[nodiscard]] virtual core::Result<AuditVerifyReport> Verify() = 0;
};

class ChangeRepo {
 public:
  virtual ~ChangeRepo() = default;
  [[nodiscard]] virtual core::Status Append(const core::ChangeEvent& e) = 0;
  [[nodiscard]] virtual core::Result<std::vector<core::ChangeEvent>> ListForSystem(
      const std::string& system_id, int limit) = 0;
};

class JobQueue {
 public:
  virtual ~JobQueue() = default;
  [[nodiscard]] virtual core::Status Enqueue(const core::Job& job) = 0;
  // Claims the oldest runnable job (queued and due, or running with an expired lease) for
  // `worker` until now + lease. Returns nullopt when none. Atomic across processes.
  [[nodiscard]] virtual core::Result<std::optional<core::Job>> Claim(
      const std::string& worker, core::Instant now, std::chrono::milliseconds lease) = 0;
  // Marks a job done. kFailedPrecondition when `worker` no longer holds its lease.
  [[nodiscard]] virtual core::Status Complete(const std::string& id, const std::string& worker,
                                              core::Instant now) = 0;
  // Records a failure: retried at `retry_at` while attempts < max_attempts, else failed.
  [[nodiscard]] virtual core::Status Fail(const std::string& id, const std::string& worker,
                                          const std::string& error, core::Instant now,
                                          core::Instant retry_at) = 0;
  [[nodiscard]] virtual core::Result<core::Job> Get(const std::string& id) = 0;
  [[nodiscard]] virtual core::Result<std::vector<core::Job>> List(int limit) = 0;
  [[nodiscard]] virtual core::Status UpsertSchedule(const core::Schedule& s) = 0;
  [[nodiscard]] virtual core::Result<std::vector<core::Schedule>> DueSchedules(
      core::Instant now) = 0;
  // Moves a schedule's next run from `expected` to `next`; false if another process did.
  [[nodiscard]] virtual core::Result<bool> AdvanceSchedule(const std::string& name,
                                                           core::Instant expected,
                                                           core::Instant next) = 0;
};

// Key columns of one evidence record: what compliance evaluation reads, no document decoded.
struct EvidenceRow {
  std::string id;
  std::string subject_kind;
  std::string subject_id;
  std::string type;
  std::string performed_on;  // YYYY-MM-DD
  std::string review;        // pending, accepted, rejected
};

// One organisation's compliance counts on one day (the trend of the scorecard).
struct ComplianceSnapshot {
  std::string day;  // YYYY-MM-DD local
  std::string org_id;
  int64_t ok = 0;
  int64_t due_soon = 0;
  int64_t overdue = 0;
  int64_t not_applicable = 0;
};

// Set-wise reads for compliance evaluation, daily snapshots and the reminder log.
class ComplianceRepo {
 public:
  virtual ~ComplianceRepo() = default;
  // The key columns of the evidence records an evaluation on or after `since` + 2 years needs:
  // every record dated `since` (YYYY-MM-DD) or later, and of older ones the latest per (subject,
  // type). Rejected records are left out. One query.
  [[nodiscard]] virtual core::Result<std::vector<EvidenceRow>> EvidenceRows(
      const std::string& since) = 0;
  // (system id, time) of every recorded system change, in one query.
  [[nodiscard]] virtual core::Result<std::vector<std::pair<std::string, core::Instant>>>
  SystemChanges() = 0;
  // Inserts or replaces the snapshots (key: day, org_id).
  [[nodiscard]] virtual core::Status PutSnapshots(const std::vector<ComplianceSnapshot>& s) = 0;
  // Snapshots of `org_id` ("" = every organisation) with from <= day <= to, by day.
  [[nodiscard]] virtual core::Result<std::vector<ComplianceSnapshot>> Snapshots(
      const std::string& org_id, const std::string& from, const std::string& to) = 0;
  // Every key of the reminder log.
  [[nodiscard]] virtual core::Result<std::vector<std::string>> ReminderKeys() = 0;
  // Records that the reminder `key` was sent; false when it already was (so a restart never
  // sends it twice). `detail` is kept for the log (JSON text).
  [[nodiscard]] virtual core::Result<bool> RecordReminder(const std::string& key,
                                                          const std::string& detail,
                                                          core::Instant at) = 0;
};

// An in-app notification for one account (issue 4 point 5; the incident workflow will add more
// kinds). read_at is the epoch while unread.
struct Notification {
  std::string id;  // UUID v7: ordering by id is ordering by creation
  std::string user_id;
  std::string org_id;  // the organisation it concerns
  std::string kind;    // "reminder", "urging", ...
  std::string title;
  std::string body;
  std::string link;  // a path in the web UI or API, may be empty
  core::Instant created_at;
  core::Instant read_at;
};

class NotificationRepo {
 public:
  virtual ~NotificationRepo() = default;
  [[nodiscard]] virtual core::Status Add(const Notification& n) = 0;
  // `user_id`'s notifications, newest first, with id < `before_id` when it is not empty.
  [[nodiscard]] virtual core::Result<std::vector<Notification>> List(const std::string& user_id,
                                                                     bool unread_only,
                                                                     const std::string& before_id,
                                                                     int limit) = 0;
  [[nodiscard]] virtual core::Result<int64_t> UnreadCount(const std::string& user_id) = 0;
  // Marks `ids` (all unread ones when empty) of `user_id` read at `at`; ids of other accounts
  // are left alone. Returns how many changed.
  [[nodiscard]] virtual core::Result<int64_t> MarkRead(const std::string& user_id,
                                                       const std::vector<std::string>& ids,
                                                       core::Instant at) = 0;
};

// A scan authorisation, scan run (issue 6 point 2), hunt run (issue 5) or vulnerability finding
// (issue 6 point 5; id = its fingerprint, parent_id = its CVE) or advisory (issue 6 point 6;
// parent_id = its CVE, system_id empty): records of the same shape. The
// store keeps the key columns and the server's JSON document; `version` guards updates.
enum class ScanTable { kAuthorisations, kRuns, kHuntRuns, kFindings, kAdvisories };

struct ScanRecord {
  std::string id;
  std::string org_id;
  std::string system_id;
  std::string parent_id;  // a scan run: its authorisation; otherwise ""
  std::string state;
  int64_t version = 1;
  std::string doc;  // JSON text
  core::Instant created_at;
  core::Instant updated_at;
};

class ScanRepo {
 public:
  virtual ~ScanRepo() = default;
  [[nodiscard]] virtual core::Status Insert(ScanTable table, const ScanRecord& r) = 0;
  // Replaces the row whose version is r.version - 1. kFailedPrecondition when it changed
  // meanwhile, kNotFound when there is none.
  [[nodiscard]] virtual core::Status Update(ScanTable table, const ScanRecord& r) = 0;
  // kNotFound when absent or outside `scope`.
  [[nodiscard]] virtual core::Result<ScanRecord> Get(ScanTable table, const std::string& id,
                                                     const Scope& scope) = 0;
  // By id, descending (newest first for UUID v7 ids), with id < before_id when it is not empty;
  // `system_id` and `state` filter when not empty.
  [[nodiscard]] virtual core::Result<std::vector<ScanRecord>> List(
      ScanTable table, const Scope& scope, const std::string& system_id, const std::string& state,
      const std::string& before_id, int limit) = 0;
};

// One transaction's view of the store.
class Tx {
 public:
  virtual ~Tx() = default;
  virtual EntityRepo<core::Organisation>& Orgs() = 0;
  virtual EntityRepo<core::InformationSystem>& Systems() = 0;
  virtual EntityRepo<core::Asset>& Assets() = 0;
  virtual EntityRepo<core::Contact>& Contacts() = 0;
  virtual EntityRepo<core::IrTeamMember>& Team() = 0;
  virtual EntityRepo<core::Task>& Tasks() = 0;
  virtual EntityRepo<core::Evidence>& Evidence() = 0;
  virtual ComplianceRepo& Compliance() = 0;
  virtual NotificationRepo& Notifications() = 0;
  virtual ScanRepo& Scans() = 0;
  virtual UserRepo& Users() = 0;
  virtual SessionRepo& Sessions() = 0;
  virtual TokenRepo& Tokens() = 0;
  virtual AuditLog& Audit() = 0;
  virtual ChangeRepo& Changes() = 0;
  virtual JobQueue& Jobs() = 0;
  // Every organisation's (id, parent_id) pair, parent empty at a root: the tree that organisation
  // scoping walks. Cheap: no documents are decoded.
  [[nodiscard]] virtual core::Result<std::vector<std::pair<std::string, std::string>>>
  OrgParentLinks() = 0;
  // The transaction's SQL, for the repositories of capability modules (store/schema.h).
  virtual SqlSession& Sql() = 0;
  // A version of the rows of `tables` (names as in the schema) that this transaction sees: equal
  // versions mean equal rows, so data derived from those tables can be cached under it. Empty
  // when the store cannot tell, or when a transaction that wrote one of the tables committed
  // after this one began (this one's view may predate it). Only writes made through this
  // process's Store are seen: a cache must also expire to pick up other processes' writes.
  virtual std::optional<uint64_t> DataVersion(std::span<const std::string_view> tables) {
    (void)tables;
    return std::nullopt;
  }
};

using TxFn = std::function<core::Status(Tx&)>;

class Store {
 public:
  virtual ~Store() = default;
  // Applies the migrations not yet applied, in order, each in its own transaction.
  [[nodiscard]] virtual core::Status Migrate() = 0;
  // Runs `fn` in one read-write transaction: commit on ok, rollback on error.
  [[nodiscard]] virtual core::Status Write(const TxFn& fn) = 0;
  // Runs `fn` in one read-only transaction.
  [[nodiscard]] virtual core::Status Read(const TxFn& fn) = 0;
  // "sqlite" or "postgresql".
  virtual std::string_view Backend() const = 0;
  // Adds the tables of capability modules (store/schema.h): Migrate applies their migrations
  // after the store's own (a Migrate after Attach applies them), Dump and Load cover their
  // tables. REQUIRES: called before the store is shared between threads. Errors: kInvalidArgument
  // for a table or migration id that is already known.
  [[nodiscard]] virtual core::Status Attach(std::vector<SchemaPart> parts) = 0;
  // The tables Dump and Load cover, in dump order: the store's own, then the attached parts'.
  virtual std::vector<std::string> BackedUpTables() const = 0;
  // Logical dump of every table as JSON lines (one {"table":…,"row":{…}} per line), and its
  // inverse into an empty store. Both back ends read each other's dumps.
  [[nodiscard]] virtual core::Status Dump(
      const std::function<core::Status(std::string_view)>& sink) = 0;
  [[nodiscard]] virtual core::Status Load(
      const std::function<core::Result<bool>(std::string&)>& next_line) = 0;
};

// Opens the store named by `url`: "sqlite:PATH" or "postgresql://…" / "postgres://…", with the
// tables of `parts` attached (Store::Attach). REQUIRES: clock outlives the store. Returns
// kInvalidArgument for an unknown scheme or a bad part and kUnavailable when the database cannot
// be opened.
[[nodiscard]] core::Result<std::unique_ptr<Store>> Open(const std::string& url,
                                                        const core::Clock& clock,
                                                        std::vector<SchemaPart> parts = {});

}  // namespace ucsc::store
