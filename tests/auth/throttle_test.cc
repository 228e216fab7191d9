#include "auth/throttle.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace ucsc::auth {
namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

constexpr int64_t kStartMs = 1'700'000'000'000;

bool Allowed(const LoginThrottle& throttle, std::string_view user, std::string_view ip) {
  return throttle.Check(user, ip).has_value();
}

TEST(LoginThrottle, AllowsUntilUserLimitThenLocks) {
  core::FakeClock clock(core::FromUnixMillis(kStartMs));
  LoginThrottle throttle(clock);
  for (int attempt = 0; attempt < 4; ++attempt) {
    throttle.RecordFailure("alice", "1.2.3.4");
    EXPECT_TRUE(Allowed(throttle, "alice", "1.2.3.4")) << attempt;
  }
  throttle.RecordFailure("alice", "1.2.3.4");
  auto status = throttle.Check("alice", "1.2.3.4");
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().code, core::ErrorCode::kResourceExhausted);
  EXPECT_NE(status.error().message.find("this account"), std::string::npos);
  // 2023-11-14T22:13:20Z + 15 min.
  EXPECT_NE(status.error().message.find("2023-11-14T22:28:20.000Z"), std::string::npos)
      << status.error().message;
  EXPECT_EQ(throttle.RetryAfter("alice", "1.2.3.4"), minutes(15));
  // The user is locked from any IP; other users from the same IP are not.
  EXPECT_FALSE(Allowed(throttle, "alice", "9.9.9.9"));
  EXPECT_FALSE(Allowed(throttle, "alice", ""));
  EXPECT_TRUE(Allowed(throttle, "bob", "1.2.3.4"));
}

TEST(LoginThrottle, UnlocksExactlyWhenLockEnds) {
  core::FakeClock clock(core::FromUnixMillis(kStartMs));
  LoginThrottle throttle(clock);
  for (int attempt = 0; attempt < 5; ++attempt) throttle.RecordFailure("alice", "1.2.3.4");
  ASSERT_FALSE(Allowed(throttle, "alice", "1.2.3.4"));

  clock.Advance(minutes(15) - milliseconds(1));
  EXPECT_FALSE(Allowed(throttle, "alice", "1.2.3.4"));
  EXPECT_EQ(throttle.RetryAfter("alice", "1.2.3.4"), seconds(1));  // 1 ms rounds up

  clock.Advance(milliseconds(1));
  EXPECT_TRUE(Allowed(throttle, "alice", "1.2.3.4"));
  EXPECT_EQ(throttle.RetryAfter("alice", "1.2.3.4"), seconds(0));

  clock.Advance(milliseconds(1));
  EXPECT_TRUE(Allowed(throttle, "alice", "1.2.3.4"));
}

TEST(LoginThrottle, FreshBudgetAfterLockEnds) {
  core::FakeClock clock(core::FromUnixMillis(kStartMs));
  LoginThrottle throttle(clock);
  for (int attempt = 0; attempt < 5; ++attempt) throttle.RecordFailure("alice", "");
  clock.Advance(minutes(15));
  ASSERT_TRUE(Allowed(throttle, "alice", ""));
  throttle.RecordFailure("alice", "");
  EXPECT_TRUE(Allowed(throttle, "alice", ""));
}

TEST(LoginThrottle, FailuresWhileLockedDoNotExtendIt) {
  core::FakeClock clock(core::FromUnixMillis(kStartMs));
  LoginThrottle throttle(clock);
  for (int attempt = 0; attempt < 5; ++attempt) throttle.RecordFailure("alice", "");
  clock.Advance(minutes(10));
  for (int attempt = 0; attempt < 10; ++attempt) throttle.RecordFailure("alice", "");
  EXPECT_EQ(throttle.RetryAfter("alice", ""), minutes(5));
  clock.Advance(minutes(5));
  EXPECT_TRUE(Allowed(throttle, "alice", ""));
}

TEST(LoginThrottle, OldUserFailuresAreForgotten) {
  core::FakeClock clock(core::FromUnixMillis(kStartMs));
  LoginThrottle throttle(clock);
  for (int attempt = 0; attempt < 4; ++attempt) throttle.RecordFailure("alice", "");
  clock.Advance(minutes(15));
  throttle.RecordFailure("alice", "");
  EXPECT_TRUE(Allowed(throttle, "alice", ""));
}

TEST(LoginThrottle, SuccessResetsUserButNotIp) {
  core::FakeClock clock(core::FromUnixMillis(kStartMs));
  LoginThrottle::Config config;
  config.max_failures_per_ip = 6;
  LoginThrottle throttle(clock, config);
  for (int attempt = 0; attempt < 4; ++attempt) throttle.RecordFailure("alice", "1.2.3.4");
  throttle.RecordSuccess("alice", "1.2.3.4");
  // The user's counter starts again: four more failures do not lock alice...
  for (int attempt = 0; attempt < 4; ++attempt) throttle.RecordFailure("alice", "");
  EXPECT_TRUE(Allowed(throttle, "alice", ""));
  throttle.RecordFailure("alice", "");
  EXPECT_FALSE(Allowed(throttle, "alice", ""));
  // ...but the IP still remembers its four failures: two more lock it.
  throttle.RecordFailure("mallory", "1.2.3.4");
  EXPECT_TRUE(Allowed(throttle, "", "1.2.3.4"));
  throttle.RecordFailure("mallory", "1.2.3.4");
  EXPECT_FALSE(Allowed(throttle, "", "1.2.3.4"));
}

