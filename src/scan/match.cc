#include "scan/match.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "scan/internal/match_facts.h"

namespace ucsc::scan {
namespace {

Tier Invert(Tier t) {
  if (t == Tier::kConfirmed) return Tier::kNone;
  if (t == Tier::kNone) return Tier::kConfirmed;
  return Tier::kPossible;
}

// Compares one criteria attribute with the installed one: confirmed, possible (installed
// unknown) or none.
Tier CompareAttr(const CpeValue& crit, const CpeValue& inst) {
  if (crit.IsAny()) return Tier::kConfirmed;
  if (inst.IsAny()) return Tier::kPossible;
  if (crit.IsNa()) return inst.IsNa() ? Tier::kConfirmed : Tier::kNone;
  return inst.IsValue() && inst.value == crit.value ? Tier::kConfirmed : Tier::kNone;
}

// Orders two update attributes at a range bound: NA ("no update") before any value, values as
// versions (p1 < p2 < p10). Unparsable values compare as text.
int CompareUpdates(const CpeValue& a, const CpeValue& b) {
  if (a.IsNa() || b.IsNa()) return a.IsNa() == b.IsNa() ? 0 : (a.IsNa() ? -1 : 1);
  auto va = Version::Parse(a.value);
  auto vb = Version::Parse(b.value);
  if (va && vb) return Version::Compare(*va, *vb);
  return a.value.compare(b.value);
}

}  // namespace

std::string_view TierName(Tier tier) {
  switch (tier) {
    case Tier::kConfirmed:
      return "confirmed";
    case Tier::kPossible:
      return "possible";
    case Tier::kNone:
      break;
  }
  return "none";
}

std::string_view MatchReasonName(MatchReason reason) {
  switch (reason) {
    case MatchReason::kExact:
      return "exact";
    case MatchReason::kAttributeUnknown:
      return "attribute_unknown";
    case MatchReason::kRangeUpdateDiffers:
      return "range_update_differs";
    case MatchReason::kKevName:
      return "kev_name";
  }
  return "exact";
}

Cpe NormaliseInstalled(Cpe cpe) {
  const CpeValue& version = cpe.version();
  if (cpe.vendor() != CpeValue::Of("openbsd") || cpe.product() != CpeValue::Of("openssh") ||
      !version.IsValue() || !cpe.update().IsAny()) {
    return cpe;
  }
  // "8.9p1" -> version "8.9", update "p1": digits and dots, then 'p' and digits.
  const std::string& v = version.value;
  size_t p = v.rfind('p');
  if (p == std::string::npos || p == 0 || p + 1 >= v.size()) return cpe;
  for (size_t i = 0; i < v.size(); ++i) {
    char c = v[i];
    bool ok = i < p ? ((c >= '0' && c <= '9') || c == '.') : (i == p || (c >= '0' && c <= '9'));
    if (!ok) return cpe;
  }
  std::string update = v.substr(p);
  std::string base = v.substr(0, p);
  cpe.Mutable(CpeAttr::kVersion) = CpeValue::Of(std::move(base));
  cpe.Mutable(CpeAttr::kUpdate) = CpeValue::Of(std::move(update));
  return cpe;
}

MatchResult MatchCriterion(const Criterion& c, const Cpe& inst) {
  if (!c.valid || CompareAttr(c.cpe.vendor(), inst.vendor()) != Tier::kConfirmed ||
      CompareAttr(c.cpe.product(), inst.product()) != Tier::kConfirmed) {
    return {Tier::kNone, MatchReason::kExact};
  }
  std::optional<Version> v;
  if (inst.version().IsValue()) {
    auto parsed = Version::Parse(inst.version().value);
    if (parsed) v = std::move(*parsed);
  }
  return MatchPrepared(c, inst, v ? &*v : nullptr);
}

namespace {

using internal::CriterionFacts;

CriterionFacts FactsOf(const Criterion& c) {
  CriterionFacts f;
  f.valid = c.valid;
  f.range = c.HasRange();
  f.start = c.start_version.has_value();
  f.end = c.end_version.has_value();
  f.start_including = c.start_including;
  f.end_including = c.end_including;
  for (size_t a = 0; a < kCpeAttrCount; ++a) {
    if (!c.cpe.Get(static_cast<CpeAttr>(a)).IsAny()) f.attrs |= static_cast<uint16_t>(1u << a);
  }
  return f;
}

// MatchPrepared with the facts given and the version comparisons left to the caller:
// cmp_start() / cmp_end() compare the installed version with the start / end bound (<0, 0, >0),
// and are called only when the installed version is a parsed value and that bound exists.
// `has_version` says whether the installed version attribute parsed.
template <class CmpStart, class CmpEnd>
MatchResult MatchWith(const Criterion& c, const CriterionFacts& f, const Cpe& inst,
                      bool has_version, CmpStart cmp_start, CmpEnd cmp_end) {
  MatchResult result{Tier::kConfirmed, MatchReason::kExact};
  auto lower = [&](Tier t, MatchReason why) {
    if (t < result.tier) {
      result.tier = t;
      result.reason = why;
    }
  };
  if (!f.valid) return {Tier::kNone, MatchReason::kExact};
  constexpr auto kBit = [](CpeAttr a) { return 1u << static_cast<unsigned>(a); };
  for (size_t a = 0; a < kCpeAttrCount; ++a) {
    auto attr = static_cast<CpeAttr>(a);
    // A criteria "*" matches anything (CompareAttr would say confirmed): nothing to look at.
    if ((f.attrs & kBit(attr)) == 0) continue;
    if (attr == CpeAttr::kVendor || attr == CpeAttr::kProduct) continue;  // the caller's job
    if (f.range && (attr == CpeAttr::kVersion || attr == CpeAttr::kUpdate)) continue;
    Tier t = CompareAttr(c.cpe.Get(attr), inst.Get(attr));
    if (t == Tier::kNone) return {Tier::kNone, MatchReason::kExact};
    lower(t, MatchReason::kAttributeUnknown);
  }
  if (!f.range) return result;

  // A range criterion: its own version attribute is normally "*"; a literal one must also match.
  if ((f.attrs & kBit(CpeAttr::kVersion)) != 0) {
    Tier t = CompareAttr(c.cpe.version(), inst.version());
    if (t == Tier::kNone) return {Tier::kNone, MatchReason::kExact};
    lower(t, MatchReason::kAttributeUnknown);
  }
  const CpeValue& iv = inst.version();
  if (iv.IsNa()) return {Tier::kNone, MatchReason::kExact};
  bool at_start = false, at_end = false;
  if (iv.IsAny()) {
    lower(Tier::kPossible, MatchReason::kAttributeUnknown);
  } else {
    if (!has_version) return {Tier::kNone, MatchReason::kExact};
    if (f.start) {
      int cmp = cmp_start();
      if (cmp < 0 || (cmp == 0 && !f.start_including)) return {Tier::kNone, MatchReason::kExact};
      at_start = cmp == 0;
    }
    if (f.end) {
      int cmp = cmp_end();
      if (cmp > 0 || (cmp == 0 && !f.end_including)) return {Tier::kNone, MatchReason::kExact};
      at_end = cmp == 0;
    }
  }
  // The update attribute of a range criterion.
  if ((f.attrs & kBit(CpeAttr::kUpdate)) == 0) return result;
  const CpeValue& cu = c.cpe.update();
  const CpeValue& iu = inst.update();
  if (iu.IsAny()) {
    lower(Tier::kPossible, MatchReason::kAttributeUnknown);
    return result;
  }
  if (CompareAttr(cu, iu) == Tier::kConfirmed) return result;
  // The update differs. At an inclusive bound the update decides as part of the version.
  if (at_end && CompareUpdates(iu, cu) > 0) return {Tier::kNone, MatchReason::kExact};
  if (at_start && CompareUpdates(iu, cu) < 0) return {Tier::kNone, MatchReason::kExact};
  lower(Tier::kPossible, MatchReason::kRangeUpdateDiffers);
  return result;
}

}  // namespace

MatchResult MatchPrepared(const Criterion& c, const Cpe& inst, const Version* version) {
  if (!c.valid) return {Tier::kNone, MatchReason::kExact};
  return MatchWith(
      c, FactsOf(c), inst, version != nullptr,
      [&] { return Version::Compare(*version, *c.start_version); },
      [&] { return Version::Compare(*version, *c.end_version); });
}

Matcher::Matcher(const NvdIndex& nvd, const KevCatalog* kev) : nvd_(nvd), kev_(kev) {
  const size_t cve_count = nvd_.cves().size();
  kev_of_cve_.assign(cve_count, nullptr);
  // Every id a result can carry (NVD records, then KEV entries without NVD data), ranked in
  // string order.
  std::vector<std::pair<std::string_view, size_t>> ids;  // id, NVD number or cve_count + KEV index
  ids.reserve(cve_count + (kev_ != nullptr ? kev_->entries().size() : 0));
  for (size_t i = 0; i < cve_count; ++i) ids.emplace_back(nvd_.cves()[i].id, i);
  if (kev_ != nullptr) {
    kev_rank_.assign(kev_->entries().size(), 0);
    for (size_t k = 0; k < kev_->entries().size(); ++k) {
      const KevEntry& e = kev_->entries()[k];
      if (auto cve_no = nvd_.FindCve(e.cve_id)) {
        kev_of_cve_[*cve_no] = &e;
      } else {
        ids.emplace_back(e.cve_id, cve_count + k);
      }
    }
  }
  std::sort(ids.begin(), ids.end());
  cve_rank_.assign(cve_count, 0);
  uint32_t rank = 0;
  for (size_t pos = 0; pos < ids.size(); ++pos) {
    if (pos > 0 && ids[pos].first != ids[pos - 1].first) ++rank;
    if (ids[pos].second < cve_count) {
      cve_rank_[ids[pos].second] = rank;
    } else {
      kev_rank_[ids[pos].second - cve_count] = rank;
    }
  }
  // The facts of each criterion, read on the hot path instead of the Criterion itself.
  facts_.reserve(nvd_.criteria().size());
  for (const Criterion& c : nvd_.criteria()) {
    facts_.push_back(FactsOf(c));
  }

  const auto& nodes = nvd_.nodes();
  node_group_start_.reserve(nodes.size() + 1);
  node_groups_.reserve(nvd_.node_matches().size());
  node_group_products_.reserve(nvd_.node_matches().size());
  for (const NvdNode& node : nodes) {
    node_group_start_.push_back(static_cast<uint32_t>(node_groups_.size()));
    const size_t begin = node_groups_.size();
    for (uint32_t m = node.first_match; m < node.first_match + node.match_count; ++m) {
      node_groups_.push_back(m);
    }
    auto product_of = [&](uint32_t m) {
      return nvd_.criterion_products()[nvd_.node_matches()[m].criterion];
    };
    std::stable_sort(node_groups_.begin() + static_cast<ptrdiff_t>(begin), node_groups_.end(),
                     [&](uint32_t a, uint32_t b) { return product_of(a) < product_of(b); });
    for (size_t g = begin; g < node_groups_.size(); ++g) {
      node_group_products_.push_back(product_of(node_groups_[g]));
    }
  }
  node_group_start_.push_back(static_cast<uint32_t>(node_groups_.size()));
  if (kev_ == nullptr) return;
  for (const KevEntry& e : kev_->entries()) {
    if (nvd_.FindCve(e.cve_id)) continue;
    kev_by_name_[e.vendor_key + ":" + e.product_key].push_back(&e);
    // "Apache" / "Apache HTTP Server" is also found as apache:http_server.
    if (e.product_key.size() > e.vendor_key.size() + 1 &&
        e.product_key.compare(0, e.vendor_key.size() + 1, e.vendor_key + "_") == 0) {
      kev_by_name_[e.vendor_key + ":" + e.product_key.substr(e.vendor_key.size() + 1)].push_back(
          &e);
    }
  }
}

std::vector<VulnMatch> Matcher::Match(const std::vector<Cpe>& inventory) const {
  constexpr uint32_t kNoProduct = 0xFFFFFFFF;
  std::vector<Cpe> items;
  std::vector<uint32_t> products;  // product number of each item in the index
  std::vector<std::optional<Version>> versions;
  items.reserve(inventory.size());
  for (const Cpe& cpe : inventory) {
    items.push_back(NormaliseInstalled(cpe));
    const Cpe& item = items.back();
    std::optional<uint32_t> pid;
    if (item.vendor().IsValue() && item.product().IsValue()) pid = nvd_.FindProductId(item.Key());
    products.push_back(pid ? *pid : kNoProduct);
    std::optional<Version> v;
    if (item.version().IsValue()) {
      auto parsed = Version::Parse(item.version().value);
      if (parsed) v = std::move(*parsed);
    }
    versions.push_back(std::move(v));
  }
  auto match_item = [&](uint32_t cid, size_t i) {
    const Criterion& c = nvd_.criteria()[cid];
    const Version* v = versions[i] ? &*versions[i] : nullptr;
    return MatchWith(
        c, facts_[cid], items[i], v != nullptr,
        [&] { return Version::Compare(*v, *c.start_version); },
        [&] { return Version::Compare(*v, *c.end_version); });
  };

  // Whether item i is the only inventory CPE of its product (then the memo below is its result).
  std::vector<bool> sole(items.size(), true);
  for (size_t i = 0; i < items.size(); ++i) {
    for (size_t k = 0; k < i; ++k) {
      if (products[k] == products[i]) sole[i] = sole[k] = false;
    }
  }
  // The best result of each criterion against the inventory CPEs of its product, computed once:
  // the tier in bits 0-1, the reason in bits 2-3.
  constexpr unsigned char kUnknown = 0xFF;
  std::vector<unsigned char> memo(nvd_.criteria().size(), kUnknown);
  auto eval_full = [&](uint32_t cid) -> MatchResult {
    if (memo[cid] != kUnknown) {
      return {static_cast<Tier>(memo[cid] & 3), static_cast<MatchReason>(memo[cid] >> 2)};
    }
    const uint32_t product = nvd_.criterion_products()[cid];
    MatchResult best{Tier::kNone, MatchReason::kExact};
    for (size_t i = 0; i < items.size() && best.tier != Tier::kConfirmed; ++i) {
      if (products[i] != product) continue;
      MatchResult r = match_item(cid, i);
      if (r.tier > best.tier) best = r;
    }
    memo[cid] = static_cast<unsigned char>(static_cast<unsigned>(best.tier) |
                                           (static_cast<unsigned>(best.reason) << 2));
    return best;
  };
  auto eval = [&](uint32_t cid) -> Tier {
    if (memo[cid] != kUnknown) return static_cast<Tier>(memo[cid] & 3);
    return eval_full(cid).tier;
  };

  // Candidate CVEs: those using, as vulnerable, a criterion that matches some inventory CPE.
  // The inventory's products (in the index), once each, and the entries of one node naming one.
  std::vector<uint32_t> inv_products;
  for (uint32_t product : products) {
    if (product != kNoProduct) inv_products.push_back(product);
  }
  std::sort(inv_products.begin(), inv_products.end());
  inv_products.erase(std::unique(inv_products.begin(), inv_products.end()), inv_products.end());
  auto group_of = [&](uint32_t node, uint32_t product) -> std::span<const uint32_t> {
    const uint32_t* first = node_group_products_.data() + node_group_start_[node];
    const uint32_t* last = node_group_products_.data() + node_group_start_[node + 1];
    auto [lo, hi] = std::equal_range(first, last, product);
    return {node_groups_.data() + (lo - node_group_products_.data()), static_cast<size_t>(hi - lo)};
  };

  std::vector<uint32_t> candidates;
  for (size_t i = 0; i < items.size(); ++i) {
    if (products[i] == kNoProduct) continue;
    const ProductCriteria& pc = nvd_.product(products[i]);
    auto visit = [&](uint32_t cid) {
      if (nvd_.CvesOfCriterion(cid).empty()) return;
      if (eval(cid) == Tier::kNone) return;
      const auto& cves = nvd_.CvesOfCriterion(cid);
      candidates.insert(candidates.end(), cves.begin(), cves.end());
    };
    const CpeValue& v = items[i].version();
    if (v.IsValue()) {
      auto it = pc.by_version.find(v.value);
      if (it != pc.by_version.end()) {
        for (uint32_t cid : it->second) visit(cid);
      }
    } else if (v.IsAny()) {
      for (const auto& [version, ids] : pc.by_version) {
        for (uint32_t cid : ids) visit(cid);
      }
    }
    for (uint32_t cid : pc.open) visit(cid);
  }

  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());

