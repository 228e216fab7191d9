// The official documents of an incident, built from the case (never retyped) as
// report::OfficialDocument in the Decree 30/2020 layout and rendered to DOCX by report/:
//   kNotification   thông báo sự cố (DOMAIN.md A, TT20 Art 9.3a, R8)
//   kInitialReport  Mẫu 03, báo cáo ban đầu sự cố mạng (DOMAIN.md C, R10)
//   kProgressReport báo cáo diễn biến (DOMAIN.md F, R15)
//   kClosingReport  Mẫu 04, báo cáo kết thúc ứng phó sự cố (DOMAIN.md D, R11)
// Each document is a set of labelled fields; the fields DOMAIN.md marks (*) are mandatory and
// a builder refuses an incident where one is empty, naming the incident field.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "incident/model.h"
#include "report/issue_details.h"
#include "report/official_document.h"

namespace ucsc::incident {

enum class IncidentDocument { kNotification, kInitialReport, kProgressReport, kClosingReport };
std::string_view IncidentDocumentName(IncidentDocument d);

struct DocumentField {
  std::string group;    // section heading, e.g. "Thông tin tổ chức, cá nhân báo cáo"
  std::string label;    // as printed, e.g. "Điện thoại"
  std::string value;    // as printed; empty when not given
  std::string pointer;  // JSON pointer of the incident field, e.g. "/initial_report/contact/phone"
  bool mandatory = false;
};

// The fields of document `kind` for `inc`, in print order; `report_time` is the report's time
// (Form 03 "thời gian báo cáo"). Dates and times are Vietnam local, dd/mm/yyyy and HH:mm.
std::vector<DocumentField> DocumentFields(IncidentDocument kind, const Incident& inc,
                                          core::Instant report_time);

// Builds the document. Errors: kFailedPrecondition naming the pointer of the first empty
// mandatory field; report::ValidateDocument's errors for bad issue details.
[[nodiscard]] core::Result<report::OfficialDocument> BuildDocument(
    IncidentDocument kind, const Incident& inc, const report::IssueDetails& issue,
    core::Instant report_time);

// The e-mail subject for sending the document: "[TBSC] <document>: <incident title>"
// (DOMAIN.md §3.3, Form 03 footnote).
std::string MailSubject(IncidentDocument kind, const Incident& inc);

}  // namespace ucsc::incident
