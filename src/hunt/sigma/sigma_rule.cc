#include "hunt/sigma/sigma_rule.h"

#include <arpa/inet.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "hunt/sigma/internal/condition_parser.h"

namespace ucsc::hunt {
namespace {

struct RuleError {
  int line = 0;
  std::string reason;
};
template <class T>
using R = tl::expected<T, RuleError>;
tl::unexpected<RuleError> Err(const YAML::Node& node, std::string reason) {
  return tl::unexpected(
      RuleError{node.Mark().line >= 0 ? node.Mark().line + 1 : 0, std::move(reason)});
}
int LineOf(const YAML::Node& node) { return node.Mark().line >= 0 ? node.Mark().line + 1 : 0; }

std::string Base64(std::string_view in) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    const std::uint32_t v = (static_cast<std::uint8_t>(in[i]) << 16) |
                            (static_cast<std::uint8_t>(in[i + 1]) << 8) |
                            static_cast<std::uint8_t>(in[i + 2]);
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(kAlphabet[(v >> 6) & 63]);
    out.push_back(kAlphabet[v & 63]);
  }
  const std::size_t rest = in.size() - i;
  if (rest == 1) {
    const std::uint32_t v = static_cast<std::uint8_t>(in[i]) << 16;
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out += "==";
  } else if (rest == 2) {
    const std::uint32_t v =
        (static_cast<std::uint8_t>(in[i]) << 16) | (static_cast<std::uint8_t>(in[i + 1]) << 8);
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(kAlphabet[(v >> 6) & 63]);
    out.push_back('=');
  }
  return out;
}

// UTF-8 to UTF-16 code units; invalid bytes become U+FFFD.
std::vector<std::uint16_t> Utf16Units(std::string_view s) {
  std::vector<std::uint16_t> out;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::uint32_t cp = 0xFFFD;
    std::size_t len = 1;
    if (c < 0x80) {
      cp = c;
    } else if ((c >> 5) == 6 && i + 1 < s.size()) {
      cp = ((c & 0x1F) << 6) | (s[i + 1] & 0x3F);
      len = 2;
    } else if ((c >> 4) == 14 && i + 2 < s.size()) {
      cp = ((c & 0x0F) << 12) | ((s[i + 1] & 0x3F) << 6) | (s[i + 2] & 0x3F);
      len = 3;
    } else if ((c >> 3) == 30 && i + 3 < s.size()) {
      cp = ((c & 0x07) << 18) | ((s[i + 1] & 0x3F) << 12) | ((s[i + 2] & 0x3F) << 6) |
           (s[i + 3] & 0x3F);
      len = 4;
    }
    i += len;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      out.push_back(static_cast<std::uint16_t>(0xD800 + (cp >> 10)));
      out.push_back(static_cast<std::uint16_t>(0xDC00 + (cp & 0x3FF)));
    } else {
      out.push_back(static_cast<std::uint16_t>(cp));
    }
  }
  return out;
}

enum class Utf16Mode { kNone, kLe, kBe, kBom };

std::string EncodeUtf16(std::string_view s, Utf16Mode mode) {
  std::string out;
  if (mode == Utf16Mode::kBom) out += "\xFF\xFE";
  for (std::uint16_t u : Utf16Units(s)) {
    const char lo = static_cast<char>(u & 0xFF);
    const char hi = static_cast<char>(u >> 8);
    if (mode == Utf16Mode::kBe) {
      out.push_back(hi);
      out.push_back(lo);
    } else {
      out.push_back(lo);
      out.push_back(hi);
    }
  }
  return out;
}

// The three shifted encodings of base64offset (Sigma modifiers appendix): the value preceded by
// 0, 1 or 2 bytes, with the characters that depend on the neighbours cut off.
std::vector<std::string> Base64Offsets(std::string_view value) {
  static constexpr std::size_t kStartCut[3] = {0, 2, 3};
  static constexpr std::size_t kEndCut[3] = {0, 3, 2};
  std::vector<std::string> out;
  for (std::size_t shift = 0; shift < 3; ++shift) {
    std::string padded(shift, ' ');
    padded += value;
    std::string enc = Base64(padded);
    const std::size_t end_cut = kEndCut[(value.size() + shift) % 3];
    if (enc.size() < kStartCut[shift] + end_cut) continue;
    out.push_back(enc.substr(kStartCut[shift], enc.size() - kStartCut[shift] - end_cut));
  }
  return out;
}

const std::set<std::string, std::less<>>& KnownModifiers() {
  static const std::set<std::string, std::less<>> kKnown = {
      "contains", "startswith", "endswith",     "all",   "re",      "i",       "m",      "s",
      "windash",  "base64",     "base64offset", "utf16", "utf16le", "utf16be", "wide",   "cidr",
      "exists",   "fieldref",   "lt",           "lte",   "gt",      "gte",     "expand", "cased"};
  return kKnown;
}

struct Mods {
  bool contains = false, startswith = false, endswith = false, all = false, re = false;
  bool re_i = false, re_m = false, re_s = false, windash = false, base64 = false;
  bool base64offset = false, cidr = false, exists = false, fieldref = false, expand = false;
  bool cased = false;
  std::optional<NumericOp> numeric;
  Utf16Mode utf16 = Utf16Mode::kNone;
};

