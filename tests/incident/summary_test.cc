// Form 05 (DOMAIN.md E; R16, R18): the periods read from the 20/6 and 15/12 cut-offs, the roll-up
// by the 10 incident types with the counts E lists, and the document in the Decree 30/2020 layout
// carrying every mandatory field.
#include "incident/summary.h"

#include <gtest/gtest.h>

#include <pugixml.hpp>

#include "report/docx_test_util.h"

namespace ucsc::incident {
namespace {

core::Instant Local(int y, unsigned m, unsigned d, int hh = 9) {
  return core::StartOfLocalDay({y, m, d}) + std::chrono::hours(hh);
}

TEST(SummaryPeriodR16, HalvesEndAtTheCutOffsAndTileTheYear) {
  auto h1 = MakeSummaryPeriod(2026, "1");
  auto h2 = MakeSummaryPeriod(2026, "2");
  auto y = MakeSummaryPeriod(2026, "year");
  ASSERT_TRUE(h1 && h2 && y);
  EXPECT_EQ(h1->from, (core::LocalDate{2025, 12, 16}));
  EXPECT_EQ(h1->to, (core::LocalDate{2026, 6, 20}));
  EXPECT_EQ(h2->from, (core::LocalDate{2026, 6, 21}));
  EXPECT_EQ(h2->to, (core::LocalDate{2026, 12, 15}));
  EXPECT_EQ(y->from, h1->from);
  EXPECT_EQ(y->to, h2->to);
  EXPECT_EQ(h1->end + std::chrono::milliseconds(1), h2->start);  // no gap, no overlap
  EXPECT_EQ(y->end, core::EndOfLocalDay({2026, 12, 15}));
  EXPECT_EQ(MakeSummaryPeriod(2027, "1")->start, y->end + std::chrono::milliseconds(1));
  EXPECT_EQ(h1->ref, "2026-H1");
  EXPECT_EQ(h2->ref, "2026-H2");
  EXPECT_EQ(y->ref, "2026");
  EXPECT_EQ(PeriodName(*h1), "06 tháng đầu năm 2026");
  EXPECT_EQ(PeriodName(*y, true), "year 2026");
  EXPECT_EQ(MakeSummaryPeriod(2026, "3").error().field, "/half");
  EXPECT_EQ(MakeSummaryPeriod(1999, "1").error().field, "/year");
}

SummaryItem Item(const std::string& id, IncidentType type, core::Instant detected,
                 IncidentState state, std::vector<std::string> domestic = {},
                 std::vector<std::string> foreign = {}, int64_t damage = 0, bool support = false) {
  SummaryItem item;
  item.incident.id = id;
  item.incident.type = type;
  item.incident.detected_at = detected;
  item.incident.state = state;
  item.incident.support.domestic_helpers = std::move(domestic);
  item.incident.support.foreign_helpers = std::move(foreign);
  item.incident.support.estimated_damage_vnd = damage;
  item.support_requested = support;
  return item;
}

std::vector<SummaryItem> Items() {
  using enum IncidentType;
  using enum IncidentState;
  return {
      // In H1 2026.
      Item("a", kEncryption, Local(2025, 12, 16, 0), kClosed, {"VNPT Thái Nguyên"}, {}, 150'000'000,
           true),
      Item("b", kEncryption, Local(2026, 3, 2), kClosed),
      Item("c", kEncryption, Local(2026, 4, 1), kOpen),
      Item("d", kDefacement, Local(2026, 6, 20, 23), kResponseEnded, {"VNPT Thái Nguyên", "Bkav"},
           {"Kaspersky Lab"}, 2'000'000),
      Item("e", kDos, Local(2026, 5, 5), kClosed, {}, {}, 0, true),
      // Outside H1: 15/12/2025 (the 2025 year) and 21/6/2026 (H2).
      Item("f", kMalware, Local(2025, 12, 15, 23), kClosed),
      Item("g", kMalware, Local(2026, 6, 21, 0), kClosed),
  };
}

TEST(SummaryR16, RollsUpByTypeWithTheCountsOfForm05) {
  const Summary s = Summarise(*MakeSummaryPeriod(2026, "1"), Items());
  ASSERT_EQ(s.rows.size(), 10U);
  for (size_t i = 0; i < s.rows.size(); ++i) {
    EXPECT_EQ(InfoOf(s.rows[i].type).number, static_cast<int>(i) + 1);
  }
  const SummaryCounts& enc = s.rows[5].counts;  // type 6: encryption
  EXPECT_EQ(s.rows[5].type, IncidentType::kEncryption);
  EXPECT_EQ(enc.count, 3);
  EXPECT_EQ(enc.self_handled, 1);  // b; a had help, c is still open
  EXPECT_EQ(enc.domestic_help, 1);
  EXPECT_EQ(enc.foreign_help, 0);
  EXPECT_EQ(enc.support_requested, 1);
  EXPECT_EQ(enc.damage_vnd, 150'000'000);
  EXPECT_EQ(s.rows[5].incident_ids, (std::vector<std::string>{"a", "b", "c"}));
  const SummaryCounts& deface = s.rows[4].counts;
  EXPECT_EQ(deface, (SummaryCounts{1, 0, 1, 1, 0, 2'000'000}));
  EXPECT_EQ(s.rows[0].counts, (SummaryCounts{1, 0, 0, 0, 1, 0}));  // requested support
  EXPECT_EQ(s.rows[2].counts.count, 0);  // malware f and g are outside the period
  EXPECT_EQ(s.total, (SummaryCounts{5, 1, 2, 1, 2, 152'000'000}));
  EXPECT_EQ(s.domestic_helpers, (std::vector<std::string>{"VNPT Thái Nguyên", "Bkav"}));
  EXPECT_EQ(s.foreign_helpers, (std::vector<std::string>{"Kaspersky Lab"}));
  // The year holds H1 and H2 but not 15/12/2025.
  const Summary year = Summarise(*MakeSummaryPeriod(2026, "year"), Items());
  EXPECT_EQ(year.total.count, 6);
  EXPECT_EQ(Summarise(*MakeSummaryPeriod(2025, "year"), Items()).total.count, 1);
}

TEST(SummaryR16, SupportRequestedIsARequestSentToTheNationalCoordinator) {
  Notice n;
  n.direction = NoticeDirection::kSent;
  n.document = "request_for_support";
  n.party = "owner";
  EXPECT_FALSE(SupportRequested({n}));
  n.party = "national_coordinator";
  EXPECT_TRUE(SupportRequested({n}));
  n.direction = NoticeDirection::kReceived;
  EXPECT_FALSE(SupportRequested({n}));
}

TEST(SummaryR16, FormatsDamageWithVietnameseGrouping) {
  EXPECT_EQ(FormatVnd(0), "0");
  EXPECT_EQ(FormatVnd(999), "999");
  EXPECT_EQ(FormatVnd(1000), "1.000");
  EXPECT_EQ(FormatVnd(152'000'000), "152.000.000");
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

report::IssueDetails Issue() {
  report::IssueDetails issue;
  issue.parent_body = "UBND tỉnh Thái Nguyên";
  issue.issuing_body = "Công an tỉnh Thái Nguyên";
  issue.issuer_code = "CAT";
  issue.place = "Thái Nguyên";
  issue.date = {2026, 6, 18};
  issue.addressees = {"Trung tâm An ninh mạng quốc gia"};
  issue.signature = {"KT. Giám đốc", "Phó Giám đốc", "Nguyễn Văn An"};
  issue.recipients = {"Như trên"};
  return issue;
}

// R16: every mandatory field of Form 05 is in the DOCX with its value, every type row and the
// totals with all six counts, the helpers and the proposals.
TEST(SummaryR16, EveryMandatoryFieldAppearsInTheDocx) {
  const Summary s = Summarise(*MakeSummaryPeriod(2026, "1"), Items());
  const SummaryHeader h{"Công an tỉnh Thái Nguyên", "Số 2 đường Hoàng Văn Thụ", "TV-019",
                        "Đề nghị tăng cường chia sẻ mẫu mã độc"};
  auto doc = BuildForm05(s, h, Issue());
  ASSERT_TRUE(doc) << doc.error().ToString();
  auto docx = report::RenderDocx(*doc);
  ASSERT_TRUE(docx) << docx.error().ToString();
  const std::string text = DocumentText(*docx);
  int mandatory = 0;
  for (const auto& f : Form05Fields(s, h)) {
    EXPECT_NE(text.find(f.label), std::string::npos) << f.label;
    mandatory += f.mandatory ? 1 : 0;
    if (f.pointer == "/domestic_helpers" || f.pointer == "/foreign_helpers") {
      // A dash list, one helper a line.
      for (const auto& name :
           f.pointer == "/domestic_helpers" ? s.domestic_helpers : s.foreign_helpers) {
        EXPECT_NE(text.find("- " + name), std::string::npos) << name;
      }
      continue;
    }
    EXPECT_NE(text.find(f.value), std::string::npos) << f.label << ": " << f.value;
  }
  EXPECT_EQ(mandatory, 3 + 11 + 2);  // name, address, period; 10 types + total; helper lists
  for (const auto& info : IncidentTypes()) {
    EXPECT_NE(text.find(std::string(info.vi)), std::string::npos) << info.vi;
  }
  for (const char* column : {"Số lượng",
                             "Tự xử lý",
                             "Có hỗ trợ của tổ chức trong nước",
                             "Có hỗ trợ của tổ chức nước ngoài",
                             "Đề nghị cơ quan điều phối quốc gia hỗ trợ",
                             "Ước tính thiệt hại (đồng)",
                             "Tổng cộng",
                             "152.000.000",
                             "150.000.000",
                             "2.000.000",
                             "TV-019",
                             "Từ tháng 12/2025 đến tháng 6/2026",
                             "Kaspersky Lab",
                             "Bkav",
                             "Đề nghị tăng cường chia sẻ mẫu mã độc",
                             "Trung tâm An ninh mạng quốc gia",
                             "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                             "BÁO CÁO",
                             "Tổng hợp 06 tháng đầu năm 2026 về hoạt động tiếp nhận và xử lý sự cố",
                             "Số:"}) {
    EXPECT_NE(text.find(column), std::string::npos) << column;
  }
}

TEST(SummaryR16, AMissingAddressIsRefusedNamingIt) {
  const Summary s = Summarise(*MakeSummaryPeriod(2026, "2"), {});
  auto doc = BuildForm05(s, {"Sở Y tế", "", "", ""}, Issue());
  ASSERT_FALSE(doc);
  EXPECT_EQ(doc.error().code, core::ErrorCode::kFailedPrecondition);
  EXPECT_EQ(doc.error().field, "/organisation/address");
  // Empty periods still print every row with zeros and "Không có" helpers.
  auto empty = BuildForm05(s, {"Sở Y tế", "12 Lê Lợi", "", ""}, Issue());
  ASSERT_TRUE(empty) << empty.error().ToString();
  EXPECT_EQ(s.total, SummaryCounts{});
}

}  // namespace
}  // namespace ucsc::incident
