// Matcher::Match against a plain reference: every configuration of every CVE of the shared NVD
// subset walked entry by entry with MatchCriterion, as match.h defines the semantics. The
// Matcher's indexes (criteria by product and version, node entries grouped by product, the
// per-criterion facts and the memo) must change nothing: same CVEs, tiers, reasons and items.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "scan/match.h"

namespace ucsc::scan {
namespace {

const char* kSubset = UCSC_SHARED_DIR "/data/nvd/nvd-subset.json.zst";

Tier Invert(Tier t) {
  if (t == Tier::kConfirmed) return Tier::kNone;
  if (t == Tier::kNone) return Tier::kConfirmed;
  return Tier::kPossible;
}

// CVE id -> (tier, reason, [(item, tier, reason)]).
using Outcome =
    std::map<std::string,
             std::tuple<Tier, MatchReason, std::vector<std::tuple<size_t, Tier, MatchReason>>>>;

Outcome Reference(const NvdIndex& nvd, const std::vector<Cpe>& inventory) {
  std::vector<Cpe> items;
  for (const Cpe& c : inventory) items.push_back(NormaliseInstalled(c));
  auto result = [&](uint32_t cid, size_t i) {
    return MatchCriterion(nvd.criteria()[cid], items[i]);
  };
  auto best = [&](uint32_t cid) {
    Tier t = Tier::kNone;
    for (size_t i = 0; i < items.size(); ++i) t = std::max(t, result(cid, i).tier);
    return t;
  };
  Outcome out;
  for (const CveRecord& rec : nvd.cves()) {
    std::vector<std::tuple<size_t, Tier, MatchReason>> affected;
    for (uint32_t k = rec.first_config; k < rec.first_config + rec.config_count; ++k) {
      const NvdConfig& cfg = nvd.configs()[k];
      Tier cfg_tier = cfg.and_op ? Tier::kConfirmed : Tier::kNone;
      for (uint32_t n = cfg.first_node; n < cfg.first_node + cfg.node_count; ++n) {
        const NvdNode& node = nvd.nodes()[n];
        Tier node_tier = node.and_op ? Tier::kConfirmed : Tier::kNone;
        for (uint32_t m = node.first_match; m < node.first_match + node.match_count; ++m) {
          Tier t = best(nvd.node_matches()[m].criterion);
          node_tier = node.and_op ? std::min(node_tier, t) : std::max(node_tier, t);
        }
        if (node.match_count == 0) node_tier = Tier::kNone;
        if (node.negate) node_tier = Invert(node_tier);
        cfg_tier = cfg.and_op ? std::min(cfg_tier, node_tier) : std::max(cfg_tier, node_tier);
      }
      if (cfg.node_count == 0) cfg_tier = Tier::kNone;
      if (cfg.negate) cfg_tier = Invert(cfg_tier);
      if (cfg_tier == Tier::kNone) continue;
      for (uint32_t n = cfg.first_node; n < cfg.first_node + cfg.node_count; ++n) {
        const NvdNode& node = nvd.nodes()[n];
        if (node.negate) continue;
        for (uint32_t m = node.first_match; m < node.first_match + node.match_count; ++m) {
          const NodeMatch& nm = nvd.node_matches()[m];
          if (!nm.vulnerable) continue;
          for (size_t i = 0; i < items.size(); ++i) {
            MatchResult r = result(nm.criterion, i);
            if (r.tier == Tier::kNone) continue;
            if (cfg_tier < r.tier) r = {cfg_tier, MatchReason::kAttributeUnknown};
            auto it = std::find_if(affected.begin(), affected.end(),
                                   [&](const auto& a) { return std::get<0>(a) == i; });
            if (it == affected.end()) {
              affected.emplace_back(i, r.tier, r.reason);
            } else if (r.tier > std::get<1>(*it)) {
              *it = {i, r.tier, r.reason};
            }
          }
        }
      }
    }
    if (affected.empty()) continue;
    std::sort(affected.begin(), affected.end());
    Tier tier = Tier::kNone;
    MatchReason reason = MatchReason::kExact;
    for (const auto& [i, t, why] : affected) {
      if (t > tier) {
        tier = t;
        reason = why;
      }
    }
    out[rec.id] = {tier, reason, affected};
  }
  return out;
}

Outcome FromMatcher(const std::vector<VulnMatch>& matches) {
  Outcome out;
  for (const VulnMatch& m : matches) {
    std::vector<std::tuple<size_t, Tier, MatchReason>> items;
    for (const AffectedItem& a : m.items) items.emplace_back(a.item, a.tier, a.reason);
    out[m.cve_id] = {m.tier, m.reason, items};
  }
  return out;
}

class MatchReference : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto nvd = LoadNvdFile(kSubset);
    ASSERT_TRUE(nvd) << nvd.error().ToString();
    nvd_ = std::make_unique<NvdIndex>(std::move(*nvd));
  }
  static void TearDownTestSuite() { nvd_.reset(); }

