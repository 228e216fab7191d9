// The hunt pipeline over the non-JSON inputs: SigmaHQ rules on EVTX samples end to end, the
// optimised engine against the reference evaluator on EVTX events, and format detection.
#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "hunt/engine.h"
#include "hunt/hunt.h"
#include "hunt/input/evtx_parser.h"
#include "hunt/input/record_reader.h"
#include "hunt/input/xml_event.h"
#include "hunt/sigma/logsource.h"
#include "hunt/sigma/reference_evaluator.h"
#include "shared_data.h"

namespace ucsc::hunt {
namespace {

const std::string kShared = UCSC_SHARED_DIR;
const std::string kEvtx = kShared + "/data/evtx/";
const std::string kRules = kShared + "/data/sigma/rules/windows";

std::vector<nlohmann::json> Lines(const std::string& text) {
  std::vector<nlohmann::json> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) out.push_back(nlohmann::json::parse(line));
  return out;
}

TEST(HuntInputs, SigmaHqRuleMatchesAnEvtxRecord) {
  const std::string rule = kRules +
                           "/builtin/security/account_management/"
                           "win_security_susp_failed_logon_source.yml";
  if (auto why = ucsc::testing::MissingSharedData({rule, kEvtx}); !why.empty()) GTEST_SKIP() << why;
  const ParseOutcome loaded = LoadRulePaths({rule});
  ASSERT_EQ(loaded.rules.size(), 1u);
  auto map = LogSourceMap::Parse(LogSourceMap::DefaultText());
  ASSERT_TRUE(map.has_value());
  auto plan = Plan::Compile(loaded.rules, *map);
  ASSERT_TRUE(plan.has_value());
  HuntOptions opts;
  opts.inputs = {kEvtx + "Security_short_selected.evtx"};  // format detected by extension
  std::ostringstream out, err;
  const HuntStats st = RunHunt(loaded.rules, **plan, opts, out, err);
  EXPECT_TRUE(st.input_errors.empty());
  EXPECT_EQ(st.events, 7u);
  EXPECT_EQ(st.bad_records, 0u);
  const auto detections = Lines(out.str());
  ASSERT_EQ(detections.size(), 1u) << out.str();
  const auto& d = detections[0];
  EXPECT_EQ(d["rule_id"], "f88e112a-21aa-44bd-9b01-6ee2a2bbbed1");
  EXPECT_EQ(d["record"], 4);
  EXPECT_EQ(d["timestamp"], "2016-06-29T15:24:36.686Z");
  EXPECT_EQ(d["event"]["EventID"], "4625");
  EXPECT_EQ(d["event"]["Channel"], "Security");
  // `record` is the record header's identifier; this crafted sample's XML says otherwise.
  EXPECT_EQ(d["event"]["EventRecordID"], "319457832");
}

TEST(HuntInputs, DamagedEvtxReportsPerRecordAndGoesOn) {
  const std::string file = kEvtx + "sample_with_a_bad_chunk_magic.evtx";
  if (auto why = ucsc::testing::MissingSharedData({file}); !why.empty()) GTEST_SKIP() << why;
  auto map = LogSourceMap::Parse(LogSourceMap::DefaultText());
  ASSERT_TRUE(map.has_value());
  std::vector<Rule> none;
  auto plan = Plan::Compile(none, *map);
  ASSERT_TRUE(plan.has_value());
  for (int threads : {1, 3}) {
    HuntOptions opts;
    opts.inputs = {file, kEvtx + "Security_short_selected.evtx"};
    opts.format = InputFormat::kEvtx;
    opts.threads = threads;
    opts.block_bytes = 1 << 14;
    std::ostringstream out, err;
    const HuntStats st = RunHunt(none, **plan, opts, out, err);
    EXPECT_TRUE(st.input_errors.empty());
    EXPECT_EQ(st.events, 270u + 7u) << threads;
    EXPECT_EQ(st.bad_records, 3u) << threads;
    EXPECT_NE(err.str().find(file + ": chunk 6 (file offset 0x61000): no chunk magic"),
              std::string::npos)
        << err.str();
    EXPECT_NE(err.str().find(file + ": chunk 9 (file offset 0x91000): record data CRC32"),
              std::string::npos)
        << err.str();
  }
}

// EVTX blocks are ranges of chunks parsed by the workers in parallel; detections come out in
// input order whatever the number of threads, and `record` is the record id.
TEST(HuntInputs, EvtxDetectionsInInputOrderWithThreads) {
  if (auto why = ucsc::testing::MissingSharedData({kRules, kEvtx}); !why.empty())
    GTEST_SKIP() << why;
  const ParseOutcome loaded = LoadRulePaths({kRules});
  auto map = LogSourceMap::Parse(LogSourceMap::DefaultText());
  ASSERT_TRUE(map.has_value());
  auto plan = Plan::Compile(loaded.rules, *map);
  ASSERT_TRUE(plan.has_value());
  std::string first;
  for (int threads : {1, 2, 3}) {
    HuntOptions opts;
    opts.inputs = {kEvtx + "security.evtx", kEvtx + "system.evtx"};
    opts.threads = threads;
    opts.block_bytes = 1 << 16;  // one chunk per block
    std::ostringstream out, err;
    const HuntStats st = RunHunt(loaded.rules, **plan, opts, out, err);
    EXPECT_EQ(st.events, 2261u + 1881u);
    EXPECT_EQ(st.bad_records, 0u) << err.str();
    if (threads == 1) {
      first = out.str();
      EXPECT_GE(Lines(first).size(), 100u);
    } else {
      EXPECT_EQ(out.str(), first) << threads;
    }
  }
}

// A gzip-compressed EVTX file: the format is found by the name (.evtx.gz) and the file is read
// as a stream, like the plain one.
TEST(HuntInputs, GzipEvtxByName) {
  const std::string file = kEvtx + "system.evtx";
  if (auto why = ucsc::testing::MissingSharedData({file}); !why.empty()) GTEST_SKIP() << why;
  std::ifstream in(file, std::ios::binary);
  const std::string image((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string gz =
      (std::filesystem::temp_directory_path() / "ucsc-hunt-inputs-system.evtx.gz").string();
  gzFile f = gzopen(gz.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(gzwrite(f, image.data(), static_cast<unsigned>(image.size())),
            static_cast<int>(image.size()));
  gzclose(f);
  auto map = LogSourceMap::Parse(LogSourceMap::DefaultText());
  ASSERT_TRUE(map.has_value());
  std::vector<Rule> none;
  auto plan = Plan::Compile(none, *map);
  ASSERT_TRUE(plan.has_value());
  HuntOptions opts;
  opts.inputs = {gz};
  opts.threads = 2;
  std::ostringstream out, err;
  const HuntStats st = RunHunt(none, **plan, opts, out, err);
  EXPECT_TRUE(st.input_errors.empty());
  EXPECT_EQ(st.events, 1881u);
  EXPECT_EQ(st.bad_records, 0u) << err.str();
  std::filesystem::remove(gz);
}

// Standard input is recognised by its content (EVTX, gzip-compressed here; JSON lines) and read
// whole: the head read for detection is not lost.
TEST(HuntInputs, StdinFormatByContent) {
  const std::string file = kEvtx + "system.evtx";
  if (auto why = ucsc::testing::MissingSharedData({file}); !why.empty()) GTEST_SKIP() << why;
  std::ifstream in(file, std::ios::binary);
  const std::string image((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string gz = (std::filesystem::temp_directory_path() / "ucsc-hunt-stdin.gz").string();
  gzFile f = gzopen(gz.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(gzwrite(f, image.data(), static_cast<unsigned>(image.size())),
            static_cast<int>(image.size()));
  gzclose(f);
  const std::string jsonl =
      (std::filesystem::temp_directory_path() / "ucsc-hunt-stdin.jsonl").string();
  {
    std::ofstream o(jsonl);
    for (int i = 0; i < 70000; ++i) {  // more than the 64 KiB head
      o << R"({"Channel":"Security","EventID":4625,"n":)" << i << "}\n";
    }
  }
  auto map = LogSourceMap::Parse(LogSourceMap::DefaultText());
  ASSERT_TRUE(map.has_value());
  std::vector<Rule> none;
  auto plan = Plan::Compile(none, *map);
  ASSERT_TRUE(plan.has_value());
  HuntOptions opts;
  opts.inputs = {"-"};
  for (const auto& [path, events] :
       {std::pair<std::string, std::uint64_t>{gz, 1881}, {jsonl, 70000}}) {
    ASSERT_NE(std::freopen(path.c_str(), "rb", stdin), nullptr);
    std::ostringstream out, err;
    const HuntStats st = RunHunt(none, **plan, opts, out, err);
    EXPECT_TRUE(st.input_errors.empty()) << path;
    EXPECT_EQ(st.events, events) << path;
    EXPECT_EQ(st.bad_records, 0u) << path << ": " << err.str();
    EXPECT_EQ(st.bytes, std::filesystem::file_size(path)) << path;
  }
  std::filesystem::remove(gz);
  std::filesystem::remove(jsonl);
}

// Every EVTX record of three samples through the engine and the reference evaluator with all
// Windows rules: identical detections.
TEST(HuntInputs, EngineAgreesWithReferenceEvaluatorOnEvtx) {
  if (auto why = ucsc::testing::MissingSharedData({kRules, kEvtx}); !why.empty())
    GTEST_SKIP() << why;
  const ParseOutcome loaded = LoadRulePaths({kRules});
  auto map = LogSourceMap::Parse(LogSourceMap::DefaultText());
  ASSERT_TRUE(map.has_value());
  auto plan = Plan::Compile(loaded.rules, *map);
  ASSERT_TRUE(plan.has_value());
  ReferenceEvaluator ref(loaded.rules, *map);
  Matcher m(**plan);
  EvtxChunkParser parser;
  Event e;
  std::vector<int> got;
  std::size_t events = 0, detections = 0;
  for (const char* name : {"security.evtx", "sysmon.evtx", "system.evtx"}) {
    auto reader = OpenEvtxReader(kEvtx + name);
    ASSERT_TRUE(reader.has_value());
    RecordBatch batch;
    std::string errors;
    while (true) {
      auto more = (*reader)->Next(&batch, 1 << 20);
      ASSERT_TRUE(more.has_value());
      if (!*more) break;
      for (const auto& u : batch.units) {
        parser.Parse(
            batch.text(u), u.record, batch.evtx_verify_crc32, &e,
            [&](Event& ev) {
              const std::vector<int> want = ref.Match(ev);
              m.Match(ev, &got);
              EXPECT_EQ(got, want) << name << " record " << ev.record << ": " << ev.ToJson();
              ++events;
              detections += want.size();
            },
            &errors);
      }
    }
    EXPECT_EQ(errors, "") << name;
  }
  EXPECT_EQ(events, 2261u + 358u + 1881u);
  EXPECT_GE(detections, 100u);  // 115 + 4 + 20 with the rules of the shared copy
}

std::string WriteTemp(const std::string& name, const std::string& text) {
  const std::string path = (std::filesystem::temp_directory_path() / name).string();
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

// One rule (keyword "mimikatz", no logsource restriction beyond windows/process_creation is
// needed: the mapping routes Sysmon EventID 1) over the same event in each format, detected
// from the content (the files have no telling extension).
TEST(HuntInputs, FormatsDetectedByContentGiveTheSameDetection) {
  const std::string yaml = R"(title: mimikatz
id: 00000000-0000-0000-0000-0000000000aa
level: high
logsource: {product: windows, category: process_creation}
detection:
  sel: {Image|endswith: '\mimikatz.exe'}
  condition: sel
)";
  auto rules = ParseRules(yaml, "t.yml");
  ASSERT_TRUE(rules.has_value());
  auto map = LogSourceMap::Parse(LogSourceMap::DefaultText());
  ASSERT_TRUE(map.has_value());
  auto plan = Plan::Compile(*rules, *map);
  ASSERT_TRUE(plan.has_value());
  const std::string jsonl = WriteTemp(
      "ucsc_fmt_a.dat",
      R"({"EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational","Image":"C:\\t\\mimikatz.exe"})"
      "\n");
  const std::string xml =
      WriteTemp("ucsc_fmt_b.dat",
                "<?xml version=\"1.0\"?>\n<Events>\n<Event><System><EventID>1</EventID><Channel>"
                "Microsoft-Windows-Sysmon/Operational</Channel></System><EventData><Data "
                "Name=\"Image\">C:\\t\\mimikatz.exe</Data></EventData></Event>\n</Events>\n");
  const std::string csv = WriteTemp(
      "ucsc_fmt_c.dat",
      "EventID,Channel,Image\n1,Microsoft-Windows-Sysmon/Operational,C:\\t\\mimikatz.exe\n");
  const std::string syslog =
      WriteTemp("ucsc_fmt_d.dat", "<13>Oct 11 22:14:15 host app: C:\\t\\mimikatz.exe\n");
  struct Case {
    std::string path;
    std::size_t detections;
    std::uint64_t record;
  };
  // Syslog carries no Channel/EventID, so the process_creation rule does not run on it.
  for (const Case& c : {Case{jsonl, 1, 1}, Case{xml, 1, 3}, Case{csv, 1, 2}, Case{syslog, 0, 0}}) {
    HuntOptions opts;
    opts.inputs = {c.path};
    std::ostringstream out, err;
    const HuntStats st = RunHunt(*rules, **plan, opts, out, err);
    EXPECT_TRUE(st.input_errors.empty()) << c.path;
    EXPECT_EQ(st.events, 1u) << c.path << " " << err.str();
    EXPECT_EQ(st.bad_records, 0u) << c.path << " " << err.str();
    const auto d = Lines(out.str());
    ASSERT_EQ(d.size(), c.detections) << c.path;
    if (!d.empty()) {
      EXPECT_EQ(d[0]["record"], c.record) << c.path;
    }
    std::filesystem::remove(c.path);
  }
}

TEST(HuntInputs, FormatNames) {
  EXPECT_EQ(ParseInputFormat("evtx"), InputFormat::kEvtx);
  EXPECT_EQ(ParseInputFormat("xml"), InputFormat::kXml);
  EXPECT_EQ(ParseInputFormat("csv"), InputFormat::kCsv);
  EXPECT_EQ(ParseInputFormat("syslog"), InputFormat::kSyslog);
  EXPECT_EQ(ParseInputFormat("EVTX"), std::nullopt);
}

}  // namespace
}  // namespace ucsc::hunt
