// Legal time (DESIGN.md "Contracts: Legal time"): instants are UTC; legal dates are calendar dates
// in Asia/Ho_Chi_Minh (UTC+7, no DST). Pure functions; thread-safe.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"

namespace ucsc::core {

inline constexpr std::chrono::hours kVietnamOffset{7};

struct LocalDate {
  int year = 1970;
  unsigned month = 1;  // 1..12
  unsigned day = 1;    // 1..31
  friend auto operator<=>(const LocalDate&, const LocalDate&) = default;
};

// Returns the local (UTC+7) calendar date of `t`.
LocalDate LocalDateOf(Instant t);
// Returns 23:59:59.999 local time of `d` as a UTC instant ("--at DATE", "by 20/6").
Instant EndOfLocalDay(LocalDate d);
// Returns 00:00 local time of `d` as a UTC instant.
Instant StartOfLocalDay(LocalDate d);
// Adds calendar days.
LocalDate AddDays(LocalDate d, int days);
// Adds calendar months, clamping the day to the month's end (31/08 + 6 months = 28/02 or 29/02).
LocalDate AddMonthsClamped(LocalDate d, int months);
// True for a real calendar date.
bool IsValidDate(LocalDate d);

// Parses "YYYY-MM-DD"; nullopt on anything else (including 2026-02-30).
std::optional<LocalDate> ParseIsoDate(std::string_view s);
// "YYYY-MM-DD".
std::string FormatIsoDate(LocalDate d);
// "dd/mm/yyyy" (GLOSSARY.md UI date).
std::string FormatVnDate(LocalDate d);
// RFC 3339 in UTC with milliseconds: "2026-11-25T04:05:06.007Z".
std::string FormatRfc3339Utc(Instant t);
// RFC 3339 with +07:00 (machine output in Vietnam time).
std::string FormatRfc3339Local(Instant t);
// Parses RFC 3339 ("Z" or ±hh:mm offset, optional fraction); nullopt when malformed.
std::optional<Instant> ParseRfc3339(std::string_view s);

}  // namespace ucsc::core
