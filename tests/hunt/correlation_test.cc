// Correlation evaluation (hunt/sigma/correlation.h) on the rules of tests/hunt/data/correlation/:
// every type, thresholds at / below / above, timespan boundaries, group-by, aliases, order,
// chaining, generate, out-of-order input and the windowed mode of non-threshold conditions.
#include "hunt/sigma/correlation.h"

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/legal_time.h"
#include "hunt/sigma/sigma_rule.h"

namespace ucsc::hunt {
namespace {

constexpr std::string_view kDataDir = UCSC_SOURCE_DIR "/tests/hunt/data/correlation/";

std::vector<Rule> LoadRules(const std::string& file) {
  std::ifstream in(std::string(kDataDir) + file);
  std::stringstream text;
  text << in.rdbuf();
  auto rules = ParseRules(text.str(), file);
  EXPECT_TRUE(rules.has_value()) << (rules ? "" : rules.error().message);
  return rules ? std::move(*rules) : std::vector<Rule>{};
}

// 2026-01-01T00:00:00Z plus `ms`, as RFC 3339.
std::string At(std::int64_t ms) {
  const core::Instant base = core::ParseRfc3339("2026-01-01T00:00:00Z").value();
  return core::FormatRfc3339Utc(base + std::chrono::milliseconds(ms));
}

// Loads one data file and feeds detections to a fresh evaluator.
class Harness {
 public:
  explicit Harness(const std::string& file, CorrelationOptions options = {})
      : rules_(LoadRules(file)),
        plan_(CorrelationPlan::Build(rules_, &warnings_)),
        eval_(plan_, options) {}

  [[nodiscard]] int Index(const std::string& name_or_title) const {
    for (std::size_t i = 0; i < rules_.size(); ++i) {
      if (rules_[i].name == name_or_title || rules_[i].title == name_or_title) {
        return static_cast<int>(i);
      }
    }
    ADD_FAILURE() << "no rule " << name_or_title;
    return -1;
  }

  // A detection of rule `rule` at `ms` on an event with `fields`.
  void Feed(const std::string& rule, std::int64_t ms,
            std::initializer_list<std::pair<std::string, std::string>> fields) {
    Event e;
    for (const auto& [k, v] : fields) e.Add(k, v);
    BaseDetection d;
    d.rule = Index(rule);
    d.input = "in.jsonl";
    d.record = ++record_;
    d.timestamp = At(ms);
    plan_.ExtractValues(e, nullptr, -1, &d);
    eval_.Add(d, &out_);
  }
  void FeedUntimed(const std::string& rule) {
    BaseDetection d;
    d.rule = Index(rule);
    d.record = ++record_;
    eval_.Add(d, &out_);
  }
  void Flush() { eval_.Flush(&out_); }

  // The detections of correlation `title` so far.
  [[nodiscard]] std::vector<CorrelationDetection> Of(const std::string& title) const {
    std::vector<CorrelationDetection> v;
    for (const auto& d : out_) {
      if (rules_[static_cast<std::size_t>(d.rule)].title == title ||
          rules_[static_cast<std::size_t>(d.rule)].name == title) {
        v.push_back(d);
      }
    }
    return v;
  }
  [[nodiscard]] const std::vector<CorrelationDetection>& Out() const { return out_; }
  [[nodiscard]] const std::vector<Rule>& Rules() const { return rules_; }
  [[nodiscard]] const CorrelationPlan& Plan() const { return plan_; }
  [[nodiscard]] const CorrelationEvaluator& Eval() const { return eval_; }

 private:
  std::vector<Rule> rules_;
  std::vector<std::string> warnings_;
  CorrelationPlan plan_;
  CorrelationEvaluator eval_;
  std::vector<CorrelationDetection> out_;
  std::uint64_t record_ = 0;
};

constexpr const char* kBrute = "Brute force on one account";

TEST(CorrelationEventCount, OneBelowThresholdDoesNotFire) {
  Harness h("event_count.yml");
  h.Feed("failed_logon", 0, {{"TargetUserName", "alice"}});
  h.Feed("failed_logon", 1000, {{"TargetUserName", "alice"}});
  h.Flush();
  EXPECT_TRUE(h.Out().empty());
}

TEST(CorrelationEventCount, FiresExactlyAtThresholdWithItsRecords) {
  Harness h("event_count.yml");
  for (int i = 0; i < 3; ++i)
    h.Feed("failed_logon", std::int64_t{i} * 1000, {{"TargetUserName", "alice"}});
  const auto d = h.Of(kBrute);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].result, 3);
  ASSERT_EQ(d[0].records.size(), 3u);
  EXPECT_EQ(d[0].records[0].record, 1u);
  EXPECT_EQ(d[0].records[2].record, 3u);
  EXPECT_EQ(d[0].first_timestamp, "2026-01-01T00:00:00.000Z");
  EXPECT_EQ(d[0].timestamp, "2026-01-01T00:00:02.000Z");
  ASSERT_EQ(d[0].group.size(), 1u);
  EXPECT_EQ(d[0].group[0], (std::pair<std::string, std::string>{"TargetUserName", "alice"}));
}

