#include "capability/crud.h"

#include <algorithm>
#include <set>

#include "capability/base64url.h"

namespace ucsc::capability {

namespace {
constexpr int kMaxLimit = 500;
}  // namespace

core::Result<store::ListQuery> ParseListQuery(const Ctx& ctx,
                                              const std::vector<std::string_view>& filters) {
  store::ListQuery q;
  q.scope = ctx.scope;
  std::set<std::string_view> seen;
  for (const auto& [key, value] : ctx.req.query) {
    // One value per parameter: repeated keys would only multiply SQL shapes.
    if (!seen.insert(key).second) {
      return core::InvalidArgument("is given more than once", "/" + key);
    }
    if (key == "limit") {
      if (value.empty() || value.size() > 4 ||
          !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return core::InvalidArgument("limit must be an integer 1–500", "/limit");
      }
      const int v = std::stoi(value);
      if (v < 1 || v > kMaxLimit) {
        return core::InvalidArgument("limit must be an integer 1–500", "/limit");
      }
      q.limit = v;
    } else if (key == "cursor") {
      auto raw = Base64UrlDecode(value);
      auto nl = raw ? raw->find('\n') : std::string::npos;
      if (!raw || nl == std::string::npos) {
        return core::InvalidArgument("cursor is not one this server issued", "/cursor");
      }
      q.after_key = raw->substr(0, nl);
      q.after_id = raw->substr(nl + 1);
    } else if (key == "q") {
      if (value.size() > 200) return core::InvalidArgument("q is too long", "/q");
      q.search = value;
    } else if (std::find(filters.begin(), filters.end(), key) != filters.end()) {
      q.filters.emplace_back(key, value);
    } else {
      return core::InvalidArgument("unknown query parameter", "/" + key);
    }
  }
  return q;
}

void SetPageJson(Ctx& ctx, const store::Page<std::string>& page) {
  // The stored documents are the API representation: splice them without re-encoding.
  size_t size = 32;
  for (const auto& doc : page.items) size += doc.size() + 1;
  std::string body;
  body.reserve(size + 128);
  body += "{\"items\":[";
  for (size_t i = 0; i < page.items.size(); ++i) {
    if (i > 0) body += ',';
    body += page.items[i];
  }
  body += "],\"next_cursor\":";
  if (page.more) {
    body += '"' + Base64UrlEncode(page.last_key + "\n" + page.last_id) + '"';
  } else {
    body += "null";
  }
  body += '}';
  ctx.res.status = 200;
  ctx.res.body = std::move(body);
}

core::Status CheckOrgRef(store::Tx& tx, const Ctx& ctx, const std::string& org_id,
                         const std::string& field) {
  if (org_id.empty()) return core::InvalidArgument("is required", field);
  auto org = tx.Orgs().Get(org_id, ctx.scope);
  if (!org) {
    if (org.error().code == core::ErrorCode::kNotFound) {
      return core::InvalidArgument("matches no organisation you can see", field);
    }
    return tl::unexpected(org.error());
  }
  return core::Ok();
}

}  // namespace ucsc::capability
