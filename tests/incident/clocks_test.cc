#include "incident/clocks.h"

#include <gtest/gtest.h>

namespace ucsc::incident {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;

// Local (UTC+7) wall time.
core::Instant Local(int y, unsigned m, unsigned d, int hh = 0, int mm = 0) {
  return core::StartOfLocalDay({y, m, d}) + hours(hh) + minutes(mm);
}

const ClockSet& Clocks() {
  static const ClockSet kSet = [] {
    auto set = LoadClocks(std::string(UCSC_SOURCE_DIR) + "/data/incident/clocks.yaml");
    EXPECT_TRUE(set) << set.error().ToString();
    return set ? *set : ClockSet{};
  }();
  return kSet;
}

std::vector<ClockStatus> Eval(std::string_view id, const std::vector<Event>& ev,
                              core::Instant now) {
  const ClockDef* def = Clocks().Find(id);
  EXPECT_NE(def, nullptr) << id;
  return def ? EvaluateClock(*def, ev, now) : std::vector<ClockStatus>{};
}

ClockStatus One(std::string_view id, const std::vector<Event>& ev, core::Instant now) {
  auto all = Eval(id, ev, now);
  EXPECT_EQ(all.size(), 1u);
  return all.empty() ? ClockStatus{} : all[0];
}

Event E(EventKind k, core::Instant at, std::string ref = {}) { return Event{k, at, ref, {}, {}}; }

TEST(ClockPack, LoadsEveryRuleWithLegalBasis) {
  std::set<std::string> rules;
  for (const auto& c : Clocks().clocks) {
    rules.insert(c.rule);
    EXPECT_FALSE(c.basis.document.empty()) << c.id;
    EXPECT_FALSE(c.title.vi.empty()) << c.id;
  }
  EXPECT_EQ(rules, (std::set<std::string>{"R8", "R9", "R10", "R11", "R12", "R15", "R16", "R18"}));
  EXPECT_EQ(Clocks().pack, "incident-clocks@2026.1");
}

// Detected at 06:00 local on 27/01 (still 26/01 in UTC): the 5 days run on the local date and
// cross the month end to 01/02 23:59:59 local.
const core::Instant kDetected = Local(2026, 1, 27, 6);

TEST(ClockR8, NotStartedWithoutDetection) {
  auto s = One("notification", {}, Local(2026, 1, 28));
  EXPECT_EQ(s.state, ClockState::kNotStarted);
  EXPECT_EQ(s.rule, "R8");
}

TEST(ClockR8, DueAtEndOfLocalDayFiveDaysLaterAcrossMonthEnd) {
  auto s = One("notification", {E(EventKind::kDetected, kDetected)}, Local(2026, 1, 28));
  EXPECT_EQ(s.state, ClockState::kRunning);
  ASSERT_TRUE(s.due_at);
  EXPECT_EQ(core::FormatRfc3339Local(*s.due_at), "2026-02-01T23:59:59.999+07:00");
}

TEST(ClockR8, DayBeforeDeadlineIsRunning) {
  EXPECT_EQ(One("notification", {E(EventKind::kDetected, kDetected)}, Local(2026, 1, 31, 12)).state,
            ClockState::kRunning);
}

TEST(ClockR8, LastMinuteOfDeadlineDayIsRunning) {
  EXPECT_EQ(
      One("notification", {E(EventKind::kDetected, kDetected)}, Local(2026, 2, 1, 23, 59)).state,
      ClockState::kRunning);
}

TEST(ClockR8, DayAfterDeadlineIsOverdue) {
  auto s = One("notification", {E(EventKind::kDetected, kDetected)}, Local(2026, 2, 2));
  EXPECT_EQ(s.state, ClockState::kOverdue);
}

TEST(ClockR8, SentOnDeadlineDayIsSatisfiedOnTime) {
  auto s = One("notification",
               {E(EventKind::kDetected, kDetected),
                E(EventKind::kNotificationSent, Local(2026, 2, 1, 23, 30))},
               Local(2026, 2, 10));
  EXPECT_EQ(s.state, ClockState::kSatisfied);
  EXPECT_FALSE(s.late);
}

TEST(ClockR8, SentDayAfterIsSatisfiedLate) {
  auto s = One(
      "notification",
      {E(EventKind::kDetected, kDetected), E(EventKind::kNotificationSent, Local(2026, 2, 2, 8))},
      Local(2026, 2, 10));
  EXPECT_EQ(s.state, ClockState::kSatisfied);
  EXPECT_TRUE(s.late);
}

TEST(ClockR8, EventsAfterNowAreIgnored) {
  auto s =
      One("notification",
          {E(EventKind::kDetected, kDetected), E(EventKind::kNotificationSent, Local(2026, 1, 30))},
          Local(2026, 1, 29));
  EXPECT_EQ(s.state, ClockState::kRunning);
}

TEST(ClockR9, AppliesOnlyWhenNotifiedBeforeHandlingEnded) {
  const auto ended = Local(2026, 3, 10, 9);
  auto not_notified = One("follow_up", {E(EventKind::kResponseEnded, ended)}, ended + hours(1));
  EXPECT_EQ(not_notified.state, ClockState::kNotStarted);
  std::vector<Event> ev{E(EventKind::kNotificationSent, Local(2026, 3, 2)),
                        E(EventKind::kResponseEnded, ended)};
  EXPECT_EQ(One("follow_up", ev, ended + hours(24)).state, ClockState::kRunning);
  EXPECT_EQ(One("follow_up", ev, ended + hours(24) + milliseconds(1)).state, ClockState::kOverdue);
  ev.push_back(E(EventKind::kFollowUpSent, ended + hours(3)));
  EXPECT_EQ(One("follow_up", ev, ended + hours(48)).state, ClockState::kSatisfied);
}

TEST(ClockR10, Form03DueWithinGraceOfBeyondCapacity) {
  const auto beyond = Local(2026, 4, 30, 22);  // grace crosses the month end
  std::vector<Event> ev{E(EventKind::kDetected, Local(2026, 4, 30, 8)),
                        E(EventKind::kBeyondCapacity, beyond)};
  auto s = One("initial_report", ev, beyond + hours(23));
  EXPECT_EQ(s.state, ClockState::kRunning);
  EXPECT_EQ(core::FormatRfc3339Local(*s.due_at), "2026-05-01T22:00:00.000+07:00");
  EXPECT_EQ(One("initial_report", ev, beyond + hours(25)).state, ClockState::kOverdue);
}

TEST(ClockR10, FirstTriggerOfEitherKindStartsIt) {
  std::vector<Event> ev{E(EventKind::kPossiblySerious, Local(2026, 5, 2, 10)),
                        E(EventKind::kBeyondCapacity, Local(2026, 5, 3, 10)),
                        E(EventKind::kInitialReportSent, Local(2026, 5, 3, 9))};
  auto s = One("initial_report", ev, Local(2026, 5, 4));
  EXPECT_EQ(*s.started_at, Local(2026, 5, 2, 10));
  EXPECT_EQ(s.state, ClockState::kSatisfied);
  EXPECT_FALSE(s.late);
}

TEST(ClockR10, NotStartedForANormalIncidentWithinCapacity) {
  EXPECT_EQ(One("initial_report", {E(EventKind::kDetected, kDetected)}, Local(2026, 3, 1)).state,
            ClockState::kNotStarted);
}

TEST(ClockR11, Form04FiveDaysAfterResponseEndsAcrossMonthEnd) {
  std::vector<Event> ev{E(EventKind::kResponseEnded, Local(2026, 6, 27, 15))};
  auto s = One("closing_report", ev, Local(2026, 7, 1, 12));  // day before
  EXPECT_EQ(s.state, ClockState::kRunning);
  EXPECT_EQ(core::FormatIsoDate(core::LocalDateOf(*s.due_at)), "2026-07-02");
  EXPECT_EQ(One("closing_report", ev, Local(2026, 7, 2, 23)).state, ClockState::kRunning);
  EXPECT_EQ(One("closing_report", ev, Local(2026, 7, 3)).state, ClockState::kOverdue);
}

TEST(ClockR11, ReopeningRestartsFromTheLatestResponseEnd) {
  std::vector<Event> ev{E(EventKind::kResponseEnded, Local(2026, 6, 1)),
                        E(EventKind::kClosingReportSent, Local(2026, 6, 2)),
                        E(EventKind::kReopened, Local(2026, 6, 10)),
                        E(EventKind::kResponseEnded, Local(2026, 6, 20))};
  auto s = One("closing_report", ev, Local(2026, 6, 21));
  EXPECT_EQ(s.state, ClockState::kRunning);  // the Form 04 of 02/06 is for the first closure
  EXPECT_EQ(core::FormatIsoDate(core::LocalDateOf(*s.due_at)), "2026-06-25");
}

TEST(ClockR12, EachNoticeHasItsOwnAcknowledgementClock) {
  const auto t0 = Local(2026, 8, 3, 9);
  std::vector<Event> ev{E(EventKind::kNoticeReceived, t0, "n-1"),
                        E(EventKind::kNoticeReceived, t0 + hours(2), "n-2"),
                        E(EventKind::kAcknowledgementSent, t0 + hours(1), "n-1")};
  auto all = Eval("acknowledgement", ev, t0 + hours(30));
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].ref, "n-1");
  EXPECT_EQ(all[0].state, ClockState::kSatisfied);
  EXPECT_EQ(all[1].ref, "n-2");
  EXPECT_EQ(all[1].state, ClockState::kOverdue);
  EXPECT_EQ(all[1].rule, "R12");
}

