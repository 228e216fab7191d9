#include "auth/totp.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ucsc::auth {
namespace {

std::vector<uint8_t> Bytes(std::string_view s) { return {s.begin(), s.end()}; }

core::Instant AtSeconds(int64_t seconds) { return core::FromUnixMillis(seconds * 1000); }

// RFC 6238 Appendix B seeds.
const std::vector<uint8_t> kSha1Key = Bytes("12345678901234567890");
const std::vector<uint8_t> kSha256Key = Bytes("12345678901234567890123456789012");
const std::vector<uint8_t> kSha512Key =
    Bytes("1234567890123456789012345678901234567890123456789012345678901234");

struct TotpVector {
  int64_t seconds;
  const char* sha1;
  const char* sha256;
  const char* sha512;
};

// RFC 6238 Appendix B, 8 digits.
constexpr TotpVector kRfc6238Vectors[] = {
    {59, "94287082", "46119246", "90693936"},
    {1111111109, "07081804", "68084774", "25091201"},
    {1111111111, "14050471", "67062674", "99943326"},
    {1234567890, "89005924", "91819424", "93441116"},
    {2000000000, "69279037", "90698825", "38618901"},
    {20000000000, "65353130", "77737706", "47863826"},
};

TEST(Base32, Rfc4648Section10Vectors) {
  const std::pair<const char*, const char*> vectors[] = {
      {"", ""},
      {"f", "MY======"},
      {"fo", "MZXQ===="},
      {"foo", "MZXW6==="},
      {"foob", "MZXW6YQ="},
      {"fooba", "MZXW6YTB"},
      {"foobar", "MZXW6YTBOI======"},
  };
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(Base32Encode(Bytes(plain)), encoded) << plain;
    auto decoded = Base32Decode(encoded);
    ASSERT_TRUE(decoded.has_value()) << encoded;
    EXPECT_EQ(*decoded, Bytes(plain)) << encoded;
  }
}

TEST(Base32, DecodeIsTolerant) {
  EXPECT_EQ(Base32Decode("mzxw6ytboi").value(), Bytes("foobar"));
  EXPECT_EQ(Base32Decode("MZXW 6YTB OI").value(), Bytes("foobar"));
  EXPECT_EQ(Base32Decode("MZXW6YTBOI==").value(), Bytes("foobar"));
  EXPECT_EQ(Base32Decode("my").value(), Bytes("f"));
  EXPECT_EQ(Base32Decode("  ").value(), Bytes(""));
}

TEST(Base32, DecodeRejectsBadInput) {
  for (const char* bad :
       {"MZXW0", "MZXW1", "MZXW8", "MZ-XW", "MZXW6===X", "M", "MZX", "MZXW6Y", "MZ\tXW"}) {
    auto decoded = Base32Decode(bad);
    ASSERT_FALSE(decoded.has_value()) << bad;
    EXPECT_EQ(decoded.error().code, core::ErrorCode::kInvalidArgument) << bad;
  }
}

TEST(Base32, RoundTripsAllLengths) {
  std::vector<uint8_t> data;
  for (int len = 0; len < 40; ++len) {
    auto decoded = Base32Decode(Base32Encode(data));
    ASSERT_TRUE(decoded.has_value());
    EXPECT_EQ(*decoded, data);
    data.push_back(static_cast<uint8_t>(len * 37 + 255));
  }
}

TEST(Hotp, Rfc4226AppendixDValues) {
  const char* expected[] = {"755224", "287082", "359152", "969429", "338314",
                            "254676", "287922", "162583", "399871", "520489"};
  for (uint64_t counter = 0; counter < 10; ++counter) {
    EXPECT_EQ(HotpCode(kSha1Key, counter), expected[counter]) << counter;
  }
}

TEST(Totp, Rfc6238Sha1Vectors) {
  for (const auto& v : kRfc6238Vectors) {
    EXPECT_EQ(TotpCode(kSha1Key, AtSeconds(v.seconds), 8, TotpHash::kSha1), v.sha1) << v.seconds;
  }
}

TEST(Totp, Rfc6238Sha256Vectors) {
  for (const auto& v : kRfc6238Vectors) {
    EXPECT_EQ(TotpCode(kSha256Key, AtSeconds(v.seconds), 8, TotpHash::kSha256), v.sha256)
        << v.seconds;
  }
}

TEST(Totp, Rfc6238Sha512Vectors) {
  for (const auto& v : kRfc6238Vectors) {
    EXPECT_EQ(TotpCode(kSha512Key, AtSeconds(v.seconds), 8, TotpHash::kSha512), v.sha512)
        << v.seconds;
  }
}

TEST(Totp, SixDigitsAreLowDigitsOfEight) {
  EXPECT_EQ(TotpCode(kSha1Key, AtSeconds(59)), "287082");
  EXPECT_EQ(TotpCode(kSha1Key, AtSeconds(1111111109)), "081804");
}

