#include "plan/outline.h"

#include <algorithm>
#include <array>
#include <set>
#include <utility>

#include "plan/internal/ids.h"
#include "plan/internal/yaml_reader.h"

namespace ucsc::plan {

namespace {

constexpr std::array<std::pair<Topic, std::string_view>, 12> kTopics{{
    {Topic::kScope, "scope"},
    {Topic::kObjectives, "objectives"},
    {Topic::kCurrentState, "current_state"},
    {Topic::kRisks, "risks"},
    {Topic::kScenarios, "scenarios"},
    {Topic::kResponse, "response"},
    {Topic::kContinuity, "continuity"},
    {Topic::kOrganisation, "organisation"},
    {Topic::kTraining, "training"},
    {Topic::kResources, "resources"},
    {Topic::kImplementation, "implementation"},
    {Topic::kOther, "other"},
}};

}  // namespace

std::string_view TopicName(Topic t) {
  for (const auto& [topic, name] : kTopics) {
    if (topic == t) return name;
  }
  return "other";
}

std::optional<Topic> ParseTopic(std::string_view s) {
  for (const auto& [topic, name] : kTopics) {
    if (name == s) return topic;
  }
  return std::nullopt;
}

const std::vector<Topic>& RequiredTopics() {
  static const std::vector<Topic> kRequired{Topic::kRisks, Topic::kScenarios, Topic::kResponse,
                                            Topic::kTraining, Topic::kContinuity};
  return kRequired;
}

const OutlineSection* Outline::Find(std::string_view section_id) const {
  for (const auto& s : sections) {
    if (s.id == section_id) return &s;
  }
  return nullptr;
}

const OutlineSection* Outline::FirstOf(Topic topic) const {
  for (const auto& s : sections) {
    if (s.topic == topic) return &s;
  }
  return nullptr;
}

core::Result<Outline> ParseOutline(std::string_view text, std::string_view path) {
  internal::YamlReader rd(path);
  UCSC_ASSIGN_OR_RETURN(YAML::Node root, rd.Load(text));
  try {
    UCSC_RETURN_IF_ERROR(
        rd.Keys(root, "", {"outline", "version", "title", "basis", "applies_to", "sections"}));
    Outline out;
    out.source = std::string(path);
    UCSC_ASSIGN_OR_RETURN(out.id, rd.Str(root, "", "outline", true));
    if (!internal::IsSlug(out.id))
      return rd.Err(root["outline"], "/outline", "must match [a-z0-9_]+");
    UCSC_ASSIGN_OR_RETURN(out.version, rd.Int(root, "", "version", 1, 1'000'000));
    UCSC_ASSIGN_OR_RETURN(out.title, rd.Text(root, "", "title"));
    UCSC_ASSIGN_OR_RETURN(out.basis, rd.Str(root, "", "basis", true));
    UCSC_ASSIGN_OR_RETURN(auto applies, rd.Str(root, "", "applies_to", true));
    if (applies == "important") {
      out.kind = OutlineKind::kImportant;
    } else if (applies == "other") {
      out.kind = OutlineKind::kOther;
    } else {
      return rd.Err(root["applies_to"], "/applies_to", "must be 'important' or 'other'");
    }
    const YAML::Node sections = root["sections"];
    if (!sections) return rd.Err(root, "/sections", "missing");
    if (!sections.IsSequence() || sections.size() == 0) {
      return rd.Err(sections, "/sections", "must be a non-empty list");
    }
    std::set<std::string> ids;
    for (size_t i = 0; i < sections.size(); ++i) {
      const std::string ptr = "/sections/" + std::to_string(i);
      const YAML::Node n = sections[i];
      UCSC_RETURN_IF_ERROR(rd.Keys(n, ptr, {"id", "title", "mandatory", "topic"}));
      OutlineSection s;
      UCSC_ASSIGN_OR_RETURN(s.id, rd.Str(n, ptr, "id", true));
      if (!internal::IsSlug(s.id)) return rd.Err(n["id"], ptr + "/id", "must match [a-z0-9_]+");
      if (!ids.insert(s.id).second) {
        return rd.Err(n["id"], ptr + "/id", "duplicate section id '" + s.id + "'");
      }
      UCSC_ASSIGN_OR_RETURN(s.title, rd.Text(n, ptr, "title"));
      UCSC_ASSIGN_OR_RETURN(s.mandatory, rd.Bool(n, ptr, "mandatory"));
      UCSC_ASSIGN_OR_RETURN(auto topic, rd.Str(n, ptr, "topic", true));
      auto t = ParseTopic(topic);
      if (!t) return rd.Err(n["topic"], ptr + "/topic", "unknown topic '" + topic + "'");
      s.topic = *t;
      out.sections.push_back(std::move(s));
    }
    // R4: every required topic has a mandatory section.
    for (Topic t : RequiredTopics()) {
      const bool present = std::any_of(out.sections.begin(), out.sections.end(),
                                       [&](const auto& s) { return s.topic == t && s.mandatory; });
      if (!present) {
        return rd.Err(sections, "/sections",
                      "R4: no mandatory section of topic '" + std::string(TopicName(t)) + "'" +
                          (t == Topic::kContinuity
                               ? " (TT20 Art 12.2: conditions and priority principles for keeping "
                                 "the system running)"
                               : ""));
      }
    }
    return out;
  } catch (const YAML::Exception& e) {
    return core::InvalidArgument(
        std::string(path) + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg, "");
  }
}

core::Result<std::vector<Outline>> LoadOutlines(const std::string& dir) {
  std::vector<Outline> out;
  UCSC_RETURN_IF_ERROR(internal::ForEachYamlFile(
      dir, [&](std::string_view text, const std::string& path) -> core::Status {
        UCSC_ASSIGN_OR_RETURN(auto o, ParseOutline(text, path));
        for (const auto& prev : out) {
          if (prev.id == o.id && prev.version == o.version) {
            return core::InvalidArgument(path + ":1: /outline: outline '" + o.id + "' version " +
                                             std::to_string(o.version) + " also in " + prev.source,
                                         "/outline");
          }
        }
        out.push_back(std::move(o));
        return core::Ok();
      }));
  return out;
}

OutlineKind OutlineKindFor(int level, bool national_important) {
  return (level >= 4 || national_important) ? OutlineKind::kImportant : OutlineKind::kOther;
}

const Outline* SelectOutline(const std::vector<Outline>& outlines, OutlineKind kind) {
  const Outline* best = nullptr;
  for (const auto& o : outlines) {
    if (o.kind == kind && (best == nullptr || o.version > best->version)) best = &o;
  }
  return best;
}

}  // namespace ucsc::plan
