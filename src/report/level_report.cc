#include "report/level_report.h"

#include <array>
#include <string>

#include "report/compliance_report.h"  // FormatPercent

namespace ucsc::report {
namespace {

std::string YesNo(bool yes) { return yes ? "Đã triển khai" : "Chưa triển khai đầy đủ"; }

std::string LevelText(int level) { return level == 0 ? "Chưa xác định" : std::to_string(level); }

bool InPeriod(core::LocalDate d, const ReportPeriod& period) {
  return period.first <= d && d <= period.last;
}

core::Status CheckInput(const LevelReportInput& input) {
  if (input.year < 2000 || input.year > 9999) {
    return core::InvalidArgument("report year must be between 2000 and 9999", "/year");
  }
  for (size_t i = 0; i < input.systems.size(); ++i) {
    const LevelSystemEntry& system = input.systems[i];
    const std::string field = "/systems/" + std::to_string(i);
    if (system.name.find_first_not_of(" \t\n") == std::string::npos) {
      return core::InvalidArgument("system name is required", field + "/name");
    }
    if (system.level < 0 || system.level > 5) {
      return core::InvalidArgument("level must be 1..5, or 0 when not determined",
                                   field + "/level");
    }
    if (system.incidents < 0) {
      return core::InvalidArgument("incident count cannot be negative", field + "/incidents");
    }
    if (system.last_assessment && !core::IsValidDate(*system.last_assessment)) {
      return core::InvalidArgument("invalid date", field + "/last_assessment");
    }
  }
  return core::Ok();
}

struct Overview {
  int total = 0;
  std::array<int, 6> per_level{};  // [0] = not determined
  int approved = 0;
  int plan_implemented = 0;
  int level3_plus = 0;
  int level3_plus_assessed = 0;
  int incidents = 0;
};

Overview Summarise(const LevelReportInput& input) {
  const ReportPeriod period = LevelReportPeriod(input.year);
  Overview o;
  for (const LevelSystemEntry& system : input.systems) {
    ++o.total;
    ++o.per_level[static_cast<size_t>(system.level)];
    if (!system.approval.empty()) ++o.approved;
    if (system.plan_implemented) ++o.plan_implemented;
    if (system.level >= 3) {
      ++o.level3_plus;
      if (system.last_assessment && InPeriod(*system.last_assessment, period)) {
        ++o.level3_plus_assessed;
      }
    }
    o.incidents += system.incidents;
  }
  return o;
}

std::string CountOf(int part, int whole) {
  return std::to_string(part) + "/" + std::to_string(whole) + " (" + FormatPercent(part, whole) +
         ")";
}

std::vector<std::pair<std::string, std::string>> OverviewLines(const Overview& o) {
  std::string per_level;
  for (int level = 1; level <= 5; ++level) {
    if (level > 1) per_level += ", ";
    per_level += "cấp độ " + std::to_string(level) + ": " +
                 std::to_string(o.per_level[static_cast<size_t>(level)]);
  }
  if (o.per_level[0] > 0) per_level += ", chưa xác định cấp độ: " + std::to_string(o.per_level[0]);
  return {
      {"Tổng số hệ thống thông tin", std::to_string(o.total) + " (" + per_level + ")"},
      {"Hệ thống đã được phê duyệt hồ sơ đề xuất cấp độ", CountOf(o.approved, o.total)},
      {"Hệ thống đã triển khai đầy đủ phương án bảo đảm an toàn theo cấp độ",
       CountOf(o.plan_implemented, o.total)},
      {"Hệ thống cấp độ 3 trở lên đã được kiểm tra, đánh giá trong kỳ",
       CountOf(o.level3_plus_assessed, o.level3_plus)},
      {"Số sự cố an toàn thông tin mạng trong kỳ", std::to_string(o.incidents)},
  };
}

const std::vector<std::string>& SystemHeader() {
  static const std::vector<std::string> kHeader = {"STT",
                                                   "Tên hệ thống thông tin",
                                                   "Đơn vị vận hành",
                                                   "Cấp độ",
                                                   "Quyết định phê duyệt",
                                                   "Phương án bảo đảm an toàn",
                                                   "Kiểm tra, đánh giá gần nhất",
                                                   "Sự cố trong kỳ"};
  return kHeader;
}

std::vector<std::vector<std::string>> SystemRows(const LevelReportInput& input) {
  std::vector<std::vector<std::string>> rows;
  for (size_t i = 0; i < input.systems.size(); ++i) {
    const LevelSystemEntry& s = input.systems[i];
    rows.push_back({std::to_string(i + 1), s.name, s.operator_name, LevelText(s.level),
                    s.approval.empty() ? "Chưa phê duyệt" : s.approval, YesNo(s.plan_implemented),
                    s.last_assessment ? core::FormatVnDate(*s.last_assessment) : "Chưa thực hiện",
                    std::to_string(s.incidents)});
  }
  return rows;
}

void AppendParagraphsOrNone(const std::vector<std::string>& texts, std::vector<Block>* body) {
  if (texts.empty()) {
    body->push_back(Paragraph::Plain("Không có."));
    return;
  }
  for (const std::string& text : texts) body->push_back(Paragraph::Plain(text));
}

}  // namespace

ReportPeriod LevelReportPeriod(int year) {
  return ReportPeriod{core::LocalDate{year - 1, 12, 15}, core::LocalDate{year, 12, 14}};
}

core::LocalDate LevelReportDeadline(int year, LevelReportRoute route) {
  return core::LocalDate{year, 12, route == LevelReportRoute::kOperatorToOwner ? 20u : 25u};
}

core::Result<OfficialDocument> BuildLevelReport(const LevelReportInput& input) {
  UCSC_RETURN_IF_ERROR(CheckInput(input));
  const ReportPeriod period = LevelReportPeriod(input.year);
  const std::string year = std::to_string(input.year);

  OfficialDocument doc = StartTypedDocument(input.issue, "Báo cáo", "BC");
  doc.abstract = "Tình hình bảo đảm an toàn hệ thống thông tin theo cấp độ năm " + year;

  const std::string route_text =
      input.route == LevelReportRoute::kOperatorToOwner
          ? "đơn vị vận hành báo cáo chủ quản hệ thống thông tin trước ngày 20/12"
          : "chủ quản hệ thống thông tin báo cáo Bộ quản lý trước ngày 25/12";
  doc.body.push_back(Paragraph::Plain(
      "Thực hiện quy định tại Điều 13 Thông tư số 12/2022/TT-BTTTT ngày 12/8/2022 quy định chi "
      "tiết và hướng dẫn một số điều của Nghị định số 85/2016/NĐ-CP về bảo đảm an toàn hệ thống "
      "thông tin theo cấp độ (" +
      route_text + " hằng năm), " + input.issue.issuing_body +
      " báo cáo tình hình bảo đảm an toàn hệ thống thông tin theo cấp độ năm " + year +
      " (số liệu từ ngày " + core::FormatVnDate(period.first) + " đến ngày " +
      core::FormatVnDate(period.last) + ") như sau:"));

  doc.body.push_back(Heading{"I. TÌNH HÌNH CHUNG", HeadingStyle::kSection});
  NumberedList overview{{}, ListStyle::kArabic};
  for (const auto& [label, value] : OverviewLines(Summarise(input))) {
    overview.items.push_back(label + ": " + value + ".");
  }
  doc.body.push_back(std::move(overview));

  doc.body.push_back(
      Heading{"II. DANH SÁCH HỆ THỐNG THÔNG TIN THEO CẤP ĐỘ", HeadingStyle::kSection});
  if (input.systems.empty()) {
    doc.body.push_back(Paragraph::Plain("Không có hệ thống thông tin trong phạm vi báo cáo."));
  } else {
    Table table;
    table.header = SystemHeader();
    table.rows = SystemRows(input);
    table.column_weights = {7, 19, 14, 7, 16, 13, 13, 8};
    table.centered_columns = {0, 3, 6, 7};
    table.font_size_pt = 11;
    doc.body.push_back(std::move(table));
  }

  doc.body.push_back(Heading{"III. KẾT QUẢ TRIỂN KHAI", HeadingStyle::kSection});
  AppendParagraphsOrNone(input.results, &doc.body);
  doc.body.push_back(Heading{"IV. TỒN TẠI, HẠN CHẾ", HeadingStyle::kSection});
  AppendParagraphsOrNone(input.shortcomings, &doc.body);
  doc.body.push_back(Heading{"V. ĐỀ XUẤT, KIẾN NGHỊ", HeadingStyle::kSection});
  AppendParagraphsOrNone(input.proposals, &doc.body);
  doc.body.push_back(Paragraph::Plain(input.issue.issuing_body + " trân trọng báo cáo."));

  UCSC_RETURN_IF_ERROR(ValidateDocument(doc));
  return doc;
}

core::Result<std::vector<tabular::Table>> LevelReportTables(const LevelReportInput& input) {
  UCSC_RETURN_IF_ERROR(CheckInput(input));
  const ReportPeriod period = LevelReportPeriod(input.year);
  tabular::Table summary{"Tổng hợp", {"Chỉ tiêu", "Giá trị"}, {}};
  int number = 1;
  summary.rows.push_back({number++, {"Năm báo cáo", std::to_string(input.year)}});
  summary.rows.push_back(
      {number++,
       {"Kỳ số liệu", core::FormatVnDate(period.first) + " - " + core::FormatVnDate(period.last)}});
  summary.rows.push_back({number++, {"Đơn vị báo cáo", input.issue.issuing_body}});
  for (const auto& [label, value] : OverviewLines(Summarise(input))) {
    summary.rows.push_back({number++, {label, value}});
  }
  tabular::Table systems{"Hệ thống", SystemHeader(), {}};
  int row_number = 2;
  for (auto& cells : SystemRows(input)) systems.rows.push_back({row_number++, std::move(cells)});
  return std::vector<tabular::Table>{std::move(summary), std::move(systems)};
}

}  // namespace ucsc::report
