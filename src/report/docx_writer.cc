// RenderDocx: OfficialDocument -> WordprocessingML package. Layout values are the house values of
// ../shared/DOCFORMAT.md; each is named below with the DOCFORMAT item it implements.
#include <algorithm>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "report/internal/docx_layout.h"
#include "report/internal/text.h"
#include "report/internal/zip_writer.h"
#include "report/official_document.h"
#include "text/utf8.h"
#include "text/vietnamese.h"

namespace ucsc::report {
namespace {

using internal::BoldTextWidthTwips;
using internal::ToUpperVietnamese;
using internal::XmlEscape;
namespace layout = internal::layout;

constexpr std::string_view kWordNs =
    "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" "
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"";
constexpr std::string_view kXmlDecl =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

// ---------------------------------------------------------------------------------------------
// Runs and paragraphs

struct RunStyle {
  int size_pt = 14;
  bool bold = false;
  bool italic = false;
};

std::string RunProperties(const RunStyle& style) {
  std::string out =
      "<w:rPr><w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" "
      "w:eastAsia=\"Times New Roman\" w:cs=\"Times New Roman\"/>";
  if (style.bold) out += "<w:b/><w:bCs/>";
  if (style.italic) out += "<w:i/><w:iCs/>";
  const std::string half_points = std::to_string(style.size_pt * 2);
  out += "<w:color w:val=\"000000\"/><w:sz w:val=\"" + half_points + "\"/><w:szCs w:val=\"" +
         half_points + "\"/><w:lang w:val=\"vi-VN\"/></w:rPr>";
  return out;
}

// Text is NFC-normalised here, once, for every run written.
void AppendRun(std::string_view raw_text, const RunStyle& style, std::string* out) {
  const std::string text = text::NormalizeNfc(raw_text);
  *out += "<w:r>" + RunProperties(style);
  size_t start = 0;
  for (size_t pos = 0; pos <= text.size(); ++pos) {
    if (pos < text.size() && text[pos] != '\n' && text[pos] != '\t') continue;
    if (pos > start) {
      *out += "<w:t xml:space=\"preserve\">" +
              XmlEscape(std::string_view(text).substr(start, pos - start)) + "</w:t>";
    }
    if (pos < text.size()) *out += text[pos] == '\n' ? "<w:br/>" : "<w:tab/>";
    start = pos + 1;
  }
  *out += "</w:r>";
}

enum class Align { kLeft, kCenter, kBoth };

struct ParaStyle {
  Align align = Align::kBoth;
  int before = 0;  // twips
  int after = 0;
  int line = layout::kSingleLine;  // 240 = single
  bool exact = false;
  int first_line = 0;
  int left = 0;
  int right = 0;
  int hanging = 0;
  int tab_stop = 0;  // 0 = none
  bool keep_next = false;
  bool bottom_rule = false;  // solid rule along the bottom, between the indents
  int mark_size_pt = 14;     // size of the paragraph mark (height of an empty paragraph)
};

void OpenParagraph(const ParaStyle& p, std::string* out) {
  *out += "<w:p><w:pPr>";
  if (p.keep_next) *out += "<w:keepNext/>";
  if (p.bottom_rule) {
    *out += "<w:pBdr><w:bottom w:val=\"single\" w:sz=\"" + std::to_string(layout::kRuleEighths) +
            "\" w:space=\"0\" w:color=\"000000\"/></w:pBdr>";
  }
  if (p.tab_stop > 0) {
    *out += "<w:tabs><w:tab w:val=\"left\" w:pos=\"" + std::to_string(p.tab_stop) + "\"/></w:tabs>";
  }
  *out += "<w:spacing w:before=\"" + std::to_string(p.before) + "\" w:after=\"" +
          std::to_string(p.after) + "\" w:line=\"" + std::to_string(p.line) + "\" w:lineRule=\"" +
          (p.exact ? "exact" : "auto") + "\"/>";
  *out += "<w:ind w:left=\"" + std::to_string(p.left) + "\" w:right=\"" + std::to_string(p.right) +
          "\"";
  if (p.hanging > 0) {
    *out += " w:hanging=\"" + std::to_string(p.hanging) + "\"";
  } else {
    *out += " w:firstLine=\"" + std::to_string(p.first_line) + "\"";
  }
  *out += "/>";
  *out += std::string("<w:jc w:val=\"") +
          (p.align == Align::kLeft     ? "left"
           : p.align == Align::kCenter ? "center"
                                       : "both") +
          "\"/>";
  const std::string half_points = std::to_string(p.mark_size_pt * 2);
  *out +=
      "<w:rPr><w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" "
      "w:eastAsia=\"Times New Roman\" w:cs=\"Times New Roman\"/><w:sz w:val=\"" +
      half_points + "\"/><w:szCs w:val=\"" + half_points + "\"/></w:rPr>";
  *out += "</w:pPr>";
}

void AppendParagraph(const ParaStyle& p, std::string_view text, const RunStyle& r,
                     std::string* out) {
  OpenParagraph(p, out);
  if (!text.empty()) AppendRun(text, r, out);
  *out += "</w:p>";
}

// An empty paragraph whose bottom border is a centred rule `length` twips long in a box
// `box_width` wide (DOCFORMAT items 5, 6, 9: the lines under the motto, the issuing body and
// the trích yếu).
void AppendRule(int box_width, int length, std::string* out) {
  length = std::clamp(length, 1, box_width);
  ParaStyle p;
  p.align = Align::kCenter;
  p.line = layout::kRuleParagraphHeight;
  p.exact = true;
  p.left = (box_width - length) / 2;
  p.right = box_width - length - p.left;
  p.bottom_rule = true;
  p.mark_size_pt = 2;
  OpenParagraph(p, out);
  *out += "</w:p>";
}

// Greedy word wrap of bold text at `limit` twips; existing '\n' are kept.
std::vector<std::string> GreedyWrap(std::string_view text, int size_pt, int limit) {
  std::vector<std::string> lines;
  size_t line_start = 0;
  while (line_start <= text.size()) {
    size_t line_end = text.find('\n', line_start);
    if (line_end == std::string_view::npos) line_end = text.size();
    std::string current;
    size_t pos = line_start;
    while (pos < line_end) {
      size_t space = text.find(' ', pos);
      if (space == std::string_view::npos || space > line_end) space = line_end;
      const std::string_view word = text.substr(pos, space - pos);
      const std::string candidate =
          current.empty() ? std::string(word) : current + " " + std::string(word);
      if (!current.empty() && BoldTextWidthTwips(candidate, size_pt) > limit) {
        lines.push_back(current);
        current = std::string(word);
      } else {
        current = candidate;
      }
      pos = space + 1;
    }
    lines.push_back(current);
    line_start = line_end + 1;
  }
  return lines;
}

// Wraps bold text to fit `max_width` twips in as few lines as greedy wrapping needs, with the
// lines as even as possible ("SỞ KHOA HỌC / VÀ CÔNG NGHỆ", not "SỞ KHOA HỌC VÀ CÔNG / NGHỆ"), as
// centred header lines are set by hand. A 5 % margin keeps the renderer from wrapping again
// where its metrics differ slightly.
std::vector<std::string> WrapBold(std::string_view text, int size_pt, int max_width) {
  const int limit = max_width * 95 / 100;
  std::vector<std::string> best = GreedyWrap(text, size_pt, limit);
  // The narrowest limit that still gives the same number of lines.
  int low = 1, high = limit;
  while (low < high) {
    const int mid = low + (high - low) / 2;
    if (GreedyWrap(text, size_pt, mid).size() <= best.size()) {
      high = mid;
    } else {
      low = mid + 1;
    }
  }
  std::vector<std::string> balanced = GreedyWrap(text, size_pt, high);
  if (balanced.size() == best.size()) best = std::move(balanced);
  return best;
}

int WidestLine(const std::vector<std::string>& lines, int size_pt) {
  int widest = 0;
  for (const std::string& line : lines) {
    widest = std::max(widest, BoldTextWidthTwips(line, size_pt));
  }
  return widest;
}

std::string JoinLines(const std::vector<std::string>& lines) {
  std::string joined;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (i > 0) joined += '\n';
    joined += lines[i];
  }
  return joined;
}

// Bold, centred, wrapped text followed by its short rule (issuing body, trích yếu).
void AppendBoldWithShortRule(std::string_view text, int size_pt, int box_width, ParaStyle p,
                             std::string* out) {
  const std::vector<std::string> lines = WrapBold(text, size_pt, box_width);
  AppendParagraph(p, JoinLines(lines), RunStyle{size_pt, true, false}, out);
  const int widest = std::min(WidestLine(lines, size_pt), box_width);
  AppendRule(box_width, widest * layout::kShortRulePercent / 100, out);
}

// ---------------------------------------------------------------------------------------------
// Tables

void OpenTable(const std::vector<int>& widths, bool borders, int cell_margin, std::string* out) {
  int total = 0;
  for (int w : widths) total += w;
  *out += "<w:tbl><w:tblPr><w:tblW w:w=\"" + std::to_string(total) +
          "\" w:type=\"dxa\"/><w:jc w:val=\"center\"/><w:tblBorders>";
  for (const char* side : {"top", "left", "bottom", "right", "insideH", "insideV"}) {
    *out += std::string("<w:") + side +
            (borders ? " w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>"
                     : " w:val=\"none\" w:sz=\"0\" w:space=\"0\" w:color=\"auto\"/>");
  }
  const std::string margin = std::to_string(cell_margin);
  *out += "</w:tblBorders><w:tblLayout w:type=\"fixed\"/><w:tblCellMar><w:left w:w=\"" + margin +
          "\" w:type=\"dxa\"/><w:right w:w=\"" + margin +
          "\" w:type=\"dxa\"/></w:tblCellMar><w:tblLook w:val=\"0000\" w:firstRow=\"0\" "
          "w:lastRow=\"0\" w:firstColumn=\"0\" w:lastColumn=\"0\" w:noHBand=\"1\" "
          "w:noVBand=\"1\"/></w:tblPr><w:tblGrid>";
  for (int w : widths) *out += "<w:gridCol w:w=\"" + std::to_string(w) + "\"/>";
  *out += "</w:tblGrid>";
}

void OpenCell(int width, std::string* out) {
  *out += "<w:tc><w:tcPr><w:tcW w:w=\"" + std::to_string(width) + "\" w:type=\"dxa\"/></w:tcPr>";
}

void AppendDataTable(const Table& table, std::string* out) {
  const size_t columns = table.header.size();
  std::vector<int> weights = table.column_weights;
  if (weights.empty()) weights.assign(columns, 1);
  long weight_sum = 0;
  for (int w : weights) weight_sum += w;
  std::vector<int> widths(columns);
  int used = 0;
  for (size_t col = 0; col < columns; ++col) {
    widths[col] = static_cast<int>(layout::kTextWidth * weights[col] / weight_sum);
    used += widths[col];
  }
  widths.back() += layout::kTextWidth - used;

  OpenTable(widths, /*borders=*/true, layout::kDataCellMargin, out);
  auto append_row = [&](const std::vector<std::string>& cells, bool header) {
    *out += header ? "<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"
                   : "<w:tr><w:trPr><w:cantSplit/></w:trPr>";
    for (size_t col = 0; col < columns; ++col) {
      OpenCell(widths[col], out);
      ParaStyle p;
      p.before = layout::kCellSpacing;
      p.after = layout::kCellSpacing;
      p.mark_size_pt = table.font_size_pt;
      const bool centered =
          header || std::find(table.centered_columns.begin(), table.centered_columns.end(), col) !=
                        table.centered_columns.end();
      p.align = centered ? Align::kCenter : Align::kLeft;
      AppendParagraph(p, cells[col], RunStyle{table.font_size_pt, header, false}, out);
      *out += "</w:tc>";
    }
    *out += "</w:tr>";
  };
  append_row(table.header, true);
  for (const auto& row : table.rows) append_row(row, false);
  *out += "</w:tbl>";
  // A table must be followed by a paragraph; a small one also separates it from what follows.
  ParaStyle gap;
  gap.after = layout::kParagraphAfter;
  AppendParagraph(gap, "", RunStyle{}, out);
}

// ---------------------------------------------------------------------------------------------
// Document parts

ParaStyle BodyStyle() {
  ParaStyle p;
  p.align = Align::kBoth;
  p.first_line = layout::kFirstLineIndent;
  p.after = layout::kParagraphAfter;
  p.line = layout::kBodyLine;
  return p;
}

// Vietnamese letter sequence for "a)" lists (the alphabet without f, j, w, z).
std::string LetterLabel(size_t index) {
  static constexpr std::string_view kLetters[] = {"a", "b", "c", "d", "đ", "e", "g", "h",
                                                  "i", "k", "l", "m", "n", "o", "p", "q",
                                                  "r", "s", "t", "u", "v", "x", "y"};
  constexpr size_t kCount = std::size(kLetters);
  std::string label(kLetters[index % kCount]);
  if (index >= kCount) label += std::to_string(index / kCount + 1);
  return label;
}

std::string ListPrefix(ListStyle style, size_t index) {
  switch (style) {
    case ListStyle::kArabic:
      return std::to_string(index + 1) + ". ";
    case ListStyle::kLetter:
      return LetterLabel(index) + ") ";
    case ListStyle::kDash:
      return "- ";
  }
  return "";
}

// "./." replaces a final "." or follows the text (Appendix III model layouts).
std::string WithEndMark(std::string text) {
  while (!text.empty() && (text.back() == ' ' || text.back() == '\n')) text.pop_back();
  if (!text.empty() && text.back() == '.') return text + "/.";
  return text + "./.";
}

// Ends `s` with `mark` unless it already ends in punctuation.
std::string WithFinalPunctuation(std::string s, char mark) {
  while (!s.empty() && s.back() == ' ') s.pop_back();
  if (!s.empty() && (s.back() == ';' || s.back() == '.' || s.back() == ',' || s.back() == ':')) {
    s.back() = mark;
    return s;
  }
  return s + mark;
}

void AppendHeaderGrid(const OfficialDocument& doc, std::string* out) {
  const int left_width = layout::kHeaderLeftWidth;
  const int right_width = layout::kTextWidth - left_width;
  OpenTable({left_width, right_width}, /*borders=*/false, 0, out);

  // Row 1: cell 2 (parent, issuing body, rule) | cell 1 (national title, motto, rule).
  *out += "<w:tr><w:trPr><w:cantSplit/></w:trPr>";
  OpenCell(left_width, out);
  ParaStyle centered;
  centered.align = Align::kCenter;
  centered.mark_size_pt = layout::kHeaderBodySize;
  if (!doc.parent_body.empty()) {
    AppendParagraph(centered, ToUpperVietnamese(text::NormalizeNfc(doc.parent_body)),
                    RunStyle{layout::kHeaderBodySize, false, false}, out);
  }
  AppendBoldWithShortRule(ToUpperVietnamese(text::NormalizeNfc(doc.issuing_body)),
                          layout::kHeaderBodySize, left_width, centered, out);
  *out += "</w:tc>";
  OpenCell(right_width, out);
  AppendParagraph(centered, kNationalTitle, RunStyle{layout::kNationalTitleSize, true, false}, out);
  centered.mark_size_pt = layout::kMottoSize;
  AppendParagraph(centered, kMotto, RunStyle{layout::kMottoSize, true, false}, out);
  AppendRule(right_width, BoldTextWidthTwips(kMotto, layout::kMottoSize), out);
  *out += "</w:tc></w:tr>";

  // Row 2: cell 3 (number, V/v) | cell 4 (place and date), on the same line.
  *out += "<w:tr><w:trPr><w:cantSplit/></w:trPr>";
  OpenCell(left_width, out);
  ParaStyle number_style = centered;
  number_style.before = layout::kNumberRowBefore;
  number_style.mark_size_pt = layout::kNumberSize;
  AppendParagraph(number_style, FormatNumberLine(doc.number, doc.symbol),
                  RunStyle{layout::kNumberSize, false, false}, out);
  if (doc.kind == DocumentKind::kCongVan) {
    ParaStyle vv = centered;
    vv.before = layout::kVvBefore;
    vv.mark_size_pt = layout::kVvSize;
    AppendParagraph(vv, "V/v " + text::NormalizeNfc(doc.abstract),
                    RunStyle{layout::kVvSize, false, false}, out);
  }
  *out += "</w:tc>";
  OpenCell(right_width, out);
  // 14 pt, or 13 pt (the legal minimum) when a long place name would not fit one line at 14 pt
  // (estimated with the bold widths, which are wider than the italic ones).
  const std::string date_line = text::NormalizeNfc(doc.place) + ", " + FormatDateLine(doc.date);
  const int date_size = BoldTextWidthTwips(date_line, layout::kDateSize) > right_width * 95 / 100
                            ? layout::kDateSizeLong
                            : layout::kDateSize;
  ParaStyle date_style = centered;
  date_style.before = layout::kNumberRowBefore;
  date_style.mark_size_pt = date_size;
  AppendParagraph(date_style, date_line, RunStyle{date_size, false, true}, out);
  *out += "</w:tc></w:tr></w:tbl>";
}

void AppendTitle(const OfficialDocument& doc, std::string* out) {
  if (doc.kind != DocumentKind::kTyped) return;
  ParaStyle p;
  p.align = Align::kCenter;
  p.before = layout::kTypeLineBefore;
  p.keep_next = true;
  AppendParagraph(p, ToUpperVietnamese(text::NormalizeNfc(doc.type_name)),
                  RunStyle{layout::kTitleSize, true, false}, out);
  p.before = 0;
  AppendBoldWithShortRule(text::NormalizeNfc(doc.abstract), layout::kTitleSize, layout::kTextWidth,
                          p, out);
}

// DOCFORMAT 9a / checklist 14.
void AppendAddressees(const OfficialDocument& doc, std::string* out) {
  if (doc.addressees.empty()) return;
  const RunStyle r{layout::kBodySize, false, false};
  ParaStyle p;
  p.before = layout::kAddresseesBefore;
  p.after = layout::kAddresseesAfter;
  if (doc.addressees.size() == 1) {
    p.align = Align::kCenter;
    AppendParagraph(p, "Kính gửi: " + WithFinalPunctuation(doc.addressees[0], '.'), r, out);
    return;
  }
  p.align = Align::kLeft;
  p.left = layout::kAddresseesLeft + layout::kAddresseesHang;
  p.hanging = layout::kAddresseesHang;
  p.tab_stop = layout::kAddresseesLeft + layout::kAddresseesHang;
  std::string text = "Kính gửi:\t";
  for (size_t i = 0; i < doc.addressees.size(); ++i) {
    if (i > 0) text += '\n';
    text +=
        "- " + WithFinalPunctuation(doc.addressees[i], i + 1 == doc.addressees.size() ? '.' : ';');
  }
  AppendParagraph(p, text, r, out);
}

void AppendBody(const OfficialDocument& doc, std::string* out) {
  const RunStyle body_run{layout::kBodySize, false, false};
  for (size_t i = 0; i < doc.legal_bases.size(); ++i) {
    const char mark = i + 1 == doc.legal_bases.size() ? '.' : ';';
    AppendParagraph(BodyStyle(), WithFinalPunctuation(doc.legal_bases[i], mark),
                    RunStyle{layout::kBodySize, false, true}, out);
  }

  // Index of the block that carries "./.": the last paragraph or list, if it is the last block.
  const bool mark_last = doc.end_mark && !doc.body.empty() &&
                         (std::holds_alternative<Paragraph>(doc.body.back()) ||
                          std::holds_alternative<NumberedList>(doc.body.back()));
  for (size_t block_idx = 0; block_idx < doc.body.size(); ++block_idx) {
    const bool is_last = mark_last && block_idx + 1 == doc.body.size();
    const Block& block = doc.body[block_idx];
    if (const auto* heading = std::get_if<Heading>(&block)) {
      ParaStyle p = BodyStyle();
      p.before = layout::kHeadingBefore;
      p.keep_next = true;
      RunStyle r{layout::kBodySize, true, false};
      switch (heading->style) {
        case HeadingStyle::kCentered:
          p.align = Align::kCenter;
          p.first_line = 0;
          break;
        case HeadingStyle::kSection:
        case HeadingStyle::kSubsection:
          break;
        case HeadingStyle::kPoint:
          r.bold = false;
          r.italic = true;
          break;
      }
      AppendParagraph(p, heading->text, r, out);
    } else if (const auto* paragraph = std::get_if<Paragraph>(&block)) {
      OpenParagraph(BodyStyle(), out);
      for (size_t run_idx = 0; run_idx < paragraph->runs.size(); ++run_idx) {
        const TextRun& run = paragraph->runs[run_idx];
        const bool last_run = is_last && run_idx + 1 == paragraph->runs.size();
        AppendRun(last_run ? WithEndMark(run.text) : run.text,
                  RunStyle{layout::kBodySize, run.bold, run.italic}, out);
      }
      *out += "</w:p>";
    } else if (const auto* list = std::get_if<NumberedList>(&block)) {
      for (size_t item_idx = 0; item_idx < list->items.size(); ++item_idx) {
        std::string text = ListPrefix(list->style, item_idx) + list->items[item_idx];
        if (is_last && item_idx + 1 == list->items.size()) text = WithEndMark(std::move(text));
        AppendParagraph(BodyStyle(), text, body_run, out);
      }
    } else if (const auto* table = std::get_if<Table>(&block)) {
      AppendDataTable(*table, out);
    }
  }
  if (doc.end_mark && !mark_last) {
    AppendParagraph(BodyStyle(), "./.", body_run, out);
  }
}

// DOCFORMAT cells 7a, 7b, 9b, 12 / checklist 12, 13.
void AppendSignatureBlock(const OfficialDocument& doc, std::string* out) {
  const int left_width = layout::kSignatureLeftWidth;
  const int right_width = layout::kTextWidth - left_width;
  OpenTable({left_width, right_width}, /*borders=*/false, 0, out);
  *out += "<w:tr><w:trPr><w:cantSplit/></w:trPr>";

  OpenCell(left_width, out);
  ParaStyle left;
  left.align = Align::kLeft;
  left.before = layout::kSignatureBefore;
  left.mark_size_pt = layout::kRecipientsLabelSize;
  AppendParagraph(left, "Nơi nhận:", RunStyle{layout::kRecipientsLabelSize, true, true}, out);
  left.before = 0;
  left.mark_size_pt = layout::kRecipientsSize;
  const RunStyle item{layout::kRecipientsSize, false, false};
  for (const std::string& recipient : doc.recipients) {
    AppendParagraph(left, "- " + WithFinalPunctuation(recipient, ';'), item, out);
  }
  AppendParagraph(left, "- Lưu: " + WithFinalPunctuation(doc.archive_units, '.'), item, out);
  if (!doc.drafter_and_copies.empty()) {
    AppendParagraph(left, ToUpperVietnamese(text::NormalizeNfc(doc.drafter_and_copies)), item, out);
  }
  *out += "</w:tc>";

  OpenCell(right_width, out);
  ParaStyle right;
  right.align = Align::kCenter;
  right.before = layout::kSignatureBefore;
  const RunStyle title{layout::kSignatureSize, true, false};
  if (!doc.signature.authority.empty()) {
    AppendParagraph(right, ToUpperVietnamese(text::NormalizeNfc(doc.signature.authority)), title,
                    out);
    right.before = 0;
  }
  AppendParagraph(right, ToUpperVietnamese(text::NormalizeNfc(doc.signature.title)), title, out);
  // Room for the signature and seal (7c, 8).
  ParaStyle space = right;
  space.before = 0;
  space.line = layout::kSignatureSpace;
  space.exact = true;
  AppendParagraph(space, "", title, out);
  right.before = 0;
  AppendParagraph(right, doc.signature.name, title, out);
  *out += "</w:tc></w:tr></w:tbl>";
  // Word expects the body to end with a paragraph; a 1 pt one cannot push a blank page.
  ParaStyle end;
  end.line = 20;
  end.exact = true;
  end.mark_size_pt = 1;
  AppendParagraph(end, "", RunStyle{}, out);
}

std::string DocumentXml(const OfficialDocument& doc) {
  std::string out(kXmlDecl);
  out += "<w:document ";
  out += kWordNs;
  out += "><w:body>";
  AppendHeaderGrid(doc, &out);
  AppendTitle(doc, &out);
  AppendAddressees(doc, &out);
  AppendBody(doc, &out);
  AppendSignatureBlock(doc, &out);
  out +=
      "<w:sectPr><w:headerReference w:type=\"default\" r:id=\"rIdHeaderDefault\"/>"
      "<w:headerReference w:type=\"first\" r:id=\"rIdHeaderFirst\"/>";
  out += "<w:pgSz w:w=\"" + std::to_string(layout::kPageWidth) + "\" w:h=\"" +
         std::to_string(layout::kPageHeight) + "\" w:orient=\"portrait\"/>";
  out += "<w:pgMar w:top=\"" + std::to_string(layout::kMarginTop) + "\" w:right=\"" +
         std::to_string(layout::kMarginRight) + "\" w:bottom=\"" +
         std::to_string(layout::kMarginBottom) + "\" w:left=\"" +
         std::to_string(layout::kMarginLeft) + "\" w:header=\"" +
         std::to_string(layout::kHeaderDistance) + "\" w:footer=\"" +
         std::to_string(layout::kHeaderDistance) + "\" w:gutter=\"0\"/>";
  out +=
      "<w:pgNumType w:fmt=\"decimal\" w:start=\"1\"/><w:cols w:space=\"720\"/><w:titlePg/>"
      "</w:sectPr></w:body></w:document>";
  return out;
}

// Default header: the page number, centred in the top margin (checklist 15).
std::string PageNumberHeaderXml() {
  std::string out(kXmlDecl);
  out += "<w:hdr ";
  out += kWordNs;
  out += ">";
  ParaStyle p;
  p.align = Align::kCenter;
  p.mark_size_pt = layout::kPageNumberSize;
  OpenParagraph(p, &out);
  const RunStyle r{layout::kPageNumberSize, false, false};
  const std::string rpr = RunProperties(r);
  out += "<w:r>" + rpr + "<w:fldChar w:fldCharType=\"begin\"/></w:r>";
  out += "<w:r>" + rpr + "<w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>";
  out += "<w:r>" + rpr + "<w:fldChar w:fldCharType=\"separate\"/></w:r>";
  out += "<w:r>" + rpr + "<w:t>2</w:t></w:r>";
  out += "<w:r>" + rpr + "<w:fldChar w:fldCharType=\"end\"/></w:r>";
  out += "</w:p></w:hdr>";
  return out;
}

// First-page header: empty, so page 1 shows no number.
std::string EmptyHeaderXml() {
  std::string out(kXmlDecl);
  out += "<w:hdr ";
  out += kWordNs;
  out += ">";
  ParaStyle p;
  p.align = Align::kCenter;
  p.mark_size_pt = layout::kPageNumberSize;
  OpenParagraph(p, &out);
  out += "</w:p></w:hdr>";
  return out;
}

std::string StylesXml() {
  std::string out(kXmlDecl);
  out += "<w:styles ";
  out += kWordNs;
  out +=
      "><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=\"Times New Roman\" "
      "w:hAnsi=\"Times New Roman\" w:eastAsia=\"Times New Roman\" w:cs=\"Times New Roman\"/>"
      "<w:color w:val=\"000000\"/><w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/>"
      "<w:lang w:val=\"vi-VN\" w:eastAsia=\"vi-VN\" w:bidi=\"ar-SA\"/></w:rPr></w:rPrDefault>"
      "<w:pPrDefault><w:pPr><w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/>"
      "</w:pPr></w:pPrDefault></w:docDefaults>"
      "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name "
      "w:val=\"Normal\"/><w:qFormat/></w:style>"
      "<w:style w:type=\"character\" w:default=\"1\" w:styleId=\"DefaultParagraphFont\">"
      "<w:name w:val=\"Default Paragraph Font\"/><w:uiPriority w:val=\"1\"/><w:semiHidden/>"
      "</w:style>"
      "<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name "
      "w:val=\"Normal Table\"/><w:semiHidden/><w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/>"
      "<w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"0\" w:type=\"dxa\"/>"
      "<w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"0\" w:type=\"dxa\"/></w:tblCellMar>"
      "</w:tblPr></w:style>"
      "</w:styles>";
  return out;
}

std::string SettingsXml() {
  std::string out(kXmlDecl);
  out += "<w:settings ";
  out += kWordNs;
  out +=
      "><w:zoom w:percent=\"100\"/><w:defaultTabStop w:val=\"720\"/>"
      "<w:characterSpacingControl w:val=\"doNotCompress\"/>"
      "<w:compat><w:compatSetting w:name=\"compatibilityMode\" "
      "w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>"
      "<w:themeFontLang w:val=\"vi-VN\"/><w:decimalSymbol w:val=\",\"/>"
      "<w:listSeparator w:val=\";\"/></w:settings>";
  return out;
}

std::string FontTableXml() {
  std::string out(kXmlDecl);
  out += "<w:fonts ";
  out += kWordNs;
  out +=
      "><w:font w:name=\"Times New Roman\"><w:panose1 w:val=\"02020603050405020304\"/>"
      "<w:charset w:val=\"00\"/><w:family w:val=\"roman\"/><w:pitch w:val=\"variable\"/>"
      "</w:font></w:fonts>";
  return out;
}

std::string ContentTypesXml() {
  std::string out(kXmlDecl);
  out +=
      "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
      "<Default Extension=\"rels\" "
      "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
      "<Default Extension=\"xml\" ContentType=\"application/xml\"/>";
  const std::string_view wml = "application/vnd.openxmlformats-officedocument.wordprocessingml.";
  auto override_part = [&](std::string_view part, std::string_view type) {
    out += "<Override PartName=\"" + std::string(part) + "\" ContentType=\"" + std::string(type) +
           "\"/>";
  };
  override_part("/word/document.xml", std::string(wml) + "document.main+xml");
  override_part("/word/styles.xml", std::string(wml) + "styles+xml");
  override_part("/word/settings.xml", std::string(wml) + "settings+xml");
  override_part("/word/fontTable.xml", std::string(wml) + "fontTable+xml");
  override_part("/word/header1.xml", std::string(wml) + "header+xml");
  override_part("/word/header2.xml", std::string(wml) + "header+xml");
  override_part("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml");
  override_part("/docProps/app.xml",
                "application/vnd.openxmlformats-officedocument.extended-properties+xml");
  out += "</Types>";
  return out;
}

std::string PackageRelsXml() {
  std::string out(kXmlDecl);
  out +=
      "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
      "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
      "relationships/officeDocument\" Target=\"word/document.xml\"/>"
      "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/"
      "relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>"
      "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
      "relationships/extended-properties\" Target=\"docProps/app.xml\"/>"
      "</Relationships>";
  return out;
}

std::string DocumentRelsXml() {
  const std::string base = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/";
  std::string out(kXmlDecl);
  out += "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">";
  auto rel = [&](std::string_view id, std::string_view type, std::string_view target) {
    out += "<Relationship Id=\"" + std::string(id) + "\" Type=\"" + base + std::string(type) +
           "\" Target=\"" + std::string(target) + "\"/>";
  };
  rel("rIdStyles", "styles", "styles.xml");
  rel("rIdSettings", "settings", "settings.xml");
  rel("rIdFontTable", "fontTable", "fontTable.xml");
  rel("rIdHeaderDefault", "header", "header1.xml");
  rel("rIdHeaderFirst", "header", "header2.xml");
  out += "</Relationships>";
  return out;
}

std::string CorePropsXml(const OfficialDocument& doc) {
  std::string title = doc.kind == DocumentKind::kTyped
                          ? ToUpperVietnamese(text::NormalizeNfc(doc.type_name)) + " " +
                                text::NormalizeNfc(doc.abstract)
                          : "V/v " + text::NormalizeNfc(doc.abstract);
  std::replace(title.begin(), title.end(), '\n', ' ');
  std::string out(kXmlDecl);
  out +=
      "<cp:coreProperties "
      "xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" "
      "xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>" +
      XmlEscape(title) + "</dc:title><dc:creator>" +
      XmlEscape(ToUpperVietnamese(text::NormalizeNfc(doc.issuing_body))) +
      "</dc:creator><dc:language>vi-VN</dc:language></cp:coreProperties>";
  return out;
}

std::string AppPropsXml() {
  std::string out(kXmlDecl);
  out +=
      "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/"
      "extended-properties\"><Application>ucsc</Application></Properties>";
  return out;
}

}  // namespace

