// Export of a plan version as an official document (văn bản hành chính, type "Kế hoạch") in the
// Decree 30/2020/NĐ-CP layout, through report::RenderDocx (../shared/DOCFORMAT.md). The body has
// one numbered section ("I.", "II." …, bold) per outline section in outline order — mandatory
// sections always, optional ones when written — with the section text as paragraphs (one per
// line). The scenario section lists the instantiated scenarios as sub-sections ("1. <title>");
// a response section left blank refers to them. A version not yet approved is marked "dự thảo".
// Thread-safety: pure functions.
#pragma once

#include <string>

#include "core/result.h"
#include "plan/outline.h"
#include "plan/plan.h"
#include "report/issue_details.h"
#include "report/official_document.h"

namespace ucsc::plan {

struct PlanDocumentInput {
  report::IssueDetails issue;  // symbol becomes "KH-<issuer_code>"
  std::string system_name;  // "Hệ thống quản lý khám chữa bệnh"; empty for the provincial plan
  std::string province;  // "Thái Nguyên": used in the provincial plan's abstract
};

// Returns the document model. Errors: kFailedPrecondition when `plan` was not written on
// `outline`; kInvalidArgument from report::ValidateDocument (field paths included).
[[nodiscard]] core::Result<report::OfficialDocument> BuildPlanDocument(
    const IrPlan& plan, const Outline& outline, const PlanDocumentInput& input);

// BuildPlanDocument then report::RenderDocx: the bytes of a .docx file. Errors: those two.
[[nodiscard]] core::Result<std::string> RenderPlanDocx(const IrPlan& plan, const Outline& outline,
                                                       const PlanDocumentInput& input);

}  // namespace ucsc::plan
