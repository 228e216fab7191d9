// Findings: fingerprint, lifecycle, SLA deadlines and reconciliation (src/scan/findings.h).
// Rule ids are DOMAIN.md's: R2 (a vulnerability scan per system with findings and remediation
// tickets), R6 (an exploitable finding opens remediation and hunt tasks together). Dates follow
// DESIGN.md "Legal time": Vietnam calendar days, a deadline ends 23:59:59 local.
#include "scan/findings.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "shared_data.h"

namespace ucsc::scan {
namespace {

using core::Instant;
using core::LocalDate;
using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;

const core::SystemId kSystem("0190a0e0-0000-7000-8000-000000000001");
const core::SystemId kOtherSystem("0190a0e0-0000-7000-8000-000000000002");

// Local (UTC+7) wall-clock time as a UTC instant.
Instant Local(int y, unsigned mo, unsigned d, int h = 0, int mi = 0) {
  return core::StartOfLocalDay(LocalDate{y, mo, d}) + hours(h) + minutes(mi);
}

Observation Ssh(std::string asset = "10.0.0.5", uint16_t port = 22) {
  Observation o;
  o.system = kSystem;
  o.asset = std::move(asset);
  o.port = port;
  o.cpe = "cpe:2.3:a:openbsd:openssh:8.9:p1:*:*:*:*:*:*";
  o.cve = "CVE-2024-6387";
  o.tier = Tier::kConfirmed;
  o.severity = Severity::kHigh;
  return o;
}

Observation Nginx(std::string asset = "10.0.0.5") {
  Observation o = Ssh(std::move(asset), 443);
  o.cpe = "cpe:2.3:a:f5:nginx:1.22.1";
  o.cve = "CVE-2023-44487";
  return o;
}

// ---- fingerprint ----

TEST(FindingFingerprint, GoldenValueOfTheDocumentedFormat) {
  // SHA-256 of "ucsc-finding-v1;" + each field as "<length>:<value>;", first 16 bytes in hex
  // (computed independently with Python's hashlib). Stored fingerprints must never change.
  EXPECT_EQ(Fingerprint(Ssh()), "a6891f0144137c89b05c8a4aee1d0b1b");
}

TEST(FindingFingerprint, SameFindingAcrossScans) {
  Observation a = Ssh();
  Observation b = Ssh();
  // What changes between scans or data refreshes does not change the identity.
  b.cpe = "cpe:2.3:a:openbsd:openssh:9.3:p1:*:*:*:*:*:*";  // upgraded, still vulnerable
  b.tier = Tier::kPossible;
  b.severity = Severity::kCritical;
  b.kev_due = LocalDate{2024, 7, 22};
  EXPECT_EQ(Fingerprint(a), Fingerprint(b));
  Finding first = NewFinding(a, Local(2026, 1, 5, 9));
  Finding later = NewFinding(b, Local(2026, 6, 5, 9));
  EXPECT_EQ(first.fingerprint, later.fingerprint);
  EXPECT_EQ(first.fingerprint, Fingerprint(first));
}

TEST(FindingFingerprint, CaseAndBindingOfNamesDoNotMatter) {
  Observation lower = Ssh();
  Observation mixed = Ssh();
  mixed.cpe = "cpe:2.3:a:OpenBSD:OpenSSH:8.9:p1:*:*:*:*:*:*";
  Observation uri = Ssh();
  uri.cpe = "cpe:/a:OpenBSD:OpenSSH:8.9p1";  // what Nmap prints
  Observation cve_case = Ssh();
  cve_case.cve = "cve-2024-6387";
  EXPECT_EQ(Fingerprint(lower), Fingerprint(mixed));
  EXPECT_EQ(Fingerprint(lower), Fingerprint(uri));
  EXPECT_EQ(Fingerprint(lower), Fingerprint(cve_case));
}

TEST(FindingFingerprint, AssetInCanonicalForm) {
  EXPECT_EQ(Fingerprint(Ssh("::1")), Fingerprint(Ssh("0:0:0:0:0:0:0:0001")));
  EXPECT_EQ(Fingerprint(Ssh("portal.example.gov.vn")), Fingerprint(Ssh("Portal.Example.GOV.vn.")));
  EXPECT_NE(Fingerprint(Ssh("10.0.0.5")), Fingerprint(Ssh("10.0.0.6")));
}

TEST(FindingFingerprint, EachIdentityFieldCounts) {
  const std::string base = Fingerprint(Ssh());
  Observation other_system = Ssh();
  other_system.system = kOtherSystem;
  Observation other_port = Ssh("10.0.0.5", 2222);
  Observation other_product = Ssh();
  other_product.cpe = "cpe:2.3:a:openbsd:openbsd:7.5";
  Observation other_cve = Ssh();
  other_cve.cve = "CVE-2023-38408";
  std::set<std::string> all = {base, Fingerprint(other_system), Fingerprint(other_port),
                               Fingerprint(other_product), Fingerprint(other_cve)};
  EXPECT_EQ(all.size(), 5u);
}

TEST(FindingFingerprint, FieldOrderAndBoundariesAreFixed) {
  // The same characters split differently between fields, or the same values in other fields,
  // give another fingerprint (fields are length-prefixed, in a fixed order).
  Observation a = Ssh("10.0.0.5");
  a.system = core::SystemId("ab");
  Observation b = Ssh("10.0.0.5");
  b.system = core::SystemId("a");
  Observation c = Ssh("b10.0.0.5");
  c.system = core::SystemId("a");
  EXPECT_NE(Fingerprint(a), Fingerprint(b));
  EXPECT_NE(Fingerprint(b), Fingerprint(c));
  Observation swapped = Ssh("CVE-2024-6387");
  swapped.cve = "10.0.0.5";
  EXPECT_NE(Fingerprint(Ssh()), Fingerprint(swapped));
}

// ---- severity ----

TEST(FindingSeverity, CvssRatings) {
  EXPECT_EQ(SeverityOfScore(0.0), Severity::kNone);
  EXPECT_EQ(SeverityOfScore(0.1), Severity::kLow);
  EXPECT_EQ(SeverityOfScore(3.9), Severity::kLow);
  EXPECT_EQ(SeverityOfScore(4.0), Severity::kMedium);
  EXPECT_EQ(SeverityOfScore(6.9), Severity::kMedium);
  EXPECT_EQ(SeverityOfScore(7.0), Severity::kHigh);
  EXPECT_EQ(SeverityOfScore(8.9), Severity::kHigh);
  EXPECT_EQ(SeverityOfScore(9.0), Severity::kCritical);
  EXPECT_EQ(SeverityOfScore(10.0), Severity::kCritical);
  EXPECT_EQ(SeverityOfScore(10.5), Severity::kUnknown);
  EXPECT_EQ(SeverityOfScore(-1), Severity::kUnknown);
  EXPECT_EQ(ParseSeverity("CRITICAL"), Severity::kCritical);
  EXPECT_EQ(ParseSeverity("Medium"), Severity::kMedium);
  EXPECT_EQ(ParseSeverity(""), Severity::kUnknown);
  EXPECT_EQ(SeverityName(Severity::kHigh), "high");
}

// ---- lifecycle ----

struct Case {
  FindingState from;
  FindingEvent event;
  bool allowed;
  FindingState to;  // when allowed
};

// Every (state, event) pair. The inputs are chosen so that only the state decides: scans are
// later than the last sighting, the acceptance runs to a future date, the risk-expired event
// comes after the acceptance ran out.
TEST(FindingLifecycle, EveryTransitionAllowedOrRefused) {
  using S = FindingState;
  using E = FindingEvent;
  const std::vector<Case> cases = {
      {S::kOpen, E::kStartWork, true, S::kInProgress},
      {S::kInProgress, E::kStartWork, false, {}},
      {S::kFixed, E::kStartWork, false, {}},
      {S::kAcceptedRisk, E::kStartWork, false, {}},
      {S::kFalsePositive, E::kStartWork, false, {}},

      {S::kOpen, E::kNotSeenByScan, true, S::kFixed},
      {S::kInProgress, E::kNotSeenByScan, true, S::kFixed},
      {S::kFixed, E::kNotSeenByScan, false, {}},
      {S::kAcceptedRisk, E::kNotSeenByScan, true, S::kFixed},
      {S::kFalsePositive, E::kNotSeenByScan, false, {}},

      {S::kOpen, E::kSeenByScan, true, S::kOpen},
      {S::kInProgress, E::kSeenByScan, true, S::kInProgress},
      {S::kFixed, E::kSeenByScan, true, S::kOpen},  // a regression reopens it
      {S::kAcceptedRisk, E::kSeenByScan, true, S::kAcceptedRisk},
      {S::kFalsePositive, E::kSeenByScan, true, S::kFalsePositive},

      {S::kOpen, E::kAcceptRisk, true, S::kAcceptedRisk},
      {S::kInProgress, E::kAcceptRisk, true, S::kAcceptedRisk},
      {S::kFixed, E::kAcceptRisk, false, {}},
      {S::kAcceptedRisk, E::kAcceptRisk, false, {}},
      {S::kFalsePositive, E::kAcceptRisk, false, {}},

      {S::kOpen, E::kRiskExpired, false, {}},
      {S::kInProgress, E::kRiskExpired, false, {}},
      {S::kFixed, E::kRiskExpired, false, {}},
      {S::kAcceptedRisk, E::kRiskExpired, true, S::kOpen},
      {S::kFalsePositive, E::kRiskExpired, false, {}},

      {S::kOpen, E::kMarkFalsePositive, true, S::kFalsePositive},
      {S::kInProgress, E::kMarkFalsePositive, true, S::kFalsePositive},
      {S::kFixed, E::kMarkFalsePositive, false, {}},
      {S::kAcceptedRisk, E::kMarkFalsePositive, true, S::kFalsePositive},
      {S::kFalsePositive, E::kMarkFalsePositive, false, {}},

      {S::kOpen, E::kReopen, false, {}},
      {S::kInProgress, E::kReopen, false, {}},
      {S::kFixed, E::kReopen, false, {}},  // only a scan reopens a fixed finding
      {S::kAcceptedRisk, E::kReopen, true, S::kOpen},
      {S::kFalsePositive, E::kReopen, true, S::kOpen},
  };
  ASSERT_EQ(cases.size(), 35u);  // 5 states x 7 events
  const Instant seen = Local(2026, 3, 10, 9);
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(FindingStateName(c.from)) + " + " +
                 std::string(FindingEventName(c.event)));
    Finding f = NewFinding(Ssh(), seen);
    f.state = c.from;
    if (c.from == FindingState::kAcceptedRisk) f.accepted_until = LocalDate{2026, 3, 20};
    TransitionInput in;
    in.event = c.event;
    in.at = c.event == FindingEvent::kRiskExpired ? Local(2026, 3, 21, 8) : Local(2026, 3, 11, 9);
    in.until = LocalDate{2026, 4, 30};
    auto r = Transition(f, in);
    if (!c.allowed) {
      ASSERT_FALSE(r);
      EXPECT_EQ(r.error().code, core::ErrorCode::kFailedPrecondition);
      EXPECT_NE(r.error().message.find(FindingStateName(c.from)), std::string::npos);
      continue;
    }
    ASSERT_TRUE(r) << r.error().ToString();
    EXPECT_EQ(r->state, c.to);
    EXPECT_EQ(r->fingerprint, f.fingerprint);
    EXPECT_EQ(r->first_seen, seen);
    if (c.to == FindingState::kAcceptedRisk && c.from != FindingState::kAcceptedRisk) {
      EXPECT_EQ(r->accepted_until, (LocalDate{2026, 4, 30}));
    }
    if (c.to != FindingState::kAcceptedRisk) {
      EXPECT_FALSE(r->accepted_until.has_value());
    }
    if (c.from != c.to) {
      EXPECT_EQ(r->state_changed, in.at);
    }
  }
}