  std::vector<VulnMatch> out;
  std::vector<AffectedItem> affected;
  for (uint32_t cve_no : candidates) {
    const CveRecord& rec = nvd_.cves()[cve_no];
    affected.clear();
    for (uint32_t cfg_idx = rec.first_config; cfg_idx < rec.first_config + rec.config_count;
         ++cfg_idx) {
      const NvdConfig& cfg = nvd_.configs()[cfg_idx];
      Tier cfg_tier = cfg.and_op ? Tier::kConfirmed : Tier::kNone;
      for (uint32_t n = cfg.first_node; n < cfg.first_node + cfg.node_count; ++n) {
        const NvdNode& node = nvd_.nodes()[n];
        // Entries of products outside the inventory evaluate to none: an OR node is decided by
        // the entries of the inventory's products, an AND node is none unless all its entries
        // name those products.
        Tier node_tier = Tier::kNone;
        if (node.and_op) {
          uint32_t seen = 0;
          for (uint32_t product : inv_products) seen += group_of(n, product).size();
          if (seen == node.match_count && node.match_count > 0) {
            node_tier = Tier::kConfirmed;
            for (uint32_t product : inv_products) {
              for (uint32_t m : group_of(n, product)) {
                node_tier = std::min(node_tier, eval(nvd_.node_matches()[m].criterion));
                if (node_tier == Tier::kNone) break;
              }
            }
          }
        } else {
          for (uint32_t product : inv_products) {
            for (uint32_t m : group_of(n, product)) {
              node_tier = std::max(node_tier, eval(nvd_.node_matches()[m].criterion));
              if (node_tier == Tier::kConfirmed) break;
            }
            if (node_tier == Tier::kConfirmed) break;
          }
        }
        if (node.negate) node_tier = Invert(node_tier);
        cfg_tier = cfg.and_op ? std::min(cfg_tier, node_tier) : std::max(cfg_tier, node_tier);
      }
      if (cfg.node_count == 0) cfg_tier = Tier::kNone;
      if (cfg.negate) cfg_tier = Invert(cfg_tier);
      if (cfg_tier == Tier::kNone) continue;
      // Report the inventory CPEs named by vulnerable entries of the non-negated nodes. Within
      // one product the entries come in their order in the record, so an item's first best
      // reason is the same as in a walk over all entries.
      for (uint32_t n = cfg.first_node; n < cfg.first_node + cfg.node_count; ++n) {
        const NvdNode& node = nvd_.nodes()[n];
        if (node.negate) continue;
        for (uint32_t product : inv_products) {
          for (uint32_t m : group_of(n, product)) {
            const NodeMatch& nm = nvd_.node_matches()[m];
            if (!nm.vulnerable || eval(nm.criterion) == Tier::kNone) continue;
            for (size_t i = 0; i < items.size(); ++i) {
              if (products[i] != product) continue;
              MatchResult r = sole[i] ? eval_full(nm.criterion) : match_item(nm.criterion, i);
              if (r.tier == Tier::kNone) continue;
              if (cfg_tier < r.tier) r = {cfg_tier, MatchReason::kAttributeUnknown};
              auto it = std::find_if(affected.begin(), affected.end(),
                                     [&](const AffectedItem& a) { return a.item == i; });
              if (it == affected.end()) {
                affected.push_back({i, r.tier, r.reason});
              } else if (r.tier > it->tier) {
                it->tier = r.tier;
                it->reason = r.reason;
              }
            }
          }
        }
      }
    }
    if (affected.empty()) continue;
    std::sort(affected.begin(), affected.end(),
              [](const AffectedItem& a, const AffectedItem& b) { return a.item < b.item; });
    VulnMatch vm;
    vm.cve_id = rec.id;
    vm.cve = &rec;
    vm.kev = kev_of_cve_[cve_no];
    for (const auto& a : affected) {
      if (a.tier > vm.tier) {
        vm.tier = a.tier;
        vm.reason = a.reason;
      }
    }
    vm.items = affected;
    out.push_back(std::move(vm));
  }