  static void Expect(const std::vector<std::string>& cpes) {
    std::vector<Cpe> inventory;
    std::string label;
    for (const auto& s : cpes) {
      auto c = ParseAnyCpe(s);
      ASSERT_TRUE(c) << s;
      inventory.push_back(*c);
      label += s + " ";
    }
    Matcher matcher(*nvd_);
    const Outcome expected = Reference(*nvd_, inventory);
    const Outcome actual = FromMatcher(matcher.Match(inventory));
    EXPECT_EQ(actual.size(), expected.size()) << label;
    EXPECT_TRUE(actual == expected) << label;
  }

  static std::unique_ptr<NvdIndex> nvd_;
};
std::unique_ptr<NvdIndex> MatchReference::nvd_;

TEST_F(MatchReference, HandPickedInventories) {
  Expect({"cpe:2.3:a:openbsd:openssh:8.9:p1"});
  Expect({"cpe:2.3:a:openbsd:openssh:8.9p1"});  // the portable form, split by the matcher
  Expect({"cpe:2.3:a:openbsd:openssh:7.2:p2", "cpe:2.3:a:openbsd:openssh:7.1:*"});  // same product
  Expect({"cpe:2.3:a:openbsd:openssh"});                                            // version ANY
  Expect({"cpe:2.3:a:php:php:8.1.0:-", "cpe:2.3:o:redhat:linux:9.0"});  // application on platform
  Expect({"cpe:2.3:a:microsoft:exchange_server:2016:*"});
  Expect({"cpe:2.3:a:microsoft:exchange_server:2019:cumulative_update_12"});
  Expect({"cpe:2.3:a:apache:http_server:2.4.49", "cpe:2.3:a:php:php:5",
          "cpe:2.3:o:microsoft:windows_server_2019:-", "cpe:2.3:a:nobody:nothing:1.0"});
}

// Inventories drawn from the index itself (every 61st criterion: its CPE, and for a range its
// end bound as the version), alone and with the next drawn CPE of another product, so that
// ranges, bounds, updates and AND configurations over two products are all exercised.
TEST_F(MatchReference, InventoriesDrawnFromTheIndex) {
  std::vector<std::string> drawn;
  for (size_t cid = 0; cid < nvd_->criteria().size(); cid += 61) {
    const Criterion& c = nvd_->criteria()[cid];
    if (!c.valid) continue;
    Cpe cpe = c.cpe;
    if (cpe.version().IsAny() && !c.end.empty())
      cpe.Mutable(CpeAttr::kVersion) = CpeValue::Of(c.end);
    drawn.push_back(cpe.ToString());
  }
  ASSERT_GT(drawn.size(), 200u);
  for (size_t i = 0; i < drawn.size(); ++i) {
    Expect({drawn[i]});
    if (i + 1 < drawn.size()) Expect({drawn[i], drawn[i + 1]});
  }
}

