// JSON event flattening, envelope normalisation, logsource routing and the line reader.
#include "hunt/input/json_event.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "hunt/engine.h"
#include "hunt/hunt.h"
#include "hunt/input/input.h"
#include "hunt/sigma/logsource.h"
#include "hunt/sigma/reference_evaluator.h"
#include "test_util.h"

namespace ucsc::hunt {
namespace {

std::string Get(const Event& e, std::string_view name) {
  std::string_view v;
  return e.Find(name, &v) ? std::string(v) : std::string("<absent>");
}

TEST(JsonEvent, FlatNxlogShapeAndScalars) {
  JsonEventParser p;
  Event e;
  ASSERT_TRUE(p.Parse(R"({"EventID":4688,"Channel":"Security","ok":true,"x":null,"f":1.5,
                          "tags":["a","b"],"n":{"m":{"k":"v"}}})",
                      0, &e));
  EXPECT_EQ(Get(e, "EventID"), "4688");
  EXPECT_EQ(Get(e, "ok"), "true");
  EXPECT_EQ(Get(e, "x"), "<absent>");
  EXPECT_EQ(Get(e, "f"), "1.5");
  EXPECT_EQ(Get(e, "n.m.k"), "v");
  int tags = 0;
  for (std::size_t i = 0; i < e.size(); ++i) tags += e.name(i) == "tags";
  EXPECT_EQ(tags, 2);
}

TEST(JsonEvent, EvtxDumpEnvelope) {
  JsonEventParser p;
  Event e;
  ASSERT_TRUE(p.Parse(R"({"Event":{"#attributes":{"xmlns":"x"},"System":{
      "Provider":{"#attributes":{"Name":"Microsoft-Windows-Sysmon","Guid":"{5770}"}},
      "EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational",
      "TimeCreated":{"#attributes":{"SystemTime":"2020-06-10T02:50:54.631000Z"}},
      "EventRecordID":42},
      "EventData":{"Image":"C:\\w\\cmd.exe","CommandLine":"cmd /c whoami"}}})",
                      0, &e));
  EXPECT_EQ(Get(e, "EventID"), "1");
  EXPECT_EQ(Get(e, "Channel"), "Microsoft-Windows-Sysmon/Operational");
  EXPECT_EQ(Get(e, "Provider_Name"), "Microsoft-Windows-Sysmon");
  EXPECT_EQ(Get(e, "Image"), "C:\\w\\cmd.exe");
  EXPECT_EQ(Get(e, "SystemTime"), "2020-06-10T02:50:54.631000Z");
  EXPECT_EQ(e.Timestamp(), "2020-06-10T02:50:54.631Z");  // trailing zeros dropped
}

TEST(JsonEvent, EvtxDumpTextAndSeparateAttributes) {
  JsonEventParser p;
  Event e;
  ASSERT_TRUE(
      p.Parse(R"({"Event":{"System":{"EventID":{"#attributes":{"Qualifiers":""},"#text":4625},
      "Provider_attributes":{"Name":"Microsoft-Windows-Security-Auditing"}}}})",
              0, &e));
  EXPECT_EQ(Get(e, "EventID"), "4625");
  EXPECT_EQ(Get(e, "Provider_Name"), "Microsoft-Windows-Security-Auditing");
}

TEST(JsonEvent, WinlogbeatShape) {
  JsonEventParser p;
  Event e;
  ASSERT_TRUE(p.Parse(R"({"@timestamp":"2021-01-02T03:04:05.678Z","winlog":{"channel":"Security",
      "event_id":4624,"provider_name":"Microsoft-Windows-Security-Auditing","record_id":7,
      "event_data":{"TargetUserName":"bob","LogonType":"3"}}})",
                      0, &e));
  EXPECT_EQ(Get(e, "Channel"), "Security");
  EXPECT_EQ(Get(e, "EventID"), "4624");
  EXPECT_EQ(Get(e, "TargetUserName"), "bob");
  EXPECT_EQ(Get(e, "EventRecordID"), "7");
  EXPECT_EQ(e.Timestamp(), "2021-01-02T03:04:05.678Z");
}