R<Mods> ParseMods(const std::vector<std::string>& names, const YAML::Node& at) {
  Mods m;
  int kinds = 0;  // contains / startswith / endswith are exclusive
  for (const auto& n : names) {
    if (!KnownModifiers().count(n)) return Err(at, "unknown modifier '" + n + "'");
    if (n == "contains")
      m.contains = true, ++kinds;
    else if (n == "startswith")
      m.startswith = true, ++kinds;
    else if (n == "endswith")
      m.endswith = true, ++kinds;
    else if (n == "all")
      m.all = true;
    else if (n == "re")
      m.re = true;
    else if (n == "i" || n == "m" || n == "s") {
      if (!m.re) return Err(at, "modifier '" + n + "' is only allowed after 're'");
      if (n == "i") m.re_i = true;
      if (n == "m") m.re_m = true;
      if (n == "s") m.re_s = true;
    } else if (n == "windash")
      m.windash = true;
    else if (n == "base64")
      m.base64 = true;
    else if (n == "base64offset")
      m.base64offset = true;
    else if (n == "utf16")
      m.utf16 = Utf16Mode::kBom;
    else if (n == "utf16le" || n == "wide")
      m.utf16 = Utf16Mode::kLe;
    else if (n == "utf16be")
      m.utf16 = Utf16Mode::kBe;
    else if (n == "cidr")
      m.cidr = true;
    else if (n == "exists")
      m.exists = true;
    else if (n == "fieldref")
      m.fieldref = true;
    else if (n == "expand")
      m.expand = true;
    else if (n == "cased")
      m.cased = true;
    else if (n == "lt")
      m.numeric = NumericOp::kLt;
    else if (n == "lte")
      m.numeric = NumericOp::kLte;
    else if (n == "gt")
      m.numeric = NumericOp::kGt;
    else if (n == "gte")
      m.numeric = NumericOp::kGte;
  }
  if (kinds > 1) return Err(at, "contains, startswith and endswith exclude each other");
  const int specials = int(m.re) + int(m.cidr) + int(m.exists) + int(m.fieldref) +
                       int(m.numeric.has_value()) + int(m.base64 || m.base64offset);
  if (specials > 1) {
    return Err(at,
               "modifiers re, cidr, exists, fieldref, lt/lte/gt/gte and base64 exclude each other");
  }
  if (m.base64 && m.base64offset) return Err(at, "base64 and base64offset exclude each other");
  if (m.utf16 != Utf16Mode::kNone && !(m.base64 || m.base64offset)) {
    return Err(at, "utf16/utf16le/utf16be/wide are only allowed with base64 or base64offset");
  }
  if ((m.re || m.cidr || m.exists || m.numeric) && kinds > 0) {
    return Err(at,
               "contains/startswith/endswith cannot be combined with re, cidr, exists or lt/gt");
  }
  if (m.windash &&
      (m.re || m.cidr || m.exists || m.numeric || m.fieldref || m.base64 || m.base64offset)) {
    return Err(at, "windash only applies to plain string values");
  }
  return m;
}

bool HasUnescapedWildcard(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size() &&
        (s[i + 1] == '*' || s[i + 1] == '?' || s[i + 1] == '\\')) {
      ++i;
      continue;
    }
    if (s[i] == '*' || s[i] == '?') return true;
  }
  return false;
}