TEST(CorrelationEventCount, OneAboveThresholdDoesNotFireAgainButThreeMoreDo) {
  Harness h("event_count.yml");
  for (int i = 0; i < 4; ++i)
    h.Feed("failed_logon", std::int64_t{i} * 100, {{"TargetUserName", "alice"}});
  EXPECT_EQ(h.Of(kBrute).size(), 1u) << "the fourth event must not repeat the detection";
  h.Feed("failed_logon", 500, {{"TargetUserName", "alice"}});
  EXPECT_EQ(h.Of(kBrute).size(), 1u);
  h.Feed("failed_logon", 600, {{"TargetUserName", "alice"}});
  ASSERT_EQ(h.Of(kBrute).size(), 2u);
  EXPECT_EQ(h.Of(kBrute)[1].records.front().record, 4u) << "consumed events are not reused";
}

TEST(CorrelationEventCount, EventsExactlyOneTimespanApartShareTheWindow) {
  Harness h("event_count.yml");  // timespan 10s
  h.Feed("failed_logon", 0, {{"TargetUserName", "a"}});
  h.Feed("failed_logon", 5000, {{"TargetUserName", "a"}});
  h.Feed("failed_logon", 10000, {{"TargetUserName", "a"}});
  EXPECT_EQ(h.Of(kBrute).size(), 1u);
}

TEST(CorrelationEventCount, OneMillisecondInsideFires) {
  Harness h("event_count.yml");
  h.Feed("failed_logon", 0, {{"TargetUserName", "a"}});
  h.Feed("failed_logon", 5000, {{"TargetUserName", "a"}});
  h.Feed("failed_logon", 9999, {{"TargetUserName", "a"}});
  EXPECT_EQ(h.Of(kBrute).size(), 1u);
}

TEST(CorrelationEventCount, OneMillisecondOutsideDoesNotFire) {
  Harness h("event_count.yml");
  h.Feed("failed_logon", 0, {{"TargetUserName", "a"}});
  h.Feed("failed_logon", 5000, {{"TargetUserName", "a"}});
  h.Feed("failed_logon", 10001, {{"TargetUserName", "a"}});
  EXPECT_TRUE(h.Out().empty());
  // The window slides: a fourth event 1 ms later completes [5000, 15000].
  h.Feed("failed_logon", 10002, {{"TargetUserName", "a"}});
  EXPECT_EQ(h.Of(kBrute).size(), 1u);
}

TEST(CorrelationEventCount, GroupByKeepsUsersApart) {
  Harness h("event_count.yml");
  h.Feed("failed_logon", 0, {{"TargetUserName", "alice"}});
  h.Feed("failed_logon", 1, {{"TargetUserName", "bob"}});
  h.Feed("failed_logon", 2, {{"TargetUserName", "alice"}});
  h.Feed("failed_logon", 3, {{"TargetUserName", "bob"}});
  EXPECT_TRUE(h.Out().empty());
  h.Feed("failed_logon", 4, {{"TargetUserName", "alice"}});
  ASSERT_EQ(h.Out().size(), 1u);
  EXPECT_EQ(h.Out()[0].group[0].second, "alice");
}

TEST(CorrelationEventCount, MissingGroupFieldIsTheEmptyGroup) {
  Harness h("event_count.yml");
  h.Feed("failed_logon", 0, {});
  h.Feed("failed_logon", 1, {{"TargetUserName", ""}});
  h.Feed("failed_logon", 2, {{"Other", "x"}});
  ASSERT_EQ(h.Out().size(), 1u);
  EXPECT_EQ(h.Out()[0].group[0].second, "");
}

