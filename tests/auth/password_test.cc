#include "auth/password.h"

#include <gtest/gtest.h>

#include <string>

namespace ucsc::auth {
namespace {

TEST(Password, HashThenVerify) {
  auto encoded = HashPassword("correct horse battery staple", HashStrength::kTest);
  ASSERT_TRUE(encoded.has_value()) << encoded.error().ToString();
  EXPECT_TRUE(encoded->starts_with("$argon2id$v=19$"));
  EXPECT_TRUE(VerifyPassword(*encoded, "correct horse battery staple"));
  EXPECT_FALSE(VerifyPassword(*encoded, "correct horse battery stapl"));
  EXPECT_FALSE(VerifyPassword(*encoded, "Correct horse battery staple"));
}

TEST(Password, SaltMakesHashesDiffer) {
  auto a = HashPassword("same password", HashStrength::kTest);
  auto b = HashPassword("same password", HashStrength::kTest);
  ASSERT_TRUE(a.has_value());
  ASSERT_TRUE(b.has_value());
  EXPECT_NE(*a, *b);
  EXPECT_TRUE(VerifyPassword(*a, "same password"));
  EXPECT_TRUE(VerifyPassword(*b, "same password"));
}

TEST(Password, ProductionStrengthUsesInteractiveLimits) {
  auto encoded = HashPassword("pw", HashStrength::kProduction);
  ASSERT_TRUE(encoded.has_value()) << encoded.error().ToString();
  EXPECT_NE(encoded->find("m=65536,t=2,p=1"), std::string::npos) << *encoded;
  EXPECT_TRUE(VerifyPassword(*encoded, "pw"));
  EXPECT_FALSE(NeedsRehash(*encoded, HashStrength::kProduction));
  EXPECT_TRUE(NeedsRehash(*encoded, HashStrength::kTest));
}

TEST(Password, RejectsEmptyAndOversized) {
  auto empty = HashPassword("", HashStrength::kTest);
  ASSERT_FALSE(empty.has_value());
  EXPECT_EQ(empty.error().code, core::ErrorCode::kInvalidArgument);

  auto too_long = HashPassword(std::string(kMaxPasswordBytes + 1, 'a'), HashStrength::kTest);
  ASSERT_FALSE(too_long.has_value());
  EXPECT_EQ(too_long.error().code, core::ErrorCode::kInvalidArgument);

  EXPECT_TRUE(HashPassword(std::string(kMaxPasswordBytes, 'a'), HashStrength::kTest).has_value());
}

TEST(Password, BinaryPasswordWithNulIsHashedWhole) {
  const std::string with_nul("abc\0def", 7);
  auto encoded = HashPassword(with_nul, HashStrength::kTest);
  ASSERT_TRUE(encoded.has_value());
  EXPECT_TRUE(VerifyPassword(*encoded, with_nul));
  EXPECT_FALSE(VerifyPassword(*encoded, "abc"));
}

TEST(Password, VerifyReturnsFalseOnMalformedHash) {
  EXPECT_FALSE(VerifyPassword("", "password"));
  EXPECT_FALSE(VerifyPassword("not a hash", "password"));
  EXPECT_FALSE(VerifyPassword("$argon2id$v=19$m=8,t=1,p=1$", "password"));
  EXPECT_FALSE(VerifyPassword(std::string(1000, '$'), "password"));
  auto encoded = HashPassword("password", HashStrength::kTest);
  ASSERT_TRUE(encoded.has_value());
  EXPECT_FALSE(VerifyPassword(encoded->substr(0, encoded->size() - 5), "password"));
  std::string with_nul = *encoded;
  with_nul.insert(5, 1, '\0');
  EXPECT_FALSE(VerifyPassword(with_nul, "password"));
  EXPECT_FALSE(VerifyPassword(*encoded, ""));
  EXPECT_FALSE(VerifyPassword(*encoded, std::string(kMaxPasswordBytes + 1, 'p')));
}

TEST(Password, NeedsRehash) {
  auto test_hash = HashPassword("password", HashStrength::kTest);
  ASSERT_TRUE(test_hash.has_value());
  EXPECT_FALSE(NeedsRehash(*test_hash, HashStrength::kTest));
  EXPECT_TRUE(NeedsRehash(*test_hash, HashStrength::kProduction));
  EXPECT_TRUE(NeedsRehash("garbage", HashStrength::kTest));
  EXPECT_TRUE(NeedsRehash("", HashStrength::kTest));
  // argon2i hashes are upgraded to argon2id.
  EXPECT_TRUE(
      NeedsRehash("$argon2i$v=19$m=8,t=1,p=1$c29tZXNhbHQ$abcdefghijklmnop", HashStrength::kTest));
}

TEST(PasswordPolicy, AcceptsThreeClassesOrLongPassphrase) {
  EXPECT_TRUE(CheckPasswordPolicy("Abcdefgh1234").has_value());      // lower+upper+digit, 12
  EXPECT_TRUE(CheckPasswordPolicy("abcdefgh12!?").has_value());      // lower+digit+other
  EXPECT_TRUE(CheckPasswordPolicy("correcthorsebatt").has_value());  // 16 lower
  EXPECT_TRUE(CheckPasswordPolicy("mật khẩu dài 12").has_value());   // lower+other+digit
}

TEST(PasswordPolicy, RejectsShortWithReason) {
  auto status = CheckPasswordPolicy("Ab1!Ab1!Ab1");  // 11 chars
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_NE(status.error().message.find("too short"), std::string::npos);
  EXPECT_NE(status.error().message.find("12"), std::string::npos);
  EXPECT_FALSE(CheckPasswordPolicy("").has_value());
}

TEST(PasswordPolicy, CountsCharactersNotBytes) {
  // 11 code points, 22 bytes: still too short.
  auto status = CheckPasswordPolicy("ậậậậậAAAA11");
  ASSERT_FALSE(status.has_value());
  EXPECT_NE(status.error().message.find("too short"), std::string::npos);
}

TEST(PasswordPolicy, RejectsTooFewClassesUnderSixteen) {
  auto status = CheckPasswordPolicy("abcdefghijklmno");  // 15 lower
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_NE(status.error().message.find("too simple"), std::string::npos);
  EXPECT_FALSE(CheckPasswordPolicy("abcdefgh1234").has_value());  // two classes
  EXPECT_FALSE(CheckPasswordPolicy("123456789012").has_value());  // one class
}

TEST(PasswordPolicy, RejectsOversized) {
  auto status = CheckPasswordPolicy(std::string(kMaxPasswordBytes + 1, 'a'));
  ASSERT_FALSE(status.has_value());
  EXPECT_NE(status.error().message.find("longer than"), std::string::npos);
}

}  // namespace
}  // namespace ucsc::auth
