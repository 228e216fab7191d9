// The issuer code and place of issue every generated document uses (report/issue_details.h).
#include <gtest/gtest.h>

#include "report/issue_details.h"

namespace ucsc::report {
namespace {

TEST(IssuerCode, KeepsAShortNameThatIsAlreadyACode) {
  EXPECT_EQ(IssuerCode("SYT", "Sở Y tế"), "SYT");
  EXPECT_EQ(IssuerCode("CAT-PA05", "Phòng An ninh mạng"), "CAT-PA05");
}

TEST(IssuerCode, MakesInitialsWithoutDiacriticsOtherwise) {
  EXPECT_EQ(IssuerCode("", "Sở Y tế"), "SYT");
  EXPECT_EQ(IssuerCode("Sở Thông tin và Truyền thông", "x"), "STTVTT");  // the short name first
  EXPECT_EQ(IssuerCode("", "Phòng 5, Công an tỉnh"), "P5CAT");           // digits kept whole
  EXPECT_EQ(IssuerCode("", "Đài Phát thanh"), "DPT");                    // Đ folds to D
  EXPECT_EQ(IssuerCode("syt", "Sở Y tế"), "S") << "a lower-case short name is a word, not a code";
}

TEST(IssuerCode, IsAtMostTwelveAndNeverEmpty) {
  EXPECT_EQ(IssuerCode("", "a b c d e f g h i j k l m n o"), "ABCDEFGHIJKL");
  EXPECT_EQ(IssuerCode("", ""), "DV");
  EXPECT_EQ(IssuerCode("", "— 2026 —"), "DV") << "a code starts with a letter";
  EXPECT_EQ(IssuerCode("THIS-CODE-IS-FAR-TOO-LONG", "Sở Y tế"), "TCIFTL")
      << "over 20 characters: not a code, so initials of its words";
}

TEST(PlaceOfIssue, IsWhatFollowsTheProvinceOrCity) {
  EXPECT_EQ(PlaceOfIssue("Ủy ban nhân dân tỉnh Sông Hồng"), "Sông Hồng");
  EXPECT_EQ(PlaceOfIssue("UBND tỉnh Thái Nguyên"), "Thái Nguyên");
  EXPECT_EQ(PlaceOfIssue("Ủy ban nhân dân thành phố Hải Phòng"), "Hải Phòng");
  EXPECT_EQ(PlaceOfIssue("Tỉnh Lào Cai"), "Lào Cai");
  EXPECT_EQ(PlaceOfIssue("Sông Hồng"), "Sông Hồng");
}

}  // namespace
}  // namespace ucsc::report
