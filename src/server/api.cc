#include "server/api.h"

#include <algorithm>
#include <cstdio>
#include <set>

#include "auth/random.h"
#include "auth/totp.h"
#include "codec/entities.h"
#include "core/legal_time.h"
#include "server/internal/api_internal.h"

namespace ucsc::server {

using codec::Json;
using core::ErrorCode;
using core::Result;
using core::Status;

// ---- Errors ----------------------------------------------------------------------------------

int HttpStatus(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return 400;
    case ErrorCode::kUnauthenticated:
      return 401;
    case ErrorCode::kPermissionDenied:
      return 403;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kAlreadyExists:
      return 409;
    case ErrorCode::kFailedPrecondition:
      return 409;
    case ErrorCode::kConflict:
      return 412;
    case ErrorCode::kResourceExhausted:
      return 429;
    case ErrorCode::kUnavailable:
      return 503;
    case ErrorCode::kDeadlineExceeded:
      return 504;
    case ErrorCode::kInternal:
      return 500;
  }
  return 500;
}

namespace {

struct Title {
  const char* vi;
  const char* en;
};

Title TitleOf(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return {"Dữ liệu không hợp lệ", "Invalid input"};
    case ErrorCode::kUnauthenticated:
      return {"Chưa đăng nhập", "Not signed in"};
    case ErrorCode::kPermissionDenied:
      return {"Không có quyền", "Not allowed"};
    case ErrorCode::kNotFound:
      return {"Không tìm thấy", "Not found"};
    case ErrorCode::kAlreadyExists:
      return {"Đã tồn tại", "Already exists"};
    case ErrorCode::kFailedPrecondition:
      return {"Không thực hiện được", "Cannot be done now"};
    case ErrorCode::kConflict:
      return {"Dữ liệu đã bị người khác thay đổi", "Changed by someone else"};
    case ErrorCode::kResourceExhausted:
      return {"Quá nhiều yêu cầu", "Too many requests"};
    case ErrorCode::kUnavailable:
      return {"Tạm thời không phục vụ được", "Temporarily unavailable"};
    case ErrorCode::kDeadlineExceeded:
      return {"Quá thời gian chờ", "Timed out"};
    case ErrorCode::kInternal:
      return {"Lỗi hệ thống", "Internal error"};
  }
  return {"Lỗi", "Error"};
}

bool PrefersEnglish(std::string_view accept_language) {
  auto en = accept_language.find("en");
  auto vi = accept_language.find("vi");
  return en != std::string_view::npos && (vi == std::string_view::npos || en < vi);
}

}  // namespace

Response Problem(const core::Error& error, std::string_view accept_language) {
  Response r;
  r.status = HttpStatus(error.code);
  r.content_type = "application/problem+json";
  Title t = TitleOf(error.code);
  Json body{{"type", "urn:ucsc:problem:" + std::string(core::ErrorCodeName(error.code))},
            {"title", PrefersEnglish(accept_language) ? t.en : t.vi},
            {"status", r.status},
            {"detail", error.code == ErrorCode::kInternal ? "internal error" : error.message}};
  if (!error.field.empty()) {
    body["errors"] = Json::array({{{"pointer", error.field}, {"detail", error.message}}});
  }
  r.body = body.dump(-1, ' ', false, Json::error_handler_t::replace);
  return r;
}

namespace {

// Answers problem `r` with another HTTP status, keeping its "status" member equal (RFC 7807 §3.1).
void SetProblemStatus(Response& r, int status) {
  r.status = status;
  Json body = Json::parse(r.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_object()) {
    body["status"] = status;
    r.body = body.dump(-1, ' ', false, Json::error_handler_t::replace);
  }
}

}  // namespace

// ---- Metrics ---------------------------------------------------------------------------------

void Metrics::Observe(const std::string& method, const std::string& route, int status,
                      double seconds) {
  std::string labels = "method=\"" + method + "\",route=\"" + route + "\"";
  std::lock_guard lock(mu_);
  ++requests_[labels + ",status=\"" + std::to_string(status) + "\""];
  auto& s = latency_[labels];
  ++s.count;
  s.sum += seconds;
  for (size_t i = 0; i < std::size(kBuckets); ++i) {
    if (seconds <= kBuckets[i]) ++s.buckets[i];
  }
}

