// What a capability's HTTP handler sees and the helpers every handler uses. The server owns the
// transport, authentication, CSRF, RBAC and the transaction; by the time a handler runs, the
// principal is known, its role may act on the route's resource, `scope` holds the organisations
// it sees, and `tx` is the request's one transaction (a failed handler rolls it back).
//
// A handler parses the request, makes one call into its capability, and maps the result into
// `ctx.res` (STYLE.md "Avoid: God classes").
//
// Thread-safety: a Ctx belongs to the request's thread. Handlers are called concurrently and
// must not share mutable state without their own locking.
#pragma once

#include <algorithm>
#include <functional>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "capability/http.h"
#include "capability/policy.h"
#include "codec/json_reader.h"
#include "core/model.h"
#include "core/result.h"
#include "store/store.h"

namespace ucsc::capability {

using codec::Json;

struct Principal {
  core::User user;
  bool via_cookie = false;
  std::string csrf_token;
  std::string session_hash;
  std::vector<std::string> scopes;  // API token scopes; empty for sessions (all)
  std::string actor;                // "user:<name>" for the audit log
};

// One request in flight.
struct Ctx {
  explicit Ctx(const Request& r) : req(r) {}
  const Request& req;
  std::map<std::string, std::string> params;  // "{id}" segments of the route pattern
  Principal principal;
  bool authenticated = false;
  store::Scope scope;  // organisations the principal sees
  Response res;
};

using Handler = std::function<core::Status(Ctx&, store::Tx&)>;

// One endpoint of a capability.
struct RouteSpec {
  RouteSpec() = default;
  RouteSpec(std::string method_, std::string pattern_, std::string summary_, bool write_,
            std::string resource_, Access access_, Handler handler_, bool needs_auth_ = true)
      : method(std::move(method_)),
        pattern(std::move(pattern_)),
        summary(std::move(summary_)),
        write(write_),
        resource(std::move(resource_)),
        access(access_),
        handler(std::move(handler_)),
        needs_auth(needs_auth_) {}

  std::string method;   // "GET", "POST", "PATCH", "DELETE"
  std::string pattern;  // "/api/v1/findings/{id}"
  std::string summary;  // one line, for the OpenAPI document
  bool write = false;   // runs in a read-write transaction
  // The policy row that guards it; empty: every signed-in account (its own data).
  std::string resource;
  Access access = Access::kRead;
  Handler handler;
  bool needs_auth = true;
  // Names of OpenAPI component schemas (Registry::AddSchema) of the JSON body and the answer;
  // empty when there is none or it is not described.
  std::string request_schema;
  std::string response_schema;
};

// ---- Helpers ------------------------------------------------------------------------------------

inline core::Status Denied(std::string message) {
  return core::MakeError(core::ErrorCode::kPermissionDenied, std::move(message));
}

// Sets a JSON answer.
void SetJson(Ctx& ctx, int status, const Json& body);
// "\"<version>\"".
std::string ETag(int64_t version);
// The JSON body. Errors: kInvalidArgument when it is not application/json or not valid JSON
// (deeper than `max_depth`).
[[nodiscard]] core::Result<Json> ParseBody(const Ctx& ctx, int max_depth);
// The version named by If-Match. Errors: kFailedPrecondition when absent (the server answers
// 428), kInvalidArgument when malformed.
[[nodiscard]] core::Result<int64_t> RequireIfMatch(const Ctx& ctx);
// Only `allowed` query parameters, each at most once. Errors: kInvalidArgument naming it.
[[nodiscard]] core::Status OnlyParams(const Ctx& ctx,
                                      std::initializer_list<std::string_view> allowed);
// The query parameter `key`, or "".
std::string Param(const Ctx& ctx, const std::string& key);
// ?limit=: `fallback` when absent, else an integer 1..max. Errors: kInvalidArgument (/limit).
[[nodiscard]] core::Result<int> LimitParam(const Ctx& ctx, int fallback, int max);
// Appends one audit record for the request's principal (DESIGN.md: every state change).
// The one audit writer of the capabilities (API handlers, the importer, jobs): appends a record
// by `actor` ("anonymous" when empty) in `tx`.
[[nodiscard]] core::Status AppendAudit(store::Tx& tx, std::string actor, core::Instant at,
                                       std::string action, std::string type, std::string id,
                                       std::string before, std::string after);
// The same, by the request's principal.
[[nodiscard]] core::Status AppendAudit(store::Tx& tx, const Ctx& ctx, core::Instant at,
                                       std::string action, std::string type, std::string id,
                                       std::string before, std::string after);

// All organisations at or below `root`, given every organisation's (id, parent_id).
store::Scope SubtreeScope(const std::vector<std::pair<std::string, std::string>>& links,
                          const std::string& root);

inline bool InScope(const store::Scope& scope, const std::string& org_id) {
  return scope.all ||
         std::find(scope.org_ids.begin(), scope.org_ids.end(), org_id) != scope.org_ids.end();
}

}  // namespace ucsc::capability
