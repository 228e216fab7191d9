// ValidateDocument: the input checks of official_document.h.
#include <string>
#include <string_view>

#include "report/internal/text.h"
#include "report/official_document.h"
#include "text/utf8.h"

namespace ucsc::report {
namespace {

enum class Need { kRequired, kOptional };
enum class Breaks { kAllowed, kForbidden };

core::Status CheckText(std::string_view text, const std::string& field, Need need, Breaks breaks) {
  bool has_visible = false;
  std::string_view rest = text;
  while (!rest.empty()) {
    const text::Decoded d = text::DecodeUtf8(rest);
    if (!d.valid) return core::InvalidArgument("text is not valid UTF-8", field);
    if (internal::IsForbiddenControl(d.code_point)) {
      return core::InvalidArgument("text contains a control character", field);
    }
    if ((d.code_point == U'\n' || d.code_point == U'\t') && breaks == Breaks::kForbidden) {
      return core::InvalidArgument("line breaks and tabs are not allowed here", field);
    }
    if (d.code_point != U' ' && d.code_point != U'\n' && d.code_point != U'\t') {
      has_visible = true;
    }
    rest.remove_prefix(d.length);
  }
  if (need == Need::kRequired && !has_visible) return core::InvalidArgument("required", field);
  return core::Ok();
}

bool IsUpperAsciiOrDj(std::string_view s, size_t* i) {
  if (*i < s.size() && s[*i] >= 'A' && s[*i] <= 'Z') {
    ++*i;
    return true;
  }
  if (s.substr(*i, 2) == "\xC4\x90") {  // Đ
    *i += 2;
    return true;
  }
  return false;
}

// [A-ZĐ][A-Za-zĐ]*(-[A-ZĐ][A-Za-zĐ0-9]*)+ (DOCFORMAT checklist 7).
bool IsValidSymbol(std::string_view s) {
  size_t i = 0;
  int groups = 0;
  while (true) {
    if (!IsUpperAsciiOrDj(s, &i)) return false;
    while (i < s.size() && s[i] != '-') {
      const char c = s[i];
      if ((c >= 'a' && c <= 'z') || (groups > 0 && c >= '0' && c <= '9')) {
        ++i;
      } else if (!IsUpperAsciiOrDj(s, &i)) {
        return false;
      }
    }
    ++groups;
    if (i == s.size()) break;
    ++i;  // '-'
  }
  return groups >= 2;
}

std::string Index(std::string_view base, size_t i) {
  return std::string(base) + "/" + std::to_string(i);
}

}  // namespace

core::Status ValidateDocument(const OfficialDocument& doc) {
  UCSC_RETURN_IF_ERROR(
      CheckText(doc.parent_body, "/parent_body", Need::kOptional, Breaks::kAllowed));
  UCSC_RETURN_IF_ERROR(
      CheckText(doc.issuing_body, "/issuing_body", Need::kRequired, Breaks::kAllowed));
  if (doc.number && (*doc.number < 1 || *doc.number > 9'999'999)) {
    return core::InvalidArgument("document number must be between 1 and 9999999", "/number");
  }
  if (!IsValidSymbol(doc.symbol)) {
    return core::InvalidArgument(
        "symbol must be groups of letters joined by '-', each starting with a capital, e.g. "
        "BC-UBND",
        "/symbol");
  }
  UCSC_RETURN_IF_ERROR(CheckText(doc.place, "/place", Need::kRequired, Breaks::kForbidden));
  if (!core::IsValidDate(doc.date) || doc.date.year < 1900 || doc.date.year > 9999) {
    return core::InvalidArgument("invalid date", "/date");
  }
  if (doc.kind == DocumentKind::kTyped) {
    UCSC_RETURN_IF_ERROR(
        CheckText(doc.type_name, "/type_name", Need::kRequired, Breaks::kForbidden));
  }
  UCSC_RETURN_IF_ERROR(CheckText(doc.abstract, "/abstract", Need::kRequired, Breaks::kAllowed));
  for (size_t i = 0; i < doc.addressees.size(); ++i) {
    UCSC_RETURN_IF_ERROR(
        CheckText(doc.addressees[i], Index("/addressees", i), Need::kRequired, Breaks::kForbidden));
  }
  for (size_t i = 0; i < doc.legal_bases.size(); ++i) {
    UCSC_RETURN_IF_ERROR(
        CheckText(doc.legal_bases[i], Index("/legal_bases", i), Need::kRequired, Breaks::kAllowed));
  }
  for (size_t block_idx = 0; block_idx < doc.body.size(); ++block_idx) {
    const std::string field = Index("/body", block_idx);
    const Block& block = doc.body[block_idx];
    if (const auto* heading = std::get_if<Heading>(&block)) {
      UCSC_RETURN_IF_ERROR(CheckText(heading->text, field, Need::kRequired, Breaks::kAllowed));
    } else if (const auto* paragraph = std::get_if<Paragraph>(&block)) {
      if (paragraph->runs.empty()) return core::InvalidArgument("empty paragraph", field);
      for (size_t run_idx = 0; run_idx < paragraph->runs.size(); ++run_idx) {
        UCSC_RETURN_IF_ERROR(CheckText(paragraph->runs[run_idx].text,
                                       Index(field + "/runs", run_idx), Need::kOptional,
                                       Breaks::kAllowed));
      }
    } else if (const auto* list = std::get_if<NumberedList>(&block)) {
      if (list->items.empty()) return core::InvalidArgument("empty list", field);
      for (size_t item_idx = 0; item_idx < list->items.size(); ++item_idx) {
        UCSC_RETURN_IF_ERROR(CheckText(list->items[item_idx], Index(field + "/items", item_idx),
                                       Need::kRequired, Breaks::kAllowed));
      }
    } else if (const auto* table = std::get_if<Table>(&block)) {
      const size_t columns = table->header.size();
      if (columns == 0 || columns > 63) {
        return core::InvalidArgument("a table needs 1 to 63 columns", field + "/header");
      }
      for (size_t col = 0; col < columns; ++col) {
        UCSC_RETURN_IF_ERROR(CheckText(table->header[col], Index(field + "/header", col),
                                       Need::kOptional, Breaks::kAllowed));
      }
      if (!table->column_weights.empty()) {
        if (table->column_weights.size() != columns) {
          return core::InvalidArgument("one weight per column", field + "/column_weights");
        }
        for (size_t col = 0; col < columns; ++col) {
          if (table->column_weights[col] <= 0 || table->column_weights[col] > 1000) {
            return core::InvalidArgument("weights must be between 1 and 1000",
                                         Index(field + "/column_weights", col));
          }
        }
      }
      if (table->font_size_pt < 11 || table->font_size_pt > 14) {
        return core::InvalidArgument("table font size must be 11 to 14 pt",
                                     field + "/font_size_pt");
      }
      for (size_t row_idx = 0; row_idx < table->rows.size(); ++row_idx) {
        const std::string row_field = Index(field + "/rows", row_idx);
        if (table->rows[row_idx].size() != columns) {
          return core::InvalidArgument("row has " + std::to_string(table->rows[row_idx].size()) +
                                           " cells, the header " + std::to_string(columns),
                                       row_field);
        }
        for (size_t col = 0; col < columns; ++col) {
          UCSC_RETURN_IF_ERROR(CheckText(table->rows[row_idx][col], Index(row_field, col),
                                         Need::kOptional, Breaks::kAllowed));
        }
      }
    }
  }
  UCSC_RETURN_IF_ERROR(CheckText(doc.signature.authority, "/signature/authority", Need::kOptional,
                                 Breaks::kForbidden));
  UCSC_RETURN_IF_ERROR(
      CheckText(doc.signature.title, "/signature/title", Need::kRequired, Breaks::kForbidden));
  UCSC_RETURN_IF_ERROR(
      CheckText(doc.signature.name, "/signature/name", Need::kRequired, Breaks::kForbidden));
  for (size_t i = 0; i < doc.recipients.size(); ++i) {
    UCSC_RETURN_IF_ERROR(
        CheckText(doc.recipients[i], Index("/recipients", i), Need::kRequired, Breaks::kForbidden));
  }
  UCSC_RETURN_IF_ERROR(
      CheckText(doc.archive_units, "/archive_units", Need::kRequired, Breaks::kForbidden));
  UCSC_RETURN_IF_ERROR(CheckText(doc.drafter_and_copies, "/drafter_and_copies", Need::kOptional,
                                 Breaks::kForbidden));
  return core::Ok();
}

}  // namespace ucsc::report
