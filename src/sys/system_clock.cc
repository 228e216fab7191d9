#include "sys/system_clock.h"

#include <sodium.h>

#include <chrono>

namespace ucsc::sys {

core::Instant SystemClock::Now() const {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

void SecureRandomFill(std::span<uint8_t> out) {
  static const int kInit = sodium_init();
  (void)kInit;
  randombytes_buf(out.data(), out.size());
}

}  // namespace ucsc::sys