// Synthetic records for what the subset lacks: AND operators inside a node (entries of two
// products), negated AND nodes, negated configurations and empty nodes.
TEST(MatchReferenceSynthetic, NodeOperatorsOverSeveralProducts) {
  const std::string json = R"({"vulnerabilities":[
    {"cve":{"id":"CVE-2099-1001","configurations":[{"nodes":[{"operator":"AND","cpeMatch":[
      {"vulnerable":true,"criteria":"cpe:2.3:a:acme:web:*:*:*:*:*:*:*:*","versionEndExcluding":"2.0"},
      {"vulnerable":false,"criteria":"cpe:2.3:o:acme:os:*:*:*:*:*:*:*:*"}]}]}]}},
    {"cve":{"id":"CVE-2099-1002","configurations":[{"operator":"AND","nodes":[
      {"operator":"OR","cpeMatch":[
        {"vulnerable":true,"criteria":"cpe:2.3:a:acme:web:1.5:*:*:*:*:*:*:*"},
        {"vulnerable":true,"criteria":"cpe:2.3:a:other:thing:*:*:*:*:*:*:*:*"}]},
      {"operator":"AND","negate":true,"cpeMatch":[
        {"vulnerable":false,"criteria":"cpe:2.3:o:acme:os:9:*:*:*:*:*:*:*"},
        {"vulnerable":false,"criteria":"cpe:2.3:h:acme:box:*:*:*:*:*:*:*:*"}]}]}]}},
    {"cve":{"id":"CVE-2099-1003","configurations":[{"negate":true,"nodes":[
      {"operator":"OR","cpeMatch":[
        {"vulnerable":true,"criteria":"cpe:2.3:a:acme:web:*:*:*:*:*:*:*:*","versionStartIncluding":"3.0"}]}]},
      {"nodes":[{"operator":"OR","cpeMatch":[]}]}]}}]})";
  auto nvd = LoadNvdText(json);
  ASSERT_TRUE(nvd) << nvd.error().ToString();
  Matcher matcher(*nvd);
  auto run = [&](const std::vector<std::string>& cpes) {
    std::vector<Cpe> inventory;
    for (const auto& s : cpes) inventory.push_back(*ParseAnyCpe(s));
    Outcome actual = FromMatcher(matcher.Match(inventory));
    EXPECT_TRUE(actual == Reference(*nvd, inventory)) << cpes[0];
    return actual;
  };
  // AND node: the application alone is not enough; with the OS it is.
  EXPECT_EQ(run({"cpe:2.3:a:acme:web:1.5"}).count("CVE-2099-1001"), 0u);
  auto with_os = run({"cpe:2.3:a:acme:web:1.5", "cpe:2.3:o:acme:os:9"});
  ASSERT_EQ(with_os.count("CVE-2099-1001"), 1u);
  EXPECT_EQ(std::get<0>(with_os["CVE-2099-1001"]), Tier::kConfirmed);
  // Negated AND node: excluded only on OS 9 *and* the box together.
  EXPECT_EQ(with_os.count("CVE-2099-1002"), 1u);
  EXPECT_EQ(run({"cpe:2.3:a:acme:web:1.5", "cpe:2.3:o:acme:os:9", "cpe:2.3:h:acme:box:1"})
                .count("CVE-2099-1002"),
            0u);
  // A negated configuration reports nothing by itself (no vulnerable entry of a live node).
  EXPECT_EQ(run({"cpe:2.3:a:acme:web:1.0"}).count("CVE-2099-1003"), 0u);
  run({"cpe:2.3:a:acme:web:3.1", "cpe:2.3:a:other:thing:1"});
  run({"cpe:2.3:a:acme:web", "cpe:2.3:o:acme:os"});  // versions unknown: possible
}

}  // namespace
}  // namespace ucsc::scan
