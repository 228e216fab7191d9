// The scan kill switch: one Trigger() stops every scan that watches it within a second. It is an
// atomic flag plus an eventfd that the scanners' epoll/poll waits include, so a waiting scan
// wakes at once rather than at its next time-out.
// Thread-safety: Trigger() and Triggered() may be called from any thread (signal handlers
// included: both are async-signal-safe).
#pragma once

#include <atomic>

namespace ucsc::scan {

class KillSwitch {
 public:
  KillSwitch();
  ~KillSwitch();
  KillSwitch(const KillSwitch&) = delete;
  KillSwitch& operator=(const KillSwitch&) = delete;

  void Trigger();
  bool Triggered() const { return triggered_.load(std::memory_order_acquire); }
  // Readable once triggered; stays readable. Owned by the switch.
  int fd() const { return fd_; }

 private:
  std::atomic<bool> triggered_{false};
  int fd_ = -1;
};

}  // namespace ucsc::scan
