// The inventory capability's routes (DESIGN.md capability 1): organisations, information
// systems, assets, contacts, the IR-team roster and tasks, each with the REST shape of
// capability/crud.h, and the change events of a system (R3 reacts to them).
#include "capability/module.h"

#include <algorithm>
#include <map>

#include "capability/crud.h"
#include "codec/entities.h"
#include "inventory/module.h"
#include "inventory/validate.h"

namespace ucsc::inventory {
namespace {

using capability::AppendAudit;
using capability::CheckOrgRef;
using capability::Ctx;
using capability::Denied;
using capability::Grant;
using capability::InScope;
using capability::Json;
using core::Status;

// ---- Per-resource rules ----------------------------------------------------------------------

struct OrgRules {
  using T = core::Organisation;
  static constexpr std::string_view kType = "organisation";
  static store::EntityRepo<T>& Repo(store::Tx& tx) { return tx.Orgs(); }
  static Status Validate(const T& v) { return inventory::ValidateOrganisation(v); }
  static Status Check(store::Tx& tx, const Ctx& ctx, T& v, const T* before) {
    if (!v.parent_id.empty() && before != nullptr && before->parent_id == v.parent_id) {
      // Unchanged: an org-scoped role's own organisation has its parent outside the scope.
    } else if (!v.parent_id.empty()) {
      if (v.parent_id == v.id) return core::InvalidArgument("cannot be itself", "/parent_id");
      auto parent = tx.Orgs().Get(v.parent_id, ctx.scope);
      if (!parent)
        return core::InvalidArgument("matches no organisation you can see", "/parent_id");
      if (before != nullptr) {
        // Moving under one of its own descendants would make a cycle.
        UCSC_ASSIGN_OR_RETURN(auto links, tx.OrgParentLinks());
        std::map<std::string, std::string> up(links.begin(), links.end());
        up[v.id] = v.parent_id;
        for (const auto& cycle : inventory::ParentCycles(up)) {
          if (std::find(cycle.begin(), cycle.end(), v.id) != cycle.end()) {
            return core::InvalidArgument("would make a cycle", "/parent_id");
          }
        }
      }
    } else if (!ctx.scope.all && (before == nullptr || !before->parent_id.empty())) {
      return core::InvalidArgument("is required for your role", "/parent_id");
    }
    return core::Ok();
  }
};

// Writes need the owner in scope; operator-only visibility is read access.
Status MayModify(const Ctx& ctx, const core::InformationSystem& system) {
  if (InScope(ctx.scope, system.owner_org_id)) return core::Ok();
  return Denied("only the owner organisation's side may change this system");
}

Status RecordSystemChanges(store::Tx& tx, const Ctx& ctx, const core::IdGenerator& ids,
                           const core::InformationSystem& before,
                           const core::InformationSystem& after);
Status RescopeAssets(store::Tx& tx, const Ctx& ctx, const core::InformationSystem& before,
                     const core::InformationSystem& after);

struct SystemRules {
  using T = core::InformationSystem;
  static constexpr std::string_view kType = "system";
  static store::EntityRepo<T>& Repo(store::Tx& tx) { return tx.Systems(); }
  static Status Validate(const T& v) { return inventory::ValidateSystem(v); }
  static Status Check(store::Tx& tx, const Ctx& ctx, T& v, const T* before) {
    // Only the owner's side may change a system: an operator organisation sees the systems it
    // runs but cannot re-own, re-assign or delete them.
    if (before != nullptr) UCSC_RETURN_IF_ERROR(MayModify(ctx, *before));
    UCSC_RETURN_IF_ERROR(CheckOrgRef(tx, ctx, v.owner_org_id, "/owner_org_id"));
    if (v.operator_org_id.empty()) v.operator_org_id = v.owner_org_id;
    if (v.operator_org_id != v.owner_org_id &&
        (before == nullptr || v.operator_org_id != before->operator_org_id)) {
      // Naming an operator grants it sight of the system: within one's own scope only
      // (province-wide roles may name any organisation).
      UCSC_RETURN_IF_ERROR(CheckOrgRef(tx, ctx, v.operator_org_id, "/operator_org_id"));
    }
    // The level history records every level or approval change (ND85, R19/R20).
    if (before == nullptr || before->level != v.level || !(before->approval == v.approval)) {
      v.level_history.push_back(
          core::LevelHistoryEntry{v.level, v.approval, v.updated_at, ctx.principal.actor});
    }
    return core::Ok();
  }
  static Status AfterUpdate(store::Tx& tx, const Ctx& ctx, const core::Clock&,
                            const core::IdGenerator& ids, const T& before, const T& after) {
    UCSC_RETURN_IF_ERROR(RecordSystemChanges(tx, ctx, ids, before, after));
    return RescopeAssets(tx, ctx, before, after);
  }
  static Status BeforeDelete(store::Tx&, const Ctx& ctx, const T& before) {
    return MayModify(ctx, before);
  }
};

struct AssetRules {
  using T = core::Asset;
  static constexpr std::string_view kType = "asset";
  static store::EntityRepo<T>& Repo(store::Tx& tx) { return tx.Assets(); }
  static Status Validate(const T& v) { return inventory::ValidateAsset(v); }
  static Status Check(store::Tx& tx, const Ctx& ctx, T& v, const T*) {
    auto system = tx.Systems().Get(v.system_id, ctx.scope);
    if (!system) return core::InvalidArgument("matches no system you can see", "/system_id");
    UCSC_RETURN_IF_ERROR(MayModify(ctx, *system));
    v.org_id = system->owner_org_id;
    return core::Ok();
  }
};

struct ContactRules {
  using T = core::Contact;
  static constexpr std::string_view kType = "contact";
  static store::EntityRepo<T>& Repo(store::Tx& tx) { return tx.Contacts(); }
  static Status Validate(const T& v) { return inventory::ValidateContact(v); }
  static Status Check(store::Tx& tx, const Ctx& ctx, T& v, const T*) {
    return CheckOrgRef(tx, ctx, v.org_id, "/org_id");
  }
};

struct MemberRules {
  using T = core::IrTeamMember;
  static constexpr std::string_view kType = "ir_team_member";
  static store::EntityRepo<T>& Repo(store::Tx& tx) { return tx.Team(); }
  static Status Validate(const T& v) { return inventory::ValidateMember(v); }
  static Status Check(store::Tx& tx, const Ctx& ctx, T& v, const T*) {
    return CheckOrgRef(tx, ctx, v.org_id, "/org_id");
  }
};

struct TaskRules {
  using T = core::Task;
  static constexpr std::string_view kType = "task";
  static store::EntityRepo<T>& Repo(store::Tx& tx) { return tx.Tasks(); }
  static Status Validate(const T& v) { return inventory::ValidateTask(v); }
  static Status Check(store::Tx& tx, const Ctx& ctx, T& v, const T*) {
    UCSC_RETURN_IF_ERROR(CheckOrgRef(tx, ctx, v.org_id, "/org_id"));
    if (!v.system_id.empty()) {
      auto system = tx.Systems().Get(v.system_id, ctx.scope);
      if (!system) return core::InvalidArgument("matches no system you can see", "/system_id");
    }
    return core::Ok();
  }
};

// Records one change event per changed top-level field of a system (R3 reacts to these).
Status RecordSystemChanges(store::Tx& tx, const Ctx& ctx, const core::IdGenerator& ids,
                           const core::InformationSystem& before,
                           const core::InformationSystem& after) {
  Json b = codec::ToJson(before);
  Json a = codec::ToJson(after);
  for (const auto& [key, value] : a.items()) {
    if (key == "version" || key == "updated_at" || key == "level_history") continue;
    if (b[key] == value) continue;
    core::ChangeEvent e{ids.Next(),      after.id,     "/" + key,
                        b[key].dump(),   value.dump(), ctx.principal.actor,
                        after.updated_at};
    UCSC_RETURN_IF_ERROR(tx.Changes().Append(e));
  }
  return core::Ok();
}

// An asset is scoped by its system's owner (Asset::org_id): when a system changes owner, its
// assets follow, or the old owner would keep seeing them and the new one would not.
Status RescopeAssets(store::Tx& tx, const Ctx& ctx, const core::InformationSystem& before,
                     const core::InformationSystem& after) {
  if (before.owner_org_id == after.owner_org_id) return core::Ok();
  store::ListQuery q;
  q.filters.emplace_back("system_id", after.id);
  q.limit = 500;
  while (true) {
    UCSC_ASSIGN_OR_RETURN(auto page, tx.Assets().List(q));
    for (auto asset : page.items) {
      Json old = codec::ToJson(asset);
      asset.org_id = after.owner_org_id;
      asset.version += 1;
      asset.updated_at = after.updated_at;
      UCSC_RETURN_IF_ERROR(tx.Assets().Update(asset));
      UCSC_RETURN_IF_ERROR(AppendAudit(tx, ctx, after.updated_at, "update", "asset", asset.id,
                                       old.dump(), codec::ToJson(asset).dump()));
    }
    if (!page.more) return core::Ok();
    q.after_key = page.last_key;
    q.after_id = page.last_id;
  }
}

// clang-format off
constexpr capability::PolicyRow kPolicy[] = {
    // The directory: everyone sees it; liaisons find whom to call.
    {.resource = "organisations", .admin = Grant::kWrite, .coordinator = Grant::kWrite,
     .responder = Grant::kRead, .org_manager = Grant::kWrite, .org_staff = Grant::kRead,
     .liaison = Grant::kRead, .auditor = Grant::kRead},
    {.resource = "systems", .admin = Grant::kWrite, .coordinator = Grant::kWrite,
     .responder = Grant::kRead, .org_manager = Grant::kWrite, .org_staff = Grant::kRead,
     .liaison = Grant::kNone, .auditor = Grant::kRead},
    // Assets change with scan results and fixes: responders and agency staff keep them.
    {.resource = "assets", .admin = Grant::kWrite, .coordinator = Grant::kWrite,
     .responder = Grant::kWrite, .org_manager = Grant::kWrite, .org_staff = Grant::kWrite,
     .liaison = Grant::kNone, .auditor = Grant::kRead},
    {.resource = "contacts", .admin = Grant::kWrite, .coordinator = Grant::kWrite,
     .responder = Grant::kRead, .org_manager = Grant::kWrite, .org_staff = Grant::kRead,
     .liaison = Grant::kRead, .auditor = Grant::kRead},
    // The provincial IR team is the coordinator's to assign (R7).
    {.resource = "ir-team", .admin = Grant::kWrite, .coordinator = Grant::kWrite,
     .responder = Grant::kRead, .org_manager = Grant::kRead, .org_staff = Grant::kRead,
     .liaison = Grant::kNone, .auditor = Grant::kRead},
    {.resource = "tasks", .admin = Grant::kWrite, .coordinator = Grant::kWrite,
     .responder = Grant::kWrite, .org_manager = Grant::kWrite, .org_staff = Grant::kWrite,
     .liaison = Grant::kNone, .auditor = Grant::kRead},
};
// clang-format on

class InventoryModule final : public capability::Module {
 public:
  explicit InventoryModule(const capability::Env& env)
      : crud_{env.clock, env.ids, env.max_json_depth} {}
  std::string_view Name() const override { return "inventory"; }

