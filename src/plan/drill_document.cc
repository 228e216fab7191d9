#include "plan/drill_document.h"

#include <array>
#include <chrono>
#include <cstdio>
#include <utility>
#include <vector>

#include "core/legal_time.h"

namespace ucsc::plan {

namespace {

using report::Heading;
using report::HeadingStyle;
using report::Paragraph;

std::string NameOr(const std::map<std::string, std::string>& names, const std::string& id) {
  auto it = names.find(id);
  return it == names.end() || it->second.empty() ? id : it->second;
}

std::string Duration(std::chrono::milliseconds d) {
  const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(d).count();
  const long long hours = minutes / 60;
  std::string out;
  if (hours > 0) out = std::to_string(hours) + " giờ ";
  return out + std::to_string(minutes % 60) + " phút";
}

std::string_view RoleVi(ParticipantRole r) {
  switch (r) {
    case ParticipantRole::kLead:
      return "Chỉ đạo, điều hành";
    case ParticipantRole::kRedTeam:
      return "Đội tấn công (đội đỏ)";
    case ParticipantRole::kBlueTeam:
      return "Đội phòng thủ (đội xanh)";
    case ParticipantRole::kObserver:
      return "Quan sát viên";
  }
  return "";
}

std::string_view TimelineVi(TimelineKind k) {
  switch (k) {
    case TimelineKind::kAction:
      return "Hành động";
    case TimelineKind::kDetection:
      return "Phát hiện";
    case TimelineKind::kContainment:
      return "Ngăn chặn";
    case TimelineKind::kNote:
      return "Ghi chú";
  }
  return "";
}

std::string_view SeverityVi(Severity s) {
  switch (s) {
    case Severity::kLow:
      return "Thấp";
    case Severity::kMedium:
      return "Trung bình";
    case Severity::kHigh:
      return "Cao";
    case Severity::kCritical:
      return "Nghiêm trọng";
  }
  return "";
}

std::string DueVi(const std::string& iso) {
  auto d = core::ParseIsoDate(iso);
  return d ? core::FormatVnDate(*d) : iso;
}

}  // namespace

std::string FormatVnDateTime(core::Instant t) {
  const auto local = std::chrono::floor<std::chrono::minutes>(t + core::kVietnamOffset);
  const auto day = std::chrono::floor<std::chrono::days>(local);
  const auto hm = std::chrono::hh_mm_ss(local - day);
  std::array<char, 8> buf{};
  std::snprintf(buf.data(), buf.size(), "%02d:%02d", static_cast<int>(hm.hours().count()),
                static_cast<int>(hm.minutes().count()));
  return std::string(buf.data()) + " " + core::FormatVnDate(core::LocalDateOf(t));
}

core::Result<report::OfficialDocument> BuildDrillReport(const Drill& drill,
                                                        const DrillReportInput& input) {
  report::OfficialDocument doc = report::StartTypedDocument(input.issue, "Báo cáo", "BC");
  const bool live = drill.kind == DrillKind::kLiveFire;
  doc.abstract = std::string(live ? "Kết quả diễn tập thực chiến" : "Kết quả diễn tập trên bàn") +
                 (drill.title.empty() ? std::string() : " " + drill.title) +
                 (drill.state == DrillState::kClosed ? "" : " (dự thảo)");
  doc.legal_bases = {
      "Căn cứ Chỉ thị số 18/CT-TTg ngày 13/10/2022 của Thủ tướng Chính phủ về đẩy mạnh triển khai "
      "các hoạt động ứng cứu sự cố an toàn thông tin mạng Việt Nam",
      "Căn cứ Quyết định số 05/2017/QĐ-TTg ngày 16/3/2017 của Thủ tướng Chính phủ ban hành quy "
      "định về hệ thống phương án ứng cứu khẩn cấp bảo đảm an toàn thông tin mạng quốc gia"};
  auto& body = doc.body;

  body.emplace_back(Heading{"I. THÔNG TIN CHUNG", HeadingStyle::kSection});
  std::vector<std::string> general;
  general.push_back(std::string("Hình thức: ") +
                    (live ? "diễn tập thực chiến (Chỉ thị 18/CT-TTg)"
                          : "diễn tập trên bàn (huấn luyện nội bộ, không thay thế diễn tập thực "
                            "chiến)"));
  general.push_back("Thời gian dự kiến: từ " + core::FormatVnDate(drill.planned_start) + " đến " +
                    core::FormatVnDate(drill.planned_end));
  if (drill.started_at) general.push_back("Bắt đầu: " + FormatVnDateTime(*drill.started_at));
  if (drill.closed_at) general.push_back("Kết thúc: " + FormatVnDateTime(*drill.closed_at));
  if (!drill.scenario_id.empty()) general.push_back("Kịch bản: " + drill.scenario_id);
  if (!drill.scan_authorisation_id.empty()) {
    general.push_back("Văn bản cho phép rà quét: " + drill.scan_authorisation_id);
  }
  body.emplace_back(report::NumberedList{std::move(general), report::ListStyle::kDash});
  body.emplace_back(Paragraph::Plain("Hệ thống thông tin trong phạm vi diễn tập:"));
  std::vector<std::string> systems;
  for (const auto& id : drill.system_ids) systems.push_back(NameOr(input.system_names, id));
  body.emplace_back(report::NumberedList{std::move(systems), report::ListStyle::kDash});
  if (!drill.rules_of_engagement.empty()) {
    body.emplace_back(Paragraph::Plain("Quy tắc tham gia: " + drill.rules_of_engagement));
  }

  body.emplace_back(Heading{"II. THÀNH PHẦN THAM GIA", HeadingStyle::kSection});
  if (drill.participants.empty()) {
    body.emplace_back(Paragraph::Italic("(Chưa ghi nhận thành phần tham gia.)"));
  } else {
    report::Table t;
    t.header = {"TT", "Họ và tên", "Vai trò"};
    t.column_weights = {1, 6, 5};
    t.centered_columns = {0};
    int n = 0;
    for (const auto& p : drill.participants) {
      t.rows.push_back({std::to_string(++n), p.name, std::string(RoleVi(p.role))});
    }
    body.emplace_back(std::move(t));
  }

  body.emplace_back(Heading{"III. DIỄN BIẾN", HeadingStyle::kSection});
  if (drill.timeline.empty()) {
    body.emplace_back(Paragraph::Italic("(Chưa ghi nhận diễn biến.)"));
  } else {
    report::Table t;
    t.header = {"Thời điểm", "Loại", "Nội dung"};
    t.column_weights = {3, 2, 7};
    t.centered_columns = {0};
    for (const auto& e : drill.timeline) {
      t.rows.push_back({FormatVnDateTime(e.at), std::string(TimelineVi(e.kind)), e.text});
    }
    body.emplace_back(std::move(t));
  }
  const auto detect = TimeToDetect(drill);
  const auto contain = TimeToContain(drill);
  body.emplace_back(Paragraph::Plain(
      "Thời gian phát hiện: " + (detect ? Duration(*detect) : std::string("chưa ghi nhận")) +
      "; thời gian ngăn chặn: " + (contain ? Duration(*contain) : std::string("chưa ghi nhận")) +
      "."));

  body.emplace_back(Heading{"IV. ĐIỂM YẾU PHÁT HIỆN", HeadingStyle::kSection});
  constexpr std::array<std::pair<FindingCategory, std::string_view>, 4> kGroups{{
      {FindingCategory::kProcess, "Về quy trình"},
      {FindingCategory::kTechnology, "Về công nghệ"},
      {FindingCategory::kPeople, "Về con người"},
      {FindingCategory::kUnclassified, "Chưa phân loại"},
  }};
  int group = 0;
  for (const auto& [category, heading] : kGroups) {
    std::vector<const Finding*> in;
    for (const auto& f : drill.findings) {
      if (f.category == category) in.push_back(&f);
    }
    if (in.empty()) continue;
    body.emplace_back(
        Heading{std::to_string(++group) + ". " + std::string(heading), HeadingStyle::kSubsection});
    report::Table t;
    t.header = {"TT", "Điểm yếu", "Hệ thống", "Mức độ", "Người chịu trách nhiệm", "Hạn khắc phục"};
    t.column_weights = {1, 5, 3, 2, 3, 2};
    t.centered_columns = {0, 3, 5};
    t.font_size_pt = 11;
    int n = 0;
    for (const Finding* f : in) {
      std::string what = f->title;
      if (!f->description.empty()) what += ": " + f->description;
      if (f->allows_intrusion) what += " (cho phép xâm nhập: đã mở nhiệm vụ săn lùng mối nguy)";
      t.rows.push_back({std::to_string(++n), what, NameOr(input.system_names, f->system_id),
                        std::string(SeverityVi(f->severity)), NameOr(input.user_names, f->owner),
                        f->due_date.empty() ? std::string() : DueVi(f->due_date)});
    }
    body.emplace_back(std::move(t));
  }
  if (group == 0) body.emplace_back(Paragraph::Italic("(Chưa ghi nhận điểm yếu.)"));

  body.emplace_back(Heading{"V. KIẾN NGHỊ", HeadingStyle::kSection});
  body.emplace_back(Paragraph::Plain(
      "Các đơn vị có hệ thống trong phạm vi diễn tập khắc phục các điểm yếu nêu tại Mục IV theo "
      "đúng thời hạn; điểm yếu cho phép xâm nhập được khắc phục đồng thời với việc săn lùng mối "
      "nguy trên hệ thống liên quan (Chỉ thị 18/CT-TTg)."));
  UCSC_RETURN_IF_ERROR(report::ValidateDocument(doc));
  return doc;
}

}  // namespace ucsc::plan
