#include "auth/random.h"

#include <openssl/evp.h>
#include <sodium.h>

#include <array>
#include <cstdlib>
#include <vector>

#include "auth/internal/sodium.h"

namespace ucsc::auth {

void RandomBytes(std::span<uint8_t> out) {
  if (!internal::SodiumReady()) std::abort();
  if (out.empty()) return;
  randombytes_buf(out.data(), out.size());
}

std::string RandomToken(std::size_t bytes) {
  if (bytes == 0) return {};
  std::vector<uint8_t> raw(bytes);
  RandomBytes(raw);
  constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_encoded_len(bytes, kVariant), '\0');  // includes the NUL
  sodium_bin2base64(out.data(), out.size(), raw.data(), raw.size(), kVariant);
  out.resize(out.size() - 1);
  sodium_memzero(raw.data(), raw.size());
  return out;
}

std::string NewCsrfToken() { return RandomToken(32); }

std::string Sha256Hex(std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int md_len = 0;
  if (EVP_Digest(data.data(), data.size(), md.data(), &md_len, EVP_sha256(), nullptr) != 1 ||
      md_len != 32) {
    std::abort();
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(md_len * 2);
  for (unsigned int byte_idx = 0; byte_idx < md_len; ++byte_idx) {
    out.push_back(kHex[md[byte_idx] >> 4]);
    out.push_back(kHex[md[byte_idx] & 0x0F]);
  }
  return out;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;  // sodium_memcmp's arguments are declared nonnull.
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace ucsc::auth
