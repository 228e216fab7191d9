// The drill report (báo cáo kết quả diễn tập) as an official document of type "Báo cáo" in the
// Decree 30/2020/NĐ-CP layout (../shared/DOCFORMAT.md), rendered by report::RenderDocx: the
// drill's purpose and scope, its participants by team, the timeline of actions and detections
// with the time to detect and to contain, and the weaknesses found, grouped as process /
// technology / people (CT18 point 3), each with its severity, owner, due date and, for one that
// allows intrusion, the hunt opened with its remediation (R6). The report of a closed live-fire
// drill is the R5 evidence of the systems in scope; one not yet closed is marked "dự thảo".
// Thread-safety: pure functions.
#pragma once

#include <map>
#include <string>

#include "core/result.h"
#include "plan/drill.h"
#include "report/issue_details.h"
#include "report/official_document.h"

namespace ucsc::plan {

struct DrillReportInput {
  report::IssueDetails issue;                       // symbol becomes "BC-<issuer_code>"
  std::map<std::string, std::string> system_names;  // system id → name; ids shown when absent
  std::map<std::string, std::string> user_names;    // finding owner id → display name
};

// "HH:MM dd/mm/yyyy" in Vietnam time.
std::string FormatVnDateTime(core::Instant t);

// Returns the document model. Errors: kInvalidArgument from report::ValidateDocument (field
// paths included).
[[nodiscard]] core::Result<report::OfficialDocument> BuildDrillReport(
    const Drill& drill, const DrillReportInput& input);

}  // namespace ucsc::plan
