#include "capability/module.h"

namespace ucsc::capability {

std::string Setting(const Env& env, std::string_view key, std::string fallback) {
  if (!env.settings.is_object()) return fallback;
  auto it = env.settings.find(key);
  if (it == env.settings.end() || !it->is_string()) return fallback;
  return it->get<std::string>();
}

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

Registry RegisterAll(const ModuleList& modules) {
  Registry registry;
  for (const auto& m : modules) m->Register(registry);
  return registry;
}

}  // namespace ucsc::capability