// Removes Sigma escapes from a value that is used as plain text (base64 input, field names).
std::string Unescape(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size() &&
        (s[i + 1] == '*' || s[i + 1] == '?' || s[i + 1] == '\\')) {
      out.push_back(s[++i]);
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

void ApplyShape(Pattern& p, const Mods& m) {
  if (m.contains || m.endswith) p.AddLeadingStar();
  if (m.contains || m.startswith) p.AddTrailingStar();
}

// Memory RE2 may use for one |re value (its program and DFA); SigmaHQ's regexes need a few KB.
constexpr int64_t kRegexMaxMem = 1 << 20;

// Expands %placeholders% into every combination of their values. An undefined placeholder makes
// the result empty.
std::vector<std::string> ExpandPlaceholders(const std::string& s, const Placeholders* ph) {
  std::vector<std::string> out = {""};
  std::size_t i = 0;
  while (i < s.size()) {
    const std::size_t open = s.find('%', i);
    const std::size_t close = open == std::string::npos ? std::string::npos : s.find('%', open + 1);
    if (open == std::string::npos || close == std::string::npos) {
      for (auto& o : out) o += s.substr(i);
      break;
    }
    for (auto& o : out) o += s.substr(i, open - i);
    const std::string name = s.substr(open + 1, close - open - 1);
    const std::vector<std::string>* values = nullptr;
    if (ph) {
      auto it = ph->find(name);
      if (it != ph->end()) values = &it->second;
    }
    if (!values || values->empty()) return {};
    std::vector<std::string> next;
    for (const auto& o : out) {
      for (const auto& v : *values) next.push_back(o + v);
    }
    out = std::move(next);
    if (out.size() > 4096) return {};
    i = close + 1;
  }
  return out;
}

R<void> AddValues(DetectionItem& item, const Mods& m, const YAML::Node& node,
                  const LoadOptions& opts) {
  const CaseMode mode = m.cased ? CaseMode::kSensitive : CaseMode::kInsensitive;
  if (node.IsNull()) {
    Value v;
    v.kind = ValueKind::kNull;
    item.values.push_back(std::move(v));
    return {};
  }
  if (!node.IsScalar())
    return Err(node, "a value must be a scalar (string, number, boolean or null)");
  const std::string text = node.Scalar();
  if (m.exists) {
    Value v;
    v.kind = ValueKind::kExists;
    if (text == "true" || text == "yes" || text == "True") {
      v.exists = true;
    } else if (text == "false" || text == "no" || text == "False") {
      v.exists = false;
    } else {
      return Err(node, "'exists' needs a boolean value, got '" + text + "'");
    }
    item.values.push_back(std::move(v));
    return {};
  }
  if (m.numeric) {
    auto num = ParseNumber(text);
    if (!num) return Err(node, "lt/lte/gt/gte need a number, got '" + text + "'");
    Value v;
    v.kind = ValueKind::kNumeric;
    v.numeric_op = *m.numeric;
    v.number = *num;
    item.values.push_back(std::move(v));
    return {};
  }
  if (m.cidr) {
    auto c = ParseCidr(text);
    if (!c) return Err(node, "invalid CIDR network '" + text + "'");
    Value v;
    v.kind = ValueKind::kCidr;
    v.cidr = *c;
    item.values.push_back(std::move(v));
    return {};
  }
  if (m.re) {
    std::string flags;
    if (m.re_i) flags += 'i';
    if (m.re_m) flags += 'm';
    if (m.re_s) flags += 's';
    std::string pattern = flags.empty() ? text : "(?" + flags + ")" + text;
    RE2::Options o;
    o.set_log_errors(false);
    o.set_max_mem(kRegexMaxMem);
    auto re = std::make_shared<const RE2>(pattern, o);
    if (!re->ok()) return Err(node, "invalid regular expression: " + re->error());
    Value v;
    v.kind = ValueKind::kRegex;
    v.regex = std::move(re);
    item.values.push_back(std::move(v));
    return {};
  }
  if (m.fieldref) {
    Value v;
    v.kind = ValueKind::kFieldRef;
    v.ref_field = text;
    v.ref_case = mode;
    v.ref_op = m.contains     ? FieldRefOp::kContains
               : m.startswith ? FieldRefOp::kStartsWith
               : m.endswith   ? FieldRefOp::kEndsWith
                              : FieldRefOp::kEquals;
    item.values.push_back(std::move(v));
    return {};
  }
  std::vector<std::string> texts = {text};
  if (m.expand) {
    texts = ExpandPlaceholders(text, opts.placeholders);
    if (texts.empty()) {
      Value v;
      v.kind = ValueKind::kNever;
      item.values.push_back(std::move(v));
      return {};
    }
  }
  for (const auto& t : texts) {
    if (m.base64 || m.base64offset) {
      if (HasUnescapedWildcard(t)) {
        return Err(node, "base64/base64offset values cannot hold wildcards");
      }
      std::string raw = Unescape(t);
      if (m.utf16 != Utf16Mode::kNone) raw = EncodeUtf16(raw, m.utf16);
      std::vector<std::string> encoded;
      if (m.base64) {
        encoded.push_back(Base64(raw));
      } else {
        encoded = Base64Offsets(raw);
      }
      for (const auto& e : encoded) {
        Value v;
        v.kind = ValueKind::kString;
        v.pattern = Pattern::Literal(e, mode);
        ApplyShape(v.pattern, m);
        item.values.push_back(std::move(v));
      }
      continue;
    }
    Value v;
    v.kind = ValueKind::kString;
    v.pattern = Pattern::FromSigma(t, mode, m.windash);
    ApplyShape(v.pattern, m);
    item.values.push_back(std::move(v));
  }
  return {};
}

R<DetectionItem> ParseFieldItem(const std::string& key, const YAML::Node& value,
                                const YAML::Node& key_node, const LoadOptions& opts) {
  DetectionItem item;
  item.line = LineOf(key_node);
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t bar = key.find('|', start);
    parts.push_back(key.substr(start, bar == std::string::npos ? std::string::npos : bar - start));
    if (bar == std::string::npos) break;
    start = bar + 1;
  }
  if (!parts[0].empty()) item.field = parts[0];
  item.modifiers.assign(parts.begin() + 1, parts.end());
  for (const auto& mod : item.modifiers) {
    if (mod.empty()) return Err(key_node, "empty modifier in '" + key + "'");
  }
  auto mods = ParseMods(item.modifiers, key_node);
  if (!mods) return tl::unexpected(mods.error());
  item.match_all = mods->all;
  if (!item.field && (mods->exists || mods->fieldref)) {
    return Err(key_node, "exists and fieldref need a field name");
  }
  if (value.IsSequence()) {
    if (value.size() == 0) return Err(value, "empty value list for '" + key + "'");
    for (const auto& v : value) {
      auto ok = AddValues(item, *mods, v, opts);
      if (!ok) return tl::unexpected(ok.error());
    }
  } else if (value.IsMap()) {
    return Err(value, "the value of '" + key + "' must be a scalar or a list, not a map");
  } else {
    auto ok = AddValues(item, *mods, value, opts);
    if (!ok) return tl::unexpected(ok.error());
  }
  if (!item.field) {
    // Keyword search: the value may appear anywhere in a field value.
    for (auto& v : item.values) {
      if (v.kind == ValueKind::kString) {
        v.pattern.AddLeadingStar();
        v.pattern.AddTrailingStar();
      }
    }
  }
  return item;
}

R<std::vector<DetectionItem>> ParseMapAlternative(const YAML::Node& map, const LoadOptions& opts) {
  std::vector<DetectionItem> items;
  for (const auto& kv : map) {
    if (!kv.first.IsScalar()) return Err(kv.first, "field names must be strings");
    auto item = ParseFieldItem(kv.first.Scalar(), kv.second, kv.first, opts);
    if (!item) return tl::unexpected(item.error());
    items.push_back(std::move(*item));
  }
  if (items.empty()) return Err(map, "empty selection map");
  return items;
}

