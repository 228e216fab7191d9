// How each inventory aggregate maps onto its table: the key columns kept beside the JSON
// document, which of them scope a row to organisations, and which a list may filter on.
// Thread-safety: constant data and pure functions.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/model.h"
#include "store/internal/sql.h"

namespace ucsc::store::internal {

using KeyValues = std::vector<std::pair<std::string_view, SqlParam>>;

template <class T>
struct EntityTraits;

template <>
struct EntityTraits<core::Organisation> {
  static constexpr std::string_view kTable = "organisations";
  static constexpr std::string_view kType = "organisation";
  static std::vector<std::string_view> ScopeColumns() { return {"id"}; }
  static std::vector<std::string_view> FilterColumns() {
    return {"parent_id", "type", "network_member"};
  }
  static const std::string& Name(const core::Organisation& v) { return v.name; }
  static KeyValues Keys(const core::Organisation& v) {
    return {{"parent_id", v.parent_id.empty() ? SqlParam(nullptr) : SqlParam(v.parent_id)},
            {"type", std::string(core::OrgTypeName(v.type))},
            {"network_member", int64_t{v.network_member}}};
  }
};

template <>
struct EntityTraits<core::InformationSystem> {
  static constexpr std::string_view kTable = "systems";
  static constexpr std::string_view kType = "system";
  static std::vector<std::string_view> ScopeColumns() {
    return {"owner_org_id", "operator_org_id"};
  }
  static std::vector<std::string_view> FilterColumns() {
    return {"owner_org_id", "operator_org_id", "level", "national_important"};
  }
  static const std::string& Name(const core::InformationSystem& v) { return v.name; }
  static KeyValues Keys(const core::InformationSystem& v) {
    return {{"owner_org_id", v.owner_org_id},
            {"operator_org_id", v.operator_org_id.empty() ? v.owner_org_id : v.operator_org_id},
            {"level", int64_t{v.level}},
            {"national_important", int64_t{v.national_important}}};
  }
};

template <>
struct EntityTraits<core::Asset> {
  static constexpr std::string_view kTable = "assets";
  static constexpr std::string_view kType = "asset";
  static std::vector<std::string_view> ScopeColumns() { return {"org_id"}; }
  static std::vector<std::string_view> FilterColumns() { return {"system_id", "org_id"}; }
  static const std::string& Name(const core::Asset& v) { return v.name; }
  static KeyValues Keys(const core::Asset& v) {
    return {{"system_id", v.system_id}, {"org_id", v.org_id}};
  }
};

template <>
struct EntityTraits<core::Contact> {
  static constexpr std::string_view kTable = "contacts";
  static constexpr std::string_view kType = "contact";
  static std::vector<std::string_view> ScopeColumns() { return {"org_id"}; }
  static std::vector<std::string_view> FilterColumns() { return {"org_id"}; }
  static const std::string& Name(const core::Contact& v) { return v.name; }
  static KeyValues Keys(const core::Contact& v) { return {{"org_id", v.org_id}}; }
};

template <>
struct EntityTraits<core::IrTeamMember> {
  static constexpr std::string_view kTable = "ir_team_members";
  static constexpr std::string_view kType = "ir_team_member";
  static std::vector<std::string_view> ScopeColumns() { return {"org_id"}; }
  static std::vector<std::string_view> FilterColumns() { return {"org_id", "outsourced"}; }
  static const std::string& Name(const core::IrTeamMember& v) { return v.name; }
  static KeyValues Keys(const core::IrTeamMember& v) {
    return {{"org_id", v.org_id}, {"outsourced", int64_t{v.outsourced}}};
  }
};

template <>
struct EntityTraits<core::Task> {
  static constexpr std::string_view kTable = "tasks";
  static constexpr std::string_view kType = "task";
  static std::vector<std::string_view> ScopeColumns() { return {"org_id"}; }
  static std::vector<std::string_view> FilterColumns() {
    return {"org_id", "system_id", "kind", "state", "assignee"};
  }
  static const std::string& Name(const core::Task& v) { return v.title; }
  static KeyValues Keys(const core::Task& v) {
    return {{"org_id", v.org_id},
            {"system_id", v.system_id.empty() ? SqlParam(nullptr) : SqlParam(v.system_id)},
            {"kind", v.kind},
            {"state", std::string(core::TaskStateName(v.state))},
            {"assignee", v.assignee},
            {"due_date", v.due_date}};
  }
};

template <>
struct EntityTraits<core::Evidence> {
  static constexpr std::string_view kTable = "evidence";
  static constexpr std::string_view kType = "evidence";
  static std::vector<std::string_view> ScopeColumns() { return {"org_id"}; }
  static std::vector<std::string_view> FilterColumns() {
    return {"org_id", "subject_id", "type", "review"};
  }
  static const std::string& Name(const core::Evidence& v) { return v.title; }
  static KeyValues Keys(const core::Evidence& v) {
    return {{"org_id", v.org_id},
            {"subject_kind", v.subject_kind},
            {"subject_id", v.subject_id},
            {"type", v.type},
            {"performed_on", v.performed_on},
            {"review", std::string(core::ReviewStateName(v.review))}};
  }
};

}  // namespace ucsc::store::internal
