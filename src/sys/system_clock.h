// The process's real clock and random source, created once in main and passed down
// (STYLE.md "Injected time and I/O"). Thread-safe.
#pragma once

#include <cstdint>
#include <span>

#include "core/clock.h"

namespace ucsc::sys {

class SystemClock final : public core::Clock {
 public:
  core::Instant Now() const override;
};

// Cryptographically secure random bytes (libsodium). Usable as a core::RandomFill.
void SecureRandomFill(std::span<uint8_t> out);

}  // namespace ucsc::sys
