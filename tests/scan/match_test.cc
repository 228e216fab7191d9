// CVE matching against the shared NVD subset: every hand-checked test vector of
// ../shared/data/nvd/SOURCE.md, with the expected answer of each confidence tier.
#include "scan/match.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace ucsc::scan {
namespace {

const char* kSubset = UCSC_SHARED_DIR "/data/nvd/nvd-subset.json.zst";
const char* kKevFile = UCSC_SHARED_DIR "/data/kev/known_exploited_vulnerabilities.json";

class SubsetMatch : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto nvd = LoadNvdFile(kSubset);
    ASSERT_TRUE(nvd) << nvd.error().ToString();
    nvd_ = std::make_unique<NvdIndex>(std::move(*nvd));
    auto kev = LoadKevFile(kKevFile);
    ASSERT_TRUE(kev) << kev.error().ToString();
    kev_ = std::make_unique<KevCatalog>(std::move(*kev));
    matcher_ = std::make_unique<Matcher>(*nvd_, kev_.get());
  }
  static void TearDownTestSuite() {
    matcher_.reset();
    kev_.reset();
    nvd_.reset();
  }

  // The tier of `cve` for an inventory of CPEs (short forms allowed), and the items it names.
  static Tier TierOf(const std::string& cve, const std::vector<std::string>& cpes,
                     std::vector<size_t>* items = nullptr, const VulnMatch** match = nullptr) {
    std::vector<Cpe> inventory;
    for (const auto& s : cpes) {
      auto c = ParseAnyCpe(s);
      EXPECT_TRUE(c) << s;
      if (c) inventory.push_back(*c);
    }
    static std::vector<VulnMatch> last;
    last = matcher_->Match(inventory);
    for (const VulnMatch& m : last) {
      if (m.cve_id != cve) continue;
      if (items != nullptr) {
        for (const auto& a : m.items) items->push_back(a.item);
      }
      if (match != nullptr) *match = &m;
      return m.tier;
    }
    return Tier::kNone;
  }

  static std::unique_ptr<NvdIndex> nvd_;
  static std::unique_ptr<KevCatalog> kev_;
  static std::unique_ptr<Matcher> matcher_;
};
std::unique_ptr<NvdIndex> SubsetMatch::nvd_;
std::unique_ptr<KevCatalog> SubsetMatch::kev_;
std::unique_ptr<Matcher> SubsetMatch::matcher_;

constexpr Tier kConfirmed = Tier::kConfirmed;
constexpr Tier kPossible = Tier::kPossible;
constexpr Tier kNone = Tier::kNone;

std::string Ssh(const std::string& version, const std::string& update) {
  return "cpe:2.3:a:openbsd:openssh:" + version + ":" + update;
}

// 1. CVE-2024-6387: ranges plus single versions with an update.
TEST_F(SubsetMatch, RegreSshion) {
  const std::string cve = "CVE-2024-6387";
  EXPECT_EQ(TierOf(cve, {Ssh("8.9", "p1")}), kConfirmed);
  EXPECT_EQ(TierOf(cve, {Ssh("9.8", "p1")}), kNone);
  EXPECT_EQ(TierOf(cve, {Ssh("9.8", "-")}), kConfirmed);  // the NVD data quirk, followed
  EXPECT_EQ(TierOf(cve, {Ssh("8.5", "p1")}), kConfirmed);
  EXPECT_EQ(TierOf(cve, {Ssh("8.5", "p2")}), kNone);
  EXPECT_EQ(TierOf(cve, {Ssh("4.3", "p2")}), kConfirmed);
  EXPECT_EQ(TierOf(cve, {Ssh("4.4", "p1")}), kNone);
  std::vector<size_t> items;
  EXPECT_EQ(
      TierOf(cve, {"cpe:2.3:o:canonical:ubuntu_linux:22.04:*:*:*:lts", Ssh("9.3", "p2")}, &items),
      kConfirmed);
  // OpenSSH through the first configuration; Ubuntu 22.04 LTS is itself listed as vulnerable in
  // another configuration, so it is reported too.
  EXPECT_EQ(items, (std::vector<size_t>{0, 1}));
  // The portable spelling in the version field (as scanners and Nmap report it) is split.
  EXPECT_EQ(TierOf(cve, {"cpe:/a:openbsd:openssh:8.9p1"}), kConfirmed);
  EXPECT_EQ(TierOf(cve, {"cpe:/a:openbsd:openssh:9.8p1"}), kNone);
  // Version unknown: every range could hold it.
  EXPECT_EQ(TierOf(cve, {"cpe:2.3:a:openbsd:openssh"}), kPossible);
}

