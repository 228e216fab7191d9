#include "scan/findings.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>

#include "scan/cpe.h"
#include "scan/net/net_address.h"
#include "text/utf8.h"

namespace ucsc::scan {
namespace {

std::string Lower(std::string_view s) { return text::AsciiLower(std::string(s)); }

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

// IP addresses in their canonical text, host names lower-case without a trailing dot.
std::string CanonicalAsset(std::string_view asset) {
  if (auto ip = IpAddress::Parse(asset)) return ip->ToString();
  std::string host = Lower(asset);
  while (!host.empty() && host.back() == '.') host.pop_back();
  return host;
}

// "part:vendor:product" of a CPE in either binding (values are lower-cased by the parser).
std::string CpeProduct(std::string_view cpe) {
  auto parsed = ParseAnyCpe(cpe);
  if (!parsed) return Lower(cpe);
  auto value = [](const CpeValue& v) { return v.IsValue() ? v.value : (v.IsNa() ? "-" : "*"); };
  return value(parsed->part()) + ":" + value(parsed->vendor()) + ":" + value(parsed->product());
}

void AppendField(std::string& out, std::string_view field) {
  out += std::to_string(field.size());
  out += ':';
  out += field;
  out += ';';
}

std::string FingerprintOf(const core::SystemId& system, std::string_view asset, uint16_t port,
                          std::string_view cpe, std::string_view cve) {
  std::string canonical = "ucsc-finding-v1;";
  AppendField(canonical, system.str());
  AppendField(canonical, CanonicalAsset(asset));
  AppendField(canonical, std::to_string(port));
  AppendField(canonical, CpeProduct(cpe));
  AppendField(canonical, Upper(cve));
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(canonical.data(), canonical.size(), digest, &length, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < 16 && i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 15];
  }
  return hex;
}

core::Result<Finding> Refuse(const Finding& f, FindingEvent e, std::string_view why = {}) {
  std::string message = "finding " + f.fingerprint + ": " + std::string(FindingEventName(e)) +
                        " is not allowed in state " + std::string(FindingStateName(f.state));
  if (!why.empty()) message += " (" + std::string(why) + ")";
  return core::MakeError(core::ErrorCode::kFailedPrecondition, std::move(message), "/state");
}

bool Live(FindingState s) { return s == FindingState::kOpen || s == FindingState::kInProgress; }

}  // namespace

std::string_view SeverityName(Severity s) {
  switch (s) {
    case Severity::kNone:
      return "none";
    case Severity::kLow:
      return "low";
    case Severity::kMedium:
      return "medium";
    case Severity::kHigh:
      return "high";
    case Severity::kCritical:
      return "critical";
    case Severity::kUnknown:
      break;
  }
  return "unknown";
}

Severity ParseSeverity(std::string_view text) {
  const std::string s = Lower(text);
  if (s == "critical") return Severity::kCritical;
  if (s == "high") return Severity::kHigh;
  if (s == "medium") return Severity::kMedium;
  if (s == "low") return Severity::kLow;
  if (s == "none") return Severity::kNone;
  return Severity::kUnknown;
}

Severity SeverityOfScore(double score) {
  if (!(score >= 0 && score <= 10)) return Severity::kUnknown;  // also NaN
  // Scores have one decimal; compare in tenths so that 6.95 cannot fall between ratings.
  const long tenths = std::lround(score * 10);
  if (tenths == 0) return Severity::kNone;
  if (tenths < 40) return Severity::kLow;
  if (tenths < 70) return Severity::kMedium;
  if (tenths < 90) return Severity::kHigh;
  return Severity::kCritical;
}

std::string_view FindingStateName(FindingState s) {
  switch (s) {
    case FindingState::kOpen:
      return "open";
    case FindingState::kInProgress:
      return "in_progress";
    case FindingState::kFixed:
      return "fixed";
    case FindingState::kAcceptedRisk:
      return "accepted_risk";
    case FindingState::kFalsePositive:
      return "false_positive";
  }
  return "open";
}

std::string_view FindingEventName(FindingEvent e) {
  switch (e) {
    case FindingEvent::kStartWork:
      return "start_work";
    case FindingEvent::kNotSeenByScan:
      return "not_seen_by_scan";
    case FindingEvent::kSeenByScan:
      return "seen_by_scan";
    case FindingEvent::kAcceptRisk:
      return "accept_risk";
    case FindingEvent::kRiskExpired:
      return "risk_expired";
    case FindingEvent::kMarkFalsePositive:
      return "mark_false_positive";
    case FindingEvent::kReopen:
      return "reopen";
  }
  return "start_work";
}

