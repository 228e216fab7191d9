#include "core/legal_time.h"

#include <gtest/gtest.h>

namespace ucsc::core {
namespace {

TEST(LegalTime, LocalDateIsUtcPlusSeven) {
  // 2026-06-20T16:59:59Z is 23:59:59 on 20/06 in Vietnam; one second later is 21/06.
  auto t = *ParseRfc3339("2026-06-20T16:59:59Z");
  EXPECT_EQ(LocalDateOf(t), (LocalDate{2026, 6, 20}));
  EXPECT_EQ(LocalDateOf(t + std::chrono::seconds(1)), (LocalDate{2026, 6, 21}));
}

TEST(LegalTime, EndOfLocalDayIsLastMillisecond) {
  Instant end = EndOfLocalDay({2026, 12, 31});
  EXPECT_EQ(FormatRfc3339Local(end), "2026-12-31T23:59:59.999+07:00");
  EXPECT_EQ(FormatRfc3339Utc(end), "2026-12-31T16:59:59.999Z");
  EXPECT_EQ(FormatRfc3339Utc(StartOfLocalDay({2027, 1, 1})), "2026-12-31T17:00:00.000Z");
}

TEST(LegalTime, SixMonthsAfterAugust31ClampsToFebruaryEnd) {
  EXPECT_EQ(AddMonthsClamped({2026, 8, 31}, 6), (LocalDate{2027, 2, 28}));
  EXPECT_EQ(AddMonthsClamped({2027, 8, 31}, 6), (LocalDate{2028, 2, 29}));  // leap year
  EXPECT_EQ(AddMonthsClamped({2026, 1, 15}, -2), (LocalDate{2025, 11, 15}));
  EXPECT_EQ(AddMonthsClamped({2026, 12, 31}, 12), (LocalDate{2027, 12, 31}));
}

TEST(LegalTime, FiveDaysAfterDetection) {
  // Detected 28/02/2028 (leap year) → day 5 is 04/03/2028.
  EXPECT_EQ(AddDays({2028, 2, 28}, 5), (LocalDate{2028, 3, 4}));
  EXPECT_EQ(AddDays({2026, 12, 29}, 5), (LocalDate{2027, 1, 3}));
}

TEST(LegalTime, ParsesIsoDatesStrictly) {
  EXPECT_TRUE(ParseIsoDate("2028-02-29"));
  EXPECT_FALSE(ParseIsoDate("2026-02-29"));
  EXPECT_FALSE(ParseIsoDate("2026-13-01"));
  EXPECT_FALSE(ParseIsoDate("2026-1-01"));
  EXPECT_FALSE(ParseIsoDate("2026-01-0x"));
  EXPECT_EQ(FormatVnDate({2026, 3, 5}), "05/03/2026");
}

TEST(LegalTime, Rfc3339RoundTripAndOffsets) {
  auto a = ParseRfc3339("2026-11-25T11:54:14.250+07:00");
  ASSERT_TRUE(a);
  EXPECT_EQ(FormatRfc3339Utc(*a), "2026-11-25T04:54:14.250Z");
  EXPECT_FALSE(ParseRfc3339("2026-11-25T11:54:14"));
  EXPECT_FALSE(ParseRfc3339("2026-11-25T25:54:14Z"));
  EXPECT_FALSE(ParseRfc3339("2026-11-25T11:54:14+0700"));
}

}  // namespace
}  // namespace ucsc::core
