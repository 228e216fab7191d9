// Official documents (văn bản hành chính) in the layout of Decree 30/2020/NĐ-CP, Appendix I
// (../shared/DOCFORMAT.md): the model and its rendering to DOCX (Office Open XML).
//
// The caller fills an OfficialDocument with plain text; RenderDocx validates it and lays it out
// with the house values of DOCFORMAT.md: A4 portrait, margins 20/20/30/15 mm, Times New Roman
// everywhere, the borderless 2 × 2 header grid (issuing body | national title, number | place and
// date), type line and trích yếu with their short rules, body, the 2-column signature block with
// "Nơi nhận:", and page numbers centred in the top margin from page 2. Documents are unsigned:
// signature and seal images (DOCFORMAT §5) are applied by the signing platform.
//
// Text: every string is UTF-8; it is stored in NFC (text::NormalizeNfc) and XML-escaped. Lines
// that the format puts in upper case (bodies, type name, signature titles) are upper-cased here,
// so callers may pass them in any case. '\n' in a header line or paragraph is a line break.
//
// Thread-safety: plain values and pure functions; safe to use from any thread.
//
// Example:
//   report::OfficialDocument doc;
//   doc.parent_body = "UBND tỉnh Thái Nguyên";
//   doc.issuing_body = "Sở Khoa học và Công nghệ";
//   doc.number = 12;
//   doc.symbol = "BC-SKHCN";
//   doc.place = "Thái Nguyên";
//   doc.date = {2026, 12, 18};
//   doc.type_name = "Báo cáo";
//   doc.abstract = "Tình hình bảo đảm an toàn hệ thống thông tin theo cấp độ năm 2026";
//   doc.body.push_back(report::Paragraph::Plain("Thực hiện ..."));
//   doc.signature = {"KT. Giám đốc", "Phó Giám đốc", "Nguyễn Văn A"};
//   doc.recipients = {"Bộ Công an (A05)", "UBND tỉnh"};
//   doc.archive_units = "VT, CNTT";
//   UCSC_ASSIGN_OR_RETURN(std::string docx, report::RenderDocx(doc));
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/legal_time.h"
#include "core/result.h"

namespace ucsc::report {

// A run of text with its emphasis.
struct TextRun {
  std::string text;
  bool bold = false;
  bool italic = false;
};

// A body paragraph: justified, first-line indent 1 cm, 14 pt, 6 pt after, line spacing 1.2.
struct Paragraph {
  std::vector<TextRun> runs;

  static Paragraph Plain(std::string text) { return Paragraph{{TextRun{std::move(text)}}}; }
  static Paragraph Italic(std::string text) {
    return Paragraph{{TextRun{std::move(text), false, true}}};
  }
};

enum class HeadingStyle {
  kCentered,    // "Phần I", "Chương II", "Mục 1" and part titles: own line, centred, bold.
  kSection,     // "I. KẾT QUẢ ...": bold, with the paragraph indent.
  kSubsection,  // "1. Hệ thống cấp độ 3": bold, with the paragraph indent.
  kPoint,       // "a) ...": italic, with the paragraph indent.
};

struct Heading {
  std::string text;
  HeadingStyle style = HeadingStyle::kSection;
};

enum class ListStyle {
  kArabic,  // "1.", "2.", … (khoản)
  kLetter,  // "a)", "b)", … (điểm; Vietnamese alphabet order: a b c d đ e g h i k …)
  kDash,    // "- "
};

// Items as body paragraphs with a literal prefix (no Word numbering definitions, so the numbers
// survive copy, PDF and text extraction).
struct NumberedList {
  std::vector<std::string> items;
  ListStyle style = ListStyle::kArabic;
};

// A bordered table, full text width. The header row is bold, centred and repeats on each page.
struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;  // Each row has header.size() cells.
  // Relative column widths (any positive units); empty = equal widths.
  std::vector<int> column_weights;
  // Columns whose cells are centred (numbers, dates); others are left-aligned.
  std::vector<size_t> centered_columns;
  int font_size_pt = 12;  // 11..14
};

using Block = std::variant<Heading, Paragraph, NumberedList, Table>;

