#include <simdjson.h>

#include <fstream>
#include <sstream>
#include <string>
#include <unordered_set>
#include <utility>

#include "core/legal_time.h"
#include "hunt/event.h"
#include "hunt/internal/ioc_common.h"
#include "hunt/ioc.h"

namespace ucsc::hunt {
namespace {

using internal::Quote;
using internal::Trim;

}  // namespace

// ---------------------------------------------------------------------------------------------
// Files.

namespace {

std::string TermKey(const IocTerm& t) {
  std::string k(IocTypeName(t.type));
  k.push_back('\x1f');
  k.push_back(static_cast<char>('0' + static_cast<int>(t.op)));
  k.push_back('\x1f');
  k += AsciiLowerCopy(t.value);
  return k;
}

struct Deduper {
  std::unordered_set<std::string> seen;
  // True when the indicator is new (multi-term indicators are always kept).
  bool Keep(const Indicator& ind) {
    if (ind.terms.size() != 1) return true;
    return seen.insert(TermKey(ind.terms.front())).second;
  }
};

void ParseStixBundle(std::string_view text, std::string_view source, const IocParseOptions& options,
                     IocSet* set) {
  const std::string src(source);
  simdjson::dom::parser parser;
  simdjson::padded_string padded(text.data(), text.size());
  simdjson::dom::element root;
  if (auto err = parser.parse(padded).get(root); err != simdjson::SUCCESS) {
    set->rejected.push_back({src, std::string("invalid JSON: ") + simdjson::error_message(err)});
    return;
  }
  std::vector<simdjson::dom::element> objects;
  std::string_view root_type;
  if (root.is_object() && root["type"].get(root_type) == simdjson::SUCCESS &&
      root_type == "bundle") {
    simdjson::dom::array arr;
    if (root["objects"].get(arr) != simdjson::SUCCESS) {
      set->rejected.push_back({src, "STIX bundle without an 'objects' list"});
      return;
    }
    for (auto el : arr) objects.push_back(el);
  } else if (root.is_object() && root_type == "indicator") {
    objects.push_back(root);
  } else {
    set->rejected.push_back({src, "JSON is no STIX bundle (type 'bundle' with 'objects')"});
    return;
  }
  Deduper dedup;
  for (const auto& ind : set->indicators) dedup.Keep(ind);
  std::size_t index = 0;
  for (const auto& obj : objects) {
    ++index;
    std::string_view type, id, pattern, pattern_type = "stix", name, valid_until;
    if (!obj.is_object() || obj["type"].get(type) != simdjson::SUCCESS || type != "indicator") {
      continue;
    }
    if (obj["id"].get(id) != simdjson::SUCCESS) id = {};
    const std::string where =
        src + ": " + (id.empty() ? "object " + std::to_string(index) : std::string(id));
    if (obj["pattern"].get(pattern) != simdjson::SUCCESS) {
      set->rejected.push_back({where, "indicator without a 'pattern' string"});
      continue;
    }
    if (auto pt = obj["pattern_type"];
        pt.error() == simdjson::SUCCESS && pt.get(pattern_type) != simdjson::SUCCESS) {
      set->rejected.push_back({where, "pattern_type is not a string"});
      continue;
    }
    if (pattern_type != "stix") {
      set->rejected.push_back({where, "pattern_type '" + std::string(pattern_type.substr(0, 40)) +
                                          "' is not supported"});
      continue;
    }
    bool revoked = false;
    if (obj["revoked"].get(revoked) == simdjson::SUCCESS && revoked) {
      ++set->revoked;
      continue;
    }
    if (options.now && obj["valid_until"].get(valid_until) == simdjson::SUCCESS) {
      const auto until = core::ParseRfc3339(valid_until);
      if (!until) {
        set->rejected.push_back(
            {where, "valid_until " + Quote(valid_until) + " is no RFC 3339 time"});
        continue;
      }
      if (*until <= *options.now) {
        ++set->expired;
        continue;
      }
    }
    if (obj["name"].get(name) != simdjson::SUCCESS) name = {};
    auto dnf = ParseStixPattern(pattern);
    if (!dnf) {
      set->rejected.push_back({where, dnf.error().message});
      continue;
    }
    for (auto& terms : *dnf) {
      Indicator ind;
      ind.terms = std::move(terms);
      ind.stix_id = std::string(id);
      ind.name = std::string(name);
      ind.source = where;
      if (dedup.Keep(ind)) {
        set->indicators.push_back(std::move(ind));
      } else {
        ++set->duplicates;
      }
    }
  }
}

}  // namespace

void ParseIocText(std::string_view text, std::string_view source, const IocParseOptions& options,
                  IocSet* set) {
  std::string_view body = text;
  if (body.size() >= 3 && body.compare(0, 3, "\xEF\xBB\xBF") == 0) body.remove_prefix(3);
  if (!Trim(body).empty() && Trim(body).front() == '{') {
    ParseStixBundle(body, source, options, set);
    return;
  }
  Deduper dedup;
  for (const auto& ind : set->indicators) dedup.Keep(ind);
  std::size_t pos = 0;
  std::size_t line_no = 0;
  while (pos <= body.size()) {
    std::size_t nl = body.find('\n', pos);
    if (nl == std::string_view::npos) nl = body.size();
    ++line_no;
    const std::string_view line = Trim(body.substr(pos, nl - pos));
    pos = nl + 1;
    if (line.empty() || line.front() == '#') continue;
    const std::string where = std::string(source) + ":" + std::to_string(line_no);
    auto term = ParseIocLine(line);
    if (!term) {
      set->rejected.push_back({where, term.error().message});
      continue;
    }
    Indicator ind;
    ind.terms.push_back(std::move(*term));
    ind.source = where;
    if (dedup.Keep(ind)) {
      set->indicators.push_back(std::move(ind));
    } else {
      ++set->duplicates;
    }
  }
}

core::Status LoadIocFile(const std::string& path, const IocParseOptions& options, IocSet* set) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::NotFound("cannot read IOC file " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  ParseIocText(ss.str(), path, options, set);
  return {};
}

}  // namespace ucsc::hunt
