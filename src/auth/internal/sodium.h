// Private helper: one-time libsodium initialisation for the auth component.
// Thread-safety: thread-safe (C++ function-local static initialisation; sodium_init is idempotent).
#pragma once

namespace ucsc::auth::internal {

// Initialises libsodium on first use and returns true when it is ready. Returns false only when
// sodium_init() failed (e.g. no entropy source); callers then fail closed.
// Thread-safety: thread-safe.
[[nodiscard]] bool SodiumReady();

}  // namespace ucsc::auth::internal