// 2. CVE-2016-3115: a range criterion that also fixes the update ("openssh:*:p1 <= 7.2").
TEST_F(SubsetMatch, RangeWithUpdate) {
  const std::string cve = "CVE-2016-3115";
  EXPECT_EQ(TierOf(cve, {Ssh("7.2", "p1")}), kConfirmed);
  EXPECT_EQ(TierOf(cve, {Ssh("7.1", "p1")}), kConfirmed);
  EXPECT_EQ(TierOf(cve, {Ssh("7.2", "p2")}), kNone);  // the fix, in both tiers
  // Strict CPE rules do not match 7.1p2 (update p2 != p1); upstream says it is vulnerable, so it
  // is reported as possible, with the reason.
  const VulnMatch* m = nullptr;
  EXPECT_EQ(TierOf(cve, {Ssh("7.1", "p2")}, nullptr, &m), kPossible);
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->reason, MatchReason::kRangeUpdateDiffers);
  EXPECT_EQ(TierOf(cve, {Ssh("7.3", "p1")}), kNone);
  // Same form: CVE-2016-6515 is "openssh:*:p2" <= 7.2.
  EXPECT_EQ(TierOf("CVE-2016-6515", {Ssh("7.2", "p2")}), kConfirmed);
  EXPECT_EQ(TierOf("CVE-2016-6515", {Ssh("7.3", "p1")}), kNone);
}

// 3. CVE-2022-4900: AND configurations, application running on a platform.
TEST_F(SubsetMatch, ApplicationOnPlatform) {
  const std::string cve = "CVE-2022-4900";
  const std::string php810 = "cpe:2.3:a:php:php:8.1.0:-:*:*:*:*:*:*";
  const std::string rhel9 = "cpe:2.3:o:redhat:linux:9.0:*:*:*:*:*:*:*";
  std::vector<size_t> items;
  EXPECT_EQ(TierOf(cve, {rhel9, php810}, &items), kConfirmed);
  EXPECT_EQ(items, std::vector<size_t>{1});  // the platform itself is never reported
  EXPECT_EQ(TierOf(cve, {php810, "cpe:2.3:o:canonical:ubuntu_linux:22.04:*:*:*:lts:*:*:*"}), kNone);
  // Strict AND: without a known platform the configuration does not hold, in both tiers.
  EXPECT_EQ(TierOf(cve, {php810}), kNone);
  EXPECT_EQ(TierOf(cve, {"cpe:2.3:a:php:php:8.1.1:-:*:*:*:*:*:*", rhel9}), kNone);
  EXPECT_EQ(TierOf(cve, {"cpe:2.3:a:php:php:8.0.0:-:*:*:*:*:*:*", rhel9}), kNone);
  EXPECT_EQ(TierOf(cve, {"cpe:2.3:a:php:php:8.0.0:-:*:*:*:*:*:*",
                         "cpe:2.3:o:redhat:linux:8.0:*:*:*:*:*:*:*"}),
            kConfirmed);
  // Update of php unknown: the "8.1.0:-" criterion could hold.
  EXPECT_EQ(TierOf(cve, {"cpe:2.3:a:php:php:8.1.0", rhel9}), kPossible);
}

