// The annual level-security report (báo cáo tình hình bảo đảm an toàn hệ thống thông tin theo
// cấp độ), rule R23 of ../shared/DOMAIN.md: Circular 12/2022/TT-BTTTT Art 13 — yearly, data from
// 15/12 of the previous year to 14/12; the operator (đơn vị vận hành / chuyên trách) reports to
// the system owner (chủ quản) by 20/12, the owner to the ministry (now the Ministry of Public
// Security) by 25/12.
//
// The builder takes plain data (no store): the compliance engine fills LevelReportInput from its
// inventory and evidence and calls BuildLevelReport (DOCX model) and LevelReportTables (XLSX).
// What the report contains [I: the full TT12/2022 template was not available, DOMAIN.md "Open
// questions" 3]: I. overview counts (systems per level, approved dossiers, plans implemented,
// level ≥3 systems assessed in the period, incidents); II. the table of systems; III. results;
// IV. shortcomings; V. proposals.
//
// Thread-safety: pure functions.
//
// Example:
//   report::LevelReportInput in;
//   in.issue = {.parent_body = "UBND tỉnh Thái Nguyên", .issuing_body = "Sở Y tế",
//               .issuer_code = "SYT", .place = "Thái Nguyên", .date = {2026, 12, 18},
//               .addressees = {"Ủy ban nhân dân tỉnh Thái Nguyên"},
//               .signature = {"KT. Giám đốc", "Phó Giám đốc", "Nguyễn Văn A"},
//               .recipients = {"UBND tỉnh"}, .archive_units = "VT, KHTC"};
//   in.route = report::LevelReportRoute::kOperatorToOwner;
//   in.year = 2026;
//   in.systems.push_back({.name = "Hệ thống quản lý khám chữa bệnh", .level = 3, ...});
//   UCSC_ASSIGN_OR_RETURN(auto doc, report::BuildLevelReport(in));
//   UCSC_ASSIGN_OR_RETURN(std::string docx, report::RenderDocx(doc));
//   UCSC_ASSIGN_OR_RETURN(auto sheets, report::LevelReportTables(in));
//   UCSC_ASSIGN_OR_RETURN(std::string xlsx, report::RenderXlsx(std::move(sheets)));
//   auto pdf = report::ConvertDocxToPdf(docx);  // kFailedPrecondition without LibreOffice
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

enum class LevelReportRoute {
  kOperatorToOwner,  // due 20/12
  kOwnerToMinistry,  // due 25/12
};

// One information system in the report.
struct LevelSystemEntry {
  std::string name;           // Tên hệ thống thông tin; required
  std::string operator_name;  // Đơn vị vận hành; may be empty
  int level = 0;              // Cấp độ 1..5; 0 = not yet determined
  // The approval of the level dossier, as it should be printed, e.g. "Quyết định số
  // 12/QĐ-UBND ngày 05/3/2024"; empty = not approved.
  std::string approval;
  bool plan_implemented = false;  // security plan for the level fully implemented (R21)
  // Last inspection / risk assessment (kiểm tra, đánh giá) (R22); nullopt = none on record.
  std::optional<core::LocalDate> last_assessment;
  int incidents = 0;  // incidents in the report period
  std::string notes;  // Ghi chú; may be empty
};

struct LevelReportInput {
  IssueDetails issue;  // symbol becomes "BC-<issuer_code>"
  LevelReportRoute route = LevelReportRoute::kOperatorToOwner;
  int year = 0;  // report year Y: data period 15/12/(Y-1) .. 14/12/Y
  std::vector<LevelSystemEntry> systems;
  // Free text, one paragraph each; an empty list prints "Không có." in that section.
  std::vector<std::string> results;       // III. measures taken, results
  std::vector<std::string> shortcomings;  // IV. tồn tại, hạn chế
  std::vector<std::string> proposals;     // V. đề xuất, kiến nghị
};

// The data period of report year `year`: 15/12/(year-1) .. 14/12/year.
struct ReportPeriod {
  core::LocalDate first;
  core::LocalDate last;
};
ReportPeriod LevelReportPeriod(int year);

// The due date of the report of `year` on `route`: 20/12/year or 25/12/year.
core::LocalDate LevelReportDeadline(int year, LevelReportRoute route);

// Returns the document model (then RenderDocx / ConvertDocxToPdf), or kInvalidArgument when the
// year is outside 2000..9999, a system has no name, a level outside 0..5, a negative incident
// count, or the issue details are invalid (ValidateDocument's checks, field paths included).
[[nodiscard]] core::Result<OfficialDocument> BuildLevelReport(const LevelReportInput& input);

// Returns the sheets for the XLSX version: "Tổng hợp" (the overview counts) and "Hệ thống" (one
// row per system, the same columns as the DOCX table). Same errors as BuildLevelReport.
[[nodiscard]] core::Result<std::vector<tabular::Table>> LevelReportTables(
    const LevelReportInput& input);

}  // namespace ucsc::report
