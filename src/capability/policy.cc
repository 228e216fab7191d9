#include "capability/policy.h"

namespace ucsc::capability {

using core::Role;

Grant PolicyRow::For(Role role) const {
  switch (role) {
    case Role::kAdmin:
      return admin;
    case Role::kCoordinator:
      return coordinator;
    case Role::kResponder:
      return responder;
    case Role::kOrgManager:
      return org_manager;
    case Role::kOrgStaff:
      return org_staff;
    case Role::kLiaison:
      return liaison;
    case Role::kAuditor:
      return auditor;
  }
  return Grant{};
}

core::Result<Policy> Policy::Build(std::vector<PolicyRow> rows) {
  Policy p;
  for (size_t i = 0; i < rows.size(); ++i) {
    const auto& row = rows[i];
    if (row.resource.empty()) {
      return core::InvalidArgument("policy row " + std::to_string(i) + " names no resource");
    }
    for (Role role : {Role::kAdmin, Role::kCoordinator, Role::kResponder, Role::kOrgManager,
                      Role::kOrgStaff, Role::kLiaison, Role::kAuditor}) {
      Grant g = row.For(role);
      if (g != Grant::kNone && g != Grant::kRead && g != Grant::kWrite) {
        return core::InvalidArgument("policy row '" + std::string(row.resource) +
                                     "' gives the role " + std::string(core::RoleName(role)) +
                                     " no grant (write Grant::kNone to deny)");
      }
    }
    if (!p.index_.emplace(std::string(row.resource), i).second) {
      return core::InvalidArgument("policy row '" + std::string(row.resource) + "' is given twice");
    }
  }
  p.rows_ = std::move(rows);
  return p;
}

bool Policy::Allowed(Role role, std::string_view resource, Access access) const {
  auto it = index_.find(resource);
  if (it == index_.end()) return false;
  Grant g = rows_[it->second].For(role);
  return g == Grant::kWrite || (g == Grant::kRead && access == Access::kRead);
}

bool Policy::Has(std::string_view resource) const { return index_.contains(resource); }

bool SeesAllOrganisations(Role role) {
  switch (role) {
    case Role::kAdmin:
    case Role::kCoordinator:
    case Role::kResponder:
    case Role::kAuditor:
    case Role::kLiaison:
      return true;
    case Role::kOrgManager:
    case Role::kOrgStaff:
      return false;
  }
  return false;
}

}  // namespace ucsc::capability
