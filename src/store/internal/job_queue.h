// The job queue and cron schedules (tables jobs, schedules): leased claims that are atomic
// across processes, retries, and compare-and-set schedule advances.
// Thread-safety: belongs to its transaction's thread.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "store/internal/sql.h"
#include "store/store.h"

namespace ucsc::store::internal {

class JobQueueImpl final : public JobQueue {
 public:
  JobQueueImpl(SqlConnection& conn, const Dialect& d) : conn_(conn), d_(d) {}
  core::Status Enqueue(const core::Job& j) override;
  core::Result<std::optional<core::Job>> Claim(const std::string& worker, core::Instant now,
                                               std::chrono::milliseconds lease) override;
  core::Status Complete(const std::string& id, const std::string& worker,
                        core::Instant now) override;
  core::Status Fail(const std::string& id, const std::string& worker, const std::string& error,
                    core::Instant now, core::Instant retry_at) override;
  core::Result<core::Job> Get(const std::string& id) override;
  core::Result<std::vector<core::Job>> List(int limit) override;
  core::Status UpsertSchedule(const core::Schedule& s) override;
  core::Result<std::vector<core::Schedule>> DueSchedules(core::Instant now) override;
  core::Result<bool> AdvanceSchedule(const std::string& name, core::Instant expected,
                                     core::Instant next) override;

 private:
  SqlConnection& conn_;
  const Dialect& d_;
};

}  // namespace ucsc::store::internal
