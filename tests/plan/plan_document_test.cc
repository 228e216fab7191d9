#include "plan/plan_document.h"

#include <gtest/gtest.h>

#include <pugixml.hpp>
#include <variant>

#include "plan/playbook.h"
#include "report/docx_test_util.h"
#include "test_util.h"

namespace ucsc::plan {
namespace {

using testing::ImportantOutline;
using testing::Local;
using testing::OtherOutline;

PlanDocumentInput Input() {
  PlanDocumentInput in;
  in.issue.parent_body = "UBND tỉnh Thái Nguyên";
  in.issue.issuing_body = "Sở Y tế";
  in.issue.issuer_code = "SYT";
  in.issue.place = "Thái Nguyên";
  in.issue.date = {2026, 12, 7};
  in.issue.signature = {"KT. Giám đốc", "Phó Giám đốc", "Nguyễn Văn A"};
  in.issue.recipients = {"Sở Khoa học và Công nghệ"};
  in.issue.archive_units = "VT, CNTT";
  in.system_name = "Hệ thống quản lý khám chữa bệnh";
  return in;
}

// Every paragraph text of word/document.xml, in order, line breaks (which the writer puts into a
// long trích yếu) read as spaces.
std::vector<std::string> Paragraphs(const std::string& docx) {
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

bool Contains(const std::vector<std::string>& paras, const std::string& text) {
  return std::any_of(paras.begin(), paras.end(),
                     [&](const std::string& p) { return p.find(text) != std::string::npos; });
}

TEST(PlanDocx, EveryMandatorySectionTitleAppears_R4) {
  for (const Outline* o : {&OtherOutline(), &ImportantOutline()}) {
    const IrPlan p = testing::ApprovedPlan(*o, Local(2026, 12, 1));
    auto docx = RenderPlanDocx(p, *o, Input());
    ASSERT_TRUE(docx.has_value()) << docx.error().ToString();
    const auto paras = Paragraphs(*docx);
    for (const auto& s : o->sections) {
      if (!s.mandatory) continue;
      EXPECT_TRUE(Contains(paras, ". " + s.title.vi)) << o->id << ": " << s.title.vi;
    }
    EXPECT_TRUE(Contains(paras,
                         "Phương án ứng cứu sự cố an toàn thông tin mạng Hệ thống quản lý "
                         "khám chữa bệnh (phiên bản 1)"));
    EXPECT_TRUE(Contains(paras, "KẾ HOẠCH"));
    EXPECT_TRUE(Contains(paras, "Số:"));
    EXPECT_TRUE(Contains(paras, "/KH-SYT"));
  }
}

TEST(PlanDocx, SectionsAreNumberedInOutlineOrderAndTextKept) {
  const Outline& o = OtherOutline();
  IrPlan p = testing::CompleteDraft(o, Local(2026, 12, 1));
  ASSERT_TRUE(SetSection(p, o, "continuity", "Ưu tiên 1: tiếp nhận hồ sơ\nƯu tiên 2: tra cứu",
                         Local(2026, 12, 1))
                  .has_value());
  auto doc = BuildPlanDocument(p, o, Input());
  ASSERT_TRUE(doc.has_value()) << doc.error().ToString();
  std::vector<std::string> headings;
  std::vector<std::string> paragraphs;
  for (const auto& b : doc->body) {
    if (const auto* h = std::get_if<report::Heading>(&b)) headings.push_back(h->text);
    if (const auto* para = std::get_if<report::Paragraph>(&b)) {
      paragraphs.push_back(para->runs.at(0).text);
    }
  }
  ASSERT_EQ(headings.size(), o.sections.size());
  EXPECT_EQ(headings[0], "I. " + o.sections[0].title.vi);
  EXPECT_EQ(headings[4], "V. " + o.sections[4].title.vi);
  EXPECT_NE(std::find(paragraphs.begin(), paragraphs.end(), "Ưu tiên 2: tra cứu"),
            paragraphs.end());
  EXPECT_NE(doc->abstract.find("dự thảo"), std::string::npos);  // not approved
}

TEST(PlanDocx, ScenariosBecomeSubsectionsAndEmptyOptionalSectionIsLeftOut) {
  const Outline& o = OtherOutline();
  IrPlan p = testing::CompleteDraft(o, Local(2026, 12, 1));
  ASSERT_TRUE(SetSection(p, o, "scenarios", "", Local(2026, 12, 1)).has_value());
  ASSERT_TRUE(SetSection(p, o, "response", "", Local(2026, 12, 1)).has_value());
  ASSERT_TRUE(SetSection(p, o, "resources", "", Local(2026, 12, 1)).has_value());
  auto lib = LoadScenarios(testing::DataDir("playbooks"));
  ASSERT_TRUE(lib.has_value());
  ASSERT_TRUE(AddScenarios(p, *lib, Lang::kVi, Local(2026, 12, 1)).has_value());
  auto docx = RenderPlanDocx(p, o, Input());
  ASSERT_TRUE(docx.has_value()) << docx.error().ToString();
  const auto paras = Paragraphs(*docx);
  EXPECT_TRUE(Contains(paras, "1. Tấn công từ chối dịch vụ"));
  EXPECT_TRUE(Contains(paras, "14. Sự cố cháy, nổ"));
  EXPECT_TRUE(Contains(paras, "Dấu hiệu nhận biết:"));
  EXPECT_TRUE(Contains(paras, "được nêu tại Mục VI"));
  EXPECT_FALSE(Contains(paras, o.Find("resources")->title.vi));
}

TEST(PlanDocx, ProvincialPlanAbstractNamesTheProvince_R26) {
  const Outline& o = ImportantOutline();
  auto p = NewDraft({.id = "prov", .org_id = "ubnd", .scope = PlanScope::kProvincial}, o,
                    Local(2026, 12, 1));
  ASSERT_TRUE(p.has_value());
  PlanDocumentInput in = Input();
  in.province = "Thái Nguyên";
  auto doc = BuildPlanDocument(*p, o, in);
  ASSERT_TRUE(doc.has_value()) << doc.error().ToString();
  EXPECT_EQ(doc->abstract,
            "Ứng phó sự cố, bảo đảm an toàn thông tin mạng trên địa bàn tỉnh Thái Nguyên "
            "(phiên bản 1, dự thảo)");
}

TEST(PlanDocx, WrongOutlineAndBadIssueDetailsAreRefused) {
  const IrPlan p = testing::ApprovedPlan(OtherOutline(), Local(2026, 12, 1));
  auto wrong = BuildPlanDocument(p, ImportantOutline(), Input());
  ASSERT_FALSE(wrong.has_value());
  EXPECT_EQ(wrong.error().code, core::ErrorCode::kFailedPrecondition);
  PlanDocumentInput in = Input();
  in.issue.signature.name.clear();
  auto bad = BuildPlanDocument(p, OtherOutline(), in);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_FALSE(bad.error().field.empty());
}

}  // namespace
}  // namespace ucsc::plan
