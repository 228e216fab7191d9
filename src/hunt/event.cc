#include "hunt/event.h"

#include <nlohmann/json.hpp>

#include "hunt/pattern.h"

namespace ucsc::hunt {

bool FieldNameEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (AsciiLower(a[i]) != AsciiLower(b[i])) return false;
  }
  return true;
}

bool Event::Find(std::string_view field, std::string_view* out) const {
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    if (FieldNameEquals(name(i), field)) {
      *out = value(i);
      return true;
    }
  }
  return false;
}

namespace {

bool IsDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Normalises "2020-06-10 02:50:54.631", "2020-06-10T02:50:54.6310000Z", "...+00:00" to
// "2020-06-10T02:50:54.631Z" when the text is UTC or has no zone. Returns "" when not a time.
std::string ToRfc3339(std::string_view t) {
  if (t.size() < 19 || !IsDigits(t.substr(0, 4)) || t[4] != '-' || t[7] != '-' ||
      !(t[10] == 'T' || t[10] == ' ') || t[13] != ':' || t[16] != ':') {
    return {};
  }
  std::string out(t.substr(0, 10));
  out += 'T';
  out += t.substr(11, 8);
  std::size_t i = 19;
  if (i < t.size() && t[i] == '.') {
    std::size_t j = i + 1;
    while (j < t.size() && t[j] >= '0' && t[j] <= '9') ++j;
    std::string_view frac = t.substr(i + 1, j - i - 1);
    if (frac.size() > 9) frac = frac.substr(0, 9);
    if (!frac.empty()) {
      out += '.';
      out += frac;
    }
    i = j;
  }
  std::string_view zone = t.substr(i);
  if (zone.empty() || zone == "Z" || zone == "z" || zone == "+00:00" || zone == " UTC" ||
      zone == "+0000") {
    out += 'Z';
    return out;
  }
  return {};
}

}  // namespace

std::string Event::Timestamp() const {
  static constexpr std::string_view kNames[] = {"UtcTime",     "SystemTime", "@timestamp",
                                                "TimeCreated", "EventTime",  "timestamp"};
  for (std::string_view n : kNames) {
    std::string_view v;
    if (Find(n, &v)) {
      std::string t = ToRfc3339(v);
      if (!t.empty()) return t;
    }
  }
  return {};
}

std::string Event::ToJson() const {
  nlohmann::ordered_json obj = nlohmann::ordered_json::object();
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    const std::string key(name(i));
    const std::string val(value(i));
    auto it = obj.find(key);
    if (it == obj.end()) {
      obj[key] = val;
    } else if (it->is_array()) {
      it->push_back(val);
    } else {
      nlohmann::ordered_json arr = nlohmann::ordered_json::array({*it, val});
      *it = std::move(arr);
    }
  }
  return obj.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace ucsc::hunt
