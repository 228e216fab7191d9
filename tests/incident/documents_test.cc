#include "incident/documents.h"

#include <gtest/gtest.h>

#include <pugixml.hpp>

#include "report/docx_test_util.h"

namespace ucsc::incident {
namespace {

core::Instant Local(int y, unsigned m, unsigned d, int hh, int mm) {
  return core::StartOfLocalDay({y, m, d}) + std::chrono::hours(hh) + std::chrono::minutes(mm);
}

Incident FullIncident() {
  Incident inc;
  inc.id = "inc-1";
  inc.title = "Mã hóa dữ liệu Cổng dịch vụ công";
  inc.description = "Máy chủ ứng dụng bị mã hóa toàn bộ dữ liệu, có thư đòi tiền chuộc";
  inc.type = IncidentType::kEncryption;
  inc.detected_at = Local(2026, 3, 2, 8, 5);
  inc.affected_systems = {
      {"sys-1", "Cổng dịch vụ công tỉnh", "dichvucong.example.gov.vn", 3, false}};
  inc.notification.reporter = {"Sở Tài chính tỉnh", "12 Lê Lợi, phường Trung tâm", "0208 3855 111",
                               "stc@example.gov.vn"};
  inc.notification.operator_name = "Trung tâm Công nghệ thông tin";
  inc.notification.owner_name = "Ủy ban nhân dân tỉnh";
  inc.notification.handling_result = "Đã cô lập máy chủ khỏi mạng";
  inc.initial_report.contact = {"Nguyễn Văn An", "Phó Giám đốc", "0912 345 678",
                                "an@example.gov.vn"};
  inc.initial_report.status = HandlingStatus::kNotHandled;
  inc.initial_report.detected_by_log_review = true;
  inc.initial_report.notified_coordinating_agency = true;
  inc.initial_report.public_ips = {"203.0.113.5"};
  inc.initial_report.reference_no = "15/BC-STC";
  inc.initial_report.reported_at = Local(2026, 3, 2, 10, 0);
  inc.progress = {{Local(2026, 3, 2, 14, 30), "Xác định mã độc LockBit trên 2 máy chủ"},
                  {Local(2026, 3, 3, 9, 0), "Khôi phục dữ liệu từ bản sao lưu"}};
  inc.closing_report.what_happened = "Mã độc xâm nhập qua dịch vụ RDP";
  inc.closing_report.resolution = "Gỡ bỏ mã độc, khôi phục dữ liệu, đóng RDP";
  return inc;
}

report::IssueDetails Issue() {
  report::IssueDetails issue;
  issue.parent_body = "UBND tỉnh Thái Nguyên";
  issue.issuing_body = "Sở Tài chính";
  issue.issuer_code = "STC";
  issue.place = "Thái Nguyên";
  issue.date = {2026, 3, 2};
  issue.signature = {"KT. Giám đốc", "Phó Giám đốc", "Nguyễn Văn An"};
  issue.recipients = {"Cơ quan điều phối quốc gia", "Công an tỉnh"};
  return issue;
}

std::string DocumentText(const std::string& docx) {
  auto parts = report::testing::Unzip(docx);
  pugi::xml_document xml;
  EXPECT_TRUE(xml.load_string(parts["word/document.xml"].c_str()));
  std::string text;
  for (const auto& node : xml.select_nodes("//w:p")) {
    text += report::testing::ParagraphText(node.node());
    text += '\n';
  }
  return text;
}

class IncidentDocuments : public ::testing::TestWithParam<IncidentDocument> {};

TEST_P(IncidentDocuments, EveryMandatoryFieldAppearsInTheDocx) {
  const Incident inc = FullIncident();
  const auto at = Local(2026, 3, 2, 10, 0);
  auto doc = BuildDocument(GetParam(), inc, Issue(), at);
  ASSERT_TRUE(doc) << doc.error().ToString();
  auto docx = report::RenderDocx(*doc);
  ASSERT_TRUE(docx) << docx.error().ToString();
  const std::string text = DocumentText(*docx);
  int mandatory = 0;
  for (const auto& field : DocumentFields(GetParam(), inc, at)) {
    if (!field.mandatory) continue;
    ++mandatory;
    EXPECT_NE(text.find(field.label + " (*)"), std::string::npos) << field.label;
    EXPECT_NE(text.find(field.value), std::string::npos) << field.label << ": " << field.value;
  }
  EXPECT_GE(mandatory, 3);
  EXPECT_NE(text.find("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), std::string::npos);
  EXPECT_NE(text.find(inc.title), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Kinds, IncidentDocuments,
                         ::testing::Values(IncidentDocument::kNotification,
                                           IncidentDocument::kInitialReport,
                                           IncidentDocument::kProgressReport,
                                           IncidentDocument::kClosingReport));

TEST(IncidentDocumentsR8, NotificationPrintsDetectionDateAndTimeInVietnamTime) {
  const auto fields = DocumentFields(IncidentDocument::kNotification, FullIncident(), {});
  bool date = false;
  bool time = false;
  for (const auto& f : fields) {
    date = date || (f.label == "Ngày phát hiện" && f.value == "02/03/2026");
    time = time || (f.label == "Giờ phát hiện" && f.value == "08:05");
  }
  EXPECT_TRUE(date);
  EXPECT_TRUE(time);
}

TEST(IncidentDocumentsR10, Form03RefusesAMissingMandatoryField) {
  Incident inc = FullIncident();
  inc.initial_report.contact.phone.clear();
  auto doc = BuildDocument(IncidentDocument::kInitialReport, inc, Issue(), inc.detected_at);
  ASSERT_FALSE(doc);
  EXPECT_EQ(doc.error().code, core::ErrorCode::kFailedPrecondition);
  EXPECT_EQ(doc.error().field, "/initial_report/contact/phone");
  inc = FullIncident();
  inc.initial_report.status = HandlingStatus::kUnknown;
  doc = BuildDocument(IncidentDocument::kInitialReport, inc, Issue(), inc.detected_at);
  ASSERT_FALSE(doc);
  EXPECT_EQ(doc.error().field, "/initial_report/status");
}

TEST(IncidentDocumentsR15, ProgressReportNeedsAtLeastOneEntry) {
  Incident inc = FullIncident();
  inc.progress.clear();
  auto doc = BuildDocument(IncidentDocument::kProgressReport, inc, Issue(), inc.detected_at);
  ASSERT_FALSE(doc);
  EXPECT_EQ(doc.error().field, "/progress");
}

TEST(IncidentDocumentsR11, Form04CitesTheInitialReport) {
  const auto fields = DocumentFields(IncidentDocument::kClosingReport, FullIncident(), {});
  bool cited = false;
  for (const auto& f : fields) cited = cited || f.value == "15/BC-STC";
  EXPECT_TRUE(cited);
}

TEST(IncidentDocuments, MailSubjectStartsWithTbsc) {
  EXPECT_EQ(MailSubject(IncidentDocument::kInitialReport, FullIncident()),
            "[TBSC] Báo cáo ban đầu sự cố mạng: Mã hóa dữ liệu Cổng dịch vụ công");
}

}  // namespace
}  // namespace ucsc::incident