TEST(ClockR15, ProgressReportDueEveryIntervalUntilResponseEnds) {
  const auto start = Local(2026, 9, 1, 8);
  std::vector<Event> ev{E(EventKind::kResponseStarted, start),
                        E(EventKind::kProgressReportSent, start + hours(20))};
  auto s = One("progress_report", ev, start + hours(40));
  EXPECT_EQ(s.state, ClockState::kRunning);
  EXPECT_EQ(*s.due_at, start + hours(44));
  EXPECT_EQ(One("progress_report", ev, start + hours(45)).state, ClockState::kOverdue);
  ev.push_back(E(EventKind::kResponseEnded, start + hours(43)));
  auto ended = One("progress_report", ev, start + hours(100));
  EXPECT_EQ(ended.state, ClockState::kSatisfied);
  EXPECT_FALSE(ended.late);
}

TEST(ClockR15, AGapDuringResponseIsRecordedAsLate) {
  const auto start = Local(2026, 9, 1, 8);
  std::vector<Event> ev{E(EventKind::kResponseStarted, start),
                        E(EventKind::kProgressReportSent, start + hours(30)),
                        E(EventKind::kResponseEnded, start + hours(40))};
  auto s = One("progress_report", ev, start + hours(50));
  EXPECT_EQ(s.state, ClockState::kSatisfied);
  EXPECT_TRUE(s.late);
}

