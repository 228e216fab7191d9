#include "core/cron.h"

#include <array>
#include <bit>
#include <charconv>
#include <chrono>
#include <cstddef>
#include <span>
#include <utility>
#include <vector>

#include "core/legal_time.h"

namespace ucsc::core {
namespace {

using std::chrono::days;
using std::chrono::minutes;
using std::chrono::sys_days;
using std::chrono::year_month_day;

// Longest accepted expression; anything longer is not a plausible schedule.
constexpr size_t kMaxExpressionLength = 1024;
// How far NextAfter looks ahead.
constexpr std::chrono::years kSearchHorizon{5};

constexpr std::array<std::string_view, 12> kMonthNames = {"jan", "feb", "mar", "apr", "may", "jun",
                                                          "jul", "aug", "sep", "oct", "nov", "dec"};
constexpr std::array<std::string_view, 7> kWeekdayNames = {"sun", "mon", "tue", "wed",
                                                           "thu", "fri", "sat"};

// One of the five fields: its name in messages, the numbers it accepts, the values '*' stands for,
// and optional three-letter names (names[i] is value i + names_base).
struct FieldSpec {
  std::string_view name;
  int min;
  int max;       // largest accepted number (7 for day-of-week)
  int star_max;  // largest value of '*' (6 for day-of-week)
  std::span<const std::string_view> names;
  int names_base;
  std::string_view expected;  // what a token should be, for messages
  bool seven_is_sunday;
};

constexpr FieldSpec kMinuteSpec{"minute", 0, 59, 59, {}, 0, "a number", false};
constexpr FieldSpec kHourSpec{"hour", 0, 23, 23, {}, 0, "a number", false};
constexpr FieldSpec kDayOfMonthSpec{"day-of-month", 1, 31, 31, {}, 0, "a number", false};
constexpr FieldSpec kMonthSpec{
    "month", 1, 12, 12, kMonthNames, 1, "a number or month name (JAN-DEC)", false};
constexpr FieldSpec kDayOfWeekSpec{
    "day-of-week", 0, 7, 6, kWeekdayNames, 0, "a number or weekday name (SUN-SAT)", true};

struct Macro {
  std::string_view name;
  std::string_view expansion;
};
constexpr std::array<Macro, 7> kMacros = {{
    {"@yearly", "0 0 1 1 *"},
    {"@annually", "0 0 1 1 *"},
    {"@monthly", "0 0 1 * *"},
    {"@weekly", "0 0 * * 0"},
    {"@daily", "0 0 * * *"},
    {"@midnight", "0 0 * * *"},
    {"@hourly", "0 * * * *"},
}};

char ToLowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (ToLowerAscii(a[i]) != ToLowerAscii(b[i])) return false;
  }
  return true;
}

