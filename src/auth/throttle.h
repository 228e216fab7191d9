// Brute-force protection for logins: counts failed attempts per user name and per client IP and
// locks a key for a while once it has too many. Keys are "user:<name>" and "ip:<address>"; the
// two dimensions are independent, so a locked IP does not lock the user everywhere and a user
// attacked from many IPs is still locked.
//
// Time comes only from the injected `const core::Clock&`. State is in memory, per process.
// Memory is bounded by Config::max_keys: when the map is full, expired entries are dropped first,
// then the least recently failing unlocked entries, and only then the locks that end soonest.
//
// Thread-safety: LoginThrottle is thread-safe (one internal mutex, a wrapped std::mutex).
//
// Example:
//   LoginThrottle throttle(clock);                      // clock outlives throttle
//   UCSC_RETURN_IF_ERROR(throttle.Check(user, ip));      // kResourceExhausted -> HTTP 429
//   if (!VerifyPassword(stored, attempt)) {
//     throttle.RecordFailure(user, ip);
//     return Unauthenticated();
//   }
//   throttle.RecordSuccess(user, ip);
//   // on kResourceExhausted: "Retry-After: " + std::to_string(throttle.RetryAfter(user,
//   ip).count())
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>

#include "auth/internal/thread_annotations.h"
#include "core/clock.h"
#include "core/result.h"

namespace ucsc::auth {

struct LoginThrottleConfig {
  // A user is locked for `user_lock` after this many failures within `user_window`.
  int max_failures_per_user = 5;
  std::chrono::milliseconds user_lock = std::chrono::minutes(15);
  // An IP is locked for `ip_lock` after this many failures within `ip_window`.
  int max_failures_per_ip = 20;
  std::chrono::milliseconds ip_window = std::chrono::minutes(15);
  std::chrono::milliseconds ip_lock = std::chrono::minutes(15);
  // Failures older than this (counted from the first failure of the window) are forgotten.
  std::chrono::milliseconds user_window = std::chrono::minutes(15);
  // Most keys (users + IPs) held in memory.
  std::size_t max_keys = 100'000;
};

class LoginThrottle {
 public:
  using Config = LoginThrottleConfig;

  // `clock` is borrowed and must outlive the throttle. Limits (max_failures_*, max_keys) below 1
  // are treated as 1.
  explicit LoginThrottle(const core::Clock& clock, Config config = {});

  LoginThrottle(const LoginThrottle&) = delete;
  LoginThrottle& operator=(const LoginThrottle&) = delete;

  // Returns Ok when a login attempt for `user` from `ip` may proceed, or kResourceExhausted when
  // the user or the IP is locked; the message says which and until when (RFC 3339 UTC). Use
  // RetryAfter for the Retry-After value. An empty `user` or `ip` skips that dimension. Callers
  // normalise user names (e.g. lower-case e-mail) before calling. Does not change any state.
  // Thread-safety: thread-safe.
  [[nodiscard]] core::Status Check(std::string_view user, std::string_view ip) const EXCLUDES(mu_);

  // Returns how long until both `user` and `ip` are unlocked, rounded up to whole seconds; zero
  // when neither is locked. Thread-safety: thread-safe.
  std::chrono::seconds RetryAfter(std::string_view user, std::string_view ip) const EXCLUDES(mu_);

  // Counts one failed attempt against `user` and against `ip` (an empty one is skipped) and locks
  // a key that reaches its limit. Failures on a key that is already locked are ignored, so they
  // never extend the lock. Thread-safety: thread-safe.
  void RecordFailure(std::string_view user, std::string_view ip) EXCLUDES(mu_);

  // Forgets the failures (and any lock) of `user` after a successful login. The IP's counter is
  // kept on purpose: one valid account must not reset an attacker's IP budget.
  // Thread-safety: thread-safe.
  void RecordSuccess(std::string_view user, std::string_view ip) EXCLUDES(mu_);

  // Returns the number of keys currently held (for tests and metrics). Thread-safety: thread-safe.
  std::size_t TrackedKeys() const EXCLUDES(mu_);

 private:
  struct Entry {
    int failures = 0;
    core::Instant window_end;    // failures are counted until then
    core::Instant locked_until;  // locked while now < locked_until
  };
  struct Limits {
    int max_failures;
    std::chrono::milliseconds window;
    std::chrono::milliseconds lock;
  };

  // Returns when the lock on `key` ends; a value <= `now` means it is not locked.
  core::Instant LockedUntilLocked(const std::string& key, core::Instant now) const REQUIRES(mu_);
  void FailLocked(const std::string& key, const Limits& limits, core::Instant now) REQUIRES(mu_);
  // Frees space for one new key: drops expired entries, then evicts about a tenth of max_keys.
  void MakeRoomLocked(core::Instant now) REQUIRES(mu_);

  const core::Clock& clock_;
  const Config config_;
  mutable internal::Mutex mu_;
  std::unordered_map<std::string, Entry> entries_ GUARDED_BY(mu_);
};

}  // namespace ucsc::auth
