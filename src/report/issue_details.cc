#include "report/issue_details.h"

namespace ucsc::report {

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
