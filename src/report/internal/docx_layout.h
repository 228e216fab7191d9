// The house layout values of ../shared/DOCFORMAT.md, in twips (1/20 pt) and points. One place, so
// the writer and the tests that check it against the DOCFORMAT checklist agree.
// Thread-safety: constants only.
#pragma once

namespace ucsc::report::internal::layout {

// §1 Page: A4 portrait, margins 20/20/30/15 mm.
inline constexpr int kPageWidth = 11906;
inline constexpr int kPageHeight = 16838;
inline constexpr int kMarginTop = 1134;
inline constexpr int kMarginBottom = 1134;
inline constexpr int kMarginLeft = 1701;
inline constexpr int kMarginRight = 850;
inline constexpr int kHeaderDistance = 567;  // page number 1 cm from the top edge
inline constexpr int kTextWidth = kPageWidth - kMarginLeft - kMarginRight;  // 9355

// §3 Grid: header 40 % | 60 %; signature 45 % | 55 %.
inline constexpr int kHeaderLeftWidth = kTextWidth * 40 / 100;
inline constexpr int kSignatureLeftWidth = kTextWidth * 45 / 100;

// §2 Sizes (pt).
inline constexpr int kNationalTitleSize = 13;
inline constexpr int kMottoSize = 14;
inline constexpr int kHeaderBodySize = 13;  // parent and issuing body
inline constexpr int kNumberSize = 13;
inline constexpr int kDateSize = 14;
inline constexpr int kDateSizeLong = 13;  // place names too long for one line at 14 pt
inline constexpr int kVvSize = 13;
inline constexpr int kTitleSize = 14;  // type line and trích yếu
inline constexpr int kBodySize = 14;
inline constexpr int kSignatureSize = 14;
inline constexpr int kRecipientsLabelSize = 12;
inline constexpr int kRecipientsSize = 11;
inline constexpr int kPageNumberSize = 14;

// Rules: under the issuing body and trích yếu, 42 % of the text width (legal 1/3–1/2); under the
// motto, the motto's width. 0.75 pt solid.
inline constexpr int kShortRulePercent = 42;
inline constexpr int kRuleEighths = 6;           // border width in 1/8 pt
inline constexpr int kRuleParagraphHeight = 60;  // the empty paragraph carrying the rule: 3 pt

// Spacing.
inline constexpr int kSingleLine = 240;
inline constexpr int kBodyLine = 288;         // 1.2 lines (legal: single to 1.5)
inline constexpr int kFirstLineIndent = 567;  // 1 cm
inline constexpr int kParagraphAfter = 120;   // 6 pt
inline constexpr int kHeadingBefore = 120;
inline constexpr int kNumberRowBefore = 120;
inline constexpr int kVvBefore = 120;  // "V/v" 6 pt under "Số"
inline constexpr int kTypeLineBefore = 360;
inline constexpr int kAddresseesBefore = 240;
inline constexpr int kAddresseesAfter = 240;
inline constexpr int kAddresseesLeft = 1418;  // where "Kính gửi:" starts (several addressees)
inline constexpr int kAddresseesHang = 1247;  // room for "Kính gửi: " at 14 pt
inline constexpr int kSignatureBefore = 240;
inline constexpr int kSignatureSpace = 1700;  // room for signature and seal, 3 cm
inline constexpr int kCellSpacing = 40;       // data table cell padding, top and bottom
inline constexpr int kDataCellMargin = 57;    // data table cell padding, left and right

}  // namespace ucsc::report::internal::layout
