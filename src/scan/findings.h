// Vulnerability findings: one CVE on one service (or installed product) of one asset of one
// information system, tracked across scans until it is fixed. Pure functions over values: no
// database, no clock (the caller passes `now`), so the server and the CLI share one set of rules.
//
// - Fingerprint: the identity of a finding across scans (see Fingerprint() for what goes in and
//   why). Two observations with the same fingerprint are the same finding.
// - Lifecycle (Transition()): open -> in_progress; open / in_progress / accepted_risk -> fixed
//   only when a later scan that covers the finding no longer sees it; open / in_progress ->
//   accepted_risk with an expiry date, after which the finding reopens; open / in_progress /
//   accepted_risk -> false_positive; a fixed finding seen again reopens; a person may reopen a
//   false positive or an accepted risk. Every other move is refused.
// - SLA (SlaDue()): a KEV-listed CVE is due on its KEV due date; otherwise critical 7 days, high
//   30, medium 90, low 180 calendar days from first seen (SlaPolicy), ending 23:59:59 Vietnam time
//   (DESIGN.md "Legal time").
// - Reconcile(): previous findings + one scan's observations + that scan's scope -> new, still
//   open, reopened, fixed and unchanged findings; fixed only for targets the scan covered.
// - R6 (DOMAIN.md): an exploitable finding (IsExploitable) must open a remediation task and a hunt
//   task together; this library only decides which findings those are.
//
// Thread-safety: plain values and pure functions; safe from any thread.
//
// Example:
//   Observation seen{system, "10.0.0.5", 22, "cpe:2.3:a:openbsd:openssh:8.9:p1", "CVE-2024-6387",
//                    Tier::kConfirmed, Severity::kHigh, core::ParseIsoDate("2024-07-22")};
//   ScanScope scope{system, {"10.0.0.5"}, {}};
//   ReconcileResult r = Reconcile(previous, {seen}, scope, clock.Now());
//   for (const Finding& f : r.fixed) ...   // store them; r.new_findings start open
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/ids.h"
#include "core/legal_time.h"
#include "core/result.h"
#include "scan/cpe.h"
#include "scan/match.h"
#include "scan/sla.h"

