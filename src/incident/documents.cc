#include "incident/documents.h"

#include <algorithm>
#include <array>
#include <cstdio>

#include "core/legal_time.h"

namespace ucsc::incident {
namespace {

bool IsSet(core::Instant t) { return core::ToUnixMillis(t) != 0; }

std::string VnDate(core::Instant t) {
  return IsSet(t) ? core::FormatVnDate(core::LocalDateOf(t)) : std::string();
}

std::string VnTime(core::Instant t) {
  if (!IsSet(t)) return {};
  const auto local = t + core::kVietnamOffset;
  const auto day = std::chrono::floor<std::chrono::days>(local);
  const std::chrono::hh_mm_ss hms(std::chrono::floor<std::chrono::minutes>(local - day));
  std::array<char, 8> buf{};
  std::snprintf(buf.data(), buf.size(), "%02d:%02d", static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()));
  return buf.data();
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) {
    if (i.empty()) continue;
    if (!out.empty()) out += "; ";
    out += i;
  }
  return out;
}

std::string Systems(const Incident& inc) {
  std::vector<std::string> items;
  for (const auto& s : inc.affected_systems) {
    std::string item = s.name.empty() ? s.address : s.name;
    if (!s.name.empty() && !s.address.empty()) item += " (" + s.address + ")";
    items.push_back(item);
  }
  return Join(items);
}

std::string Level(const Incident& inc) {
  int level = 0;
  for (const auto& s : inc.affected_systems) level = std::max(level, s.level);
  return level == 0 ? std::string() : "Cấp độ " + std::to_string(level);
}

class Fields {
 public:
  void Group(std::string g) { group_ = std::move(g); }
  void Add(std::string label, std::string value, std::string pointer, bool mandatory) {
    out_.push_back({group_, std::move(label), std::move(value), std::move(pointer), mandatory});
  }
  std::vector<DocumentField> Take() { return std::move(out_); }

 private:
  std::string group_;
  std::vector<DocumentField> out_;
};

void Reporter(Fields& f, const Incident& inc, bool contact_mandatory) {
  const Party& r = inc.notification.reporter;
  f.Group("Thông tin tổ chức, cá nhân báo cáo");
  f.Add("Tên tổ chức, cá nhân", r.name, "/notification/reporter/name", true);
  f.Add("Địa chỉ", r.address, "/notification/reporter/address", true);
  f.Add("Điện thoại", r.phone, "/notification/reporter/phone", contact_mandatory);
  f.Add("Thư điện tử", r.email, "/notification/reporter/email", contact_mandatory);
}

}  // namespace

std::string_view IncidentDocumentName(IncidentDocument d) {
  switch (d) {
    case IncidentDocument::kNotification:
      return "Thông báo sự cố";
    case IncidentDocument::kInitialReport:
      return "Báo cáo ban đầu sự cố mạng";
    case IncidentDocument::kProgressReport:
      return "Báo cáo diễn biến sự cố";
    case IncidentDocument::kClosingReport:
      return "Báo cáo kết thúc ứng phó sự cố";
  }
  return "";
}

