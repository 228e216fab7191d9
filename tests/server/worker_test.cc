// The background worker pool: jobs run, fail, are retried and end failed; leases expire; cron
// schedules enqueue exactly one job per due run even with several workers on one database.
#include "server/worker.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "server/api_test_util.h"

namespace ucsc::server::testing {
namespace {

class Worker : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    std::string skip;
    if (!h_.Open(GetParam(), skip, /*with_demo=*/false)) {
      if (!skip.empty()) {
        GTEST_SKIP() << skip;
      }
      FAIL() << "cannot open the store";
    }
  }
  std::unique_ptr<WorkerPool> Pool(const std::string& name) {
    WorkerConfig config;
    config.threads = 1;
    config.name = name;
    return std::make_unique<WorkerPool>(h_.store(), h_.clock(), h_.ids(), config);
  }
  core::Job Job(const std::string& id) {
    core::Job job;
    EXPECT_TRUE(h_.store().Read([&](store::Tx& tx) -> core::Status {
      UCSC_ASSIGN_OR_RETURN(job, tx.Jobs().Get(id));
      return core::Ok();
    }));
    return job;
  }
  std::vector<core::Job> Jobs() {
    std::vector<core::Job> jobs;
    EXPECT_TRUE(h_.store().Read([&](store::Tx& tx) -> core::Status {
      UCSC_ASSIGN_OR_RETURN(jobs, tx.Jobs().List(1000));
      return core::Ok();
    }));
    return jobs;
  }
  bool RunOnce(WorkerPool& pool, const std::string& worker) {
    auto ran = pool.RunOnce(worker);
    EXPECT_TRUE(ran) << ran.error().ToString();
    return ran && *ran;
  }

  ApiHarness h_;
};

TEST_P(Worker, RunOnceRunsARegisteredJob) {
  auto pool = Pool("w");
  std::vector<std::string> payloads;
  pool->Register("echo", [&](const core::Job& job, store::Store&) -> core::Status {
    payloads.push_back(job.payload);
    return core::Ok();
  });
  EXPECT_FALSE(RunOnce(*pool, "w-0"));  // nothing queued
  auto id = pool->Enqueue("echo", R"({"system":"s1"})");
  ASSERT_TRUE(id) << id.error().ToString();
  EXPECT_EQ(Job(*id).state, core::JobState::kQueued);
  EXPECT_TRUE(RunOnce(*pool, "w-0"));
  EXPECT_EQ(payloads, std::vector<std::string>{R"({"system":"s1"})"});
  core::Job done = Job(*id);
  EXPECT_EQ(done.state, core::JobState::kDone);
  EXPECT_EQ(done.attempts, 1);
  EXPECT_EQ(done.worker, "w-0");
  EXPECT_FALSE(RunOnce(*pool, "w-0"));
  EXPECT_EQ(payloads.size(), 1u);
}

TEST_P(Worker, JobsRunOldestFirst) {
  auto pool = Pool("w");
  std::vector<std::string> order;
  pool->Register("echo", [&](const core::Job& job, store::Store&) -> core::Status {
    order.push_back(job.payload);
    return core::Ok();
  });
  for (const char* p : {"1", "2", "3"}) {
    ASSERT_TRUE(pool->Enqueue("echo", p));
    h_.clock().Advance(std::chrono::seconds(1));
  }
  while (RunOnce(*pool, "w-0")) {
  }
  EXPECT_EQ(order, (std::vector<std::string>{"1", "2", "3"}));
}

TEST_P(Worker, FailingJobIsRetriedThenMarkedFailed) {
  WorkerConfig config;
  config.retry_delay = std::chrono::seconds(30);
  WorkerPool pool(h_.store(), h_.clock(), h_.ids(), config);
  int calls = 0;
  pool.Register("flaky", [&](const core::Job&, store::Store&) -> core::Status {
    ++calls;
    return core::MakeError(core::ErrorCode::kUnavailable, "máy quét không trả lời");
  });
  auto id = pool.Enqueue("flaky", "{}", /*max_attempts=*/3);
  ASSERT_TRUE(id);
  EXPECT_TRUE(RunOnce(pool, "w-0"));
  core::Job after1 = Job(*id);
  EXPECT_EQ(after1.state, core::JobState::kQueued);
  EXPECT_EQ(after1.attempts, 1);
  EXPECT_NE(after1.last_error.find("máy quét không trả lời"), std::string::npos)
      << after1.last_error;
  EXPECT_EQ(after1.run_at, h_.clock().Now() + std::chrono::seconds(30));
  // Not before the retry delay.
  EXPECT_FALSE(RunOnce(pool, "w-0"));
  h_.clock().Advance(std::chrono::seconds(30));
  EXPECT_TRUE(RunOnce(pool, "w-0"));
  EXPECT_EQ(Job(*id).attempts, 2);
  EXPECT_EQ(Job(*id).state, core::JobState::kQueued);
  h_.clock().Advance(std::chrono::seconds(30));
  EXPECT_TRUE(RunOnce(pool, "w-0"));
  core::Job failed = Job(*id);
  EXPECT_EQ(failed.state, core::JobState::kFailed);
  EXPECT_EQ(failed.attempts, 3);
  // A failed job stays failed.
  h_.clock().Advance(std::chrono::hours(1));
  EXPECT_FALSE(RunOnce(pool, "w-0"));
  EXPECT_EQ(calls, 3);
}

