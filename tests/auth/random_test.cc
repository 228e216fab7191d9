#include "auth/random.h"

#include <gtest/gtest.h>

#include <array>
#include <set>
#include <string>

namespace ucsc::auth {
namespace {

bool IsBase64Url(const std::string& s) {
  for (char c : s) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

TEST(RandomBytes, FillsBuffer) {
  std::array<uint8_t, 64> a{};
  std::array<uint8_t, 64> b{};
  RandomBytes(a);
  RandomBytes(b);
  EXPECT_NE(a, b);
  EXPECT_NE(a, (std::array<uint8_t, 64>{}));
  RandomBytes(std::span<uint8_t>());  // empty span is fine
}

TEST(RandomToken, Base64UrlWithoutPadding) {
  const std::string token = RandomToken();
  EXPECT_EQ(token.size(), 43u);  // ceil(32 * 4 / 3)
  EXPECT_TRUE(IsBase64Url(token)) << token;
  EXPECT_EQ(RandomToken(1).size(), 2u);
  EXPECT_EQ(RandomToken(3).size(), 4u);
  EXPECT_EQ(RandomToken(16).size(), 22u);
  EXPECT_EQ(RandomToken(0), "");
}

TEST(RandomToken, Unique) {
  std::set<std::string> seen;
  for (int token_idx = 0; token_idx < 1000; ++token_idx) seen.insert(RandomToken());
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(CsrfToken, NewTokensDifferAndCompare) {
  const std::string a = NewCsrfToken();
  const std::string b = NewCsrfToken();
  EXPECT_EQ(a.size(), 43u);
  EXPECT_TRUE(IsBase64Url(a));
  EXPECT_NE(a, b);
  EXPECT_TRUE(ConstantTimeEquals(a, std::string(a)));
  EXPECT_FALSE(ConstantTimeEquals(a, b));
}

TEST(Sha256Hex, KnownVectors) {
  // FIPS 180-2 examples.
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(Sha256Hex(std::string("a\0b", 3)).size(), 64u);
}

TEST(ConstantTimeEquals, ComparesBytes) {
  EXPECT_TRUE(ConstantTimeEquals("", ""));
  EXPECT_TRUE(ConstantTimeEquals("secret", "secret"));
  EXPECT_FALSE(ConstantTimeEquals("secret", "secreT"));
  EXPECT_FALSE(ConstantTimeEquals("secret", "secret "));
  EXPECT_FALSE(ConstantTimeEquals("", "x"));
  EXPECT_TRUE(ConstantTimeEquals(std::string("a\0b", 3), std::string("a\0b", 3)));
  EXPECT_FALSE(ConstantTimeEquals(std::string("a\0b", 3), std::string("a\0c", 3)));
}

}  // namespace
}  // namespace ucsc::auth
