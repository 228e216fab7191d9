#include "incident/summary.h"

#include <algorithm>

namespace ucsc::incident {
namespace {

bool Has(const std::vector<std::string>& list, const std::string& s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

void AddDistinct(std::vector<std::string>& list, const std::vector<std::string>& names) {
  for (const auto& n : names) {
    if (!n.empty() && !Has(list, n)) list.push_back(n);
  }
}

void Count(SummaryCounts& c, const SummaryItem& item) {
  const Incident& inc = item.incident;
  const bool domestic = !inc.support.domestic_helpers.empty();
  const bool foreign = !inc.support.foreign_helpers.empty();
  const bool handled = inc.state != IncidentState::kOpen;
  ++c.count;
  if (handled && !domestic && !foreign && !item.support_requested) ++c.self_handled;
  if (domestic) ++c.domestic_help;
  if (foreign) ++c.foreign_help;
  if (item.support_requested) ++c.support_requested;
  c.damage_vnd += inc.support.estimated_damage_vnd;
}

std::string MonthYear(core::LocalDate d) {
  return std::to_string(d.month) + "/" + std::to_string(d.year);
}

std::string ListText(const std::vector<std::string>& names) {
  if (names.empty()) return "Không có";
  std::string out;
  for (const auto& n : names) {
    if (!out.empty()) out += "; ";
    out += n;
  }
  return out;
}

std::vector<std::string> CountCells(const SummaryCounts& c) {
  return {std::to_string(c.count),
          std::to_string(c.self_handled),
          std::to_string(c.domestic_help),
          std::to_string(c.foreign_help),
          std::to_string(c.support_requested),
          FormatVnd(c.damage_vnd)};
}

}  // namespace

core::Result<SummaryPeriod> MakeSummaryPeriod(int year, std::string_view half) {
  if (year < 2000 || year > 2100)
    return core::InvalidArgument("must be a year 2000..2100", "/year");
  SummaryPeriod p;
  p.year = year;
  if (half == "1") {
    p.kind = SummaryPeriodKind::kFirstHalf;
    p.from = {year - 1, 12, 16};
    p.to = {year, 6, 20};
    p.ref = std::to_string(year) + "-H1";
  } else if (half == "2") {
    p.kind = SummaryPeriodKind::kSecondHalf;
    p.from = {year, 6, 21};
    p.to = {year, 12, 15};
    p.ref = std::to_string(year) + "-H2";
  } else if (half == "year") {
    p.kind = SummaryPeriodKind::kYear;
    p.from = {year - 1, 12, 16};
    p.to = {year, 12, 15};
    p.ref = std::to_string(year);
  } else {
    return core::InvalidArgument("must be 1, 2 or year", "/half");
  }
  p.start = core::StartOfLocalDay(p.from);
  p.end = core::EndOfLocalDay(p.to);
  return p;
}

std::string PeriodName(const SummaryPeriod& p, bool en) {
  std::string y = std::to_string(p.year);
  switch (p.kind) {
    case SummaryPeriodKind::kFirstHalf:
      return en ? "first half of " + y : "06 tháng đầu năm " + y;
    case SummaryPeriodKind::kSecondHalf:
      return en ? "second half of " + y : "06 tháng cuối năm " + y;
    case SummaryPeriodKind::kYear:
      return en ? "year " + y : "năm " + y;
  }
  return y;
}

bool SupportRequested(const std::vector<Notice>& notices) {
  return std::any_of(notices.begin(), notices.end(), [](const Notice& n) {
    return n.direction == NoticeDirection::kSent && n.document == "request_for_support" &&
           n.party == "national_coordinator";
  });
}

Summary Summarise(const SummaryPeriod& period, const std::vector<SummaryItem>& items) {
  Summary s;
  s.period = period;
  for (const auto& info : IncidentTypes()) s.rows.push_back({info.type, {}, {}});
  for (const auto& item : items) {
    const Incident& inc = item.incident;
    if (inc.detected_at < period.start || inc.detected_at > period.end) continue;
    SummaryRow& row = s.rows[static_cast<size_t>(InfoOf(inc.type).number) - 1];
    Count(row.counts, item);
    Count(s.total, item);
    row.incident_ids.push_back(inc.id);
    AddDistinct(s.domestic_helpers, inc.support.domestic_helpers);
    AddDistinct(s.foreign_helpers, inc.support.foreign_helpers);
  }
  return s;
}

std::string FormatVnd(int64_t vnd) {
  std::string digits = std::to_string(vnd < 0 ? -vnd : vnd);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += '.';
    out += digits[i];
  }
  return vnd < 0 ? "-" + out : out;
}

std::vector<DocumentField> Form05Fields(const Summary& s, const SummaryHeader& h) {
  std::vector<DocumentField> out;
  const std::string g1 = "Thông tin tổ chức báo cáo";
  out.push_back({g1, "Tên tổ chức", h.org_name, "/organisation/name", true});
  out.push_back({g1, "Địa chỉ", h.org_address, "/organisation/address", true});
  out.push_back({g1, "Mã thành viên mạng lưới", h.member_code, "/organisation/member_code", false});
  out.push_back({g1, "Kỳ báo cáo",
                 "Từ tháng " + MonthYear(s.period.from) + " đến tháng " + MonthYear(s.period.to) +
                     " (từ ngày " + core::FormatVnDate(s.period.from) + " đến ngày " +
                     core::FormatVnDate(s.period.to) + ")",
                 "/period", true});
  const std::string g2 = "Tình hình tiếp nhận và xử lý sự cố theo loại";
  for (size_t i = 0; i < s.rows.size(); ++i) {
    out.push_back({g2, std::string(InfoOf(s.rows[i].type).vi),
                   std::to_string(s.rows[i].counts.count), "/rows/" + std::to_string(i), true});
  }
  out.push_back({g2, "Tổng cộng", std::to_string(s.total.count), "/total", true});
  // The helper lists print as a dash list under their heading (the label); the value joins them.
  const std::string domestic = "Danh sách tổ chức trong nước đã hỗ trợ xử lý sự cố";
  const std::string foreign = "Danh sách tổ chức nước ngoài đã hỗ trợ xử lý sự cố";
  out.push_back({domestic, domestic, ListText(s.domestic_helpers), "/domestic_helpers", true});
  out.push_back({foreign, foreign, ListText(s.foreign_helpers), "/foreign_helpers", true});
  out.push_back({"Kiến nghị, đề xuất", "Kiến nghị, đề xuất",
                 h.proposals.empty() ? "Không có" : h.proposals, "/proposals", false});
  return out;
}

core::Result<report::OfficialDocument> BuildForm05(const Summary& s, const SummaryHeader& h,
                                                   const report::IssueDetails& issue) {
  const auto fields = Form05Fields(s, h);
  for (const auto& f : fields) {
    if (f.mandatory && f.value.find_first_not_of(' ') == std::string::npos) {
      return core::MakeError(core::ErrorCode::kFailedPrecondition,
                             "Mẫu 05: mandatory field \"" + f.label + "\" is empty", f.pointer);
    }
  }
  report::OfficialDocument doc = report::StartTypedDocument(issue, "Báo cáo", "BC");
  doc.abstract = "Tổng hợp " + PeriodName(s.period) + " về hoạt động tiếp nhận và xử lý sự cố";
  doc.legal_bases = {
      "Căn cứ điểm c khoản 1 Điều 6 Thông tư số 20/2017/TT-BTTTT ngày 12/9/2017 "
      "của Bộ Thông tin và Truyền thông quy định về điều phối, ứng cứu sự cố an "
      "toàn thông tin mạng trên toàn quốc"};
  auto heading = [&](int n, const std::string& text) {
    doc.body.emplace_back(
        report::Heading{std::to_string(n) + ". " + text, report::HeadingStyle::kSubsection});
  };
  // 1. The reporting organisation and the period.
  heading(1, fields[0].group);
  report::Table info;
  info.header = {"Nội dung", "Thông tin"};
  info.column_weights = {2, 3};
  for (size_t i = 0; i < 4; ++i) {
    info.rows.push_back({fields[i].label + (fields[i].mandatory ? " (*)" : ""), fields[i].value});
  }
  doc.body.emplace_back(std::move(info));
  // 2. The table by incident type (DOMAIN.md §3.2 order) with its totals.
  heading(2, "Tình hình tiếp nhận và xử lý sự cố theo loại (*)");
  report::Table t;
  t.header = {"TT",
              "Loại sự cố",
              "Số lượng",
              "Tự xử lý",
              "Có hỗ trợ của tổ chức trong nước",
              "Có hỗ trợ của tổ chức nước ngoài",
              "Đề nghị cơ quan điều phối quốc gia hỗ trợ",
              "Ước tính thiệt hại (đồng)"};
  t.column_weights = {5, 20, 9, 9, 13, 13, 14, 17};
  t.centered_columns = {0, 2, 3, 4, 5, 6, 7};
  t.font_size_pt = 11;
  for (const auto& row : s.rows) {
    std::vector<std::string> cells{std::to_string(InfoOf(row.type).number),
                                   std::string(InfoOf(row.type).vi)};
    for (auto& c : CountCells(row.counts)) cells.push_back(std::move(c));
    t.rows.push_back(std::move(cells));
  }
  std::vector<std::string> total{"", "Tổng cộng"};
  for (auto& c : CountCells(s.total)) total.push_back(std::move(c));
  t.rows.push_back(std::move(total));
  doc.body.emplace_back(std::move(t));
  doc.body.emplace_back(report::Paragraph::Italic(
      "Số lượng: sự cố phát hiện trong kỳ; tự xử lý: sự cố đã kết thúc ứng cứu không cần hỗ "
      "trợ bên ngoài; một sự cố có thể được cả tổ chức trong nước và nước ngoài hỗ trợ."));
  // 3–5. Helpers and proposals.
  heading(3, fields[fields.size() - 3].group + " (*)");
  if (s.domestic_helpers.empty()) {
    doc.body.emplace_back(report::Paragraph::Plain("Không có."));
  } else {
    doc.body.emplace_back(report::NumberedList{s.domestic_helpers, report::ListStyle::kDash});
  }
  heading(4, fields[fields.size() - 2].group + " (*)");
  if (s.foreign_helpers.empty()) {
    doc.body.emplace_back(report::Paragraph::Plain("Không có."));
  } else {
    doc.body.emplace_back(report::NumberedList{s.foreign_helpers, report::ListStyle::kDash});
  }
  heading(5, "Kiến nghị, đề xuất");
  doc.body.emplace_back(report::Paragraph::Plain(h.proposals.empty() ? "Không có." : h.proposals));
  doc.body.emplace_back(report::Paragraph::Italic("Ghi chú: (*) là thông tin bắt buộc."));
  doc.end_mark = false;
  UCSC_RETURN_IF_ERROR(report::ValidateDocument(doc));
  return doc;
}

}  // namespace ucsc::incident
