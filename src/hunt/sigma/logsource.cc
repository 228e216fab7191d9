#include "hunt/sigma/logsource.h"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>

#include "hunt/internal/default_mapping.h"

namespace ucsc::hunt {
namespace {

std::string Scalar(const YAML::Node& n) { return n && n.IsScalar() ? n.Scalar() : std::string(); }

bool EqualsCi(std::string_view a, std::string_view b) { return FieldNameEquals(a, b); }

}  // namespace

const std::string& LogSourceMap::DefaultText() {
  static const std::string kText(internal::kDefaultMapping);
  return kText;
}

core::Result<LogSourceMap> LogSourceMap::Parse(std::string_view yaml) {
  LogSourceMap map;
  try {
    const YAML::Node root = YAML::Load(std::string(yaml));
    if (!root.IsMap()) return core::InvalidArgument("mapping: the document must be a map");
    if (const auto ph = root["placeholders"]) {
      if (!ph.IsMap()) {
        return core::InvalidArgument("mapping:" + std::to_string(ph.Mark().line + 1) +
                                     ": placeholders must be a map");
      }
      for (const auto& kv : ph) {
        auto& values = map.placeholders_[Scalar(kv.first)];
        if (kv.second.IsSequence()) {
          for (const auto& v : kv.second) values.push_back(Scalar(v));
        } else {
          values.push_back(Scalar(kv.second));
        }
      }
    }
    const auto sources = root["sources"];
    if (!sources || !sources.IsSequence()) {
      return core::InvalidArgument("mapping: 'sources' must be a list");
    }
    for (const auto& s : sources) {
      const std::string where = "mapping:" + std::to_string(s.Mark().line + 1) + ": ";
      if (!s.IsMap()) return core::InvalidArgument(where + "each source must be a map");
      Source src;
      const auto ls = s["logsource"];
      if (!ls || !ls.IsMap()) return core::InvalidArgument(where + "source needs a logsource map");
      src.logsource.product = AsciiLowerCopy(Scalar(ls["product"]));
      src.logsource.category = AsciiLowerCopy(Scalar(ls["category"]));
      src.logsource.service = AsciiLowerCopy(Scalar(ls["service"]));
      src.channel_lower = AsciiLowerCopy(Scalar(s["channel"]));
      if (src.channel_lower.empty()) return core::InvalidArgument(where + "source needs a channel");
      if (const auto ids = s["event_ids"]) {
        if (!ids.IsSequence()) return core::InvalidArgument(where + "event_ids must be a list");
        for (const auto& id : ids) src.event_ids.push_back(Scalar(id));
      }
      if (const auto f = s["fields"]) {
        if (!f.IsMap()) return core::InvalidArgument(where + "fields must be a map");
        for (const auto& kv : f) src.fields[Scalar(kv.first)] = Scalar(kv.second);
      }
      map.sources_.push_back(std::move(src));
    }
  } catch (const YAML::Exception& e) {
    return core::InvalidArgument("mapping:" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  return map;
}

core::Result<LogSourceMap> LogSourceMap::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::NotFound("cannot read mapping file " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  auto m = Parse(ss.str());
  if (!m) return core::InvalidArgument(path + ": " + m.error().message);
  return m;
}

std::vector<int> LogSourceMap::SourcesForRule(const LogSource& r) const {
  std::vector<int> out;
  for (std::size_t i = 0; i < sources_.size(); ++i) {
    const auto& s = sources_[i].logsource;
    if (!r.product.empty() && !EqualsCi(r.product, s.product)) continue;
    if (!r.category.empty() && !EqualsCi(r.category, s.category)) continue;
    if (!r.service.empty() && !EqualsCi(r.service, s.service)) continue;
    out.push_back(static_cast<int>(i));
  }
  return out;
}

bool LogSourceMap::EventMatches(int i, std::string_view channel, std::string_view event_id) const {
  const Source& s = sources_[static_cast<std::size_t>(i)];
  if (s.channel_lower != "*" && !EqualsCi(channel, s.channel_lower)) return false;
  if (s.event_ids.empty()) return true;
  for (const auto& id : s.event_ids) {
    if (id == event_id) return true;
  }
  return false;
}

void LogSourceMap::RoutingKeys(const Event& e, std::string_view* channel,
                               std::string_view* event_id) {
  *channel = {};
  *event_id = {};
  if (!e.Find("Channel", channel)) *channel = {};
  if (!e.Find("EventID", event_id)) *event_id = {};
}

std::string_view LogSourceMap::MapField(int i, std::string_view field) const {
  const auto& f = sources_[static_cast<std::size_t>(i)].fields;
  auto it = f.find(std::string(field));
  return it == f.end() ? field : std::string_view(it->second);
}

}  // namespace ucsc::hunt
