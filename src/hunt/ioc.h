// IOC sweeps: indicator files (one indicator per line, or STIX 2.1 bundles) turned into synthetic
// Sigma rules that run on the same engine (`ucsc hunt --ioc FILE`).
//
// Line files: one indicator per line; blank lines and lines starting with `#` are skipped. The
// type is detected from the value (see DetectIoc) or given as `type:value` (`domain:evil.zip`).
// Common defanging is undone first (`hxxp`, `[.]`, `(.)`, `{.}`, `[dot]`, `[:]`, `[@]`).
//
// STIX 2.1 bundles (recognised by content: the text starts with `{`): `indicator` objects with
// pattern_type "stix" (or none, as in STIX 2.0). The supported pattern subset is comparison
// expressions `object-path = 'value'`, `IN ('a', 'b')`, `LIKE`, `MATCHES` and (for IP
// addresses) `ISSUBSET 'net/len'`, joined by AND / OR with parentheses inside one observation
// `[...]`, and observations joined by OR. AND inside one observation means every comparison must
// hold on the same event. Everything else (FOLLOWEDBY, AND between observations, WITHIN /
// REPEATS / START-STOP qualifiers, NOT, `!=`, `<`, …, object paths without a mapping) refuses
// that indicator with a reason. Expired (valid_until in the past) and revoked indicators are
// skipped and counted.
//
// IocSweep::Add turns the indicators into rules on the same engine. Single equality indicators
// (nearly all of them) go into one hash set per field group, e.g. "ip": DestinationIp, SourceIp,
// IpAddress, src_ip, …; each group becomes one rule whose selection reads every field of the
// group with a ValueKind::kMatcher value that looks up keys taken from the field value (the
// address, the host and its parent domains, each "algo=hash" of Sysmon's Hashes, the file name
// after the last \, the registry key and its parents, …). So 100,000 indicators cost a few
// hash lookups per event, not 100,000 literals. Indicators with AND, LIKE or MATCHES (and
// `commandline:` contains) get one ordinary rule each. All IOC rules route to one added source
// with `channel: '*'` (every event, also events without a Channel). After a hit,
// IocSweep::Describe finds which indicator and which field matched (the `ioc` member).
//
// Thread-safety: the parse functions are reentrant. An IocSweep is immutable after Add and may be
// shared by all hunt threads (Describe and the set lookups are const; they use thread-local
// buffers).
//
// Example:
//   IocSet set;
//   UCSC_RETURN_IF_ERROR(LoadIocFile("iocs.txt", {.now = clock.Now()}, &set));
//   IocSweep sweep = IocSweep::Add(std::move(set.indicators), &rules, &map);
//   auto plan = Plan::Compile(rules, map);
//   opts.detection_extra = [&](std::size_t r, const Event& e) { return sweep.Describe(r, e); };
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "hunt/event.h"
#include "hunt/sigma/logsource.h"
#include "hunt/sigma/sigma_rule.h"

