// Pieces shared by the API's translation units: the request context, routes and helpers.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "codec/entities.h"
#include "compliance/reminders.h"
#include "server/api.h"

namespace ucsc::server {

using codec::Json;
using core::ErrorCode;
using core::Result;
using core::Status;

struct Principal {
  core::User user;
  bool via_cookie = false;
  std::string csrf_token;
  std::string session_hash;
  std::vector<std::string> scopes;  // API token scopes; empty for sessions (all)
  std::string actor;
};

struct Api::Ctx {
  explicit Ctx(const Request& r) : req(r) {}
  const Request& req;
  std::map<std::string, std::string> params;
  Principal principal;
  bool authenticated = false;
  store::Scope scope;  // organisations the principal sees
  Response res;
};

using Handler = std::function<Status(Api::Ctx&, store::Tx&)>;

struct Api::Route {
  std::string method;
  std::vector<std::string> segments;  // "{id}" marks a parameter
  std::string pattern;
  bool needs_auth = true;
  bool write = false;
  std::optional<Resource> resource;
  Access access = Access::kRead;
  Handler handler;
};

inline std::vector<std::string> Split(std::string_view path) {
  std::vector<std::string> out;
  size_t pos = 1;
  while (pos <= path.size()) {
    size_t end = path.find('/', pos);
    if (end == std::string_view::npos) end = path.size();
    out.emplace_back(path.substr(pos, end - pos));
    pos = end + 1;
  }
  return out;
}

inline bool IsUnsafe(std::string_view method) { return method != "GET" && method != "HEAD"; }

inline Status Denied(std::string message) {
  return core::MakeError(ErrorCode::kPermissionDenied, std::move(message));
}
inline Status Unauthenticated(std::string message) {
  return core::MakeError(ErrorCode::kUnauthenticated, std::move(message));
}

inline void SetJson(Api::Ctx& ctx, int status, const Json& body) {
  ctx.res.status = status;
  ctx.res.body = body.dump(-1, ' ', false, Json::error_handler_t::replace);
}

inline std::string ETag(int64_t version) { return "\"" + std::to_string(version) + "\""; }

inline Result<Json> ParseBody(const Api::Ctx& ctx, int max_depth) {
  std::string type = ctx.req.Header("content-type");
  if (type.rfind("application/json", 0) != 0) {
    return core::InvalidArgument("the body must be application/json", "");
  }
  return codec::ParseJson(ctx.req.body, max_depth);
}

inline Result<int64_t> RequireIfMatch(const Api::Ctx& ctx) {
  std::string tag = ctx.req.Header("if-match");
  if (tag.empty()) {
    return core::MakeError(ErrorCode::kFailedPrecondition,
                           "If-Match with the ETag you read is required");
  }
  if (tag.size() < 3 || tag.front() != '"' || tag.back() != '"') {
    return core::InvalidArgument("If-Match must be a quoted ETag", "");
  }
  int64_t v = 0;
  for (size_t i = 1; i + 1 < tag.size(); ++i) {
    if (tag[i] < '0' || tag[i] > '9' || v > (INT64_MAX / 10)) {
      return core::InvalidArgument("If-Match must be a quoted ETag", "");
    }
    v = v * 10 + (tag[i] - '0');
  }
  return v;
}

// All organisations at or below `root`.
inline store::Scope SubtreeScope(const std::vector<std::pair<std::string, std::string>>& links,
                                 const std::string& root) {
  std::multimap<std::string, std::string> children;
  for (const auto& [id, parent] : links) children.emplace(parent, id);
  std::vector<std::string> out{root};
  for (size_t i = 0; i < out.size() && out.size() < 100000; ++i) {
    auto [b, e] = children.equal_range(out[i]);
    for (auto it = b; it != e; ++it) out.push_back(it->second);
  }
  return store::Scope::Orgs(std::move(out));
}

// Appends one audit record for the request's principal.
Status AppendAudit(store::Tx& tx, const Api::Ctx& ctx, core::Instant at, std::string action,
                   std::string type, std::string id, std::string before, std::string after);

// A route contributed by a capability's translation unit (compliance_routes.cc …).
struct RouteSpec {
  std::string method;
  std::string pattern;
  std::string summary;
  bool write = false;
  std::optional<Resource> resource;  // none: every signed-in account (its own data)
  Access access = Access::kRead;
  Handler handler;
};

// Only `allowed` query parameters, each at most once. Errors: kInvalidArgument naming it.
Status OnlyParams(const Api::Ctx& ctx, std::initializer_list<std::string_view> allowed);
// The query parameter `key`, or "".
std::string Param(const Api::Ctx& ctx, const std::string& key);
// ?limit=: `fallback` when absent, else an integer 1..max. Errors: kInvalidArgument (/limit).
Result<int> LimitParam(const Api::Ctx& ctx, int fallback, int max);
// Queues the job "org_mail" (compliance/reminders.h) in `tx`: the e-mail goes out when the
// transaction commits, through the worker that holds the notifier.
Status EnqueueOrgMail(store::Tx& tx, const core::IdGenerator& ids, const compliance::OrgMail& mail,
                      core::Instant now);

// Routes of the compliance engine (compliance_routes.cc).
struct ComplianceEnv {
  const core::Clock& clock;
  const core::IdGenerator& ids;
  const ApiConfig& config;
  std::shared_ptr<compliance::RulePackHolder> rules;
  int depth = 32;
};
std::vector<RouteSpec> ComplianceRoutes(const ComplianceEnv& env);

// Routes of server-run scans and hunts (scan_routes.cc).
class ScanService;
class HuntService;
struct ScanEnv {
  const core::Clock& clock;
  const core::IdGenerator& ids;
  std::shared_ptr<ScanService> service;
  std::shared_ptr<HuntService> hunts;
  scan::SlaPolicy sla;
  int depth = 32;
};
std::vector<RouteSpec> ScanRoutes(const ScanEnv& env);

inline bool InScope(const store::Scope& scope, const std::string& org_id) {
  return scope.all ||
         std::find(scope.org_ids.begin(), scope.org_ids.end(), org_id) != scope.org_ids.end();
}

}  // namespace ucsc::server

namespace ucsc::server {
// Builds the OpenAPI 3.1 document from the registered routes and the entity shapes.
Json OpenApiDocument(const std::vector<RouteInfo>& routes);
}  // namespace ucsc::server