std::string Fingerprint(const Observation& o) {
  return FingerprintOf(o.system, o.asset, o.port, o.cpe, o.cve);
}

std::string Fingerprint(const Finding& f) {
  return FingerprintOf(f.system, f.asset, f.port, f.cpe, f.cve);
}

std::vector<Observation> ObservationsFromMatches(const core::SystemId& system,
                                                 std::string_view asset, uint16_t port,
                                                 const std::vector<Cpe>& inventory,
                                                 const std::vector<VulnMatch>& matches) {
  std::vector<Observation> out;
  for (const VulnMatch& m : matches) {
    Severity severity = Severity::kUnknown;
    if (m.cve != nullptr && !m.cve->cvss.version.empty()) {
      severity = ParseSeverity(m.cve->cvss.severity);
      if (severity == Severity::kUnknown) severity = SeverityOfScore(m.cve->cvss.base_score);
    }
    std::optional<core::LocalDate> kev_due;
    if (m.kev != nullptr) kev_due = core::ParseIsoDate(m.kev->due_date);
    for (const AffectedItem& a : m.items) {
      Observation o;
      o.system = system;
      o.asset = std::string(asset);
      o.port = port;
      o.cpe = inventory[a.item].ToString();
      o.cve = m.cve_id;
      o.tier = a.tier;
      o.severity = severity;
      o.kev_due = kev_due;
      out.push_back(std::move(o));
    }
  }
  return out;
}

Finding NewFinding(const Observation& o, core::Instant now) {
  Finding f;
  f.fingerprint = Fingerprint(o);
  f.system = o.system;
  f.asset = o.asset;
  f.port = o.port;
  f.cpe = o.cpe;
  f.cve = Upper(o.cve);
  f.tier = o.tier;
  f.severity = o.severity;
  f.kev_due = o.kev_due;
  f.first_seen = now;
  f.last_seen = now;
  f.state = FindingState::kOpen;
  f.state_changed = now;
  return f;
}

bool IsExploitable(const Finding& f) { return f.kev_due.has_value(); }

core::Result<Finding> Transition(const Finding& f, const TransitionInput& in) {
  Finding out = f;
  auto move_to = [&](FindingState s) {
    out.state = s;
    out.state_changed = in.at;
    if (s != FindingState::kAcceptedRisk) out.accepted_until.reset();
    return out;
  };
  switch (in.event) {
    case FindingEvent::kStartWork:
      if (f.state != FindingState::kOpen) return Refuse(f, in.event);
      return move_to(FindingState::kInProgress);

    case FindingEvent::kNotSeenByScan:
      // Only a scan verifies a fix, and only one that ran after the finding was last seen.
      if (!Live(f.state) && f.state != FindingState::kAcceptedRisk) return Refuse(f, in.event);
      if (in.at <= f.last_seen) {
        return Refuse(f, in.event, "the scan is not later than the last sighting");
      }
      return move_to(FindingState::kFixed);

    case FindingEvent::kSeenByScan:
      if (in.at > out.last_seen) out.last_seen = in.at;
      if (f.state == FindingState::kFixed) return move_to(FindingState::kOpen);
      return out;

    case FindingEvent::kAcceptRisk: {
      if (!Live(f.state)) return Refuse(f, in.event);
      if (!in.until) {
        return core::InvalidArgument("accepting a risk needs the date it expires", "/until");
      }
      if (*in.until < core::LocalDateOf(in.at)) {
        return core::InvalidArgument("the acceptance would expire on " +
                                         core::FormatIsoDate(*in.until) + ", before today (" +
                                         core::FormatIsoDate(core::LocalDateOf(in.at)) + ")",
                                     "/until");
      }
      move_to(FindingState::kAcceptedRisk);
      out.accepted_until = in.until;
      return out;
    }

    case FindingEvent::kRiskExpired:
      if (f.state != FindingState::kAcceptedRisk) return Refuse(f, in.event);
      // The acceptance holds through the end of its last local day.
      if (f.accepted_until && in.at <= core::EndOfLocalDay(*f.accepted_until)) {
        return Refuse(f, in.event, "accepted until " + core::FormatIsoDate(*f.accepted_until));
      }
      return move_to(FindingState::kOpen);

    case FindingEvent::kMarkFalsePositive:
      if (!Live(f.state) && f.state != FindingState::kAcceptedRisk) return Refuse(f, in.event);
      return move_to(FindingState::kFalsePositive);

    case FindingEvent::kReopen:
      if (f.state != FindingState::kFalsePositive && f.state != FindingState::kAcceptedRisk) {
        return Refuse(f, in.event);
      }
      return move_to(FindingState::kOpen);
  }
  return Refuse(f, in.event);
}

