#include "core/model.h"

#include <array>
#include <utility>

namespace ucsc::core {
namespace {

template <class E, size_t N>
std::optional<E> Lookup(const std::array<std::pair<E, std::string_view>, N>& table,
                        std::string_view s) {
  for (const auto& [e, name] : table) {
    if (name == s) return e;
  }
  return std::nullopt;
}
template <class E, size_t N>
std::string_view Name(const std::array<std::pair<E, std::string_view>, N>& table, E e) {
  for (const auto& [v, name] : table) {
    if (v == e) return name;
  }
  return "unknown";
}

constexpr std::array<std::pair<OrgType, std::string_view>, 9> kOrgTypes{{
    {OrgType::kCoordinator, "coordinator"},
    {OrgType::kProvince, "province"},
    {OrgType::kAgency, "agency"},
    {OrgType::kCommune, "commune"},
    {OrgType::kPublicServiceUnit, "public_service_unit"},
    {OrgType::kEnterprise, "enterprise"},
    {OrgType::kPolice, "police"},
    {OrgType::kMilitary, "military"},
    {OrgType::kExternal, "external"},
}};
constexpr std::array<std::pair<ReviewState, std::string_view>, 3> kReviewStates{{
    {ReviewState::kPending, "pending"},
    {ReviewState::kAccepted, "accepted"},
    {ReviewState::kRejected, "rejected"},
}};
constexpr std::array<std::pair<TaskState, std::string_view>, 4> kTaskStates{{
    {TaskState::kOpen, "open"},
    {TaskState::kInProgress, "in_progress"},
    {TaskState::kDone, "done"},
    {TaskState::kCancelled, "cancelled"},
}};
constexpr std::array<std::pair<Role, std::string_view>, 7> kRoles{{
    {Role::kAdmin, "admin"},
    {Role::kCoordinator, "coordinator"},
    {Role::kResponder, "responder"},
    {Role::kOrgManager, "org_manager"},
    {Role::kOrgStaff, "org_staff"},
    {Role::kLiaison, "liaison"},
    {Role::kAuditor, "auditor"},
}};
constexpr std::array<std::pair<JobState, std::string_view>, 4> kJobStates{{
    {JobState::kQueued, "queued"},
    {JobState::kRunning, "running"},
    {JobState::kDone, "done"},
    {JobState::kFailed, "failed"},
}};

}  // namespace

std::string_view OrgTypeName(OrgType t) { return Name(kOrgTypes, t); }
std::optional<OrgType> ParseOrgType(std::string_view s) { return Lookup(kOrgTypes, s); }
const std::vector<std::string_view>& OrgTypeNames() {
  static const std::vector<std::string_view> kNames = [] {
    std::vector<std::string_view> v;
    for (const auto& [e, n] : kOrgTypes) v.push_back(n);
    return v;
  }();
  return kNames;
}
std::string_view TaskStateName(TaskState s) { return Name(kTaskStates, s); }
std::optional<TaskState> ParseTaskState(std::string_view s) { return Lookup(kTaskStates, s); }
std::string_view ReviewStateName(ReviewState s) { return Name(kReviewStates, s); }
std::optional<ReviewState> ParseReviewState(std::string_view s) { return Lookup(kReviewStates, s); }
std::string_view RoleName(Role r) { return Name(kRoles, r); }
std::optional<Role> ParseRole(std::string_view s) { return Lookup(kRoles, s); }
const std::vector<Role>& AllRoles() {
  static const std::vector<Role> kAll = {Role::kAdmin,      Role::kCoordinator, Role::kResponder,
                                         Role::kOrgManager, Role::kOrgStaff,    Role::kLiaison,
                                         Role::kAuditor};
  return kAll;
}
std::string_view JobStateName(JobState s) { return Name(kJobStates, s); }
std::optional<JobState> ParseJobState(std::string_view s) { return Lookup(kJobStates, s); }

}  // namespace ucsc::core
