#include "capability/route.h"

#include <cctype>
#include <set>

namespace ucsc::capability {

void SetJson(Ctx& ctx, int status, const Json& body) {
  ctx.res.status = status;
  ctx.res.body = body.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string ETag(int64_t version) { return "\"" + std::to_string(version) + "\""; }

core::Result<Json> ParseBody(const Ctx& ctx, int max_depth) {
  std::string type = ctx.req.Header("content-type");
  if (type.rfind("application/json", 0) != 0) {
    return core::InvalidArgument("the body must be application/json", "");
  }
  return codec::ParseJson(ctx.req.body, max_depth);
}

core::Result<int64_t> RequireIfMatch(const Ctx& ctx) {
  std::string tag = ctx.req.Header("if-match");
  if (tag.empty()) {
    return core::MakeError(core::ErrorCode::kFailedPrecondition,
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

core::Status OnlyParams(const Ctx& ctx, std::initializer_list<std::string_view> allowed) {
  std::set<std::string> seen;
  for (const auto& [key, value] : ctx.req.query) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      return core::InvalidArgument("unknown query parameter", "/" + key);
    }
    if (!seen.insert(key).second) {
      return core::InvalidArgument("is given more than once", "/" + key);
    }
  }
  return core::Ok();
}

std::string Param(const Ctx& ctx, const std::string& key) {
  auto it = ctx.req.query.find(key);
  return it == ctx.req.query.end() ? std::string() : it->second;
}

core::Result<int> LimitParam(const Ctx& ctx, int fallback, int max) {
  const std::string l = Param(ctx, "limit");
  if (l.empty()) return fallback;
  if (l.size() > 3 || !std::all_of(l.begin(), l.end(), ::isdigit) || std::stoi(l) < 1 ||
      std::stoi(l) > max) {
    return core::InvalidArgument("limit must be an integer 1–" + std::to_string(max), "/limit");
  }
  return std::stoi(l);
}

core::Status AppendAudit(store::Tx& tx, std::string actor, core::Instant at, std::string action,
                         std::string type, std::string id, std::string before, std::string after) {
  core::AuditRecord r;
  r.at = at;
  r.actor = actor.empty() ? "anonymous" : std::move(actor);
  r.action = std::move(action);
  r.object_type = std::move(type);
  r.object_id = std::move(id);
  r.before = std::move(before);
  r.after = std::move(after);
  UCSC_ASSIGN_OR_RETURN(auto appended, tx.Audit().Append(std::move(r)));
  (void)appended;
  return core::Ok();
}

core::Status AppendAudit(store::Tx& tx, const Ctx& ctx, core::Instant at, std::string action,
                         std::string type, std::string id, std::string before, std::string after) {
  return AppendAudit(tx, ctx.principal.actor, at, std::move(action), std::move(type), std::move(id),
                     std::move(before), std::move(after));
}

store::Scope SubtreeScope(const std::vector<std::pair<std::string, std::string>>& links,
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

}  // namespace ucsc::capability
