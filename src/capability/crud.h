// The REST shape of a stored entity (DESIGN.md "Contracts: API"): list with keyset pages,
// create, read, update with If-Match, delete with If-Match — each audited, in the request's one
// transaction. A capability describes an entity with a Rules type and gets its five routes:
//
//   struct ContactRules {
//     using T = core::Contact;
//     static constexpr std::string_view kType = "contact";          // audit object type
//     static store::EntityRepo<T>& Repo(store::Tx& tx) { return tx.Contacts(); }
//     static core::Status Validate(const T& v);                      // the value on its own
//     // Against the store and the caller: references in scope, derived fields; `before` is
//     // null on create.
//     static core::Status Check(store::Tx&, const Ctx&, T& v, const T* before);
//   };
//   // Optional: static core::Status AfterUpdate(store::Tx&, const Ctx&, const core::Clock&,
//   //                                           const core::IdGenerator&, const T& before,
//   //                                           const T& after);
//   // Optional: static core::Status BeforeDelete(store::Tx&, const Ctx&, const T& before);
//   for (auto& r : CrudRoutes<ContactRules>(crud_env, "contacts", "contacts", "contacts"))
//     registry.AddRoute(std::move(r));
//
// Thread-safety: the routes are stateless; `env`'s clock and ids must outlive them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "capability/route.h"
#include "codec/entities.h"
#include "core/clock.h"
#include "core/ids.h"

namespace ucsc::capability {

// ?limit= ?cursor= ?q= and the repository's filter columns, into a ListQuery within the caller's
// scope. Errors: kInvalidArgument naming the parameter.
[[nodiscard]] core::Result<store::ListQuery> ParseListQuery(
    const Ctx& ctx, const std::vector<std::string_view>& filters);
// Answers {"items": [...stored documents...], "next_cursor": …} without re-encoding them.
void SetPageJson(Ctx& ctx, const store::Page<std::string>& page);
// Checks that organisation `org_id` exists and lies in the caller's scope; the error names
// `field` so that a bad reference reads as bad input (kInvalidArgument).
[[nodiscard]] core::Status CheckOrgRef(store::Tx& tx, const Ctx& ctx, const std::string& org_id,
                                       const std::string& field);

struct CrudEnv {
  const core::Clock& clock;
  const core::IdGenerator& ids;
  int depth = 32;
};

namespace internal {

template <class Rules>
concept HasAfterUpdate = requires(store::Tx& tx, const Ctx& ctx, const core::Clock& clock,
                                  const core::IdGenerator& ids, const typename Rules::T& v) {
  Rules::AfterUpdate(tx, ctx, clock, ids, v, v);
};
template <class Rules>
concept HasBeforeDelete = requires(store::Tx& tx, const Ctx& ctx, const typename Rules::T& v) {
  Rules::BeforeDelete(tx, ctx, v);
};

template <class Rules>
struct Crud {
  using T = typename Rules::T;

  static core::Status List(Ctx& ctx, store::Tx& tx) {
    auto& repo = Rules::Repo(tx);
    UCSC_ASSIGN_OR_RETURN(auto q, ParseListQuery(ctx, repo.FilterColumns()));
    UCSC_ASSIGN_OR_RETURN(auto page, repo.ListJson(q));
    SetPageJson(ctx, page);
    return core::Ok();
  }

  static core::Status Get(Ctx& ctx, store::Tx& tx) {
    UCSC_ASSIGN_OR_RETURN(auto v, Rules::Repo(tx).Get(ctx.params["id"], ctx.scope));
    SetJson(ctx, 200, codec::ToJson(v));
    ctx.res.SetHeader("ETag", ETag(v.version));
    return core::Ok();
  }

  static core::Status Create(Ctx& ctx, store::Tx& tx, const CrudEnv& env) {
    UCSC_ASSIGN_OR_RETURN(auto body, ParseBody(ctx, env.depth));
    T v;
    UCSC_RETURN_IF_ERROR(codec::Decode(body, codec::Mode::kCreate, v));
    v.id = env.ids.Next();
    v.version = 1;
    v.created_at = v.updated_at = env.clock.Now();
    UCSC_RETURN_IF_ERROR(Rules::Validate(v));
    UCSC_RETURN_IF_ERROR(Rules::Check(tx, ctx, v, nullptr));
    UCSC_RETURN_IF_ERROR(Rules::Repo(tx).Insert(v));
    Json out = codec::ToJson(v);
    UCSC_RETURN_IF_ERROR(AppendAudit(tx, ctx, v.created_at, "create", std::string(Rules::kType),
                                     v.id, "", out.dump()));
    SetJson(ctx, 201, out);
    ctx.res.SetHeader("ETag", ETag(v.version));
    ctx.res.SetHeader("Location", ctx.req.path + "/" + v.id);
    return core::Ok();
  }