bool IsSpace(char c) { return c == ' ' || c == '\t'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> SplitFields(std::string_view s) {
  std::vector<std::string_view> fields;
  size_t pos = 0;
  while (pos < s.size()) {
    while (pos < s.size() && IsSpace(s[pos])) ++pos;
    size_t start = pos;
    while (pos < s.size() && !IsSpace(s[pos])) ++pos;
    if (pos > start) fields.push_back(s.substr(start, pos - start));
  }
  return fields;
}

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

std::string RangeText(int lo, int hi) { return std::to_string(lo) + "-" + std::to_string(hi); }

tl::unexpected<Error> FieldError(const FieldSpec& spec, std::string message) {
  return InvalidArgument(std::string(spec.name) + ": " + std::move(message));
}

// Parses one number or name of `spec`, checking its range. `item` is the whole list item, for
// messages.
Result<int> ParseValue(std::string_view token, std::string_view item, const FieldSpec& spec) {
  if (token.empty()) return FieldError(spec, "missing value in '" + std::string(item) + "'");
  if (AllDigits(token)) {
    int value = 0;
    auto [ptr, ec] = std::from_chars(token.data(), token.data() + token.size(), value);
    if (ec != std::errc() || ptr != token.data() + token.size() || value < spec.min ||
        value > spec.max) {
      return FieldError(spec,
                        std::string(token) + " is out of range " + RangeText(spec.min, spec.max));
    }
    return value;
  }
  for (size_t name_idx = 0; name_idx < spec.names.size(); ++name_idx) {
    if (EqualsIgnoreCase(token, spec.names[name_idx])) {
      return static_cast<int>(name_idx) + spec.names_base;
    }
  }
  return FieldError(spec, "'" + std::string(token) + "' is not " + std::string(spec.expected));
}

// Parses one list item ("*", "5", "1-5", "*/15", "0-30/10", "5/10") into a bit set.
Result<uint64_t> ParseItem(std::string_view item, const FieldSpec& spec) {
  if (item.empty()) return FieldError(spec, "empty list item");
  std::string_view range = item;
  std::optional<std::string_view> step_text;
  if (size_t slash = item.find('/'); slash != std::string_view::npos) {
    range = item.substr(0, slash);
    step_text = item.substr(slash + 1);
  }

  int lo = 0;
  int hi = 0;
  if (range == "*") {
    lo = spec.min;
    hi = spec.star_max;
  } else if (size_t dash = range.find('-'); dash != std::string_view::npos) {
    UCSC_ASSIGN_OR_RETURN(lo, ParseValue(range.substr(0, dash), item, spec));
    UCSC_ASSIGN_OR_RETURN(hi, ParseValue(range.substr(dash + 1), item, spec));
    if (lo > hi) {
      return FieldError(spec, "range " + std::string(range) + " has its start after its end");
    }
  } else {
    UCSC_ASSIGN_OR_RETURN(lo, ParseValue(range, item, spec));
    // "A/S" runs from A to the field's end (cronie); a lone "A" is just A.
    hi = step_text ? spec.max : lo;
  }

  int step = 1;
  if (step_text) {
    const int max_step = spec.star_max - spec.min + 1;
    if (step_text->empty()) return FieldError(spec, "missing step in '" + std::string(item) + "'");
    if (!AllDigits(*step_text)) {
      return FieldError(spec, "step '" + std::string(*step_text) + "' is not a number");
    }
    auto [ptr, ec] =
        std::from_chars(step_text->data(), step_text->data() + step_text->size(), step);
    if (ec != std::errc() || ptr != step_text->data() + step_text->size() || step < 1 ||
        step > max_step) {
      return FieldError(
          spec, "step " + std::string(*step_text) + " is out of range " + RangeText(1, max_step));
    }
  }

  uint64_t bits = 0;
  for (int value = lo; value <= hi; value += step) {
    // Day-of-week 7 is Sunday, stored as 0.
    int stored = (spec.seven_is_sunday && value == 7) ? 0 : value;
    bits |= uint64_t{1} << stored;
  }
  return bits;
}

// Parses a comma-separated list of items into a bit set.
Result<uint64_t> ParseField(std::string_view field, const FieldSpec& spec) {
  uint64_t bits = 0;
  size_t start = 0;
  while (true) {
    size_t comma = field.find(',', start);
    std::string_view item = field.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    UCSC_ASSIGN_OR_RETURN(uint64_t item_bits, ParseItem(item, spec));
    bits |= item_bits;
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return bits;
}

}  // namespace

Result<CronSchedule> CronSchedule::Parse(std::string_view expr) {
  std::string_view text = Trim(expr);
  if (text.empty()) return InvalidArgument("cron expression is empty");
  if (text.size() > kMaxExpressionLength) {
    return InvalidArgument("cron expression is longer than " +
                           std::to_string(kMaxExpressionLength) + " characters");
  }

  std::string_view body = text;
  if (text.front() == '@') {
    bool found = false;
    for (const Macro& macro : kMacros) {
      if (EqualsIgnoreCase(text, macro.name)) {
        body = macro.expansion;
        found = true;
        break;
      }
    }
    if (!found) {
      return InvalidArgument("unknown cron macro '" + std::string(text) +
                             "' (expected @yearly, @annually, @monthly, @weekly, @daily, "
                             "@midnight or @hourly)");
    }
  }

  std::vector<std::string_view> fields = SplitFields(body);
  if (fields.size() != 5) {
    return InvalidArgument(
        "cron expression needs 5 fields (minute hour day-of-month month day-of-week), got " +
        std::to_string(fields.size()));
  }

  CronSchedule schedule;
  schedule.text_ = std::string(text);
  UCSC_ASSIGN_OR_RETURN(schedule.minutes_, ParseField(fields[0], kMinuteSpec));
  UCSC_ASSIGN_OR_RETURN(uint64_t hours, ParseField(fields[1], kHourSpec));
  UCSC_ASSIGN_OR_RETURN(uint64_t days_of_month, ParseField(fields[2], kDayOfMonthSpec));
  UCSC_ASSIGN_OR_RETURN(uint64_t months, ParseField(fields[3], kMonthSpec));
  UCSC_ASSIGN_OR_RETURN(uint64_t days_of_week, ParseField(fields[4], kDayOfWeekSpec));
  schedule.hours_ = static_cast<uint32_t>(hours);
  schedule.days_of_month_ = static_cast<uint32_t>(days_of_month);
  schedule.months_ = static_cast<uint16_t>(months);
  schedule.days_of_week_ = static_cast<uint8_t>(days_of_week);
  // Vixie cron: a field is unrestricted when it begins with '*' (including "*/2").
  schedule.day_of_month_star_ = fields[2].front() == '*';
  schedule.day_of_week_star_ = fields[4].front() == '*';
  return schedule;
}

bool CronSchedule::DayMatches(unsigned month, unsigned day_of_month, unsigned weekday) const {
  if ((months_ & (1u << month)) == 0) return false;
  bool dom_match = (days_of_month_ & (1u << day_of_month)) != 0;
  bool dow_match = (days_of_week_ & (1u << weekday)) != 0;
  if (day_of_month_star_ || day_of_week_star_) return dom_match && dow_match;
  return dom_match || dow_match;
}

std::optional<int> CronSchedule::FirstMinuteAtOrAfter(int minute_of_day) const {
  int first_minute = minute_of_day % 60;
  for (int hour = minute_of_day / 60; hour < 24; ++hour) {
    if ((hours_ & (1u << hour)) != 0) {
      uint64_t candidates = minutes_ & (~uint64_t{0} << first_minute);
      if (candidates != 0) return hour * 60 + std::countr_zero(candidates);
    }
    first_minute = 0;
  }
  return std::nullopt;
}

std::optional<Instant> CronSchedule::NextAfter(Instant after) const {
  // Work in local wall-clock time, expressed on the system_clock axis (UTC+7 has no DST, so the
  // mapping is a fixed shift).
  const Instant local_after = after + kVietnamOffset;
  const Instant local_limit = local_after + kSearchHorizon;
  const auto first_candidate = std::chrono::floor<minutes>(local_after) + minutes{1};

  sys_days day = std::chrono::floor<days>(first_candidate);
  int minute_of_day = static_cast<int>((first_candidate - day).count());
  const sys_days last_day = std::chrono::floor<days>(local_limit);

  while (day <= last_day) {
    const year_month_day ymd{day};
    const unsigned month = static_cast<unsigned>(ymd.month());
    if ((months_ & (1u << month)) == 0) {
      // Skip the rest of the month.
      const auto next_month =
          std::chrono::year_month{ymd.year(), ymd.month()} + std::chrono::months{1};
      day = sys_days{next_month / std::chrono::day{1}};
      minute_of_day = 0;
      continue;
    }
    const unsigned weekday = std::chrono::weekday{day}.c_encoding();
    if (DayMatches(month, static_cast<unsigned>(ymd.day()), weekday)) {
      if (std::optional<int> minute = FirstMinuteAtOrAfter(minute_of_day)) {
        const auto local_fire =
            std::chrono::time_point_cast<std::chrono::milliseconds>(day + minutes{*minute});
        if (local_fire > local_limit) return std::nullopt;
        return Instant(local_fire.time_since_epoch() - kVietnamOffset);
      }
    }
    day += days{1};
    minute_of_day = 0;
  }
  return std::nullopt;
}

}  // namespace ucsc::core