TEST(JsonEvent, TimestampsNormalisedToRfc3339Utc) {
  Event e;
  e.Add("UtcTime", "2020-06-10 02:50:54.631");
  EXPECT_EQ(e.Timestamp(), "2020-06-10T02:50:54.631Z");
  Event local;
  local.Add("EventTime", "2020-06-09 02:50:54+07:00");  // converted to UTC, across midnight
  EXPECT_EQ(local.Timestamp(), "2020-06-08T19:50:54Z");
  Event west;
  west.Add("timestamp", "2024-02-28T23:30:00.500-0100");  // into a leap day
  EXPECT_EQ(west.Timestamp(), "2024-02-29T00:30:00.5Z");
  Event nanos;
  nanos.Add("SystemTime", "2015-08-24T06:51:38.406250000Z");  // libevtx's 9 digits
  EXPECT_EQ(nanos.Timestamp(), "2015-08-24T06:51:38.40625Z");
  Event bad;
  bad.Add("timestamp", "2020-13-01T00:00:00Z");
  bad.Add("EventTime", "2020-01-01T00:00:00+25:00");
  EXPECT_EQ(bad.Timestamp(), "");
}

TEST(JsonEvent, BadInputIsAnErrorNotACrash) {
  JsonEventParser p;
  Event e;
  EXPECT_FALSE(p.Parse("{\"a\":", 0, &e));
  EXPECT_FALSE(p.Parse("[1,2]", 0, &e));
  EXPECT_FALSE(p.Parse("", 0, &e));
  std::string deep(5000, '[');
  EXPECT_FALSE(p.Parse(deep, 0, &e));
}

TEST(LogSourceRouting, ProcessCreationFromSysmonAndSecurity4688WithRenames) {
  auto map = LogSourceMap::Parse(LogSourceMap::DefaultText());
  ASSERT_TRUE(map.has_value()) << map.error().message;
  auto rules = ParseRules(
      "title: whoami\nlogsource: {product: windows, category: process_creation}\n"
      "detection:\n  sel:\n    Image|endswith: '\\whoami.exe'\n    ParentImage|endswith: "
      "'\\cmd.exe'\n  condition: sel\n",
      "r.yml");
  ASSERT_TRUE(rules.has_value());
  ReferenceEvaluator ref(*rules, *map);
  auto plan = Plan::Compile(*rules, *map);
  ASSERT_TRUE(plan.has_value());
  Matcher m(**plan);
  std::vector<int> hits;
  using testing::MakeEvent;
  const Event sysmon = MakeEvent({{"Channel", "Microsoft-Windows-Sysmon/Operational"},
                                  {"EventID", "1"},
                                  {"Image", "C:\\W\\whoami.exe"},
                                  {"ParentImage", "C:\\W\\cmd.exe"}});
  const Event security = MakeEvent({{"Channel", "SECURITY"},  // case-insensitive channel
                                    {"EventID", "4688"},
                                    {"NewProcessName", "C:\\W\\whoami.exe"},
                                    {"ParentProcessName", "C:\\W\\cmd.exe"}});
  const Event wrong_id = MakeEvent({{"Channel", "Security"},
                                    {"EventID", "4689"},
                                    {"NewProcessName", "C:\\W\\whoami.exe"},
                                    {"ParentProcessName", "C:\\W\\cmd.exe"}});
  const Event no_channel =
      MakeEvent({{"Image", "C:\\W\\whoami.exe"}, {"ParentImage", "C:\\W\\cmd.exe"}});
  for (const Event* e : {&sysmon, &security}) {
    EXPECT_EQ(ref.Match(*e), std::vector<int>{0});
    m.Match(*e, &hits);
    EXPECT_EQ(hits, std::vector<int>{0});
  }
  for (const Event* e : {&wrong_id, &no_channel}) {
    EXPECT_TRUE(ref.Match(*e).empty());
    m.Match(*e, &hits);
    EXPECT_TRUE(hits.empty());
  }
}

TEST(LogSourceRouting, BadMappingFilesAreRefused) {
  EXPECT_FALSE(LogSourceMap::Parse("sources: 3\n"));
  EXPECT_FALSE(LogSourceMap::Parse("sources:\n  - {logsource: {product: windows}}\n"));
  EXPECT_FALSE(LogSourceMap::Parse("sources: [\n"));
  EXPECT_FALSE(LogSourceMap::Load("/nonexistent/map.yml"));
}