namespace ucsc::hunt {

enum class IocType {
  kIpv4,
  kIpv6,
  kCidr,
  kDomain,
  kUrl,
  kMd5,
  kSha1,
  kSha256,
  kSha512,
  kImphash,
  kEmail,
  kFileName,
  kFilePath,
  kRegistry,
  kCommandLine,
};
// "ipv4", "ipv6", "cidr", "domain", "url", "md5", "sha1", "sha256", "sha512", "imphash",
// "email", "filename", "filepath", "registry", "commandline".
std::string_view IocTypeName(IocType type);
// The names above and aliases (ip, hostname, uri, file, path, regkey, cmdline, ipv4-addr,
// domain-name, email-addr, …), ASCII case-insensitive. nullopt when unknown.
std::optional<IocType> ParseIocType(std::string_view name);

enum class IocOp {
  kEquals,    // the type's own matching (exact, path suffix for file names, subdomains, …)
  kContains,  // `commandline:` lines: the command line contains the value
  kLike,      // STIX LIKE: `%` any run, `_` one character
  kMatches,   // STIX MATCHES: RE2 regular expression, unanchored
};

// One comparison of an indicator. `value` is normalised (lower-case hashes and domains,
// canonical IP text, refanged).
struct IocTerm {
  IocType type = IocType::kDomain;
  IocOp op = IocOp::kEquals;
  std::string value;
};

struct Indicator {
  std::vector<IocTerm> terms;  // all must hold on one event (one term for line files)
  std::string stix_id;         // STIX only
  std::string name;            // STIX only (may be empty)
  std::string source;          // "file:line" or "file: indicator--…"
};

struct IocReject {
  std::string where;  // "file:line" or "file: indicator--…"
  std::string reason;
  std::string ToString() const;  // "where: reason"
};

struct IocSet {
  std::vector<Indicator> indicators;
  std::vector<IocReject> rejected;
  std::size_t expired = 0;     // STIX valid_until before `now`: skipped
  std::size_t revoked = 0;     // STIX revoked: true: skipped
  std::size_t duplicates = 0;  // same type and value as an earlier indicator: skipped
};

struct IocParseOptions {
  // When set, STIX indicators whose valid_until is not after `now` are skipped (counted in
  // IocSet::expired). When unset nothing expires.
  std::optional<core::Instant> now;
};

// Undoes common defanging: hxxp(s)/hXXp → http(s), fxp → ftp, [.] (.) {.} [dot] → ., [:] → :,
// [://] → ://, [@] [at] → @, [/] → /.
std::string Refang(std::string_view text);

// Detects the type of one (already refanged, trimmed) value and normalises it. Returns
// kInvalidArgument with the reason when the value is no indicator of a known type.
core::Result<IocTerm> DetectIoc(std::string_view value);
// Normalises `value` as an indicator of `type` (validation included). kInvalidArgument with the
// reason when it is not one.
core::Result<IocTerm> NormalizeIoc(IocType type, std::string_view value);
// One line of a line file (no comment handling): refang, optional `type:` prefix, detection.
core::Result<IocTerm> ParseIocLine(std::string_view line);

// Parses one STIX pattern into indicators' term lists (OR of ANDs), or kInvalidArgument with the
// reason (syntax error, unsupported operator, qualifier or object path).
core::Result<std::vector<std::vector<IocTerm>>> ParseStixPattern(std::string_view pattern);

// Parses IOC text named `source` (a STIX bundle when it starts with `{`, else a line file) and
// appends to `*set`. Never throws; every refused line or indicator is recorded in set->rejected.
void ParseIocText(std::string_view text, std::string_view source, const IocParseOptions& options,
                  IocSet* set);
// Reads `path` and parses it. Returns kNotFound when the file cannot be read.
[[nodiscard]] core::Status LoadIocFile(const std::string& path, const IocParseOptions& options,
                                       IocSet* set);

class IocSweep {
 public:
  IocSweep() = default;
  // Appends the synthetic rules to `*rules` and their sources (channel '*') to `*map`.
  // REQUIRES: called before Plan::Compile over `*rules` / `*map`; `*rules` is not changed
  // afterwards (the plan points into it).
  static IocSweep Add(std::vector<Indicator> indicators, std::vector<Rule>* rules,
                      LogSourceMap* map);

  // For a detection of rule `rule_index` (an index into the rules given to Add) on `event`:
  // `,"ioc":{"type":…,"value":…,"field":…,"source":…[,"stix_id":…][,"name":…]}` naming the
  // first indicator of the rule that matches, or "" when the rule is no IOC rule.
  std::string Describe(std::size_t rule_index, const Event& event) const;

  // Rules added, and indicators kept.
  std::size_t rules() const;
  std::size_t indicators() const;

 private:
  struct Impl;
  std::shared_ptr<const Impl> impl_;  // immutable once built
};

}  // namespace ucsc::hunt
