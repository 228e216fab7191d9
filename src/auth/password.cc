#include "auth/password.h"

#include <sodium.h>

#include <array>
#include <cstring>
#include <string>

#include "auth/internal/sodium.h"

namespace ucsc::auth {
namespace {

constexpr std::string_view kArgon2idPrefix = "$argon2id$";

struct Limits {
  unsigned long long opslimit;
  std::size_t memlimit;
};

Limits LimitsFor(HashStrength strength) {
  switch (strength) {
    case HashStrength::kProduction:
      return {crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE,
              crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE};
    case HashStrength::kTest:
      return {crypto_pwhash_argon2id_OPSLIMIT_MIN, crypto_pwhash_argon2id_MEMLIMIT_MIN};
  }
  return {crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE, crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE};
}

bool PasswordSizeOk(std::string_view password) {
  return !password.empty() && password.size() <= kMaxPasswordBytes;
}

// Copies `encoded` into a NUL-terminated buffer as libsodium expects. Returns false when it cannot
// be a PHC string of libsodium's maximum size or contains an embedded NUL.
bool ToCString(std::string_view encoded, std::array<char, crypto_pwhash_STRBYTES>& out) {
  if (encoded.empty() || encoded.size() >= out.size()) return false;
  if (encoded.find('\0') != std::string_view::npos) return false;
  out.fill('\0');
  std::memcpy(out.data(), encoded.data(), encoded.size());
  return true;
}

// Number of UTF-8 code points (continuation bytes are not counted).
std::size_t CountChars(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

}  // namespace

core::Result<std::string> HashPassword(std::string_view password, HashStrength strength) {
  if (password.empty()) return core::InvalidArgument("password must not be empty");
  if (password.size() > kMaxPasswordBytes) {
    return core::InvalidArgument("password is longer than " + std::to_string(kMaxPasswordBytes) +
                                 " bytes");
  }
  if (!internal::SodiumReady()) return core::Internal("libsodium failed to initialise");
  const Limits limits = LimitsFor(strength);
  std::array<char, crypto_pwhash_STRBYTES> out{};
  if (crypto_pwhash_str_alg(out.data(), password.data(), password.size(), limits.opslimit,
                            limits.memlimit, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return core::Internal("argon2id hashing failed (out of memory)");
  }
  return std::string(out.data());
}

bool VerifyPassword(std::string_view encoded, std::string_view password) {
  if (!PasswordSizeOk(password)) return false;
  std::array<char, crypto_pwhash_STRBYTES> str{};
  if (!ToCString(encoded, str)) return false;
  if (!internal::SodiumReady()) return false;
  return crypto_pwhash_str_verify(str.data(), password.data(), password.size()) == 0;
}

bool NeedsRehash(std::string_view encoded, HashStrength strength) {
  if (!encoded.starts_with(kArgon2idPrefix)) return true;
  std::array<char, crypto_pwhash_STRBYTES> str{};
  if (!ToCString(encoded, str)) return true;
  if (!internal::SodiumReady()) return true;
  const Limits limits = LimitsFor(strength);
  // 0: matches, 1: different parameters, -1: malformed.
  return crypto_pwhash_argon2id_str_needs_rehash(str.data(), limits.opslimit, limits.memlimit) != 0;
}

core::Status CheckPasswordPolicy(std::string_view password) {
  if (password.size() > kMaxPasswordBytes) {
    return core::InvalidArgument("password is longer than " + std::to_string(kMaxPasswordBytes) +
                                 " bytes");
  }
  const std::size_t chars = CountChars(password);
  if (chars < kMinPasswordChars) {
    return core::InvalidArgument("password is too short: it needs at least " +
                                 std::to_string(kMinPasswordChars) + " characters");
  }
  if (chars >= kPassphraseChars) return core::Ok();
  bool lower = false;
  bool upper = false;
  bool digit = false;
  bool other = false;
  for (char c : password) {
    if (c >= 'a' && c <= 'z') {
      lower = true;
    } else if (c >= 'A' && c <= 'Z') {
      upper = true;
    } else if (c >= '0' && c <= '9') {
      digit = true;
    } else {
      other = true;
    }
  }
  const int classes = int{lower} + int{upper} + int{digit} + int{other};
  if (classes < 3) {
    return core::InvalidArgument(
        "password is too simple: use at least 3 of lower-case letters, upper-case letters, digits "
        "and symbols, or make it at least " +
        std::to_string(kPassphraseChars) + " characters long");
  }
  return core::Ok();
}

}  // namespace ucsc::auth