TEST(CorrelationEventCount, GroupFieldNamesAreCaseInsensitive) {
  Harness h("event_count.yml");
  h.Feed("failed_logon", 0, {{"targetusername", "a"}});
  h.Feed("failed_logon", 1, {{"TARGETUSERNAME", "a"}});
  h.Feed("failed_logon", 2, {{"TargetUserName", "a"}});
  EXPECT_EQ(h.Out().size(), 1u);
}

TEST(CorrelationEventCount, LateEventWithinLatenessCompletesAnEarlierWindow) {
  Harness h("event_count.yml");
  h.Feed("failed_logon", 0, {{"TargetUserName", "a"}});
  h.Feed("failed_logon", 60000, {{"TargetUserName", "a"}});  // a minute later
  h.Feed("failed_logon", 2000, {{"TargetUserName", "a"}});   // arrives late
  EXPECT_TRUE(h.Out().empty());
  h.Feed("failed_logon", 1000, {{"TargetUserName", "a"}});  // later still, even earlier
  ASSERT_EQ(h.Out().size(), 1u);
  ASSERT_EQ(h.Out()[0].records.size(), 3u);
  EXPECT_EQ(h.Out()[0].records[0].timestamp, At(0)) << "records are in time order";
  EXPECT_EQ(h.Out()[0].records[1].timestamp, At(1000));
  EXPECT_EQ(h.Out()[0].timestamp, At(2000));
  EXPECT_EQ(h.Eval().Stats().late, 0u);
}

TEST(CorrelationEventCount, TimeGoingBackBeyondTheLatenessStartsANewTimeline) {
  CorrelationOptions o;
  o.max_lateness_ms = 0;
  Harness h("event_count.yml", o);
  h.Feed("failed_logon", 20000, {{"TargetUserName", "a"}});
  h.Feed("failed_logon", 10000, {{"TargetUserName", "a"}});  // 20000 - 10000 - 0: still joins
  EXPECT_EQ(h.Eval().Stats().restarts, 0u);
  // An earlier recording of the same user: 5000 < 20000 - 10000 - 0.
  h.Feed("failed_logon", 5000, {{"TargetUserName", "a"}});
  EXPECT_EQ(h.Eval().Stats().restarts, 1u);
  h.Feed("failed_logon", 6000, {{"TargetUserName", "a"}});
  EXPECT_TRUE(h.Out().empty()) << "the events of the later recording are gone";
  h.Feed("failed_logon", 7000, {{"TargetUserName", "a"}});
  ASSERT_EQ(h.Out().size(), 1u);
  EXPECT_EQ(h.Out()[0].first_timestamp, At(5000));
  EXPECT_EQ(h.Out()[0].records.size(), 3u);
}

TEST(CorrelationWindowed, EventForAnEvaluatedWindowIsDroppedAndCounted) {
  CorrelationOptions o;
  o.max_lateness_ms = 0;
  Harness h("windowed.yml", o);
  h.Feed("service_start", 0, {{"Computer", "pc1"}});
  h.Feed("service_start", 4000, {{"Computer", "pc1"}});
  h.Feed("service_start", 10001, {{"Computer", "pc1"}});  // closes [0, 10000]
  ASSERT_EQ(h.Of("few_starts").size(), 1u);
  h.Feed("service_start", 5000, {{"Computer", "pc1"}});
  EXPECT_EQ(h.Eval().Stats().late, 2u) << "one per windowed correlation";
  h.Flush();
  ASSERT_EQ(h.Of("few_starts").size(), 2u);
  EXPECT_EQ(h.Of("few_starts")[1].records.size(), 1u) << "only 10001";
}

TEST(CorrelationEventCount, DetectionsWithoutTimeAreIgnoredAndCounted) {
  Harness h("event_count.yml");
  for (int i = 0; i < 3; ++i) h.FeedUntimed("failed_logon");
  h.Flush();
  EXPECT_TRUE(h.Out().empty());
  EXPECT_EQ(h.Eval().Stats().untimed, 3u);
}

TEST(CorrelationEventCount, ManyGroupsStayBoundedAndStillFire) {
  Harness h("event_count.yml");
  // 20,000 one-off users over ~5.5 hours: the sweep drops their idle groups.
  for (int i = 0; i < 20000; ++i) {
    h.Feed("failed_logon", std::int64_t{i} * 1000, {{"TargetUserName", "u" + std::to_string(i)}});
  }
  EXPECT_LT(h.Eval().OpenGroups(), 10000u) << "idle groups of the past are swept";
  for (int i = 0; i < 3; ++i) h.Feed("failed_logon", 30'000'000 + i, {{"TargetUserName", "u1"}});
  ASSERT_EQ(h.Out().size(), 1u);
  EXPECT_EQ(h.Out()[0].group[0].second, "u1");
}

