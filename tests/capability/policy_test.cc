// The policy table (capability/policy.h): no default grants, no incomplete or repeated rows.
#include "capability/policy.h"

#include <gtest/gtest.h>

namespace ucsc::capability {
namespace {

using core::Role;

constexpr PolicyRow kFindings{.resource = "findings",
                              .admin = Grant::kWrite,
                              .coordinator = Grant::kWrite,
                              .responder = Grant::kWrite,
                              .org_manager = Grant::kWrite,
                              .org_staff = Grant::kRead,
                              .liaison = Grant::kNone,
                              .auditor = Grant::kRead};

TEST(Policy, GrantsAreReadFromTheRow) {
  auto p = Policy::Build({kFindings});
  ASSERT_TRUE(p) << p.error().ToString();
  EXPECT_TRUE(p->Allowed(Role::kOrgManager, "findings", Access::kWrite));
  EXPECT_TRUE(p->Allowed(Role::kOrgStaff, "findings", Access::kRead));
  EXPECT_FALSE(p->Allowed(Role::kOrgStaff, "findings", Access::kWrite));
  EXPECT_FALSE(p->Allowed(Role::kLiaison, "findings", Access::kRead));
  EXPECT_TRUE(p->Allowed(Role::kAuditor, "findings", Access::kRead));
  EXPECT_FALSE(p->Allowed(Role::kAuditor, "findings", Access::kWrite));
}

TEST(Policy, AResourceWithoutARowIsDeniedToEveryRole) {
  auto p = Policy::Build({kFindings});
  ASSERT_TRUE(p);
  EXPECT_FALSE(p->Has("advisories"));
  for (Role r : {Role::kAdmin, Role::kCoordinator, Role::kAuditor}) {
    EXPECT_FALSE(p->Allowed(r, "advisories", Access::kRead));
  }
}

TEST(Policy, ARowThatLeavesARoleOutIsRefused) {
  PolicyRow half{.resource = "plans", .admin = Grant::kWrite, .coordinator = Grant::kWrite};
  auto p = Policy::Build({half});
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_NE(p.error().message.find("responder"), std::string::npos) << p.error().message;
}

TEST(Policy, ARepeatedOrNamelessRowIsRefused) {
  EXPECT_FALSE(Policy::Build({kFindings, kFindings}));
  PolicyRow nameless = kFindings;
  nameless.resource = "";
  EXPECT_FALSE(Policy::Build({nameless}));
}

}  // namespace
}  // namespace ucsc::capability
