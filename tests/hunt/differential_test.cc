// The optimised engine (Plan + Matcher) against the reference evaluator: same rules, same events,
// identical detections required.
#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "hunt/engine.h"
#include "hunt/input/input.h"
#include "hunt/input/json_event.h"
#include "hunt/sigma/reference_evaluator.h"
#include "shared_data.h"
#include "test_util.h"

namespace ucsc::hunt {
namespace {

void ExpectSame(const std::vector<Rule>& rules, const LogSourceMap& map,
                const std::vector<Event>& events, std::size_t* detections) {
  ReferenceEvaluator ref(rules, map);
  auto plan = Plan::Compile(rules, map);
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  Matcher m(**plan);
  std::vector<int> got;
  for (std::size_t i = 0; i < events.size(); ++i) {
    const std::vector<int> want = ref.Match(events[i]);
    m.Match(events[i], &got);
    ASSERT_EQ(got, want) << "event " << i << ": " << events[i].ToJson();
    *detections += want.size();
  }
}

// ExpectSame for rules given as YAML (`name` in messages) with the shipped mapping; returns the
// number of detections.
std::size_t ExpectSameOnYaml(const std::string& yaml, const std::string& name,
                             const std::vector<Event>& events) {
  auto rules = ParseRules(yaml, name);
  if (!rules) {
    ADD_FAILURE() << rules.error().message << "\n" << yaml;
    return 0;
  }
  auto map = LogSourceMap::Parse(LogSourceMap::DefaultText());
  if (!map) {
    ADD_FAILURE() << map.error().message;
    return 0;
  }
  std::size_t detections = 0;
  ExpectSame(*rules, *map, events, &detections);
  return detections;
}

TEST(Differential, HandWrittenRulesOnHandWrittenEvents) {
  const std::string yaml = R"(title: a
logsource: {product: windows, category: process_creation}
detection:
  sel: {Image|endswith: '\whoami.exe'}
  condition: sel
---
title: b
logsource: {product: windows, category: process_creation}
detection:
  sel: {CommandLine|contains|all: [' -enc', 'hidden']}
  filter: {ParentImage|startswith: 'C:\Program Files\'}
  condition: sel and not filter
---
title: c
logsource: {product: windows, category: process_creation}
detection:
  sel: {User|exists: false}
  condition: sel
---
title: d
logsource: {product: windows, service: security}
detection:
  sel: {EventID: 4625, IpAddress|cidr: 10.0.0.0/8}
  condition: sel
---
title: e
logsource: {product: windows, category: process_creation}
detection:
  kw: [mimikatz]
  condition: kw
---
title: f
logsource: {product: windows, category: process_creation}
detection:
  sel: {CommandLine|re|i: 'invoke-[a-z]+'}
  sel2: {CommandLine|windash|contains: ' -nop '}
  condition: 1 of sel*
---
title: g
logsource: {product: windows, category: process_creation}
detection:
  sel: {Image|fieldref: ParentImage}
  condition: sel
---
title: h
logsource: {product: linux, category: process_creation}
detection:
  sel: {Image|endswith: '\whoami.exe'}
  condition: sel
)";
  using testing::MakeEvent;
  const std::string sysmon = "Microsoft-Windows-Sysmon/Operational";
  std::vector<Event> events = {
      MakeEvent(
          {{"Channel", sysmon}, {"EventID", "1"}, {"Image", "C:\\W\\WHOAMI.exe"}, {"User", "x"}}),
      MakeEvent(
          {{"Channel", "security"}, {"EventID", "4688"}, {"NewProcessName", "C:\\whoami.exe"}}),
      MakeEvent({{"Channel", sysmon},
                 {"EventID", "1"},
                 {"CommandLine", "ps -w hidden -enc A"},
                 {"ParentImage", "C:\\x"},
                 {"User", "u"}}),
      MakeEvent({{"Channel", sysmon},
                 {"EventID", "1"},
                 {"CommandLine", "ps -w hidden -enc A"},
                 {"ParentImage", "C:\\Program Files\\y"},
                 {"User", "u"}}),
      MakeEvent({{"Channel", "Security"}, {"EventID", "4625"}, {"IpAddress", "10.2.3.4"}}),
      MakeEvent({{"Channel", "Security"}, {"EventID", "4625"}, {"IpAddress", "11.2.3.4"}}),
      MakeEvent({{"Channel", sysmon}, {"EventID", "1"}, {"Other", "MIMIKATZ!"}, {"User", "u"}}),
      MakeEvent({{"Channel", sysmon},
                 {"EventID", "1"},
                 {"CommandLine", "x Invoke-Thing /nop y"},
                 {"User", "u"}}),
      MakeEvent({{"Channel", sysmon},
                 {"EventID", "1"},
                 {"Image", "a"},
                 {"ParentImage", "A"},
                 {"User", "u"}}),
      MakeEvent({{"Channel", sysmon}, {"EventID", "3"}, {"Image", "C:\\whoami.exe"}}),
  };
  const std::size_t detections = ExpectSameOnYaml(yaml, "diff.yml", events);
  EXPECT_GE(detections, 8u);
}

// The prefilter's paths (decision 0007 and engine.h): exact values looked up per field (also
// through a source's field renames), regular expressions gated by RE2's required atoms, keyword
// rules that route to every source (scan of the whole event), literals split over two values.
TEST(Differential, PrefilterPathsAgreeWithReference) {
  const std::string yaml = R"(title: exact renamed
logsource: {product: windows, category: process_creation}
detection:
  sel: {Image: 'C:\Tools\Evil.exe'}
  condition: sel
---
title: exact event id on a service
logsource: {product: windows, service: sysmon}
detection:
  sel: {EventID: 16}
  condition: sel
---
title: exact cased
logsource: {product: windows, category: process_creation}
detection:
  sel: {User|cased: 'Admin'}
  condition: sel
---
title: exact all
logsource: {product: windows, category: process_creation}
detection:
  sel: {Hashes|all: ['a', 'b']}
  condition: sel
---
title: regex with atoms
logsource: {product: windows, category: process_creation}
detection:
  sel: {CommandLine|re: '(?i)invoke-(mimi|kerb)[a-z]+ -dump'}
  condition: sel
---
title: regex without atoms
logsource: {product: windows, category: process_creation}
detection:
  sel: {CommandLine|re: '^[a-z]{2}$'}
  condition: sel
---
title: keywords everywhere
logsource: {product: windows}
detection:
  kw: ['sekurlsa::', 'lsadump::']
  filter: {EventID: 15}
  condition: kw and not filter
---
title: two whole values, one gates the other
logsource: {product: windows, category: process_access}
detection:
  sel:
    GrantedAccess: '0x1410'
    SourceUser: 'NT AUTHORITY\SYSTEM'
  condition: sel
---
title: contains split over two values
logsource: {product: windows, category: process_creation}
detection:
  sel: {CommandLine|contains: 'abcdef'}
  condition: sel
)";
  using testing::MakeEvent;
  const std::string sysmon = "Microsoft-Windows-Sysmon/Operational";
  std::vector<Event> events = {
      // exact, renamed for 4688 (NewProcessName), case-insensitive
      MakeEvent({{"Channel", "Security"},
                 {"EventID", "4688"},
                 {"NewProcessName", "c:\\tools\\EVIL.exe"}}),
      MakeEvent({{"Channel", "Security"},
                 {"EventID", "4688"},
                 {"NewProcessName", "c:\\tools\\evil.exe2"}}),
      MakeEvent({{"Channel", sysmon}, {"EventID", "1"}, {"Image", "C:\\Tools\\Evil.exe"}}),
      // the same value in another field does not count
      MakeEvent({{"Channel", sysmon}, {"EventID", "1"}, {"ParentImage", "C:\\Tools\\Evil.exe"}}),
      // EventID 16 vs 160 / 1 on the Sysmon service
      MakeEvent({{"Channel", sysmon}, {"EventID", "16"}}),
      MakeEvent({{"Channel", sysmon}, {"EventID", "160"}, {"Other", "16"}}),
      // cased exact: only 'Admin'
      MakeEvent({{"Channel", sysmon}, {"EventID", "1"}, {"User", "Admin"}}),
      MakeEvent({{"Channel", sysmon}, {"EventID", "1"}, {"User", "admin"}}),
      // all of two exact values over a repeated field
      MakeEvent({{"Channel", sysmon}, {"EventID", "1"}, {"Hashes", "A"}, {"Hashes", "b"}}),
      MakeEvent({{"Channel", sysmon}, {"EventID", "1"}, {"Hashes", "a"}}),
      // regex with and without atoms
      MakeEvent(
          {{"Channel", sysmon}, {"EventID", "1"}, {"CommandLine", "x Invoke-MimiKatz -dump"}}),
      MakeEvent({{"Channel", sysmon}, {"EventID", "1"}, {"CommandLine", "x Invoke-Other -dump"}}),
      MakeEvent({{"Channel", sysmon}, {"EventID", "1"}, {"CommandLine", "ab"}}),
      // keywords in any field of any routed event, but not EventID 15
      MakeEvent({{"Channel", "Security"}, {"EventID", "4624"}, {"Message", "run SEKURLSA::x"}}),
      MakeEvent({{"Channel", sysmon}, {"EventID", "15"}, {"Contents", "lsadump::sam"}}),
      MakeEvent({{"Channel", "System"}, {"EventID", "7045"}, {"ImagePath", "lsadump::sam"}}),
      MakeEvent({{"Channel", "Unknown/Channel"}, {"EventID", "1"}, {"x", "sekurlsa::"}}),
      // both whole values; either one alone
      MakeEvent({{"Channel", sysmon},
                 {"EventID", "10"},
                 {"GrantedAccess", "0x1410"},
                 {"SourceUser", "nt authority\\system"}}),
      MakeEvent({{"Channel", sysmon}, {"EventID", "10"}, {"GrantedAccess", "0x1410"}}),
      MakeEvent({{"Channel", sysmon}, {"EventID", "10"}, {"SourceUser", "NT AUTHORITY\\SYSTEM"}}),
      // a literal split over two values is a prefilter hit, not a detection
      MakeEvent({{"Channel", sysmon}, {"EventID", "1"}, {"CommandLine", "abc"}, {"X", "def"}}),
      MakeEvent({{"Channel", sysmon}, {"EventID", "1"}, {"CommandLine", "xabcdefx"}}),
  };
  const std::size_t detections = ExpectSameOnYaml(yaml, "prefilter.yml", events);
  // evil x2, EventID 16, Admin, Hashes, regex x2, keywords x2, two whole values, abcdef
  EXPECT_EQ(detections, 11u);
}

// Regular expressions are gated by literals of RE2's prefilter (decision 0007), but RE2 matches
// beyond the engine's ASCII-only lower-casing: under (?i) 's' also matches U+017F 'ſ' and 'k' the
// Kelvin sign U+212A, and atoms are lower-cased with Unicode rules ('CAFÉ' -> 'café'). The
// engine must still find what the plain regex finds; a regex's required substrings ('&&') are
// checked before it runs.
TEST(Differential, RegexGatesAgreeBeyondAscii) {
  const std::string yaml = R"(title: fold s
logsource: {product: windows, category: process_creation}
detection:
  sel: {CommandLine|re|i: 'invoke-set'}
  condition: sel
---
title: fold k
logsource: {product: windows, category: process_creation}
detection:
  sel: {CommandLine|re: '(?i)mimikatz'}
  condition: sel
---
title: non-ASCII, case-sensitive
logsource: {product: windows, category: process_creation}
detection:
  sel: {CommandLine|re: 'CAFÉ-[0-9]+'}
  condition: sel
---
title: non-ASCII, case-insensitive
logsource: {product: windows, category: process_creation}
detection:
  sel: {CommandLine|re: '(?i)café'}
  condition: sel
---
title: required substrings
logsource: {product: windows, category: process_creation}
detection:
  sel: {CommandLine|re: 'cmd.{0,5}/c.+&&.+clip(board)?'}
  condition: sel
---
title: case-sensitive long s
logsource: {product: windows, category: process_creation}
detection:
  sel: {CommandLine|re: 'ſystem32'}
  condition: sel
---
title: case-sensitive Kelvin sign, escaped
logsource: {product: windows, category: process_creation}
detection:
  sel: {CommandLine|re: '\x{212A}erberos'}
  condition: sel
---
title: long s in a class
logsource: {product: windows, category: process_creation}
detection:
  sel: {CommandLine|re: 'po[wſ]ershell'}
  condition: sel
)";
  using testing::MakeEvent;
  const std::string sysmon = "Microsoft-Windows-Sysmon/Operational";
  auto cmd = [&](std::string line) {
    return MakeEvent({{"Channel", sysmon}, {"EventID", "1"}, {"CommandLine", std::move(line)}});
  };
  std::vector<Event> events = {
      cmd("x INVOKE-\xC5\xBF"
          "ET y"),  // 'ſ'
      cmd("invoke-set"),
      cmd("run MIMI\xE2\x84\xAA"
          "ATZ"),             // Kelvin sign
      cmd("CAF\xC3\x89-12"),  // 'É': both non-ASCII rules
      cmd("caf\xC3\xA9"),     // 'é': the case-insensitive one
      cmd("CAF\xC3\xA9-12"),  // 'é' does not match 'É' case-sensitively
      cmd("cmd /c a && clip"),
      cmd("cmd /c a & clip"),
      // RE2's prefilter lower-cases 'ſ' and 'K' to ASCII even in case-sensitive regexes
      cmd("c:\\\xC5\xBFystem32"),
      cmd("\xE2\x84\xAA"
          "erberos"),
      cmd("po\xC5\xBF"
          "ershell"),
      cmd("c:\\system32 kerberos powershell"),  // ASCII: only po[wſ]ershell, by its 'w'
      // a Kelvin sign elsewhere makes the folding rules run; they still must not match
      MakeEvent({{"Channel", sysmon},
                 {"EventID", "1"},
                 {"CommandLine", "invoke-sex"},
                 {"User", "\xE2\x84\xAA"}}),
  };
  const std::size_t detections = ExpectSameOnYaml(yaml, "fold.yml", events);
  // fold s x2, fold k, CAFÉ-12 (both non-ASCII rules), café, CAFé-12 (case-insensitive), clip,
  // ſystem32, Kerberos, poſershell, powershell
  EXPECT_EQ(detections, 12u);
}

