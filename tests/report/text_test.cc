// report/internal/text.h: upper case, escaping, bold widths (against the font file).
#include "report/internal/text.h"

#include <gtest/gtest.h>

#include "report/docx_test_util.h"

namespace ucsc::report::internal {
namespace {

TEST(ToUpperVietnamese, AllVietnameseLetters) {
  EXPECT_EQ(ToUpperVietnamese("sở khoa học và công nghệ"), "SỞ KHOA HỌC VÀ CÔNG NGHỆ");
  EXPECT_EQ(ToUpperVietnamese("ủy ban nhân dân tỉnh đắk lắk"), "ỦY BAN NHÂN DÂN TỈNH ĐẮK LẮK");
  EXPECT_EQ(ToUpperVietnamese("ăâđêôơư àảãáạ ằẳẵắặ ầẩẫấậ èẻẽéẹ ềểễếệ ìỉĩíị òỏõóọ ồổỗốộ ờởỡớợ "
                              "ùủũúụ ừửữứự ỳỷỹýỵ"),
            "ĂÂĐÊÔƠƯ ÀẢÃÁẠ ẰẲẴẮẶ ẦẨẪẤẬ ÈẺẼÉẸ ỀỂỄẾỆ ÌỈĨÍỊ ÒỎÕÓỌ ỒỔỖỐỘ ỜỞỠỚỢ ÙỦŨÚỤ ỪỬỮỨỰ ỲỶỸÝỴ");
  EXPECT_EQ(ToUpperVietnamese("ĐÃ HOA"), "ĐÃ HOA");
  EXPECT_EQ(ToUpperVietnamese("kt. giám đốc ÷ 2"), "KT. GIÁM ĐỐC ÷ 2");
}

TEST(XmlEscape, SpecialCharacters) {
  EXPECT_EQ(XmlEscape("a<b>&\"'"), "a&lt;b&gt;&amp;&quot;&apos;");
  EXPECT_EQ(XmlEscape("Việt Nam"), "Việt Nam");
}

TEST(BoldTextWidth, MatchesTheFontFileWithinOnePercent) {
  for (const std::string s :
       {"Độc lập - Tự do - Hạnh phúc", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "ỦY BAN NHÂN DÂN TỈNH THÁI NGUYÊN",
        "Tình hình bảo đảm an toàn hệ thống thông tin theo cấp độ năm 2026"}) {
    const int measured = testing::MeasuredBoldWidthTwips(s, 14);
    if (measured < 0) {
      if (testing::InCi()) FAIL() << "Liberation Serif Bold not installed";
      GTEST_SKIP() << "Liberation Serif Bold not installed";
    }
    EXPECT_NEAR(BoldTextWidthTwips(s, 14), measured, measured / 100.0) << s;
  }
}

TEST(IsForbiddenControl, Classes) {
  EXPECT_FALSE(IsForbiddenControl(U'\n'));
  EXPECT_FALSE(IsForbiddenControl(U'\t'));
  EXPECT_FALSE(IsForbiddenControl(U'a'));
  EXPECT_TRUE(IsForbiddenControl(0x00));
  EXPECT_TRUE(IsForbiddenControl(0x1B));
  EXPECT_TRUE(IsForbiddenControl(0x85));
  EXPECT_TRUE(IsForbiddenControl(0xFFFE));
}

}  // namespace
}  // namespace ucsc::report::internal
