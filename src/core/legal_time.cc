#include "core/legal_time.h"

#include <charconv>
#include <cstdio>

namespace ucsc::core {
namespace {

using std::chrono::day;
using std::chrono::days;
using std::chrono::month;
using std::chrono::sys_days;
using std::chrono::year;
using std::chrono::year_month_day;

year_month_day ToYmd(LocalDate d) {
  return year_month_day{year{d.year}, month{d.month}, day{d.day}};
}
LocalDate FromYmd(year_month_day ymd) {
  return LocalDate{static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                   static_cast<unsigned>(ymd.day())};
}

bool ParseInt(std::string_view s, int& out) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

}  // namespace

LocalDate LocalDateOf(Instant t) {
  auto local = t + kVietnamOffset;
  return FromYmd(year_month_day{std::chrono::floor<days>(local)});
}

Instant StartOfLocalDay(LocalDate d) {
  auto midnight = std::chrono::time_point_cast<std::chrono::milliseconds>(sys_days{ToYmd(d)});
  return Instant(midnight.time_since_epoch() - kVietnamOffset);
}

Instant EndOfLocalDay(LocalDate d) {
  return StartOfLocalDay(AddDays(d, 1)) - std::chrono::milliseconds(1);
}

LocalDate AddDays(LocalDate d, int n) { return FromYmd(sys_days{ToYmd(d)} + days{n}); }

LocalDate AddMonthsClamped(LocalDate d, int months) {
  int total = d.year * 12 + static_cast<int>(d.month) - 1 + months;
  int y = total / 12;
  int m = total % 12;
  if (m < 0) {
    m += 12;
    --y;
  }
  auto last = std::chrono::year_month_day_last{
      year{y}, std::chrono::month_day_last{month{static_cast<unsigned>(m + 1)}}};
  unsigned last_day = static_cast<unsigned>(last.day());
  return LocalDate{y, static_cast<unsigned>(m + 1), d.day > last_day ? last_day : d.day};
}

bool IsValidDate(LocalDate d) { return ToYmd(d).ok(); }

std::optional<LocalDate> ParseIsoDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  int y = 0, m = 0, d = 0;
  if (!ParseInt(s.substr(0, 4), y) || !ParseInt(s.substr(5, 2), m) ||
      !ParseInt(s.substr(8, 2), d)) {
    return std::nullopt;
  }
  LocalDate out{y, static_cast<unsigned>(m), static_cast<unsigned>(d)};
  if (m < 1 || m > 12 || d < 1 || !IsValidDate(out)) return std::nullopt;
  return out;
}

std::string FormatIsoDate(LocalDate d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", d.year, d.month, d.day);
  return buf;
}

std::string FormatVnDate(LocalDate d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02u/%02u/%04d", d.day, d.month, d.year);
  return buf;
}

namespace {
std::string FormatWithOffset(Instant t, std::chrono::minutes offset, const char* suffix) {
  auto local = t + offset;
  auto dp = std::chrono::floor<days>(local);
  year_month_day ymd{dp};
  auto tod = local - dp;
  auto ms = tod.count();
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02lld:%02lld:%02lld.%03lld%s",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<long long>(ms / 3600000),
                static_cast<long long>(ms / 60000 % 60), static_cast<long long>(ms / 1000 % 60),
                static_cast<long long>(ms % 1000), suffix);
  return buf;
}
}  // namespace

std::string FormatRfc3339Utc(Instant t) {
  return FormatWithOffset(t, std::chrono::minutes(0), "Z");
}
std::string FormatRfc3339Local(Instant t) {
  return FormatWithOffset(t, std::chrono::minutes(420), "+07:00");
}

std::optional<Instant> ParseRfc3339(std::string_view s) {
  if (s.size() < 20 || (s[10] != 'T' && s[10] != 't' && s[10] != ' ')) return std::nullopt;
  auto date = ParseIsoDate(s.substr(0, 10));
  if (!date || s[13] != ':' || s[16] != ':') return std::nullopt;
  int hh = 0, mm = 0, ss = 0;
  if (!ParseInt(s.substr(11, 2), hh) || !ParseInt(s.substr(14, 2), mm) ||
      !ParseInt(s.substr(17, 2), ss) || hh > 23 || mm > 59 || ss > 60) {
    return std::nullopt;
  }
  size_t pos = 19;
  int64_t frac_ms = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    size_t start = pos;
    int digits = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (digits < 3) frac_ms = frac_ms * 10 + (s[pos] - '0');
      ++digits;
      ++pos;
    }
    if (pos == start) return std::nullopt;
    for (; digits < 3; ++digits) frac_ms *= 10;
  }
  if (pos >= s.size()) return std::nullopt;
  int64_t offset_min = 0;
  if (s[pos] == 'Z' || s[pos] == 'z') {
    ++pos;
  } else if (s[pos] == '+' || s[pos] == '-') {
    if (s.size() - pos != 6 || s[pos + 3] != ':') return std::nullopt;
    int oh = 0, om = 0;
    if (!ParseInt(s.substr(pos + 1, 2), oh) || !ParseInt(s.substr(pos + 4, 2), om) || oh > 23 ||
        om > 59) {
      return std::nullopt;
    }
    offset_min = (oh * 60 + om) * (s[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;
  auto midnight = std::chrono::time_point_cast<std::chrono::milliseconds>(sys_days{ToYmd(*date)});
  int64_t ms = midnight.time_since_epoch().count() + ((hh * 60 + mm) * 60 + ss) * 1000LL + frac_ms -
               offset_min * 60000;
  return FromUnixMillis(ms);
}

}  // namespace ucsc::core
