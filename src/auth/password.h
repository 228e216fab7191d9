// Password hashing with argon2id (libsodium crypto_pwhash_str_alg, ALG_ARGON2ID13) and the password
// policy for new passwords. Encoded hashes are the standard PHC strings
// ("$argon2id$v=19$m=65536,t=2,p=1$<salt>$<hash>"), self-describing, so parameters can be raised
// later and old hashes upgraded on the next successful login (see NeedsRehash).
//
// Thread-safety: every function here is thread-safe (libsodium is initialised once, thread-safely).
//
// Example:
//   UCSC_ASSIGN_OR_RETURN(std::string encoded, HashPassword(pw, HashStrength::kProduction));
//   ...
//   if (!VerifyPassword(stored, attempt)) return Unauthenticated();
//   if (NeedsRehash(stored, HashStrength::kProduction)) { /* re-hash `attempt` and store it */ }
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/result.h"

namespace ucsc::auth {

// Cost of a new hash. kProduction = OPSLIMIT_INTERACTIVE / MEMLIMIT_INTERACTIVE (2 passes, 64 MiB);
// kTest = OPSLIMIT_MIN / MEMLIMIT_MIN (1 pass, 8 KiB), only for tests and never for real accounts.
enum class HashStrength { kProduction, kTest };

// Longest accepted password, in bytes (bounds hashing cost and request size).
inline constexpr std::size_t kMaxPasswordBytes = 1024;
// Shortest password CheckPasswordPolicy accepts, in characters (UTF-8 code points).
inline constexpr std::size_t kMinPasswordChars = 12;
// From this many characters on, CheckPasswordPolicy no longer asks for character classes.
inline constexpr std::size_t kPassphraseChars = 16;

// Returns the argon2id PHC string of `password` with a fresh random salt.
// Errors: kInvalidArgument when `password` is empty or longer than kMaxPasswordBytes;
//         kInternal when libsodium cannot initialise or allocate the hashing memory.
// The password bytes are hashed as given (no normalisation). It does not apply the policy: call
// CheckPasswordPolicy first for new passwords.
// Thread-safety: thread-safe. Cost: about 50-100 ms and 64 MiB for kProduction.
[[nodiscard]] core::Result<std::string> HashPassword(std::string_view password,
                                                     HashStrength strength);

// Returns true iff `encoded` is a well-formed argon2 (id or i) PHC string produced for `password`.
// Returns false, never throws or aborts, on a malformed/truncated `encoded`, an empty or oversized
// `password`, or when libsodium cannot initialise. Comparison is constant-time inside libsodium.
// Thread-safety: thread-safe.
bool VerifyPassword(std::string_view encoded, std::string_view password);

// Returns true when `encoded` should be replaced by a new hash of the (just verified) password:
// it is not argon2id, its parameters differ from `strength`, or it is malformed.
// Thread-safety: thread-safe.
bool NeedsRehash(std::string_view encoded, HashStrength strength);

// Checks a new password against the policy: at least kMinPasswordChars characters, at most
// kMaxPasswordBytes bytes, and either at least 3 of the 4 classes (lower case, upper case, digit,
// other; non-ASCII counts as other) or at least kPassphraseChars characters.
// Returns Ok, or kInvalidArgument with an English message naming the reason (the message never
// contains the password). `field` is left empty; the caller knows which request field it checked.
// Thread-safety: thread-safe (pure).
[[nodiscard]] core::Status CheckPasswordPolicy(std::string_view password);

}  // namespace ucsc::auth
