#include "auth/throttle.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "core/legal_time.h"

namespace ucsc::auth {
namespace {

constexpr std::string_view kUserPrefix = "user:";
constexpr std::string_view kIpPrefix = "ip:";

std::string Key(std::string_view prefix, std::string_view name) {
  std::string key;
  key.reserve(prefix.size() + name.size());
  key.append(prefix);
  key.append(name);
  return key;
}

LoginThrottleConfig Sanitise(LoginThrottleConfig config) {
  config.max_failures_per_user = std::max(config.max_failures_per_user, 1);
  config.max_failures_per_ip = std::max(config.max_failures_per_ip, 1);
  config.max_keys = std::max<std::size_t>(config.max_keys, 1);
  return config;
}

}  // namespace

LoginThrottle::LoginThrottle(const core::Clock& clock, Config config)
    : clock_(clock), config_(Sanitise(config)) {}

core::Instant LoginThrottle::LockedUntilLocked(const std::string& key, core::Instant now) const {
  auto it = entries_.find(key);
  if (it == entries_.end()) return now;
  return it->second.locked_until;
}

core::Status LoginThrottle::Check(std::string_view user, std::string_view ip) const {
  const core::Instant now = clock_.Now();
  internal::MutexLock lock(mu_);
  if (!user.empty()) {
    const core::Instant until = LockedUntilLocked(Key(kUserPrefix, user), now);
    if (now < until) {
      return core::MakeError(core::ErrorCode::kResourceExhausted,
                             "too many failed login attempts for this account; try again after " +
                                 core::FormatRfc3339Utc(until));
    }
  }
  if (!ip.empty()) {
    const core::Instant until = LockedUntilLocked(Key(kIpPrefix, ip), now);
    if (now < until) {
      return core::MakeError(core::ErrorCode::kResourceExhausted,
                             "too many failed login attempts from this address; try again after " +
                                 core::FormatRfc3339Utc(until));
    }
  }
  return core::Ok();
}

std::chrono::seconds LoginThrottle::RetryAfter(std::string_view user, std::string_view ip) const {
  const core::Instant now = clock_.Now();
  internal::MutexLock lock(mu_);
  core::Instant until = now;
  if (!user.empty()) until = std::max(until, LockedUntilLocked(Key(kUserPrefix, user), now));
  if (!ip.empty()) until = std::max(until, LockedUntilLocked(Key(kIpPrefix, ip), now));
  return std::chrono::ceil<std::chrono::seconds>(until - now);
}

void LoginThrottle::RecordFailure(std::string_view user, std::string_view ip) {
  const core::Instant now = clock_.Now();
  internal::MutexLock lock(mu_);
  if (!user.empty()) {
    FailLocked(Key(kUserPrefix, user),
               {config_.max_failures_per_user, config_.user_window, config_.user_lock}, now);
  }
  if (!ip.empty()) {
    FailLocked(Key(kIpPrefix, ip),
               {config_.max_failures_per_ip, config_.ip_window, config_.ip_lock}, now);
  }
}

void LoginThrottle::RecordSuccess(std::string_view user, std::string_view /*ip*/) {
  if (user.empty()) return;
  internal::MutexLock lock(mu_);
  entries_.erase(Key(kUserPrefix, user));
}

std::size_t LoginThrottle::TrackedKeys() const {
  internal::MutexLock lock(mu_);
  return entries_.size();
}

void LoginThrottle::FailLocked(const std::string& key, const Limits& limits, core::Instant now) {
  auto it = entries_.find(key);
  if (it == entries_.end()) {
    if (entries_.size() >= config_.max_keys) MakeRoomLocked(now);
    it = entries_.emplace(key, Entry{0, now + limits.window, now}).first;
  }
  Entry& entry = it->second;
  if (now < entry.locked_until) return;  // already locked: never extend
  if (now >= entry.window_end) {
    entry.failures = 0;
    entry.window_end = now + limits.window;
  }
  if (++entry.failures >= limits.max_failures) {
    entry.failures = 0;
    entry.locked_until = now + limits.lock;
    entry.window_end = now;
  }
}

void LoginThrottle::MakeRoomLocked(core::Instant now) {
  std::erase_if(entries_, [now](const auto& kv) {
    return now >= kv.second.locked_until && now >= kv.second.window_end;
  });
  if (entries_.size() < config_.max_keys) return;

  // Still full of live entries: evict a tenth of the capacity. Unlocked entries go first (oldest
  // window first); locks go only if nothing else is left, those ending soonest first, so flooding
  // the map with new keys cannot cheaply lift an existing lock.
  using Rank = std::pair<bool, core::Instant>;  // {locked, instant}
  std::vector<std::pair<Rank, decltype(entries_)::iterator>> ranked;
  ranked.reserve(entries_.size());
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    const bool locked = now < it->second.locked_until;
    ranked.push_back({{locked, locked ? it->second.locked_until : it->second.window_end}, it});
  }
  const std::size_t evict =
      std::min(ranked.size(), std::max<std::size_t>(config_.max_keys / 10, 1));
  auto by_rank = [](const auto& a, const auto& b) { return a.first < b.first; };
  std::nth_element(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(evict) - 1,
                   ranked.end(), by_rank);
  for (std::size_t rank_idx = 0; rank_idx < evict; ++rank_idx)
    entries_.erase(ranked[rank_idx].second);
}

}  // namespace ucsc::auth