TEST(CorrelationWindowed, LessThanFiresOncePerClosedWindow) {
  Harness h("windowed.yml");
  h.Feed("service_start", 0, {{"Computer", "pc1"}});
  h.Feed("service_start", 4000, {{"Computer", "pc1"}});
  EXPECT_TRUE(h.Of("few_starts").empty()) << "the window is still open";
  // A later event beyond timespan + lateness closes [0, 10s]: two events, fewer than three.
  h.Feed("service_start", 10000 + 10 * 60 * 1000 + 1, {{"Computer", "pc1"}});
  const auto few = h.Of("few_starts");
  ASSERT_EQ(few.size(), 1u);
  EXPECT_EQ(few[0].result, 2);
  EXPECT_EQ(few[0].records.size(), 2u);
  h.Flush();  // closes the last window (one event)
  EXPECT_EQ(h.Of("few_starts").size(), 2u);
}

TEST(CorrelationWindowed, LessThanDoesNotFireAtThreshold) {
  Harness h("windowed.yml");
  for (int i = 0; i < 3; ++i)
    h.Feed("service_start", std::int64_t{i} * 5000, {{"Computer", "pc1"}});
  h.Flush();
  EXPECT_TRUE(h.Of("few_starts").empty()) << "0, 5s and 10s: three events in one window";
}

TEST(CorrelationWindowed, RangeHoldsOnlyInsideItsBounds) {
  for (int n : {1, 2, 3, 4}) {
    Harness h("windowed.yml");
    for (int i = 0; i < n; ++i) h.Feed("service_start", i, {{"Computer", "pc1"}});
    h.Flush();
    EXPECT_EQ(h.Of("two_or_three_starts").size(), (n == 2 || n == 3) ? 1u : 0u) << n;
  }
}

TEST(CorrelationValueCount, CountsDistinctValuesPerGroup) {
  Harness h("value_count.yml");
  h.Feed("logon_attempt", 0, {{"IpAddress", "10.0.0.9"}, {"TargetUserName", "alice"}});
  h.Feed("logon_attempt", 1, {{"IpAddress", "10.0.0.9"}, {"TargetUserName", "alice"}});
  h.Feed("logon_attempt", 2, {{"IpAddress", "10.0.0.9"}, {"TargetUserName", "bob"}});
  h.Feed("logon_attempt", 3, {{"IpAddress", "10.0.0.8"}, {"TargetUserName", "carol"}});
  h.Feed("logon_attempt", 4, {{"IpAddress", "10.0.0.9"}});  // no user: does not count
  EXPECT_TRUE(h.Out().empty()) << "two distinct users from .9 is not more than two";
  h.Feed("logon_attempt", 5, {{"IpAddress", "10.0.0.9"}, {"TargetUserName", "carol"}});
  ASSERT_EQ(h.Out().size(), 1u);
  EXPECT_EQ(h.Out()[0].result, 3);
  EXPECT_EQ(h.Out()[0].group[0].second, "10.0.0.9");
  EXPECT_EQ(h.Out()[0].records.size(), 4u);
}

TEST(CorrelationTemporal, BothRulesOnOneHostInAnyOrder) {
  Harness h("temporal.yml");
  h.Feed("recon_net", 0, {{"Computer", "pc1"}});
  h.Feed("recon_net", 1000, {{"Computer", "pc1"}});
  EXPECT_TRUE(h.Out().empty()) << "one rule twice is one rule";
  h.Feed("recon_whoami", 2000, {{"Computer", "pc2"}});
  EXPECT_TRUE(h.Out().empty()) << "another host";
  h.Feed("recon_whoami", 30000, {{"Computer", "pc1"}});
  ASSERT_EQ(h.Out().size(), 1u) << "referenced by name and by id";
  EXPECT_EQ(h.Out()[0].result, 2);
}

TEST(CorrelationTemporal, OutsideTimespanDoesNotFire) {
  Harness h("temporal.yml");
  h.Feed("recon_net", 0, {{"Computer", "pc1"}});
  h.Feed("recon_whoami", 30001, {{"Computer", "pc1"}});
  h.Flush();
  EXPECT_TRUE(h.Out().empty());
}

