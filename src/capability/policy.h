// Who may do what, as a table: one row per resource, one grant per role (DESIGN.md "Who uses
// it"). Each capability module supplies the rows of the resources it owns; the server assembles
// them into one Policy and refuses to start when a route names a resource without a row, or a
// row leaves a role out. There is no default: a resource nobody wrote a row for is an error, not
// "coordinators may write".
//
// A role either may not touch a resource at all (403) or may touch it within its organisation
// scope (rows outside it answer 404).
//
// Thread-safety: a built Policy is immutable; Allowed() may be called from any thread.
//
// Example:
//   constexpr capability::PolicyRow kFindingsRow{
//       .resource = "findings",
//       .admin = Grant::kWrite, .coordinator = Grant::kWrite, .responder = Grant::kWrite,
//       .org_manager = Grant::kWrite, .org_staff = Grant::kWrite, .liaison = Grant::kNone,
//       .auditor = Grant::kRead};
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"
#include "core/result.h"

namespace ucsc::capability {

enum class Access { kRead, kWrite };

// What one role may do with one resource. The zero value is deliberately not a grant, so that a
// role left out of a designated initializer is caught by Policy::Build.
enum class Grant : uint8_t { kNone = 1, kRead = 2, kWrite = 3 };  // kWrite includes reading

struct PolicyRow {
  std::string_view resource;  // "findings": the name used in routes and denials
  Grant admin{};
  Grant coordinator{};
  Grant responder{};
  Grant org_manager{};
  Grant org_staff{};
  Grant liaison{};
  Grant auditor{};

  // The grant of `role`.
  Grant For(core::Role role) const;
};

class Policy {
 public:
  Policy() = default;
  // Checks and indexes `rows`. Errors: kInvalidArgument naming the resource when a row has an
  // empty name, a role without a grant, or the same resource appears twice.
  [[nodiscard]] static core::Result<Policy> Build(std::vector<PolicyRow> rows);

  // True when `role` may perform `access` on `resource` (within its scope). False for a resource
  // without a row (Build's caller checks every route's resource with Has()).
  bool Allowed(core::Role role, std::string_view resource, Access access) const;
  bool Has(std::string_view resource) const;
  const std::vector<PolicyRow>& rows() const { return rows_; }

 private:
  std::vector<PolicyRow> rows_;
  std::map<std::string, size_t, std::less<>> index_;
};

// True when the role sees every organisation (province-wide); false when it is limited to its
// own organisation and the organisations below it.
bool SeesAllOrganisations(core::Role role);

}  // namespace ucsc::capability