TEST(FindingLifecycle, FixedOnlyByAScanLaterThanTheLastSighting) {
  Finding f = NewFinding(Ssh(), Local(2026, 3, 10, 9));
  auto same_time = Transition(f, {FindingEvent::kNotSeenByScan, f.last_seen, std::nullopt});
  ASSERT_FALSE(same_time);
  EXPECT_EQ(same_time.error().code, core::ErrorCode::kFailedPrecondition);
  auto earlier = Transition(f, {FindingEvent::kNotSeenByScan, f.last_seen - hours(1), {}});
  EXPECT_FALSE(earlier);
  auto later = Transition(f, {FindingEvent::kNotSeenByScan, f.last_seen + milliseconds(1), {}});
  ASSERT_TRUE(later);
  EXPECT_EQ(later->state, FindingState::kFixed);
}

TEST(FindingLifecycle, SeenAgainUpdatesLastSeenOnly) {
  Finding f = NewFinding(Ssh(), Local(2026, 3, 10, 9));
  auto r = Transition(f, {FindingEvent::kSeenByScan, Local(2026, 4, 1, 9), {}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->last_seen, Local(2026, 4, 1, 9));
  EXPECT_EQ(r->first_seen, Local(2026, 3, 10, 9));
  EXPECT_EQ(r->state_changed, f.state_changed);
}

TEST(FindingLifecycle, AcceptRiskNeedsAnExpiryNotInThePast) {
  Finding f = NewFinding(Ssh(), Local(2026, 3, 10, 9));
  auto missing = Transition(f, {FindingEvent::kAcceptRisk, Local(2026, 3, 11, 9), std::nullopt});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(missing.error().field, "/until");
  auto past =
      Transition(f, {FindingEvent::kAcceptRisk, Local(2026, 3, 11, 9), LocalDate{2026, 3, 10}});
  ASSERT_FALSE(past);
  EXPECT_EQ(past.error().code, core::ErrorCode::kInvalidArgument);
  // Today (Vietnam date) is allowed: the acceptance holds to the end of the day.
  auto today =
      Transition(f, {FindingEvent::kAcceptRisk, Local(2026, 3, 11, 9), LocalDate{2026, 3, 11}});
  ASSERT_TRUE(today);
  EXPECT_EQ(today->state, FindingState::kAcceptedRisk);
}

TEST(FindingLifecycle, AcceptedRiskReopensOnlyAfterItsLastDay) {
  Finding f = NewFinding(Ssh(), Local(2026, 3, 10, 9));
  auto accepted =
      Transition(f, {FindingEvent::kAcceptRisk, Local(2026, 3, 11, 9), LocalDate{2026, 6, 30}});
  ASSERT_TRUE(accepted);
  // The day before and the last day itself (to 23:59:59.999 local): still accepted.
  EXPECT_FALSE(Transition(*accepted, {FindingEvent::kRiskExpired, Local(2026, 6, 29, 12), {}}));
  EXPECT_FALSE(Transition(
      *accepted, {FindingEvent::kRiskExpired, core::EndOfLocalDay(LocalDate{2026, 6, 30}), {}}));
  // 00:00 local on the next day (17:00 UTC on 30/6): reopened.
  auto reopened = Transition(*accepted, {FindingEvent::kRiskExpired, Local(2026, 7, 1, 0), {}});
  ASSERT_TRUE(reopened);
  EXPECT_EQ(reopened->state, FindingState::kOpen);
  EXPECT_FALSE(reopened->accepted_until.has_value());
}

// ---- R6: exploitable findings ----

TEST(FindingR6, KevListedFindingIsExploitable) {
  Observation kev = Ssh();
  kev.kev_due = LocalDate{2024, 7, 22};
  EXPECT_TRUE(IsExploitable(NewFinding(kev, Local(2026, 3, 10))));
  Observation critical = Ssh();
  critical.severity = Severity::kCritical;  // severe, but not known to be exploited
  EXPECT_FALSE(IsExploitable(NewFinding(critical, Local(2026, 3, 10))));
}

// ---- SLA ----

// The deadline of each severity (R2 remediation tickets; calendar days in Vietnam time), checked
// the day before, on the day (to its last millisecond) and the day after.
TEST(FindingSla, SeverityDeadlinesAtTheEdges) {
  const std::vector<std::pair<Severity, int>> table = {
      {Severity::kCritical, 7}, {Severity::kHigh, 30},  {Severity::kMedium, 90},
      {Severity::kLow, 180},    {Severity::kNone, 180}, {Severity::kUnknown, 90}};
  const Instant first_seen = Local(2026, 3, 10, 14, 30);
  for (const auto& [severity, days] : table) {
    SCOPED_TRACE(std::string(SeverityName(severity)));
    Observation o = Ssh();
    o.severity = severity;
    Finding f = NewFinding(o, first_seen);
    const LocalDate due_date = core::AddDays(LocalDate{2026, 3, 10}, days);
    EXPECT_EQ(SlaDue(f), core::EndOfLocalDay(due_date));
    EXPECT_FALSE(IsOverdue(f, Local(2026, 3, 10, 14, 30) + hours(24) * (days - 1)));
    EXPECT_FALSE(IsOverdue(f, core::StartOfLocalDay(due_date) + hours(12)));
    EXPECT_FALSE(IsOverdue(f, core::EndOfLocalDay(due_date)));
    EXPECT_TRUE(IsOverdue(f, core::EndOfLocalDay(due_date) + milliseconds(1)));
    EXPECT_TRUE(IsOverdue(f, core::StartOfLocalDay(core::AddDays(due_date, 1)) + hours(12)));
  }
}

TEST(FindingSla, CriticalExampleInDates) {
  // First seen 10/03/2026 14:30 Vietnam time: 7 days -> due 17/03/2026 23:59:59 (16:59:59 UTC).
  Observation o = Ssh();
  o.severity = Severity::kCritical;
  Finding f = NewFinding(o, Local(2026, 3, 10, 14, 30));
  EXPECT_EQ(core::FormatRfc3339Utc(SlaDue(f)), "2026-03-17T16:59:59.999Z");
}

TEST(FindingSla, DaysCountFromTheVietnamDateOfFirstSight) {
  // 18:00 UTC on 09/03 is 01:00 on 10/03 in Vietnam: the 7 days count from 10/03.
  Observation o = Ssh();
  o.severity = Severity::kCritical;
  Finding f = NewFinding(o, core::StartOfLocalDay(LocalDate{2026, 3, 10}) + hours(1));
  EXPECT_EQ(core::LocalDateOf(SlaDue(f)), (LocalDate{2026, 3, 17}));
}

TEST(FindingSla, KevDueDateWinsWhenEarlier) {
  Observation o = Ssh();
  o.severity = Severity::kLow;  // 180 days would end on 06/09/2026
  o.kev_due = LocalDate{2026, 3, 24};
  Finding f = NewFinding(o, Local(2026, 3, 10, 9));
  EXPECT_EQ(SlaDue(f), core::EndOfLocalDay(LocalDate{2026, 3, 24}));
  EXPECT_FALSE(IsOverdue(f, Local(2026, 3, 23, 12)));
  EXPECT_FALSE(IsOverdue(f, core::EndOfLocalDay(LocalDate{2026, 3, 24})));
  EXPECT_TRUE(IsOverdue(f, Local(2026, 3, 25, 0)));
}

TEST(FindingSla, KevDueDateWinsWhenLater) {
  // The rule is "KEV -> the KEV due date", not "the earlier of the two": a critical
  // finding whose KEV due date is a month away is due then, not after 7 days.
  Observation o = Ssh();
  o.severity = Severity::kCritical;
  o.kev_due = LocalDate{2026, 4, 10};
  Finding f = NewFinding(o, Local(2026, 3, 10, 9));
  EXPECT_EQ(SlaDue(f), core::EndOfLocalDay(LocalDate{2026, 4, 10}));
  EXPECT_FALSE(IsOverdue(f, Local(2026, 3, 18, 9)));  // past the 7-day severity deadline
  EXPECT_FALSE(IsOverdue(f, Local(2026, 4, 9, 12)));
  EXPECT_TRUE(IsOverdue(f, Local(2026, 4, 11, 0)));
}

TEST(FindingSla, KevDueDateAlreadyPastAtFirstSight) {
  // An old KEV entry (due 2024) found in 2026 is overdue at once.
  Observation o = Ssh();
  o.kev_due = LocalDate{2024, 7, 22};
  Finding f = NewFinding(o, Local(2026, 3, 10, 9));
  EXPECT_TRUE(IsOverdue(f, Local(2026, 3, 10, 9)));
}

TEST(FindingSla, PolicyIsConfigurable) {
  SlaPolicy policy;
  policy.high_days = 15;
  Finding f = NewFinding(Ssh(), Local(2026, 3, 10, 9));  // high
  EXPECT_EQ(core::LocalDateOf(SlaDue(f, policy)), (LocalDate{2026, 3, 25}));
  EXPECT_FALSE(IsOverdue(f, Local(2026, 3, 25, 23, 59), policy));
  EXPECT_TRUE(IsOverdue(f, Local(2026, 3, 26, 0), policy));
}

TEST(FindingSla, OnlyFindingsStillNeedingWorkAreOverdue) {
  Observation o = Ssh();
  o.severity = Severity::kCritical;
  Finding f = NewFinding(o, Local(2026, 3, 10, 9));
  const Instant late = Local(2026, 5, 1);
  for (FindingState s : {FindingState::kOpen, FindingState::kInProgress}) {
    f.state = s;
    EXPECT_TRUE(IsOverdue(f, late)) << FindingStateName(s);
  }
  for (FindingState s :
       {FindingState::kFixed, FindingState::kAcceptedRisk, FindingState::kFalsePositive}) {
    f.state = s;
    EXPECT_FALSE(IsOverdue(f, late)) << FindingStateName(s);
  }
}

// ---- from matcher results ----

TEST(FindingObservations, FromMatchesOfTheNvdSubset) {
  if (auto why = ucsc::testing::MissingSharedData(
          {UCSC_SHARED_DIR "/data/nvd/nvd-subset.json.zst",
           UCSC_SHARED_DIR "/data/kev/known_exploited_vulnerabilities.json"});
      !why.empty()) {
    GTEST_SKIP() << why;
  }
  auto nvd = LoadNvdFile(UCSC_SHARED_DIR "/data/nvd/nvd-subset.json.zst");
  ASSERT_TRUE(nvd) << nvd.error().ToString();
  auto kev = LoadKevFile(UCSC_SHARED_DIR "/data/kev/known_exploited_vulnerabilities.json");
  ASSERT_TRUE(kev) << kev.error().ToString();
  Matcher matcher(*nvd, &*kev);
  const std::vector<Cpe> inventory = {*ParseAnyCpe("cpe:2.3:a:openbsd:openssh:8.9:p1"),
                                      *ParseAnyCpe("cpe:2.3:a:apache:http_server:2.4.49")};
  const auto matches = matcher.Match(inventory);
  const auto seen = ObservationsFromMatches(kSystem, "10.0.0.5", 0, inventory, matches);
  size_t items = 0;
  for (const auto& m : matches) items += m.items.size();
  EXPECT_EQ(seen.size(), items);
  std::map<std::string, Observation> by_cve;
  for (const auto& o : seen) by_cve[o.cve] = o;
  ASSERT_EQ(by_cve.count("CVE-2024-6387"), 1u);
  const Observation& ssh = by_cve["CVE-2024-6387"];
  EXPECT_EQ(ssh.severity, Severity::kHigh);  // CVSS 3.1 8.1 HIGH
  EXPECT_EQ(ssh.tier, Tier::kConfirmed);
  EXPECT_FALSE(ssh.kev_due.has_value());
  EXPECT_EQ(ssh.cpe, "cpe:2.3:a:openbsd:openssh:8.9:p1:*:*:*:*:*:*");
  // Apache 2.4.49 path traversal: in KEV, due 17/11/2021 (R6: exploitable).
  ASSERT_EQ(by_cve.count("CVE-2021-41773"), 1u);
  const Observation& httpd = by_cve["CVE-2021-41773"];
  ASSERT_TRUE(httpd.kev_due.has_value());
  EXPECT_EQ(*httpd.kev_due, (LocalDate{2021, 11, 17}));
  EXPECT_TRUE(IsExploitable(NewFinding(httpd, Local(2026, 3, 10))));
}

// ---- reconciliation ----

size_t Total(const ReconcileResult& r) {
  return r.new_findings.size() + r.still_open.size() + r.reopened.size() + r.fixed.size() +
         r.unchanged.size();
}

TEST(FindingReconcile, FirstScanOpensNewFindings) {
  ScanScope scope{kSystem, {"10.0.0.5"}, {}};
  auto r = Reconcile({}, {Ssh(), Nginx()}, scope, Local(2026, 3, 10, 9));
  ASSERT_EQ(r.new_findings.size(), 2u);
  EXPECT_EQ(Total(r), 2u);
  for (const Finding& f : r.new_findings) {
    EXPECT_EQ(f.state, FindingState::kOpen);
    EXPECT_EQ(f.first_seen, Local(2026, 3, 10, 9));
  }
}

TEST(FindingReconcile, SeenAgainStaysOpenNotSeenIsFixed) {
  const Instant t1 = Local(2026, 3, 10, 9), t2 = Local(2026, 4, 10, 9);
  ScanScope scope{kSystem, {"10.0.0.5"}, {}};
  auto first = Reconcile({}, {Ssh(), Nginx()}, scope, t1);
  // The second scan of the same host sees only SSH (nginx was upgraded).
  Observation ssh = Ssh();
  ssh.kev_due = LocalDate{2026, 5, 1};  // refreshed KEV data
  auto second = Reconcile(first.new_findings, {ssh}, scope, t2);
  EXPECT_EQ(Total(second), 2u);
  EXPECT_TRUE(second.new_findings.empty());
  ASSERT_EQ(second.still_open.size(), 1u);
  EXPECT_EQ(second.still_open[0].cve, "CVE-2024-6387");
  EXPECT_EQ(second.still_open[0].first_seen, t1);
  EXPECT_EQ(second.still_open[0].last_seen, t2);
  EXPECT_EQ(second.still_open[0].kev_due, (LocalDate{2026, 5, 1}));
  ASSERT_EQ(second.fixed.size(), 1u);
  EXPECT_EQ(second.fixed[0].cve, "CVE-2023-44487");
  EXPECT_EQ(second.fixed[0].state, FindingState::kFixed);
  EXPECT_EQ(second.fixed[0].state_changed, t2);
}

TEST(FindingReconcile, NotFixedOutsideTheScanScope) {
  const Instant t1 = Local(2026, 3, 10, 9), t2 = Local(2026, 4, 10, 9);
  std::vector<Finding> previous = {NewFinding(Ssh("10.0.0.5"), t1),
                                   NewFinding(Ssh("10.0.0.6"), t1)};
  Observation other_system = Ssh("10.0.0.7");
  other_system.system = kOtherSystem;
  previous.push_back(NewFinding(other_system, t1));
  // The new scan covered only 10.0.0.5 of kSystem and saw nothing there.
  auto r = Reconcile(previous, {}, ScanScope{kSystem, {"10.0.0.5", "10.0.0.7"}, {}}, t2);
  ASSERT_EQ(r.fixed.size(), 1u);
  EXPECT_EQ(r.fixed[0].asset, "10.0.0.5");
  EXPECT_EQ(r.unchanged.size(), 2u);  // another host; another system's host
  for (const Finding& f : r.unchanged) EXPECT_EQ(f.state, FindingState::kOpen);
}

TEST(FindingReconcile, NotFixedOnPortsTheScanDidNotProbe) {
  const Instant t1 = Local(2026, 3, 10, 9), t2 = Local(2026, 4, 10, 9);
  Observation inventory = Ssh("10.0.0.5", 0);  // known from the inventory, no port
  inventory.cve = "CVE-2023-38408";
  std::vector<Finding> previous = {NewFinding(Ssh(), t1), NewFinding(Nginx(), t1),
                                   NewFinding(inventory, t1)};
  auto r = Reconcile(previous, {}, ScanScope{kSystem, {"10.0.0.5"}, {22}}, t2);
  ASSERT_EQ(r.fixed.size(), 1u);
  EXPECT_EQ(r.fixed[0].port, 22);
  EXPECT_EQ(r.unchanged.size(), 2u);  // port 443 not probed; port 0 only with every port
}

TEST(FindingReconcile, FixedFindingSeenAgainReopens) {
  Finding f = NewFinding(Ssh(), Local(2026, 3, 10, 9));
  f.state = FindingState::kFixed;
  auto r = Reconcile({f}, {Ssh()}, ScanScope{kSystem, {"10.0.0.5"}, {}}, Local(2026, 5, 1, 9));
  ASSERT_EQ(r.reopened.size(), 1u);
  EXPECT_EQ(r.reopened[0].state, FindingState::kOpen);
  EXPECT_EQ(r.reopened[0].first_seen, Local(2026, 3, 10, 9));
  EXPECT_TRUE(r.new_findings.empty());
}

TEST(FindingReconcile, AcceptedRiskKeptUntilExpiryThenReopened) {
  Finding f = NewFinding(Ssh(), Local(2026, 3, 10, 9));
  f.state = FindingState::kAcceptedRisk;
  f.accepted_until = LocalDate{2026, 6, 30};
  ScanScope scope{kSystem, {"10.0.0.5"}, {}};
  auto before = Reconcile({f}, {Ssh()}, scope, Local(2026, 6, 30, 20));
  ASSERT_EQ(before.unchanged.size(), 1u);
  EXPECT_EQ(before.unchanged[0].state, FindingState::kAcceptedRisk);
  auto after = Reconcile({f}, {Ssh()}, scope, Local(2026, 7, 1, 8));
  ASSERT_EQ(after.reopened.size(), 1u);
  EXPECT_EQ(after.reopened[0].state, FindingState::kOpen);
}

TEST(FindingReconcile, FalsePositiveStaysWhetherSeenOrNot) {
  Finding f = NewFinding(Ssh(), Local(2026, 3, 10, 9));
  f.state = FindingState::kFalsePositive;
  ScanScope scope{kSystem, {"10.0.0.5"}, {}};
  auto seen = Reconcile({f}, {Ssh()}, scope, Local(2026, 4, 1));
  ASSERT_EQ(seen.unchanged.size(), 1u);
  EXPECT_EQ(seen.unchanged[0].state, FindingState::kFalsePositive);
  EXPECT_EQ(seen.unchanged[0].last_seen, Local(2026, 4, 1));
  auto gone = Reconcile({f}, {}, scope, Local(2026, 4, 1));
  ASSERT_EQ(gone.unchanged.size(), 1u);
  EXPECT_EQ(gone.unchanged[0].state, FindingState::kFalsePositive);
}

TEST(FindingReconcile, DuplicateObservationsCountOnceWithTheBestTier) {
  Observation possible = Ssh();
  possible.tier = Tier::kPossible;
  Observation uri = Ssh();
  uri.cpe = "cpe:/a:openbsd:openssh:8.9p1";
  auto r =
      Reconcile({}, {possible, uri}, ScanScope{kSystem, {"10.0.0.5"}, {}}, Local(2026, 3, 10, 9));
  ASSERT_EQ(r.new_findings.size(), 1u);
  EXPECT_EQ(r.new_findings[0].tier, Tier::kConfirmed);
}

TEST(FindingReconcile, ScanNotLaterThanLastSightingFixesNothing) {
  const Instant t = Local(2026, 3, 10, 9);
  Finding f = NewFinding(Ssh(), t);
  auto r = Reconcile({f}, {}, ScanScope{kSystem, {"10.0.0.5"}, {}}, t);
  EXPECT_TRUE(r.fixed.empty());
  ASSERT_EQ(r.unchanged.size(), 1u);
  EXPECT_EQ(r.unchanged[0].state, FindingState::kOpen);
}

TEST(FindingReconcile, EmptySystemInScopeMeansAnySystem) {
  const Instant t1 = Local(2026, 3, 10, 9), t2 = Local(2026, 4, 10, 9);
  Finding f = NewFinding(Ssh(), t1);
  auto r = Reconcile({f}, {}, ScanScope{core::SystemId(), {"10.0.0.5"}, {}}, t2);
  EXPECT_EQ(r.fixed.size(), 1u);
}

}  // namespace
}  // namespace ucsc::scan
