// Notices (DOMAIN.md §3.3): the recipients file, the clock events a set of notices proves
// (R8 notification to owner + coordinating agency + specialised unit, R11 Form 04, R12
// acknowledgement of each notice received) and the report facts they fill.
#include "incident/notices.h"

#include <gtest/gtest.h>

#include "incident/clocks.h"

namespace ucsc::incident {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

core::Instant Local(int y, unsigned m, unsigned d, int hh = 0, int mm = 0) {
  return core::StartOfLocalDay({y, m, d}) + hours(hh) + minutes(mm);
}

const Recipients& Parties() {
  static const Recipients kSet = [] {
    auto r = LoadRecipients(std::string(UCSC_SOURCE_DIR) + "/data/incident/recipients.yaml");
    EXPECT_TRUE(r) << r.error().ToString();
    return r ? *r : Recipients{};
  }();
  return kSet;
}

const ClockSet& Clocks() {
  static const ClockSet kSet = [] {
    auto set = LoadClocks(std::string(UCSC_SOURCE_DIR) + "/data/incident/clocks.yaml");
    EXPECT_TRUE(set) << set.error().ToString();
    return set ? *set : ClockSet{};
  }();
  return kSet;
}

ClockStatus Clock(std::string_view id, const std::vector<Event>& ev, core::Instant now) {
  const ClockDef* def = Clocks().Find(id);
  EXPECT_NE(def, nullptr) << id;
  if (def == nullptr) return {};
  auto all = EvaluateClock(*def, ev, now);
  EXPECT_EQ(all.size(), 1U);
  return all.empty() ? ClockStatus{} : all[0];
}

Notice Sent(std::string id, std::string document, std::string party, core::Instant at,
            std::string ref = {}) {
  Notice n;
  n.id = std::move(id);
  n.direction = NoticeDirection::kSent;
  n.document = std::move(document);
  n.party = std::move(party);
  n.channel = "email";
  n.reference_no = std::move(ref);
  n.at = at;
  return n;
}

int Count(const std::vector<Event>& ev, EventKind k) {
  int n = 0;
  for (const auto& e : ev) n += e.kind == k ? 1 : 0;
  return n;
}

TEST(RecipientsFile, ListsTheDomainPartiesAndWhatEachDocumentNeeds) {
  const Recipients& r = Parties();
  EXPECT_EQ(r.pack, "incident-recipients@2025.1");
  for (const char* id : {"owner", "specialised_unit", "national_coordinator", "provincial_steering",
                         "provincial_police", "science_department"}) {
    EXPECT_NE(r.Party(id), nullptr) << id;
  }
  ASSERT_NE(r.Document("notification"), nullptr);
  EXPECT_EQ(r.Document("notification")->rule, "R8");
  EXPECT_EQ(r.Document("notification")->required,
            (std::vector<std::string>{"owner", "national_coordinator", "specialised_unit"}));
  ASSERT_NE(r.Document("closing_report"), nullptr);
  EXPECT_EQ(r.Document("closing_report")->event, EventKind::kClosingReportSent);
  EXPECT_EQ(r.Document("closing_report")->required,
            (std::vector<std::string>{"owner", "national_coordinator"}));
}

TEST(RecipientsFile, RejectsUnknownPartiesKeysAndEvents) {
  const std::string head =
      "pack: p\nversion: '1'\nparties:\n  - id: owner\n    title: {vi: a, en: b}\n";
  auto bad_party = ParseRecipients(
      head +
          "documents:\n  - id: n\n    title: {vi: a, en: b}\n    event: notification_sent\n"
          "    required: [police]\n",
      "r.yaml");
  ASSERT_FALSE(bad_party);
  EXPECT_NE(bad_party.error().message.find("r.yaml:10: unknown party \"police\""),
            std::string::npos)
      << bad_party.error().message;
  auto bad_key = ParseRecipients(head +
                                     "documents:\n  - id: n\n    title: {vi: a, en: b}\n"
                                     "    deadline: 5\n",
                                 "r.yaml");
  ASSERT_FALSE(bad_key);
  EXPECT_NE(bad_key.error().message.find("unknown key \"deadline\""), std::string::npos);
  auto bad_event = ParseRecipients(head +
                                       "documents:\n  - id: n\n    title: {vi: a, en: b}\n"
                                       "    event: closed\n    required: [owner]\n",
                                   "r.yaml");
  ASSERT_FALSE(bad_event);
  EXPECT_NE(bad_event.error().message.find("\"closed\""), std::string::npos);
}

// R8 is met only when the notification reached all three parties; the event carries the time of
// the last of them (TT20 Art 9.2a "đồng thời").
TEST(NoticeEvents, TheNotificationCountsWhenEveryRequiredPartyHasIt) {
  const core::Instant t0 = Local(2026, 1, 28, 9);
  std::vector<Notice> n{Sent("a", "notification", "owner", t0),
                        Sent("b", "notification", "national_coordinator", t0 + hours(1))};
  auto ev = NoticeEvents(Parties(), n);
  EXPECT_EQ(Count(ev, EventKind::kNoticeSent), 2);
  EXPECT_EQ(Count(ev, EventKind::kNotificationSent), 0);
  n.push_back(Sent("c", "notification", "specialised_unit", t0 + hours(2)));
  ev = NoticeEvents(Parties(), n);
  ASSERT_EQ(Count(ev, EventKind::kNotificationSent), 1);
  for (const auto& e : ev) {
    if (e.kind == EventKind::kNotificationSent) {
      EXPECT_EQ(e.at, t0 + hours(2));
      EXPECT_EQ(e.ref, "c");
    }
  }
  // Recording the third adds exactly its notice_sent and the notification_sent.
  auto added = NewEvents(NoticeEvents(Parties(), {n[0], n[1]}), ev);
  ASSERT_EQ(added.size(), 2U);
  EXPECT_EQ(added[0].kind, EventKind::kNoticeSent);
  EXPECT_EQ(added[1].kind, EventKind::kNotificationSent);
}

// R8 edges: detected 28/01 10:00 local, due at the end of 02/02 local (across the month end).
TEST(NoticeEvents, R8MetTheDayBeforeAndOnTheDueDayLateTheDayAfter) {
  const core::Instant detected = Local(2026, 1, 28, 10);
  auto r8 = [&](core::Instant last_send) {
    std::vector<Notice> n{Sent("a", "notification", "owner", detected + hours(1)),
                          Sent("b", "notification", "national_coordinator", detected + hours(1)),
                          Sent("c", "notification", "specialised_unit", last_send)};
    auto ev = NoticeEvents(Parties(), n);
    ev.push_back({EventKind::kDetected, detected, {}, {}, {}});
    return Clock("notification", ev, Local(2026, 2, 10));
  };
  const core::Instant due = core::EndOfLocalDay({2026, 2, 2});
  auto day_before = r8(Local(2026, 2, 1, 16));
  EXPECT_EQ(day_before.state, ClockState::kSatisfied);
  EXPECT_FALSE(day_before.late);
  EXPECT_EQ(day_before.due_at, due);
  auto minute_before = r8(due - minutes(1));
  EXPECT_EQ(minute_before.state, ClockState::kSatisfied);
  EXPECT_FALSE(minute_before.late);
  auto minute_after = r8(due + minutes(1));
  EXPECT_EQ(minute_after.state, ClockState::kSatisfied);
  EXPECT_TRUE(minute_after.late);
}

// R12: every notice received is acknowledged within the grace of "immediately" (24 h).
TEST(NoticeEvents, AReceivedNoticeStartsR12AndItsAcknowledgementMeetsIt) {
  const core::Instant at = Local(2026, 3, 31, 22);
  Notice in;
  in.id = "r1";
  in.direction = NoticeDirection::kReceived;
  in.document = "coordination_order";
  in.party = "national_coordinator";
  in.channel = "system";
  in.at = at;
  auto open = Clock("acknowledgement", NoticeEvents(Parties(), {in}), at + hours(25));
  EXPECT_EQ(open.state, ClockState::kOverdue);
  EXPECT_EQ(open.ref, "r1");
  in.acknowledged_at = at + hours(24) - minutes(1);
  auto met = Clock("acknowledgement", NoticeEvents(Parties(), {in}), at + hours(30));
  EXPECT_EQ(met.state, ClockState::kSatisfied);
  EXPECT_FALSE(met.late);
  in.acknowledged_at = at + hours(24) + minutes(1);
  auto late = Clock("acknowledgement", NoticeEvents(Parties(), {in}), at + hours(30));
  EXPECT_TRUE(late.late);
}

TEST(NoticeEvents, TheClosingReportFillsForm04TimeAndNumberOnce) {
  const core::Instant t = Local(2026, 6, 30, 15);
  std::vector<Notice> n{
      Sent("a", "closing_report", "owner", t, "15/BC-SYT"),
      Sent("b", "closing_report", "national_coordinator", t + hours(1), "15/BC-SYT")};
  Incident inc;
  ApplyNoticeFacts(NoticeEvents(Parties(), n), n, inc);
  EXPECT_EQ(inc.closing_report.reported_at, t + hours(1));
  EXPECT_EQ(inc.closing_report.reference_no, "15/BC-SYT");
  EXPECT_EQ(core::ToUnixMillis(inc.initial_report.reported_at), 0);
  // A second round does not move the first closing report's time.
  n.push_back(Sent("c", "closing_report", "owner", t + hours(5)));
  n.push_back(Sent("d", "closing_report", "national_coordinator", t + hours(6)));
  ApplyNoticeFacts(NoticeEvents(Parties(), n), n, inc);
  EXPECT_EQ(inc.closing_report.reported_at, t + hours(1));
}

TEST(ValidateNotice, NamesTheBadField) {
  Incident inc;
  inc.detected_at = Local(2026, 5, 5, 8);
  const core::Instant now = Local(2026, 5, 6, 8);
  Notice n = Sent("x", "notification", "owner", Local(2026, 5, 5, 9));
  EXPECT_TRUE(ValidateNotice(Parties(), inc, n, now));
  auto field = [&](Notice bad) {
    auto st = ValidateNotice(Parties(), inc, bad, now);
    return st ? std::string() : st.error().field;
  };
  Notice d = n;
  d.document = "form99";
  EXPECT_EQ(field(d), "/document");
  Notice p = n;
  p.party = "vncert2";
  EXPECT_EQ(field(p), "/party");
  Notice c = n;
  c.channel = "pigeon";
  EXPECT_EQ(field(c), "/channel");
  Notice future = n;
  future.at = now + minutes(1);
  EXPECT_EQ(field(future), "/at");
  Notice early = n;
  early.at = inc.detected_at - minutes(1);
  EXPECT_EQ(field(early), "/at");
}

TEST(Addressees, NameTheCurrentBodiesAndTheIncidentsOwner) {
  Incident inc;
  inc.notification.owner_name = "UBND tỉnh Thái Nguyên";
  auto to = Addressees(Parties(), "closing_report", inc);
  ASSERT_EQ(to.size(), 2U);
  EXPECT_EQ(to[0], "UBND tỉnh Thái Nguyên");
  EXPECT_NE(to[1].find("Trung tâm An ninh mạng quốc gia"), std::string::npos);
}

}  // namespace
}  // namespace ucsc::incident
