// The drill report (issue 15 point 3): an official "Báo cáo" whose weaknesses are grouped by
// process / technology / people (CT18), with times in Vietnam time and the R6 note on a finding
// that allows intrusion. UCSC_DRILL_DOCX=<path> also writes the DOCX, for a look at its layout.
#include "plan/drill_document.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <pugixml.hpp>

#include "core/legal_time.h"
#include "report/docx_test_util.h"

namespace ucsc::plan {
namespace {

std::vector<std::string> Texts(const std::string& docx) {
  auto parts = report::testing::Unzip(docx);
  pugi::xml_document xml;
  EXPECT_TRUE(xml.load_string(parts["word/document.xml"].c_str()));
  std::vector<std::string> out;
  for (const auto& node : xml.select_nodes("//w:p")) {
    std::string text = report::testing::ParagraphText(node.node());
    std::replace(text.begin(), text.end(), '\n', ' ');
    out.push_back(std::move(text));
  }
  return out;
}

bool Has(const std::vector<std::string>& texts, const std::string& needle) {
  return std::any_of(texts.begin(), texts.end(),
                     [&](const std::string& t) { return t.find(needle) != std::string::npos; });
}

Drill ClosedDrill() {
  const core::Instant start = core::StartOfLocalDay({2026, 6, 10}) + std::chrono::hours(8);
  Drill d;
  d.id = "d1";
  d.org_id = "syt";
  d.title = "tấn công mã hóa dữ liệu năm 2026";
  d.system_ids = {"his"};
  d.planned_start = {2026, 6, 10};
  d.planned_end = {2026, 6, 12};
  d.rules_of_engagement = "Chỉ tấn công trong giờ hành chính";
  d.participants = {{"Nguyễn Văn An", "", ParticipantRole::kLead},
                    {"Đội đỏ Công an tỉnh", "", ParticipantRole::kRedTeam},
                    {"Tổ ứng cứu Sở Y tế", "", ParticipantRole::kBlueTeam}};
  d.state = DrillState::kClosed;
  d.started_at = start;
  d.timeline = {{start, TimelineKind::kAction, "red", "Gửi thư lừa đảo"},
                {start + std::chrono::minutes(25), TimelineKind::kDetection, "blue", "Cảnh báo"},
                {start + std::chrono::minutes(90), TimelineKind::kContainment, "blue", "Cô lập"}};
  d.findings = {{"f1", "his", "Máy chủ chưa vá", "CVE-2024-0001", FindingCategory::kTechnology,
                 Severity::kCritical, true, "u1", "2026-07-01"},
                {"f2", "his", "Chưa rõ đầu mối báo cáo", "", FindingCategory::kProcess,
                 Severity::kMedium, false, "u2", "2026-08-01"},
                {"f3", "his", "Nhân viên mở tệp đính kèm", "", FindingCategory::kPeople,
                 Severity::kHigh, false, "u2", "2026-07-15"}};
  d.closed_at = start + std::chrono::hours(5);
  return d;
}

DrillReportInput Input() {
  DrillReportInput in;
  in.issue.parent_body = "UBND tỉnh Sông Hồng";
  in.issue.issuing_body = "Sở Y tế";
  in.issue.issuer_code = "SYT";
  in.issue.place = "Sông Hồng";
  in.issue.date = {2026, 6, 12};
  in.issue.signature = {"KT. Giám đốc", "Phó Giám đốc", "Nguyễn Văn A"};
  in.system_names = {{"his", "Hệ thống quản lý khám chữa bệnh"}};
  in.user_names = {{"u1", "Trần Thị Bình"}, {"u2", "Lê Văn Cường"}};
  return in;
}

TEST(DrillReport, GroupsWeaknessesByProcessTechnologyPeopleWithTimes) {
  auto doc = BuildDrillReport(ClosedDrill(), Input());
  ASSERT_TRUE(doc.has_value()) << doc.error().ToString();
  auto docx = report::RenderDocx(*doc);
  ASSERT_TRUE(docx.has_value()) << docx.error().ToString();
  if (const char* out = std::getenv("UCSC_DRILL_DOCX")) {
    std::ofstream(out, std::ios::binary) << *docx;
  }
  const auto texts = Texts(*docx);
  EXPECT_TRUE(Has(texts, "Kết quả diễn tập thực chiến tấn công mã hóa dữ liệu năm 2026"));
  EXPECT_FALSE(Has(texts, "dự thảo"));
  for (const char* heading : {"Về quy trình", "Về công nghệ", "Về con người"}) {
    EXPECT_TRUE(Has(texts, heading)) << heading;
  }
  EXPECT_FALSE(Has(texts, "Chưa phân loại"));
  EXPECT_TRUE(Has(texts, "Hệ thống quản lý khám chữa bệnh"));
  EXPECT_TRUE(Has(texts, "Trần Thị Bình"));
  EXPECT_TRUE(Has(texts, "01/07/2026"));
  EXPECT_TRUE(Has(texts, "cho phép xâm nhập"));  // R6
  // 08:00 Vietnam time; detected after 25 minutes, contained after 1 h 30.
  EXPECT_TRUE(Has(texts, "08:00 10/06/2026"));
  EXPECT_TRUE(Has(texts, "Thời gian phát hiện: 25 phút; thời gian ngăn chặn: 1 giờ 30 phút."));
}

TEST(DrillReport, OpenDrillIsADraftAndTabletopSaysSo) {
  Drill d = ClosedDrill();
  d.state = DrillState::kRunning;
  d.closed_at.reset();
  d.kind = DrillKind::kTabletop;
  d.findings.clear();
  auto doc = BuildDrillReport(d, Input());
  ASSERT_TRUE(doc.has_value()) << doc.error().ToString();
  const auto texts = Texts(*report::RenderDocx(*doc));
  EXPECT_TRUE(Has(texts, "Kết quả diễn tập trên bàn"));
  EXPECT_TRUE(Has(texts, "(dự thảo)"));
  EXPECT_TRUE(Has(texts, "(Chưa ghi nhận điểm yếu.)"));
}

TEST(DrillReport, FormatVnDateTimeIsVietnamTime) {
  EXPECT_EQ(FormatVnDateTime(core::StartOfLocalDay({2026, 12, 31}) + std::chrono::minutes(75)),
            "01:15 31/12/2026");
  // 23:59 local on 31/12 is 16:59 UTC the same day.
  EXPECT_EQ(FormatVnDateTime(core::EndOfLocalDay({2026, 12, 31})), "23:59 31/12/2026");
}

}  // namespace
}  // namespace ucsc::plan
