// Background work: a pool of threads claiming jobs from the store's queue (a job whose worker
// dies is claimed again once its lease expires), and a scheduler that enqueues cron jobs.
// Thread-safety: Register before Start; Start/Stop from one thread.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/ids.h"
#include "store/store.h"

namespace ucsc::server {

using JobHandler = std::function<core::Status(const core::Job&, store::Store&)>;

struct WorkerConfig {
  int threads = 2;
  std::chrono::milliseconds lease{std::chrono::minutes(5)};
  std::chrono::milliseconds idle_poll{std::chrono::seconds(1)};
  std::chrono::milliseconds retry_delay{std::chrono::seconds(30)};
  std::string name = "worker";
};

class WorkerPool {
 public:
  // REQUIRES: store, clock and ids outlive the pool.
  WorkerPool(store::Store& store, const core::Clock& clock, const core::IdGenerator& ids,
             WorkerConfig config);
  ~WorkerPool();

  void Register(const std::string& kind, JobHandler handler);
  // Adds or updates a cron schedule (Vietnam time) that enqueues a job of `kind`.
  [[nodiscard]] core::Status Schedule(const std::string& name, const std::string& cron,
                                      const std::string& kind, const std::string& payload);
  // Enqueues a job now.
  [[nodiscard]] core::Result<std::string> Enqueue(const std::string& kind,
                                                  const std::string& payload, int max_attempts = 3);
  // Runs one scheduler pass and claims/runs at most one job as `worker`. Returns whether a job
  // ran. Used by tests and by the threads.
  [[nodiscard]] core::Result<bool> RunOnce(const std::string& worker);
  void Start();
  void Stop();

 private:
  core::Status EnqueueDueSchedules();

  store::Store& store_;
  const core::Clock& clock_;
  const core::IdGenerator& ids_;
  WorkerConfig config_;
  std::map<std::string, JobHandler> handlers_;
  std::atomic<bool> stop_{false};
  std::vector<std::thread> threads_;
};

// The jobs every server runs: expired-session cleanup (hourly) and a nightly audit-chain check.
void RegisterBuiltinJobs(WorkerPool& pool, const core::Clock& clock);

}  // namespace ucsc::server