// Signature block (DOCFORMAT cells 7a, 7b): e.g. {"KT. Giám đốc", "Phó Giám đốc", "Nguyễn Văn A"}
// or {"", "Giám đốc", "Trần Thị B"} when the head signs in person.
struct Signature {
  std::string authority;  // "TM. …", "KT. …", "Q. …", "TL. …", "TUQ. …" line; may be empty.
  std::string title;      // Chức vụ of the signer. Required.
  std::string name;       // Họ tên, without academic titles. Required.
};

enum class DocumentKind {
  kTyped,    // Báo cáo, kế hoạch, thông báo…: type line + trích yếu under the header.
  kCongVan,  // Công văn: no type line; "V/v <abstract>" under the number.
};

struct OfficialDocument {
  DocumentKind kind = DocumentKind::kTyped;

  std::string parent_body;   // Cơ quan chủ quản trực tiếp; optional.
  std::string issuing_body;  // Cơ quan ban hành. Required.

  // "Số: 12/BC-SKHCN". nullopt leaves the number blank for the văn thư to fill in at
  // registration ("Số:      /BC-SKHCN"); otherwise 1..9999999, printed with at least 2 digits.
  std::optional<int> number;
  // Ký hiệu: type abbreviation + issuer ("BC-SKHCN"), or for công văn issuer + unit ("SKHCN-CNTT").
  // Must match [A-ZĐ][A-Za-zĐ]*(-[A-ZĐ][A-Za-zĐ0-9]*)+. Required.
  std::string symbol;

  std::string place;  // Địa danh, e.g. "Thái Nguyên". Required.
  core::LocalDate date;

  std::string
      type_name;  // kTyped: "Báo cáo", "Kế hoạch"… (printed upper case). Ignored for kCongVan.
  std::string
      abstract;  // Trích yếu (kTyped) or the "V/v" text (kCongVan, without "V/v "). Required.

  // "Kính gửi:" addressees; empty = no such line. One is printed on the same line; several as
  // "- X;" lines aligned after the colon, the last ending in ".".
  std::vector<std::string> addressees;

  // "Căn cứ …" lines, italic, printed before the body; ";" is added at the end of each line and
  // "." at the last when the caller has not put a punctuation mark there.
  std::vector<std::string> legal_bases;

  std::vector<Block> body;
  // Appends "./." after the last body paragraph or list item (Appendix III model layouts).
  bool end_mark = true;

  Signature signature;

  // "Nơi nhận:" items, each printed "- X;". The archive line "- Lưu: VT, <archive_units>." ends
  // the list. archive_units is required ("VT, CNTT"; "VT" alone is fine).
  std::vector<std::string> recipients;
  std::string archive_units;
  // Cell 12: drafter initials and copies, e.g. "HTB.(05)"; optional.
  std::string drafter_and_copies;
};

// The national title and motto, exactly as printed.
inline constexpr std::string_view kNationalTitle = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
inline constexpr std::string_view kMotto = "Độc lập - Tự do - Hạnh phúc";

// Returns "ngày 05 tháng 3 năm 2026" (day zero-padded, months 1 and 2 zero-padded, DOCFORMAT §4).
// REQUIRES: core::IsValidDate(date).
std::string FormatDateLine(core::LocalDate date);

// Returns the "Số: …" line for `number` and `symbol`: "Số: 05/BC-SKHCN", or with a blank number
// "Số:      /BC-SKHCN".
std::string FormatNumberLine(std::optional<int> number, std::string_view symbol);

// Checks `doc` and returns kInvalidArgument naming the field (as a JSON pointer, e.g.
// "/body/3/rows/2") when a required field is empty, text is not valid UTF-8 or holds control
// characters other than '\n' (and '\t' in body text), the symbol does not match the pattern above,
// the date is invalid or the number out of range, a table row has the wrong number of cells, a
// weight is not positive or the font size is out of range.
[[nodiscard]] core::Status ValidateDocument(const OfficialDocument& doc);

// Returns the bytes of a .docx file for `doc` (after ValidateDocument). The output is
// deterministic: the same document gives the same bytes (fixed zip timestamps, no generated ids).
// Errors: those of ValidateDocument; kInternal when zip writing fails.
[[nodiscard]] core::Result<std::string> RenderDocx(const OfficialDocument& doc);

}  // namespace ucsc::report
