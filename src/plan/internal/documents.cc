#include "plan/internal/documents.h"

#include "text/vietnamese.h"

namespace ucsc::plan::internal {
namespace {

// The province's name for the place line ("Sông Hồng, ngày …"): what follows "tỉnh " in the
// root organisation's name, else that name.
std::string PlaceOf(store::Tx& tx, core::Organisation org) {
  for (int hops = 0; hops < 64 && !org.parent_id.empty(); ++hops) {
    auto parent = tx.Orgs().Get(org.parent_id, store::Scope::All());
    if (!parent) break;
    org = std::move(*parent);
  }
  for (std::string_view marker : {"tỉnh ", "Tỉnh ", "thành phố ", "Thành phố "}) {
    if (auto at = org.name.rfind(marker); at != std::string::npos) {
      return org.name.substr(at + marker.size());
    }
  }
  return org.name;
}

}  // namespace

// The issuer's abbreviation from the organisation's short name: its letters and digits without
// diacritics, upper case ("Sở Y tế" → "SYT"); "DV" (đơn vị) when nothing usable is left.
std::string IssuerCode(const core::Organisation& org) {
  const std::string folded =
      text::FoldForSearch(org.short_name.empty() ? org.name : org.short_name);
  std::string code;
  bool word_start = true;
  for (char ch : folded) {
    const bool alnum = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
    if (!alnum) {
      word_start = true;
      continue;
    }
    // Initials of each word; digits kept whole ("Phòng 5" → "P5").
    if (word_start || (ch >= '0' && ch <= '9')) {
      code += static_cast<char>(ch >= 'a' && ch <= 'z' ? ch - 'a' + 'A' : ch);
    }
    word_start = false;
  }
  if (code.empty() || !(code[0] >= 'A' && code[0] <= 'Z')) return "DV";
  return code;
}

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
  issue.issuer_code = IssuerCode(org);
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