TEST(LoginThrottle, SuccessClearsUserLock) {
  core::FakeClock clock(core::FromUnixMillis(kStartMs));
  LoginThrottle throttle(clock);
  for (int attempt = 0; attempt < 5; ++attempt) throttle.RecordFailure("alice", "");
  ASSERT_FALSE(Allowed(throttle, "alice", ""));
  throttle.RecordSuccess("alice", "");
  EXPECT_TRUE(Allowed(throttle, "alice", ""));
}

TEST(LoginThrottle, IpLockIndependentOfUser) {
  core::FakeClock clock(core::FromUnixMillis(kStartMs));
  LoginThrottle throttle(clock);
  // Password spraying: one failure each for many users from one IP.
  for (int user_idx = 0; user_idx < 19; ++user_idx) {
    throttle.RecordFailure("user" + std::to_string(user_idx), "6.6.6.6");
  }
  EXPECT_TRUE(Allowed(throttle, "victim", "6.6.6.6"));
  throttle.RecordFailure("user19", "6.6.6.6");
  auto status = throttle.Check("victim", "6.6.6.6");
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().code, core::ErrorCode::kResourceExhausted);
  EXPECT_NE(status.error().message.find("this address"), std::string::npos);
  // None of the users is locked, and the same user from another IP is fine.
  EXPECT_TRUE(Allowed(throttle, "user0", "7.7.7.7"));
  EXPECT_TRUE(Allowed(throttle, "victim", "7.7.7.7"));
  EXPECT_EQ(throttle.RetryAfter("victim", "6.6.6.6"), minutes(15));

  clock.Advance(minutes(15) - milliseconds(1));
  EXPECT_FALSE(Allowed(throttle, "victim", "6.6.6.6"));
  clock.Advance(milliseconds(1));
  EXPECT_TRUE(Allowed(throttle, "victim", "6.6.6.6"));
}

TEST(LoginThrottle, IpWindowForgetsOldFailures) {
  core::FakeClock clock(core::FromUnixMillis(kStartMs));
  LoginThrottle throttle(clock);
  for (int attempt = 0; attempt < 19; ++attempt) throttle.RecordFailure("", "6.6.6.6");
  clock.Advance(minutes(15));
  throttle.RecordFailure("", "6.6.6.6");
  EXPECT_TRUE(Allowed(throttle, "", "6.6.6.6"));
}

TEST(LoginThrottle, RetryAfterIsTheLongerLock) {
  core::FakeClock clock(core::FromUnixMillis(kStartMs));
  LoginThrottle::Config config;
  config.max_failures_per_ip = 5;
  config.ip_lock = minutes(60);
  LoginThrottle throttle(clock, config);
  for (int attempt = 0; attempt < 5; ++attempt) throttle.RecordFailure("alice", "1.2.3.4");
  EXPECT_EQ(throttle.RetryAfter("alice", "1.2.3.4"), minutes(60));
  EXPECT_EQ(throttle.RetryAfter("alice", ""), minutes(15));
  EXPECT_EQ(throttle.RetryAfter("bob", "5.5.5.5"), seconds(0));
}

TEST(LoginThrottle, MemoryIsBoundedAndExpiredEvictedFirst) {
  core::FakeClock clock(core::FromUnixMillis(kStartMs));
  LoginThrottle::Config config;
  config.max_keys = 100;
  config.max_failures_per_user = 1;  // every failure locks the user
  LoginThrottle throttle(clock, config);
  throttle.RecordFailure("locked", "");
  ASSERT_FALSE(Allowed(throttle, "locked", ""));
  clock.Advance(minutes(1));
  for (int ip_idx = 0; ip_idx < 1000; ++ip_idx) {
    throttle.RecordFailure("", "10.0.0." + std::to_string(ip_idx));
    EXPECT_LE(throttle.TrackedKeys(), 100u);
  }
  // Unlocked IP entries were evicted before the live lock.
  EXPECT_FALSE(Allowed(throttle, "locked", ""));

  // Once the windows and the lock have passed, every old entry is expired: when the map fills up
  // again they are all dropped together, leaving only the new keys.
  clock.Advance(minutes(15));
  for (int ip_idx = 0; ip_idx < 20; ++ip_idx) {
    throttle.RecordFailure("", "192.168.0." + std::to_string(ip_idx));
  }
  EXPECT_EQ(throttle.TrackedKeys(), 20u);
}

TEST(LoginThrottle, ConcurrentFailuresAreAllCounted) {
  core::FakeClock clock(core::FromUnixMillis(kStartMs));
  LoginThrottle::Config config;
  config.max_failures_per_ip = 400;
  LoginThrottle throttle(clock, config);
  std::vector<std::thread> threads;
  for (int thread_idx = 0; thread_idx < 4; ++thread_idx) {
    threads.emplace_back([&throttle, thread_idx] {
      for (int attempt = 0; attempt < 100; ++attempt) {
        throttle.RecordFailure("user" + std::to_string(thread_idx), "8.8.8.8");
        (void)throttle.Check("user0", "8.8.8.8");
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_FALSE(Allowed(throttle, "", "8.8.8.8"));  // exactly 400 failures reached
}

}  // namespace
}  // namespace ucsc::auth
