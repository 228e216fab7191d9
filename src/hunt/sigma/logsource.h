// Logsource routing and field mapping (data/hunt/logsources.yml).
//
// Each Source says which events (Channel, optional EventIDs) carry a Sigma logsource (product /
// category / service) and how rule field names map to event field names. See the comment at the
// top of data/hunt/logsources.yml for the matching rules. Channel names compare ASCII
// case-insensitively.
//
// Thread-safety: immutable after loading; share freely.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "hunt/event.h"
#include "hunt/sigma/sigma_rule.h"

namespace ucsc::hunt {

struct Source {
  LogSource logsource;                        // lower-cased
  std::string channel_lower;                  // lower-cased channel name; "*" = every event
  std::vector<std::string> event_ids;         // empty = any
  std::map<std::string, std::string> fields;  // rule field -> event field
};

class LogSourceMap {
 public:
  // Parses mapping YAML text. Returns kInvalidArgument naming the line on bad input.
  static core::Result<LogSourceMap> Parse(std::string_view yaml);
  // Reads and parses a file. kNotFound when it cannot be read.
  static core::Result<LogSourceMap> Load(const std::string& path);
  // The shipped default (data/hunt/logsources.yml, compiled in).
  static const std::string& DefaultText();

  const std::vector<Source>& sources() const { return sources_; }
  // Appends a source (e.g. the IOC sweep's, hunt/ioc.h). REQUIRES: no Plan compiled from this map
  // is in use (plans keep source indices).
  void AddSource(Source source) { sources_.push_back(std::move(source)); }
  const Placeholders& placeholders() const { return placeholders_; }

  // Indices of the sources whose logsource covers the rule's (every key the rule sets matches).
  std::vector<int> SourcesForRule(const LogSource& rule_logsource) const;
  // True when the event (its Channel and EventID fields) belongs to source `i`.
  bool EventMatches(int i, std::string_view channel, std::string_view event_id) const;
  // Reads Channel and EventID from an event (empty when absent).
  static void RoutingKeys(const Event& e, std::string_view* channel, std::string_view* event_id);
  // The event field to read for rule field `field` under source `i`.
  std::string_view MapField(int i, std::string_view field) const;

 private:
  std::vector<Source> sources_;
  Placeholders placeholders_;
};

}  // namespace ucsc::hunt
