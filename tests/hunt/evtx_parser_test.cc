// The own EVTX parser (evtx_parser.h) and its chunk reader (OpenEvtxReader): value
// rendering, every sample of ../shared/data/evtx record for record (counts against SOURCE.md /
// MANIFEST.tsv and upstream's ok/err counts), selected records field by field against the
// expected outputs (expected/*.snap), damaged and truncated input, gzip / zstd input.
#include "hunt/input/evtx_parser.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "hunt/input/json_event.h"
#include "hunt/input/record_reader.h"
#include "hunt/input/xml_event.h"
#include "shared_data.h"

namespace ucsc::hunt {
namespace {

std::string SampleDir() { return std::string(UCSC_SHARED_DIR) + "/data/evtx/"; }

std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct ReadResult {
  std::vector<Event> events;
  std::uint64_t bad = 0;
  std::string errors;
};

ReadResult ReadAll(RecordReader& reader) {
  ReadResult out;
  EvtxChunkParser parser;
  RecordBatch batch;
  Event e;
  int batches = 0;
  while (true) {
    auto more = reader.Next(&batch, 1 << 18);
    EXPECT_TRUE(more.has_value()) << (more ? "" : more.error().message);
    if (!more || !*more) break;
    EXPECT_LT(++batches, 100000);
    out.bad += batch.bad;
    out.errors += batch.errors;
    for (const auto& u : batch.units) {
      EXPECT_EQ(u.len, kEvtxChunkSize);
      const EvtxChunkResult r = parser.Parse(
          batch.text(u), u.record, batch.evtx_verify_crc32, &e,
          [&out](Event& ev) { out.events.push_back(ev); }, &out.errors);
      out.bad += r.bad;
    }
  }
  return out;
}

ReadResult ReadEvtx(const std::string& name) {
  auto reader = OpenEvtxReader(SampleDir() + name);
  EXPECT_TRUE(reader.has_value()) << (reader ? "" : reader.error().message);
  if (!reader) return {};
  return ReadAll(**reader);
}

ReadResult ReadImage(std::string_view image) {
  auto reader = OpenEvtxReaderFromMemory(image);
  if (!reader) return {};
  return ReadAll(**reader);
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

std::size_t Count(const std::string& s, std::string_view what) {
  std::size_t n = 0;
  for (std::size_t pos = s.find(what); pos != std::string::npos; pos = s.find(what, pos + 1)) ++n;
  return n;
}

// ---- value types ----

std::vector<std::string> Render(std::uint8_t type, std::string_view bytes, bool* ok = nullptr) {
  std::vector<std::string> items;
  const bool good = RenderEvtxValue(type, bytes, &items);
  if (ok) *ok = good;
  return items;
}

std::string Le(std::uint64_t v, int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
  return s;
}

std::string Utf16(std::string_view ascii) {
  std::string s;
  for (char ch : ascii) {
    s.push_back(ch);
    s.push_back('\0');
  }
  return s;
}

using Items = std::vector<std::string>;

TEST(EvtxValue, FileTimeAsEvtxDump) {
  // 2016-07-08T18:12:51.6816406Z: 100 ns digits truncated to microseconds.
  EXPECT_EQ(Render(0x11, Le(131124751716816406ULL, 8)), Items{"2016-07-08T18:12:51.681640Z"});
  EXPECT_EQ(Render(0x11, Le(0, 8)), Items{"1601-01-01T00:00:00.000000Z"});
  EXPECT_EQ(Render(0x11, Le(116444736000000000ULL, 8)), Items{"1970-01-01T00:00:00.000000Z"});
  EXPECT_EQ(Render(0x11, Le(~0ULL, 8)), Items{"60056-05-28T05:36:10.955161Z"});
  bool ok = true;
  Render(0x11, Le(1, 4), &ok);
  EXPECT_FALSE(ok);
}

TEST(EvtxValue, SystemTime) {
  std::string st =
      Le(2017, 2) + Le(2, 2) + Le(5, 2) + Le(3, 2) + Le(20, 2) + Le(8, 2) + Le(47, 2) + Le(908, 2);
  EXPECT_EQ(Render(0x12, st), Items{"2017-02-03T20:08:47.908Z"});
  EXPECT_EQ(Render(0x92, st + st).size(), 2u);
}

TEST(EvtxValue, SidGuidHexSizeT) {
  const std::string sid = std::string("\x01\x01\x00\x00\x00\x00\x00\x05", 8) + Le(18, 4);
  EXPECT_EQ(Render(0x13, sid), Items{"S-1-5-18"});
  const std::string sid2 = std::string("\x01\x05\x00\x00\x00\x00\x00\x05", 8) + Le(21, 4) +
                           Le(1223297778, 4) + Le(3299746493, 4) + Le(1462173606, 4) + Le(500, 4);
  EXPECT_EQ(Render(0x13, sid2), Items{"S-1-5-21-1223297778-3299746493-1462173606-500"});
  EXPECT_EQ(Render(0x93, sid + sid2).size(), 2u);
  // An incomplete SID: the sub-authorities that are there.
  bool ok = false;
  EXPECT_EQ(Render(0x13, sid2.substr(0, 14), &ok), Items{"S-1-5-21"});
  EXPECT_TRUE(Render(0x13, "\x01\x01").empty());
  const std::string guid("\x25\x96\x84\x54\x78\x54\x94\x49\xa5\xba\x3e\x3b\x03\x28\xc3\x0d", 16);
  EXPECT_EQ(Render(0x0F, guid), Items{"54849625-5478-4994-A5BA-3E3B0328C30D"});
  EXPECT_EQ(Render(0x14, Le(0x7eec, 4)), Items{"0x7eec"});
  EXPECT_EQ(Render(0x15, Le(0x8020000000000000ULL, 8)), Items{"0x8020000000000000"});
  EXPECT_EQ(Render(0x15, Le(0x3e7, 8)), Items{"0x3e7"});
  EXPECT_EQ(Render(0x10, Le(0x858, 8)), Items{"0x858"});
  EXPECT_EQ(Render(0x10, Le(0x858, 4)), Items{"0x858"});
  EXPECT_EQ(Render(0x94, Le(1, 4) + Le(0xff, 4)), (Items{"0x1", "0xff"}));
}

TEST(EvtxValue, IntegersRealsBoolsBinary) {
  EXPECT_EQ(Render(0x03, "\xff"), Items{"-1"});
  EXPECT_EQ(Render(0x04, "\xff"), Items{"255"});
  EXPECT_EQ(Render(0x05, Le(0xfffe, 2)), Items{"-2"});
  EXPECT_EQ(Render(0x06, Le(0xfffe, 2)), Items{"65534"});
  EXPECT_EQ(Render(0x07, Le(0xffffffff, 4)), Items{"-1"});
  EXPECT_EQ(Render(0x08, Le(0xffffffff, 4)), Items{"4294967295"});
  EXPECT_EQ(Render(0x09, Le(~0ULL, 8)), Items{"-1"});
  EXPECT_EQ(Render(0x0A, Le(~0ULL, 8)), Items{"18446744073709551615"});
  float f = 1.5F;
  std::string fb(4, '\0');
  std::memcpy(fb.data(), &f, 4);
  EXPECT_EQ(Render(0x0B, fb), Items{"1.5"});
  double d = 0.1;
  std::string db(8, '\0');
  std::memcpy(db.data(), &d, 8);
  EXPECT_EQ(Render(0x0C, db), Items{"0.1"});
  EXPECT_EQ(Render(0x0D, Le(0, 4)), Items{"false"});
  EXPECT_EQ(Render(0x0D, Le(1, 4)), Items{"true"});
  // Irregular booleans (sample-with-irregular-bool-values.evtx): any non-zero value is true.
  EXPECT_EQ(Render(0x0D, Le(0x100, 4)), Items{"true"});
  EXPECT_EQ(Render(0x0D, Le(0xffffffff, 4)), Items{"true"});
  EXPECT_EQ(Render(0x0E, "\x01\xab"), Items{"01AB"});
  EXPECT_EQ(Render(0x86, Le(1, 2) + Le(2, 2) + Le(3, 2)), (Items{"1", "2", "3"}));
  bool ok = true;
  Render(0x08, Le(1, 3), &ok);
  EXPECT_FALSE(ok);
}

TEST(EvtxValue, StringsAndArrays) {
  EXPECT_EQ(Render(0x01, Utf16("abc") + std::string(2, '\0')), Items{"abc"});
  EXPECT_EQ(Render(0x01, Utf16("a b  ")), Items{"a b  "});  // trailing spaces stay
  EXPECT_EQ(Render(0x01, std::string("\xe9\x00\x3d\xd8\x00\xde", 6)),
            Items{"\xc3\xa9\xf0\x9f\x98\x80"});
  EXPECT_EQ(Render(0x01, std::string("\x00\xd8", 2)), Items{"\xef\xbf\xbd"});  // lone surrogate
  EXPECT_EQ(Render(0x81, Utf16("one") + std::string(2, '\0') + Utf16("two") + std::string(2, '\0')),
            (Items{"one", "two"}));
  EXPECT_EQ(Render(0x02, std::string("ab\0", 3)), Items{"ab"});
  EXPECT_EQ(Render(0x02, "\xe9"), Items{"\xc3\xa9"});
  EXPECT_TRUE(Render(0x00, "").empty());
}

TEST(EvtxFileHeader, ChecksAndFlags) {
  std::string warnings;
  EXPECT_EQ(ParseEvtxFileHeader("ElfFile", &warnings).error().code,
            core::ErrorCode::kInvalidArgument);
  EXPECT_FALSE(ParseEvtxFileHeader(std::string(4096, '\0'), &warnings).has_value());
  std::string h(4096, '\0');
  h.replace(0, 8, std::string("ElfFile\0", 8));
  h.replace(32, 4, Le(128, 4));
  h.replace(36, 2, Le(1, 2));
  h.replace(38, 2, Le(3, 2));
  h.replace(40, 2, Le(4096, 2));
  h.replace(42, 2, Le(7, 2));
  h.replace(120, 4, Le(0x1, 4));  // dirty
  const auto crc =
      static_cast<std::uint32_t>(::crc32(0, reinterpret_cast<const Bytef*>(h.data()), 120));
  h.replace(124, 4, Le(crc, 4));
  warnings.clear();
  auto info = ParseEvtxFileHeader(h, &warnings);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(warnings, "");
  EXPECT_EQ(info->chunk_count, 7);
  EXPECT_TRUE(info->dirty());
  EXPECT_FALSE(info->no_crc32());
  // A changed byte: CRC32 mismatch, a warning only.
  h[50] = 1;
  warnings.clear();
  ASSERT_TRUE(ParseEvtxFileHeader(h, &warnings).has_value());
  EXPECT_EQ(warnings, "file header: CRC32 mismatch; chunks read anyway\n");
  // "No CRC32" (format 3.2): not checked; unknown flags and versions are reported.
  h.replace(120, 4, Le(0x4 | 0x100, 4));
  h.replace(36, 2, Le(9, 2));
  warnings.clear();
  info = ParseEvtxFileHeader(h, &warnings);
  ASSERT_TRUE(info.has_value());
  EXPECT_TRUE(info->no_crc32());
  EXPECT_EQ(warnings,
            "file header: unknown format version 3.9; read as 3.x\n"
            "file header: unknown flags 0x104; ignored\n");
}

// ---- BinXML without a file ----

// A fragment header, then an element <Event> with one attribute and text, built by hand: names
// inline (their offset is the chunk offset they are at; the record's BinXML starts at 512).
TEST(EvtxBinXml, HandBuiltFragment) {
  std::string b("\x0f\x01\x01\x00", 4);
  auto name = [&b](std::string_view n) {
    const std::uint32_t off = 512 + static_cast<std::uint32_t>(b.size()) + 4;
    b += Le(off, 4);
    b += Le(0, 4) + Le(0, 2) + Le(n.size(), 2) + Utf16(n) + std::string(2, '\0');
  };
  b += 'A';       // 0x41: element start with attributes
  b += Le(0, 4);  // data size (not used)
  name("Event");
  b += Le(0, 4);  // attribute list size
  b += "\x06";
  name("xmlns");
  b += "\x05\x01" + Le(1, 2) + Utf16("x");
  b += "\x02";  // close start
  b += "\x01" + Le(0, 4);
  name("Computer");
  b += "\x02\x05\x01" + Le(9, 2) + Utf16("host&name");
  b += "\x08" + Le(0x21, 2);  // &#x21;
  b += "\x09";
  name("amp");
  b += "\x04\x04";
  b += '\0';
  EvtxChunkParser parser;
  Event e;
  auto st = parser.ParseBinXml(b, &e);
  ASSERT_TRUE(st.has_value()) << st.error().message;
  EXPECT_EQ(Get(e, "xmlns"), "x");
  EXPECT_EQ(Get(e, "Event.Computer"), "host&name!&") << e.ToJson();
  // Every cut of it is an error or a smaller event, never a crash.
  for (std::size_t n = 0; n < b.size(); ++n) {
    (void)parser.ParseBinXml(std::string_view(b).substr(0, n), &e);
  }
  // The raw fragment of the samples (binxml.dat) has names outside this buffer: a clean error.
  const std::string raw = ReadBytes(SampleDir() + "binxml.dat");
  if (!raw.empty()) {
    auto r = parser.ParseBinXml(raw, &e);
    if (!r) {
      EXPECT_EQ(r.error().code, core::ErrorCode::kInvalidArgument);
    }
  }
}

// A template that repeats one large substitution value thousands of times (a few KiB of record
// that would expand to hundreds of MiB of text): one clean error, bounded memory.
TEST(EvtxBinXml, ExpandingTemplateIsRefused) {
  std::string b("\x0f\x01\x01\x00", 4);
  b += "\x0c\x01" + Le(1, 4);
  const std::uint32_t def = 512 + static_cast<std::uint32_t>(b.size()) + 4;
  b += Le(def, 4);  // inline definition right here
  std::string body("\x0f\x01\x01\x00", 4);
  body += "\x01" + Le(0xFFFF, 2) + Le(0, 4);  // element start with a dependency id
  const std::uint32_t name_off = def + 24 + static_cast<std::uint32_t>(body.size()) + 4;
  body += Le(name_off, 4) + Le(0, 4) + Le(0, 2) + Le(5, 2) + Utf16("Event") + std::string(2, '\0');
  body += "\x02";
  for (int i = 0; i < 10000; ++i) body += "\x0d" + Le(0, 2) + "\x01";
  body += "\x04";
  body += '\0';
  b += Le(0, 4) + std::string(16, '\x11') + Le(body.size(), 4) + body;
  const std::string value = Utf16(std::string(5000, 'x'));
  b += Le(1, 4) + Le(value.size(), 2) + "\x01" + std::string(1, '\0') + value;
  b += '\0';
  EvtxChunkParser parser;
  Event e;
  auto st = parser.ParseBinXml(b, &e);
  ASSERT_FALSE(st.has_value());
  EXPECT_NE(st.error().message.find("expands to more than 1 MiB"), std::string::npos)
      << st.error().message;
  // The same with the value used a few times only is fine.
  std::string small = b;
  const std::size_t subst = small.find(std::string("\x0d\x00\x00\x01", 4));
  ASSERT_NE(subst, std::string::npos);
  const std::size_t third = subst + std::size_t{4} * 3;
  small[third] = '\x04';  // end element after three substitutions, then EOF
  small[third + 1] = '\x00';
  st = parser.ParseBinXml(small, &e);
  ASSERT_TRUE(st.has_value()) << st.error().message;
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e.value(0), std::string(15000, 'x'));
}

// ---- samples ----

class EvtxParserSamples : public ::testing::Test {
 protected:
  void SetUp() override {
    if (auto why = ucsc::testing::MissingSharedData({SampleDir() + "security.evtx"}); !why.empty())
      GTEST_SKIP() << why;
  }
};

// Every sample, record for record: events read and bad records, against SOURCE.md's record
// header counts and upstream's ok / err counts (tests/test_full_samples.rs).
TEST_F(EvtxParserSamples, RecordCountsOfAllSamples) {
  struct Case {
    const char* name;
    std::size_t ok;
    std::uint64_t bad;
  };
  const std::vector<Case> cases = {
      {"security.evtx", 2261, 0},
      {"security_bad_string_cache.evtx", 2261, 0},  // header CRC32 mismatch reported
      {"Security_with_size_t.evtx", 636, 0},
      {"Security_short_selected.evtx", 7, 0},
      {"post-Security.evtx", 126, 0},  // upstream 126 / 0
      {"sysmon.evtx", 358, 0},
      {"system.evtx", 1881, 0},
      {"2-vss_7-System.evtx", 1160, 0},                     // upstream 1160 / 0
      {"sample-with-zero-data-size-event.evtx", 335, 1},    // upstream: 336 items, 1 error
      {"Application_no_crc32.evtx", 17, 0},                 // upstream 17 / 0
      {"sample-with-irregular-bool-values.evtx", 3028, 0},  // upstream 3028 / 0
      // upstream 270 / 2: the two chunks without magic; we also report the garbage after the
      // last record of chunk 7 (its free space offset lies beyond the records).
      {"sample_with_a_bad_chunk_magic.evtx", 270, 3},
      {"2-vss_0-Microsoft-Windows-RemoteDesktopServices-RdpCoreTS%4Operational.evtx", 1910,
       4},  // upstream 1910 / 4
      {"2-vss_0-Microsoft-Windows-TerminalServices-RemoteConnectionManager%4Operational.evtx", 1774,
       2},  // upstream 1774 / 2
      {"2-system-Microsoft-Windows-LiveId%4Operational.evtx", 399, 0},
      {"Microsoft-Windows-HelloForBusiness%4Operational.evtx", 6, 0},    // upstream 6 / 0
      {"Microsoft-Windows-LanguagePackSetup%4Operational.evtx", 17, 0},  // upstream 17 / 0
      {"E_Windows_system32_winevt_logs_Microsoft-Windows-Shell-Core%4Operational.evtx", 1146, 0},
      {"E_Windows_system32_winevt_logs_Microsoft-Windows-CAPI2%4Operational.evtx", 340, 0},
      {"E_ShadowCopy6_windows_system32_winevt_logs_Microsoft-Windows-CAPI2%4Operational.evtx", 459,
       0},
      {"MSExchange_Management_wec.evtx", 1, 0},
      {"issue_201.evtx", 1, 0},
  };
  for (const Case& c : cases) {
    const ReadResult r = ReadEvtx(c.name);
    EXPECT_EQ(r.events.size(), c.ok) << c.name << "\n" << r.errors;
    EXPECT_EQ(r.bad, c.bad) << c.name << "\n" << r.errors;
    if (c.bad > 0) {
      EXPECT_GE(Count(r.errors, "\n"), c.bad) << c.name;
    }
    // Record ids (of the record headers; EventRecordID may differ) are unique and every event
    // has the System fields.
    std::vector<std::uint64_t> ids;
    for (const Event& e : r.events) {
      ids.push_back(e.record);
      EXPECT_NE(Get(e, "EventID"), "<missing>") << c.name << " " << e.record;
    }
    std::sort(ids.begin(), ids.end());
    EXPECT_EQ(std::adjacent_find(ids.begin(), ids.end()), ids.end()) << c.name;
  }
}

TEST_F(EvtxParserSamples, DamagedChunksGiveOneClearErrorEach) {
  const ReadResult magic = ReadEvtx("sample_with_a_bad_chunk_magic.evtx");
  EXPECT_EQ(Count(magic.errors, "no chunk magic"), 2u) << magic.errors;
  EXPECT_NE(magic.errors.find("chunk 6 (file offset 0x61000): no chunk magic"), std::string::npos)
      << magic.errors;
  EXPECT_NE(magic.errors.find("chunk 10 (file offset 0xa1000)"), std::string::npos);
  EXPECT_EQ(Count(magic.errors, "record data CRC32 mismatch"), 3u) << magic.errors;
  const ReadResult zero = ReadEvtx("sample-with-zero-data-size-event.evtx");
  EXPECT_NE(zero.errors.find("invalid record size 0"), std::string::npos) << zero.errors;
  const ReadResult cache = ReadEvtx("security_bad_string_cache.evtx");
  EXPECT_NE(cache.errors.find("chunk 0 (file offset 0x1000): chunk header CRC32 mismatch"),
            std::string::npos)
      << cache.errors;
  const ReadResult flags = ReadEvtx("post-Security.evtx");
  EXPECT_NE(flags.errors.find("unknown flags 0x1b970000"), std::string::npos) << flags.errors;
  // No CRC32 flag: the unset checksums are not reported.
  EXPECT_EQ(ReadEvtx("Application_no_crc32.evtx").errors, "");
  EXPECT_EQ(ReadEvtx("sysmon.evtx").errors, "");  // slack blocks beyond the chunk count
}

TEST_F(EvtxParserSamples, NotAnEvtxFileIsAClearError) {
  auto r = OpenEvtxReader(SampleDir() + "binxml.dat");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_NE(r.error().message.find("not a readable EVTX file"), std::string::npos);
  EXPECT_EQ(OpenEvtxReader(SampleDir() + "no-such.evtx").error().code, core::ErrorCode::kNotFound);
}

TEST_F(EvtxParserSamples, SystemFieldsRecordAndTimestamp) {
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
  EXPECT_EQ(Get(*logon, "TargetLogonId"), "0x3e7");
  EXPECT_EQ(Get(*logon, "ProcessName"), "");  // <Data Name="ProcessName"/> is present
}

// The rendering in a .snap file (after its YAML header).
std::string Snapshot(const std::string& name) {
  const std::string s = ReadBytes(SampleDir() + "expected/test_record_samples__" + name + ".snap");
  const std::size_t second = s.find("\n---\n");
  return second == std::string::npos ? std::string() : s.substr(second + 5);
}

std::vector<std::pair<std::string, std::string>> Fields(const Event& e) {
  std::vector<std::pair<std::string, std::string>> out;
  for (std::size_t i = 0; i < e.size(); ++i) out.emplace_back(e.name(i), e.value(i));
  std::sort(out.begin(), out.end());
  return out;
}

// Every field of evtx_dump's JSON rendering, and no other, with the same value (exactly: times,
// GUIDs, hex values as evtx_dump writes them). With `strip_index_suffix`, evtx_dump's names for
// repeated elements (X_1, X_2, ...) become X: the XML path and this parser give X several
// values, which Sigma matching treats like a JSON array.
void ExpectSameAsJsonSnapshot(const std::string& file, std::uint64_t record_id,
                              const std::string& snapshot, bool strip_index_suffix = false) {
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
  EXPECT_EQ(Fields(*got), want_fields)
      << snapshot << "\n got " << got->ToJson() << "\nwant " << want.ToJson();
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

std::string Capi2() {
  return "E_Windows_system32_winevt_logs_Microsoft-Windows-CAPI2%4Operational.evtx";
}

TEST_F(EvtxParserSamples, JsonSnapshotsAsExpected) {
  ExpectSameAsJsonSnapshot("security.evtx", 0, "event_json_sample");
  ExpectSameAsJsonSnapshot("Security_with_size_t.evtx", 196, "event_json_with_size_t");
  ExpectSameAsJsonSnapshot("security_bad_string_cache.evtx", 0,
                           "event_json_missing_string_cache_entry");
  ExpectSameAsJsonSnapshot("system.evtx", 0,
                           "event_json_sample_with_event_data_with_attributes_and_text");
  ExpectSameAsJsonSnapshot(Capi2(), 28, "event_json_with_multiple_nodes_same_name",
                           /*strip_index_suffix=*/true);
  ExpectSameAsJsonSnapshot(Capi2(), 28, "event_json_with_multiple_nodes_same_name_separate",
                           /*strip_index_suffix=*/true);
  ExpectSameAsJsonSnapshot("MSExchange_Management_wec.evtx", 0,
                           "event_json_with_multiple_data_elements-2");
  ExpectSameAsJsonSnapshot("issue_201.evtx", 0, "event_json_multiple_empty_data_nodes_not_ignored");
}

TEST_F(EvtxParserSamples, XmlSnapshotsAsExpected) {
  ExpectSameAsXmlSnapshot("security.evtx", 0, "event_xml_sample");
  ExpectSameAsXmlSnapshot("security.evtx", 2260,
                          "event_xml_sample_with_string_with_trailing_spaces");
  ExpectSameAsXmlSnapshot("system.evtx", 0,
                          "event_xml_sample_with_event_data_with_attributes_and_text");
  ExpectSameAsXmlSnapshot(Capi2(), 0, "event_xml_sample_with_user_data");
  ExpectSameAsXmlSnapshot(Capi2(), 28, "event_xml_sample_with_entity_ref");
  ExpectSameAsXmlSnapshot(Capi2(), 25, "event_xml_sample_with_entity_ref_2");  // libevtx failed
  ExpectSameAsXmlSnapshot("MSExchange_Management_wec.evtx", 0,
                          "event_json_with_multiple_data_elements");  // XML despite the name
}

// ---- damaged, truncated, compressed input ----

TEST_F(EvtxParserSamples, TruncatedAndDamagedImagesDoNotCrash) {
  const std::string image = ReadBytes(SampleDir() + "Security_short_selected.evtx");
  ASSERT_EQ(image.size(), 69632u);
  EXPECT_EQ(ReadImage(image).events.size(), 7u);
  // The chunk up to its free-space offset: the reader pads it and reads all 7.
  const ReadResult head = ReadImage(std::string_view(image).substr(0, 12880));
  EXPECT_EQ(head.events.size(), 7u);
  EXPECT_NE(head.errors.find("the file ends after 8784 of its 65536 bytes"), std::string::npos)
      << head.errors;
  for (std::size_t cut : {0, 10, 127, 128, 4095, 4096, 5000, 8000, 12000, 65536, 69631}) {
    const ReadResult r = ReadImage(std::string_view(image).substr(0, cut));
    EXPECT_LE(r.events.size(), 7u) << cut;
  }
  // Flipped bytes in the records: fewer records or errors, the others still read.
  std::string damaged = image;
  for (std::size_t i = 4096 + 600; i < 4096 + 8000; i += 97) damaged[i] ^= 0x5A;
  const ReadResult r = ReadImage(damaged);
  EXPECT_LE(r.events.size(), 7u);
  EXPECT_GT(r.bad + (7u - r.events.size()), 0u);
  EXPECT_NE(r.errors.find("record data CRC32 mismatch"), std::string::npos);
  // Garbage everywhere but the magic values.
  std::string garbage = image;
  std::uint32_t x = 12345;
  for (std::size_t i = 4096 + 512; i < garbage.size(); ++i) {
    x = x * 1103515245 + 12345;
    garbage[i] = static_cast<char>(x >> 16);
  }
  EXPECT_LE(ReadImage(garbage).events.size(), 7u);
}

std::string TempPath(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          ("ucsc-evtx-" + std::to_string(::getpid()) + "-" + name))
      .string();
}

TEST_F(EvtxParserSamples, GzipAndZstdInputReadLikeThePlainFile) {
  const std::string image = ReadBytes(SampleDir() + "system.evtx");
  const std::string gz = TempPath("system.evtx.gz");
  gzFile f = gzopen(gz.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(gzwrite(f, image.data(), static_cast<unsigned>(image.size())),
            static_cast<int>(image.size()));
  gzclose(f);
  std::string zst(ZSTD_compressBound(image.size()), '\0');
  zst.resize(ZSTD_compress(zst.data(), zst.size(), image.data(), image.size(), 3));
  const std::string zpath = TempPath("system.evtx.zst");
  std::ofstream(zpath, std::ios::binary) << zst;
  for (const std::string& path : {gz, zpath}) {
    auto reader = OpenEvtxReader(path);
    ASSERT_TRUE(reader.has_value()) << path;
    const ReadResult r = ReadAll(**reader);
    EXPECT_EQ(r.events.size(), 1881u) << path;
    EXPECT_EQ(r.bad, 0u) << path;
    EXPECT_LT((*reader)->bytes_read(), image.size()) << path;
    std::filesystem::remove(path);
  }
}

// Images shorter than the 128-byte file header (crash-libbfio-short-image: the first 100 bytes
// of security.evtx, which overflowed libbfio's memory range) are a clean open error.
TEST(EvtxParserMemory, ShortImagesAreACleanError) {
  const std::string crash =
      ReadBytes(std::string(UCSC_SOURCE_DIR) + "/fuzz/corpus/evtx/crash-libbfio-short-image");
  ASSERT_EQ(crash.size(), 100u);
  for (const std::string& image : {crash, std::string(), std::string(1, 'E'), crash + "x"}) {
    auto reader = OpenEvtxReaderFromMemory(image);
    ASSERT_FALSE(reader.has_value());
    EXPECT_EQ(reader.error().code, core::ErrorCode::kInvalidArgument);
  }
  // A header alone: no chunks, no records, no error.
  std::string header = crash + std::string(28, '\0');
  const ReadResult r = ReadImage(header);
  EXPECT_TRUE(r.events.empty());
  EXPECT_NE(r.errors.find("the file ends inside the 4096-byte header block"), std::string::npos)
      << r.errors;
}

// Regression inputs of evtx_fuzz (fuzz/corpus/evtx/): read without a crash.
TEST(EvtxParserFuzzRegression, CorpusReplays) {
  const std::filesystem::path dir = std::filesystem::path(UCSC_SOURCE_DIR) / "fuzz/corpus/evtx";
  if (!std::filesystem::exists(dir)) GTEST_SKIP();
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string image = ReadBytes(entry.path().string());
    const ReadResult r = ReadImage(image);
    EXPECT_LE(r.events.size(), 10000u) << entry.path();
  }
}

}  // namespace
}  // namespace ucsc::hunt