std::vector<DocumentField> DocumentFields(IncidentDocument kind, const Incident& inc,
                                          core::Instant report_time) {
  Fields f;
  const InitialReport& c = inc.initial_report;
  switch (kind) {
    case IncidentDocument::kNotification: {
      Reporter(f, inc, false);
      f.Group("Thông tin sự cố");
      f.Add("Tên hệ thống, tên miền hoặc địa chỉ IP", Systems(inc), "/affected_systems", true);
      f.Add("Đơn vị vận hành hệ thống", inc.notification.operator_name,
            "/notification/operator_name", true);
      f.Add("Cơ quan chủ quản (nếu biết)", inc.notification.owner_name, "/notification/owner_name",
            false);
      f.Add("Loại sự cố", std::string(InfoOf(inc.type).vi), "/type", false);
      f.Add("Mô tả sơ bộ sự cố", inc.description, "/description", true);
      f.Add("Ngày phát hiện", VnDate(inc.detected_at), "/detected_at", true);
      f.Add("Giờ phát hiện", VnTime(inc.detected_at), "/detected_at", true);
      f.Add("Kết quả xử lý ban đầu", inc.notification.handling_result,
            "/notification/handling_result", true);
      f.Add("Kiến nghị", inc.notification.recommendations, "/notification/recommendations", false);
      f.Add("Thông tin khác", inc.notification.other_information, "/notification/other_information",
            false);
      break;
    }
    case IncidentDocument::kInitialReport: {
      Reporter(f, inc, true);
      f.Group("Thông tin người liên hệ");
      f.Add("Họ và tên", c.contact.name, "/initial_report/contact/name", true);
      f.Add("Chức vụ", c.contact.position, "/initial_report/contact/position", false);
      f.Add("Điện thoại", c.contact.phone, "/initial_report/contact/phone", true);
      f.Add("Thư điện tử", c.contact.email, "/initial_report/contact/email", true);
      f.Group("Thông tin hệ thống bị sự cố");
      f.Add("Tên đơn vị vận hành hệ thống", inc.notification.operator_name,
            "/notification/operator_name", true);
      f.Add("Cơ quan chủ quản", inc.notification.owner_name, "/notification/owner_name", false);
      f.Add("Tên hệ thống", Systems(inc), "/affected_systems", false);
      f.Add("Cấp độ hệ thống", Level(inc), "/affected_systems", false);
      f.Add("Đơn vị cung cấp dịch vụ an toàn thông tin", c.security_service_provider,
            "/initial_report/security_service_provider", false);
      f.Add("Nhà cung cấp dịch vụ kết nối", c.isp, "/initial_report/isp", false);
      f.Group("Thông tin sự cố");
      f.Add("Loại sự cố", std::string(InfoOf(inc.type).vi), "/type", false);
      f.Add("Mô tả sơ bộ sự cố", inc.description, "/description", true);
      f.Add("Ngày phát hiện", VnDate(inc.detected_at), "/detected_at", true);
      f.Add("Giờ phát hiện", VnTime(inc.detected_at), "/detected_at", true);
      f.Add("Tình trạng sự cố",
            c.status == HandlingStatus::kHandled      ? "Đã được xử lý"
            : c.status == HandlingStatus::kNotHandled ? "Chưa được xử lý"
                                                      : "",
            "/initial_report/status", true);
      std::vector<std::string> methods;
      if (c.detected_by_ids) methods.emplace_back("Qua hệ thống phát hiện xâm nhập");
      if (c.detected_by_log_review) methods.emplace_back("Qua kiểm tra nhật ký");
      if (!c.detected_notified_by.empty()) {
        methods.emplace_back("Được thông báo bởi: " + c.detected_notified_by);
      }
      if (!c.detected_other.empty()) methods.emplace_back("Khác: " + c.detected_other);
      f.Add("Cách thức phát hiện", Join(methods), "/initial_report/detected_by_ids", true);
      std::vector<std::string> told;
      if (c.notified_network_member) {
        told.emplace_back("Thành viên mạng lưới ứng cứu sự cố phụ trách tổ chức");
      }
      if (c.notified_isp) told.emplace_back("Nhà cung cấp dịch vụ kết nối");
      if (c.notified_coordinating_agency) told.emplace_back("Cơ quan điều phối quốc gia");
      f.Add("Đã thông báo sự cố cho", Join(told), "/initial_report/notified_coordinating_agency",
            true);
      f.Group("Thông tin bổ sung về hệ thống");
      f.Add("Hệ điều hành, phiên bản", c.os, "/initial_report/os", false);
      f.Add("Các dịch vụ có trên hệ thống", Join(c.services), "/initial_report/services", false);
      f.Add("Các biện pháp an toàn thông tin đã triển khai", Join(c.security_measures),
            "/initial_report/security_measures", false);
      f.Add("Địa chỉ IP công khai", Join(c.public_ips), "/initial_report/public_ips", false);
      f.Add("Tên miền", Join(c.domains), "/initial_report/domains", false);
      f.Add("Mục đích chính của hệ thống", c.system_purpose, "/initial_report/system_purpose",
            false);
      f.Add("Thông tin gửi kèm", Join(c.attachments), "/initial_report/attachments", false);
      f.Add("Yêu cầu bảo mật thông tin", c.confidential ? "Có" : "Không",
            "/initial_report/confidential", false);
      f.Add("Đề xuất, yêu cầu hỗ trợ", c.proposals, "/initial_report/proposals", false);
      f.Add("Thời gian báo cáo", VnDate(report_time) + " " + VnTime(report_time), "/reported_at",
            true);
      break;
    }
    case IncidentDocument::kProgressReport: {
      Reporter(f, inc, false);
      f.Group("Diễn biến sự cố");
      f.Add("Sự cố", inc.title, "/title", true);
      for (size_t i = 0; i < inc.progress.size(); ++i) {
        const auto& p = inc.progress[i];
        f.Add(VnDate(p.at) + " " + VnTime(p.at), p.description,
              "/progress/" + std::to_string(i) + "/description", true);
      }
      if (inc.progress.empty()) f.Add("Diễn biến", "", "/progress", true);
      break;
    }
    case IncidentDocument::kClosingReport: {
      Reporter(f, inc, true);
      const ClosingReport& d = inc.closing_report;
      f.Group("Báo cáo ban đầu");
      f.Add("Số văn bản báo cáo ban đầu", c.reference_no, "/initial_report/reference_no", false);
      f.Add("Ngày báo cáo ban đầu", VnDate(c.reported_at), "/initial_report/reported_at", false);
      f.Group("Thông tin hệ thống bị sự cố");
      f.Add("Tên đơn vị vận hành hệ thống", inc.notification.operator_name,
            "/notification/operator_name", true);
      f.Add("Cơ quan chủ quản", inc.notification.owner_name, "/notification/owner_name", false);
      f.Add("Tên hệ thống", Systems(inc), "/affected_systems", false);
      f.Add("Cấp độ hệ thống", Level(inc), "/affected_systems", false);
      f.Group("Thông tin sự cố");
      f.Add("Tên, mô tả sự cố", inc.title + ": " + inc.description, "/description", false);
      f.Add("Ngày phát hiện", VnDate(inc.detected_at), "/detected_at", true);
      f.Add("Giờ phát hiện", VnTime(inc.detected_at), "/detected_at", true);
      f.Group("Kết quả xử lý sự cố");
      f.Add("Sự cố đã xảy ra", d.what_happened, "/closing_report/what_happened", false);
      f.Add("Cách thức xử lý", d.resolution, "/closing_report/resolution", false);
      f.Add("Đề xuất giảm thiểu rủi ro với sự cố tương tự", d.proposals,
            "/closing_report/proposals", false);
      f.Add("Tài liệu gửi kèm", Join(d.attachments), "/closing_report/attachments", false);
      break;
    }
  }
  return f.Take();
}