  void Register(capability::Registry& r) override {
    for (const auto& row : kPolicy) r.AddPolicy(row);
    auto add = [&r](std::vector<capability::RouteSpec> routes) {
      for (auto& route : routes) r.AddRoute(std::move(route));
    };
    add(capability::CrudRoutes<OrgRules>(crud_, "organisations", "organisations", "organisations",
                                         "Organisation"));
    add(capability::CrudRoutes<SystemRules>(crud_, "systems", "systems", "information systems",
                                            "InformationSystem"));
    add(capability::CrudRoutes<AssetRules>(crud_, "assets", "assets", "assets", "Asset"));
    add(capability::CrudRoutes<ContactRules>(crud_, "contacts", "contacts", "contacts", "Contact"));
    add(capability::CrudRoutes<MemberRules>(crud_, "ir-team", "ir-team", "IR team members",
                                            "IrTeamMember"));
    add(capability::CrudRoutes<TaskRules>(crud_, "tasks", "tasks", "tasks", "Task"));
    r.AddRoute({"GET", "/api/v1/systems/{id}/changes", "Change events of a system", false,
                "systems", capability::Access::kRead, [](Ctx& c, store::Tx& tx) -> Status {
                  UCSC_ASSIGN_OR_RETURN(auto sys, tx.Systems().Get(c.params["id"], c.scope));
                  UCSC_ASSIGN_OR_RETURN(auto events, tx.Changes().ListForSystem(sys.id, 500));
                  Json items = Json::array();
                  for (const auto& e : events) items.push_back(codec::ToJson(e));
                  capability::SetJson(c, 200, Json{{"items", items}, {"next_cursor", nullptr}});
                  return core::Ok();
                }});
    core::Asset asset;
    asset.software.push_back({});
    core::InformationSystem system;
    system.level_history.push_back({});
    r.AddSchema("Organisation", capability::SchemaOf(codec::ToJson(core::Organisation{})));
    r.AddSchema("InformationSystem", capability::SchemaOf(codec::ToJson(system)));
    r.AddSchema("Asset", capability::SchemaOf(codec::ToJson(asset)));
    r.AddSchema("Contact", capability::SchemaOf(codec::ToJson(core::Contact{})));
    r.AddSchema("IrTeamMember", capability::SchemaOf(codec::ToJson(core::IrTeamMember{})));
    r.AddSchema("Task", capability::SchemaOf(codec::ToJson(core::Task{})));
  }

 private:
  capability::CrudEnv crud_;
};

}  // namespace

std::unique_ptr<capability::Module> MakeModule(const capability::Env& env) {
  return std::make_unique<InventoryModule>(env);
}

}  // namespace ucsc::inventory