R<Selection> ParseSelection(const std::string& name, const YAML::Node& node,
                            const YAML::Node& key_node, const LoadOptions& opts) {
  Selection sel;
  sel.name = name;
  sel.line = LineOf(key_node);
  static const Mods kKeywordMods{};
  auto keyword_item = [&](const YAML::Node& scalar) -> R<DetectionItem> {
    DetectionItem item;
    item.line = LineOf(scalar);
    auto ok = AddValues(item, kKeywordMods, scalar, opts);
    if (!ok) return tl::unexpected(ok.error());
    for (auto& v : item.values) {
      if (v.kind == ValueKind::kString) {
        v.pattern.AddLeadingStar();
        v.pattern.AddTrailingStar();
      }
    }
    return item;
  };
  if (node.IsMap()) {
    auto alt = ParseMapAlternative(node, opts);
    if (!alt) return tl::unexpected(alt.error());
    sel.alternatives.push_back(std::move(*alt));
  } else if (node.IsSequence()) {
    if (node.size() == 0) return Err(node, "search identifier '" + name + "' is an empty list");
    // Plain values in a list form one keyword item (OR); maps are alternatives.
    DetectionItem keywords;
    keywords.line = LineOf(node);
    for (const auto& el : node) {
      if (el.IsMap()) {
        auto alt = ParseMapAlternative(el, opts);
        if (!alt) return tl::unexpected(alt.error());
        sel.alternatives.push_back(std::move(*alt));
      } else if (el.IsScalar() || el.IsNull()) {
        auto item = keyword_item(el);
        if (!item) return tl::unexpected(item.error());
        for (auto& v : item->values) keywords.values.push_back(std::move(v));
      } else {
        return Err(el, "a list in '" + name + "' may hold maps or plain values only");
      }
    }
    if (!keywords.values.empty()) sel.alternatives.push_back({std::move(keywords)});
  } else if (node.IsScalar()) {
    auto item = keyword_item(node);
    if (!item) return tl::unexpected(item.error());
    sel.alternatives.push_back({std::move(*item)});
  } else {
    return Err(key_node, "search identifier '" + name + "' has no value");
  }
  return sel;
}

std::string ScalarOr(const YAML::Node& n, std::string_view fallback = {}) {
  if (n && n.IsScalar()) return n.Scalar();
  return std::string(fallback);
}

R<std::vector<std::string>> StringList(const YAML::Node& n, std::string_view what) {
  std::vector<std::string> out;
  if (!n || n.IsNull()) return out;
  if (n.IsScalar()) {
    out.push_back(n.Scalar());
    return out;
  }
  if (!n.IsSequence()) return Err(n, std::string(what) + " must be a string or a list of strings");
  for (const auto& el : n) {
    if (el.IsNull()) continue;
    if (!el.IsScalar()) return Err(el, std::string(what) + " must hold strings");
    out.push_back(el.Scalar());
  }
  return out;
}

}  // namespace

std::optional<std::int64_t> ParseTimespan(std::string_view s) {
  if (s.size() < 2) return std::nullopt;
  const char unit = s.back();
  std::int64_t n = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size() - 1, n);
  if (ec != std::errc() || p != s.data() + s.size() - 1 || n <= 0) return std::nullopt;
  std::int64_t mult = 0;
  switch (unit) {
    case 's':
      mult = 1000;
      break;
    case 'm':
      mult = 60'000;
      break;
    case 'h':
      mult = 3'600'000;
      break;
    case 'd':
      mult = 86'400'000;
      break;
    case 'w':
      mult = 7 * 86'400'000LL;
      break;
    case 'M':
      mult = 30 * 86'400'000LL;
      break;
    case 'y':
      mult = 365 * 86'400'000LL;
      break;
    default:
      return std::nullopt;
  }
  if (n > (std::int64_t{1} << 40)) return std::nullopt;
  return n * mult;
}