core::Instant SlaDue(const Finding& f, const SlaPolicy& policy) {
  // KEV wins over the severity deadline, earlier or later: the issue fixes "KEV -> the KEV due
  // date" as the rule for exploited CVEs.
  if (f.kev_due) return core::EndOfLocalDay(*f.kev_due);
  int days = policy.unknown_days;
  switch (f.severity) {
    case Severity::kCritical:
      days = policy.critical_days;
      break;
    case Severity::kHigh:
      days = policy.high_days;
      break;
    case Severity::kMedium:
      days = policy.medium_days;
      break;
    case Severity::kLow:
    case Severity::kNone:
      days = policy.low_days;
      break;
    case Severity::kUnknown:
      break;
  }
  return core::EndOfLocalDay(core::AddDays(core::LocalDateOf(f.first_seen), days));
}

bool IsOverdue(const Finding& f, core::Instant now, const SlaPolicy& policy) {
  return Live(f.state) && now > SlaDue(f, policy);
}

bool Covers(const ScanScope& scope, const Finding& f) {
  if (!scope.system.empty() && scope.system != f.system) return false;
  const std::string asset = CanonicalAsset(f.asset);
  if (std::none_of(scope.assets.begin(), scope.assets.end(),
                   [&](const std::string& a) { return CanonicalAsset(a) == asset; })) {
    return false;
  }
  if (scope.ports.empty()) return true;
  return f.port != 0 &&
         std::find(scope.ports.begin(), scope.ports.end(), f.port) != scope.ports.end();
}

ReconcileResult Reconcile(const std::vector<Finding>& previous,
                          const std::vector<Observation>& seen, const ScanScope& scope,
                          core::Instant now) {
  // The scan's observations by fingerprint, the highest tier kept, in first-seen order.
  std::map<std::string, size_t> seen_pos;
  std::vector<const Observation*> observations;
  std::vector<std::string> observation_fps;
  for (const Observation& o : seen) {
    std::string fp = Fingerprint(o);
    auto [it, fresh] = seen_pos.try_emplace(fp, observations.size());
    if (fresh) {
      observations.push_back(&o);
      observation_fps.push_back(std::move(fp));
    } else if (o.tier > observations[it->second]->tier) {
      observations[it->second] = &o;
    }
  }
  std::vector<bool> matched(observations.size(), false);

  ReconcileResult r;
  std::map<std::string, bool> known;
  for (const Finding& prev : previous) {
    const std::string fp = prev.fingerprint.empty() ? Fingerprint(prev) : prev.fingerprint;
    if (!known.try_emplace(fp, true).second) {
      r.unchanged.push_back(prev);  // a duplicate: the caller's bug, left alone
      continue;
    }
    Finding f = prev;
    f.fingerprint = fp;
    bool reopened = false;
    // An acceptance that has run out reopens the finding first.
    if (f.state == FindingState::kAcceptedRisk) {
      if (auto open = Transition(f, {FindingEvent::kRiskExpired, now, std::nullopt})) {
        f = std::move(*open);
        reopened = true;
      }
    }
    auto hit = seen_pos.find(fp);
    if (hit != seen_pos.end()) {
      matched[hit->second] = true;
      const Observation& o = *observations[hit->second];
      // The newest knowledge of the CVE and the product replaces the old.
      f.cpe = o.cpe;
      f.tier = o.tier;
      f.severity = o.severity;
      f.kev_due = o.kev_due;
      const bool was_fixed = f.state == FindingState::kFixed;
      auto updated = Transition(f, {FindingEvent::kSeenByScan, now, std::nullopt});
      if (updated) f = std::move(*updated);  // kSeenByScan is allowed in every state
      if (was_fixed || reopened) {
        r.reopened.push_back(std::move(f));
      } else if (Live(f.state)) {
        r.still_open.push_back(std::move(f));
      } else {
        r.unchanged.push_back(std::move(f));
      }
      continue;
    }
    const bool can_fix = Live(f.state) || f.state == FindingState::kAcceptedRisk;
    if (can_fix && Covers(scope, f)) {
      if (auto fixed = Transition(f, {FindingEvent::kNotSeenByScan, now, std::nullopt})) {
        r.fixed.push_back(std::move(*fixed));
        continue;
      }
      // A scan not later than the last sighting proves nothing: fall through, unchanged.
    }
    if (reopened) {
      r.reopened.push_back(std::move(f));
    } else {
      r.unchanged.push_back(std::move(f));
    }
  }
  for (size_t i = 0; i < observations.size(); ++i) {
    if (!matched[i]) r.new_findings.push_back(NewFinding(*observations[i], now));
  }
  return r;
}

}  // namespace ucsc::scan