// The matcher caches its field index per event shape (the names in order): events whose names
// run together the same way but split differently, or differ only in case, must not share it.
TEST(Differential, FieldIndexPerShape) {
  const std::string yaml = R"(title: image
logsource: {product: windows, category: process_creation}
detection:
  sel: {Image|endswith: '\evil.exe'}
  condition: sel
---
title: user
logsource: {product: windows, category: process_creation}
detection:
  sel: {User: 'x'}
  condition: sel
)";
  using testing::MakeEvent;
  const std::string sysmon = "Microsoft-Windows-Sysmon/Operational";
  std::vector<Event> events;
  for (int round = 0; round < 2; ++round) {
    // "Image" + "User" and "ImageU" + "ser": the same names text, split differently
    events.push_back(MakeEvent(
        {{"Channel", sysmon}, {"EventID", "1"}, {"Image", "c:\\evil.exe"}, {"User", "x"}}));
    events.push_back(MakeEvent(
        {{"Channel", sysmon}, {"EventID", "1"}, {"ImageU", "c:\\evil.exe"}, {"ser", "x"}}));
    events.push_back(MakeEvent(
        {{"Channel", sysmon}, {"EventID", "1"}, {"image", "c:\\evil.exe"}, {"USER", "y"}}));
    events.push_back(MakeEvent(
        {{"Channel", sysmon}, {"EventID", "1"}, {"User", "x"}, {"Image", "c:\\good.exe"}}));
  }
  const std::size_t detections = ExpectSameOnYaml(yaml, "shape.yml", events);
  EXPECT_EQ(detections, 8u);  // per round: 2 + 0 + 1 + 1
}