TEST(ClockR16, SixMonthSummaryDueEndOf20June) {
  auto all = Eval("periodic_summary", {}, Local(2026, 6, 20, 23, 59));
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].ref, "2025-12-15");
  EXPECT_EQ(all[0].state, ClockState::kOverdue);
  EXPECT_EQ(all[1].ref, "2026-06-20");
  EXPECT_EQ(all[1].state, ClockState::kRunning);
  EXPECT_EQ(all[1].rule, "R16");
}

TEST(ClockR16, DayAfter20JuneIsOverdueAndTheYearlyOneRuns) {
  auto all = Eval("periodic_summary", {}, Local(2026, 6, 21));
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].ref, "2026-06-20");
  EXPECT_EQ(all[0].state, ClockState::kOverdue);
  EXPECT_EQ(all[1].ref, "2026-12-15");
  EXPECT_EQ(all[1].state, ClockState::kRunning);
}

TEST(ClockR16, SentOn20JuneSatisfiesIt) {
  std::vector<Event> ev{E(EventKind::kPeriodicSummarySent, Local(2026, 6, 20, 22), "form05")};
  auto all = Eval("periodic_summary", ev, Local(2026, 6, 21));
  EXPECT_EQ(all[0].state, ClockState::kSatisfied);
  EXPECT_EQ(all[1].state, ClockState::kRunning);  // the window of 15/12 opens on 21/06
}

