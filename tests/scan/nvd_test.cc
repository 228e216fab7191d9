#include "scan/nvd.h"

#include <gtest/gtest.h>
#include <zstd.h>

#include <filesystem>
#include <string>

#include "shared_data.h"

namespace ucsc::scan {
namespace {

const char* kSubset = UCSC_SHARED_DIR "/data/nvd/nvd-subset.json.zst";

std::string Wrap(const std::string& records) {
  return R"({"format":"NVD_CVE","version":"2.0","totalResults":1,"vulnerabilities":[)" + records +
         "]}";
}

const char* kRecord = R"({"cve":{"id":"CVE-2099-0001","published":"2099-01-01T00:00:00.000",
 "lastModified":"2099-01-02T00:00:00.000",
 "descriptions":[{"lang":"es","value":"x"},{"lang":"en","value":"A bug with \"quotes\" and ] }."}],
 "metrics":{"cvssMetricV2":[{"source":"nvd@nist.gov","type":"Primary","cvssData":{"version":"2.0",
   "vectorString":"AV:N/AC:L/Au:N/C:P/I:P/A:P","baseScore":7.5},"baseSeverity":"HIGH"}],
  "cvssMetricV31":[{"source":"other","type":"Secondary","cvssData":{"version":"3.1",
   "vectorString":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:L/A:L","baseScore":7.3,"baseSeverity":"HIGH"}},
   {"source":"nvd@nist.gov","type":"Primary","cvssData":{"version":"3.1",
   "vectorString":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H","baseScore":9.8,"baseSeverity":"CRITICAL"}}]},
 "configurations":[{"operator":"AND","nodes":[
   {"operator":"OR","negate":false,"cpeMatch":[
     {"vulnerable":true,"criteria":"cpe:2.3:a:acme:web\\!:*:*:*:*:*:*:*:*","versionStartIncluding":"1.0","versionEndExcluding":"1.4.2"},
     {"vulnerable":true,"criteria":"cpe:2.3:a:acme:web\\!:2.0:-:*:*:*:*:*:*"}]},
   {"operator":"OR","negate":true,"cpeMatch":[
     {"vulnerable":false,"criteria":"cpe:2.3:o:acme:os:*:*:*:*:*:*:*:*"}]}]}]}})";

TEST(NvdLoad, ReducesARecord) {
  auto idx = LoadNvdText(Wrap(kRecord));
  ASSERT_TRUE(idx) << idx.error().ToString();
  ASSERT_EQ(idx->cves().size(), 1u);
  const CveRecord& r = idx->cves()[0];
  EXPECT_EQ(r.id, "CVE-2099-0001");
  EXPECT_EQ(r.published, "2099-01-01T00:00:00.000");
  EXPECT_EQ(r.description, "A bug with \"quotes\" and ] }.");
  // The newest CVSS version wins, and within it the NVD's Primary score.
  EXPECT_EQ(r.cvss.version, "3.1");
  EXPECT_DOUBLE_EQ(r.cvss.base_score, 9.8);
  EXPECT_EQ(r.cvss.severity, "CRITICAL");
  ASSERT_EQ(r.config_count, 1u);
  const NvdConfig& cfg = idx->configs()[r.first_config];
  EXPECT_TRUE(cfg.and_op);
  ASSERT_EQ(cfg.node_count, 2u);
  EXPECT_FALSE(idx->nodes()[cfg.first_node].negate);
  EXPECT_TRUE(idx->nodes()[cfg.first_node + 1].negate);
  ASSERT_EQ(idx->criteria().size(), 3u);
  const Criterion& c0 = idx->criteria()[0];
  EXPECT_EQ(c0.key, "acme:web!");
  EXPECT_EQ(c0.start, "1.0");
  EXPECT_TRUE(c0.start_including);
  EXPECT_EQ(c0.end, "1.4.2");
  EXPECT_FALSE(c0.end_including);
  EXPECT_TRUE(c0.end_version.has_value());
  const ProductCriteria* pc = idx->FindProduct("acme:web!");
  ASSERT_NE(pc, nullptr);
  EXPECT_EQ(pc->open.size(), 1u);
  EXPECT_EQ(pc->by_version.at("2.0").size(), 1u);
  EXPECT_EQ(idx->CvesOfCriterion(0).size(), 1u);
  EXPECT_TRUE(idx->CvesOfCriterion(2).empty());  // the platform is not vulnerable
  EXPECT_EQ(idx->FindCve("CVE-2099-0001"), 0u);
  EXPECT_FALSE(idx->FindCve("CVE-2099-0002"));
}

TEST(NvdLoad, SameCriteriaStoredOnce) {
  std::string second = kRecord;
  second.replace(second.find("CVE-2099-0001"), 13, "CVE-2099-0002");
  auto idx = LoadNvdText(Wrap(std::string(kRecord) + "," + second));
  ASSERT_TRUE(idx) << idx.error().ToString();
  EXPECT_EQ(idx->cves().size(), 2u);
  EXPECT_EQ(idx->criteria().size(), 3u);
  EXPECT_EQ(idx->CvesOfCriterion(0).size(), 2u);
  EXPECT_EQ(idx->stats().cpe_matches, 6u);
}

TEST(NvdLoad, ZstdInMemoryToo) {
  std::string plain = Wrap(kRecord);
  std::string packed(ZSTD_compressBound(plain.size()), '\0');
  size_t n = ZSTD_compress(packed.data(), packed.size(), plain.data(), plain.size(), 3);
  ASSERT_FALSE(ZSTD_isError(n));
  packed.resize(n);
  auto idx = LoadNvdText(packed);
  ASSERT_TRUE(idx) << idx.error().ToString();
  EXPECT_EQ(idx->cves().size(), 1u);
  // Truncated compressed data is an error, not a short index.
  auto cut = LoadNvdText(std::string_view(packed).substr(0, packed.size() / 2));
  EXPECT_FALSE(cut);
}

void ExpectLoadError(const std::string& text, const std::string& needle) {
  auto idx = LoadNvdText(text, "t.json");
  ASSERT_FALSE(idx) << text.substr(0, 80);
  EXPECT_EQ(idx.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_NE(idx.error().message.find(needle), std::string::npos)
      << "\"" << idx.error().message << "\" lacks \"" << needle << "\"";
  EXPECT_EQ(idx.error().message.rfind("t.json: ", 0), 0u) << idx.error().message;
}

TEST(NvdLoad, ClearErrors) {
  ExpectLoadError("", "no top-level \"vulnerabilities\"");
  ExpectLoadError(R"({"CVE_Items":[{}]})", "NVD 1.1");
  ExpectLoadError("[1,2]", "top level is an array");
  ExpectLoadError(Wrap(kRecord).substr(0, 300), "truncated JSON");
  ExpectLoadError(Wrap(R"({"cve":{"id":"CVE-1"},})"),
                  "record 1 at byte offset " + std::to_string(Wrap("").size() - 2) + ": malformed");
  ExpectLoadError(Wrap(R"({"nope":{}})"), "no \"cve\" object");
  ExpectLoadError(Wrap(R"({"cve":{"id":5}})"), "no \"id\"");
  ExpectLoadError(Wrap(R"(3)"), "not an object");
  ExpectLoadError(
      Wrap(
          R"({"cve":{"id":"CVE-1","configurations":[{"nodes":[{"cpeMatch":[{"vulnerable":true}]}]}]}})"),
      "CVE-1: configurations[0].nodes[0].cpeMatch[0] has no \"criteria\"");
  ExpectLoadError(
      Wrap(R"({"cve":{"id":"CVE-1","configurations":[{"operator":"XOR","nodes":[]}]}})"),
      "operator is not AND/OR");
  ExpectLoadError(Wrap(R"({"cve":{"id":"CVE-1"}},{"cve":{"id":"CVE-1"}})"), "appears twice");
  ExpectLoadError(std::string(10, '}'), "unbalanced");
}

TEST(NvdLoad, BadCriteriaAreCountedAndNeverMatch) {
  auto idx = LoadNvdText(Wrap(
      R"({"cve":{"id":"CVE-1","configurations":[{"nodes":[{"operator":"OR","negate":false,"cpeMatch":[
      {"vulnerable":true,"criteria":"cpe:2.3:a:x:y!:*:*:*:*:*:*:*:*"},
      {"vulnerable":true,"criteria":"cpe:2.3:a:x:z:*:*:*:*:*:*:*:*","versionEndExcluding":"1 2"}]}]}]}})"));
  ASSERT_TRUE(idx) << idx.error().ToString();
  EXPECT_EQ(idx->stats().bad_criteria, 2u);
  EXPECT_NE(idx->stats().first_bad.find("unquoted '!'"), std::string::npos);
  EXPECT_FALSE(idx->criteria()[0].valid);
  EXPECT_EQ(idx->FindProduct("x:z"), nullptr);
}

TEST(NvdLoad, MissingFile) {
  auto idx = LoadNvdFile("/nonexistent/nvd.json");
  ASSERT_FALSE(idx);
  EXPECT_EQ(idx.error().code, core::ErrorCode::kNotFound);
}

TEST(NvdLoad, SharedSubset) {
  if (auto why = ucsc::testing::MissingSharedData({kSubset}); !why.empty()) GTEST_SKIP() << why;
  auto idx = LoadNvdFile(kSubset);
  ASSERT_TRUE(idx) << idx.error().ToString();
  // SOURCE.md: 4,850 records; every criteria string and bound parses.
  EXPECT_EQ(idx->cves().size(), 4850u);
  EXPECT_EQ(idx->stats().cpe_matches, 99015u);
  EXPECT_EQ(idx->stats().bad_criteria, 0u) << idx->stats().first_bad;
  auto n = idx->FindCve("CVE-2024-6387");
  ASSERT_TRUE(n);
  EXPECT_EQ(idx->cves()[*n].config_count, 9u);
  EXPECT_DOUBLE_EQ(idx->cves()[*n].cvss.base_score, 8.1);
}

}  // namespace
}  // namespace ucsc::scan
