#include "hunt/input/json_event.h"

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdangling-pointer"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <simdjson.h>

#include <charconv>
#include <cstdio>

namespace ucsc::hunt {
namespace {

constexpr int kMaxDepth = 32;

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

}  // namespace

std::string_view NormaliseFieldName(std::string_view path, std::string* scratch) {
  // Fast path: plain top-level names.
  bool plain = true;
  for (char c : path) {
    if (c == '.' || c == '#' || c == '_') {
      plain = false;
      break;
    }
  }
  if (plain) return path;

  std::string_view p = path;
  static constexpr std::pair<std::string_view, std::string_view> kWinlog[] = {
      {"winlog.channel", "Channel"},
      {"winlog.event_id", "EventID"},
      {"winlog.provider_name", "Provider_Name"},
      {"winlog.provider_guid", "Provider_Guid"},
      {"winlog.record_id", "EventRecordID"},
      {"winlog.computer_name", "Computer"},
  };
  for (const auto& [from, to] : kWinlog) {
    if (p == from) return to;
  }
  bool stripped = false;
  for (std::string_view prefix : {"Event.System.", "Event.EventData.", "winlog.event_data.",
                                  "winlog.user_data.", "event_data.", "EventData.", "System."}) {
    if (StartsWith(p, prefix)) {
      p.remove_prefix(prefix.size());
      stripped = true;
      break;
    }
  }
  if (!stripped && StartsWith(p, "Event.UserData.")) {
    p.remove_prefix(15);
    const std::size_t dot = p.find('.');
    if (dot != std::string_view::npos) p.remove_prefix(dot + 1);
  }
  if (p.find('#') == std::string_view::npos && p.find("_attributes.") == std::string_view::npos) {
    return p;
  }
  // Rebuild without #text, turning #attributes / _attributes into attribute names.
  scratch->clear();
  std::string parent;
  std::size_t start = 0;
  std::vector<std::string_view> segs;
  while (start <= p.size()) {
    const std::size_t dot = p.find('.', start);
    segs.push_back(
        p.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  for (std::size_t i = 0; i < segs.size(); ++i) {
    std::string_view s = segs[i];
    if (s == "#text") continue;
    std::string_view owner;
    bool attr = false;
    if (s == "#attributes") {
      attr = true;
      owner = i > 0 ? segs[i - 1] : std::string_view();
    } else if (s.size() > 11 && s.substr(s.size() - 11) == "_attributes") {
      attr = true;
      owner = s.substr(0, s.size() - 11);
    }
    if (attr && i + 1 < segs.size()) {
      // The attribute replaces its owner element's segment.
      if (s == "#attributes" && !scratch->empty()) {
        const std::size_t cut = scratch->rfind('.');
        scratch->resize(cut == std::string::npos ? 0 : cut);
      }
      if (!scratch->empty()) scratch->push_back('.');
      if (owner == "Provider") *scratch += "Provider_";
      *scratch += segs[i + 1];
      ++i;
      continue;
    }
    if (!scratch->empty()) scratch->push_back('.');
    *scratch += s;
  }
  return *scratch;
}

static_assert(simdjson::SIMDJSON_PADDING <= 64, "json_event.h promises 64 bytes of padding");

struct JsonEventParser::Impl {
  simdjson::dom::parser parser;
};

JsonEventParser::~JsonEventParser() = default;

JsonEventParser::JsonEventParser() : impl_(std::make_unique<Impl>()) {
  path_.reserve(256);
  name_.reserve(256);
}

core::Status JsonEventParser::Parse(std::string_view json, std::size_t padded_capacity,
                                    Event* out) {
  out->Clear();
  simdjson::dom::element root;
  const bool can_borrow = padded_capacity >= json.size() + simdjson::SIMDJSON_PADDING;
  auto err = impl_->parser.parse(json.data(), json.size(), !can_borrow).get(root);
  if (err)
    return core::InvalidArgument(std::string("invalid JSON: ") + simdjson::error_message(err));
  if (!root.is_object()) return core::InvalidArgument("a JSON event must be an object");
  path_.clear();
  Flatten(root, out, 0);
  return core::Ok();
}

void JsonEventParser::Emit(std::string_view value, Event* out) {
  out->Add(NormaliseFieldName(path_, &name_), value);
}

void JsonEventParser::Flatten(const simdjson::dom::element& el, Event* out, int depth) {
  using simdjson::dom::element_type;
  switch (el.type()) {
    case element_type::OBJECT: {
      if (depth >= kMaxDepth) return;
      const std::size_t base = path_.size();
      simdjson::dom::object obj;
      if (el.get(obj) != simdjson::SUCCESS) return;
      for (auto field : obj) {
        path_.resize(base);
        if (base != 0) path_.push_back('.');
        path_.append(field.key);
        Flatten(field.value, out, depth + 1);
      }
      path_.resize(base);
      return;
    }
    case element_type::ARRAY: {
      if (depth >= kMaxDepth) return;
      simdjson::dom::array arr;
      if (el.get(arr) != simdjson::SUCCESS) return;
      for (auto child : arr) Flatten(child, out, depth + 1);
      return;
    }
    case element_type::STRING: {
      std::string_view s;
      if (el.get(s) == simdjson::SUCCESS) Emit(s, out);
      return;
    }
    case element_type::INT64: {
      char buf[32];
      auto r = std::to_chars(buf, buf + sizeof buf, el.get_int64().value_unsafe());
      Emit(std::string_view(buf, static_cast<std::size_t>(r.ptr - buf)), out);
      return;
    }
    case element_type::UINT64: {
      char buf[32];
      auto r = std::to_chars(buf, buf + sizeof buf, el.get_uint64().value_unsafe());
      Emit(std::string_view(buf, static_cast<std::size_t>(r.ptr - buf)), out);
      return;
    }
    case element_type::DOUBLE: {
      char buf[64];
      auto r = std::to_chars(buf, buf + sizeof buf, el.get_double().value_unsafe());
      Emit(std::string_view(buf, static_cast<std::size_t>(r.ptr - buf)), out);
      return;
    }
    case element_type::BOOL:
      Emit(el.get_bool().value_unsafe() ? "true" : "false", out);
      return;
    case element_type::NULL_VALUE:
      return;
  }
}

}  // namespace ucsc::hunt

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
