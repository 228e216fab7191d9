#include "scan/net/net_kill_switch.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cstdint>

namespace ucsc::scan {

KillSwitch::KillSwitch() : fd_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {}

KillSwitch::~KillSwitch() {
  if (fd_ >= 0) ::close(fd_);
}

void KillSwitch::Trigger() {
  triggered_.store(true, std::memory_order_release);
  if (fd_ >= 0) {
    uint64_t one = 1;
    // Never read back, so the eventfd stays readable for every waiter.
    [[maybe_unused]] ssize_t n = ::write(fd_, &one, sizeof one);
  }
}

}  // namespace ucsc::scan