// Long OR lists of whole values, prefixes and suffixes on one field are looked up in hash sets
// (per length for prefixes and suffixes); values of other kinds in the same list stay as they are.
TEST(Differential, ValueSetsAgreeWithReference) {
  const std::string yaml = R"(title: suffixes with other kinds
logsource: {product: windows, category: image_load}
detection:
  sel:
    ImageLoaded|endswith: ['\a.dll', '\bb.dll', '\ccc.dll', '\dddd.dll', '\e.dll', '\ff.dll']
  other:
    ImageLoaded:
      - 'C:\x*\y.dll'
      - 'c:\exact\one.dll'
      - 'c:\exact\two.dll'
      - 'c:\exact\three.dll'
      - 'c:\exact\four.dll'
      - 'c:\exact\five.dll'
      - 'c:\exact\six.dll'
  cased:
    ImageLoaded|cased|endswith: ['\A.DLL', '\B.DLL', '\C.DLL', '\D.DLL', '\E.DLL', '\F.DLL']
  condition: 1 of them
---
title: prefixes, not
logsource: {product: windows, category: image_load}
detection:
  sel: {ImageLoaded|endswith: '.dll'}
  filter:
    ImageLoaded|startswith: ['c:\windows\', 'c:\program files\', 'c:\p\', 'c:\q\', 'c:\r\', 'c:\s\']
  condition: sel and not filter
)";
  using testing::MakeEvent;
  const std::string sysmon = "Microsoft-Windows-Sysmon/Operational";
  auto load = [&](std::string image) {
    return MakeEvent({{"Channel", sysmon}, {"EventID", "7"}, {"ImageLoaded", std::move(image)}});
  };
  std::vector<Event> events = {
      load("C:\\Tools\\A.DLL"),                 // suffix (any case), cased suffix; both rules
      load("C:\\Tools\\xa.dll"),                // no suffix of the list; second rule only
      load("c:\\x\\deep\\y.dll"),               // the wildcard value; both
      load("C:\\EXACT\\SIX.DLL"),               // whole value, any case; both
      load("c:\\exact\\six.dll.bak"),           // not a whole value, not .dll: none
      load("C:\\Windows\\System32\\dddd.dll"),  // suffix; prefix filtered: first only
      load("c:\\p"),                            // shorter than the prefix: none
      load("\\a.dll"),                          // exactly the suffix; both
      load("C:\\Tools\\a.DLL"),                 // suffix but not the cased one; both
      MakeEvent({{"Channel", sysmon},
                 {"EventID", "7"},
                 {"ImageLoaded", "c:\\windows\\x.exe"},
                 {"ImageLoaded", "d:\\y\\ff.dll"}}),       // repeated field: first only (filtered)
      MakeEvent({{"Channel", sysmon}, {"EventID", "7"}}),  // field missing: none
  };
  const std::size_t detections = ExpectSameOnYaml(yaml, "sets.yml", events);
  EXPECT_EQ(detections, 13u);
}

