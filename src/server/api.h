// The REST API (DESIGN.md "Contracts"): routing, authentication (session cookie + CSRF token,
// or Bearer API token), role and organisation checks, one store transaction per request, the
// audit record of every state change, and RFC 7807 errors. Transport-free: HttpServer feeds it.
//
// Thread-safety: Handle() is thread-safe; one Api serves every worker thread.
//
// The platform's own routes (sign-in, sessions, the caller's account and tokens, users, the audit
// log, jobs, health, metrics, the OpenAPI document) are served here; every other route comes
// from a capability module's Registry (capability/module.h), guarded by the policy rows the
// modules supply.
//
// Example:
//   capability::Registry registry = capability::RegisterAll(modules);
//   auto api = Api::Make(store, clock, ids, ApiConfig{}, registry);
//   Response r = (*api)->Handle(Request{.method = "GET", .path = "/healthz"});
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "auth/password.h"
#include "auth/throttle.h"
#include "capability/http.h"
#include "capability/module.h"
#include "capability/policy.h"
#include "core/clock.h"
#include "core/ids.h"
#include "store/store.h"

namespace ucsc::server {

using capability::Access;
using capability::Request;
using capability::Response;

struct ApiConfig {
  size_t max_body_bytes = 1 << 20;  // 1 MiB
  int max_json_depth = 32;
  std::chrono::minutes session_ttl{8 * 60};
  auth::HashStrength hash_strength = auth::HashStrength::kProduction;
  auth::LoginThrottleConfig throttle;
  // How long a resolved session or API token is reused without reading the store. A logout,
  // password change or TOTP change in this process drops it at once; in another process of a
  // cluster it is seen within this time. Zero turns the cache off.
  std::chrono::milliseconds principal_cache_ttl{5000};
  // The largest body of an upload route (POST …/file: evidence files, logs for a hunt).
  size_t max_upload_bytes = 10 << 20;  // 10 MiB
};

// Request counters and latency histogram in Prometheus text format.
class Metrics {
 public:
  void Observe(const std::string& method, const std::string& route, int status, double seconds);
  std::string Render() const;

 private:
  static constexpr double kBuckets[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5};
  struct Series {
    int64_t count = 0;
    double sum = 0;
    int64_t buckets[10] = {};
  };
  mutable std::mutex mu_;
  std::map<std::string, int64_t> requests_;  // GUARDED_BY(mu_) key: labels
  std::map<std::string, Series> latency_;    // GUARDED_BY(mu_) key: route labels
};

struct RouteInfo {
  std::string method;
  std::string pattern;  // "/api/v1/systems/{id}"
  std::string summary;
  bool needs_auth = true;
  std::string resource;  // the policy row that guards it; "" = the caller's own data
  std::string request_schema;
  std::string response_schema;
};

class Api {
 public:
  // The Api serving the platform's routes and those of `registry`. REQUIRES: store, clock, ids
  // and everything the registry's handlers refer to outlive the Api. Errors: kInvalidArgument
  // when a route names a resource without a policy row, a policy row is incomplete or given
  // twice, or two routes have the same method and pattern.
  [[nodiscard]] static core::Result<std::unique_ptr<Api>> Make(
      store::Store& store, const core::Clock& clock, const core::IdGenerator& ids, ApiConfig config,
      const capability::Registry& registry);
  ~Api();

  Response Handle(const Request& request);
  const std::vector<RouteInfo>& Routes() const { return route_info_; }
  Metrics& metrics() { return metrics_; }

  struct Route;
  using Ctx = capability::Ctx;
  const capability::Policy& policy() const { return policy_; }

 private:
  Api(store::Store& store, const core::Clock& clock, const core::IdGenerator& ids,
      ApiConfig config);
  // The platform's own routes (api_routes*.cc).
  void Register();
  void RegisterAccountRoutes();
  void RegisterAdminRoutes();
  void Add(const std::string& method, const std::string& pattern, std::string summary, bool write,
           std::string resource, Access access, capability::Handler handler,
           bool needs_auth = true);
  core::Status AddRoutes(const capability::Registry& registry);
  Response Dispatch(const Request& request, std::string& route_pattern);

  struct CachedPrincipal {
    core::User user;
    std::string csrf_token;
    std::vector<std::string> scopes;
    std::string token_name;
    core::Instant expires_at;
    core::Instant fetched_at;
  };
  std::optional<CachedPrincipal> CacheGet(const std::string& key);
  void CachePut(const std::string& key, CachedPrincipal value);

 public:
  // Drops every cached session/token of `user_id` (after a password or TOTP change).
  void ForgetUser(const std::string& user_id);
  void ForgetKey(const std::string& key);

 private:
  std::mutex cache_mu_;
  std::unordered_map<std::string, CachedPrincipal> cache_;  // GUARDED_BY(cache_mu_)

  store::Store& store_;
  const core::Clock& clock_;
  const core::IdGenerator& ids_;
  ApiConfig config_;
  auth::LoginThrottle throttle_;
  std::string dummy_hash_;  // verified against when the username is unknown
  Metrics metrics_;
  std::vector<std::unique_ptr<Route>> routes_;
  std::vector<RouteInfo> route_info_;
  std::vector<std::pair<std::string, capability::Json>> schemas_;
  capability::Policy policy_;
};

// Maps an error to its HTTP status.
int HttpStatus(core::ErrorCode code);
// Renders an RFC 7807 problem document for `error` in the language of `accept_language`.
Response Problem(const core::Error& error, std::string_view accept_language = "vi");

}  // namespace ucsc::server
