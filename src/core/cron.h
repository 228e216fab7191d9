// Cron schedules: parses classic 5-field cron expressions and computes their next firing instant.
// Expressions are read in Vietnam local time (Asia/Ho_Chi_Minh, UTC+7, no DST; see
// core/legal_time.h); instants in and out are UTC. Pure: no I/O, and it never reads a clock; the
// caller passes the instant to search from (usually `clock.Now()`).
// Thread-safety: CronSchedule is an immutable value after Parse; const methods are safe to call
// concurrently, and it is safe to copy between threads.
//
// Example:
//   UCSC_ASSIGN_OR_RETURN(CronSchedule nightly, CronSchedule::Parse("30 2 * * MON-FRI"));
//   std::optional<Instant> next = nightly.NextAfter(clock.Now());  // 02:30 +07:00 on a weekday
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/result.h"

namespace ucsc::core {

class CronSchedule {
 public:
  // Parses `expr`, five whitespace-separated fields "minute hour day-of-month month day-of-week",
  // in Vietnam local time. Each field is a comma-separated list of items; an item is
  //   '*'                 every value of the field;
  //   N                   one value (minute 0-59, hour 0-23, day-of-month 1-31, month 1-12,
  //                       day-of-week 0-7 where both 0 and 7 are Sunday);
  //   A-B                 an inclusive range, A <= B (no wrap-around);
  //   '*'/S, A-B/S, A/S   every S-th value of '*', of A-B, or of A up to the field's maximum
  //                       (the last as cronie does); S is 1 up to the field's size.
  // Months may be written JAN-DEC and weekdays SUN-SAT, case-insensitively, anywhere a number is
  // allowed (e.g. "MON-FRI", "jan,jul"). Macros (case-insensitive): @yearly/@annually "0 0 1 1 *",
  // @monthly "0 0 1 * *", @weekly "0 0 * * 0", @daily/@midnight "0 0 * * *", @hourly "0 * * * *".
  //
  // Day-of-month and day-of-week follow Vixie cron: a field that begins with '*' is unrestricted
  // (so "*/2" counts as unrestricted, exactly as in Vixie cron and cronie). When both are
  // restricted, a day matches if either matches ("0 0 13 * FRI" fires on every 13th and every
  // Friday); otherwise a day must match both.
  //
  // Returns kInvalidArgument when `expr` is malformed, with a message naming the bad field, e.g.
  // "hour: 24 is out of range 0-23" or "minute: step 0 is out of range 1-60". Error::field is left
  // empty: the caller knows where the expression came from. An expression that is well-formed but
  // can never fire ("0 0 30 2 *") parses; NextAfter then returns nullopt.
  // `expr` is copied; the schedule does not refer to it afterwards.
  [[nodiscard]] static Result<CronSchedule> Parse(std::string_view expr);

  // Returns the first instant strictly after `after` at which the schedule fires: second 0 (and
  // millisecond 0) of a matching minute in Vietnam local time, returned as a UTC instant. Returns
  // nullopt if there is none within 5 years (std::chrono::years{5}, i.e. 5 x 365.2425 days) of
  // `after`, e.g. for "0 0 30 2 *".
  // REQUIRES: `after` lies in years 0001-9999 (std::chrono calendar range).
  // Runs in time proportional to the number of days searched (at most about 1,830), skipping
  // whole months that cannot match; it never steps minute by minute.
  std::optional<Instant> NextAfter(Instant after) const;

  // Returns the expression as given to Parse, without surrounding whitespace. The reference is
  // valid for the lifetime of this object.
  const std::string& text() const { return text_; }

 private:
  CronSchedule() = default;

  // True if local calendar day (`month` 1-12, `day_of_month` 1-31, `weekday` 0-6 with 0 = Sunday)
  // can fire.
  bool DayMatches(unsigned month, unsigned day_of_month, unsigned weekday) const;
  // Returns the first matching minute of the day at or after `minute_of_day` (0-1439), if any.
  std::optional<int> FirstMinuteAtOrAfter(int minute_of_day) const;

  std::string text_;
  uint64_t minutes_ = 0;        // bit m for minute m, 0-59
  uint32_t hours_ = 0;          // bit h for hour h, 0-23
  uint32_t days_of_month_ = 0;  // bit d for day d, 1-31
  uint16_t months_ = 0;         // bit m for month m, 1-12
  uint8_t days_of_week_ = 0;    // bit w for weekday w, 0-6 (0 = Sunday)
  bool day_of_month_star_ = false;
  bool day_of_week_star_ = false;
};

}  // namespace ucsc::core
