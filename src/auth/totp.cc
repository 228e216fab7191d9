#include "auth/totp.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <array>
#include <cassert>
#include <chrono>
#include <cstdlib>

#include "auth/random.h"

namespace ucsc::auth {
namespace {

constexpr std::string_view kBase32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

// Returns the 5-bit value of a base32 character (either case), or -1.
int Base32Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a';
  if (c >= '2' && c <= '7') return c - '2' + 26;
  return -1;
}

const EVP_MD* Digest(TotpHash hash) {
  switch (hash) {
    case TotpHash::kSha1:
      return EVP_sha1();
    case TotpHash::kSha256:
      return EVP_sha256();
    case TotpHash::kSha512:
      return EVP_sha512();
  }
  return EVP_sha1();
}

// RFC 3986 percent-encoding: unreserved characters stay, every other byte becomes %XX.
std::string PercentEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    const auto byte = static_cast<unsigned char>(c);
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0x0F]);
    }
  }
  return out;
}

}  // namespace

std::string Base32Encode(std::span<const uint8_t> data) {
  std::string out;
  out.reserve((data.size() + 4) / 5 * 8);
  uint32_t buffer = 0;
  int bits = 0;
  for (uint8_t byte : data) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out.push_back(kBase32Alphabet[(buffer >> (bits - 5)) & 0x1F]);
      bits -= 5;
    }
  }
  if (bits > 0) out.push_back(kBase32Alphabet[(buffer << (5 - bits)) & 0x1F]);
  while (out.size() % 8 != 0) out.push_back('=');
  return out;
}

core::Result<std::vector<uint8_t>> Base32Decode(std::string_view text) {
  std::vector<uint8_t> out;
  out.reserve(text.size() * 5 / 8);
  uint32_t buffer = 0;
  int bits = 0;
  std::size_t symbols = 0;
  bool in_padding = false;
  for (std::size_t pos = 0; pos < text.size(); ++pos) {
    const char c = text[pos];
    if (c == ' ') continue;
    if (c == '=') {
      in_padding = true;
      continue;
    }
    const int value = Base32Value(c);
    if (value < 0) {
      return core::InvalidArgument("invalid base32 character at offset " + std::to_string(pos));
    }
    if (in_padding) return core::InvalidArgument("base32 data after '=' padding");
    buffer = (buffer << 5) | static_cast<uint32_t>(value);
    bits += 5;
    ++symbols;
    if (bits >= 8) {
      out.push_back(static_cast<uint8_t>((buffer >> (bits - 8)) & 0xFF));
      bits -= 8;
    }
  }
  // A final group of 8 symbols holds 1..5 bytes in 2, 4, 5, 7 or 8 symbols.
  const std::size_t tail = symbols % 8;
  if (tail == 1 || tail == 3 || tail == 6) {
    return core::InvalidArgument("invalid base32 length");
  }
  return out;
}

std::string HotpCode(std::span<const uint8_t> key, uint64_t counter, int digits, TotpHash hash) {
  assert(digits >= 6 && digits <= 8);
  digits = std::clamp(digits, 6, 8);
  std::array<unsigned char, 8> message{};
  for (int byte_idx = 7; byte_idx >= 0; --byte_idx) {
    message[byte_idx] = static_cast<unsigned char>(counter & 0xFF);
    counter >>= 8;
  }
  // OpenSSL wants a non-null key pointer even for an empty key.
  static constexpr unsigned char kEmptyKey[1] = {0};
  const unsigned char* key_ptr = key.empty() ? kEmptyKey : key.data();
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int mac_len = 0;
  if (HMAC(Digest(hash), key_ptr, static_cast<int>(key.size()), message.data(), message.size(),
           mac.data(), &mac_len) == nullptr ||
      mac_len < 20) {
    std::abort();  // A broken crypto library is not an expected error.
  }
  // RFC 4226 §5.3 dynamic truncation.
  const unsigned offset = mac[mac_len - 1] & 0x0F;
  const uint32_t binary = (static_cast<uint32_t>(mac[offset] & 0x7F) << 24) |
                          (static_cast<uint32_t>(mac[offset + 1]) << 16) |
                          (static_cast<uint32_t>(mac[offset + 2]) << 8) |
                          static_cast<uint32_t>(mac[offset + 3]);
  uint32_t modulus = 1;
  for (int digit_idx = 0; digit_idx < digits; ++digit_idx) modulus *= 10;
  std::string code = std::to_string(binary % modulus);
  code.insert(0, static_cast<std::size_t>(digits) - code.size(), '0');
  return code;
}

uint64_t TotpStep(core::Instant at) {
  const int64_t ms = core::ToUnixMillis(at);
  if (ms < 0) return 0;
  return static_cast<uint64_t>(ms / 1000 / kTotpStepSeconds);
}

std::string TotpCode(std::span<const uint8_t> key, core::Instant at, int digits, TotpHash hash) {
  return HotpCode(key, TotpStep(at), digits, hash);
}

std::optional<uint64_t> MatchTotpStep(std::string_view base32_secret, std::string_view code,
                                      core::Instant at, int window_steps, TotpHash hash) {
  std::string digits_only;
  for (char c : code) {
    if (c == ' ') continue;
    if (c < '0' || c > '9') return std::nullopt;
    digits_only.push_back(c);
  }
  if (digits_only.size() != 6 && digits_only.size() != 8) return std::nullopt;
  auto key = Base32Decode(base32_secret);
  if (!key || key->empty()) return std::nullopt;

  const int window = std::clamp(window_steps, 0, kMaxTotpWindowSteps);
  const uint64_t now_step = TotpStep(at);
  const int digits = static_cast<int>(digits_only.size());
  std::optional<uint64_t> match;
  for (int delta = -window; delta <= window; ++delta) {
    if (delta < 0 && now_step < static_cast<uint64_t>(-delta)) continue;
    const uint64_t step = now_step + static_cast<uint64_t>(static_cast<int64_t>(delta));
    const std::string candidate = HotpCode(*key, step, digits, hash);
    // No early exit: every candidate is computed and compared.
    if (ConstantTimeEquals(candidate, digits_only) && !match) match = step;
  }
  std::fill(key->begin(), key->end(), uint8_t{0});
  return match;
}

bool VerifyTotp(std::string_view base32_secret, std::string_view code, core::Instant at,
                int window_steps, TotpHash hash) {
  return MatchTotpStep(base32_secret, code, at, window_steps, hash).has_value();
}

std::string GenerateTotpSecret() {
  std::array<uint8_t, 20> key{};
  RandomBytes(key);
  std::string secret = Base32Encode(key);
  std::fill(key.begin(), key.end(), uint8_t{0});
  return secret;
}

std::string TotpUri(std::string_view issuer, std::string_view account,
                    std::string_view base32_secret) {
  std::string secret;
  for (char c : base32_secret) {
    if (c == ' ' || c == '=') continue;
    secret.push_back((c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c);
  }
  std::string uri = "otpauth://totp/";
  if (!issuer.empty()) {
    uri += PercentEncode(issuer);
    uri += ':';
  }
  uri += PercentEncode(account);
  uri += "?secret=";
  uri += PercentEncode(secret);
  if (!issuer.empty()) {
    uri += "&issuer=";
    uri += PercentEncode(issuer);
  }
  uri += "&algorithm=SHA1&digits=6&period=";
  uri += std::to_string(kTotpStepSeconds);
  return uri;
}

}  // namespace ucsc::auth
