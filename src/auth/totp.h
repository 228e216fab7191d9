// One-time passwords for second-factor login: RFC 4648 base32 (the secret format authenticator
// apps use), RFC 4226 HOTP and RFC 6238 TOTP (HMAC-SHA1/SHA256/SHA512 via OpenSSL, 30-second
// steps, T0 = Unix epoch), plus the otpauth:// URI for QR codes.
//
// Time is always a parameter (`core::Instant at`); nothing here reads a clock.
// Replay protection is the caller's job: remember the step returned by MatchTotpStep for each user
// and reject a code whose step is not greater than the last accepted one.
//
// Thread-safety: every function here is thread-safe (pure, or libsodium randomness).
//
// Example:
//   std::string secret = GenerateTotpSecret();                  // store encrypted per user
//   std::string uri = TotpUri("UCSC", "alice@example.vn", secret);  // render as a QR code
//   ...
//   if (!VerifyTotp(secret, submitted_code, clock.Now())) return Unauthenticated();
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"

namespace ucsc::auth {

// HMAC hash function of HOTP/TOTP. Authenticator apps almost always support only kSha1.
enum class TotpHash { kSha1, kSha256, kSha512 };

// RFC 6238 time step (X) in seconds.
inline constexpr int64_t kTotpStepSeconds = 30;
// Largest window accepted by MatchTotpStep / VerifyTotp; larger values are clamped.
inline constexpr int kMaxTotpWindowSteps = 10;

// Returns the RFC 4648 §6 base32 encoding of `data` (upper case, '=' padded to a multiple of 8).
// A 20-byte TOTP secret has no padding. Thread-safety: thread-safe (pure).
std::string Base32Encode(std::span<const uint8_t> data);

// Decodes RFC 4648 base32. Tolerant of lower case, spaces and missing or partial trailing '='
// padding. Errors (kInvalidArgument): a character outside A-Z/2-7, '=' followed by data, or a
// length that no encoding can produce (1, 3 or 6 characters in the last group).
// Thread-safety: thread-safe (pure).
[[nodiscard]] core::Result<std::vector<uint8_t>> Base32Decode(std::string_view text);

// Returns the RFC 4226 HOTP value of `counter` as a zero-padded decimal string of `digits` digits.
// REQUIRES: 6 <= digits <= 8 (asserted; clamped in release builds). `key` may have any length and
// is borrowed for the call only. Thread-safety: thread-safe (pure).
std::string HotpCode(std::span<const uint8_t> key, uint64_t counter, int digits = 6,
                     TotpHash hash = TotpHash::kSha1);

// Returns the RFC 6238 time step containing `at`: floor(unix_seconds / 30). Instants before the
// Unix epoch map to step 0. Thread-safety: thread-safe (pure).
uint64_t TotpStep(core::Instant at);

// Returns the RFC 6238 TOTP value at instant `at`: HotpCode(key, TotpStep(at), digits, hash).
// REQUIRES: 6 <= digits <= 8. Thread-safety: thread-safe (pure).
std::string TotpCode(std::span<const uint8_t> key, core::Instant at, int digits = 6,
                     TotpHash hash = TotpHash::kSha1);

// Checks `code` against the TOTP values of steps TotpStep(at) - window_steps ..
// TotpStep(at) + window_steps (window_steps is clamped to [0, kMaxTotpWindowSteps]) and returns the
// matching step, or nullopt. The number of digits is taken from `code` (6 or 8; spaces inside the
// code are ignored, so "123 456" works). Every candidate is computed and compared in constant time,
// with no early exit. Returns nullopt for a malformed secret or code.
// Thread-safety: thread-safe (pure).
std::optional<uint64_t> MatchTotpStep(std::string_view base32_secret, std::string_view code,
                                      core::Instant at, int window_steps = 1,
                                      TotpHash hash = TotpHash::kSha1);

// Returns MatchTotpStep(...).has_value(). Thread-safety: thread-safe (pure).
bool VerifyTotp(std::string_view base32_secret, std::string_view code, core::Instant at,
                int window_steps = 1, TotpHash hash = TotpHash::kSha1);

// Returns a new random TOTP secret: 20 bytes (160 bits, RFC 4226 §4) as 32 base32 characters.
// Thread-safety: thread-safe.
std::string GenerateTotpSecret();

// Returns the Key Uri Format provisioning URI
//   otpauth://totp/<issuer>:<account>?secret=<secret>&issuer=<issuer>&algorithm=SHA1&digits=6
//   &period=30
// with issuer and account percent-encoded (RFC 3986 unreserved characters are kept, everything
// else, including ':' '@' and space, becomes %XX). The secret is normalised: spaces and '=' are
// removed and letters upper-cased. With an empty issuer the label is the account alone and the
// issuer parameter is omitted. Thread-safety: thread-safe (pure).
std::string TotpUri(std::string_view issuer, std::string_view account,
                    std::string_view base32_secret);

}  // namespace ucsc::auth
