#include "codec/entities.h"
#include "server/internal/api_internal.h"

namespace ucsc::server {
namespace {

// A JSON Schema describing the shape of `example` (types only; the strict decoder is the
// authority on what is accepted).
Json SchemaOf(const Json& example) {
  switch (example.type()) {
    case Json::value_t::object: {
      Json props = Json::object();
      for (const auto& [k, v] : example.items()) props[k] = SchemaOf(v);
      return Json{{"type", "object"}, {"properties", props}, {"additionalProperties", false}};
    }
    case Json::value_t::array:
      return Json{{"type", "array"},
                  {"items", example.empty() ? Json::object() : SchemaOf(example[0])}};
    case Json::value_t::boolean:
      return Json{{"type", "boolean"}};
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
      return Json{{"type", "integer"}};
    case Json::value_t::number_float:
      return Json{{"type", "number"}};
    case Json::value_t::null:
      return Json{{"type", {"string", "null"}}};
    default:
      return Json{{"type", "string"}};
  }
}

}  // namespace

Json OpenApiDocument(const std::vector<RouteInfo>& routes) {
  core::Asset asset;
  asset.software.push_back({});
  core::InformationSystem system;
  system.level_history.push_back({});
  Json schemas{
      {"Organisation", SchemaOf(codec::ToJson(core::Organisation{}))},
      {"InformationSystem", SchemaOf(codec::ToJson(system))},
      {"Asset", SchemaOf(codec::ToJson(asset))},
      {"Contact", SchemaOf(codec::ToJson(core::Contact{}))},
      {"IrTeamMember", SchemaOf(codec::ToJson(core::IrTeamMember{}))},
      {"Task", SchemaOf(codec::ToJson(core::Task{}))},
      {"User", SchemaOf(codec::ToJson(core::User{}))},
      {"Problem",
       Json{{"type", "object"},
            {"properties",
             {{"type", {{"type", "string"}}},
              {"title", {{"type", "string"}}},
              {"status", {{"type", "integer"}}},
              {"detail", {{"type", "string"}}},
              {"errors",
               {{"type", "array"},
                {"items",
                 {{"type", "object"},
                  {"properties",
                   {{"pointer", {{"type", "string"}}}, {"detail", {{"type", "string"}}}}}}}}}}}}}};
  Json paths = Json::object();
  for (const auto& r : routes) {
    std::string method = r.method;
    for (auto& ch : method) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    Json op{{"summary", r.summary},
            {"responses",
             {{"default",
               {{"description", "Error (RFC 7807)"},
                {"content",
                 {{"application/problem+json",
                   {{"schema", {{"$ref", "#/components/schemas/Problem"}}}}}}}}}}}};
    if (!r.needs_auth) op["security"] = Json::array();
    Json params = Json::array();
    size_t pos = 0;
    while ((pos = r.pattern.find('{', pos)) != std::string::npos) {
      size_t end = r.pattern.find('}', pos);
      params.push_back({{"name", r.pattern.substr(pos + 1, end - pos - 1)},
                        {"in", "path"},
                        {"required", true},
                        {"schema", {{"type", "string"}}}});
      pos = end;
    }
    if (r.method == "PATCH" || r.method == "DELETE") {
      params.push_back({{"name", "If-Match"},
                        {"in", "header"},
                        {"required", true},
                        {"schema", {{"type", "string"}}}});
    }
    if (!params.empty()) op["parameters"] = params;
    paths[r.pattern][method] = op;
  }
  return Json{
      {"openapi", "3.1.0"},
      {"info", {{"title", "ucsc — Directive 18 incident-response platform API"}, {"version", "1"}}},
      {"paths", paths},
      {"components",
       {{"schemas", schemas},
        {"securitySchemes",
         {{"session", {{"type", "apiKey"}, {"in", "cookie"}, {"name", "ucsc_session"}}},
          {"token", {{"type", "http"}, {"scheme", "bearer"}}}}}}},
      {"security", Json::array({{{"session", Json::array()}}, {{"token", Json::array()}}})}};
}

}  // namespace ucsc::server