std::string Metrics::Render() const {
  std::lock_guard lock(mu_);
  std::string out =
      "# HELP ucsc_http_requests_total HTTP requests by method, route and status.\n"
      "# TYPE ucsc_http_requests_total counter\n";
  for (const auto& [labels, n] : requests_) {
    out += "ucsc_http_requests_total{" + labels + "} " + std::to_string(n) + "\n";
  }
  out +=
      "# HELP ucsc_http_request_duration_seconds Time to answer a request.\n"
      "# TYPE ucsc_http_request_duration_seconds histogram\n";
  char buf[64];
  for (const auto& [labels, s] : latency_) {
    for (size_t i = 0; i < std::size(kBuckets); ++i) {
      std::snprintf(buf, sizeof buf, "%g", kBuckets[i]);
      out += "ucsc_http_request_duration_seconds_bucket{" + labels + ",le=\"" + buf + "\"} " +
             std::to_string(s.buckets[i]) + "\n";
    }
    out += "ucsc_http_request_duration_seconds_bucket{" + labels + ",le=\"+Inf\"} " +
           std::to_string(s.count) + "\n";
    std::snprintf(buf, sizeof buf, "%.6f", s.sum);
    out += "ucsc_http_request_duration_seconds_sum{" + labels + "} " + buf + "\n";
    out += "ucsc_http_request_duration_seconds_count{" + labels + "} " + std::to_string(s.count) +
           "\n";
  }
  return out;
}

// ---- Routing -----------------------------------------------------------------------------------

Api::Api(store::Store& store, const core::Clock& clock, const core::IdGenerator& ids,
         ApiConfig config)
    : store_(store),
      clock_(clock),
      ids_(ids),
      config_(std::move(config)),
      throttle_(clock, config_.throttle) {
  dummy_hash_ = auth::HashPassword("not-a-password-" + auth::RandomToken(8), config_.hash_strength)
                    .value_or(std::string());
  Register();
}

core::Result<std::unique_ptr<Api>> Api::Make(store::Store& store, const core::Clock& clock,
                                             const core::IdGenerator& ids, ApiConfig config,
                                             const capability::Registry& registry) {
  std::unique_ptr<Api> api(new Api(store, clock, ids, std::move(config)));
  UCSC_RETURN_IF_ERROR(api->AddRoutes(registry));
  return api;
}

Status Api::AddRoutes(const capability::Registry& registry) {
  std::vector<capability::PolicyRow> rows = PlatformPolicy();
  rows.insert(rows.end(), registry.policy().begin(), registry.policy().end());
  UCSC_ASSIGN_OR_RETURN(policy_, capability::Policy::Build(std::move(rows)));
  for (const auto& spec : registry.routes()) {
    auto r = std::make_unique<Route>();
    r->method = spec.method;
    r->segments = Split(spec.pattern);
    r->pattern = spec.pattern;
    r->needs_auth = spec.needs_auth;
    r->write = spec.write;
    r->resource = spec.resource;
    r->access = spec.access;
    r->handler = spec.handler;
    route_info_.push_back(RouteInfo{spec.method, spec.pattern, spec.summary, spec.needs_auth,
                                    spec.resource, spec.request_schema, spec.response_schema});
    routes_.push_back(std::move(r));
  }
  std::set<std::pair<std::string, std::string>> seen;
  std::set<std::string> schemas;
  for (const auto& [name, schema] : registry.schemas()) {
    if (!schemas.insert(name).second) {
      return core::InvalidArgument("the OpenAPI schema " + name + " is given twice");
    }
    schemas_.emplace_back(name, schema);
  }
  for (const auto& info : route_info_) {
    if (!seen.insert({info.method, info.pattern}).second) {
      return core::InvalidArgument("the route " + info.method + " " + info.pattern +
                                   " is registered twice");
    }
    // No default grants: a route's resource must have its row (capability/policy.h).
    if (!info.resource.empty() && !policy_.Has(info.resource)) {
      return core::InvalidArgument("the route " + info.method + " " + info.pattern +
                                   " names the resource '" + info.resource +
                                   "', which has no policy row");
    }
    for (const auto* name : {&info.request_schema, &info.response_schema}) {
      if (!name->empty() && !schemas.contains(*name) && *name != "User" && *name != "Problem") {
        return core::InvalidArgument("the route " + info.method + " " + info.pattern +
                                     " names the unknown schema " + *name);
      }
    }
  }
  return core::Ok();
}