// A value whose literal another rule's prefilter looks for anyway is false when that literal was
// not found in the event, without reading its field (value gates): substrings, whole values
// through a source's renames, keywords, cased values.
TEST(Differential, ValueGatesAgreeWithReference) {
  const std::string yaml = R"(title: hidden
logsource: {product: windows, category: process_creation}
detection:
  sel: {CommandLine|contains: 'hidden'}
  condition: sel
---
title: all of three, one of them another rule's literal
logsource: {product: windows, category: process_creation}
detection:
  sel:
    CommandLine|contains|all: ['-nop', 'hidden', 'bypass']
    ParentImage|endswith: '\x.exe'
  condition: sel
---
title: hidden or cased
logsource: {product: windows, category: process_creation}
detection:
  a: {CommandLine|cased|contains: 'Hidden'}
  b: {CommandLine|contains: 'hidden'}
  condition: a and b
---
title: whole value
logsource: {product: windows, category: process_creation}
detection:
  sel: {Image: 'C:\Tools\Evil.exe'}
  condition: sel
---
title: whole value and user
logsource: {product: windows, category: process_creation}
detection:
  sel: {Image: 'C:\Tools\Evil.exe', User|contains: 'bob'}
  condition: sel
---
title: keyword
logsource: {product: windows}
detection:
  kw: ['sekurlsa::']
  condition: kw
---
title: keyword and field
logsource: {product: windows, category: process_creation}
detection:
  kw: ['sekurlsa::']
  sel: {Image|endswith: '.exe'}
  condition: kw and sel
)";
  using testing::MakeEvent;
  const std::string sysmon = "Microsoft-Windows-Sysmon/Operational";
  auto proc = [&](std::initializer_list<std::pair<std::string, std::string>> fields) {
    Event e = MakeEvent({{"Channel", sysmon}, {"EventID", "1"}});
    for (const auto& [name, value] : fields) e.Add(name, value);
    return e;
  };
  std::vector<Event> events = {
      proc({{"CommandLine", "x -nop -w HIDDEN bypass"}, {"ParentImage", "c:\\x.exe"}}),
      proc({{"CommandLine", "x -nop bypass"}, {"ParentImage", "c:\\x.exe"}, {"Y", "hidden"}}),
      proc({{"CommandLine", "x Hidden"}}),
      proc({{"CommandLine", "x hidden"}, {"Z", "Hidden"}}),
      proc({{"Image", "c:\\tools\\evil.EXE"}, {"User", "BOB"}}),
      proc({{"Image", "c:\\other.exe"}, {"X", "c:\\tools\\evil.exe"}, {"User", "bob"}}),
      MakeEvent({{"Channel", "Security"},
                 {"EventID", "4688"},
                 {"NewProcessName", "C:\\Tools\\Evil.exe"},
                 {"SubjectUserName", "bob"}}),
      proc({{"Image", "c:\\a.exe"}, {"CommandLine", "run SEKURLSA::logonpasswords"}}),
      proc({{"Image", "c:\\a.dll"}, {"CommandLine", "sekurlsa::x"}}),
      MakeEvent({{"Channel", "System"}, {"EventID", "7045"}, {"ImagePath", "sekurlsa::"}}),
  };
  const std::size_t detections = ExpectSameOnYaml(yaml, "value-gates.yml", events);
  // hidden x3, all of three x1, cased x1, whole value x2 (one renamed), whole value and user x2,
  // keyword x3, keyword and field x1
  EXPECT_EQ(detections, 13u);
}

