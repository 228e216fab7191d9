// The coordinator's compliance report (báo cáo kết quả theo dõi, đôn đốc thực hiện Chỉ thị số
// 18/CT-TTg): province-wide shares of ok / due soon / overdue obligations on a date, the overdue
// list with rule id, legal basis and the missing evidence, and a table per organisation.
//
// The builder takes plain data (no store): the compliance engine evaluates its rule packs, fills
// ComplianceReportInput and calls BuildComplianceReport (DOCX model) and ComplianceReportTables
// (XLSX). Percentages are computed here from the counts.
//
// Thread-safety: pure functions.
//
// Example:
//   report::ComplianceReportInput in;
//   in.issue = ...;                      // as for the level report; issuer_code e.g. "CAT-PA05"
//   in.as_of = {2026, 12, 31};
//   in.rule_pack = "vn-2022";
//   in.totals = {.ok = 120, .due_soon = 30, .overdue = 45, .not_applicable = 5};
//   in.overdue.push_back({.organisation = "Sở Y tế", .subject = "HIS", .level = 3,
//                         .rule_id = "R1", .rule_title = "Săn lùng mối nguy hại",
//                         .legal_basis = "Chỉ thị 18/CT-TTg", .due_date = {2026, 10, 2},
//                         .days_overdue = 90, .missing_evidence = "Báo cáo săn lùng"});
//   in.organisations.push_back({"Sở Y tế", {.ok = 10, .due_soon = 2, .overdue = 3}});
//   UCSC_ASSIGN_OR_RETURN(auto doc, report::BuildComplianceReport(in));
//   UCSC_ASSIGN_OR_RETURN(std::string docx, report::RenderDocx(doc));
//   UCSC_ASSIGN_OR_RETURN(auto sheets, report::ComplianceReportTables(in));
//   UCSC_ASSIGN_OR_RETURN(std::string xlsx, report::RenderXlsx(std::move(sheets)));
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/legal_time.h"
#include "core/result.h"
#include "report/issue_details.h"
#include "report/official_document.h"
#include "tabular/table.h"

namespace ucsc::report {

// Number of (rule, subject) pairs in each status.
struct StatusCounts {
  int ok = 0;
  int due_soon = 0;
  int overdue = 0;
  int not_applicable = 0;

  int Applicable() const { return ok + due_soon + overdue; }
};

// One overdue (rule, subject) pair.
struct OverdueItem {
  std::string organisation;  // Cơ quan, đơn vị; required
  std::string subject;       // the system name, or the organisation for org-level rules
  std::optional<int> level;  // the system's level, when the subject is a system
  std::string rule_id;       // "R1"; required
  std::string rule_title;  // "Săn lùng mối nguy hại ít nhất 6 tháng một lần"; required
  std::string legal_basis;       // "Chỉ thị 18/CT-TTg, mục 1b"; required
  core::LocalDate due_date;      // when it fell due
  int days_overdue = 0;          // >= 1
  std::string missing_evidence;  // "Báo cáo săn lùng mối nguy hại"; required
};

// One organisation's counts (per-organisation table).
struct OrganisationCompliance {
  std::string organisation;  // required
  StatusCounts counts;
};

struct ComplianceReportInput {
  IssueDetails issue;     // symbol becomes "BC-<issuer_code>"
  core::LocalDate as_of;  // the evaluation date ("tính đến ngày")
  std::string rule_pack;  // e.g. "vn-2022"; printed in the introduction; may be empty
  StatusCounts totals;    // province-wide
  // Overdue pairs in the order to print (the engine sorts by risk: level, then days overdue).
  std::vector<OverdueItem> overdue;
  std::vector<OrganisationCompliance> organisations;  // in the order to print
  std::vector<std::string> assessment;                // Nhận xét, đánh giá: free paragraphs
  std::vector<std::string> proposals;  // Đề xuất, kiến nghị: one list item each
};

// "85,5%" — share of `part` in `whole`, rounded half up to one decimal, with a decimal comma
// (Vietnamese) and no ",0"; a share below 100 % never prints as "100%" and a non-zero share never
// as "0%". "-" when whole is 0.
std::string FormatPercent(int part, int whole);

// Returns the document model, or kInvalidArgument for negative counts, an overdue item with a
// missing required field or days_overdue < 1, an invalid as_of date, or invalid issue details.
// The compliance rate printed is (ok + due soon) / applicable: obligations met on the date;
// the ok, due-soon and overdue shares are printed beside it.
[[nodiscard]] core::Result<OfficialDocument> BuildComplianceReport(
    const ComplianceReportInput& input);

// Returns the sheets for the XLSX version: "Tổng hợp", "Quá hạn" (overdue list) and "Đơn vị"
// (per organisation). Same errors as BuildComplianceReport.
[[nodiscard]] core::Result<std::vector<tabular::Table>> ComplianceReportTables(
    const ComplianceReportInput& input);

}  // namespace ucsc::report
