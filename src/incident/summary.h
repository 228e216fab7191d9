// Form 05 (DOMAIN.md E; TT20 Art 6.1c, R16; QĐ05 Art 12.1g, R18): "Báo cáo tổng hợp 06 tháng /
// 01 năm về hoạt động tiếp nhận và xử lý sự cố", the periodic summary of the incidents of an
// organisation's subtree rolled up by the 10 incident types of §3.2, with the counts Form 05
// lists: incidents, self-handled, handled with the help of domestic organisations, of foreign
// organisations, support requested of the national coordinating agency, estimated damage; the
// totals; the lists of domestic and foreign helpers; proposals. Built as a
// report::OfficialDocument in the Decree 30/2020 layout like the incident documents.
//
// Periods. The texts fix only the cut-offs: the 6-month report before 20/6, the annual before
// 15/12 (R16; clocks.yaml `periodic_summary`). The data periods are read as the windows of those
// calendar deadlines (clocks.h: the day after the previous deadline .. the deadline) [I]:
//   half 1 of Y: 16/12/(Y-1) .. 20/6/Y   (the 6 months ending at the 20/6 cut-off)
//   half 2 of Y: 21/6/Y     .. 15/12/Y   (up to the annual cut-off)
//   year Y:      16/12/(Y-1) .. 15/12/Y  (the year ending at the 15/12 cut-off)
// so the two halves tile the year and the years tile the calendar. Days are Vietnam local; an
// incident belongs to the period its detection falls in.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/legal_time.h"
#include "core/result.h"
#include "incident/documents.h"
#include "incident/model.h"
#include "incident/notices.h"
#include "report/issue_details.h"
#include "report/official_document.h"

namespace ucsc::incident {

enum class SummaryPeriodKind { kFirstHalf, kSecondHalf, kYear };

struct SummaryPeriod {
  int year = 0;
  SummaryPeriodKind kind = SummaryPeriodKind::kYear;
  core::LocalDate from;  // first day (Vietnam local)
  core::LocalDate to;    // last day: the cut-off
  core::Instant start;   // start of `from`
  core::Instant end;     // end of `to` (23:59:59.999 local)
  std::string ref;       // "2026-H1", "2026-H2", "2026": the kPeriodicSummarySent ref
};

// `half` is "1", "2" or "year"; `year` 2000..2100. Errors: kInvalidArgument naming /year or
// /half.
[[nodiscard]] core::Result<SummaryPeriod> MakeSummaryPeriod(int year, std::string_view half);

// "06 tháng đầu năm 2026", "06 tháng cuối năm 2026", "năm 2026"; English with `en`.
std::string PeriodName(const SummaryPeriod& p, bool en = false);

struct SummaryCounts {
  int count = 0;              // số lượng: incidents detected in the period
  int self_handled = 0;       // tự xử lý: response ended, no helper, no support requested
  int domestic_help = 0;      // có sự hỗ trợ của tổ chức trong nước
  int foreign_help = 0;       // có sự hỗ trợ của tổ chức nước ngoài
  int support_requested = 0;  // đề nghị cơ quan điều phối quốc gia hỗ trợ
  int64_t damage_vnd = 0;     // ước tính thiệt hại (VND)
  friend bool operator==(const SummaryCounts&, const SummaryCounts&) = default;
};

struct SummaryRow {
  IncidentType type = IncidentType::kOtherAttack;
  SummaryCounts counts;
  std::vector<std::string> incident_ids;  // the incidents counted, in input order
};

// One incident and what its notices prove.
struct SummaryItem {
  Incident incident;
  bool support_requested = false;  // SupportRequested(notices)
};

struct Summary {
  SummaryPeriod period;
  std::vector<SummaryRow> rows;  // the 10 types in report order (IncidentTypes())
  SummaryCounts total;
  std::vector<std::string> domestic_helpers;  // distinct, in first-seen order
  std::vector<std::string> foreign_helpers;
};

// Whether `notices` hold a request for support (document "request_for_support") sent to the
// national coordinating agency (DOMAIN.md E "requested VNCERT support"; recipients.yaml).
bool SupportRequested(const std::vector<Notice>& notices);

// Rolls up the items detected within `period` (the others are left out).
Summary Summarise(const SummaryPeriod& period, const std::vector<SummaryItem>& items);

// The reporting organisation (Form 05 header).
struct SummaryHeader {
  std::string org_name;     // (*)
  std::string org_address;  // (*)
  std::string member_code;  // mã thành viên mạng lưới; printed blank when unknown
  std::string proposals;    // kiến nghị, đề xuất; "Không có." when empty
};

// "1.234.567" (Vietnamese digit grouping).
std::string FormatVnd(int64_t vnd);

// The labelled fields of Form 05 in print order (DocumentField of documents.h): the header
// fields, one per type row and the total (label: the type's name, value: its count), the two
// helper lists and the proposals; (*) marks the mandatory ones. Pointers name the summary's JSON
// ("/organisation/address", "/rows/5", "/total", "/domestic_helpers").
std::vector<DocumentField> Form05Fields(const Summary& s, const SummaryHeader& h);

// Builds Form 05. Errors: kFailedPrecondition naming the first empty mandatory field;
// report::ValidateDocument's errors for bad issue details.
[[nodiscard]] core::Result<report::OfficialDocument> BuildForm05(const Summary& s,
                                                                 const SummaryHeader& h,
                                                                 const report::IssueDetails& issue);

}  // namespace ucsc::incident