// Vectorscan 5.4.9 (Debian 12) can miss a literal that ends in the last 31 bytes of the scanned
// block (depending on the other literals of the database); the engine pads what it scans.
// Events end with the literal after runs of one byte, the shape that showed the misses.
TEST(Differential, LiteralsAtTheEndOfTheScannedText) {
  const std::string yaml = R"(title: keyword
logsource: {product: windows}
detection: {kw: ['/c'], condition: kw}
---
title: field
logsource: {product: windows, service: security}
detection: {sel: {CommandLine|contains: 'ab)sss'}, condition: sel}
---
title: cmd
logsource: {product: windows, category: process_creation}
detection:
  sel: {CommandLine|contains: 'cmd'}
  other: {CommandLine|contains: 'c:\windows\'}
  condition: sel and not other
)";
  using testing::MakeEvent;
  std::vector<Event> events = {
      MakeEvent({{"Channel", "Security"}, {"EventID", "4624"}, {"CommandLine", "cmd /c"}}),
  };
  std::size_t want = 1;
  for (std::size_t fill : {10u, 63u, 64u, 100u, 1000u}) {
    for (std::size_t tail : {0u, 5u, 20u, 40u}) {
      events.push_back(MakeEvent({{"Channel", "Microsoft-Windows-Sysmon/Operational"},
                                  {"EventID", "1"},
                                  {"CommandLine", std::string(fill, 'x') + "cmd"},
                                  {"X", std::string(tail, 'y')}}));
      ++want;
    }
  }
  const std::size_t detections = ExpectSameOnYaml(yaml, "tail.yml", events);
  EXPECT_EQ(detections, want);
}