TEST_P(Worker, JobSucceedingOnRetryIsDone) {
  auto pool = Pool("w");
  int calls = 0;
  pool->Register("once-flaky", [&](const core::Job&, store::Store&) -> core::Status {
    return ++calls == 1 ? core::Status(core::MakeError(core::ErrorCode::kUnavailable, "tạm lỗi"))
                        : core::Ok();
  });
  auto id = pool->Enqueue("once-flaky", "{}");
  ASSERT_TRUE(id);
  EXPECT_TRUE(RunOnce(*pool, "w-0"));
  h_.clock().Advance(std::chrono::minutes(1));
  EXPECT_TRUE(RunOnce(*pool, "w-0"));
  EXPECT_EQ(Job(*id).state, core::JobState::kDone);
  EXPECT_EQ(calls, 2);
}

TEST_P(Worker, JobOfUnknownKindEndsFailed) {
  auto pool = Pool("w");
  auto id = pool->Enqueue("khong-ai-lam", "{}", /*max_attempts=*/1);
  ASSERT_TRUE(id);
  EXPECT_TRUE(RunOnce(*pool, "w-0"));
  core::Job job = Job(*id);
  EXPECT_EQ(job.state, core::JobState::kFailed);
  EXPECT_NE(job.last_error.find("no handler"), std::string::npos) << job.last_error;
}

// A worker that dies holding a job loses it when the lease expires; another worker runs it.
TEST_P(Worker, ExpiredLeaseLetsAnotherWorkerRunTheJob) {
  auto pool = Pool("w");
  int calls = 0;
  pool->Register("scan", [&](const core::Job&, store::Store&) -> core::Status {
    ++calls;
    return core::Ok();
  });
  auto id = pool->Enqueue("scan", "{}");
  ASSERT_TRUE(id);
  ASSERT_TRUE(h_.store().Write([&](store::Tx& tx) -> core::Status {
    UCSC_ASSIGN_OR_RETURN(auto claimed,
                          tx.Jobs().Claim("dead", h_.clock().Now(), std::chrono::minutes(5)));
    EXPECT_TRUE(claimed.has_value());
    return core::Ok();
  }));
  EXPECT_FALSE(RunOnce(*pool, "w-1"));  // still leased
  h_.clock().Advance(std::chrono::minutes(5) + std::chrono::seconds(1));
  EXPECT_TRUE(RunOnce(*pool, "w-1"));
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(Job(*id).state, core::JobState::kDone);
  EXPECT_EQ(Job(*id).worker, "w-1");
  // The dead worker's late completion is refused.
  auto late = h_.store().Write(
      [&](store::Tx& tx) { return tx.Jobs().Complete(*id, "dead", h_.clock().Now()); });
  EXPECT_FALSE(late);
}

// T0 is 10:00 Vietnam time; the next 02:00 Vietnam time (19:00 UTC) is 16 hours later.
TEST_P(Worker, DueScheduleEnqueuesExactlyOneJobForTwoWorkers) {
  auto a = Pool("a");
  auto b = Pool("b");
  std::atomic<int> runs{0};
  for (auto* pool : {a.get(), b.get()}) {
    pool->Register("nightly", [&](const core::Job&, store::Store&) -> core::Status {
      ++runs;
      return core::Ok();
    });
  }
  ASSERT_TRUE(a->Schedule("kiem-tra-dem", "0 2 * * *", "nightly", "{}"));
  ASSERT_TRUE(b->Schedule("kiem-tra-dem", "0 2 * * *", "nightly", "{}"));  // idempotent
  EXPECT_FALSE(RunOnce(*a, "a-0"));
  EXPECT_FALSE(RunOnce(*b, "b-0"));
  h_.clock().Advance(std::chrono::hours(16) - std::chrono::minutes(1));  // 01:59
  EXPECT_FALSE(RunOnce(*a, "a-0"));
  EXPECT_FALSE(RunOnce(*b, "b-0"));
  EXPECT_TRUE(Jobs().empty());

  h_.clock().Advance(std::chrono::minutes(2));  // 02:01: due
  const bool ran_a = RunOnce(*a, "a-0");
  const bool ran_b = RunOnce(*b, "b-0");
  EXPECT_NE(ran_a, ran_b) << "exactly one of the two workers runs the job";
  EXPECT_EQ(runs.load(), 1);
  auto jobs = Jobs();
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs[0].kind, "nightly");
  EXPECT_FALSE(RunOnce(*a, "a-0"));
  EXPECT_FALSE(RunOnce(*b, "b-0"));

  // The next night, one more.
  h_.clock().Advance(std::chrono::hours(24));
  RunOnce(*b, "b-0");
  RunOnce(*a, "a-0");
  EXPECT_EQ(Jobs().size(), 2u);
  EXPECT_EQ(runs.load(), 2);
}

