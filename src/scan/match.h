// CVE matching: which CVEs of an NvdIndex (and which KEV entries) apply to one inventory — the
// CPEs known for one system or asset (its software and its operating system together, so that
// "application running on platform" AND configurations can be decided).
//
// Two confidence tiers (docs/decisions/0008-cve-matching.md, test vectors in
// ../shared/data/nvd/SOURCE.md):
// - confirmed: strict CPE 2.3 name matching. A criteria attribute "*" matches anything, "-"
//   matches only "-", a value only the same value; version ranges compare the version attribute
//   only and the criteria's update is compared as a plain attribute. AND/OR nodes, negate and
//   configuration operators are evaluated as the NVD defines them; a CVE is reported only through
//   a cpeMatch with vulnerable=true (a platform is never reported as vulnerable).
// - possible: the same, except where the inventory does not know an attribute the criteria names
//   (installed "*" against a criteria value or "-": Exchange 2016 with its update unknown), and a
//   range criterion whose update differs from the installed update while the installed version is
//   inside the range (OpenSSH 7.1p2 against "openssh:*:p1 <= 7.2"). At a range bound the update
//   decides, as if it were part of the version: 7.2p2 is after the bound "7.2 with p1", so it is
//   not matched at all.
// - A KEV entry whose CVE is not in the NVD data matches an inventory CPE as possible when the
//   normalised KEV vendor and product equal the CPE's vendor and product.
// Unknown-attribute "possible" results combine as a three-valued logic: AND takes the weaker,
// OR the stronger, NOT swaps confirmed and none and keeps possible.
//
// Installed OpenSSH versions written the portable way ("openbsd:openssh:8.9p1" with update "*")
// are split into version "8.9" and update "p1", the form NVD criteria use.
//
// Thread-safety: a Matcher only reads the index and catalogue it was given; Match() may run on
// many threads at once.
//
// Example:
//   UCSC_ASSIGN_OR_RETURN(auto nvd, LoadNvdFile(path));
//   Matcher m(nvd, &kev);
//   for (const VulnMatch& v : m.Match({*ParseCpe("cpe:2.3:a:openbsd:openssh:8.9:p1:*:*:*:*:*:*")}))
//     ...
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "scan/cpe.h"
#include "scan/internal/match_facts.h"
#include "scan/kev.h"
#include "scan/nvd.h"

namespace ucsc::scan {

enum class Tier : unsigned char { kNone = 0, kPossible = 1, kConfirmed = 2 };
std::string_view TierName(Tier tier);  // "none", "possible", "confirmed"

// Why a result is only possible (kExact for confirmed results).
enum class MatchReason : unsigned char {
  kExact,
  kAttributeUnknown,    // the inventory CPE has "*" where the criteria names a value or "-"
  kRangeUpdateDiffers,  // version inside a range whose criteria fix another update
  kKevName,             // KEV entry without NVD data, matched by vendor/product names
};
std::string_view MatchReasonName(MatchReason reason);

struct MatchResult {
  Tier tier = Tier::kNone;
  MatchReason reason = MatchReason::kExact;
};

// One inventory CPE affected by a CVE.
struct AffectedItem {
  size_t item = 0;  // index into the inventory given to Match()
  Tier tier = Tier::kNone;
  MatchReason reason = MatchReason::kExact;
};

struct VulnMatch {
  std::string cve_id;
  Tier tier = Tier::kNone;  // the best tier among `items`
  MatchReason reason = MatchReason::kExact;
  const CveRecord* cve = nullptr;  // nullptr for a KEV name match; points into the NvdIndex
  const KevEntry* kev = nullptr;   // set when the CVE is in the KEV catalogue
  std::vector<AffectedItem> items;
};

// Matches one criterion against one installed CPE (after the OpenSSH normalisation above).
MatchResult MatchCriterion(const Criterion& criterion, const Cpe& installed);
// The same with the installed version attribute already parsed: `version` is nullptr when that
// attribute is not a value or does not parse (a range then never matches it).
// REQUIRES: the criterion is valid and names the installed CPE's vendor and product (they are
// not compared again).
MatchResult MatchPrepared(const Criterion& criterion, const Cpe& installed, const Version* version);

// Applies the OpenSSH portable-version split described above; other CPEs come back unchanged.
Cpe NormaliseInstalled(Cpe cpe);

class Matcher {
 public:
  // REQUIRES: `nvd` (and `kev` when not null) outlive the Matcher and the results of Match().
  explicit Matcher(const NvdIndex& nvd, const KevCatalog* kev = nullptr);

  // Every CVE that applies to `inventory` with tier >= possible, confirmed first, then KEV, then
  // by CVSS score (highest first) and id. CPEs without a vendor or product value match nothing.
  std::vector<VulnMatch> Match(const std::vector<Cpe>& inventory) const;

 private:
  const NvdIndex& nvd_;
  const KevCatalog* kev_;
  // The KEV entry of each CVE record of `nvd_` (nullptr when not exploited), looked up once.
  std::vector<const KevEntry*> kev_of_cve_;
  // The position of each CVE id in id order: cve_rank_ by NVD record number, kev_rank_ by
  // KevCatalog::entries() index (only those not in `nvd_`), so that results sort by integers.
  std::vector<uint32_t> cve_rank_;
  std::vector<uint32_t> kev_rank_;
  // The cpeMatch entries of each node grouped by product: node n's entries are
  // node_groups_[node_group_start_[n] .. node_group_start_[n + 1]) (NvdIndex::node_matches()
  // numbers), sorted by (product number, position), with their product numbers beside them in
  // node_group_products_. An inventory names a few products, so a node with hundreds of entries
  // is decided by the few entries of those products (the others cannot match).
  std::vector<uint32_t> node_group_start_;
  std::vector<uint32_t> node_groups_;
  std::vector<uint32_t> node_group_products_;
  // The facts of each criterion (by number), read on the hot path instead of the Criterion.
  std::vector<internal::CriterionFacts> facts_;
  // KEV entries whose CVE is not in `nvd_`, by "vendor_key:product_key" (see kev.h).
  std::unordered_map<std::string, std::vector<const KevEntry*>> kev_by_name_;
};

}  // namespace ucsc::scan