// Value gates where a route has several sources with different field renames (Security 4688 is
// both process_creation, with NewProcessName as Image, and the security service).
TEST(Differential, ValueGatesAcrossSourcesWithRenames) {
  const std::string yaml = R"(title: a
logsource: {product: windows, category: process_creation}
detection:
  sel: {Image|endswith: '\evil.exe'}
  condition: sel
---
title: b
logsource: {product: windows, service: security}
detection:
  sel: {Image|endswith: '\evil.exe', SubjectUserName: 'bob'}
  condition: sel
---
title: c
logsource: {product: windows, service: security}
detection:
  sel: {NewProcessName|contains: 'evil', SubjectUserName: 'bob'}
  condition: sel
---
title: d
logsource: {product: windows, category: process_creation}
detection:
  sel: {Image: 'c:\x\evil.exe'}
  condition: sel
---
title: e
logsource: {product: windows, service: security}
detection:
  sel: {Image: 'c:\x\evil.exe'}
  other: {SubjectUserName: 'bob'}
  condition: other and not sel
---
title: f
logsource: {product: windows, category: process_creation}
detection:
  other: {User: 'bob'}
  sel: {Image|contains: 'evil'}
  condition: other and not sel
---
title: kw
logsource: {product: windows}
detection:
  kw: ['bob']
  condition: kw
)";
  using testing::MakeEvent;
  std::vector<Event> events = {
      MakeEvent({{"Channel", "Security"},
                 {"EventID", "4688"},
                 {"NewProcessName", "c:\\x\\evil.exe"},
                 {"SubjectUserName", "bob"}}),
      MakeEvent({{"Channel", "Security"},
                 {"EventID", "4688"},
                 {"Image", "c:\\x\\evil.exe"},
                 {"SubjectUserName", "bob"}}),
      MakeEvent({{"Channel", "Security"},
                 {"EventID", "4624"},
                 {"Image", "c:\\x\\evil.exe"},
                 {"SubjectUserName", "bob"}}),
      MakeEvent({{"Channel", "Security"},
                 {"EventID", "4624"},
                 {"NewProcessName", "c:\\x\\evil.exe"},
                 {"SubjectUserName", "bob"}}),
      MakeEvent({{"Channel", "Security"},
                 {"EventID", "4688"},
                 {"NewProcessName", "c:\\x\\good.exe"},
                 {"Image", "c:\\x\\evil.exe"},
                 {"SubjectUserName", "bob"}}),
      MakeEvent({{"Channel", "Microsoft-Windows-Sysmon/Operational"},
                 {"EventID", "1"},
                 {"Image", "c:\\x\\good.exe"},
                 {"User", "bob"},
                 {"X", "evil"}}),
  };
  const std::size_t detections = ExpectSameOnYaml(yaml, "vg.yml", events);
  EXPECT_GT(detections, 0u);
}

