// Observables of an incident (issue 14 §4): IP, CIDR, domain, URL, e-mail, file name,
// MD5/SHA-1/SHA-256, registry key, user account, process — validated per type, normalised, and
// defanged / refanged for safe display and sharing.
//
// Overlap: hunt/ioc.h validates and refangs indicators for sweeps. `incident` may not link `hunt`
// (STYLE.md layers), so the few checks are kept here; moving both onto one lower-level helper is
// a follow-up.
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace ucsc::incident {

enum class ObservableType {
  kIp,  // IPv4 or IPv6
  kCidr,
  kDomain,
  kUrl,
  kEmail,
  kFileName,
  kMd5,
  kSha1,
  kSha256,
  kRegistryKey,
  kUserAccount,
  kProcess,
};
// "ip", "cidr", "domain", "url", "email", "file_name", "md5", "sha1", "sha256", "registry_key",
// "user_account", "process".
std::string_view ObservableTypeName(ObservableType t);
std::optional<ObservableType> ParseObservableType(std::string_view s);
const std::vector<ObservableType>& AllObservableTypes();

struct Observable {
  ObservableType type = ObservableType::kIp;
  std::string value;  // normalised
  std::string comment;
  friend bool operator==(const Observable&, const Observable&) = default;
};

// Undoes common defanging: hxxp(s) → http(s), [.] (.) {.} [dot] (dot) → ., [@] [at] → @,
// [:] → :, [://] → ://.
std::string Refang(std::string_view text);
// Defangs a normalised value for display in reports and e-mails: '.' → "[.]" in IPs, CIDRs,
// domains, URLs and e-mail addresses, "http" → "hxxp", '@' → "[@]". Other types unchanged.
std::string Defang(const Observable& o);

// Refangs, trims and validates `raw` as an observable of `type`, returning it normalised
// (canonical IP text, lower-case domains, hashes and URL scheme/host, long registry hive).
// Errors: kInvalidArgument, field "/value", message "<type>: <reason>".
[[nodiscard]] core::Result<Observable> MakeObservable(ObservableType type, std::string_view raw,
                                                      std::string comment = {});

}  // namespace ucsc::incident
