// Who issues the plan module's official documents (a plan's "Kế hoạch", a drill's "Báo cáo"),
// shared by the export routes and the `ucsc plan|drill` commands. Private to src/plan.
// Thread-safety: functions on the caller's transaction.
#pragma once

#include <string>

#include "core/legal_time.h"
#include "core/model.h"
#include "core/result.h"
#include "report/issue_details.h"
#include "store/store.h"

namespace ucsc::plan::internal {

// What the caller may override of the issue details (?signer_name= … or --signer-name …); empty
// = the default.
struct IssueOverrides {
  std::string signer_name;
  std::string signer_title;
  std::string signer_authority;
  std::string place;
};

// The issue details of a document of organisation `org_id` dated `on`: the organisation and its
// parent, the province as the place, signed by `default_signer` as "THỦ TRƯỞNG ĐƠN VỊ" unless
// overridden. Errors: kNotFound for an unknown organisation; the store's.
[[nodiscard]] core::Result<report::IssueDetails> IssueFor(store::Tx& tx, const std::string& org_id,
                                                          core::LocalDate on,
                                                          const std::string& default_signer,
                                                          const IssueOverrides& overrides);

}  // namespace ucsc::plan::internal