  // KEV entries without NVD data, by vendor/product name.
  if (!kev_by_name_.empty()) {
    std::unordered_map<const KevEntry*, size_t> kev_pos;
    for (size_t i = 0; i < items.size(); ++i) {
      if (!items[i].vendor().IsValue() || !items[i].product().IsValue()) continue;
      auto it = kev_by_name_.find(NormaliseName(items[i].vendor().value) + ":" +
                                  NormaliseName(items[i].product().value));
      if (it == kev_by_name_.end()) continue;
      for (const KevEntry* e : it->second) {
        auto [pos, inserted] = kev_pos.try_emplace(e, out.size());
        if (inserted) {
          VulnMatch vm;
          vm.cve_id = e->cve_id;
          vm.tier = Tier::kPossible;
          vm.reason = MatchReason::kKevName;
          vm.kev = e;
          out.push_back(std::move(vm));
        }
        out[pos->second].items.push_back({i, Tier::kPossible, MatchReason::kKevName});
      }
    }
  }

  // Confirmed first, then KEV, then by CVSS score (highest first), then by id: one integer key
  // per result (scores have one decimal in the NVD; thousandths keep them apart regardless).
  std::vector<std::pair<uint64_t, uint32_t>> order(out.size());
  for (size_t pos = 0; pos < out.size(); ++pos) {
    const VulnMatch& m = out[pos];
    const double score = m.cve != nullptr ? m.cve->cvss.base_score : 0;
    const auto score_key = static_cast<uint64_t>(
        std::clamp<int64_t>(100'000 - std::llround(score * 1000), 0, (int64_t{1} << 20) - 1));
    const uint64_t rank = m.cve != nullptr ? cve_rank_[m.cve - nvd_.cves().data()]
                                           : kev_rank_[m.kev - kev_->entries().data()];
    const uint64_t key = (uint64_t{2} - static_cast<uint64_t>(m.tier)) << 62 |
                         uint64_t{m.kev == nullptr} << 61 | score_key << 40 | rank;
    order[pos] = {key, static_cast<uint32_t>(pos)};
  }
  std::sort(order.begin(), order.end());
  std::vector<VulnMatch> sorted;
  sorted.reserve(out.size());
  for (const auto& [key, pos] : order) sorted.push_back(std::move(out[pos]));
  return sorted;
}

}  // namespace ucsc::scan
