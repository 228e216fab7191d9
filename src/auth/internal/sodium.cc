#include "auth/internal/sodium.h"

#include <sodium.h>

namespace ucsc::auth::internal {

bool SodiumReady() {
  // sodium_init() returns 0 on first success, 1 when already initialised, -1 on failure.
  static const bool kReady = sodium_init() >= 0;
  return kReady;
}

}  // namespace ucsc::auth::internal
