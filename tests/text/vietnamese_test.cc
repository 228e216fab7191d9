#include "text/vietnamese.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstring>
#include <initializer_list>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace ucsc::text {
namespace {

// Splits well-formed UTF-8 into one string per code point.
std::vector<std::string> CodePoints(std::string_view utf8) {
  std::vector<std::string> out;
  for (size_t pos = 0; pos < utf8.size();) {
    const auto lead = static_cast<unsigned char>(utf8[pos]);
    const size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    out.emplace_back(utf8.substr(pos, length));
    pos += length;
  }
  return out;
}

// Sorts `names` by CollationKey.
std::vector<std::string> SortedByKey(std::vector<std::string> names) {
  std::stable_sort(names.begin(), names.end(), [](const std::string& a, const std::string& b) {
    return CollationKey(a) < CollationKey(b);
  });
  return names;
}

// Expects CollationKey to order `names` exactly as given, strictly.
void ExpectStrictOrder(const std::vector<std::string>& names) {
  for (size_t name_idx = 0; name_idx + 1 < names.size(); ++name_idx) {
    EXPECT_LT(CollationKey(names[name_idx]), CollationKey(names[name_idx + 1]))
        << "\"" << names[name_idx] << "\" should sort before \"" << names[name_idx + 1] << "\"";
  }
}

bool IsPrintableAscii(std::string_view key) {
  return std::all_of(key.begin(), key.end(), [](char c) { return c >= 0x21 && c <= 0x7E; });
}

// The 12 vowels of the alphabet: ASCII base, combining vowel mark (NFD), and the six tones
// (ngang, huyền, hỏi, ngã, sắc, nặng) precomposed, lower then upper case.
struct VowelRow {
  std::string_view base;
  std::string_view mark;
  std::string_view lower;
  std::string_view upper;
};
constexpr std::array<VowelRow, 12> kVowelRows = {{
    {"a", "", "aàảãáạ", "AÀẢÃÁẠ"},
    {"a", "\u0306", "ăằẳẵắặ", "ĂẰẲẴẮẶ"},
    {"a", "\u0302", "âầẩẫấậ", "ÂẦẨẪẤẬ"},
    {"e", "", "eèẻẽéẹ", "EÈẺẼÉẸ"},
    {"e", "\u0302", "êềểễếệ", "ÊỀỂỄẾỆ"},
    {"i", "", "iìỉĩíị", "IÌỈĨÍỊ"},
    {"o", "", "oòỏõóọ", "OÒỎÕÓỌ"},
    {"o", "\u0302", "ôồổỗốộ", "ÔỒỔỖỐỘ"},
    {"o", "\u031B", "ơờởỡớợ", "ƠỜỞỠỚỢ"},
    {"u", "", "uùủũúụ", "UÙỦŨÚỤ"},
    {"u", "\u031B", "ưừửữứự", "ƯỪỬỮỨỰ"},
    {"y", "", "yỳỷỹýỵ", "YỲỶỸÝỴ"},
}};
// Combining tones in the column order of kVowelRows.
constexpr std::array<std::string_view, 6> kCombiningTones = {"",       "\u0300", "\u0309",
                                                             "\u0303", "\u0301", "\u0323"};

std::string Join(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (std::string_view part : parts) out.append(part);
  return out;
}

std::string UpperAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

// --- IsValidUtf8 ---------------------------------------------------------------------------

TEST(Utf8, AcceptsWellFormed) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("Sở Tài chính"));
  EXPECT_TRUE(IsValidUtf8("\xF0\x9F\x98\x80"));  // U+1F600
  EXPECT_TRUE(IsValidUtf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF
  EXPECT_TRUE(IsValidUtf8(std::string_view("a\0b", 3)));
}

TEST(Utf8, RejectsIllFormed) {
  EXPECT_FALSE(IsValidUtf8("\x80"));              // Lone continuation.
  EXPECT_FALSE(IsValidUtf8("\xC3"));              // Truncated.
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // Overlong '/'.
  EXPECT_FALSE(IsValidUtf8("\xE0\x80\xAF"));      // Overlong.
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // Surrogate U+D800.
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // Above U+10FFFF.
  EXPECT_FALSE(IsValidUtf8("\xF5\x80\x80\x80"));
  EXPECT_FALSE(IsValidUtf8("\xFF"));
  EXPECT_FALSE(IsValidUtf8("S\xE1\xBB"));  // "Sở" cut in the middle.
}