TEST(ClockR16, SentOn21JuneCountsForTheDecemberDeadlineOnly) {
  std::vector<Event> ev{E(EventKind::kPeriodicSummarySent, Local(2026, 6, 21, 9), "form05")};
  auto all = Eval("periodic_summary", ev, Local(2026, 6, 22));
  EXPECT_EQ(all[0].state, ClockState::kOverdue);
  EXPECT_EQ(all[1].state, ClockState::kSatisfied);
}

TEST(ClockR16, Across15DecemberCutOff) {
  auto day_of = Eval("periodic_summary", {}, Local(2026, 12, 15, 12));
  EXPECT_EQ(day_of[1].ref, "2026-12-15");
  EXPECT_EQ(day_of[1].state, ClockState::kRunning);
  auto after = Eval("periodic_summary", {}, Local(2026, 12, 16));
  EXPECT_EQ(after[0].ref, "2026-12-15");
  EXPECT_EQ(after[0].state, ClockState::kOverdue);
  EXPECT_EQ(after[1].ref, "2027-06-20");
}

TEST(ClockR18, UnitSummaryIsNotSatisfiedByAForm05) {
  std::vector<Event> ev{E(EventKind::kPeriodicSummarySent, Local(2026, 6, 10), "form05")};
  auto all = Eval("specialised_unit_summary", ev, Local(2026, 6, 21));
  EXPECT_EQ(all[0].state, ClockState::kOverdue);
  ev.push_back(E(EventKind::kPeriodicSummarySent, Local(2026, 6, 11), "unit_summary"));
  EXPECT_EQ(Eval("specialised_unit_summary", ev, Local(2026, 6, 21))[0].state,
            ClockState::kSatisfied);
}

TEST(ClockParse, BadFilesNameLineAndReason) {
  struct Case {
    const char* text;
    const char* needle;
  };
  const std::string head = "pack: p\nversion: \"1\"\nclocks:\n";
  const std::string ok_clock =
      "  - id: a\n    rule: R8\n    title: {vi: a, en: a}\n    basis: {document: d, article: x}\n";
  const Case cases[] = {
      {"    kind: deadline\n    start: [found]\n    satisfied_by: [notification_sent]\n    "
       "within_days: 5\n",
       "unknown event kind \"found\""},
      {"    kind: deadline\n    start: [detected]\n    satisfied_by: [notification_sent]\n",
       "exactly one of within_days"},
      {"    kind: deadline\n    start: [detected]\n    satisfied_by: [notification_sent]\n    "
       "within_days: 5\n    within_hours: 2\n",
       "exactly one of within_days"},
      {"    kind: timer\n", "unknown kind"},
      {"    kind: calendar\n    deadlines: [\"06-31\"]\n    satisfied_by: [closed]\n", "not MM-DD"},
      {"    kind: deadline\n    start: [detected]\n    satisfied_by: [closed]\n    within_days: "
       "5\n    colour: red\n",
       "unknown key \"colour\""},
      {"    kind: deadline\n    start: [detected]\n    satisfied_by: [closed]\n    within_days: "
       "-1\n",
       "must be positive"},
  };
  for (const auto& c : cases) {
    auto set = ParseClocks(head + ok_clock + c.text, "clocks.yaml");
    ASSERT_FALSE(set) << c.needle;
    EXPECT_NE(set.error().message.find("clocks.yaml:"), std::string::npos);
    EXPECT_NE(set.error().message.find(c.needle), std::string::npos) << set.error().message;
  }
  auto malformed = ParseClocks("pack: [", "x.yaml");
  ASSERT_FALSE(malformed);
  EXPECT_EQ(malformed.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(LoadClocks("/nonexistent/clocks.yaml").error().code, core::ErrorCode::kNotFound);
}

TEST(ClockEvaluate, AllClocksOfANewIncident) {
  auto all = Evaluate(Clocks(), {E(EventKind::kDetected, kDetected)}, Local(2026, 1, 28));
  int running = 0;
  for (const auto& s : all) {
    if (s.rule == "R8") {
      EXPECT_EQ(s.state, ClockState::kRunning);
      ++running;
    }
    if (s.rule == "R11" || s.rule == "R10" || s.rule == "R9") {
      EXPECT_EQ(s.state, ClockState::kNotStarted) << s.rule;
    }
  }
  EXPECT_EQ(running, 1);
}

}  // namespace
}  // namespace ucsc::incident
