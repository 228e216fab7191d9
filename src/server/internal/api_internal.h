// Pieces shared by the API's translation units: the route table entry and the platform's own
// policy rows. The request context and handler helpers are capability/route.h.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "capability/route.h"
#include "codec/entities.h"
#include "server/api.h"

namespace ucsc::server {

using capability::AppendAudit;
using capability::Denied;
using capability::ETag;
using capability::Handler;
using capability::InScope;
using capability::LimitParam;
using capability::OnlyParams;
using capability::Param;
using capability::ParseBody;
using capability::Principal;
using capability::RequireIfMatch;
using capability::SetJson;
using capability::SubtreeScope;
using codec::Json;
using core::ErrorCode;
using core::Result;
using core::Status;

struct Api::Route {
  std::string method;
  std::vector<std::string> segments;  // "{id}" marks a parameter
  std::string pattern;
  bool needs_auth = true;
  bool write = false;
  std::string resource;  // empty: every signed-in account (its own data)
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

inline Status Unauthenticated(std::string message) {
  return core::MakeError(ErrorCode::kUnauthenticated, std::move(message));
}

// The policy rows of the platform's own resources: users, the audit log, the job queue.
std::vector<capability::PolicyRow> PlatformPolicy();

// Builds the OpenAPI 3.1 document from the registered routes and component schemas.
Json OpenApiDocument(const std::vector<RouteInfo>& routes,
                     const std::vector<std::pair<std::string, Json>>& schemas);

}  // namespace ucsc::server
