#include "report/issue_details.h"

#include <algorithm>

#include "text/vietnamese.h"

namespace ucsc::report {

std::string IssuerCode(std::string_view short_name, std::string_view name) {
  const auto is_code = [](std::string_view s) {
    return !s.empty() && s.size() <= 20 && s[0] >= 'A' && s[0] <= 'Z' &&
           std::all_of(s.begin(), s.end(), [](char ch) {
             return (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-';
           });
  };
  if (is_code(short_name)) return std::string(short_name);
  const std::string folded = text::FoldForSearch(short_name.empty() ? name : short_name);
  std::string code;
  bool word_start = true;
  for (char ch : folded) {
    const bool letter = ch >= 'a' && ch <= 'z';
    const bool digit = ch >= '0' && ch <= '9';
    if (!letter && !digit) {
      word_start = true;
      continue;
    }
    if (digit || word_start) code += letter ? static_cast<char>(ch - 'a' + 'A') : ch;
    word_start = false;
  }
  if (code.size() > 12) code.resize(12);
  if (code.empty() || code[0] < 'A' || code[0] > 'Z') return "DV";
  return code;
}

std::string PlaceOfIssue(std::string_view root_name) {
  size_t best = std::string_view::npos, skip = 0;
  for (std::string_view marker : {"tỉnh ", "Tỉnh ", "thành phố ", "Thành phố "}) {
    const auto at = root_name.rfind(marker);
    if (at != std::string_view::npos && (best == std::string_view::npos || at > best)) {
      best = at;
      skip = marker.size();
    }
  }
  if (best == std::string_view::npos) return std::string(root_name);
  return std::string(root_name.substr(best + skip));
}

OfficialDocument StartTypedDocument(const IssueDetails& issue, std::string type_name,
                                    std::string_view type_abbreviation) {
  OfficialDocument doc;
  doc.kind = DocumentKind::kTyped;
  doc.parent_body = issue.parent_body;
  doc.issuing_body = issue.issuing_body;
  doc.number = issue.number;
  doc.symbol = std::string(type_abbreviation) + "-" + issue.issuer_code;
  doc.place = issue.place;
  doc.date = issue.date;
  doc.type_name = std::move(type_name);
  doc.addressees = issue.addressees;
  doc.signature = issue.signature;
  doc.recipients = issue.recipients;
  doc.archive_units = issue.archive_units;
  doc.drafter_and_copies = issue.drafter_and_copies;
  return doc;
}

}  // namespace ucsc::report