// Random rules (modifiers, regexes with inline flags, keywords, conditions, four logsources) on
// random events (with 'ſ', the Kelvin sign, dashes, case variants), engine against reference.
// UCSC_DIFF_SEED / UCSC_DIFF_ROUNDS run other seeds or more rounds.
TEST(Differential, RandomRulesOnRandomEvents) {
  const char* seed = std::getenv("UCSC_DIFF_SEED");
  std::mt19937 rng(seed ? static_cast<unsigned>(std::atoi(seed)) : 12345u);
  std::size_t total = 0;
  auto pick = [&](const std::vector<std::string>& v) { return v[rng() % v.size()]; };
  const std::vector<std::string> fields = {"CommandLine",    "Image",       "User",
                                           "NewProcessName", "ParentImage", "SubjectUserName"};
  const std::vector<std::string> words = {"abc",
                                          "abcd",
                                          "bcd",
                                          "sys",
                                          "hidden",
                                          "evil.exe",
                                          "x.exe",
                                          "-nop",
                                          "/c",
                                          "key",
                                          "ss",
                                          "ab",
                                          "q",
                                          "(?i)Key",
                                          "(?-i)s",
                                          "[sk]ey",
                                          "\\x4bey",
                                          "ABC",
                                          "Hidden",
                                          "a(?i)BC",
                                          "S",
                                          "SS",
                                          "",
                                          "(?i:Key)",
                                          "x(?i)SYS",
                                          "(?i)sys(?-i)Key",
                                          "[Kk]",
                                          "(?i)[^a]ey",
                                          "(?i)(ss|kk)x"};
  const std::vector<std::string> mods = {"",          "|contains",         "|startswith",
                                         "|endswith", "|contains|all",     "|cased|contains",
                                         "|cased",    "|windash|contains", "|re",
                                         "|re|i",     "|exists",           "|re|i|s",
                                         "|endswith", "|startswith",       "|contains|windash|all"};
  const std::vector<std::string> logsources = {
      "{product: windows, category: process_creation}", "{product: windows, service: security}",
      "{product: windows}", "{product: windows, service: system}"};
  auto value = [&](const std::string& mod) {
    std::string v = pick(words);
    if (rng() % 3 == 0) v += pick(words);
    if (mod.find("|re") != std::string::npos && v.size() > 1 && rng() % 2)
      v = v.substr(0, 1) + ".*" + v.substr(1);
    if (mod.find("|re") == std::string::npos && rng() % 5 == 0) v += "*";
    return v;
  };
  auto sel = [&]() {
    std::string out = "{";
    const int items = 1 + static_cast<int>(rng() % 2);
    for (int i = 0; i < items; ++i) {
      if (i) out += ", ";
      const std::string mod = pick(mods);
      out += "'" + pick(fields) + mod + "': ";
      if (mod == "|exists") {
        out += rng() % 2 ? "true" : "false";
        continue;
      }
      const int n = rng() % 4 == 0 ? 7 : 1 + static_cast<int>(rng() % 3);
      out += "[";
      for (int k = 0; k < n; ++k) {
        if (k) out += ", ";
        out += "'" + value(mod) + "'";
      }
      out += "]";
    }
    return out + "}";
  };
  const char* rounds = std::getenv("UCSC_DIFF_ROUNDS");
  for (int round = 0; round < (rounds ? std::atoi(rounds) : 150); ++round) {
    std::string yaml;
    const int nrules = 4 + static_cast<int>(rng() % 6);
    for (int r = 0; r < nrules; ++r) {
      if (r) yaml += "---\n";
      yaml +=
          "title: r" + std::to_string(r) + "\nlogsource: " + pick(logsources) + "\ndetection:\n";
      const bool kw = rng() % 5 == 0;
      yaml +=
          "  a: " + (kw ? std::string("['") + pick(words) + "', '" + pick(words) + "']" : sel()) +
          "\n";
      yaml += "  b: " + sel() + "\n";
      yaml += "  condition: " +
              pick({"a", "a and b", "a or b", "a and not b", "not a", "1 of them", "all of them"}) +
              "\n";
    }
    std::vector<Event> events;
    const std::vector<std::pair<std::string, std::string>> routes = {
        {"Microsoft-Windows-Sysmon/Operational", "1"},
        {"Security", "4688"},
        {"Security", "4624"},
        {"System", "7045"}};
    const std::vector<std::string> extra = {"\xC5\xBFy\xC5\xBF",
                                            "\xE2\x84\xAA"
                                            "ey",
                                            "x\xC5\xBFY\xC5\xBF",
                                            "S",
                                            "K",
                                            "ABC",
                                            "\xC5\xBF",
                                            "\xE2\x84\xAA",
                                            "\xE2\x80\x93",
                                            "-",
                                            "/",
                                            " ",
                                            "HIDDEN",
                                            "Evil.EXE"};
    for (int e = 0; e < 40; ++e) {
      const auto& rt = routes[rng() % routes.size()];
      Event ev = testing::MakeEvent({{"Channel", rt.first}, {"EventID", rt.second}});
      const int nf = static_cast<int>(rng() % 8);
      for (int f = 0; f < nf; ++f) {
        std::string v;
        const int parts = 1 + static_cast<int>(rng() % 3);
        for (int k = 0; k < parts; ++k) v += rng() % 3 ? pick(words) : pick(extra);
        ev.Add(pick(fields), v);
      }
      events.push_back(std::move(ev));
    }
    const std::size_t detections = ExpectSameOnYaml(yaml, "fuzz.yml", events);
    if (::testing::Test::HasFailure()) {
      ADD_FAILURE() << yaml;
      return;
    }
    total += detections;
  }
  EXPECT_GT(total, 0u);  // the generator does produce detections
}