std::string FormatDateLine(core::LocalDate date) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "ngày %02u tháng %s%u năm %d", date.day,
                date.month <= 2 ? "0" : "", date.month, date.year);
  return buffer;
}

std::string FormatNumberLine(std::optional<int> number, std::string_view symbol) {
  if (!number) return "Số:       /" + std::string(symbol);
  char digits[16];
  std::snprintf(digits, sizeof digits, "%02d", *number);
  return "Số: " + std::string(digits) + "/" + std::string(symbol);
}

core::Result<std::string> RenderDocx(const OfficialDocument& doc) {
  UCSC_RETURN_IF_ERROR(ValidateDocument(doc));
  std::vector<internal::ZipPart> parts;
  parts.push_back({"[Content_Types].xml", ContentTypesXml()});
  parts.push_back({"_rels/.rels", PackageRelsXml()});
  parts.push_back({"docProps/core.xml", CorePropsXml(doc)});
  parts.push_back({"docProps/app.xml", AppPropsXml()});
  parts.push_back({"word/document.xml", DocumentXml(doc)});
  parts.push_back({"word/_rels/document.xml.rels", DocumentRelsXml()});
  parts.push_back({"word/styles.xml", StylesXml()});
  parts.push_back({"word/settings.xml", SettingsXml()});
  parts.push_back({"word/fontTable.xml", FontTableXml()});
  parts.push_back({"word/header1.xml", PageNumberHeaderXml()});
  parts.push_back({"word/header2.xml", EmptyHeaderXml()});
  return internal::WriteZip(parts);
}

}  // namespace ucsc::report