std::string WriteTemp(const std::string& name, const std::string& content) {
  const std::string path = ::testing::TempDir() + name;
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

TEST(LineReader, BlocksKeepWholeLinesAndNumbers) {
  std::string text;
  for (int i = 1; i <= 1000; ++i) text += "{\"n\":" + std::to_string(i) + "}\n";
  text += "{\"n\":1001}";  // no final newline
  const std::string path = WriteTemp("hunt_lines.jsonl", text);
  auto r = OpenLineReader(path);
  ASSERT_TRUE(r.has_value());
  LineBlock b;
  std::uint64_t lines = 0, expect_first = 1;
  std::string joined;
  while (true) {
    auto more = (*r)->Next(&b, 100);
    ASSERT_TRUE(more.has_value());
    if (!*more) break;
    EXPECT_EQ(b.first_line, expect_first);
    expect_first += b.lines;
    lines += b.lines;
    joined.append(b.data, 0, b.size);
    ASSERT_GE(b.data.size(), b.size + 64);
    EXPECT_EQ(b.data.substr(b.size, 64), std::string(64, ' '));  // parser padding
  }
  EXPECT_EQ(lines, 1001u);
  EXPECT_EQ(joined, text);
}

TEST(LineReader, ZstdAndGzipAreDetectedByMagic) {
  const std::string plain = WriteTemp("hunt_c.jsonl", "{\"a\":1}\n{\"a\":2}\n");
  ASSERT_EQ(std::system(("zstd -qf " + plain + " -o " + plain + ".zst").c_str()), 0);
  ASSERT_EQ(std::system(("gzip -kf " + plain).c_str()), 0);
  for (const std::string& path : {plain + ".zst", plain + ".gz"}) {
    auto r = OpenLineReader(path);
    ASSERT_TRUE(r.has_value());
    LineBlock b;
    auto more = (*r)->Next(&b, 1 << 20);
    ASSERT_TRUE(more.has_value() && *more) << path;
    EXPECT_EQ(b.data.substr(0, b.size), "{\"a\":1}\n{\"a\":2}\n") << path;
  }
  const std::string bad = WriteTemp("hunt_bad.zst", std::string("\x28\xB5\x2F\xFD garbage", 12));
  auto r = OpenLineReader(bad);
  ASSERT_TRUE(r.has_value());
  LineBlock b;
  EXPECT_FALSE((*r)->Next(&b, 1 << 20).has_value());
}

TEST(HuntRun, DetectionsInInputOrderWithAllFieldsAndBadLinesReported) {
  auto map = LogSourceMap::Parse(LogSourceMap::DefaultText());
  ASSERT_TRUE(map.has_value());
  auto rules = ParseRules(
      "title: cmd\nid: r1\nlevel: high\nauthor: A\ntags: [t1]\nreferences: [u1]\n"
      "logsource: {product: windows, category: process_creation}\n"
      "detection:\n  sel: {Image|endswith: '\\cmd.exe'}\n  condition: sel\n",
      "r.yml");
  ASSERT_TRUE(rules.has_value());
  auto plan = Plan::Compile(*rules, *map);
  ASSERT_TRUE(plan.has_value());
  std::string text;
  for (int i = 1; i <= 3000; ++i) {
    if (i == 5) {
      text += "not json\n";
      continue;
    }
    text +=
        R"({"Channel":"Microsoft-Windows-Sysmon/Operational","EventID":1,"UtcTime":"2020-01-01 00:00:00.000","Image":")" +
        std::string(i % 7 == 0 ? "C:\\\\x\\\\cmd.exe" : "C:\\\\x\\\\other.exe") + "\"}\n";
  }
  const std::string path = WriteTemp("hunt_run.jsonl", text);
  std::string outputs[2];
  for (int threads : {1, 2}) {
    HuntOptions o;
    o.inputs = {path};
    o.threads = threads;
    o.block_bytes = 4096;
    std::ostringstream out, err;
    HuntStats st = RunHunt(*rules, **plan, o, out, err);
    EXPECT_EQ(st.events, 2999u);
    EXPECT_EQ(st.bad_records, 1u);
    EXPECT_EQ(st.detections, 3000u / 7);
    EXPECT_NE(err.str().find(path + ":5: invalid JSON"), std::string::npos) << err.str();
    outputs[threads - 1] = out.str();
  }
  EXPECT_EQ(outputs[0], outputs[1]);
  const std::string first = outputs[0].substr(0, outputs[0].find('\n'));
  EXPECT_EQ(first,
            "{\"rule_id\":\"r1\",\"rule_title\":\"cmd\",\"level\":\"high\",\"tags\":[\"t1\"],"
            "\"rule_author\":\"A\",\"rule_references\":[\"u1\"],\"input\":\"" +
                path +
                "\",\"record\":7,\"timestamp\":\"2020-01-01T00:00:00Z\",\"event\":{"
                "\"Channel\":\"Microsoft-Windows-Sysmon/Operational\",\"EventID\":\"1\","
                "\"UtcTime\":\"2020-01-01 00:00:00.000\",\"Image\":\"C:\\\\x\\\\cmd.exe\"}}");
}

}  // namespace
}  // namespace ucsc::hunt
