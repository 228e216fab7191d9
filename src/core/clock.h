// Injected time (STYLE.md "Injected time and I/O"). Code never reads the time by itself: it is
// handed a Clock& by main (SystemClock) or by a test (FakeClock).
// Thread-safety: SystemClock is thread-safe; FakeClock is thread-safe (atomic).
//
// Example:
//   FakeClock clock(core::FromUnixMillis(0));
//   clock.Advance(std::chrono::hours(24));
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace ucsc::core {

using Instant = std::chrono::time_point<std::chrono::system_clock, std::chrono::milliseconds>;

inline Instant FromUnixMillis(int64_t ms) { return Instant(std::chrono::milliseconds(ms)); }
inline int64_t ToUnixMillis(Instant t) { return t.time_since_epoch().count(); }

class Clock {
 public:
  virtual ~Clock() = default;
  // Returns the current UTC instant.
  virtual Instant Now() const = 0;
};

class FakeClock final : public Clock {
 public:
  explicit FakeClock(Instant start) : ms_(ToUnixMillis(start)) {}
  Instant Now() const override { return FromUnixMillis(ms_.load()); }
  void Set(Instant t) { ms_.store(ToUnixMillis(t)); }
  void Advance(std::chrono::milliseconds d) { ms_.fetch_add(d.count()); }

 private:
  std::atomic<int64_t> ms_;
};

}  // namespace ucsc::core