namespace ucsc::scan {

// CVSS qualitative severity (CVSS v3/v4 ratings; v2 "HIGH"/"MEDIUM"/"LOW" map the same way).
// kUnknown: the CVE has no CVSS score (e.g. NVD analysis pending).
enum class Severity : unsigned char { kUnknown, kNone, kLow, kMedium, kHigh, kCritical };
std::string_view SeverityName(
    Severity s);  // "unknown", "none", "low", "medium", "high", "critical"
// Reads the NVD's severity text ("CRITICAL", "High", ...); kUnknown for anything else.
Severity ParseSeverity(std::string_view text);
// The CVSS v3 rating of a base score: 0 none, 0.1-3.9 low, 4.0-6.9 medium, 7.0-8.9 high,
// 9.0-10.0 critical; kUnknown outside 0..10.
Severity SeverityOfScore(double score);

enum class FindingState : unsigned char {
  kOpen,
  kInProgress,
  kFixed,
  kAcceptedRisk,
  kFalsePositive,
};
std::string_view FindingStateName(FindingState s);  // "open", "in_progress", "fixed", ...

// One sighting of a CVE by a scan (or an inventory match): what the scan knows.
struct Observation {
  core::SystemId system;
  std::string asset;  // the host as scanned: an IP address or a host name
  uint16_t port = 0;  // TCP port of the service; 0 for software known from the inventory
  std::string cpe;    // CPE of the product (2.3 formatted string or 2.2 URI)
  std::string cve;    // "CVE-2024-6387"
  Tier tier = Tier::kConfirmed;
  Severity severity = Severity::kUnknown;
  std::optional<core::LocalDate> kev_due;  // set when the CVE is in the CISA KEV catalogue
};

struct Finding {
  std::string fingerprint;  // Fingerprint() of the fields below
  core::SystemId system;
  std::string asset;
  uint16_t port = 0;
  std::string cpe;
  std::string cve;
  Tier tier = Tier::kConfirmed;
  Severity severity = Severity::kUnknown;
  std::optional<core::LocalDate> kev_due;
  core::Instant first_seen{};
  core::Instant last_seen{};
  FindingState state = FindingState::kOpen;
  // accepted_risk only: the last local date the acceptance holds; the finding reopens after it.
  std::optional<core::LocalDate> accepted_until;
  // When the state last changed (fixed: the time of the scan that no longer saw it).
  core::Instant state_changed{};
};

// The identity of a finding: a 32-hex-digit (128-bit) prefix of the SHA-256 of, in this order,
// each length-prefixed so that no two field lists run together:
//   system id; asset (IP addresses in canonical form, "::0001" = "::1"; host names lower-case,
//   without a trailing dot); port; the CPE's part:vendor:product (lower-case, either binding);
//   the CVE id (upper-case).
// Left out on purpose: the product version and update (an upgrade that is still vulnerable is
// the same unfixed finding, not a fixed one and a new one), the confidence tier, severity and KEV
// data (they change as NVD/KEV data are refreshed), and every date. An unparsable CPE is used
// lower-cased as a whole.
std::string Fingerprint(const Observation& o);
std::string Fingerprint(const Finding& f);

// The observations of one matched inventory: one per (CVE, affected inventory CPE), with the
// item's tier, the CVE's CVSS severity (the NVD's text, else the rating of its score; kUnknown
// without CVSS) and the KEV due date. `inventory` is the list given to Matcher::Match, `matches`
// its result. REQUIRES: every AffectedItem::item indexes `inventory`.
std::vector<Observation> ObservationsFromMatches(const core::SystemId& system,
                                                 std::string_view asset, uint16_t port,
                                                 const std::vector<Cpe>& inventory,
                                                 const std::vector<VulnMatch>& matches);

// A new open finding from an observation, first and last seen at `now`.
Finding NewFinding(const Observation& o, core::Instant now);

// R6: a finding counts as exploitable for intrusion/control when its CVE is in the KEV catalogue
// (exploited in the wild). The caller opens the remediation and hunt tasks together for it.
bool IsExploitable(const Finding& f);

// What happens to a finding.
enum class FindingEvent : unsigned char {
  kStartWork,          // open -> in_progress
  kNotSeenByScan,      // a scan covering the finding, later than last_seen, did not see it
  kSeenByScan,         // a scan saw it again: fixed -> open; otherwise last_seen only
  kAcceptRisk,         // open / in_progress -> accepted_risk until `until`
  kRiskExpired,        // accepted_risk -> open, once `now` is after accepted_until
  kMarkFalsePositive,  // open / in_progress / accepted_risk -> false_positive
  kReopen,             // false_positive / accepted_risk -> open (a person's decision)
};
std::string_view FindingEventName(FindingEvent e);

struct TransitionInput {
  FindingEvent event = FindingEvent::kStartWork;
  core::Instant at{};                    // when it happens (scan time for the scan events)
  std::optional<core::LocalDate> until;  // kAcceptRisk: the last day the acceptance holds
};

// Applies one event. Returns the updated finding, or
// - kFailedPrecondition when the event is not allowed in the finding's state (the message names
//   the state and the event), including kNotSeenByScan with `at` not after last_seen and
//   kRiskExpired before the acceptance has run out;
// - kInvalidArgument for kAcceptRisk without `until`, or with `until` before the local date of
//   `at`.
[[nodiscard]] core::Result<Finding> Transition(const Finding& f, const TransitionInput& in);

// SlaPolicy (days from first seen by severity) is in scan/sla.h.

// The remediation deadline: a KEV-listed finding is due at the end (23:59:59.999 Vietnam time) of
// its KEV due date, whether that is earlier or later than the severity deadline (issue 6: "KEV ->
// the KEV due date"); otherwise at the end of the local date of first_seen plus the policy's days.
core::Instant SlaDue(const Finding& f, const SlaPolicy& policy = {});
// True when the finding still needs work (open or in_progress) and `now` is after SlaDue().
bool IsOverdue(const Finding& f, core::Instant now, const SlaPolicy& policy = {});

// What one scan covered: the system it was run for (empty: any system), the assets it scanned
// and the ports it probed (empty: every port). A finding is covered when its system, asset and
// port are all inside; port 0 (inventory findings) is covered only when `ports` is empty.
struct ScanScope {
  core::SystemId system;
  std::vector<std::string> assets;
  std::vector<uint16_t> ports;
};
bool Covers(const ScanScope& scope, const Finding& f);

struct ReconcileResult {
  std::vector<Finding> new_findings;  // not known before: open, first seen now
  std::vector<Finding> still_open;    // open / in_progress and seen again (last_seen = now)
  std::vector<Finding> reopened;      // fixed and seen again, or an accepted risk run out
  std::vector<Finding> fixed;         // open / in_progress / accepted_risk, covered, not seen
  // Everything else, unchanged but for last_seen when seen: out-of-scope findings, false
  // positives, accepted risks still valid, findings fixed before.
  std::vector<Finding> unchanged;
};

// Reconciles the findings known before a scan with what the scan saw. Every previous finding is
// returned exactly once, in one of the lists; observations with the same fingerprint count once
// (the highest tier). `now` is the scan's time. Previous findings with equal fingerprints are
// the caller's bug; the first one wins and the others are returned in `unchanged`.
ReconcileResult Reconcile(const std::vector<Finding>& previous,
                          const std::vector<Observation>& seen, const ScanScope& scope,
                          core::Instant now);

}  // namespace ucsc::scan
