// Cryptographic randomness, opaque tokens (sessions, API keys, CSRF), SHA-256 and constant-time
// comparison. Randomness comes from libsodium (randombytes_buf, the OS CSPRNG); SHA-256 from
// OpenSSL EVP.
//
// Thread-safety: every function here is thread-safe.
//
// Example (CSRF, double-submit):
//   std::string csrf = NewCsrfToken();          // store in the session, send to the client
//   if (!ConstantTimeEquals(csrf, header_value)) return PermissionDenied();
//
// Example (API key at rest):
//   std::string key = RandomToken();            // shown to the user once
//   std::string stored = Sha256Hex(key);        // only the digest is persisted
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace ucsc::auth {

// Fills `out` with cryptographically secure random bytes. `out` is borrowed for the call only.
// Aborts the process if libsodium cannot initialise (no safe way to continue without entropy).
// Thread-safety: thread-safe.
void RandomBytes(std::span<uint8_t> out);

// Returns `bytes` random bytes encoded as base64url without padding (RFC 4648 §5), so 32 bytes give
// 43 characters of [A-Za-z0-9_-]. Safe in URLs, cookies and headers. Returns "" for bytes == 0.
// Thread-safety: thread-safe.
std::string RandomToken(std::size_t bytes = 32);

// Returns a new CSRF token: RandomToken(32). Compare with ConstantTimeEquals.
// Thread-safety: thread-safe.
std::string NewCsrfToken();

// Returns the SHA-256 of `data` as 64 lower-case hex characters. Aborts on an OpenSSL failure
// (a broken crypto library is not an expected error).
// Thread-safety: thread-safe.
std::string Sha256Hex(std::string_view data);

// Returns true iff `a` and `b` are byte-for-byte equal. The time taken depends only on the length,
// not on the contents (sodium_memcmp); a length mismatch returns false at once, so only lengths
// may leak. Use it for every comparison with a secret (tokens, codes, digests).
// Thread-safety: thread-safe.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace ucsc::auth
