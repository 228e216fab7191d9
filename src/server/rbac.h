// Who may do what (DESIGN.md "Who uses it"). A role either may not touch a resource at all
// (403) or may touch it within its organisation scope (rows outside it answer 404).
// Thread-safety: pure functions.
#pragma once

#include <string_view>

#include "core/model.h"

namespace ucsc::server {

enum class Resource {
  kOrganisations,
  kSystems,
  kAssets,
  kContacts,
  kTeam,
  kTasks,
  kUsers,
  kAudit,
  kJobs,
  kEvidence,       // compliance evidence records and their files
  kCompliance,     // status, scorecards, rules; writes: review, urge, inspect (coordinator)
  kScans,          // scan authorisation requests, scan runs, the kill switch
  kScanApprovals,  // approving, rejecting, revoking a scan authorisation (coordinator)
  kHunts,          // logs uploaded for a hunt, hunt runs
  kFindings,       // vulnerability findings and their lifecycle
  kAdvisories,     // vulnerability advisories: acknowledged and remediated by the organisation
};

enum class Access { kRead, kWrite };

// True when `role` may perform `access` on `resource` (within its scope).
bool Allowed(core::Role role, Resource resource, Access access);

// True when the role sees every organisation (province-wide); false when it is limited to its
// own organisation and the organisations below it.
bool SeesAllOrganisations(core::Role role);

std::string_view ResourceName(Resource r);

}  // namespace ucsc::server