Api::~Api() = default;

std::optional<Api::CachedPrincipal> Api::CacheGet(const std::string& key) {
  if (config_.principal_cache_ttl.count() <= 0) return std::nullopt;
  std::lock_guard lock(cache_mu_);
  auto it = cache_.find(key);
  if (it == cache_.end()) return std::nullopt;
  if (clock_.Now() - it->second.fetched_at >= config_.principal_cache_ttl) {
    cache_.erase(it);
    return std::nullopt;
  }
  return it->second;
}

void Api::CachePut(const std::string& key, CachedPrincipal value) {
  if (config_.principal_cache_ttl.count() <= 0) return;
  std::lock_guard lock(cache_mu_);
  if (cache_.size() >= 50000) cache_.clear();
  cache_[key] = std::move(value);
}

void Api::ForgetKey(const std::string& key) {
  std::lock_guard lock(cache_mu_);
  cache_.erase(key);
}

void Api::ForgetUser(const std::string& user_id) {
  std::lock_guard lock(cache_mu_);
  std::erase_if(cache_, [&](const auto& kv) { return kv.second.user.id == user_id; });
}

Response Api::Handle(const Request& request) {
  auto start = std::chrono::steady_clock::now();
  std::string pattern = "unmatched";
  Response res;
  // Evidence files (POST …/file) may be larger than JSON bodies.
  const bool upload = request.method == "POST" && request.path.size() > 5 &&
                      request.path.compare(request.path.size() - 5, 5, "/file") == 0;
  const size_t limit = upload ? config_.max_upload_bytes : config_.max_body_bytes;
  if (request.body.size() > limit) {
    res = Problem(core::Error{ErrorCode::kResourceExhausted,
                              "the body is larger than " + std::to_string(limit) + " bytes", ""},
                  request.Header("accept-language"));
    SetProblemStatus(res, 413);
  } else {
    try {
      res = Dispatch(request, pattern);
    } catch (const std::exception& e) {
      // A bug, not bad input: answer 500 without details; the store has rolled back.
      res = Problem(core::Error{ErrorCode::kInternal, e.what(), ""},
                    request.Header("accept-language"));
    }
  }
  // Security headers on every answer.
  res.SetHeader("X-Content-Type-Options", "nosniff");
  res.SetHeader("Content-Security-Policy",
                "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
  res.SetHeader("X-Frame-Options", "DENY");
  res.SetHeader("Referrer-Policy", "no-referrer");
  res.SetHeader("Cache-Control", "no-store");
  if (request.tls) res.SetHeader("Strict-Transport-Security", "max-age=31536000");
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const bool known_method = request.method == "GET" || request.method == "POST" ||
                            request.method == "PATCH" || request.method == "DELETE" ||
                            request.method == "PUT" || request.method == "HEAD";
  // Label cardinality stays bounded whatever a client sends.
  metrics_.Observe(known_method ? request.method : "OTHER", pattern, res.status, secs);
  return res;
}

Response Api::Dispatch(const Request& request, std::string& route_pattern) {
  const std::string lang = request.Header("accept-language");
  auto segments = Split(request.path);
  Route* match = nullptr;
  bool path_matched = false;
  std::map<std::string, std::string> params;
  for (auto& route : routes_) {
    if (route->segments.size() != segments.size()) continue;
    std::map<std::string, std::string> p;
    bool ok = true;
    for (size_t i = 0; i < segments.size() && ok; ++i) {
      const auto& s = route->segments[i];
      if (s.size() > 2 && s.front() == '{') {
        if (segments[i].empty()) ok = false;
        p[s.substr(1, s.size() - 2)] = segments[i];
      } else {
        ok = s == segments[i];
      }
    }
    if (!ok) continue;
    path_matched = true;
    if (route->method == request.method) {
      match = route.get();
      params = std::move(p);
      break;
    }
  }
  if (match == nullptr) {
    Response r = Problem({path_matched ? ErrorCode::kInvalidArgument : ErrorCode::kNotFound,
                          path_matched ? "method not allowed here" : "no such endpoint", ""},
                         lang);
    if (path_matched) SetProblemStatus(r, 405);
    return r;
  }
  route_pattern = match->pattern;

  Ctx ctx(request);
  ctx.params = std::move(params);
  auto run = [&](store::Tx& tx) -> Status {
    if (match->needs_auth) {
      // Authenticate: Bearer API token or session cookie.
      const auto now = clock_.Now();
      std::string authz = request.Header("authorization");
      if (authz.rfind("Bearer ", 0) == 0) {
        const std::string hash = auth::Sha256Hex(authz.substr(7));
        const std::string key = "t:" + hash;
        auto cached = CacheGet(key);
        if (!cached) {
          auto found = tx.Tokens().GetByHash(hash);
          if (!found) {
            if (found.error().code != ErrorCode::kNotFound) return tl::unexpected(found.error());
            return Unauthenticated("the API token is not valid");
          }
          UCSC_ASSIGN_OR_RETURN(auto user, tx.Users().GetById(found->user_id));
          cached = CachedPrincipal{std::move(user),   "", found->scopes, found->name,
                                   found->expires_at, now};
          CachePut(key, *cached);
        }
        if (cached->expires_at <= now) return Unauthenticated("the API token has expired");
        ctx.principal.user = std::move(cached->user);
        ctx.principal.scopes = cached->scopes;
        ctx.principal.actor =
            "user:" + ctx.principal.user.username + " (token " + cached->token_name + ")";
        bool may_write = std::find(cached->scopes.begin(), cached->scopes.end(), "write") !=
                         cached->scopes.end();
        if (IsUnsafe(request.method) && !may_write) {
          return Denied("this API token is read-only");
        }
      } else {
        std::string cookie = request.Cookie("ucsc_session");
        if (cookie.empty()) return Unauthenticated("sign in first");
        const std::string hash = auth::Sha256Hex(cookie);
        const std::string key = "s:" + hash;
        auto cached = CacheGet(key);
        if (!cached) {
          auto session = tx.Sessions().Get(hash);
          if (!session) {
            if (session.error().code != ErrorCode::kNotFound) {
              return tl::unexpected(session.error());
            }
            return Unauthenticated("the session has expired; sign in again");
          }
          UCSC_ASSIGN_OR_RETURN(auto user, tx.Users().GetById(session->user_id));
          cached = CachedPrincipal{
              std::move(user), session->csrf_token, {}, "", session->expires_at, now};
          CachePut(key, *cached);
        }
        if (cached->expires_at <= now) {
          ForgetKey(key);
          return Unauthenticated("the session has expired; sign in again");
        }
        ctx.principal.user = std::move(cached->user);
        ctx.principal.via_cookie = true;
        ctx.principal.csrf_token = cached->csrf_token;
        ctx.principal.session_hash = hash;
        ctx.principal.actor = "user:" + ctx.principal.user.username;
        if (IsUnsafe(request.method) &&
            !auth::ConstantTimeEquals(request.Header("x-csrf-token"), cached->csrf_token)) {
          return Denied("missing or wrong X-CSRF-Token");
        }
      }
      if (ctx.principal.user.disabled) return Unauthenticated("this account is disabled");
      ctx.authenticated = true;
      const auto role = ctx.principal.user.role;
      if (!match->resource.empty() && !policy_.Allowed(role, match->resource, match->access)) {
        return Denied("the role " + std::string(core::RoleName(role)) + " may not " +
                      (match->access == Access::kRead ? "read " : "change ") + match->resource);
      }
      if (ctx.principal.user.must_change_password && IsUnsafe(request.method) &&
          match->pattern != "/api/v1/me/password" && match->pattern != "/api/v1/auth/logout") {
        return Denied("change the one-time password first (POST /api/v1/me/password)");
      }
      if (!capability::SeesAllOrganisations(role)) {
        UCSC_ASSIGN_OR_RETURN(auto links, tx.OrgParentLinks());
        ctx.scope = SubtreeScope(links, ctx.principal.user.org_id);
      }
    }
    return match->handler(ctx, tx);
  };
  Status st = match->write ? store_.Write(run) : store_.Read(run);
  if (!st) {
    Response r = Problem(st.error(), lang);
    if (st.error().code == ErrorCode::kFailedPrecondition &&
        st.error().message.rfind("If-Match", 0) == 0) {
      SetProblemStatus(r, 428);
    }
    if (st.error().code == ErrorCode::kResourceExhausted) r.SetHeader("Retry-After", "60");
    return r;
  }
  return std::move(ctx.res);
}

}  // namespace ucsc::server