// --- FoldForSearch ---------------------------------------------------------------------------

TEST(Fold, StripsTonesAndLowerCases) {
  EXPECT_EQ(FoldForSearch("Sở Tài chính"), "so tai chinh");
  EXPECT_EQ(FoldForSearch("ĐÀ NẴNG"), "da nang");
  EXPECT_EQ(FoldForSearch("Ủy ban nhân dân"), "uy ban nhan dan");
  EXPECT_EQ(FoldForSearch("Thừa Thiên Huế"), "thua thien hue");
  EXPECT_EQ(FoldForSearch("Bà Rịa - Vũng Tàu"), "ba ria - vung tau");
}

TEST(Fold, DStrokeBecomesD) {
  EXPECT_EQ(FoldForSearch("đ"), "d");
  EXPECT_EQ(FoldForSearch("Đ"), "d");
  EXPECT_EQ(FoldForSearch("Điện Biên Đông"), "dien bien dong");
}

TEST(Fold, EveryPrecomposedLetterYieldsItsAsciiBase) {
  int precomposed_count = 0;
  for (const VowelRow& row : kVowelRows) {
    for (std::string_view column : {row.lower, row.upper}) {
      for (const std::string& letter : CodePoints(column)) {
        EXPECT_EQ(FoldForSearch(letter), row.base) << letter;
        precomposed_count += letter.size() > 1;
      }
    }
  }
  for (std::string_view d_stroke : {"đ", "Đ"}) {
    EXPECT_EQ(FoldForSearch(d_stroke), "d");
    ++precomposed_count;
  }
  EXPECT_EQ(precomposed_count, 134);
}

TEST(Fold, DecomposedInputFoldsLikePrecomposed) {
  EXPECT_EQ(FoldForSearch("So\u031B\u0309 Ta\u0300i chi\u0301nh"), "so tai chinh");
  EXPECT_EQ(FoldForSearch("\u0110A\u0300 NA\u0306\u0303NG"), "da nang");
  // Canonical NFD order puts the dot below (ccc 220) before the circumflex (ccc 230).
  EXPECT_EQ(FoldForSearch("Vie\u0323\u0302t Nam"), "viet nam");
  for (const VowelRow& row : kVowelRows) {
    for (const std::string_view tone : kCombiningTones) {
      const std::string nfd = Join({row.base, row.mark, tone});
      EXPECT_EQ(FoldForSearch(nfd), row.base);
      EXPECT_EQ(FoldForSearch(UpperAscii(nfd)), row.base);
    }
  }
}

TEST(Fold, CollapsesAndTrimsWhitespace) {
  EXPECT_EQ(FoldForSearch("  Sở \t Y\n\ntế  "), "so y te");
  EXPECT_EQ(FoldForSearch("Hà\u00A0Nội\u3000"), "ha noi");  // NBSP, ideographic space.
  EXPECT_EQ(FoldForSearch(" \t\r\n"), "");
  EXPECT_EQ(FoldForSearch(""), "");
}

TEST(Fold, DropsIgnorablesAndStrayMarks) {
  EXPECT_EQ(FoldForSearch("\xEF\xBB\xBFHà\u200BNội"), "hanoi");  // BOM, zero width space.
  EXPECT_EQ(FoldForSearch("a\u0301\u0301 \u0300b"), "a b");
}

TEST(Fold, LowerCasesOtherLatinLetters) {
  EXPECT_EQ(FoldForSearch("ÄÖÜ Ç Ñ Ÿ Ł Ž"), "äöü ç ñ ÿ ł ž");
  EXPECT_EQ(FoldForSearch("日本 ΑΒΓ"), "日本 ΑΒΓ");  // Kept as written.
}

TEST(Fold, InvalidUtf8IsReplacedNotFatal) {
  EXPECT_EQ(FoldForSearch("S\xFFở"), "s\uFFFDo");
  EXPECT_EQ(FoldForSearch("\xE1\xBB"), "\uFFFD");  // One U+FFFD per maximal subpart.
  EXPECT_EQ(FoldForSearch("\xC0\xAF"), "\uFFFD\uFFFD");
  EXPECT_TRUE(IsValidUtf8(FoldForSearch("\x80\xBF\xF0\x9F\x98 A\xCC")));
}

