#include "hunt/sigma/filter.h"

#include <map>

#include "hunt/sigma/reference_evaluator.h"

namespace ucsc::hunt {
namespace {

// True when every logsource key the filter sets equals the rule's (ASCII case-insensitive).
bool Covers(const LogSource& filter, const LogSource& rule) {
  return (filter.product.empty() ||
          AsciiLowerCopy(filter.product) == AsciiLowerCopy(rule.product)) &&
         (filter.category.empty() ||
          AsciiLowerCopy(filter.category) == AsciiLowerCopy(rule.category)) &&
         (filter.service.empty() || AsciiLowerCopy(filter.service) == AsciiLowerCopy(rule.service));
}

}  // namespace

FilterSet::FilterSet(const std::vector<Rule>& rules, const LogSourceMap* map,
                     std::vector<std::string>* warnings)
    : rules_(rules), map_(map), filters_for_(rules.size()), sources_(rules.size()) {
  std::map<std::string, std::size_t> by_id, by_name;
  for (std::size_t i = 0; i < rules.size(); ++i) {
    if (!rules[i].id.empty()) by_id.emplace(rules[i].id, i);
    if (!rules[i].name.empty()) by_name.emplace(rules[i].name, i);
  }
  auto is_detection = [&](std::size_t i) { return !rules[i].correlation && !rules[i].is_filter; };
  for (std::size_t f = 0; f < rules.size(); ++f) {
    const Rule& filter = rules[f];
    if (!filter.is_filter) continue;
    if (map_ != nullptr) sources_[f] = map_->SourcesForRule(filter.logsource);
    std::vector<std::size_t> targets;
    for (const auto& ref : filter.filter_rules) {
      const std::string lower = AsciiLowerCopy(ref);
      if (lower == "any" || lower == "all") {
        for (std::size_t i = 0; i < rules.size(); ++i) {
          if (is_detection(i)) targets.push_back(i);
        }
        continue;
      }
      auto it = by_id.find(ref);
      if (it == by_id.end()) it = by_name.find(ref);
      if (it == by_name.end() || !is_detection(it->second)) {
        if (warnings) {
          warnings->push_back("filter '" + filter.title + "' (" + filter.file + ":" +
                              std::to_string(filter.line) + "): unknown rule '" + ref + "'");
        }
        continue;
      }
      targets.push_back(it->second);
    }
    for (std::size_t t : targets) {
      auto& list = filters_for_[t];
      if (!Covers(filter.logsource, rules[t].logsource)) continue;
      if (list.empty()) ++filtered_rules_;
      if (list.empty() || list.back() != static_cast<int>(f)) list.push_back(static_cast<int>(f));
    }
  }
}

bool FilterSet::Keeps(int rule, const Event& e) const {
  if (rule < 0 || static_cast<std::size_t>(rule) >= filters_for_.size()) return true;
  const auto& filters = filters_for_[static_cast<std::size_t>(rule)];
  if (filters.empty()) return true;
  std::string_view channel, event_id;
  if (map_ != nullptr) LogSourceMap::RoutingKeys(e, &channel, &event_id);
  for (int f : filters) {
    const Rule& filter = rules_[static_cast<std::size_t>(f)];
    if (map_ == nullptr) {
      if (!EvaluateRule(filter, e, nullptr, -1)) return false;
      continue;
    }
    for (int s : sources_[static_cast<std::size_t>(f)]) {
      if (!map_->EventMatches(s, channel, event_id)) continue;
      if (!EvaluateRule(filter, e, map_, s)) return false;
      break;
    }
  }
  return true;
}

}  // namespace ucsc::hunt
