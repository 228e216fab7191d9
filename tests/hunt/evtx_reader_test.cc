// EVTX through libevtx (record_reader.h) on the samples of ../shared/data/evtx: record counts,
// damaged files, and selected records against the expected outputs of the source repository
// (expected/*.snap, evtx_dump's JSON and XML renderings).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "hunt/json_event.h"
#include "hunt/record_reader.h"
#include "hunt/xml_event.h"

// libevtx 20181227 leaks its chunk list when libevtx_file_open fails on a damaged chunk header
// (found by evtx_fuzz, reproduced with libevtx alone). Used only in sanitizer builds.
extern "C" const char* __lsan_default_suppressions() {
  return "leak:libevtx_file_open_read\nleak:libfdata_list_initialize\nleak:libcdata_array_"
         "initialize\n";
}

namespace ucsc::hunt {
namespace {

const std::string kDir = std::string(UCSC_SHARED_DIR) + "/data/evtx/";

struct ReadResult {
  std::vector<Event> events;
  std::uint64_t bad = 0;
  std::string errors;
};

ReadResult ReadEvtx(const std::string& name) {
  ReadResult out;
  auto reader = OpenEvtxReader(kDir + name);
  EXPECT_TRUE(reader.has_value()) << (reader ? "" : reader.error().message);
  if (!reader) return out;
  XmlEventParser parser;
  RecordBatch batch;
  while (true) {
    auto more = (*reader)->Next(&batch, 1 << 16);
    EXPECT_TRUE(more.has_value());
    if (!more || !*more) break;
    out.bad += batch.bad;
    out.errors += batch.errors;
    for (const auto& u : batch.units) {
      Event e;
      auto st = parser.Parse(batch.text(u), &e, HexPadding::kStrip);
      if (!st) {
        ++out.bad;
        out.errors += st.error().message + "\n";
        continue;
      }
      e.record = u.record;
      out.events.push_back(std::move(e));
    }
  }
  return out;
}

std::string Get(const Event& e, std::string_view name) {
  std::string_view v;
  return e.Find(name, &v) ? std::string(v) : std::string("<missing>");
}

const Event* ByRecordId(const ReadResult& r, std::uint64_t id) {
  for (const auto& e : r.events) {
    if (e.record == id) return &e;
  }
  return nullptr;
}

// The rendering in a .snap file (after its YAML header).
std::string Snapshot(const std::string& name) {
  std::ifstream in(kDir + "expected/test_record_samples__" + name + ".snap");
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string s = ss.str();
  const std::size_t second = s.find("\n---\n");
  return second == std::string::npos ? std::string() : s.substr(second + 5);
}

// Fields as sorted (name, value) pairs, with the two renderings that legitimately differ made
// comparable: times to microseconds (EVTX FILETIMEs have 100 ns; libevtx writes 7+ digits,
// evtx_dump truncates to 6) and GUIDs without braces (libevtx writes {GUID} as Windows does;
// evtx_dump's XML writes some without).
std::vector<std::pair<std::string, std::string>> Fields(const Event& e) {
  std::vector<std::pair<std::string, std::string>> out;
  for (std::size_t i = 0; i < e.size(); ++i) {
    std::string value(e.value(i));
    if (e.name(i) == "SystemTime") {
      Event t;
      t.Add("SystemTime", value);
      value = t.Timestamp();
      const std::size_t dot = value.find('.');
      if (dot != std::string::npos && value.size() - dot - 2 > 6) {
        value.resize(dot + 7);
        while (value.back() == '0') value.pop_back();
        if (value.back() == '.') value.pop_back();
        value += 'Z';
      }
    }
    if (value.size() == 38 && value.front() == '{' && value.back() == '}') {
      value = value.substr(1, 36);
    }
    out.emplace_back(std::string(e.name(i)), value);
  }
  std::sort(out.begin(), out.end());
  return out;
}

class EvtxSamples : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(kDir + "security.evtx")) GTEST_SKIP() << "shared data missing";
  }
};

