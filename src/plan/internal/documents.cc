#include "plan/internal/documents.h"

namespace ucsc::plan::internal {
namespace {

// The place line ("Sông Hồng, ngày …") from the root organisation's name.
std::string PlaceOf(store::Tx& tx, core::Organisation org) {
  for (int hops = 0; hops < 64 && !org.parent_id.empty(); ++hops) {
    auto parent = tx.Orgs().Get(org.parent_id, store::Scope::All());
    if (!parent) break;
    org = std::move(*parent);
  }
  return report::PlaceOfIssue(org.name);
}

}  // namespace

core::Result<report::IssueDetails> IssueFor(store::Tx& tx, const std::string& org_id,
                                            core::LocalDate on, const std::string& default_signer,
                                            const IssueOverrides& overrides) {
  UCSC_ASSIGN_OR_RETURN(auto org, tx.Orgs().Get(org_id, store::Scope::All()));
  report::IssueDetails issue;
  if (!org.parent_id.empty()) {
    if (auto parent = tx.Orgs().Get(org.parent_id, store::Scope::All())) {
      issue.parent_body = parent->name;
    }
  }
  issue.issuing_body = org.name;
  issue.issuer_code = report::IssuerCode(org.short_name, org.name);
  issue.place = overrides.place;
  if (issue.place.empty()) issue.place = PlaceOf(tx, org);
  issue.date = on;
  issue.signature.name = overrides.signer_name;
  if (issue.signature.name.empty()) issue.signature.name = default_signer;
  issue.signature.title = overrides.signer_title;
  if (issue.signature.title.empty()) issue.signature.title = "THỦ TRƯỞNG ĐƠN VỊ";
  issue.signature.authority = overrides.signer_authority;
  return issue;
}

}  // namespace ucsc::plan::internal
