#include "hunt/event.h"

#include <cstdio>

#include "hunt/internal/civil.h"
#include "hunt/sigma/pattern.h"
#include "text/utf8.h"

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

int TwoDigits(std::string_view s, std::size_t at) { return (s[at] - '0') * 10 + (s[at + 1] - '0'); }

std::string FormatUtc(std::int64_t seconds, std::string_view frac) {
  std::int64_t days = seconds / 86400;
  std::int64_t rem = seconds % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  std::int64_t y = 0;
  unsigned m = 0, d = 0;
  internal::CivilFromDays(days, &y, &m, &d);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld", static_cast<long long>(y),
                m, d, static_cast<long long>(rem / 3600), static_cast<long long>(rem / 60 % 60),
                static_cast<long long>(rem % 60));
  std::string out(buf);
  if (!frac.empty()) {
    out += '.';
    out += frac;
  }
  out += 'Z';
  return out;
}

// Normalises "2020-06-10 02:50:54.631", "2020-06-10T02:50:54.6310000Z", "...+00:00",
// "...+07:00" to "2020-06-10T02:50:54.631Z" (UTC; no zone means UTC; trailing zeros of the
// fraction dropped, at most 9 digits). Returns "" when not a time.
std::string ToRfc3339(std::string_view t) {
  if (t.size() < 19 || !IsDigits(t.substr(0, 4)) || t[4] != '-' || !IsDigits(t.substr(5, 2)) ||
      t[7] != '-' || !IsDigits(t.substr(8, 2)) || !(t[10] == 'T' || t[10] == ' ') ||
      !IsDigits(t.substr(11, 2)) || t[13] != ':' || !IsDigits(t.substr(14, 2)) || t[16] != ':' ||
      !IsDigits(t.substr(17, 2))) {
    return {};
  }
  std::size_t i = 19;
  std::string_view frac;
  if (i < t.size() && t[i] == '.') {
    std::size_t j = i + 1;
    while (j < t.size() && t[j] >= '0' && t[j] <= '9') ++j;
    frac = t.substr(i + 1, j - i - 1);
    if (frac.size() > 9) frac = frac.substr(0, 9);
    while (!frac.empty() && frac.back() == '0') frac.remove_suffix(1);
    i = j;
  }
  std::string_view zone = t.substr(i);
  int offset_minutes = 0;
  if (zone.empty() || zone == "Z" || zone == "z" || zone == " UTC") {
    offset_minutes = 0;
  } else if ((zone.size() == 6 && zone[3] == ':' && IsDigits(zone.substr(1, 2)) &&
              IsDigits(zone.substr(4, 2))) ||
             (zone.size() == 5 && IsDigits(zone.substr(1, 4)))) {
    if (zone[0] != '+' && zone[0] != '-') return {};
    const int hh = TwoDigits(zone, 1);
    const int mm = TwoDigits(zone, zone.size() == 6 ? 4 : 3);
    if (hh > 23 || mm > 59) return {};
    offset_minutes = (zone[0] == '-' ? -1 : 1) * (hh * 60 + mm);
  } else {
    return {};
  }
  const int month = TwoDigits(t, 5), day = TwoDigits(t, 8);
  const int hour = TwoDigits(t, 11), minute = TwoDigits(t, 14), second = TwoDigits(t, 17);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return {};
  }
  const std::int64_t year = std::stoll(std::string(t.substr(0, 4)));
  const std::int64_t seconds =
      internal::DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) *
          86400 +
      hour * 3600 + minute * 60 + second - std::int64_t{offset_minutes} * 60;
  return FormatUtc(seconds, frac);
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

void AppendJsonString(std::string_view s, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  std::size_t i = 0;
  while (i < s.size()) {
    // Copy the run of bytes that need nothing.
    std::size_t j = i;
    while (j < s.size()) {
      const auto c = static_cast<unsigned char>(s[j]);
      if (c < 0x20 || c == '"' || c == '\\' || c >= 0x80) break;
      ++j;
    }
    out->append(s.data() + i, j - i);
    i = j;
    if (i == s.size()) break;
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      const text::Decoded d = text::DecodeUtf8(s.substr(i));
      if (d.valid) {
        out->append(s.data() + i, d.length);
      } else {
        text::AppendUtf8(text::kReplacementChar, out);
      }
      i += d.length;
      continue;
    }
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\b':
        out->append("\\b");
        break;
      case '\f':
        out->append("\\f");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      default:
        out->append("\\u00");
        out->push_back(kHex[c >> 4]);
        out->push_back(kHex[c & 0xF]);
    }
    ++i;
  }
  out->push_back('"');
}

std::string JsonString(std::string_view s) {
  std::string out;
  AppendJsonString(s, &out);
  return out;
}

void Event::AppendJson(std::string* out) const {
  out->push_back('{');
  bool first = true;
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    const std::string_view key = name(i);
    bool seen = false;  // an earlier slot already wrote this name
    for (std::size_t k = 0; k < i && !seen; ++k) seen = name(k) == key;
    if (seen) continue;
    std::size_t count = 0;
    for (std::size_t k = i; k < slots_.size(); ++k) count += name(k) == key;
    if (!first) out->push_back(',');
    first = false;
    AppendJsonString(key, out);
    out->push_back(':');
    if (count == 1) {
      AppendJsonString(value(i), out);
      continue;
    }
    out->push_back('[');
    bool first_value = true;
    for (std::size_t k = i; k < slots_.size(); ++k) {
      if (name(k) != key) continue;
      if (!first_value) out->push_back(',');
      first_value = false;
      AppendJsonString(value(k), out);
    }
    out->push_back(']');
  }
  out->push_back('}');
}

std::string Event::ToJson() const {
  std::string out;
  out.reserve(bytes() + 8 * slots_.size() + 2);
  AppendJson(&out);
  return out;
}

}  // namespace ucsc::hunt