// Files whose every record libevtx reads: the counts of SOURCE.md.
TEST_F(EvtxSamples, RecordCountsOfRegularSamples) {
  const std::pair<const char*, std::size_t> kFiles[] = {
      {"security.evtx", 2261},
      {"security_bad_string_cache.evtx", 2261},
      {"Security_with_size_t.evtx", 636},
      {"Security_short_selected.evtx", 7},
      {"post-Security.evtx", 126},
      {"sysmon.evtx", 358},
      {"system.evtx", 1881},
      {"2-vss_7-System.evtx", 1160},
      {"sample-with-zero-data-size-event.evtx", 335},
      {"Application_no_crc32.evtx", 17},
      {"sample-with-irregular-bool-values.evtx", 3028},
      {"2-system-Microsoft-Windows-LiveId%4Operational.evtx", 399},
      {"E_Windows_system32_winevt_logs_Microsoft-Windows-Shell-Core%4Operational.evtx", 1146},
  };
  for (const auto& [name, count] : kFiles) {
    const ReadResult r = ReadEvtx(name);
    EXPECT_EQ(r.events.size(), count) << name;
    EXPECT_EQ(r.bad, 0u) << name << ": " << r.errors;
  }
}

// Damaged files: every record header is either read or counted as bad, with a reason, and the
// rest of the file is still read. (libevtx drops whole damaged chunks and cannot render some
// BinXML that evtx_dump renders; the upstream ok/err counts are in the comments.)
TEST_F(EvtxSamples, DamagedRecordsAreSkippedAndCounted) {
  struct Case {
    const char* name;
    std::size_t ok;
    std::uint64_t bad;
  };
  const Case kCases[] = {
      {"sample_with_a_bad_chunk_magic.evtx", 267, 3},  // upstream 270 / 2
      {"2-vss_0-Microsoft-Windows-RemoteDesktopServices-RdpCoreTS%4Operational.evtx", 1910,
       2},  // upstream 1910 / 4
      {"2-vss_0-Microsoft-Windows-TerminalServices-RemoteConnectionManager%4Operational.evtx", 1774,
       1},                                                               // upstream 1774 / 2
      {"Microsoft-Windows-HelloForBusiness%4Operational.evtx", 5, 1},    // upstream 6 / 0
      {"Microsoft-Windows-LanguagePackSetup%4Operational.evtx", 16, 1},  // upstream 17 / 0
      {"E_Windows_system32_winevt_logs_Microsoft-Windows-CAPI2%4Operational.evtx", 337,
       3},  // upstream 340 / 0
      {"E_ShadowCopy6_windows_system32_winevt_logs_Microsoft-Windows-CAPI2%4Operational.evtx", 436,
       23},                                      // upstream 459 / 0
      {"MSExchange_Management_wec.evtx", 0, 1},  // upstream 1 / 0
  };
  for (const Case& c : kCases) {
    const ReadResult r = ReadEvtx(c.name);
    EXPECT_EQ(r.events.size(), c.ok) << c.name;
    EXPECT_EQ(r.bad, c.bad) << c.name << ": " << r.errors;
    EXPECT_FALSE(r.errors.empty()) << c.name;
  }
}

TEST_F(EvtxSamples, NotAnEvtxFileIsAClearError) {
  auto r = OpenEvtxReader(kDir + "binxml.dat");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_NE(r.error().message.find("not a readable EVTX file"), std::string::npos);
  EXPECT_EQ(OpenEvtxReader(kDir + "no-such.evtx").error().code, core::ErrorCode::kNotFound);
  EXPECT_EQ(OpenEvtxReader("-").error().code, core::ErrorCode::kInvalidArgument);
}

