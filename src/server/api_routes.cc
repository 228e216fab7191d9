// The platform's own routes (no capability's): Register adds the account routes
// (api_routes_account.cc), the administration routes (api_routes_admin.cc) and the operations
// routes below: health, metrics and the OpenAPI document. Capability routes come from the
// modules (Api::AddRoutes).
#include "server/api.h"
#include "server/internal/api_internal.h"

namespace ucsc::server {

void Api::Add(const std::string& method, const std::string& pattern, std::string summary,
              bool write, std::string resource, Access access, Handler handler, bool needs_auth) {
  auto r = std::make_unique<Route>();
  r->method = method;
  r->segments = Split(pattern);
  r->pattern = pattern;
  r->needs_auth = needs_auth;
  r->write = write;
  r->resource = resource;
  r->access = access;
  r->handler = std::move(handler);
  route_info_.push_back(
      RouteInfo{method, pattern, std::move(summary), needs_auth, std::move(resource), "", ""});
  routes_.push_back(std::move(r));
}

void Api::Register() {
  RegisterAccountRoutes();
  RegisterAdminRoutes();
  // ---- Operations ----
  Add(
      "GET", "/healthz", "Liveness and database check", false, "", Access::kRead,
      [this](Ctx& c, store::Tx& tx) -> Status {
        UCSC_ASSIGN_OR_RETURN(auto n, tx.Orgs().Count(store::Scope::All()));
        (void)n;
        SetJson(c, 200, Json{{"status", "ok"}, {"store", std::string(store_.Backend())}});
        return core::Ok();
      },
      false);
  Add(
      "GET", "/metrics", "Prometheus metrics (loopback only)", false, "", Access::kRead,
      [this](Ctx& c, store::Tx&) -> Status {
        const auto& ip = c.req.remote_ip;
        if (ip != "127.0.0.1" && ip != "::1" && !ip.empty()) {
          return core::NotFound("no such endpoint");
        }
        c.res.status = 200;
        c.res.content_type = "text/plain; version=0.0.4";
        c.res.body = metrics_.Render();
        return core::Ok();
      },
      false);
  Add(
      "GET", "/api/v1/openapi.json", "This API's OpenAPI 3.1 document", false, "", Access::kRead,
      [this](Ctx& c, store::Tx&) -> Status {
        SetJson(c, 200, OpenApiDocument(route_info_, schemas_));
        return core::Ok();
      },
      false);
}

}  // namespace ucsc::server