namespace {

R<Correlation> ParseCorrelation(const YAML::Node& node) {
  if (!node.IsMap()) return Err(node, "'correlation' must be a map");
  Correlation c;
  const std::string type = ScalarOr(node["type"]);
  if (type == "event_count")
    c.type = CorrelationType::kEventCount;
  else if (type == "value_count")
    c.type = CorrelationType::kValueCount;
  else if (type == "temporal")
    c.type = CorrelationType::kTemporal;
  else if (type == "temporal_ordered")
    c.type = CorrelationType::kTemporalOrdered;
  else if (type == "value_sum")
    c.type = CorrelationType::kValueSum;
  else if (type == "value_avg")
    c.type = CorrelationType::kValueAvg;
  else if (type == "value_percentile")
    c.type = CorrelationType::kValuePercentile;
  else if (type == "value_median")
    c.type = CorrelationType::kValueMedian;
  else
    return Err(node["type"] ? node["type"] : node, "unknown correlation type '" + type + "'");
  auto rules = StringList(node["rules"], "correlation rules");
  if (!rules) return tl::unexpected(rules.error());
  c.rules = std::move(*rules);
  if (c.rules.empty()) return Err(node, "a correlation needs 'rules'");
  auto group = StringList(node["group-by"], "group-by");
  if (!group) return tl::unexpected(group.error());
  c.group_by = std::move(*group);
  const auto ts_node = node["timespan"] ? node["timespan"] : node["timeframe"];
  if (!ts_node) return Err(node, "a correlation needs 'timespan'");
  auto ts = ParseTimespan(ScalarOr(ts_node));
  if (!ts) return Err(ts_node, "invalid timespan '" + ScalarOr(ts_node) + "' (e.g. 10m, 1h, 2d)");
  c.timespan_ms = *ts;
  const std::string generate = AsciiLowerCopy(ScalarOr(node["generate"]));
  c.generate = generate == "true" || generate == "yes";
  const bool temporal =
      c.type == CorrelationType::kTemporal || c.type == CorrelationType::kTemporalOrdered;
  const auto cond = node["condition"];
  if (cond) {
    if (!cond.IsMap()) return Err(cond, "correlation condition must be a map");
    for (const auto& kv : cond) {
      const std::string k = ScalarOr(kv.first);
      if (k == "field") {
        c.condition.field = ScalarOr(kv.second);
        continue;
      }
      if (k == "percentile") {
        auto p = ParseNumber(ScalarOr(kv.second));
        if (!p || *p < 0 || *p > 100) return Err(kv.second, "percentile must be 0..100");
        c.condition.percentile = *p;
        continue;
      }
      CorrelationCondition::Op op;
      if (k == "gt")
        op = CorrelationCondition::Op::kGt;
      else if (k == "gte")
        op = CorrelationCondition::Op::kGte;
      else if (k == "lt")
        op = CorrelationCondition::Op::kLt;
      else if (k == "lte")
        op = CorrelationCondition::Op::kLte;
      else if (k == "eq")
        op = CorrelationCondition::Op::kEq;
      else if (k == "neq")
        op = CorrelationCondition::Op::kNeq;
      else
        return Err(kv.first, "unknown correlation condition operator '" + k + "'");
      auto n = ParseNumber(ScalarOr(kv.second));
      if (!n) return Err(kv.second, "correlation condition '" + k + "' needs a number");
      c.condition.terms.emplace_back(op, *n);
    }
  } else if (!temporal) {
    return Err(node, "correlation type '" + type + "' needs a 'condition'");
  }
  if (temporal && c.condition.terms.empty()) {
    // Temporal correlations hold when every referenced rule matched in the window.
    c.condition.terms.emplace_back(CorrelationCondition::Op::kGte,
                                   static_cast<double>(c.rules.size()));
  }
  const bool needs_field =
      c.type == CorrelationType::kValueCount || c.type == CorrelationType::kValueSum ||
      c.type == CorrelationType::kValueAvg || c.type == CorrelationType::kValuePercentile ||
      c.type == CorrelationType::kValueMedian;
  if (needs_field && c.condition.field.empty()) {
    return Err(cond ? cond : node, "correlation type '" + type + "' needs condition.field");
  }
  if (c.type == CorrelationType::kValuePercentile && !(cond && cond["percentile"])) {
    return Err(cond ? cond : node,
               "correlation type 'value_percentile' needs condition.percentile");
  }
  if (const auto aliases = node["aliases"]) {
    if (!aliases.IsMap()) return Err(aliases, "'aliases' must be a map");
    for (const auto& a : aliases) {
      if (!a.second.IsMap()) return Err(a.second, "each alias maps rule names to fields");
      auto& m = c.aliases[ScalarOr(a.first)];
      for (const auto& kv : a.second) m[ScalarOr(kv.first)] = ScalarOr(kv.second);
    }
  }
  return c;
}

R<Rule> ParseDocument(const YAML::Node& doc, std::string_view file, const LoadOptions& opts) {
  Rule rule;
  rule.file = std::string(file);
  rule.line = LineOf(doc);
  if (!doc.IsMap()) return Err(doc, "a rule must be a YAML map");
  if (doc["action"]) return Err(doc["action"], "rule collections ('action') are not supported");
  const auto title = doc["title"];
  if (!title || !title.IsScalar() || title.Scalar().empty()) {
    return Err(doc, "missing required field 'title'");
  }
  rule.title = title.Scalar();
  rule.id = ScalarOr(doc["id"]);
  rule.name = ScalarOr(doc["name"]);
  rule.status = ScalarOr(doc["status"]);
  rule.description = ScalarOr(doc["description"]);
  rule.date = ScalarOr(doc["date"]);
  rule.modified = ScalarOr(doc["modified"]);
  if (const auto a = doc["author"]) {
    if (a.IsScalar()) {
      rule.author = a.Scalar();
    } else {
      auto list = StringList(a, "author");
      if (!list) return tl::unexpected(list.error());
      for (const auto& s : *list) rule.author += (rule.author.empty() ? "" : ", ") + s;
    }
  }
  for (auto [key, target] :
       {std::pair{"references", &rule.references}, std::pair{"tags", &rule.tags},
        std::pair{"falsepositives", &rule.falsepositives}}) {
    auto list = StringList(doc[key], key);
    if (!list) return tl::unexpected(list.error());
    *target = std::move(*list);
  }
  if (const auto lv = doc["level"]) {
    auto level = ParseLevel(ScalarOr(lv));
    if (!level) return Err(lv, "unknown level '" + ScalarOr(lv) + "'");
    rule.level = *level;
    rule.has_level = true;
  }
  if (const auto corr = doc["correlation"]) {
    auto c = ParseCorrelation(corr);
    if (!c) return tl::unexpected(c.error());
    rule.correlation = std::move(*c);
    return rule;
  }
  const auto ls = doc["logsource"];
  if (!ls) return Err(doc, "missing required field 'logsource'");
  if (!ls.IsMap()) return Err(ls, "'logsource' must be a map");
  rule.logsource.product = ScalarOr(ls["product"]);
  rule.logsource.category = ScalarOr(ls["category"]);
  rule.logsource.service = ScalarOr(ls["service"]);
  if (rule.logsource.product.empty() && rule.logsource.category.empty() &&
      rule.logsource.service.empty()) {
    return Err(ls, "'logsource' needs product, category or service");
  }

  // A Sigma filter's `filter` map is its detection (plus `rules`). Chosen without assigning one
  // YAML::Node to another: assignment writes through to the node, and a missing `detection`
  // node then throws ("invalid node") — every filter document was refused that way.
  const YAML::Node filter = doc["filter"];
  if (filter) {
    if (!filter.IsMap()) return Err(filter, "'filter' must be a map");
    rule.is_filter = true;
    if (!filter["rules"]) return Err(filter, "a filter needs 'rules'");
    auto rules = StringList(filter["rules"], "filter rules");
    if (!rules) return tl::unexpected(rules.error());
    rule.filter_rules = std::move(*rules);
  }
  const YAML::Node detection = filter ? filter : doc["detection"];
  if (!detection) return Err(doc, "missing required field 'detection'");
  if (!detection.IsMap()) return Err(detection, "'detection' must be a map");
  YAML::Node condition;
  bool has_condition = false;
  std::vector<std::string> names;
  for (const auto& kv : detection) {
    const std::string key = ScalarOr(kv.first);
    if (key == "condition") {
      condition = kv.second;
      has_condition = true;
      continue;
    }
    if (key == "timeframe" || (rule.is_filter && key == "rules")) continue;
    if (key.empty()) return Err(kv.first, "empty search identifier");
    auto sel = ParseSelection(key, kv.second, kv.first, opts);
    if (!sel) return tl::unexpected(sel.error());
    names.push_back(key);
    rule.selections.push_back(std::move(*sel));
  }
  if (!has_condition) return Err(detection, "missing 'condition' in detection");
  std::vector<std::string> conditions;
  if (condition.IsSequence()) {
    for (const auto& c : condition) conditions.push_back(ScalarOr(c));
  } else {
    conditions.push_back(ScalarOr(condition));
  }
  Condition root;
  root.kind = Condition::Kind::kOr;
  for (const auto& text : conditions) {
    auto parsed = ParseCondition(text, names);
    if (!parsed) return Err(condition, "condition: " + parsed.error().message);
    root.children.push_back(std::move(*parsed));
  }
  if (root.children.empty()) return Err(condition, "empty condition");
  rule.condition = root.children.size() == 1 ? std::move(root.children[0]) : std::move(root);
  return rule;
}

// yaml-cpp parses nested collections recursively: very deep nesting exhausts the stack and the
// memory (a sigma_yaml fuzz run). Returns the 1-based line where flow nesting ('[', '{') passes
// 64 levels or block indentation passes 256 columns, or 0. Real rules nest a few levels.
int FindTooDeepNesting(std::string_view text) {
  int depth = 0;
  int line_no = 1;
  std::size_t indent = 0;
  bool line_start = true;
  for (char c : text) {
    if (c == '\n') {
      ++line_no;
      indent = 0;
      line_start = true;
      continue;
    }
    if (line_start && (c == ' ' || c == '-')) {
      if (++indent > 256) return line_no;
      continue;
    }
    line_start = false;
    if (c == '[' || c == '{') {
      if (++depth > 64) return line_no;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return 0;
}

// Aliases make a YAML document a graph: yaml-cpp shares the aliased node, but any walk over the
// tree (ours, and yaml-cpp's own copies) sees it once per alias, so ten nested levels of ten
// aliases each ("billion laughs") turn 300 bytes into 10^10 nodes (a sigma_yaml fuzz run ran out of
// memory). Counts the nodes a walk would visit, stopping at `budget`; true when over it. The walk
// itself is bounded by the budget. Real rules have a few hundred nodes and no aliases.
bool ExpandedNodesExceed(const YAML::Node& node, std::size_t& remaining) {
  if (remaining == 0) return true;
  --remaining;
  if (node.IsSequence()) {
    for (const auto& child : node) {
      if (ExpandedNodesExceed(child, remaining)) return true;
    }
  } else if (node.IsMap()) {
    for (const auto& kv : node) {
      if (ExpandedNodesExceed(kv.first, remaining) || ExpandedNodesExceed(kv.second, remaining)) {
        return true;
      }
    }
  }
  return false;
}

// SigmaHQ's largest rules have a few thousand nodes.
constexpr std::size_t kMaxRuleNodes = 20'000;

// Regular expressions cost memory to compile (RE2 bounds each by max_mem, kRegexMaxMem); a rule
// may hold at most kMaxRuleRegexes of them, so that one rule of a few hundred bytes cannot make
// the loader allocate gigabytes (a sigma_yaml fuzz run: many |re values, repeated through YAML
// aliases). SigmaHQ rules have a handful each.
constexpr int kMaxRuleRegexes = 256;

bool HasReModifier(const std::string& key) {
  std::size_t start = key.find('|');
  while (start != std::string::npos) {
    const std::size_t end = key.find('|', start + 1);
    if (key.compare(start + 1, end == std::string::npos ? std::string::npos : end - start - 1,
                    "re") == 0) {
      return true;
    }
    start = end;
  }
  return false;
}

// The number of values under keys with the |re modifier, aliases expanded. REQUIRES: the
// document passed ExpandedNodesExceed (so the walk is bounded).
int CountRegexValues(const YAML::Node& node) {
  int n = 0;
  if (node.IsSequence()) {
    for (const auto& child : node) n += CountRegexValues(child);
  } else if (node.IsMap()) {
    for (const auto& kv : node) {
      if (kv.first.IsScalar() && HasReModifier(kv.first.Scalar())) {
        n += kv.second.IsSequence() ? static_cast<int>(kv.second.size()) : 1;
      } else {
        n += CountRegexValues(kv.second);
      }
    }
  }
  return n;
}

// yaml-cpp 0.7 never returns on a document whose root node starts with ',' (after optional
// anchors and tags), e.g. "," or "&a ," (found by fuzz/sigma_yaml_fuzz.cc). Returns the 1-based
// line of such a document start, or 0.
int FindCommaRootDocument(std::string_view text) {
  bool at_doc_start = true;
  int line_no = 0;
  std::size_t pos = 0;
  while (pos <= text.size() && at_doc_start) {
    const std::size_t nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? text.npos : nl - pos);
    ++line_no;
    pos = nl == std::string_view::npos ? text.size() + 1 : nl + 1;
    std::size_t i = 0;
    while (true) {
      while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
      if (i >= line.size() || line[i] == '#') break;
      if (line[i] == '%' && i == 0) break;
      if (line.substr(i, 3) == "---" || line.substr(i, 3) == "...") {
        i += 3;
        continue;
      }
      if (line[i] == '&' || line[i] == '!') {
        while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != ',') ++i;
        continue;
      }
      if (line[i] == ',') return line_no;
      at_doc_start = false;
      break;
    }
  }
  // Later documents: check after each "---" line too.
  pos = 0;
  line_no = 0;
  bool after_marker = false;
  while (pos < text.size()) {
    const std::size_t nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? text.npos : nl - pos);
    ++line_no;
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    std::size_t i = 0;
    if (line.substr(0, 3) == "---") {
      after_marker = true;
      i = 3;
    }
    if (!after_marker) continue;
    while (true) {
      while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
      if (i >= line.size() || line[i] == '#') break;
      if (line[i] == '&' || line[i] == '!') {
        while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != ',') ++i;
        continue;
      }
      if (line[i] == ',') return line_no;
      after_marker = false;
      break;
    }
  }
  return 0;
}

}  // namespace

