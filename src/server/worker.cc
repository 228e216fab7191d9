#include "server/worker.h"

#include <cstdio>

#include "core/cron.h"

namespace ucsc::server {

WorkerPool::WorkerPool(store::Store& store, const core::Clock& clock, const core::IdGenerator& ids,
                       WorkerConfig config)
    : store_(store), clock_(clock), ids_(ids), config_(std::move(config)) {}

WorkerPool::~WorkerPool() { Stop(); }

void WorkerPool::Register(const std::string& kind, JobHandler handler) {
  handlers_[kind] = std::move(handler);
}

core::Status WorkerPool::Schedule(const std::string& name, const std::string& cron,
                                  const std::string& kind, const std::string& payload) {
  UCSC_ASSIGN_OR_RETURN(auto schedule, core::CronSchedule::Parse(cron));
  auto next = schedule.NextAfter(clock_.Now());
  if (!next) return core::InvalidArgument("cron expression never fires: " + cron);
  core::Schedule s{name, cron, kind, payload, *next};
  return store_.Write([&](store::Tx& tx) { return tx.Jobs().UpsertSchedule(s); });
}

core::Result<std::string> WorkerPool::Enqueue(const std::string& kind, const std::string& payload,
                                              int max_attempts) {
  core::Job job;
  job.id = ids_.Next();
  job.kind = kind;
  job.payload = payload;
  job.max_attempts = max_attempts;
  job.run_at = job.created_at = clock_.Now();
  UCSC_RETURN_IF_ERROR(store_.Write([&](store::Tx& tx) { return tx.Jobs().Enqueue(job); }));
  return job.id;
}

core::Status WorkerPool::EnqueueDueSchedules() {
  const auto now = clock_.Now();
  return store_.Write([&](store::Tx& tx) -> core::Status {
    UCSC_ASSIGN_OR_RETURN(auto due, tx.Jobs().DueSchedules(now));
    for (const auto& s : due) {
      auto parsed = core::CronSchedule::Parse(s.cron);
      if (!parsed) continue;
      auto next = parsed->NextAfter(now);
      if (!next) continue;
      // Compare-and-set: with several servers on one database only one enqueues the run.
      UCSC_ASSIGN_OR_RETURN(bool won, tx.Jobs().AdvanceSchedule(s.name, s.next_run, *next));
      if (!won) continue;
      core::Job job;
      job.id = ids_.Next();
      job.kind = s.kind;
      job.payload = s.payload;
      job.run_at = job.created_at = now;
      UCSC_RETURN_IF_ERROR(tx.Jobs().Enqueue(job));
    }
    return core::Ok();
  });
}

core::Result<bool> WorkerPool::RunOnce(const std::string& worker) {
  UCSC_RETURN_IF_ERROR(EnqueueDueSchedules());
  std::optional<core::Job> job;
  UCSC_RETURN_IF_ERROR(store_.Write([&](store::Tx& tx) -> core::Status {
    UCSC_ASSIGN_OR_RETURN(job, tx.Jobs().Claim(worker, clock_.Now(), config_.lease));
    return core::Ok();
  }));
  if (!job) return false;
  auto it = handlers_.find(job->kind);
  core::Status result =
      it == handlers_.end()
          ? core::Status(core::InvalidArgument("no handler for job kind " + job->kind))
          : it->second(*job, store_);
  const auto now = clock_.Now();
  UCSC_RETURN_IF_ERROR(store_.Write([&](store::Tx& tx) -> core::Status {
    if (result) return tx.Jobs().Complete(job->id, worker, now);
    return tx.Jobs().Fail(job->id, worker, result.error().ToString(), now,
                          now + config_.retry_delay);
  }));
  return true;
}

void WorkerPool::Start() {
  stop_ = false;
  for (int i = 0; i < config_.threads; ++i) {
    threads_.emplace_back([this, i] {
      const std::string worker = config_.name + "-" + std::to_string(i);
      while (!stop_) {
        auto ran = RunOnce(worker);
        if (ran && *ran) continue;
        // Idle (or the store was busy): wait a little, waking early on Stop().
        for (auto waited = std::chrono::milliseconds(0); waited < config_.idle_poll && !stop_;
             waited += std::chrono::milliseconds(50)) {
          std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
      }
    });
  }
}

void WorkerPool::Stop() {
  stop_ = true;
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

void RegisterBuiltinJobs(WorkerPool& pool, const core::Clock& clock) {
  pool.Register("session_cleanup", [&clock](const core::Job&, store::Store& store) {
    return store.Write([&](store::Tx& tx) -> core::Status {
      UCSC_ASSIGN_OR_RETURN(auto n, tx.Sessions().DeleteExpired(clock.Now()));
      (void)n;
      return core::Ok();
    });
  });
  pool.Register("audit_verify", [](const core::Job&, store::Store& store) {
    return store.Read([&](store::Tx& tx) -> core::Status {
      UCSC_ASSIGN_OR_RETURN(auto report, tx.Audit().Verify());
      if (!report.ok()) {
        return core::Internal("audit chain broken: " + report.problems.front());
      }
      return core::Ok();
    });
  });
}

}  // namespace ucsc::server