TEST_F(EvtxSamples, FromMemoryLikeFromFileAndTruncatedImagesDoNotCrash) {
  std::ifstream in(kDir + "Security_short_selected.evtx", std::ios::binary);
  const std::string image((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_EQ(image.size(), 69632u);
  auto count = [](std::string_view img, std::uint64_t* bad) -> std::size_t {
    auto reader = OpenEvtxReaderFromMemory(img);
    if (!reader) return 0;
    RecordBatch batch;
    std::size_t n = 0;
    while (true) {
      auto more = (*reader)->Next(&batch, 1 << 20);
      if (!more || !*more) break;
      n += batch.units.size();
      *bad += batch.bad;
    }
    return n;
  };
  std::uint64_t bad = 0;
  EXPECT_EQ(count(image, &bad), 7u);
  EXPECT_EQ(bad, 0u);
  // The chunk up to its free-space offset, padded with zeros (the fuzz seed's form): all 7.
  std::string head = image.substr(0, 12880);
  head.resize(image.size(), '\0');
  bad = 0;
  EXPECT_EQ(count(head, &bad), 7u);
  EXPECT_EQ(bad, 0u);
  // Cut anywhere: an error or fewer records, never a crash.
  for (std::size_t cut : {0, 10, 4095, 4096, 5000, 12880, 65536, 69631}) {
    bad = 0;
    EXPECT_LE(count(std::string_view(image).substr(0, cut), &bad), 7u) << cut;
  }
  // Flipped bytes in the chunk's records.
  std::string damaged = image;
  for (std::size_t i = 4096 + 600; i < 4096 + 8000; i += 97) damaged[i] ^= 0x5A;
  bad = 0;
  const std::size_t ok = count(damaged, &bad);
  EXPECT_LE(ok, 7u);
  EXPECT_GT(bad + (7u - ok), 0u);
}

// Regression (evtx_fuzz): libbfio's memory range read past the end of an image shorter than
// the 4 KiB file header. The reader now reads a zero-padded copy.
TEST(EvtxMemory, ShortImagesAreACleanError) {
  std::ifstream in(std::string(UCSC_SOURCE_DIR) + "/fuzz/corpus/evtx/crash-libbfio-short-image",
                   std::ios::binary);
  const std::string crash((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_EQ(crash.size(), 100u);
  for (const std::string& image : {crash, std::string(), std::string(1, 'E'), crash + "x"}) {
    auto reader = OpenEvtxReaderFromMemory(image);
    if (!reader) {
      EXPECT_EQ(reader.error().code, core::ErrorCode::kInvalidArgument);
      continue;
    }
    RecordBatch batch;
    auto more = (*reader)->Next(&batch, 1 << 16);
    ASSERT_TRUE(more.has_value());
    EXPECT_TRUE(batch.units.empty());
  }
}

// The evtx_fuzz input that showed libevtx's leak: a chunk header size libevtx refuses.
TEST(EvtxMemory, DamagedChunkHeaderIsACleanError) {
  std::ifstream in(
      std::string(UCSC_SOURCE_DIR) + "/fuzz/corpus/evtx/leak-libevtx-open-damaged-chunk",
      std::ios::binary);
  const std::string image((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_FALSE(image.empty());
  auto reader = OpenEvtxReaderFromMemory(image);
  ASSERT_FALSE(reader.has_value());
  EXPECT_EQ(reader.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_NE(reader.error().message.find("unsupported header size"), std::string::npos)
      << reader.error().message;
}

TEST_F(EvtxSamples, SystemFieldsRecordAndTimestamp) {
  const ReadResult r = ReadEvtx("Security_with_size_t.evtx");
  ASSERT_FALSE(r.events.empty());
  const Event& first = r.events.front();
  EXPECT_EQ(first.record, 1u);
  EXPECT_EQ(Get(first, "EventID"), "4608");
  EXPECT_EQ(Get(first, "Channel"), "Security");
  EXPECT_EQ(Get(first, "Provider_Name"), "Microsoft-Windows-Security-Auditing");
  EXPECT_EQ(Get(first, "Computer"), "26L2233B1-02");
  EXPECT_EQ(Get(first, "EventRecordID"), "1");
  EXPECT_EQ(first.Timestamp(), "2015-08-24T06:51:38.40625Z");
  const Event* logon = ByRecordId(r, 2);
  ASSERT_NE(logon, nullptr);
  EXPECT_EQ(Get(*logon, "TargetUserName"), "SYSTEM");
  EXPECT_EQ(Get(*logon, "TargetLogonId"), "0x3e7");  // libevtx's zero padding removed
  EXPECT_EQ(Get(*logon, "ProcessName"), "");         // <Data Name="ProcessName"/> is present
}

// Every field of evtx_dump's JSON rendering, and no other, with the same value.
// `known` lists fields where libevtx's rendering differs, with libevtx's value. With
// `strip_index_suffix`, evtx_dump's names for repeated elements (X_1, X_2, ...) become X.
void ExpectSameAsJsonSnapshot(const std::string& file, std::uint64_t record_id,
                              const std::string& snapshot,
                              const std::vector<std::pair<std::string, std::string>>& known = {},
                              bool strip_index_suffix = false) {
  const ReadResult r = ReadEvtx(file);
  const Event* got =
      record_id == 0 ? (r.events.empty() ? nullptr : &r.events.front()) : ByRecordId(r, record_id);
  ASSERT_NE(got, nullptr) << file << " record " << record_id;
  const std::string json = Snapshot(snapshot);
  ASSERT_FALSE(json.empty()) << snapshot;
  JsonEventParser parser;
  Event want;
  ASSERT_TRUE(parser.Parse(json, 0, &want).has_value()) << snapshot;
  auto want_fields = Fields(want);
  if (strip_index_suffix) {
    for (auto& field : want_fields) {
      std::string& name = field.first;
      const std::size_t us = name.rfind('_');
      if (us != std::string::npos && us + 1 < name.size() &&
          name.find_first_not_of("0123456789", us + 1) == std::string::npos) {
        name.resize(us);
      }
    }
    std::sort(want_fields.begin(), want_fields.end());
  }
  for (auto& [name, value] : want_fields) {
    for (const auto& [k, libevtx_value] : known) {
      if (name == k) value = libevtx_value;
    }
  }
  EXPECT_EQ(Fields(*got), want_fields)
      << snapshot << "\n got " << got->ToJson() << "\nwant " << want.ToJson();
  EXPECT_EQ(Fields(*got).size(), Fields(want).size());
}

TEST_F(EvtxSamples, FirstSecurityRecordAsExpected) {
  ExpectSameAsJsonSnapshot("security.evtx", 0, "event_json_sample");
}

TEST_F(EvtxSamples, SizeTRecordAsExpected) {
  // libevtx 20181227 renders HexInt32 / SizeT values in decimal (evtx_dump: 0x7eec, 0x858).
  ExpectSameAsJsonSnapshot("Security_with_size_t.evtx", 196, "event_json_with_size_t",
                           {{"HandleId", "32492"}, {"ProcessId", "2136"}});
}

// A chunk whose string-cache offset table is damaged: libevtx still renders the record; the
// snapshot is evtx_dump's "separate attributes" JSON (Provider_attributes, ...).
TEST_F(EvtxSamples, DamagedStringCacheRecordAsExpected) {
  ExpectSameAsJsonSnapshot("security_bad_string_cache.evtx", 0,
                           "event_json_missing_string_cache_entry");
}

TEST_F(EvtxSamples, EventDataWithAttributesAndTextAsExpected) {
  ExpectSameAsJsonSnapshot("system.evtx", 0,
                           "event_json_sample_with_event_data_with_attributes_and_text");
}

// The XML snapshots read through the XML parser give the same event as the EVTX record.
void ExpectSameAsXmlSnapshot(const std::string& file, std::uint64_t record_id,
                             const std::string& snapshot) {
  const ReadResult r = ReadEvtx(file);
  const Event* got =
      record_id == 0 ? (r.events.empty() ? nullptr : &r.events.front()) : ByRecordId(r, record_id);
  ASSERT_NE(got, nullptr) << file << " record " << record_id;
  const std::string xml = Snapshot(snapshot);
  XmlEventParser parser;
  Event want;
  auto st = parser.Parse(xml, &want);
  ASSERT_TRUE(st.has_value()) << snapshot << ": " << st.error().message;
  EXPECT_EQ(Fields(*got), Fields(want))
      << snapshot << "\n got " << got->ToJson() << "\nwant " << want.ToJson();
}

TEST_F(EvtxSamples, XmlSnapshotsAsExpected) {
  ExpectSameAsXmlSnapshot("security.evtx", 0, "event_xml_sample");
  ExpectSameAsXmlSnapshot("security.evtx", 2260,
                          "event_xml_sample_with_string_with_trailing_spaces");
  ExpectSameAsXmlSnapshot("system.evtx", 0,
                          "event_xml_sample_with_event_data_with_attributes_and_text");
}

// CAPI2 record 28: UserData with repeated elements and entity references. evtx_dump's JSON
// names repeated sibling elements Header, Header_1, Header_2, ...; the XML path (and so EVTX)
// gives one field Header with several values, which Sigma matching treats like a JSON array.
TEST_F(EvtxSamples, RepeatedElementsAndEntityReferencesAsExpected) {
  const std::string capi =
      "E_Windows_system32_winevt_logs_Microsoft-Windows-CAPI2%4Operational.evtx";
  ExpectSameAsJsonSnapshot(capi, 28, "event_json_with_multiple_nodes_same_name", {},
                           /*strip_index_suffix=*/true);
  ExpectSameAsXmlSnapshot(capi, 28, "event_xml_sample_with_entity_ref");
  // Record 25 (event_xml_sample_with_entity_ref_2) is one libevtx cannot render: counted bad.
  const ReadResult r = ReadEvtx(capi);
  EXPECT_EQ(ByRecordId(r, 25), nullptr);
  EXPECT_NE(r.errors.find("record #25 (by position)"), std::string::npos) << r.errors;
}

TEST_F(EvtxSamples, UserDataRecordAsExpected) {
  ExpectSameAsXmlSnapshot(
      "E_Windows_system32_winevt_logs_Microsoft-Windows-CAPI2%4Operational.evtx", 0,
      "event_xml_sample_with_user_data");
}

}  // namespace
}  // namespace ucsc::hunt
