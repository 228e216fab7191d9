// The platform's own policy rows (DESIGN.md "Who uses it"); each capability module supplies the
// rows of its resources.
#include "server/internal/api_internal.h"

namespace ucsc::server {

using capability::Grant;

std::vector<capability::PolicyRow> PlatformPolicy() {
  // clang-format off
  return {
      // Accounts: the platform operator; inspectors read them.
      {.resource = "users", .admin = Grant::kWrite, .coordinator = Grant::kNone,
       .responder = Grant::kNone, .org_manager = Grant::kNone, .org_staff = Grant::kNone,
       .liaison = Grant::kNone, .auditor = Grant::kRead},
      // The hash-chained audit log: read by the operator and inspectors, written by no one.
      {.resource = "audit", .admin = Grant::kWrite, .coordinator = Grant::kNone,
       .responder = Grant::kNone, .org_manager = Grant::kNone, .org_staff = Grant::kNone,
       .liaison = Grant::kNone, .auditor = Grant::kRead},
      // The job queue holds no business data worth an inspector's time.
      {.resource = "jobs", .admin = Grant::kWrite, .coordinator = Grant::kNone,
       .responder = Grant::kNone, .org_manager = Grant::kNone, .org_staff = Grant::kNone,
       .liaison = Grant::kNone, .auditor = Grant::kNone},
  };
  // clang-format on
}

}  // namespace ucsc::server