// --- CollationKey ----------------------------------------------------------------------------

TEST(Collation, DStrokeSortsAfterD) {
  ExpectStrictOrder({"Dương", "Đà Nẵng", "Gia Lai"});
  ExpectStrictOrder({"dz", "đa"});
}

TEST(Collation, VowelMarksArePrimaryLetters) {
  ExpectStrictOrder({"An", "Ăn", "Ân"});
  ExpectStrictOrder({"e", "ê", "f"});
  ExpectStrictOrder({"o", "ô", "ơ", "p"});
  ExpectStrictOrder({"u", "ư", "v"});
  ExpectStrictOrder({"ắz", "âa"});  // The letter outweighs the tone and what follows.
}

TEST(Collation, TonesSortNgangHuyenHoiNgaSacNang) {
  ExpectStrictOrder({"ca", "cà", "cả", "cã", "cá", "cạ"});
  ExpectStrictOrder({"ơ", "ờ", "ở", "ỡ", "ớ", "ợ"});
}

TEST(Collation, BaseLettersOutweighTones) {
  ExpectStrictOrder({"cạ", "cac"});
  ExpectStrictOrder({"bà ba", "ba xe"});  // Tones compare only after all letters tie.
}

TEST(Collation, LowerCaseBeforeUpperCase) {
  ExpectStrictOrder({"đà nẵng", "Đà Nẵng", "ĐÀ NẴNG"});
  ExpectStrictOrder({"a", "A", "à", "À"});  // Tone outweighs case.
}

TEST(Collation, AlphabetOrderWithForeignLetters) {
  ExpectStrictOrder({"a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g",
                     "h", "i", "j", "k", "l", "m", "n", "o", "ô", "ơ", "p",
                     "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z"});
}

TEST(Collation, SpaceSortsBeforeLetters) {
  ExpectStrictOrder({"Sở Tài chính", "Sở Tư pháp", "Sở Xây dựng", "Sở Y tế"});
  ExpectStrictOrder({"An", "An Giang", "Ana"});
  ExpectStrictOrder({"Ủy ban nhân dân xã A", "Ủy ban nhân dân xã B"});
}

TEST(Collation, DigitsBeforeLettersInNumericOrder) {
  ExpectStrictOrder({"Quận 1", "Quận 2", "Quận 10", "Quận 12", "Quận Bình Thạnh"});
  ExpectStrictOrder({"9", "10", "a"});
  ExpectStrictOrder({"2", "02", "002", "3"});  // Leading zeros only break ties.
  ExpectStrictOrder({"-", "0", "a"});          // Punctuation, digits, letters.
  ExpectStrictOrder({"z", "ä", "日"});         // Other code points after the alphabet.
}

TEST(Collation, HugeNumbersDoNotBreakTheKey) {
  const std::string digits(600, '7');
  const std::string key = CollationKey(digits + " x");
  EXPECT_TRUE(IsPrintableAscii(key));
  ExpectStrictOrder({digits, digits + " x", digits + "7", "1" + std::string(601, '0')});
  ExpectStrictOrder({std::string(15, '9'), "1" + std::string(15, '0'), std::string(16, '9')});
}

TEST(Collation, WhitespaceKindAndRunsDoNotMatter) {
  EXPECT_EQ(CollationKey("  Sở\t\tY tế "), CollationKey("Sở Y tế"));
  EXPECT_EQ(CollationKey("Hà\u00A0Nội"), CollationKey("Hà Nội"));
}

TEST(Collation, NfcAndNfdGiveTheSameKey) {
  EXPECT_EQ(CollationKey("So\u031B\u0309 Ta\u0300i chi\u0301nh"), CollationKey("Sở Tài chính"));
  EXPECT_EQ(CollationKey("\u0110a\u0300 Na\u0306\u0303ng"), CollationKey("Đà Nẵng"));
  EXPECT_EQ(CollationKey("Vie\u0323\u0302t"), CollationKey("Việt"));
  EXPECT_EQ(CollationKey("Vie\u0302\u0323t"), CollationKey("Việt"));
}

