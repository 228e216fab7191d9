#include "store/internal/job_queue.h"

#include <algorithm>

namespace ucsc::store::internal {
namespace {

constexpr std::string_view kInsertJob =
    "INSERT INTO jobs (id, kind, payload, state, attempts, max_attempts, run_at, lease_until, "
    "worker, last_error, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
    "$10, $11, $12)";
// Followed by the dialect's claim suffix (FOR UPDATE SKIP LOCKED on PostgreSQL).
constexpr std::string_view kSelectClaimable =
    "SELECT id, state, attempts, max_attempts FROM jobs WHERE (state = 'queued' AND run_at <= $1) "
    "OR (state = 'running' AND lease_until < $1) ORDER BY run_at, id LIMIT 1";
constexpr std::string_view kFailLostLease =
    "UPDATE jobs SET state = 'failed', worker = '', last_error = 'worker lost its lease on the "
    "last attempt', updated_at = $1 WHERE id = $2";
constexpr std::string_view kClaimJob =
    "UPDATE jobs SET state = 'running', attempts = attempts + 1, lease_until = $1, worker = $2, "
    "updated_at = $3 WHERE id = $4";
constexpr std::string_view kCompleteJob =
    "UPDATE jobs SET state = 'done', updated_at = $1 WHERE id = $2 AND worker = $3 AND state = "
    "'running'";
constexpr std::string_view kFailJob =
    "UPDATE jobs SET state = CASE WHEN attempts >= max_attempts THEN 'failed' ELSE 'queued' END, "
    "run_at = $1, last_error = $2, updated_at = $3, worker = '', lease_until = 0 WHERE id = $4 "
    "AND worker = $5 AND state = 'running'";
constexpr std::string_view kSelectJobs =
    "SELECT id, kind, payload, state, attempts, max_attempts, run_at, lease_until, worker, "
    "last_error, created_at, updated_at FROM jobs";
constexpr std::string_view kUpsertSchedule =
    "INSERT INTO schedules (name, cron, kind, payload, next_run) VALUES ($1, $2, $3, $4, $5) ON "
    "CONFLICT (name) DO UPDATE SET cron = excluded.cron, kind = excluded.kind, payload = "
    "excluded.payload, next_run = CASE WHEN schedules.cron = excluded.cron THEN "
    "schedules.next_run ELSE excluded.next_run END";
constexpr std::string_view kSelectDueSchedules =
    "SELECT name, cron, kind, payload, next_run FROM schedules WHERE next_run <= $1 ORDER BY name";
constexpr std::string_view kAdvanceSchedule =
    "UPDATE schedules SET next_run = $1 WHERE name = $2 AND next_run = $3";

core::Job JobFromRow(const SqlRow& r) {
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

core::Status NotHeld(const std::string& id, const std::string& worker) {
  return core::MakeError(core::ErrorCode::kFailedPrecondition,
                         "job " + id + " is not held by " + worker);
}

}  // namespace

core::Status JobQueueImpl::Enqueue(const core::Job& j) {
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
  UCSC_ASSIGN_OR_RETURN(auto n, conn_.Exec(kInsertJob, params));
  (void)n;
  return core::Ok();
}

core::Result<std::optional<core::Job>> JobQueueImpl::Claim(const std::string& worker,
                                                           core::Instant now,
                                                           std::chrono::milliseconds lease) {
  const int64_t now_ms = core::ToUnixMillis(now);
  const std::string select = std::string(kSelectClaimable) + std::string(d_.claim_suffix);
  for (int round = 0; round < 100; ++round) {
    std::vector<SqlParam> params{now_ms};
    UCSC_ASSIGN_OR_RETURN(auto rows, conn_.Query(select, params));
    if (rows.empty()) return std::optional<core::Job>();
    std::string id = CellText(rows[0][0]);
    if (CellText(rows[0][1]) == "running" && CellInt(rows[0][2]) >= CellInt(rows[0][3])) {
      std::vector<SqlParam> p{now_ms, id};
      UCSC_ASSIGN_OR_RETURN(auto n, conn_.Exec(kFailLostLease, p));
      (void)n;
      continue;
    }
    std::vector<SqlParam> p{now_ms + lease.count(), worker, now_ms, id};
    UCSC_ASSIGN_OR_RETURN(auto n, conn_.Exec(kClaimJob, p));
    (void)n;
    UCSC_ASSIGN_OR_RETURN(auto job, Get(id));
    return std::optional<core::Job>(std::move(job));
  }
  return std::optional<core::Job>();
}

core::Status JobQueueImpl::Complete(const std::string& id, const std::string& worker,
                                    core::Instant now) {
  std::vector<SqlParam> p{core::ToUnixMillis(now), id, worker};
  UCSC_ASSIGN_OR_RETURN(auto n, conn_.Exec(kCompleteJob, p));
  if (n == 0) return NotHeld(id, worker);
  return core::Ok();
}

core::Status JobQueueImpl::Fail(const std::string& id, const std::string& worker,
                                const std::string& error, core::Instant now,
                                core::Instant retry_at) {
  std::vector<SqlParam> p{core::ToUnixMillis(retry_at), error.substr(0, 2000),
                          core::ToUnixMillis(now), id, worker};
  UCSC_ASSIGN_OR_RETURN(auto n, conn_.Exec(kFailJob, p));
  if (n == 0) return NotHeld(id, worker);
  return core::Ok();
}

core::Result<core::Job> JobQueueImpl::Get(const std::string& id) {
  std::vector<SqlParam> p{id};
  UCSC_ASSIGN_OR_RETURN(auto rows, conn_.Query(std::string(kSelectJobs) + " WHERE id = $1", p));
  if (rows.empty()) return core::NotFound("job not found");
  return JobFromRow(rows[0]);
}

core::Result<std::vector<core::Job>> JobQueueImpl::List(int limit) {
  std::vector<SqlParam> p{int64_t{std::clamp(limit, 1, 1000)}};
  UCSC_ASSIGN_OR_RETURN(
      auto rows, conn_.Query(std::string(kSelectJobs) + " ORDER BY created_at DESC LIMIT $1", p));
  std::vector<core::Job> out;
  for (const auto& r : rows) out.push_back(JobFromRow(r));
  return out;
}

core::Status JobQueueImpl::UpsertSchedule(const core::Schedule& s) {
  std::vector<SqlParam> p{s.name, s.cron, s.kind, s.payload, core::ToUnixMillis(s.next_run)};
  UCSC_ASSIGN_OR_RETURN(auto n, conn_.Exec(kUpsertSchedule, p));
  (void)n;
  return core::Ok();
}

core::Result<std::vector<core::Schedule>> JobQueueImpl::DueSchedules(core::Instant now) {
  std::vector<SqlParam> p{core::ToUnixMillis(now)};
  UCSC_ASSIGN_OR_RETURN(auto rows, conn_.Query(kSelectDueSchedules, p));
  std::vector<core::Schedule> out;
  for (const auto& r : rows) {
    out.push_back(core::Schedule{CellText(r[0]), CellText(r[1]), CellText(r[2]), CellText(r[3]),
                                 core::FromUnixMillis(CellInt(r[4]))});
  }
  return out;
}

core::Result<bool> JobQueueImpl::AdvanceSchedule(const std::string& name, core::Instant expected,
                                                 core::Instant next) {
  std::vector<SqlParam> p{core::ToUnixMillis(next), name, core::ToUnixMillis(expected)};
  UCSC_ASSIGN_OR_RETURN(auto n, conn_.Exec(kAdvanceSchedule, p));
  return n == 1;
}

}  // namespace ucsc::store::internal