// The same, with the two workers racing on two threads.
TEST_P(Worker, DueScheduleEnqueuesExactlyOneJobForTwoConcurrentWorkers) {
  auto a = Pool("a");
  auto b = Pool("b");
  std::atomic<int> runs{0};
  for (auto* pool : {a.get(), b.get()}) {
    pool->Register("nightly", [&](const core::Job&, store::Store&) -> core::Status {
      ++runs;
      return core::Ok();
    });
  }
  ASSERT_TRUE(a->Schedule("kiem-tra-dem", "0 2 * * *", "nightly", "{}"));
  for (int night = 1; night <= 5; ++night) {
    h_.clock().Advance(std::chrono::hours(24));
    std::mutex mu;
    std::vector<std::string> errors;
    auto work = [&](WorkerPool& pool, const std::string& name) {
      for (int i = 0; i < 3; ++i) {
        auto ran = pool.RunOnce(name);
        if (!ran) {
          std::lock_guard lock(mu);
          errors.push_back(ran.error().ToString());
        }
      }
    };
    std::thread ta(work, std::ref(*a), "a-0");
    std::thread tb(work, std::ref(*b), "b-0");
    ta.join();
    tb.join();
    // A busy store may refuse a pass; it must never enqueue twice or lose the run.
    for (const auto& e : errors) ADD_FAILURE() << e;
    EXPECT_EQ(Jobs().size(), static_cast<size_t>(night));
    EXPECT_EQ(runs.load(), night);
  }
}

TEST_P(Worker, BuiltinSessionCleanupRemovesExpiredSessions) {
  auto pool = Pool("w");
  RegisterBuiltinJobs(*pool, h_.clock());
  const core::Session live{"h-live", "", "c", h_.clock().Now(),
                           h_.clock().Now() + std::chrono::hours(8)};
  const core::Session dead{"h-dead", "", "c", h_.clock().Now() - std::chrono::hours(9),
                           h_.clock().Now() - std::chrono::hours(1)};
  // Sessions belong to a user.
  core::User u;
  u.id = h_.ids().Next();
  u.username = "nguoi.dung";
  u.role = core::Role::kAdmin;
  u.version = 1;
  core::Organisation o;
  o.id = h_.ids().Next();
  o.name = "Đơn vị";
  o.version = 1;
  u.org_id = o.id;
  ASSERT_TRUE(h_.store().Write([&](store::Tx& tx) -> core::Status {
    UCSC_RETURN_IF_ERROR(tx.Orgs().Insert(o));
    UCSC_RETURN_IF_ERROR(tx.Users().Insert(u));
    for (core::Session s : {live, dead}) {
      s.user_id = u.id;
      UCSC_RETURN_IF_ERROR(tx.Sessions().Insert(s));
    }
    return core::Ok();
  }));
  auto id = pool->Enqueue("session_cleanup", "{}");
  ASSERT_TRUE(id);
  EXPECT_TRUE(RunOnce(*pool, "w-0"));
  EXPECT_EQ(Job(*id).state, core::JobState::kDone);
  ASSERT_TRUE(h_.store().Read([&](store::Tx& tx) -> core::Status {
    EXPECT_TRUE(tx.Sessions().Get("h-live"));
    EXPECT_FALSE(tx.Sessions().Get("h-dead"));
    return core::Ok();
  }));
  auto verify = pool->Enqueue("audit_verify", "{}");
  ASSERT_TRUE(verify);
  EXPECT_TRUE(RunOnce(*pool, "w-0"));
  EXPECT_EQ(Job(*verify).state, core::JobState::kDone);
}

INSTANTIATE_TEST_SUITE_P(Backends, Worker, ::testing::ValuesIn(Backends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace ucsc::server::testing