bool Cidr::Contains(const std::array<std::uint8_t, 16>& ip) const {
  int bits = prefix_len;
  for (int i = 0; i < 16 && bits > 0; ++i, bits -= 8) {
    const std::uint8_t mask = bits >= 8 ? 0xFF : static_cast<std::uint8_t>(0xFF << (8 - bits));
    if ((ip[i] & mask) != (addr[i] & mask)) return false;
  }
  return true;
}

std::optional<std::array<std::uint8_t, 16>> ParseIp(std::string_view text) {
  if (text.empty() || text.size() > 64) return std::nullopt;
  char buf[65];
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  std::array<std::uint8_t, 16> out{};
  in_addr v4;
  if (inet_pton(AF_INET, buf, &v4) == 1) {
    out[10] = 0xFF;
    out[11] = 0xFF;
    std::memcpy(out.data() + 12, &v4, 4);
    return out;
  }
  in6_addr v6;
  if (inet_pton(AF_INET6, buf, &v6) == 1) {
    std::memcpy(out.data(), &v6, 16);
    return out;
  }
  return std::nullopt;
}

std::optional<Cidr> ParseCidr(std::string_view text) {
  const std::size_t slash = text.find('/');
  const std::string_view addr = text.substr(0, slash);
  auto ip = ParseIp(addr);
  if (!ip) return std::nullopt;
  const bool v4 = addr.find(':') == std::string_view::npos;
  int max = v4 ? 32 : 128;
  int len = max;
  if (slash != std::string_view::npos) {
    const std::string_view p = text.substr(slash + 1);
    auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), len);
    if (ec != std::errc() || end != p.data() + p.size() || len < 0 || len > max)
      return std::nullopt;
  }
  Cidr c;
  c.addr = *ip;
  c.prefix_len = v4 ? len + 96 : len;
  return c;
}