TEST(Totp, StepBoundaries) {
  EXPECT_EQ(TotpStep(core::FromUnixMillis(0)), 0u);
  EXPECT_EQ(TotpStep(core::FromUnixMillis(29'999)), 0u);
  EXPECT_EQ(TotpStep(core::FromUnixMillis(30'000)), 1u);
  EXPECT_EQ(TotpStep(core::FromUnixMillis(-1)), 0u);
  EXPECT_EQ(TotpStep(AtSeconds(20000000000)), 666666666u);
}

TEST(Totp, VerifyAcceptsWindow) {
  const std::string secret = Base32Encode(kSha1Key);
  const core::Instant at = AtSeconds(1111111111);  // step 37037037
  const std::string now_code = TotpCode(kSha1Key, at);
  const std::string prev_code = TotpCode(kSha1Key, at - std::chrono::seconds(30));
  const std::string next_code = TotpCode(kSha1Key, at + std::chrono::seconds(30));
  const std::string far_code = TotpCode(kSha1Key, at + std::chrono::seconds(60));

  EXPECT_TRUE(VerifyTotp(secret, now_code, at));
  EXPECT_TRUE(VerifyTotp(secret, prev_code, at));
  EXPECT_TRUE(VerifyTotp(secret, next_code, at));
  EXPECT_FALSE(VerifyTotp(secret, far_code, at));
  EXPECT_TRUE(VerifyTotp(secret, far_code, at, 2));
  EXPECT_FALSE(VerifyTotp(secret, prev_code, at, 0));
  EXPECT_TRUE(VerifyTotp(secret, now_code, at, 0));
  EXPECT_EQ(MatchTotpStep(secret, prev_code, at), 37037036u);
  EXPECT_EQ(MatchTotpStep(secret, now_code, at), 37037037u);
}

TEST(Totp, VerifyAcceptsLowerCaseSecretAndSpacedCode) {
  const core::Instant at = AtSeconds(59);
  EXPECT_TRUE(VerifyTotp("gezd gnbv gy3t qojq gezd gnbv gy3t qojq", "287 082", at));
  EXPECT_TRUE(VerifyTotp("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", "94287082", at));
}

TEST(Totp, VerifyRejectsMalformed) {
  const std::string secret = Base32Encode(kSha1Key);
  const core::Instant at = AtSeconds(59);
  EXPECT_FALSE(VerifyTotp(secret, "", at));
  EXPECT_FALSE(VerifyTotp(secret, "28708", at));
  EXPECT_FALSE(VerifyTotp(secret, "2870820", at));
  EXPECT_FALSE(VerifyTotp(secret, "28708a", at));
  EXPECT_FALSE(VerifyTotp(secret, "-287082", at));
  EXPECT_FALSE(VerifyTotp("not base32!", "287082", at));
  EXPECT_FALSE(VerifyTotp("", "287082", at));
  EXPECT_FALSE(VerifyTotp(secret, "000000", at));
}

TEST(Totp, VerifyNearEpochDoesNotUnderflow) {
  const std::string secret = Base32Encode(kSha1Key);
  EXPECT_TRUE(VerifyTotp(secret, HotpCode(kSha1Key, 0), core::FromUnixMillis(0), 3));
  EXPECT_FALSE(VerifyTotp(secret, HotpCode(kSha1Key, 5), core::FromUnixMillis(0), 3));
}

TEST(Totp, VerifySha256) {
  const std::string secret = Base32Encode(kSha256Key);
  EXPECT_TRUE(VerifyTotp(secret, "46119246", AtSeconds(59), 1, TotpHash::kSha256));
  EXPECT_FALSE(VerifyTotp(secret, "46119246", AtSeconds(59), 1, TotpHash::kSha1));
}

TEST(Totp, GeneratedSecretIs160Bits) {
  const std::string a = GenerateTotpSecret();
  const std::string b = GenerateTotpSecret();
  EXPECT_EQ(a.size(), 32u);
  EXPECT_NE(a, b);
  auto key = Base32Decode(a);
  ASSERT_TRUE(key.has_value());
  EXPECT_EQ(key->size(), 20u);
  const core::Instant at = AtSeconds(1'700'000'000);
  EXPECT_TRUE(VerifyTotp(a, TotpCode(*key, at), at));
}

TEST(Totp, UriIsPercentEncoded) {
  EXPECT_EQ(TotpUri("ACME Co", "alice@example.com", "jbsw y3dp ehpk 3pxp"),
            "otpauth://totp/ACME%20Co:alice%40example.com?secret=JBSWY3DPEHPK3PXP"
            "&issuer=ACME%20Co&algorithm=SHA1&digits=6&period=30");
  EXPECT_EQ(TotpUri("A:B&C", "x?y=z/é", "MY======"),
            "otpauth://totp/A%3AB%26C:x%3Fy%3Dz%2F%C3%A9?secret=MY"
            "&issuer=A%3AB%26C&algorithm=SHA1&digits=6&period=30");
  EXPECT_EQ(TotpUri("", "bob", "MY"),
            "otpauth://totp/bob?secret=MY&algorithm=SHA1&digits=6&period=30");
}

}  // namespace
}  // namespace ucsc::auth