TEST(Differential, SigmaHqWindowsRulesOnOtrfSample) {
  const std::string shared = UCSC_SHARED_DIR;
  const std::string rules_dir = shared + "/data/sigma/rules/windows";
  const std::string corpus = shared + "/data/bench/otrf-windows.jsonl.zst";
  if (auto why = ucsc::testing::MissingSharedData({rules_dir, corpus}); !why.empty()) {
    GTEST_SKIP() << why;
  }
  const ParseOutcome loaded = LoadRulePaths({rules_dir});
  auto map = LogSourceMap::Parse(LogSourceMap::DefaultText());
  ASSERT_TRUE(map.has_value());
  auto reader = OpenLineReader(corpus);
  ASSERT_TRUE(reader.has_value());
  // Every 10th of the first 80,000 events (several datasets), plus all process creations.
  JsonEventParser parser;
  std::vector<Event> events;
  LineBlock block;
  std::uint64_t line = 0;
  while (line < 80000) {
    auto more = (*reader)->Next(&block, 1 << 20);
    ASSERT_TRUE(more.has_value());
    if (!*more) break;
    std::size_t pos = 0;
    while (pos < block.size) {
      std::size_t nl = block.data.find('\n', pos);
      if (nl == std::string::npos || nl > block.size) nl = block.size;
      ++line;
      std::string_view text(block.data.data() + pos, nl - pos);
      const bool process = text.find("\"EventID\":1,") != std::string_view::npos ||
                           text.find("\"EventID\":4688") != std::string_view::npos;
      if (line % 10 == 0 || process) {
        Event e;
        if (parser.Parse(text, block.data.size() - pos, &e)) {
          e.record = line;
          events.push_back(std::move(e));
        }
      }
      pos = nl + 1;
    }
  }
  ASSERT_GT(events.size(), 5000u);
  std::size_t detections = 0;
  ExpectSame(loaded.rules, *map, events, &detections);
  std::cout << events.size() << " events, " << detections << " detections, identical\n";
  EXPECT_GT(detections, 0u);
}

}  // namespace
}  // namespace ucsc::hunt
