#include "codec/json_reader.h"

#include "core/legal_time.h"

namespace ucsc::codec {

std::string PointerEscape(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

core::Result<Json> ParseJson(std::string_view text, int max_depth) {
  int depth = 0;
  bool too_deep = false;
  auto cb = [&](int d, Json::parse_event_t event, Json&) {
    if (event == Json::parse_event_t::object_start || event == Json::parse_event_t::array_start) {
      if (d + 1 > max_depth) too_deep = true;
    }
    depth = d;
    return !too_deep;
  };
  Json j;
  try {
    j = Json::parse(text.begin(), text.end(), cb, /*allow_exceptions=*/true);
  } catch (const Json::parse_error& e) {
    return core::InvalidArgument("malformed JSON at byte " + std::to_string(e.byte), "");
  } catch (const Json::exception& e) {
    return core::InvalidArgument(std::string("malformed JSON: ") + e.what(), "");
  }
  if (too_deep) {
    return core::InvalidArgument("JSON nested deeper than " + std::to_string(max_depth) + " levels",
                                 "");
  }
  if (j.is_discarded()) return core::InvalidArgument("malformed JSON", "");
  return j;
}

ObjectReader::ObjectReader(const Json& object, std::string pointer)
    : object_(object), pointer_(std::move(pointer)) {}

std::string ObjectReader::PointerOf(std::string_view key) const {
  return pointer_ + "/" + PointerEscape(key);
}

core::Status ObjectReader::CheckObject() const {
  if (!object_.is_object()) {
    return core::InvalidArgument("must be a JSON object", pointer_.empty() ? "/" : pointer_);
  }
  return core::Ok();
}

const Json* ObjectReader::Find(std::string_view key) {
  seen_.emplace(key);
  auto it = object_.find(key);
  if (it == object_.end() || it->is_null()) return nullptr;
  return &*it;
}

namespace {
core::Status Missing(const std::string& pointer) {
  return core::InvalidArgument("is required", pointer);
}
core::Status WrongType(const std::string& pointer, std::string_view want) {
  return core::InvalidArgument("must be " + std::string(want), pointer);
}
}  // namespace

core::Status ObjectReader::String(std::string_view key, std::string& out, Need need,
                                  size_t max_len) {
  UCSC_RETURN_IF_ERROR(CheckObject());
  const Json* v = Find(key);
  if (v == nullptr) return need == Need::kRequired ? Missing(PointerOf(key)) : core::Ok();
  if (!v->is_string()) return WrongType(PointerOf(key), "a string");
  const auto& s = v->get_ref<const std::string&>();
  if (s.size() > max_len) {
    return core::InvalidArgument("is longer than " + std::to_string(max_len) + " bytes",
                                 PointerOf(key));
  }
  if (need == Need::kRequired && s.empty()) {
    return core::InvalidArgument("must not be empty", PointerOf(key));
  }
  out = s;
  return core::Ok();
}

core::Status ObjectReader::Bool(std::string_view key, bool& out, Need need) {
  UCSC_RETURN_IF_ERROR(CheckObject());
  const Json* v = Find(key);
  if (v == nullptr) return need == Need::kRequired ? Missing(PointerOf(key)) : core::Ok();
  if (!v->is_boolean()) return WrongType(PointerOf(key), "true or false");
  out = v->get<bool>();
  return core::Ok();
}

core::Status ObjectReader::Int(std::string_view key, int64_t& out, Need need) {
  UCSC_RETURN_IF_ERROR(CheckObject());
  const Json* v = Find(key);
  if (v == nullptr) return need == Need::kRequired ? Missing(PointerOf(key)) : core::Ok();
  if (!v->is_number_integer()) return WrongType(PointerOf(key), "an integer");
  out = v->get<int64_t>();
  return core::Ok();
}

core::Status ObjectReader::Int(std::string_view key, int& out, Need need) {
  int64_t wide = out;
  UCSC_RETURN_IF_ERROR(Int(key, wide, need));
  if (wide < INT32_MIN || wide > INT32_MAX) {
    return core::InvalidArgument("is out of range", PointerOf(key));
  }
  out = static_cast<int>(wide);
  return core::Ok();
}

core::Status ObjectReader::StringList(std::string_view key, std::vector<std::string>& out,
                                      Need need, size_t max_items) {
  UCSC_RETURN_IF_ERROR(CheckObject());
  const Json* v = Find(key);
  if (v == nullptr) return need == Need::kRequired ? Missing(PointerOf(key)) : core::Ok();
  if (!v->is_array()) return WrongType(PointerOf(key), "an array of strings");
  if (v->size() > max_items) {
    return core::InvalidArgument("has more than " + std::to_string(max_items) + " items",
                                 PointerOf(key));
  }
  std::vector<std::string> items;
  for (size_t i = 0; i < v->size(); ++i) {
    const auto& e = (*v)[i];
    if (!e.is_string() || e.get_ref<const std::string&>().size() > 4096) {
      return WrongType(PointerOf(key) + "/" + std::to_string(i), "a string (≤ 4096 bytes)");
    }
    items.push_back(e.get<std::string>());
  }
  out = std::move(items);
  return core::Ok();
}

core::Status ObjectReader::Time(std::string_view key, core::Instant& out, Need need) {
  std::string text;
  UCSC_RETURN_IF_ERROR(String(key, text, need, 64));
  if (text.empty()) return core::Ok();
  auto t = core::ParseRfc3339(text);
  if (!t) return WrongType(PointerOf(key), "an RFC 3339 time");
  out = *t;
  return core::Ok();
}

core::Status ObjectReader::Value(
    std::string_view key, Need need,
    const std::function<core::Status(const Json&, const std::string&)>& fn) {
  UCSC_RETURN_IF_ERROR(CheckObject());
  const Json* v = Find(key);
  if (v == nullptr) return need == Need::kRequired ? Missing(PointerOf(key)) : core::Ok();
  return fn(*v, PointerOf(key));
}

void ObjectReader::Ignore(std::string_view key) { seen_.emplace(key); }

core::Status ObjectReader::Finish() const {
  UCSC_RETURN_IF_ERROR(CheckObject());
  for (const auto& [key, value] : object_.items()) {
    if (!seen_.contains(key)) return core::InvalidArgument("unknown field", PointerOf(key));
  }
  return core::Ok();
}

}  // namespace ucsc::codec