TEST(CorrelationTemporalOrdered, WrongOrderDoesNotFire) {
  Harness h("temporal_ordered.yml");
  h.Feed("recon_net", 0, {{"Computer", "pc1"}});
  h.Feed("recon_whoami", 1000, {{"Computer", "pc1"}});
  h.Flush();
  EXPECT_TRUE(h.Out().empty());
}

TEST(CorrelationTemporalOrdered, RightOrderFires) {
  Harness h("temporal_ordered.yml");
  h.Feed("recon_net", 0, {{"Computer", "pc1"}});
  h.Feed("recon_whoami", 1000, {{"Computer", "pc1"}});
  h.Feed("recon_net", 2000, {{"Computer", "pc1"}});
  ASSERT_EQ(h.Out().size(), 1u);
  EXPECT_EQ(h.Out()[0].result, 2);
  EXPECT_EQ(h.Out()[0].timestamp, At(2000));
}

TEST(CorrelationTemporalOrdered, OrderIsByEventTimeNotArrival) {
  Harness h("temporal_ordered.yml");
  h.Feed("recon_net", 5000, {{"Computer", "pc1"}});
  h.Feed("recon_whoami", 1000, {{"Computer", "pc1"}});  // arrives later, happened earlier
  ASSERT_EQ(h.Out().size(), 1u);
}

TEST(CorrelationAliases, GroupsByAliasedFieldsOfEachRule) {
  Harness h("aliases.yml");
  h.Feed("internal_error", 0, {{"destination.ip", "10.0.0.1"}, {"source.ip", "192.0.2.7"}});
  h.Feed("new_network_connection", 1000,
         {{"source.ip", "10.0.0.2"}, {"destination.ip", "192.0.2.7"}});
  EXPECT_TRUE(h.Out().empty()) << "another internal address";
  h.Feed("new_network_connection", 2000,
         {{"source.ip", "10.0.0.1"}, {"destination.ip", "192.0.2.7"}});
  ASSERT_EQ(h.Out().size(), 1u);
  const std::vector<std::pair<std::string, std::string>> want{{"internal_ip", "10.0.0.1"},
                                                              {"remote_ip", "192.0.2.7"}};
  EXPECT_EQ(h.Out()[0].group, want);
  EXPECT_EQ(h.Plan().FieldsFor(h.Index("internal_error")),
            (std::vector<std::string>{"destination.ip", "source.ip"}));
}

TEST(CorrelationMetrics, SumFiresWhenAboveThreshold) {
  Harness h("metrics.yml");
  h.Feed("upload", 0, {{"user", "u"}, {"bytes", "600"}});
  h.Feed("upload", 1, {{"user", "u"}, {"bytes", "not a number"}});
  h.Feed("upload", 2, {{"user", "u"}, {"bytes", "400"}});
  EXPECT_TRUE(h.Of("sum_over").empty()) << "1000 is not over 1000";
  h.Feed("upload", 3, {{"user", "u"}, {"bytes", "1"}});
  const auto d = h.Of("sum_over");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].result, 1001);
  EXPECT_EQ(d[0].records.size(), 3u) << "the non-numeric value does not count";
}

TEST(CorrelationMetrics, AveragePercentileAndMedianPerClosedWindow) {
  Harness h("metrics.yml");
  for (int v : {10, 20, 30, 40, 1000}) {
    h.Feed("upload", v, {{"user", "u"}, {"bytes", std::to_string(v)}});
  }
  h.Feed("upload", 0, {{"user", "small"}, {"bytes", "100"}});
  EXPECT_TRUE(h.Of("avg_atleast").empty()) << "windows close at the end";
  h.Flush();
  const auto avg = h.Of("avg_atleast");
  ASSERT_EQ(avg.size(), 0u) << "average of u is 220, of small 100";
  const auto p90 = h.Of("p90_over");
  ASSERT_EQ(p90.size(), 1u);
  EXPECT_DOUBLE_EQ(p90[0].result, 40 + 0.6 * 960) << "linear interpolation at rank 3.6";
  const auto median = h.Of("median_below");
  ASSERT_EQ(median.size(), 1u) << "u's median is 30; small's 100 is not below 100";
  EXPECT_EQ(median[0].group[0].second, "u");
  EXPECT_DOUBLE_EQ(median[0].result, 30);
}