TEST(Collation, KeyIsPrintableAsciiWithoutQuotes) {
  for (std::string_view input :
       {std::string_view("Đà Nẵng"), std::string_view("'; DROP TABLE x; --\\\"`"),
        std::string_view("\x00\x01\x7F\xFF", 4), std::string_view("日本 😀 ÄÖ 0042 \u2013")}) {
    const std::string key = CollationKey(input);
    EXPECT_TRUE(IsPrintableAscii(key)) << key;
    EXPECT_EQ(key.find_first_of("'\"\\`"), std::string::npos) << key;
  }
}

TEST(Collation, MemcmpAgreesWithStringLess) {
  const std::string a = CollationKey("Đắk Lắk");
  const std::string b = CollationKey("Đắk Nông");
  ASSERT_LT(a, b);
  EXPECT_LT(std::memcmp(a.data(), b.data(), std::min(a.size(), b.size())), 0);
}

TEST(Collation, SortsShuffledProvinceNames) {
  const std::vector<std::string> expected = {
      "An Giang",  "Bà Rịa - Vũng Tàu", "Bạc Liêu",   "Bắc Giang", "Bắc Kạn",
      "Bắc Ninh",  "Bến Tre",           "Bình Dương", "Bình Định", "Cà Mau",
      "Cao Bằng",  "Cần Thơ",           "Đà Nẵng",    "Đắk Lắk",   "Đắk Nông",
      "Điện Biên", "Đồng Nai",          "Gia Lai",    "Hà Giang",  "Hà Nội",
      "Hải Phòng", "Hồ Chí Minh"};
  std::vector<std::string> shuffled = expected;
  std::mt19937 rng(20240601);
  for (int round = 0; round < 5; ++round) {
    std::shuffle(shuffled.begin(), shuffled.end(), rng);
    EXPECT_EQ(SortedByKey(shuffled), expected);
  }
}

TEST(Collation, SortsShuffledDepartmentNames) {
  const std::vector<std::string> expected = {
      "Ban Dân tộc",
      "Công an tỉnh",
      "Sở Công Thương",
      "Sở Giáo dục và Đào tạo",
      "Sở Giao thông vận tải",
      "Sở Kế hoạch và Đầu tư",
      "Sở Khoa học và Công nghệ",
      "Sở Lao động - Thương binh và Xã hội",
      "Sở Nội vụ",
      "Sở Tài chính",
      "Sở Tài nguyên và Môi trường",
      "Sở Thông tin và Truyền thông",
      "Sở Tư pháp",
      "Sở Văn hóa, Thể thao và Du lịch",
      "Sở Xây dựng",
      "Sở Y tế",
      "Thanh tra tỉnh",
      "Ủy ban nhân dân xã A",
      "Ủy ban nhân dân xã B",
      "Văn phòng Ủy ban nhân dân tỉnh",
  };
  std::vector<std::string> shuffled = expected;
  std::mt19937 rng(7);
  for (int round = 0; round < 5; ++round) {
    std::shuffle(shuffled.begin(), shuffled.end(), rng);
    EXPECT_EQ(SortedByKey(shuffled), expected);
  }
}

// --- NormalizeNfc ----------------------------------------------------------------------------

TEST(Nfc, ComposesEveryVowelInAnyMarkOrder) {
  for (const VowelRow& row : kVowelRows) {
    const std::vector<std::string> lower = CodePoints(row.lower);
    const std::vector<std::string> upper = CodePoints(row.upper);
    ASSERT_EQ(lower.size(), 6u);
    ASSERT_EQ(upper.size(), 6u);
    for (size_t tone_idx = 0; tone_idx < 6; ++tone_idx) {
      const std::string_view base = row.base;
      const std::string upper_base = UpperAscii(base);
      const std::string_view mark = row.mark;
      const std::string_view tone = kCombiningTones[tone_idx];
      EXPECT_EQ(NormalizeNfc(Join({base, mark, tone})), lower[tone_idx]);
      EXPECT_EQ(NormalizeNfc(Join({base, tone, mark})), lower[tone_idx]);
      EXPECT_EQ(NormalizeNfc(Join({upper_base, mark, tone})), upper[tone_idx]);
      EXPECT_EQ(NormalizeNfc(Join({upper_base, tone, mark})), upper[tone_idx]);
      // A precomposed letter takes the missing mark or tone too.
      if (!mark.empty()) {
        EXPECT_EQ(NormalizeNfc(Join({lower[0], tone})), lower[tone_idx]);
      }
      // Already precomposed text is unchanged.
      EXPECT_EQ(NormalizeNfc(lower[tone_idx]), lower[tone_idx]);
      EXPECT_EQ(NormalizeNfc(upper[tone_idx]), upper[tone_idx]);
    }
  }
}

