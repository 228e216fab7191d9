// Correlations and filters through RunHunt on tests/hunt/data/correlation/e2e.{yml,jsonl}: the
// correlation line, base detections hidden by `generate: false`, filtered service accounts, and
// the same result with worker threads and small blocks.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <sstream>

#include "hunt/engine.h"
#include "hunt/hunt.h"
#include "hunt/sigma/logsource.h"

namespace ucsc::hunt {
namespace {

constexpr std::string_view kDir = UCSC_SOURCE_DIR "/tests/hunt/data/correlation/";

struct HuntRun {
  HuntStats stats;
  std::vector<nlohmann::json> lines;
};

HuntRun HuntE2e(int threads, std::size_t block_bytes) {
  const ParseOutcome loaded = LoadRulePaths({std::string(kDir) + "e2e.yml"});
  EXPECT_TRUE(loaded.errors.empty()) << (loaded.errors.empty() ? "" : loaded.errors[0].ToString());
  auto map = LogSourceMap::Parse(LogSourceMap::DefaultText());
  EXPECT_TRUE(map.has_value());
  auto plan = Plan::Compile(loaded.rules, *map);
  EXPECT_TRUE(plan.has_value());
  HuntOptions opts;
  opts.inputs = {std::string(kDir) + "e2e.jsonl"};
  opts.threads = threads;
  opts.block_bytes = block_bytes;
  opts.map = &*map;
  std::ostringstream out, err;
  HuntRun run;
  run.stats = RunHunt(loaded.rules, **plan, opts, out, err);
  EXPECT_EQ(err.str(), "");
  std::istringstream in(out.str());
  std::string line;
  while (std::getline(in, line)) run.lines.push_back(nlohmann::json::parse(line));
  return run;
}

TEST(CorrelationHunt, BruteForceLineFilteredServiceAccountHiddenBaseRule) {
  const HuntRun run = HuntE2e(1, 1 << 20);
  EXPECT_EQ(run.stats.events, 8u);
  EXPECT_EQ(run.stats.detections, 1u) << "only the successful logon; failed logons feed only";
  EXPECT_EQ(run.stats.correlation_detections, 1u);
  EXPECT_EQ(run.stats.filtered, 3u) << "svc_backup's three failed logons";
  EXPECT_TRUE(run.stats.rule_warnings.empty());
  ASSERT_EQ(run.lines.size(), 2u);
  const auto corr = std::find_if(run.lines.begin(), run.lines.end(),
                                 [](const auto& j) { return j.contains("correlation_type"); });
  ASSERT_NE(corr, run.lines.end());
  const auto& c = *corr;
  EXPECT_EQ(c["rule_id"], "0b7f6c1e-0000-4000-8000-000000000102");
  EXPECT_EQ(c["level"], "high");
  EXPECT_EQ(c["correlation_type"], "event_count");
  EXPECT_EQ(c["rules"], nlohmann::json::array({"0b7f6c1e-0000-4000-8000-000000000101"}));
  EXPECT_EQ(c["group"], nlohmann::json({{"TargetUserName", "alice"}}));
  EXPECT_EQ(c["count"], 3);
  EXPECT_EQ(c["timestamp"], "2026-03-01T10:00:02Z") << "+02:00 converted to UTC";
  ASSERT_EQ(c["records"].size(), 3u);
  EXPECT_EQ(c["records"][0]["record"], 1);
  EXPECT_EQ(c["records"][1]["record"], 3);
  EXPECT_EQ(c["records"][2]["record"], 6);
  EXPECT_EQ(c["records"][2]["input"], std::string(kDir) + "e2e.jsonl");
  EXPECT_EQ(c["records"][0]["rule_id"], "0b7f6c1e-0000-4000-8000-000000000101");
  const auto base = std::find_if(run.lines.begin(), run.lines.end(),
                                 [](const auto& j) { return !j.contains("correlation_type"); });
  ASSERT_NE(base, run.lines.end());
  EXPECT_EQ((*base)["rule_id"], "0b7f6c1e-0000-4000-8000-000000000103");
}

TEST(CorrelationHunt, ThreadsAndSmallBlocksGiveTheSameLines) {
  const HuntRun one = HuntE2e(1, 1 << 20);
  for (int threads : {1, 2, 3}) {
    const HuntRun many = HuntE2e(threads, 100);  // about one line per block
    auto sorted = [](std::vector<nlohmann::json> v) {
      std::sort(v.begin(), v.end(),
                [](const auto& a, const auto& b) { return a.dump() < b.dump(); });
      return v;
    };
    EXPECT_EQ(sorted(many.lines), sorted(one.lines)) << threads;
    EXPECT_EQ(many.stats.filtered, one.stats.filtered);
  }
}

}  // namespace
}  // namespace ucsc::hunt