TEST(CorrelationMetrics, AverageAtThresholdFires) {
  Harness h("metrics.yml");
  h.Feed("upload", 0, {{"user", "u"}, {"bytes", "400"}});
  h.Feed("upload", 1, {{"user", "u"}, {"bytes", "600"}});
  h.Flush();
  const auto avg = h.Of("avg_atleast");
  ASSERT_EQ(avg.size(), 1u);
  EXPECT_DOUBLE_EQ(avg[0].result, 500);
}

TEST(CorrelationChain, FailedLoginsThenSuccessFires) {
  Harness h("chain.yml");
  for (int i = 0; i < 3; ++i) h.Feed("failed_login", std::int64_t{i} * 1000, {{"User", "alice"}});
  ASSERT_EQ(h.Of("multiple_failed_login").size(), 1u);
  h.Feed("successful_login", 60000, {{"User", "bob"}});
  EXPECT_TRUE(h.Of("Correlation - Multiple Failed Logins Followed by Successful Login").empty());
  h.Feed("successful_login", 70000, {{"User", "alice"}});
  const auto d = h.Of("Correlation - Multiple Failed Logins Followed by Successful Login");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].group[0].second, "alice");
  ASSERT_EQ(d[0].records.size(), 4u) << "the three failures and the success";
  EXPECT_EQ(d[0].records[3].rule, h.Index("successful_login"));
}

TEST(CorrelationChain, SuccessBeforeFailuresDoesNotFire) {
  Harness h("chain.yml");
  h.Feed("successful_login", 0, {{"User", "alice"}});
  for (int i = 1; i <= 3; ++i) h.Feed("failed_login", std::int64_t{i} * 1000, {{"User", "alice"}});
  h.Flush();
  EXPECT_TRUE(h.Of("Correlation - Multiple Failed Logins Followed by Successful Login").empty());
}

TEST(CorrelationGenerate, OnlyRulesAskedForArePrinted) {
  Harness h("generate.yml");
  EXPECT_TRUE(h.Plan().Printed(h.Index("rule_a"))) << "generate: true";
  EXPECT_FALSE(h.Plan().Printed(h.Index("rule_b"))) << "generate defaults to false";
  EXPECT_TRUE(h.Plan().Printed(h.Index("rule_c"))) << "not referenced";
  EXPECT_TRUE(h.Plan().Printed(h.Index("A twice")));
  EXPECT_TRUE(h.Plan().Feeds(h.Index("rule_a")));
  EXPECT_FALSE(h.Plan().Feeds(h.Index("rule_c")));
}

TEST(CorrelationGenerate, IntermediateCorrelationOfAChainIsNotPrinted) {
  Harness h("chain.yml");
  EXPECT_FALSE(h.Plan().Printed(h.Index("multiple_failed_login")));
  EXPECT_FALSE(h.Plan().Printed(h.Index("failed_login")));
  EXPECT_TRUE(h.Plan().Printed(
      h.Index("Correlation - Multiple Failed Logins Followed by Successful Login")));
}

TEST(CorrelationPlan, UnknownReferenceAndCyclesAreSkippedWithWarnings) {
  auto rules = ParseRules(R"(title: a
correlation: {type: event_count, rules: [nothere], timespan: 1m, condition: {gte: 1}}
---
title: b
name: b
correlation: {type: event_count, rules: [c], timespan: 1m, condition: {gte: 1}}
---
title: c
name: c
correlation: {type: event_count, rules: [b], timespan: 1m, condition: {gte: 1}}
)",
                          "bad.yml");
  ASSERT_TRUE(rules.has_value()) << rules.error().message;
  std::vector<std::string> warnings;
  const auto plan = CorrelationPlan::Build(*rules, &warnings);
  EXPECT_TRUE(plan.Empty());
  ASSERT_GE(warnings.size(), 2u);
  EXPECT_NE(warnings[0].find("unknown rule 'nothere'"), std::string::npos) << warnings[0];
  EXPECT_FALSE(plan.Printed(0));
}