// 4. CVE-2021-26855: Exchange versions with update = cumulative_update_N.
TEST_F(SubsetMatch, ExchangeCumulativeUpdates) {
  const std::string cve = "CVE-2021-26855";
  auto ex = [](const std::string& v, const std::string& u) {
    return "cpe:2.3:a:microsoft:exchange_server:" + v + ":" + u;
  };
  const VulnMatch* m = nullptr;
  EXPECT_EQ(TierOf(cve, {ex("2016", "cumulative_update_19")}, nullptr, &m), kConfirmed);
  ASSERT_NE(m, nullptr);
  ASSERT_NE(m->kev, nullptr);  // ProxyLogon is in KEV
  EXPECT_EQ(m->kev->due_date, "2021-04-16");
  EXPECT_EQ(TierOf(cve, {ex("2016", "cumulative_update_20")}), kNone);
  EXPECT_EQ(TierOf(cve, {ex("2019", "-")}), kConfirmed);
  EXPECT_EQ(TierOf(cve, {ex("2019", "cumulative_update_9")}), kNone);
  EXPECT_EQ(TierOf(cve, {ex("2013", "cumulative_update_20")}), kNone);
  EXPECT_EQ(TierOf(cve, {ex("2013", "cumulative_update_23")}), kConfirmed);
  // Update unknown: the documented choice is "possible" (CPE name matching would call an ANY
  // source against specific targets a SUPERSET, i.e. no match).
  m = nullptr;
  EXPECT_EQ(TierOf(cve, {ex("2016", "*")}, nullptr, &m), kPossible);
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->reason, MatchReason::kAttributeUnknown);
}

// 5. Negated nodes (synthetic: example 3's second configuration with the platform negated).
TEST(NegatedNode, PlatformExcluded) {
  const std::string json = R"({"vulnerabilities":[{"cve":{"id":"CVE-2022-4900","configurations":[
    {"operator":"AND","nodes":[
      {"operator":"OR","negate":false,"cpeMatch":[{"vulnerable":true,
        "criteria":"cpe:2.3:a:php:php:8.1.0:-:*:*:*:*:*:*"}]},
      {"operator":"OR","negate":true,"cpeMatch":[{"vulnerable":false,
        "criteria":"cpe:2.3:o:redhat:linux:9.0:*:*:*:*:*:*:*"}]}]}]}}]})";
  auto nvd = LoadNvdText(json);
  ASSERT_TRUE(nvd) << nvd.error().ToString();
  Matcher m(*nvd);
  auto tier = [&](const std::vector<std::string>& cpes) {
    std::vector<Cpe> inv;
    for (const auto& s : cpes) inv.push_back(*ParseCpe(s, CpeForm::kAllowShort));
    auto r = m.Match(inv);
    return r.empty() ? Tier::kNone : r[0].tier;
  };
  const std::string php = "cpe:2.3:a:php:php:8.1.0:-";
  EXPECT_EQ(tier({php, "cpe:2.3:o:redhat:linux:9.0"}), kNone);
  EXPECT_EQ(tier({php, "cpe:2.3:o:canonical:ubuntu_linux:22.04"}), kConfirmed);
  EXPECT_EQ(tier({php}), kConfirmed);
  // The platform's version unknown: it may or may not be 9.0.
  EXPECT_EQ(tier({php, "cpe:2.3:o:redhat:linux"}), kPossible);
}

TEST_F(SubsetMatch, KevEntryMissingFromNvdMatchedByName) {
  // CVE-2022-41082 (ProxyNotShell) is in KEV as Microsoft / Exchange Server but not in the subset.
  ASSERT_FALSE(nvd_->FindCve("CVE-2022-41082"));
  const VulnMatch* m = nullptr;
  EXPECT_EQ(TierOf("CVE-2022-41082",
                   {"cpe:2.3:a:microsoft:exchange_server:2019:cumulative_update_12"}, nullptr, &m),
            kPossible);
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->reason, MatchReason::kKevName);
  EXPECT_EQ(m->cve, nullptr);
  ASSERT_NE(m->kev, nullptr);
  EXPECT_EQ(m->kev->due_date, "2022-10-21");
  // "Apache" / "HTTP Server" reaches apache:http_server.
  auto all =
      matcher_->Match({*ParseCpe("cpe:2.3:a:apache:http_server:2.4.49", CpeForm::kAllowShort)});
  bool kev_name = false;
  for (const auto& v : all) kev_name |= v.reason == MatchReason::kKevName;
  EXPECT_TRUE(kev_name);
}