  static core::Status Patch(Ctx& ctx, store::Tx& tx, const CrudEnv& env) {
    UCSC_ASSIGN_OR_RETURN(auto body, ParseBody(ctx, env.depth));
    UCSC_ASSIGN_OR_RETURN(auto before, Rules::Repo(tx).Get(ctx.params["id"], ctx.scope));
    UCSC_ASSIGN_OR_RETURN(int64_t expected, RequireIfMatch(ctx));
    if (expected != before.version) {
      return core::MakeError(core::ErrorCode::kConflict,
                             "changed by someone else since you read it (now version " +
                                 std::to_string(before.version) + ")");
    }
    T v = before;
    UCSC_RETURN_IF_ERROR(codec::Decode(body, codec::Mode::kPatch, v));
    v.version = before.version + 1;
    v.updated_at = env.clock.Now();
    UCSC_RETURN_IF_ERROR(Rules::Validate(v));
    UCSC_RETURN_IF_ERROR(Rules::Check(tx, ctx, v, &before));
    UCSC_RETURN_IF_ERROR(Rules::Repo(tx).Update(v));
    if constexpr (HasAfterUpdate<Rules>) {
      UCSC_RETURN_IF_ERROR(Rules::AfterUpdate(tx, ctx, env.clock, env.ids, before, v));
    }
    Json out = codec::ToJson(v);
    UCSC_RETURN_IF_ERROR(AppendAudit(tx, ctx, v.updated_at, "update", std::string(Rules::kType),
                                     v.id, codec::ToJson(before).dump(), out.dump()));
    SetJson(ctx, 200, out);
    ctx.res.SetHeader("ETag", ETag(v.version));
    return core::Ok();
  }

  static core::Status Delete(Ctx& ctx, store::Tx& tx, const CrudEnv& env) {
    UCSC_ASSIGN_OR_RETURN(auto before, Rules::Repo(tx).Get(ctx.params["id"], ctx.scope));
    if constexpr (HasBeforeDelete<Rules>) {
      UCSC_RETURN_IF_ERROR(Rules::BeforeDelete(tx, ctx, before));
    }
    UCSC_ASSIGN_OR_RETURN(int64_t expected, RequireIfMatch(ctx));
    if (expected != before.version) {
      return core::MakeError(core::ErrorCode::kConflict,
                             "changed by someone else since you read it");
    }
    auto st = Rules::Repo(tx).Delete(before.id, expected);
    if (!st && st.error().code == core::ErrorCode::kFailedPrecondition) {
      return core::MakeError(core::ErrorCode::kFailedPrecondition,
                             std::string(Rules::kType) + " is still referenced by other records");
    }
    UCSC_RETURN_IF_ERROR(st);
    UCSC_RETURN_IF_ERROR(AppendAudit(tx, ctx, env.clock.Now(), "delete", std::string(Rules::kType),
                                     before.id, codec::ToJson(before).dump(), ""));
    ctx.res.status = 204;
    ctx.res.body.clear();
    return core::Ok();
  }
};

}  // namespace internal

// The five routes of /api/v1/<name>, guarded by the policy row `resource`; `label` names the
// entity in the OpenAPI summaries and `schema` its component schema. REQUIRES: env.clock and
// env.ids outlive the routes.
template <class Rules>
std::vector<RouteSpec> CrudRoutes(const CrudEnv& env, const std::string& name,
                                  const std::string& resource, const std::string& label,
                                  const std::string& schema = "") {
  using C = internal::Crud<Rules>;
  const std::string base = "/api/v1/" + name;
  const CrudEnv copy = env;
  std::vector<RouteSpec> out;
  out.push_back({"GET", base, "List " + label, false, resource, Access::kRead, &C::List});
  out.push_back({"POST", base, "Create " + label, true, resource, Access::kWrite,
                 [copy](Ctx& c, store::Tx& tx) { return C::Create(c, tx, copy); }});
  out.push_back({"GET", base + "/{id}", "Read " + label, false, resource, Access::kRead, &C::Get});
  out.push_back({"PATCH", base + "/{id}", "Update " + label + " (If-Match required)", true,
                 resource, Access::kWrite,
                 [copy](Ctx& c, store::Tx& tx) { return C::Patch(c, tx, copy); }});
  out.push_back({"DELETE", base + "/{id}", "Delete " + label + " (If-Match required)", true,
                 resource, Access::kWrite,
                 [copy](Ctx& c, store::Tx& tx) { return C::Delete(c, tx, copy); }});
  if (!schema.empty()) {
    out[1].request_schema = out[1].response_schema = schema;
    out[2].response_schema = schema;
    out[3].request_schema = out[3].response_schema = schema;
  }
  return out;
}

}  // namespace ucsc::capability