core::Result<report::OfficialDocument> BuildDocument(IncidentDocument kind, const Incident& inc,
                                                     const report::IssueDetails& issue,
                                                     core::Instant report_time) {
  const auto fields = DocumentFields(kind, inc, report_time);
  for (const auto& field : fields) {
    if (field.mandatory && field.value.find_first_not_of(' ') == std::string::npos) {
      return core::MakeError(core::ErrorCode::kFailedPrecondition,
                             std::string(IncidentDocumentName(kind)) + ": mandatory field \"" +
                                 field.label + "\" is empty",
                             field.pointer);
    }
  }
  const bool notice = kind == IncidentDocument::kNotification;
  report::OfficialDocument doc =
      report::StartTypedDocument(issue, notice ? "Thông báo" : "Báo cáo", notice ? "TB" : "BC");
  switch (kind) {
    case IncidentDocument::kNotification:
      doc.abstract = "Sự cố an toàn thông tin mạng: " + inc.title;
      break;
    case IncidentDocument::kInitialReport:
      doc.abstract = "Ban đầu sự cố mạng: " + inc.title;
      break;
    case IncidentDocument::kProgressReport:
      doc.abstract = "Diễn biến sự cố: " + inc.title;
      break;
    case IncidentDocument::kClosingReport:
      doc.abstract = "Kết thúc ứng phó sự cố: " + inc.title;
      break;
  }
  // One heading and one two-column table per group; (*) marks the mandatory fields.
  std::string group;
  report::Table table;
  int section = 0;
  auto flush = [&] {
    if (!table.rows.empty()) doc.body.emplace_back(std::move(table));
    table = report::Table{};
  };
  for (const auto& field : fields) {
    if (field.group != group) {
      flush();
      group = field.group;
      doc.body.emplace_back(report::Heading{std::to_string(++section) + ". " + group,
                                            report::HeadingStyle::kSubsection});
      table.header = {"Nội dung", "Thông tin"};
      table.column_weights = {2, 3};
    }
    table.rows.push_back({field.label + (field.mandatory ? " (*)" : ""), field.value});
  }
  flush();
  doc.body.emplace_back(report::Paragraph::Italic("Ghi chú: (*) là thông tin bắt buộc."));
  doc.end_mark = false;
  UCSC_RETURN_IF_ERROR(report::ValidateDocument(doc));
  return doc;
}

std::string MailSubject(IncidentDocument kind, const Incident& inc) {
  return "[TBSC] " + std::string(IncidentDocumentName(kind)) + ": " + inc.title;
}

}  // namespace ucsc::incident
