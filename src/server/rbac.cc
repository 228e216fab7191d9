#include "server/rbac.h"

namespace ucsc::server {

using core::Role;

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

bool Allowed(Role role, Resource resource, Access access) {
  const bool read = access == Access::kRead;
  switch (role) {
    case Role::kAdmin:
      return true;
    case Role::kAuditor:
      // Read-only everywhere, plus the audit log.
      return read && resource != Resource::kJobs;
    case Role::kCoordinator:
      // Guides, urges, inspects: sees every organisation and keeps the inventory.
      return resource != Resource::kUsers && resource != Resource::kJobs &&
             resource != Resource::kAudit;
    case Role::kResponder:
      switch (resource) {
        case Resource::kOrganisations:
        case Resource::kSystems:
        case Resource::kContacts:
        case Resource::kTeam:
        case Resource::kEvidence:
        case Resource::kCompliance:
          return read;
        case Resource::kAssets:
        case Resource::kTasks:
        case Resource::kScans:
        case Resource::kHunts:
        case Resource::kFindings:
        case Resource::kAdvisories:
          return true;
        default:
          return false;
      }
    case Role::kOrgManager:
      switch (resource) {
        case Resource::kOrganisations:
        case Resource::kSystems:
        case Resource::kAssets:
        case Resource::kContacts:
        case Resource::kTasks:
        case Resource::kEvidence:
        case Resource::kHunts:
        case Resource::kFindings:
        case Resource::kAdvisories:
          return true;
        case Resource::kTeam:
        case Resource::kCompliance:
        case Resource::kScans:
          return read;
        default:
          return false;
      }
    case Role::kOrgStaff:
      switch (resource) {
        case Resource::kOrganisations:
        case Resource::kSystems:
        case Resource::kContacts:
        case Resource::kTeam:
        case Resource::kCompliance:
        case Resource::kScans:
          return read;
        case Resource::kAssets:
        case Resource::kTasks:
        case Resource::kEvidence:
        case Resource::kHunts:
        case Resource::kFindings:
        case Resource::kAdvisories:
          return true;
        default:
          return false;
      }
    case Role::kLiaison:
      // Sees and works only incidents shared with it; of the inventory, the directory of
      // organisations and their contacts.
      return read && (resource == Resource::kOrganisations || resource == Resource::kContacts);
  }
  return false;
}

std::string_view ResourceName(Resource r) {
  switch (r) {
    case Resource::kOrganisations:
      return "organisations";
    case Resource::kSystems:
      return "systems";
    case Resource::kAssets:
      return "assets";
    case Resource::kContacts:
      return "contacts";
    case Resource::kTeam:
      return "ir-team";
    case Resource::kTasks:
      return "tasks";
    case Resource::kUsers:
      return "users";
    case Resource::kAudit:
      return "audit";
    case Resource::kJobs:
      return "jobs";
    case Resource::kEvidence:
      return "evidence";
    case Resource::kCompliance:
      return "compliance";
    case Resource::kScans:
      return "scans";
    case Resource::kScanApprovals:
      return "scan-approvals";
    case Resource::kHunts:
      return "hunts";
    case Resource::kFindings:
      return "findings";
    case Resource::kAdvisories:
      return "advisories";
  }
  return "unknown";
}

}  // namespace ucsc::server
