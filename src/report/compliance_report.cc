#include "report/compliance_report.h"

#include <cstdio>
#include <string>

namespace ucsc::report {
namespace {

bool Blank(const std::string& s) { return s.find_first_not_of(" \t\n") == std::string::npos; }

core::Status CheckCounts(const StatusCounts& c, const std::string& field) {
  if (c.ok < 0 || c.due_soon < 0 || c.overdue < 0 || c.not_applicable < 0) {
    return core::InvalidArgument("counts cannot be negative", field);
  }
  return core::Ok();
}

core::Status CheckInput(const ComplianceReportInput& input) {
  if (!core::IsValidDate(input.as_of)) return core::InvalidArgument("invalid date", "/as_of");
  UCSC_RETURN_IF_ERROR(CheckCounts(input.totals, "/totals"));
  for (size_t i = 0; i < input.overdue.size(); ++i) {
    const OverdueItem& item = input.overdue[i];
    const std::string field = "/overdue/" + std::to_string(i);
    const std::pair<const std::string*, const char*> required[] = {
        {&item.organisation, "/organisation"},
        {&item.rule_id, "/rule_id"},
        {&item.rule_title, "/rule_title"},
        {&item.legal_basis, "/legal_basis"},
        {&item.missing_evidence, "/missing_evidence"}};
    for (const auto& [value, name] : required) {
      if (Blank(*value)) return core::InvalidArgument("required", field + name);
    }
    if (!core::IsValidDate(item.due_date)) {
      return core::InvalidArgument("invalid date", field + "/due_date");
    }
    if (item.days_overdue < 1) {
      return core::InvalidArgument("an overdue item is at least 1 day overdue",
                                   field + "/days_overdue");
    }
    if (item.level && (*item.level < 1 || *item.level > 5)) {
      return core::InvalidArgument("level must be 1..5", field + "/level");
    }
  }
  for (size_t i = 0; i < input.organisations.size(); ++i) {
    const std::string field = "/organisations/" + std::to_string(i);
    if (Blank(input.organisations[i].organisation)) {
      return core::InvalidArgument("required", field + "/organisation");
    }
    UCSC_RETURN_IF_ERROR(CheckCounts(input.organisations[i].counts, field + "/counts"));
  }
  return core::Ok();
}

std::string Met(const StatusCounts& c) { return FormatPercent(c.ok + c.due_soon, c.Applicable()); }

std::vector<std::pair<std::string, std::string>> SummaryLines(const StatusCounts& t) {
  const int applicable = t.Applicable();
  return {
      {"Số nghĩa vụ (quy tắc × đối tượng) phải thực hiện", std::to_string(applicable)},
      {"Đã đáp ứng", std::to_string(t.ok) + " (" + FormatPercent(t.ok, applicable) + ")"},
      {"Sắp đến hạn",
       std::to_string(t.due_soon) + " (" + FormatPercent(t.due_soon, applicable) + ")"},
      {"Quá hạn", std::to_string(t.overdue) + " (" + FormatPercent(t.overdue, applicable) + ")"},
      {"Không áp dụng", std::to_string(t.not_applicable)},
      {"Tỷ lệ tuân thủ (đã đáp ứng và sắp đến hạn)", Met(t)},
  };
}

const std::vector<std::string>& OverdueHeader() {
  static const std::vector<std::string> kHeader = {
      "STT", "Cơ quan, đơn vị", "Hệ thống / đối tượng",       "Quy tắc", "Căn cứ pháp lý",
      "Hạn", "Số ngày quá hạn", "Hồ sơ, minh chứng còn thiếu"};
  return kHeader;
}

std::vector<std::vector<std::string>> OverdueRows(const ComplianceReportInput& input) {
  std::vector<std::vector<std::string>> rows;
  for (size_t i = 0; i < input.overdue.size(); ++i) {
    const OverdueItem& item = input.overdue[i];
    std::string subject = item.subject.empty() ? item.organisation : item.subject;
    if (item.level) subject += " (cấp độ " + std::to_string(*item.level) + ")";
    rows.push_back({std::to_string(i + 1), item.organisation, subject,
                    item.rule_id + " - " + item.rule_title, item.legal_basis,
                    core::FormatVnDate(item.due_date), std::to_string(item.days_overdue),
                    item.missing_evidence});
  }
  return rows;
}

const std::vector<std::string>& OrganisationHeader() {
  static const std::vector<std::string> kHeader = {
      "STT",         "Cơ quan, đơn vị", "Phải thực hiện", "Đã đáp ứng",
      "Sắp đến hạn", "Quá hạn",         "Tỷ lệ tuân thủ"};
  return kHeader;
}

std::vector<std::vector<std::string>> OrganisationRows(const ComplianceReportInput& input) {
  std::vector<std::vector<std::string>> rows;
  for (size_t i = 0; i < input.organisations.size(); ++i) {
    const OrganisationCompliance& org = input.organisations[i];
    rows.push_back({std::to_string(i + 1), org.organisation,
                    std::to_string(org.counts.Applicable()), std::to_string(org.counts.ok),
                    std::to_string(org.counts.due_soon), std::to_string(org.counts.overdue),
                    Met(org.counts)});
  }
  return rows;
}

}  // namespace

std::string FormatPercent(int part, int whole) {
  if (whole <= 0) return "-";
  // Round half up on tenths in integers: no floating point, no locale.
  long long tenths = (static_cast<long long>(part) * 1000 + whole / 2) / whole;
  // Never round a shortfall up to 100 % or a non-zero share down to 0 %.
  if (part < whole && tenths >= 1000) tenths = 999;
  if (part > 0 && tenths == 0) tenths = 1;
  std::string out = std::to_string(tenths / 10);
  if (tenths % 10 != 0) out += "," + std::to_string(tenths % 10);
  return out + "%";
}

core::Result<OfficialDocument> BuildComplianceReport(const ComplianceReportInput& input) {
  UCSC_RETURN_IF_ERROR(CheckInput(input));
  const std::string as_of = core::FormatVnDate(input.as_of);

  OfficialDocument doc = StartTypedDocument(input.issue, "Báo cáo", "BC");
  doc.abstract =
      "Kết quả theo dõi, đôn đốc thực hiện Chỉ thị số 18/CT-TTg về ứng cứu sự cố an toàn thông "
      "tin mạng tính đến ngày " +
      as_of;

  std::string intro =
      "Thực hiện Chỉ thị số 18/CT-TTg ngày 13/10/2022 của Thủ tướng Chính phủ về đẩy mạnh triển "
      "khai các hoạt động ứng cứu sự cố an toàn thông tin mạng Việt Nam, " +
      input.issue.issuing_body +
      " báo cáo kết quả theo dõi, đôn đốc việc thực hiện các nghĩa vụ của các cơ quan, đơn vị "
      "tính đến ngày " +
      as_of;
  if (!input.rule_pack.empty()) intro += " (bộ quy tắc " + input.rule_pack + ")";
  intro += " như sau:";
  doc.body.push_back(Paragraph::Plain(intro));

  doc.body.push_back(Heading{"I. KẾT QUẢ CHUNG", HeadingStyle::kSection});
  NumberedList summary{{}, ListStyle::kArabic};
  for (const auto& [label, value] : SummaryLines(input.totals)) {
    summary.items.push_back(label + ": " + value + ".");
  }
  doc.body.push_back(std::move(summary));

  doc.body.push_back(Heading{"II. CÁC NGHĨA VỤ QUÁ HẠN", HeadingStyle::kSection});
  if (input.overdue.empty()) {
    doc.body.push_back(Paragraph::Plain("Không có nghĩa vụ quá hạn."));
  } else {
    Table table;
    table.header = OverdueHeader();
    table.rows = OverdueRows(input);
    table.column_weights = {7, 12, 14, 17, 12, 13, 8, 17};
    table.centered_columns = {0, 5, 6};
    table.font_size_pt = 11;
    doc.body.push_back(std::move(table));
  }

  doc.body.push_back(Heading{"III. KẾT QUẢ THEO CƠ QUAN, ĐƠN VỊ", HeadingStyle::kSection});
  if (input.organisations.empty()) {
    doc.body.push_back(Paragraph::Plain("Không có cơ quan, đơn vị trong phạm vi báo cáo."));
  } else {
    Table table;
    table.header = OrganisationHeader();
    table.rows = OrganisationRows(input);
    table.column_weights = {7, 33, 12, 12, 12, 12, 12};
    table.centered_columns = {0, 2, 3, 4, 5, 6};
    table.font_size_pt = 12;
    doc.body.push_back(std::move(table));
  }

  doc.body.push_back(Heading{"IV. NHẬN XÉT, ĐÁNH GIÁ", HeadingStyle::kSection});
  if (input.assessment.empty()) {
    doc.body.push_back(Paragraph::Plain("Không có."));
  } else {
    for (const std::string& text : input.assessment) doc.body.push_back(Paragraph::Plain(text));
  }
  doc.body.push_back(Heading{"V. ĐỀ XUẤT, KIẾN NGHỊ", HeadingStyle::kSection});
  if (input.proposals.empty()) {
    doc.body.push_back(Paragraph::Plain("Không có."));
  } else {
    doc.body.push_back(NumberedList{input.proposals, ListStyle::kArabic});
  }
  doc.body.push_back(Paragraph::Plain(input.issue.issuing_body + " trân trọng báo cáo."));

  UCSC_RETURN_IF_ERROR(ValidateDocument(doc));
  return doc;
}

core::Result<std::vector<tabular::Table>> ComplianceReportTables(
    const ComplianceReportInput& input) {
  UCSC_RETURN_IF_ERROR(CheckInput(input));
  tabular::Table summary{"Tổng hợp", {"Chỉ tiêu", "Giá trị"}, {}};
  int number = 1;
  summary.rows.push_back({number++, {"Tính đến ngày", core::FormatVnDate(input.as_of)}});
  if (!input.rule_pack.empty()) summary.rows.push_back({number++, {"Bộ quy tắc", input.rule_pack}});
  for (const auto& [label, value] : SummaryLines(input.totals)) {
    summary.rows.push_back({number++, {label, value}});
  }
  tabular::Table overdue{"Quá hạn", OverdueHeader(), {}};
  int row_number = 2;
  for (auto& cells : OverdueRows(input)) overdue.rows.push_back({row_number++, std::move(cells)});
  tabular::Table organisations{"Đơn vị", OrganisationHeader(), {}};
  row_number = 2;
  for (auto& cells : OrganisationRows(input)) {
    organisations.rows.push_back({row_number++, std::move(cells)});
  }
  return std::vector<tabular::Table>{std::move(summary), std::move(overdue),
                                     std::move(organisations)};
}

}  // namespace ucsc::report