TEST_F(SubsetMatch, ResultsOrderedConfirmedFirst) {
  auto all = matcher_->Match({*ParseCpe("cpe:2.3:a:openbsd:openssh:7.1:p1", CpeForm::kAllowShort)});
  ASSERT_FALSE(all.empty());
  for (size_t i = 1; i < all.size(); ++i) EXPECT_GE(all[i - 1].tier, all[i].tier);
  for (const auto& v : all) {
    ASSERT_FALSE(v.items.empty());
    EXPECT_EQ(v.items[0].item, 0u);
  }
}

TEST_F(SubsetMatch, UnknownProductMatchesNothing) {
  EXPECT_TRUE(
      matcher_->Match({*ParseCpe("cpe:2.3:a:nobody:nothing:1.0", CpeForm::kAllowShort)}).empty());
  EXPECT_TRUE(matcher_->Match({}).empty());
}

TEST(MatchCriterion, AttributeRules) {
  Criterion c;
  c.cpe = *ParseCpe("cpe:2.3:a:v:p:1.0:-:*:*:*:*:*:*");
  c.key = c.cpe.Key();
  auto tier = [&](const char* s) {
    return MatchCriterion(c, *ParseCpe(s, CpeForm::kAllowShort)).tier;
  };
  EXPECT_EQ(tier("cpe:2.3:a:v:p:1.0:-"), kConfirmed);
  EXPECT_EQ(tier("cpe:2.3:a:v:p:1.0"), kPossible);  // update unknown
  EXPECT_EQ(tier("cpe:2.3:a:v:p:1.0:sp1"), kNone);
  EXPECT_EQ(tier("cpe:2.3:a:v:p:1.0.0:-"), kNone);  // strict: literal versions compare as text
  EXPECT_EQ(tier("cpe:2.3:o:v:p:1.0:-"), kNone);
  c.valid = false;
  EXPECT_EQ(tier("cpe:2.3:a:v:p:1.0:-"), kNone);
}

TEST(MatchCriterion, ExcludingBounds) {
  Criterion c;
  c.cpe = *ParseCpe("cpe:2.3:a:v:p:*:*:*:*:*:*:*:*");
  c.start = "2.0";
  c.start_version = *Version::Parse("2.0");
  c.end = "2.4.58";
  c.end_version = *Version::Parse("2.4.58");
  auto tier = [&](const char* v) {
    return MatchCriterion(c, *ParseCpe(std::string("cpe:2.3:a:v:p:") + v, CpeForm::kAllowShort))
        .tier;
  };
  EXPECT_EQ(tier("2.0"), kNone);  // start excluding
  EXPECT_EQ(tier("2.0.1"), kConfirmed);
  EXPECT_EQ(tier("2.4.57"), kConfirmed);
  EXPECT_EQ(tier("2.4.58"), kNone);  // end excluding
  EXPECT_EQ(tier("-"), kNone);
  c.start_including = true;
  c.end_including = true;
  EXPECT_EQ(tier("2.0"), kConfirmed);
  EXPECT_EQ(tier("2.4.58"), kConfirmed);
  EXPECT_EQ(tier("2.4.58.1"), kNone);
}

TEST(NormaliseInstalled, SplitsPortableOpenSsh) {
  Cpe c = NormaliseInstalled(*ParseCpeUri("cpe:/a:openbsd:openssh:9.3p2"));
  EXPECT_EQ(c.version().value, "9.3");
  EXPECT_EQ(c.update().value, "p2");
  Cpe same = NormaliseInstalled(*ParseCpeUri("cpe:/a:openbsd:openssh:9.3"));
  EXPECT_EQ(same.version().value, "9.3");
  EXPECT_TRUE(same.update().IsAny());
  Cpe other = NormaliseInstalled(*ParseCpeUri("cpe:/a:acme:tool:9.3p2"));
  EXPECT_EQ(other.version().value, "9.3p2");
}

}  // namespace
}  // namespace ucsc::scan
