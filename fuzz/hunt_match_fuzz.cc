// FUZZ_LIBS: ucsc_hunt ucsc_core
// Differential fuzzing of the Sigma engine: the optimised plan (prefilter databases, whole-value
// lookups, gates, value sets, regex atoms, the field-index cache) against the plain reference
// evaluator on events built from the input. Any difference in detections traps.
//
// Input: byte 0 picks (Channel, EventID); then records [name byte][length byte][value bytes]:
// a name byte below the table's size picks a field name rules read, otherwise the next
// (name byte % 8) bytes are the name itself. Values are raw bytes (non-ASCII included).
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "hunt/engine.h"
#include "hunt/event.h"
#include "hunt/sigma/logsource.h"
#include "hunt/sigma/reference_evaluator.h"
#include "hunt/sigma/sigma_rule.h"

namespace {

using namespace ucsc::hunt;

// Rules that exercise each path of the engine (decision 0007): substrings shared between rules
// (value gates), long OR lists (value sets), whole values through renames, regexes with required
// atoms and case folding, keywords, cased values, numbers, CIDR, field references, null/exists.
constexpr std::string_view kRules = R"(title: hidden
logsource: {product: windows, category: process_creation}
detection:
  sel: {CommandLine|contains: 'hidden'}
  condition: sel
---
title: all of
logsource: {product: windows, category: process_creation}
detection:
  sel:
    CommandLine|contains|all: ['-nop', 'hidden', 'bypass']
    ParentImage|endswith: '\x.exe'
  filter: {User|cased: 'Admin'}
  condition: sel and not filter
---
title: whole values
logsource: {product: windows, category: process_creation}
detection:
  sel: {Image: ['C:\T\Evil.exe', 'c:\t\b.exe'], User|contains: 'bob'}
  condition: sel
---
title: suffix set
logsource: {product: windows, category: image_load}
detection:
  sel:
    ImageLoaded|endswith: ['\a.dll', '\bb.dll', '\ccc.dll', '\dd.dll', '\e.dll', '\ff.dll', '.x']
  filter:
    ImageLoaded|startswith: ['c:\w\', 'c:\p\', 'c:\q\', 'c:\r\', 'c:\s\', 'c:\t\']
  other: {ImageLoaded: ['c:\1', 'c:\2', 'c:\3', 'c:\4', 'c:\5', 'c:\6', 'c:\x*y']}
  condition: (sel and not filter) or other
---
title: regex fold
logsource: {product: windows, category: process_creation}
detection:
  sel: {CommandLine|re|i: 'invoke-(set|kerb)\w*'}
  condition: sel
---
title: regex required
logsource: {product: windows, category: ps_module}
detection:
  sel: {Payload|re: 'cmd.{0,5}(?:/c|/r).+clip(board)?.{0,4}&&.+"'}
  condition: sel
---
title: regex non-ASCII
logsource: {product: windows, category: process_creation}
detection:
  sel: {CommandLine|re: 'CAFÉ-[0-9]+'}
  sel2: {CommandLine|re: '(?i)straße|KELVIN'}
  sel3: {CommandLine|re: 'ſystem32|\x{212A}erberos|po[wſ]ershell'}
  condition: 1 of sel*
---
title: keyword
logsource: {product: windows}
detection:
  kw: ['sekurlsa::', 'lsadump::']
  filter: {EventID: 15}
  condition: kw and not filter
---
title: access
logsource: {product: windows, category: process_access}
detection:
  sel: {GrantedAccess: ['0x1410', '0x1fffff'], TargetImage|endswith: '\lsass.exe'}
  trace: {CallTrace|contains: 'ente'}
  condition: sel or trace
---
title: numbers and networks
logsource: {product: windows, category: process_creation}
detection:
  sel: {ProcessId|gt: 1000, DestinationIp|cidr: ['10.0.0.0/8', 'fe80::/10']}
  condition: sel
---
title: references and existence
logsource: {product: windows, category: process_creation}
detection:
  ref: {Image|fieldref: ParentImage}
  none: {User: null}
  has: {Hashes|exists: true}
  condition: ref or (none and has)
---
title: windash and base64
logsource: {product: windows, category: process_creation}
detection:
  sel: {CommandLine|windash|contains: ' -enc '}
  b64: {CommandLine|base64offset|contains: 'http'}
  condition: sel or b64
---
title: wildcards
logsource: {product: windows, category: process_creation}
detection:
  sel: {CommandLine: '*a?c*d*'}
  condition: sel
)";

constexpr std::array<std::string_view, 18> kNames = {
    "Image",          "CommandLine",     "ParentImage",
    "User",           "ImageLoaded",     "GrantedAccess",
    "CallTrace",      "Payload",         "TargetImage",
    "NewProcessName", "SubjectUserName", "ProcessId",
    "DestinationIp",  "Hashes",          "image",
    "EventID",        "Message",         "X",
};

struct Channel {
  std::string_view channel, event_id;
};
constexpr std::array<Channel, 8> kChannels = {{
    {"Microsoft-Windows-Sysmon/Operational", "1"},
    {"Microsoft-Windows-Sysmon/Operational", "7"},
    {"Microsoft-Windows-Sysmon/Operational", "10"},
    {"Microsoft-Windows-Sysmon/Operational", "15"},
    {"Security", "4688"},
    {"Microsoft-Windows-PowerShell/Operational", "4103"},
    {"System", "7045"},
    {"Other/Channel", "1"},
}};

struct Setup {
  std::vector<Rule> rules;
  LogSourceMap map;
  std::unique_ptr<Plan> plan;
  std::unique_ptr<ReferenceEvaluator> ref;
  std::unique_ptr<Matcher> matcher;
};

Setup* Init() {
  auto* s = new Setup;
  auto rules = ParseRules(kRules, "fuzz.yml");
  auto map = LogSourceMap::Parse(LogSourceMap::DefaultText());
  if (!rules || !map) __builtin_trap();
  s->rules = std::move(*rules);
  s->map = std::move(*map);
  auto plan = Plan::Compile(s->rules, s->map);
  if (!plan) __builtin_trap();
  s->plan = std::move(*plan);
  s->ref = std::make_unique<ReferenceEvaluator>(s->rules, s->map);
  s->matcher = std::make_unique<Matcher>(*s->plan);
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Setup* setup = Init();
  if (size < 1 || size > 8192) return 0;
  const Channel& ch = kChannels[data[0] % kChannels.size()];
  Event e;
  e.Add("Channel", ch.channel);
  e.Add("EventID", ch.event_id);
  std::size_t i = 1;
  while (i + 2 <= size) {
    const std::uint8_t name_byte = data[i++];
    std::string_view name;
    if (name_byte < kNames.size()) {
      name = kNames[name_byte];
    } else {
      const std::size_t n = std::min<std::size_t>(name_byte % 8, size - i);
      name = std::string_view(reinterpret_cast<const char*>(data + i), n);
      i += n;
    }
    if (i >= size) break;
    const std::size_t want = data[i++];
    const std::size_t len = std::min<std::size_t>(want, size - i);
    e.Add(name, std::string_view(reinterpret_cast<const char*>(data + i), len));
    i += len;
  }
  // Twice: the second run goes through the matcher's caches (shape, route).
  for (int round = 0; round < 2; ++round) {
    std::vector<int> got;
    setup->matcher->Match(e, &got);
    if (got != setup->ref->Match(e)) __builtin_trap();
  }
  return 0;
}