TEST(Nfc, ComposesWholePhrases) {
  EXPECT_EQ(NormalizeNfc("So\u031B\u0309 Ta\u0300i chi\u0301nh"), "Sở Tài chính");
  EXPECT_EQ(NormalizeNfc("Vie\u0323\u0302t Nam"), "Việt Nam");
  EXPECT_EQ(NormalizeNfc("\u0110a\u0300 Na\u0306\u0303ng"), "Đà Nẵng");
  EXPECT_EQ(NormalizeNfc("a\u0341"), "á");  // U+0341 is canonically U+0301.
  // Old input methods type the tone before the vowel mark.
  EXPECT_EQ(NormalizeNfc("á\u0302"), "ấ");
  EXPECT_EQ(NormalizeNfc("Ọ\u031B"), "Ợ");
  EXPECT_EQ(NormalizeNfc("Tru\u031Bo\u0300\u031Bng"), "Trường");
  // Composition never moves a tone to another vowel of the syllable.
  EXPECT_EQ(NormalizeNfc("Tru\u031B\u0300o\u031Bng"), "Trừơng");
}

TEST(Nfc, KeepsMarksThatDoNotFit) {
  EXPECT_EQ(NormalizeNfc("a\u0301\u0300"), "á\u0300");        // Second tone.
  EXPECT_EQ(NormalizeNfc("e\u0306"), "e\u0306");              // No e with breve.
  EXPECT_EQ(NormalizeNfc("n\u0301"), "n\u0301");              // Tone on a consonant.
  EXPECT_EQ(NormalizeNfc("\u0301a"), "\u0301a");              // Mark before any letter.
  EXPECT_EQ(NormalizeNfc("e\u0306\u0302\u0301"), "ế\u0306");  // Later marks still attach.
}

TEST(Nfc, LeavesOtherTextUnchanged) {
  for (std::string_view text :
       {"", "plain ASCII 123 !?", "日本語 😀", "n\u0303 a\u0308", "ä ñ ç", "\t\r\n  "}) {
    EXPECT_EQ(NormalizeNfc(text), text);
  }
}

TEST(Nfc, IsIdempotent) {
  for (std::string_view text :
       {"So\u031B\u0309", "a\u0301\u0300\u0306", "e\u0306\u0302\u0301\u0323", "\u0301\u0301x"}) {
    const std::string once = NormalizeNfc(text);
    EXPECT_EQ(NormalizeNfc(once), once);
  }
}

TEST(Nfc, InvalidUtf8BecomesReplacementCharacter) {
  EXPECT_EQ(NormalizeNfc("a\xFF"), "a\uFFFD");
  EXPECT_EQ(NormalizeNfc("a\xCC\u0301"), "a\uFFFD\u0301");  // Truncated mark blocks the tone.
  EXPECT_TRUE(IsValidUtf8(NormalizeNfc("\xED\xA0\x80\xF4\x90\x80\x80\xC3")));
}

TEST(Oracle, FoldAndKeyIgnoreNormalization) {
  for (std::string_view text :
       {"Sở Tài chính", "So\u031B\u0309 Ta\u0300i chi\u0301nh", "a\u0301\u0300 \u0306e\u0306",
        "\xFF\xC3 \xE1\xBB\u0301 0012 x", "ĐÀ\u00A0NẴNG \u200B"}) {
    const std::string nfc = NormalizeNfc(text);
    EXPECT_EQ(FoldForSearch(nfc), FoldForSearch(text));
    EXPECT_EQ(CollationKey(nfc), CollationKey(text));
  }
}

}  // namespace
}  // namespace ucsc::text
