#include "core/cron.h"

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/legal_time.h"

namespace ucsc::core {
namespace {

Instant At(std::string_view rfc3339) {
  std::optional<Instant> t = ParseRfc3339(rfc3339);
  EXPECT_TRUE(t.has_value()) << rfc3339;
  return t.value_or(Instant{});
}

CronSchedule MustParse(std::string_view expr) {
  Result<CronSchedule> schedule = CronSchedule::Parse(expr);
  EXPECT_TRUE(schedule.has_value()) << expr << ": " << schedule.error().message;
  return *std::move(schedule);
}

// The next `count` firings after `from`, in RFC 3339 +07:00 ("none" once the search gives up).
std::vector<std::string> Firings(std::string_view expr, std::string_view from, int count = 1) {
  CronSchedule schedule = MustParse(expr);
  std::vector<std::string> out;
  Instant t = At(from);
  for (int firing_idx = 0; firing_idx < count; ++firing_idx) {
    std::optional<Instant> next = schedule.NextAfter(t);
    if (!next) {
      out.emplace_back("none");
      break;
    }
    out.push_back(FormatRfc3339Local(*next));
    t = *next;
  }
  return out;
}

std::string Next(std::string_view expr, std::string_view from) { return Firings(expr, from)[0]; }

using Strings = std::vector<std::string>;

std::string ParseErrorMessage(std::string_view expr) {
  Result<CronSchedule> schedule = CronSchedule::Parse(expr);
  if (schedule) return "parsed";
  EXPECT_EQ(schedule.error().code, ErrorCode::kInvalidArgument) << expr;
  return schedule.error().message;
}

TEST(Cron, EveryMinuteFiresAtSecondZeroOfTheNextMinute) {
  EXPECT_EQ(Next("* * * * *", "2026-03-10T10:15:30.250+07:00"), "2026-03-10T10:16:00.000+07:00");
}

TEST(Cron, NextIsStrictlyAfter) {
  EXPECT_EQ(Next("0 9 * * *", "2026-03-10T09:00:00.000+07:00"), "2026-03-11T09:00:00.000+07:00");
  EXPECT_EQ(Next("0 9 * * *", "2026-03-10T08:59:59.999+07:00"), "2026-03-10T09:00:00.000+07:00");
  EXPECT_EQ(Next("0 9 * * *", "2026-03-10T09:00:00.001+07:00"), "2026-03-11T09:00:00.000+07:00");
}

TEST(Cron, Numbers) {
  EXPECT_EQ(Firings("30 9 * * *", "2026-03-10T12:00:00+07:00", 2),
            (Strings{"2026-03-11T09:30:00.000+07:00", "2026-03-12T09:30:00.000+07:00"}));
  EXPECT_EQ(Next("0 0 1 1 *", "2026-03-10T12:00:00+07:00"), "2027-01-01T00:00:00.000+07:00");
  // Leading zeros are plain numbers.
  EXPECT_EQ(Next("05 09 * * *", "2026-03-10T12:00:00+07:00"), "2026-03-11T09:05:00.000+07:00");
}

TEST(Cron, Lists) {
  EXPECT_EQ(Firings("0 0 1,15 * *", "2026-03-02T00:00:00+07:00", 3),
            (Strings{"2026-03-15T00:00:00.000+07:00", "2026-04-01T00:00:00.000+07:00",
                     "2026-04-15T00:00:00.000+07:00"}));
  EXPECT_EQ(Firings("5,10 * * * *", "2026-03-10T10:07:00+07:00", 3),
            (Strings{"2026-03-10T10:10:00.000+07:00", "2026-03-10T11:05:00.000+07:00",
                     "2026-03-10T11:10:00.000+07:00"}));
  // Lists mix numbers, ranges and steps.
  EXPECT_EQ(Firings("0 1,3-4,20-23/2 * * *", "2026-03-10T00:00:00+07:00", 6),
            (Strings{"2026-03-10T01:00:00.000+07:00", "2026-03-10T03:00:00.000+07:00",
                     "2026-03-10T04:00:00.000+07:00", "2026-03-10T20:00:00.000+07:00",
                     "2026-03-10T22:00:00.000+07:00", "2026-03-11T01:00:00.000+07:00"}));
}

TEST(Cron, Ranges) {
  // Friday 13/03/2026 after 09:00 -> Monday 16/03.
  EXPECT_EQ(Firings("0 9 * * 1-5", "2026-03-13T10:00:00+07:00", 2),
            (Strings{"2026-03-16T09:00:00.000+07:00", "2026-03-17T09:00:00.000+07:00"}));
  EXPECT_EQ(Firings("58-59 23 * * *", "2026-12-31T00:00:00+07:00", 3),
            (Strings{"2026-12-31T23:58:00.000+07:00", "2026-12-31T23:59:00.000+07:00",
                     "2027-01-01T23:58:00.000+07:00"}));
}

TEST(Cron, Steps) {
  EXPECT_EQ(Firings("*/15 * * * *", "2026-03-10T10:00:00+07:00", 4),
            (Strings{"2026-03-10T10:15:00.000+07:00", "2026-03-10T10:30:00.000+07:00",
                     "2026-03-10T10:45:00.000+07:00", "2026-03-10T11:00:00.000+07:00"}));
  EXPECT_EQ(Firings("0-30/10 * * * *", "2026-03-10T10:00:00+07:00", 4),
            (Strings{"2026-03-10T10:10:00.000+07:00", "2026-03-10T10:20:00.000+07:00",
                     "2026-03-10T10:30:00.000+07:00", "2026-03-10T11:00:00.000+07:00"}));
  EXPECT_EQ(Firings("0 8-18/5 * * *", "2026-03-10T00:00:00+07:00", 4),
            (Strings{"2026-03-10T08:00:00.000+07:00", "2026-03-10T13:00:00.000+07:00",
                     "2026-03-10T18:00:00.000+07:00", "2026-03-11T08:00:00.000+07:00"}));
  // "A/S" runs from A to the field's end, as in cronie.
  EXPECT_EQ(Firings("5/20 * * * *", "2026-03-10T10:00:00+07:00", 4),
            (Strings{"2026-03-10T10:05:00.000+07:00", "2026-03-10T10:25:00.000+07:00",
                     "2026-03-10T10:45:00.000+07:00", "2026-03-10T11:05:00.000+07:00"}));
  // Every other month, starting in January.
  EXPECT_EQ(Firings("0 0 1 */2 *", "2026-02-10T00:00:00+07:00", 2),
            (Strings{"2026-03-01T00:00:00.000+07:00", "2026-05-01T00:00:00.000+07:00"}));
}

TEST(Cron, MonthNamesAreCaseInsensitive) {
  EXPECT_EQ(Firings("0 0 1 jan,Jul *", "2026-02-01T00:00:00+07:00", 2),
            (Strings{"2026-07-01T00:00:00.000+07:00", "2027-01-01T00:00:00.000+07:00"}));
  EXPECT_EQ(Firings("0 0 1 NOV-dec *", "2026-02-01T00:00:00+07:00", 3),
            (Strings{"2026-11-01T00:00:00.000+07:00", "2026-12-01T00:00:00.000+07:00",
                     "2027-11-01T00:00:00.000+07:00"}));
}

TEST(Cron, WeekdayNamesAreCaseInsensitive) {
  CronSchedule by_name = MustParse("0 8 * * MON-fri");
  CronSchedule by_number = MustParse("0 8 * * 1-5");
  Instant t = At("2026-03-01T00:00:00+07:00");
  for (int day_idx = 0; day_idx < 30; ++day_idx) {
    std::optional<Instant> a = by_name.NextAfter(t);
    std::optional<Instant> b = by_number.NextAfter(t);
    ASSERT_TRUE(a && b);
    EXPECT_EQ(*a, *b);
    t = *a;
  }
  EXPECT_EQ(Next("0 8 * * Sat", "2026-03-10T00:00:00+07:00"), "2026-03-14T08:00:00.000+07:00");
}

TEST(Cron, SevenIsSunday) {
  // 15/03/2026 is a Sunday.
  EXPECT_EQ(Next("0 0 * * 7", "2026-03-10T00:00:00+07:00"), "2026-03-15T00:00:00.000+07:00");
  EXPECT_EQ(Next("0 0 * * 0", "2026-03-10T00:00:00+07:00"), "2026-03-15T00:00:00.000+07:00");
  EXPECT_EQ(Next("0 0 * * SUN", "2026-03-10T00:00:00+07:00"), "2026-03-15T00:00:00.000+07:00");
  // Fri-Sun through 7.
  EXPECT_EQ(Firings("0 0 * * 5-7", "2026-03-10T00:00:00+07:00", 4),
            (Strings{"2026-03-13T00:00:00.000+07:00", "2026-03-14T00:00:00.000+07:00",
                     "2026-03-15T00:00:00.000+07:00", "2026-03-20T00:00:00.000+07:00"}));
}

TEST(Cron, MacrosMatchTheirExpansions) {
  const std::vector<std::pair<std::string, std::string>> macros = {
      {"@yearly", "0 0 1 1 *"}, {"@annually", "0 0 1 1 *"}, {"@monthly", "0 0 1 * *"},
      {"@weekly", "0 0 * * 0"}, {"@daily", "0 0 * * *"},    {"@midnight", "0 0 * * *"},
      {"@hourly", "0 * * * *"}, {"@DAILY", "0 0 * * *"},
  };
  for (const auto& [macro, expansion] : macros) {
    EXPECT_EQ(Firings(macro, "2026-03-11T10:30:00+07:00", 3),
              Firings(expansion, "2026-03-11T10:30:00+07:00", 3))
        << macro;
    EXPECT_EQ(MustParse(macro).text(), macro);
  }
  EXPECT_EQ(Next("@hourly", "2026-03-11T10:30:00+07:00"), "2026-03-11T11:00:00.000+07:00");
  EXPECT_EQ(Next("@weekly", "2026-03-11T10:30:00+07:00"), "2026-03-15T00:00:00.000+07:00");
  EXPECT_EQ(Next("@monthly", "2026-03-11T10:30:00+07:00"), "2026-04-01T00:00:00.000+07:00");
  EXPECT_EQ(Next("@yearly", "2026-03-11T10:30:00+07:00"), "2027-01-01T00:00:00.000+07:00");
}

TEST(Cron, DailyFromJustBeforeLocalMidnightFiresAtLocalMidnight) {
  CronSchedule daily = MustParse("@daily");
  std::optional<Instant> next = daily.NextAfter(At("2026-06-20T23:59:30+07:00"));
  ASSERT_TRUE(next);
  EXPECT_EQ(FormatRfc3339Local(*next), "2026-06-21T00:00:00.000+07:00");
  EXPECT_EQ(FormatRfc3339Utc(*next), "2026-06-20T17:00:00.000Z");
  // Local midnight is 17:00Z: a UTC midnight start is already 07:00 local.
  EXPECT_EQ(FormatRfc3339Utc(*daily.NextAfter(At("2026-06-21T00:00:00Z"))),
            "2026-06-21T17:00:00.000Z");
}

TEST(Cron, DayOfMonthOrDayOfWeekWhenBothRestricted) {
  // Vixie cron: "13 * FRI" is every 13th and every Friday. 13/04/2026 is a Monday.
  EXPECT_EQ(Firings("0 0 13 * FRI", "2026-04-09T00:00:00+07:00", 4),
            (Strings{"2026-04-10T00:00:00.000+07:00", "2026-04-13T00:00:00.000+07:00",
                     "2026-04-17T00:00:00.000+07:00", "2026-04-24T00:00:00.000+07:00"}));
  // Odd days or Mondays (06/04 is a Monday).
  EXPECT_EQ(Firings("0 0 1-31/2 * MON", "2026-04-01T00:00:00+07:00", 4),
            (Strings{"2026-04-03T00:00:00.000+07:00", "2026-04-05T00:00:00.000+07:00",
                     "2026-04-06T00:00:00.000+07:00", "2026-04-07T00:00:00.000+07:00"}));
}

TEST(Cron, DayOfMonthAndDayOfWeekWhenOneStartsWithStar) {
  EXPECT_EQ(Firings("0 0 13 * *", "2026-04-09T00:00:00+07:00", 2),
            (Strings{"2026-04-13T00:00:00.000+07:00", "2026-05-13T00:00:00.000+07:00"}));
  EXPECT_EQ(Firings("0 0 * * FRI", "2026-04-09T00:00:00+07:00", 2),
            (Strings{"2026-04-10T00:00:00.000+07:00", "2026-04-17T00:00:00.000+07:00"}));
  // Vixie cron counts "*/2" as unrestricted, so this is odd days that are also Mondays.
  EXPECT_EQ(Firings("0 0 */2 * MON", "2026-04-01T00:00:00+07:00", 2),
            (Strings{"2026-04-13T00:00:00.000+07:00", "2026-04-27T00:00:00.000+07:00"}));
  // The month field restricts both rules: Fridays and the 13th, in November only.
  EXPECT_EQ(Firings("0 0 13 11 FRI", "2026-04-09T00:00:00+07:00", 3),
            (Strings{"2026-11-06T00:00:00.000+07:00", "2026-11-13T00:00:00.000+07:00",
                     "2026-11-20T00:00:00.000+07:00"}));
}

TEST(Cron, LeapDay) {
  EXPECT_EQ(Next("0 9 29 2 *", "2026-01-01T00:00:00+07:00"), "2028-02-29T09:00:00.000+07:00");
  EXPECT_EQ(Next("0 9 29 2 *", "2028-02-29T09:00:00+07:00"), "2032-02-29T09:00:00.000+07:00");
}

TEST(Cron, MonthEnd) {
  // Only months with 31 days.
  EXPECT_EQ(Firings("0 0 31 * *", "2026-01-31T00:00:00+07:00", 3),
            (Strings{"2026-03-31T00:00:00.000+07:00", "2026-05-31T00:00:00.000+07:00",
                     "2026-07-31T00:00:00.000+07:00"}));
  // Last minute of the year rolls into the next year.
  EXPECT_EQ(Next("59 23 31 12 *", "2026-12-31T23:59:00+07:00"), "2027-12-31T23:59:00.000+07:00");
  EXPECT_EQ(Next("59 23 31 12 *", "2026-12-31T23:58:59.999+07:00"),
            "2026-12-31T23:59:00.000+07:00");
  EXPECT_EQ(Next("0 0 30 * *", "2026-01-30T00:00:00+07:00"), "2026-03-30T00:00:00.000+07:00");
}

TEST(Cron, NeverFiringScheduleGivesUpAfterFiveYears) {
  EXPECT_EQ(Next("0 0 30 2 *", "2026-01-01T00:00:00+07:00"), "none");
  EXPECT_EQ(Next("0 0 31 4,6,9,11 *", "2026-01-01T00:00:00+07:00"), "none");
  // 2100 is not a leap year: after 29/02/2096 the next leap day is 2104, beyond the horizon.
  EXPECT_EQ(Next("0 0 29 2 *", "2096-03-01T00:00:00+07:00"), "none");
  // Just inside the horizon.
  EXPECT_EQ(Next("0 0 1 1 *", "2026-01-01T00:00:00+07:00"), "2027-01-01T00:00:00.000+07:00");
  EXPECT_EQ(Next("0 0 29 2 *", "2024-03-01T00:00:00+07:00"), "2028-02-29T00:00:00.000+07:00");
}

TEST(Cron, AgreesWithMinuteByMinuteScan) {
  // Oracle: the local-time predicate written out by hand, checked for every minute of 62 days.
  CronSchedule schedule = MustParse("*/20,7 1-3,22 13,28-31 1-3 fri,1");
  const std::function<bool(Instant)> matches = [](Instant t) {
    auto local = t + kVietnamOffset;
    auto day = std::chrono::floor<std::chrono::days>(local);
    std::chrono::year_month_day ymd{day};
    unsigned weekday = std::chrono::weekday{day}.c_encoding();
    auto minute_of_day = std::chrono::duration_cast<std::chrono::minutes>(local - day).count();
    long long hour = minute_of_day / 60;
    long long minute = minute_of_day % 60;
    unsigned dom = static_cast<unsigned>(ymd.day());
    unsigned month = static_cast<unsigned>(ymd.month());
    bool minute_ok = minute % 20 == 0 || minute == 7;
    bool hour_ok = (hour >= 1 && hour <= 3) || hour == 22;
    bool dom_ok = dom == 13 || dom >= 28;
    bool dow_ok = weekday == 5 || weekday == 1;
    return minute_ok && hour_ok && month >= 1 && month <= 3 && (dom_ok || dow_ok);
  };
  const Instant start = At("2026-01-20T00:00:00+07:00");
  const Instant end = start + std::chrono::days(62);
  std::vector<Instant> expected;
  for (Instant t = start + std::chrono::minutes(1); t <= end; t += std::chrono::minutes(1)) {
    if (matches(t)) expected.push_back(t);
  }
  std::vector<Instant> actual;
  for (std::optional<Instant> t = schedule.NextAfter(start); t && *t <= end;
       t = schedule.NextAfter(*t)) {
    actual.push_back(*t);
  }
  EXPECT_GT(expected.size(), 100u);
  EXPECT_EQ(actual, expected);
}

TEST(Cron, TextIsTheTrimmedExpression) {
  EXPECT_EQ(MustParse("  */5  *\t* * *  ").text(), "*/5  *\t* * *");
}

TEST(Cron, RejectsWrongFieldCount) {
  EXPECT_EQ(ParseErrorMessage("0 0 * * * *"),
            "cron expression needs 5 fields (minute hour day-of-month month day-of-week), got 6");
  EXPECT_EQ(ParseErrorMessage("* * * *"),
            "cron expression needs 5 fields (minute hour day-of-month month day-of-week), got 4");
  EXPECT_EQ(ParseErrorMessage(""), "cron expression is empty");
  EXPECT_EQ(ParseErrorMessage("   "), "cron expression is empty");
}

TEST(Cron, RejectsOutOfRangeValuesNamingTheField) {
  EXPECT_EQ(ParseErrorMessage("61 * * * *"), "minute: 61 is out of range 0-59");
  EXPECT_EQ(ParseErrorMessage("0 24 * * *"), "hour: 24 is out of range 0-23");
  EXPECT_EQ(ParseErrorMessage("0 0 0 * *"), "day-of-month: 0 is out of range 1-31");
  EXPECT_EQ(ParseErrorMessage("0 0 32 * *"), "day-of-month: 32 is out of range 1-31");
  EXPECT_EQ(ParseErrorMessage("0 0 * 13 *"), "month: 13 is out of range 1-12");
  EXPECT_EQ(ParseErrorMessage("0 0 * * 8"), "day-of-week: 8 is out of range 0-7");
  EXPECT_EQ(ParseErrorMessage("0 0-24 * * *"), "hour: 24 is out of range 0-23");
  EXPECT_EQ(ParseErrorMessage("99999999999999999999 * * * *"),
            "minute: 99999999999999999999 is out of range 0-59");
}

TEST(Cron, RejectsBadSteps) {
  EXPECT_EQ(ParseErrorMessage("*/0 * * * *"), "minute: step 0 is out of range 1-60");
  EXPECT_EQ(ParseErrorMessage("0 */25 * * *"), "hour: step 25 is out of range 1-24");
  EXPECT_EQ(ParseErrorMessage("*/ * * * *"), "minute: missing step in '*/'");
  EXPECT_EQ(ParseErrorMessage("*/x * * * *"), "minute: step 'x' is not a number");
  EXPECT_EQ(ParseErrorMessage("*/5/2 * * * *"), "minute: step '5/2' is not a number");
}

TEST(Cron, RejectsBackwardRanges) {
  EXPECT_EQ(ParseErrorMessage("5-1 * * * *"), "minute: range 5-1 has its start after its end");
  EXPECT_EQ(ParseErrorMessage("0 0 * * FRI-MON"),
            "day-of-week: range FRI-MON has its start after its end");
}

TEST(Cron, RejectsGarbage) {
  EXPECT_EQ(ParseErrorMessage("hello"),
            "cron expression needs 5 fields (minute hour day-of-month month day-of-week), got 1");
  EXPECT_EQ(ParseErrorMessage("a b c d e"), "minute: 'a' is not a number");
  EXPECT_EQ(ParseErrorMessage("0 0 * FOO *"),
            "month: 'FOO' is not a number or month name (JAN-DEC)");
  EXPECT_EQ(ParseErrorMessage("0 0 * * JAN"),
            "day-of-week: 'JAN' is not a number or weekday name (SUN-SAT)");
  EXPECT_EQ(ParseErrorMessage("0 0 MON * *"), "day-of-month: 'MON' is not a number");
  EXPECT_EQ(ParseErrorMessage("0 0 * MONDAY *"),
            "month: 'MONDAY' is not a number or month name (JAN-DEC)");
  EXPECT_EQ(ParseErrorMessage("1,,2 * * * *"), "minute: empty list item");
  EXPECT_EQ(ParseErrorMessage("1, * * * *"), "minute: empty list item");
  EXPECT_EQ(ParseErrorMessage("1- * * * *"), "minute: missing value in '1-'");
  EXPECT_EQ(ParseErrorMessage("-1 * * * *"), "minute: missing value in '-1'");
  EXPECT_EQ(ParseErrorMessage("*-5 * * * *"), "minute: '*' is not a number");
  EXPECT_EQ(ParseErrorMessage("+5 * * * *"), "minute: '+5' is not a number");
  EXPECT_EQ(ParseErrorMessage("0 0 ? * *"), "day-of-month: '?' is not a number");
  EXPECT_EQ(ParseErrorMessage("0 0 L * *"), "day-of-month: 'L' is not a number");
  EXPECT_EQ(ParseErrorMessage("0 0 * * MON#2"),
            "day-of-week: 'MON#2' is not a number or weekday name (SUN-SAT)");
  EXPECT_EQ(ParseErrorMessage("@reboot"),
            "unknown cron macro '@reboot' (expected @yearly, @annually, @monthly, @weekly, "
            "@daily, @midnight or @hourly)");
  EXPECT_EQ(ParseErrorMessage("@daily 0"),
            "unknown cron macro '@daily 0' (expected @yearly, @annually, @monthly, @weekly, "
            "@daily, @midnight or @hourly)");
  EXPECT_EQ(ParseErrorMessage(std::string(2000, '*')),
            "cron expression is longer than 1024 characters");
  EXPECT_NE(ParseErrorMessage(std::string_view("0 0 * * \0", 9)), "parsed");
}

}  // namespace
}  // namespace ucsc::core