TEST(CorrelationJson, HasTheFieldsOfIssueFive) {
  Harness h("event_count.yml");
  for (int i = 0; i < 3; ++i) h.Feed("failed_logon", i, {{"TargetUserName", "alice"}});
  ASSERT_EQ(h.Out().size(), 1u);
  const std::string j = CorrelationDetectionJson(h.Rules(), h.Out()[0]);
  const std::string want_prefix =
      R"({"rule_id":"0b7f6c1e-0000-4000-8000-000000000002","rule_title":"Brute force on one )"
      R"(account","level":"high","tags":["attack.credential-access","attack.t1110"],)"
      R"("rule_author":"ucsc tests","rule_references":["https://example.org/brute-force"],)"
      R"("correlation_type":"event_count","rules":["0b7f6c1e-0000-4000-8000-000000000001"],)"
      R"("group":{"TargetUserName":"alice"},"records":[{"rule_id":)"
      R"("0b7f6c1e-0000-4000-8000-000000000001","input":"in.jsonl","record":1,)"
      R"("timestamp":"2026-01-01T00:00:00.000Z"},)";
  EXPECT_EQ(j.substr(0, want_prefix.size()), want_prefix) << j;
  EXPECT_NE(j.find(R"("first_timestamp":"2026-01-01T00:00:00.000Z","timestamp":)"
                   R"("2026-01-01T00:00:00.002Z","count":3})"),
            std::string::npos)
      << j;
}

TEST(CorrelationLevel, LowBaseRulesStayForHighCorrelations) {
  const auto rules = LoadRules("chain.yml");
  const auto keep = RulesNeededAtLevel(rules, Level::kHigh);
  ASSERT_EQ(keep.size(), 4u);
  EXPECT_EQ(keep, (std::vector<bool>{true, true, true, true}));
  const auto none = RulesNeededAtLevel(LoadRules("generate.yml"), Level::kHigh);
  EXPECT_EQ(none, std::vector<bool>(5, false));
}

}  // namespace
}  // namespace ucsc::hunt

namespace ucsc::hunt {
namespace {

// The threshold semantics written out naively (README "When it fires — threshold conditions")
// for input in time order: per group, the unconsumed events; on each arrival at t the window is
// those at or after t - timespan; when it reaches the threshold it fires and is consumed.
struct NaiveThreshold {
  std::int64_t span;
  std::size_t threshold;
  bool distinct_values;
  std::map<std::string, std::vector<std::pair<std::int64_t, std::string>>> pending;
  std::vector<std::pair<std::string, std::int64_t>> fired;  // group, time

  void Add(const std::string& group, std::int64_t t, const std::string& value) {
    auto& events = pending[group];
    events.emplace_back(t, value);
    std::vector<std::pair<std::int64_t, std::string>> window;
    for (const auto& e : events) {
      if (e.first >= t - span) window.push_back(e);
    }
    std::set<std::string> values;
    for (const auto& e : window) values.insert(e.second);
    const std::size_t n = distinct_values ? values.size() : window.size();
    if (n >= threshold) {
      fired.emplace_back(group, t);
      events.clear();
    }
  }
};

TEST(CorrelationOracle, RandomStreamsMatchTheNaiveThresholdSemantics) {
  std::mt19937 rng(20261204);
  for (const bool distinct : {false, true}) {
    for (int round = 0; round < 20; ++round) {
      Harness h(distinct ? "value_count.yml" : "event_count.yml");
      // event_count.yml: gte 3 in 10 s; value_count.yml: more than 2 distinct users in 1 min.
      NaiveThreshold naive{distinct ? 60000 : 10000, 3, distinct, {}, {}};
      std::int64_t t = 0;
      for (int i = 0; i < 400; ++i) {
        if (rng() % 5 != 0) {  // one event in five shares the previous one's time
          t += static_cast<std::int64_t>(rng() % (distinct ? 20000 : 4000));
        }
        const std::string group = "g" + std::to_string(rng() % 4);
        const std::string user = "u" + std::to_string(rng() % 5);
        if (distinct) {
          h.Feed("logon_attempt", t, {{"IpAddress", group}, {"TargetUserName", user}});
        } else {
          h.Feed("failed_logon", t, {{"TargetUserName", group}});
        }
        naive.Add(group, t, user);
      }
      std::vector<std::pair<std::string, std::int64_t>> got;
      for (const auto& d : h.Out()) {
        got.emplace_back(d.group[0].second,
                         core::ParseRfc3339(d.timestamp)->time_since_epoch().count() -
                             core::ParseRfc3339(At(0))->time_since_epoch().count());
      }
      ASSERT_EQ(got, naive.fired) << "round " << round
                                  << (distinct ? " value_count" : " event_count");
      EXPECT_FALSE(got.empty());
    }
  }
}

}  // namespace
}  // namespace ucsc::hunt
