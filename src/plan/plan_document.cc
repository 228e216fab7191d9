#include "plan/plan_document.h"

#include <algorithm>
#include <string_view>
#include <utility>

namespace ucsc::plan {

namespace {

using report::Heading;
using report::HeadingStyle;
using report::Paragraph;

std::string Roman(int n) {
  static constexpr std::pair<int, std::string_view> kDigits[] = {
      {1000, "M"}, {900, "CM"}, {500, "D"}, {400, "CD"}, {100, "C"}, {90, "XC"}, {50, "L"},
      {40, "XL"},  {10, "X"},   {9, "IX"},  {5, "V"},    {4, "IV"},  {1, "I"}};
  std::string out;
  for (const auto& [value, digits] : kDigits) {
    while (n >= value) {
      out += digits;
      n -= value;
    }
  }
  return out;
}

bool Blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}

// One paragraph per non-blank line.
void AddLines(std::vector<report::Block>& body, std::string_view text) {
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!Blank(line)) body.emplace_back(Paragraph::Plain(std::string(line)));
    start = end + 1;
  }
}

}  // namespace

core::Result<report::OfficialDocument> BuildPlanDocument(const IrPlan& plan, const Outline& outline,
                                                         const PlanDocumentInput& input) {
  if (plan.outline_id != outline.id) {
    return core::MakeError(
        core::ErrorCode::kFailedPrecondition,
        "plan " + plan.id + " follows outline " + plan.outline_id + ", not " + outline.id,
        "/outline_id");
  }
  report::OfficialDocument doc = report::StartTypedDocument(input.issue, "Kế hoạch", "KH");
  if (plan.scope == PlanScope::kProvincial) {
    doc.abstract = "Ứng phó sự cố, bảo đảm an toàn thông tin mạng trên địa bàn tỉnh" +
                   (input.province.empty() ? std::string() : " " + input.province);
  } else {
    doc.abstract = "Phương án ứng cứu sự cố an toàn thông tin mạng " +
                   (input.system_name.empty() ? "hệ thống thông tin" : input.system_name);
  }
  doc.abstract += " (phiên bản " + std::to_string(plan.version) +
                  (plan.state == PlanState::kApproved ? ")" : ", dự thảo)");
  doc.legal_bases = {
      "Căn cứ Quyết định số 05/2017/QĐ-TTg ngày 16/3/2017 của Thủ tướng Chính phủ ban hành quy "
      "định về hệ thống phương án ứng cứu khẩn cấp bảo đảm an toàn thông tin mạng quốc gia",
      "Căn cứ Thông tư số 20/2017/TT-BTTTT ngày 12/9/2017 của Bộ trưởng Bộ Thông tin và Truyền "
      "thông quy định về điều phối, ứng cứu sự cố an toàn thông tin mạng trên toàn quốc",
      "Căn cứ Chỉ thị số 18/CT-TTg ngày 13/10/2022 của Thủ tướng Chính phủ về đẩy mạnh triển khai "
      "các hoạt động ứng cứu sự cố an toàn thông tin mạng Việt Nam"};
  auto& body = doc.body;
  int number = 0;
  std::string scenarios_heading;
  for (const auto& s : outline.sections) {
    const PlanSection* ps = plan.Section(s.id);
    const std::string_view text = ps == nullptr ? std::string_view() : std::string_view(ps->text);
    const bool has_text = !Blank(text);
    const bool scenario_list = s.topic == Topic::kScenarios && !plan.scenarios.empty();
    const bool refers = s.topic == Topic::kResponse && !has_text && !plan.scenarios.empty();
    if (!s.mandatory && !has_text) continue;
    const std::string roman = Roman(++number);
    body.emplace_back(Heading{roman + ". " + s.title.vi, HeadingStyle::kSection});
    if (has_text) AddLines(body, text);
    if (scenario_list) {
      if (scenarios_heading.empty()) scenarios_heading = roman;
      int sub = 0;
      for (const auto& sc : plan.scenarios) {
        body.emplace_back(
            Heading{std::to_string(++sub) + ". " + sc.title, HeadingStyle::kSubsection});
        // The rendered text starts with the title line, already the sub-heading.
        const auto nl = sc.text.find('\n');
        AddLines(body, nl == std::string::npos ? std::string_view()
                                               : std::string_view(sc.text).substr(nl + 1));
      }
    } else if (refers) {
      body.emplace_back(Paragraph::Plain(
          "Phương án ứng cứu đối với từng kịch bản được nêu tại Mục " +
          (scenarios_heading.empty() ? std::string("kịch bản sự cố") : scenarios_heading) +
          " của Kế hoạch này."));
    } else if (!has_text) {
      body.emplace_back(Paragraph::Italic("(Chưa có nội dung.)"));
    }
  }
  UCSC_RETURN_IF_ERROR(report::ValidateDocument(doc));
  return doc;
}

core::Result<std::string> RenderPlanDocx(const IrPlan& plan, const Outline& outline,
                                         const PlanDocumentInput& input) {
  UCSC_ASSIGN_OR_RETURN(auto doc, BuildPlanDocument(plan, outline, input));
  return report::RenderDocx(doc);
}

}  // namespace ucsc::plan
