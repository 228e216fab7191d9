#include "codec/entities.h"
#include "server/internal/api_internal.h"

namespace ucsc::server {
Json OpenApiDocument(const std::vector<RouteInfo>& routes,
                     const std::vector<std::pair<std::string, Json>>& module_schemas) {
  Json schemas{
      {"User", capability::SchemaOf(codec::ToJson(core::User{}))},
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
  for (const auto& [name, schema] : module_schemas) schemas[name] = schema;
  auto ref = [](const std::string& name) {
    return Json{{"application/json", {{"schema", {{"$ref", "#/components/schemas/" + name}}}}}};
  };
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
    if (!r.request_schema.empty()) {
      op["requestBody"] = {{"required", true}, {"content", ref(r.request_schema)}};
    }
    if (!r.response_schema.empty()) {
      op["responses"][r.method == "POST" ? "201" : "200"] = {{"description", "OK"},
                                                             {"content", ref(r.response_schema)}};
    }
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
