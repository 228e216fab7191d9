// The REST API (DESIGN.md "Contracts"): routing, authentication (session cookie + CSRF token,
// or Bearer API token), role and organisation checks, one store transaction per request, the
// audit record of every state change, and RFC 7807 errors. Transport-free: HttpServer feeds it.
//
// Thread-safety: Handle() is thread-safe; one Api serves every worker thread.
//
// Example:
//   Api api(store, clock, ids, ApiConfig{});
//   Response r = api.Handle(Request{.method = "GET", .path = "/healthz"});
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
#include "compliance/rulepack.h"
#include "core/clock.h"
#include "core/ids.h"
#include "scan/sla.h"
#include "server/http_types.h"
#include "server/rbac.h"
#include "store/store.h"

namespace ucsc::server {

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
  // Compliance (issue 4): where the rule packs are, where evidence files are kept (never a served
  // directory), and the largest evidence file accepted.
  std::string rulepacks_dir = "data/rulepacks";
  std::string evidence_dir = "var/evidence";
  size_t max_upload_bytes = 10 << 20;  // 10 MiB (evidence files and logs uploaded for a hunt)
  // Hunts (issue 5): the Sigma rule set the server hunts with, and where uploaded logs are kept.
  std::string sigma_rules_dir = "data/sigma/rules";
  std::string hunt_dir = "var/hunt";
  // Vulnerability data for scan findings (issue 6): NVD JSON 2.0 and the CISA KEV catalogue, each
  // a file or an http(s) URL (an internal mirror) downloaded into vuln_cache_dir.
  std::string nvd_path;
  std::string kev_path;
  std::string vuln_cache_dir = "var/vuln";
  // Remediation deadlines of findings and advisories by severity (KEV due dates win).
  scan::SlaPolicy finding_sla;
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
};

class ScanService;
class HuntService;

class Api {
 public:
  // REQUIRES: store, clock and ids outlive the Api.
  Api(store::Store& store, const core::Clock& clock, const core::IdGenerator& ids,
      ApiConfig config);
  ~Api();

  Response Handle(const Request& request);
  const std::vector<RouteInfo>& Routes() const { return route_info_; }
  Metrics& metrics() { return metrics_; }

  struct Route;
  struct Ctx;

 private:
  void Register();
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
  std::shared_ptr<compliance::RulePackHolder> rules_;
  std::shared_ptr<ScanService> scans_;
  std::shared_ptr<HuntService> hunts_;

 public:
  // The compliance rule packs in force; Reload keeps the previous set when the new one is bad.
  compliance::RulePackHolder& rules() { return *rules_; }
  // Server-run scans: the "scan_run" job handler and the kill switch.
  ScanService& scans() { return *scans_; }
  // Server-run hunts: the "hunt_run" job handler.
  HuntService& hunts() { return *hunts_; }
};

// Maps an error to its HTTP status.
int HttpStatus(core::ErrorCode code);
// Renders an RFC 7807 problem document for `error` in the language of `accept_language`.
Response Problem(const core::Error& error, std::string_view accept_language = "vi");

}  // namespace ucsc::server