std::optional<double> ParseNumber(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  if (text.empty()) return std::nullopt;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    std::uint64_t v = 0;
    auto [p, ec] = std::from_chars(text.data() + 2, text.data() + text.size(), v, 16);
    if (ec != std::errc() || p != text.data() + text.size()) return std::nullopt;
    return static_cast<double>(v);
  }
  if (text.front() == '+') text.remove_prefix(1);
  double v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::string_view LevelName(Level level) {
  switch (level) {
    case Level::kInformational:
      return "informational";
    case Level::kLow:
      return "low";
    case Level::kMedium:
      return "medium";
    case Level::kHigh:
      return "high";
    case Level::kCritical:
      return "critical";
  }
  return "medium";
}

std::optional<Level> ParseLevel(std::string_view text) {
  if (text == "informational") return Level::kInformational;
  if (text == "low") return Level::kLow;
  if (text == "medium") return Level::kMedium;
  if (text == "high") return Level::kHigh;
  if (text == "critical") return Level::kCritical;
  return std::nullopt;
}

std::string_view CorrelationTypeName(CorrelationType t) {
  switch (t) {
    case CorrelationType::kEventCount:
      return "event_count";
    case CorrelationType::kValueCount:
      return "value_count";
    case CorrelationType::kTemporal:
      return "temporal";
    case CorrelationType::kTemporalOrdered:
      return "temporal_ordered";
    case CorrelationType::kValueSum:
      return "value_sum";
    case CorrelationType::kValueAvg:
      return "value_avg";
    case CorrelationType::kValuePercentile:
      return "value_percentile";
    case CorrelationType::kValueMedian:
      return "value_median";
  }
  return "event_count";
}

std::string LoadError::ToString() const {
  return file + ":" + std::to_string(line) + ": " + reason;
}

core::Result<Condition> ParseCondition(std::string_view text,
                                       const std::vector<std::string>& selection_names) {
  return internal::ParseConditionText(text, selection_names);
}

// yaml-cpp 0.7's LoadAll can loop for ever on some malformed streams, adding empty documents
// until memory runs out (an anchored first line followed by " ,": a sigma_yaml fuzz run). The
// stream is cut here into its documents — at "---" start markers and after "..." end markers, at
// the start of a line — and each is parsed alone with YAML::Load, which reads one document. Each
// piece is prefixed with as many newlines as lines precede it, so that marks (error lines) stay
// those of the file.
std::vector<std::string> SplitDocuments(std::string_view text) {
  std::vector<std::string> out;
  std::size_t piece_start = 0;
  int piece_line = 0, line = 0;
  auto flush = [&](std::size_t end, int next_line) {
    if (end > piece_start) {
      std::string piece(static_cast<std::size_t>(piece_line), '\n');
      piece.append(text.substr(piece_start, end - piece_start));
      out.push_back(std::move(piece));
    }
    piece_start = end;
    piece_line = next_line;
  };
  for (std::size_t pos = 0; pos < text.size(); ++line) {
    std::size_t eol = text.find('\n', pos);
    const std::size_t next = eol == std::string_view::npos ? text.size() : eol + 1;
    const std::string_view l = text.substr(pos, next - pos);
    auto marker = [&](std::string_view m) {
      return l.substr(0, 3) == m &&
             (l.size() == 3 || l[3] == ' ' || l[3] == '\t' || l[3] == '\n' || l[3] == '\r');
    };
    if (marker("---") && pos > piece_start) {
      flush(pos, line);
    } else if (marker("...")) {
      flush(next, line + 1);
    }
    pos = next;
  }
  flush(text.size(), line);
  return out;
}

ParseOutcome ParseRuleText(std::string_view yaml, std::string_view file, const LoadOptions& opts) {
  ParseOutcome out;
  std::vector<YAML::Node> docs;
  if (const int deep_line = FindTooDeepNesting(yaml)) {
    out.errors.push_back({std::string(file), deep_line,
                          "YAML nesting too deep (over 64 levels or 256 columns of indentation)"});
    return out;
  }
  if (const int bad_line = FindCommaRootDocument(yaml)) {
    out.errors.push_back(
        {std::string(file), bad_line, "YAML syntax: a document cannot start with ','"});
    return out;
  }
  try {
    for (const std::string& piece : SplitDocuments(yaml)) docs.push_back(YAML::Load(piece));
  } catch (const YAML::ParserException& e) {
    out.errors.push_back({std::string(file), e.mark.line + 1, "YAML syntax: " + e.msg});
    return out;
  } catch (const YAML::Exception& e) {
    out.errors.push_back({std::string(file), e.mark.line + 1, std::string("YAML: ") + e.what()});
    return out;
  }
  for (const auto& doc : docs) {
    if (!doc || doc.IsNull()) continue;
    try {
      if (std::size_t budget = kMaxRuleNodes; ExpandedNodesExceed(doc, budget)) {
        out.errors.push_back({std::string(file), doc.Mark().line + 1,
                              "rule too large: over " + std::to_string(kMaxRuleNodes) +
                                  " YAML nodes once aliases are expanded"});
        continue;
      }
      if (CountRegexValues(doc) > kMaxRuleRegexes) {
        out.errors.push_back({std::string(file), doc.Mark().line + 1,
                              "rule too large: over " + std::to_string(kMaxRuleRegexes) +
                                  " regular expressions (|re values)"});
        continue;
      }
      auto rule = ParseDocument(doc, file, opts);
      if (!rule) {
        out.errors.push_back({std::string(file), rule.error().line, rule.error().reason});
      } else {
        out.rules.push_back(std::move(*rule));
      }
    } catch (const YAML::Exception& e) {
      out.errors.push_back({std::string(file), e.mark.line + 1, std::string("YAML: ") + e.what()});
    }
  }
  return out;
}

core::Result<std::vector<Rule>> ParseRules(std::string_view yaml, std::string_view file,
                                           const LoadOptions& options) {
  auto outcome = ParseRuleText(yaml, file, options);
  if (!outcome.errors.empty()) return core::InvalidArgument(outcome.errors.front().ToString());
  return std::move(outcome.rules);
}

ParseOutcome LoadRulePaths(const std::vector<std::string>& paths, const LoadOptions& options) {
  namespace fs = std::filesystem;
  ParseOutcome out;
  std::vector<std::string> files;
  for (const auto& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      for (auto it = fs::recursive_directory_iterator(p, ec); !ec && it != fs::end(it);
           it.increment(ec)) {
        if (!it->is_regular_file(ec)) continue;
        const auto ext = it->path().extension().string();
        if (ext == ".yml" || ext == ".yaml") files.push_back(it->path().string());
      }
      if (ec) out.errors.push_back({p, 0, "cannot list directory: " + ec.message()});
    } else if (fs::exists(p, ec)) {
      files.push_back(p);
    } else {
      out.errors.push_back({p, 0, "no such file or directory"});
    }
  }
  std::sort(files.begin(), files.end());
  // Files are parsed in parallel (yaml-cpp dominates load time); results keep path order.
  std::vector<ParseOutcome> per_file(files.size());
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i = next++; i < files.size(); i = next++) {
      std::ifstream in(files[i], std::ios::binary);
      if (!in) {
        per_file[i].errors.push_back({files[i], 0, "cannot read file"});
        continue;
      }
      std::stringstream ss;
      ss << in.rdbuf();
      per_file[i] = ParseRuleText(ss.str(), files[i], options);
    }
  };
  const unsigned n_threads = std::max(1u, std::min(std::thread::hardware_concurrency(), 8u));
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < n_threads && files.size() > 64; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  for (auto& one : per_file) {
    for (auto& r : one.rules) out.rules.push_back(std::move(r));
    for (auto& e : one.errors) out.errors.push_back(std::move(e));
  }
  return out;
}

}  // namespace ucsc::hunt
