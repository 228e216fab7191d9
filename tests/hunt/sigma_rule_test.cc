// Sigma rule loading and the reference evaluator: one test group per modifier with the edge cases
// of the Sigma specification 2.0.0 (modifiers appendix) and the condition grammar.
#include "hunt/sigma/sigma_rule.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace ucsc::hunt {
namespace {

using testing::MakeEvent;
using testing::MakeRule;
using testing::Matches;
using testing::RuleError;

TEST(SigmaEquals, CaseInsensitiveWholeValue) {
  Rule r = MakeRule("  sel:\n    Image: 'C:\\Windows\\System32\\cmd.exe'\n  condition: sel\n");
  EXPECT_TRUE(Matches(r, MakeEvent({{"Image", "c:\\windows\\system32\\CMD.EXE"}})));
  EXPECT_FALSE(Matches(r, MakeEvent({{"Image", "c:\\windows\\system32\\cmd.exe2"}})));
  EXPECT_FALSE(Matches(r, MakeEvent({{"Other", "c:\\windows\\system32\\cmd.exe"}})));
}

TEST(SigmaEquals, FieldNamesAreCaseInsensitive) {
  Rule r = MakeRule("  sel:\n    commandline: x\n  condition: sel\n");
  EXPECT_TRUE(Matches(r, MakeEvent({{"CommandLine", "X"}})));
}

TEST(SigmaEquals, NumbersCompareAsText) {
  Rule r = MakeRule("  sel:\n    EventID: 4688\n  condition: sel\n");
  EXPECT_TRUE(Matches(r, MakeEvent({{"EventID", "4688"}})));
  EXPECT_FALSE(Matches(r, MakeEvent({{"EventID", "46880"}})));
}

TEST(SigmaWildcards, StarAndQuestionMark) {
  Rule r = MakeRule("  sel:\n    Image: '*\\cmd.ex?'\n  condition: sel\n");
  EXPECT_TRUE(Matches(r, MakeEvent({{"Image", "C:\\x\\cmd.exe"}})));
  EXPECT_TRUE(Matches(r, MakeEvent({{"Image", "\\cmd.exE"}})));
  EXPECT_FALSE(Matches(r, MakeEvent({{"Image", "C:\\x\\cmd.ex"}})));
  EXPECT_FALSE(Matches(r, MakeEvent({{"Image", "C:\\x\\cmd.exee"}})));
}

TEST(SigmaWildcards, QuestionMarkIsOneCodePoint) {
  Pattern p = Pattern::FromSigma("a?b", CaseMode::kInsensitive);
  EXPECT_TRUE(
      p.Match("a\xC3\xA9"
              "b"));  // a é b
  EXPECT_FALSE(p.Match("ab"));
}

TEST(SigmaEscapes, EscapedWildcardsAreLiteral) {
  Rule r = MakeRule("  sel:\n    F: 'a\\*b\\?c'\n  condition: sel\n");
  EXPECT_TRUE(Matches(r, MakeEvent({{"F", "a*b?c"}})));
  EXPECT_FALSE(Matches(r, MakeEvent({{"F", "axxbyc"}})));
}

TEST(SigmaEscapes, DoubleBackslashIsOneAndLoneBackslashIsLiteral) {
  // `\\*` = literal backslash then wildcard; `\W` = backslash + W.
  Rule r = MakeRule("  sel:\n    F: 'C:\\Windows\\\\*'\n  condition: sel\n");
  EXPECT_TRUE(Matches(r, MakeEvent({{"F", "C:\\Windows\\anything"}})));
  EXPECT_FALSE(Matches(r, MakeEvent({{"F", "C:\\Windowsanything"}})));
  Pattern trailing = Pattern::FromSigma("abc\\", CaseMode::kInsensitive);
  EXPECT_TRUE(trailing.Match("ABC\\"));
}

TEST(SigmaContains, StartsWithEndsWith) {
  Rule c = MakeRule("  sel:\n    F|contains: mimi\n  condition: sel\n");
  EXPECT_TRUE(Matches(c, MakeEvent({{"F", "xxMIMIkatz"}})));
  EXPECT_FALSE(Matches(c, MakeEvent({{"F", "mim"}})));
  Rule s = MakeRule("  sel:\n    F|startswith: 'ab'\n  condition: sel\n");
  EXPECT_TRUE(Matches(s, MakeEvent({{"F", "ABc"}})));
  EXPECT_FALSE(Matches(s, MakeEvent({{"F", "cab"}})));
  Rule e = MakeRule("  sel:\n    F|endswith: '.exe'\n  condition: sel\n");
  EXPECT_TRUE(Matches(e, MakeEvent({{"F", "a.EXE"}})));
  EXPECT_FALSE(Matches(e, MakeEvent({{"F", "a.exe "}})));
  // Wildcards inside a contains value still work.
  Rule w = MakeRule("  sel:\n    F|contains: 'a*z'\n  condition: sel\n");
  EXPECT_TRUE(Matches(w, MakeEvent({{"F", "--a123z--"}})));
}

TEST(SigmaAll, EveryValueMustMatch) {
  Rule r =
      MakeRule("  sel:\n    F|contains|all:\n      - '-enc'\n      - 'hidden'\n  condition: sel\n");
  EXPECT_TRUE(Matches(r, MakeEvent({{"F", "ps -w hidden -enc AAA"}})));
  EXPECT_FALSE(Matches(r, MakeEvent({{"F", "ps -enc AAA"}})));
}

TEST(SigmaLists, ValueListIsOrAndListOfMapsIsOr) {
  Rule r = MakeRule("  sel:\n    - F: [a, b]\n      G: x\n    - H: z\n  condition: sel\n");
  EXPECT_TRUE(Matches(r, MakeEvent({{"F", "b"}, {"G", "x"}})));
  EXPECT_FALSE(Matches(r, MakeEvent({{"F", "b"}, {"G", "y"}})));
  EXPECT_TRUE(Matches(r, MakeEvent({{"H", "Z"}})));
}

TEST(SigmaRegex, CaseSensitiveByDefaultWithFlags) {
  Rule r = MakeRule("  sel:\n    F|re: 'ab+c'\n  condition: sel\n");
  EXPECT_TRUE(Matches(r, MakeEvent({{"F", "xxabbbcxx"}})));  // unanchored
  EXPECT_FALSE(Matches(r, MakeEvent({{"F", "ABC"}})));
  Rule i = MakeRule("  sel:\n    F|re|i: '^ab+c$'\n  condition: sel\n");
  EXPECT_TRUE(Matches(i, MakeEvent({{"F", "ABBC"}})));
  Rule m = MakeRule("  sel:\n    F|re|m: '^b$'\n  condition: sel\n");
  EXPECT_TRUE(Matches(m, MakeEvent({{"F", "a\nb\nc"}})));
  Rule no_m = MakeRule("  sel:\n    F|re: '^b$'\n  condition: sel\n");
  EXPECT_FALSE(Matches(no_m, MakeEvent({{"F", "a\nb\nc"}})));
  Rule s = MakeRule("  sel:\n    F|re|s: 'a.c'\n  condition: sel\n");
  EXPECT_TRUE(Matches(s, MakeEvent({{"F", "a\nc"}})));
  Rule no_s = MakeRule("  sel:\n    F|re: 'a.c'\n  condition: sel\n");
  EXPECT_FALSE(Matches(no_s, MakeEvent({{"F", "a\nc"}})));
}

TEST(SigmaRegex, BadRegexAndBackreferencesAreRejectedWithLine) {
  std::string err = RuleError(
      "title: t\nlogsource: {product: windows}\ndetection:\n  sel:\n    F|re: '(a'\n  condition: "
      "sel\n");
  EXPECT_NE(err.find("bad.yml:5:"), std::string::npos) << err;
  EXPECT_NE(err.find("invalid regular expression"), std::string::npos) << err;
  // RE2 refuses backreferences (no exponential matching).
  EXPECT_NE(RuleError("title: t\nlogsource: {product: windows}\ndetection:\n  sel:\n    F|re: "
                      "'(a)\\1'\n  condition: sel\n"),
            "");
}

TEST(SigmaWindash, DashVariantsOnlyAtFlagStart) {
  Rule r =
      MakeRule("  sel:\n    CommandLine|contains|windash: ' -exec bypass'\n  condition: sel\n");
  EXPECT_TRUE(Matches(r, MakeEvent({{"CommandLine", "ps -exec bypass"}})));
  EXPECT_TRUE(Matches(r, MakeEvent({{"CommandLine", "ps /exec bypass"}})));
  EXPECT_TRUE(Matches(r, MakeEvent({{"CommandLine",
                                     "ps \xE2\x80\x93"
                                     "exec bypass"}})));  // en dash
  EXPECT_TRUE(Matches(r, MakeEvent({{"CommandLine",
                                     "ps \xE2\x80\x94"
                                     "exec bypass"}})));  // em dash
  EXPECT_TRUE(Matches(r, MakeEvent({{"CommandLine",
                                     "ps \xE2\x80\x95"
                                     "exec bypass"}})));  // bar
  EXPECT_FALSE(Matches(r, MakeEvent({{"CommandLine", "ps +exec bypass"}})));
  // A dash inside a word is not a flag dash.
  Rule w = MakeRule("  sel:\n    F|windash: 'a-b'\n  condition: sel\n");
  EXPECT_TRUE(Matches(w, MakeEvent({{"F", "a-b"}})));
  EXPECT_FALSE(Matches(w, MakeEvent({{"F", "a/b"}})));
}

TEST(SigmaBase64, PlainEncoding) {
  Rule r = MakeRule("  sel:\n    F|base64|contains: 'cmd'\n  condition: sel\n");
  EXPECT_TRUE(Matches(r, MakeEvent({{"F", "xxY21kyy"}})));
  // base64 output is case-sensitive text; matching is still case-insensitive by default.
  Rule cased = MakeRule("  sel:\n    F|base64|contains|cased: 'cmd'\n  condition: sel\n");
  EXPECT_FALSE(Matches(cased, MakeEvent({{"F", "xxy21kyy"}})));
}

TEST(SigmaBase64, OffsetVariants) {
  Rule r = MakeRule("  sel:\n    F|base64offset|contains: 'http://'\n  condition: sel\n");
  ASSERT_EQ(r.selections[0].alternatives[0][0].values.size(), 3u);
  EXPECT_TRUE(Matches(r, MakeEvent({{"F", "..aHR0cDovL.."}})));
  EXPECT_TRUE(Matches(r, MakeEvent({{"F", "..h0dHA6Ly.."}})));
  EXPECT_TRUE(Matches(r, MakeEvent({{"F", "..odHRwOi8v.."}})));
  EXPECT_FALSE(Matches(r, MakeEvent({{"F", "http://"}})));
}

TEST(SigmaUtf16, EncodingsBeforeBase64) {
  Rule le = MakeRule("  sel:\n    F|wide|base64: 'cmd'\n  condition: sel\n");
  EXPECT_TRUE(Matches(le, MakeEvent({{"F", "YwBtAGQA"}})));
  Rule le2 = MakeRule("  sel:\n    F|utf16le|base64: 'cmd'\n  condition: sel\n");
  EXPECT_TRUE(Matches(le2, MakeEvent({{"F", "YwBtAGQA"}})));
  Rule be = MakeRule("  sel:\n    F|utf16be|base64: 'cmd'\n  condition: sel\n");
  EXPECT_TRUE(Matches(be, MakeEvent({{"F", "AGMAbQBk"}})));
  Rule bom = MakeRule("  sel:\n    F|utf16|base64: 'cmd'\n  condition: sel\n");
  EXPECT_TRUE(Matches(bom, MakeEvent({{"F", "//5jAG0AZAA="}})));
  Rule off = MakeRule("  sel:\n    F|utf16le|base64offset|contains: 'Invoke'\n  condition: sel\n");
  EXPECT_TRUE(Matches(off, MakeEvent({{"F", "xxJAG4AdgBvAGsAZQxx"}})));
  EXPECT_NE(RuleError("title: t\nlogsource: {product: windows}\ndetection:\n  sel:\n    F|wide: "
                      "x\n  condition: sel\n")
                .find("only allowed with base64"),
            std::string::npos);
}

TEST(SigmaCidr, Ipv4AndIpv6) {
  Rule r =
      MakeRule("  sel:\n    Ip|cidr:\n      - 10.0.0.0/8\n      - 'fe80::/10'\n  condition: sel\n");
  EXPECT_TRUE(Matches(r, MakeEvent({{"Ip", "10.1.2.3"}})));
  EXPECT_FALSE(Matches(r, MakeEvent({{"Ip", "11.1.2.3"}})));
  EXPECT_TRUE(Matches(r, MakeEvent({{"Ip", "fe80::1"}})));
  EXPECT_FALSE(Matches(r, MakeEvent({{"Ip", "2001:db8::1"}})));
  EXPECT_FALSE(Matches(r, MakeEvent({{"Ip", "not an ip"}})));
  Rule host = MakeRule("  sel:\n    Ip|cidr: 192.168.1.7/32\n  condition: sel\n");
  EXPECT_TRUE(Matches(host, MakeEvent({{"Ip", "192.168.1.7"}})));
  EXPECT_FALSE(Matches(host, MakeEvent({{"Ip", "192.168.1.8"}})));
  EXPECT_NE(RuleError("title: t\nlogsource: {product: windows}\ndetection:\n  sel:\n    Ip|cidr: "
                      "10.0.0.0/33\n  condition: sel\n"),
            "");
}

TEST(SigmaExists, PresentAndAbsent) {
  Rule yes = MakeRule("  sel:\n    F|exists: true\n  condition: sel\n");
  EXPECT_TRUE(Matches(yes, MakeEvent({{"F", ""}})));
  EXPECT_FALSE(Matches(yes, MakeEvent({{"G", "x"}})));
  Rule no = MakeRule("  sel:\n    F|exists: false\n  condition: sel\n");
  EXPECT_FALSE(Matches(no, MakeEvent({{"F", "x"}})));
  EXPECT_TRUE(Matches(no, MakeEvent({{"G", "x"}})));
  EXPECT_NE(RuleError("title: t\nlogsource: {product: windows}\ndetection:\n  sel:\n    F|exists: "
                      "maybe\n  condition: sel\n"),
            "");
}

TEST(SigmaFieldRef, ComparesTwoFields) {
  Rule r = MakeRule("  sel:\n    TargetUserName|fieldref: SubjectUserName\n  condition: sel\n");
  EXPECT_TRUE(Matches(r, MakeEvent({{"TargetUserName", "Bob"}, {"SubjectUserName", "bob"}})));
  EXPECT_FALSE(Matches(r, MakeEvent({{"TargetUserName", "Bob"}, {"SubjectUserName", "alice"}})));
  EXPECT_FALSE(Matches(r, MakeEvent({{"TargetUserName", "Bob"}})));
  Rule ends = MakeRule("  sel:\n    Image|fieldref|endswith: Name\n  condition: sel\n");
  EXPECT_TRUE(Matches(ends, MakeEvent({{"Image", "C:\\a\\x.exe"}, {"Name", "x.exe"}})));
}

TEST(SigmaNumeric, Comparisons) {
  Rule lt = MakeRule("  sel:\n    N|lt: 10\n  condition: sel\n");
  EXPECT_TRUE(Matches(lt, MakeEvent({{"N", "9"}})));
  EXPECT_FALSE(Matches(lt, MakeEvent({{"N", "10"}})));
  EXPECT_FALSE(Matches(lt, MakeEvent({{"N", "abc"}})));
  Rule lte = MakeRule("  sel:\n    N|lte: 10\n  condition: sel\n");
  EXPECT_TRUE(Matches(lte, MakeEvent({{"N", "10"}})));
  Rule gt = MakeRule("  sel:\n    N|gt: 0x10\n  condition: sel\n");
  EXPECT_TRUE(Matches(gt, MakeEvent({{"N", "17"}})));
  EXPECT_TRUE(Matches(gt, MakeEvent({{"N", "0x11"}})));
  Rule gte = MakeRule("  sel:\n    N|gte: 2.5\n  condition: sel\n");
  EXPECT_TRUE(Matches(gte, MakeEvent({{"N", "2.5"}})));
  EXPECT_FALSE(Matches(gte, MakeEvent({{"N", "2.4"}})));
  EXPECT_NE(RuleError("title: t\nlogsource: {product: windows}\ndetection:\n  sel:\n    N|gt: "
                      "ten\n  condition: sel\n"),
            "");
}

TEST(SigmaExpand, PlaceholdersFromOptions) {
  Placeholders ph{{"admins", {"root", "admin*"}}};
  LoadOptions opts;
  opts.placeholders = &ph;
  auto rules = ParseRules(
      "title: t\nlogsource: {product: windows}\ndetection:\n  sel:\n    User|expand: "
      "'%admins%'\n  condition: sel\n",
      "x.yml", opts);
  ASSERT_TRUE(rules.has_value());
  EXPECT_TRUE(Matches(rules->front(), MakeEvent({{"User", "root"}})));
  EXPECT_TRUE(Matches(rules->front(), MakeEvent({{"User", "administrator"}})));
  EXPECT_FALSE(Matches(rules->front(), MakeEvent({{"User", "bob"}})));
  // Without a definition the placeholder matches nothing.
  Rule undefined = MakeRule("  sel:\n    User|expand: '%admins%'\n  condition: sel\n");
  EXPECT_FALSE(Matches(undefined, MakeEvent({{"User", "%admins%"}})));
}

TEST(SigmaCased, CaseSensitive) {
  Rule r = MakeRule("  sel:\n    F|cased: 'AbC'\n  condition: sel\n");
  EXPECT_TRUE(Matches(r, MakeEvent({{"F", "AbC"}})));
  EXPECT_FALSE(Matches(r, MakeEvent({{"F", "abc"}})));
  Rule c = MakeRule("  sel:\n    F|contains|cased: 'B'\n  condition: sel\n");
  EXPECT_FALSE(Matches(c, MakeEvent({{"F", "abc"}})));
}

TEST(SigmaNull, AbsentOrEmpty) {
  Rule r = MakeRule("  sel:\n    F: null\n  condition: sel\n");
  EXPECT_TRUE(Matches(r, MakeEvent({{"G", "x"}})));
  EXPECT_TRUE(Matches(r, MakeEvent({{"F", ""}})));
  EXPECT_FALSE(Matches(r, MakeEvent({{"F", "x"}})));
  Rule empty = MakeRule("  sel:\n    F: ''\n  condition: sel\n");
  EXPECT_TRUE(Matches(empty, MakeEvent({{"F", ""}})));
  EXPECT_FALSE(Matches(empty, MakeEvent({{"G", ""}})));
}

TEST(SigmaKeywords, AnyFieldContains) {
  Rule r = MakeRule("  keywords:\n    - 'mimikatz'\n    - 'sekurlsa'\n  condition: keywords\n");
  EXPECT_TRUE(Matches(r, MakeEvent({{"A", "x"}, {"B", "run SEKURLSA::logonpasswords"}})));
  EXPECT_FALSE(Matches(r, MakeEvent({{"A", "x"}})));
  Rule all =
      MakeRule("  keywords:\n    '|all':\n      - 'a1'\n      - 'b2'\n  condition: keywords\n");
  EXPECT_TRUE(Matches(all, MakeEvent({{"A", "xa1"}, {"B", "b2x"}})));
  EXPECT_FALSE(Matches(all, MakeEvent({{"A", "xa1"}})));
}

TEST(SigmaRepeatedFields, AnyOccurrenceMatches) {
  Rule r = MakeRule("  sel:\n    tags: b\n  condition: sel\n");
  EXPECT_TRUE(Matches(r, MakeEvent({{"tags", "a"}, {"tags", "b"}})));
}

class SigmaConditionTest : public ::testing::Test {
 protected:
  Rule Make(const std::string& cond) {
    return MakeRule(
        "  sel_a:\n    A: 1\n  sel_b:\n    B: 1\n  _hidden:\n    C: 1\n  filter:\n    D: 1\n"
        "  condition: " +
        cond + "\n");
  }
  bool Eval(const std::string& cond, bool a, bool b, bool c, bool d) {
    Rule r = Make(cond);
    Event e;
    e.Add("A", a ? "1" : "0");
    e.Add("B", b ? "1" : "0");
    e.Add("C", c ? "1" : "0");
    e.Add("D", d ? "1" : "0");
    return Matches(r, e);
  }
};

TEST_F(SigmaConditionTest, PrecedenceNotAndOr) {
  // not > and > or
  EXPECT_TRUE(Eval("sel_a or sel_b and filter", true, false, false, false));
  EXPECT_FALSE(Eval("(sel_a or sel_b) and filter", true, false, false, false));
  EXPECT_TRUE(Eval("sel_a and not filter", true, false, false, false));
  EXPECT_FALSE(Eval("sel_a and not filter", true, false, false, true));
  EXPECT_TRUE(Eval("not sel_a or sel_b", false, false, false, false));
  EXPECT_TRUE(Eval("not not sel_a", true, false, false, false));
}

TEST_F(SigmaConditionTest, OfPatternsAndThem) {
  EXPECT_TRUE(Eval("1 of sel_*", false, true, false, false));
  EXPECT_FALSE(Eval("all of sel_*", false, true, false, false));
  EXPECT_TRUE(Eval("all of sel_*", true, true, false, false));
  // `them` leaves out identifiers starting with an underscore.
  EXPECT_TRUE(Eval("all of them", true, true, false, true));
  EXPECT_FALSE(Eval("all of them", true, true, true, false));
  EXPECT_FALSE(Eval("1 of them", false, false, true, false));
  EXPECT_TRUE(Eval("1 of sel_* and not 1 of filter*", true, false, false, false));
  EXPECT_TRUE(Eval("ALL OF sel_* OR filter", false, false, false, true));
}

TEST(SigmaConditionErrors, Reasons) {
  std::vector<std::string> names = {"a", "b"};
  EXPECT_FALSE(ParseCondition("a and", names));
  EXPECT_FALSE(ParseCondition("(a or b", names));
  EXPECT_FALSE(ParseCondition("a b", names));
  EXPECT_FALSE(ParseCondition("c", names));
  EXPECT_FALSE(ParseCondition("2 of a*", names));
  EXPECT_FALSE(ParseCondition("1 of x*", names));
  auto agg = ParseCondition("a | count() > 5", names);
  ASSERT_FALSE(agg);
  EXPECT_NE(agg.error().message.find("correlation"), std::string::npos);
  std::string deep(200, '(');
  EXPECT_FALSE(ParseCondition(deep + "a" + std::string(200, ')'), names));
  EXPECT_TRUE(ParseCondition("((a)) and not (b)", names));
}

TEST(SigmaLoadErrors, PreciseLineAndReason) {
  EXPECT_EQ(
      RuleError("logsource: {product: windows}\ndetection:\n  sel: {A: 1}\n  condition: sel\n"),
      "bad.yml:1: missing required field 'title'");
  EXPECT_EQ(RuleError("title: t\nlogsource: {product: windows}\ndetection:\n  sel:\n    A|foo: 1\n"
                      "  condition: sel\n"),
            "bad.yml:5: unknown modifier 'foo'");
  EXPECT_NE(RuleError("title: t\nlogsource: {product: windows}\ndetection:\n  sel: {A: 1}\n"
                      "  condition: nope\n")
                .find("unknown search identifier 'nope'"),
            std::string::npos);
  EXPECT_NE(RuleError("title: t\nlogsource: {product: windows}\ndetection:\n  sel: {A: 1}\n")
                .find("missing 'condition'"),
            std::string::npos);
  EXPECT_NE(RuleError("title: [unclosed\n").find("YAML syntax"), std::string::npos);
  EXPECT_NE(RuleError("title: t\nlevel: extreme\nlogsource: {product: windows}\ndetection:\n"
                      "  sel: {A: 1}\n  condition: sel\n")
                .find("bad.yml:2: unknown level"),
            std::string::npos);
  EXPECT_NE(RuleError("title: t\nlogsource: {product: windows}\ndetection:\n  sel:\n"
                      "    A|contains|startswith: x\n  condition: sel\n"),
            "");
}

TEST(SigmaMetadata, FieldsAreKept) {
  auto rules = ParseRules(
      "title: Test\nid: 1234\nstatus: test\nauthor: Ann\nlevel: high\ntags: [attack.t1059]\n"
      "references: [https://example.org]\nlogsource: {product: windows, service: security}\n"
      "detection:\n  sel: {EventID: 1}\n  condition: sel\n",
      "m.yml");
  ASSERT_TRUE(rules.has_value());
  const Rule& r = rules->front();
  EXPECT_EQ(r.title, "Test");
  EXPECT_EQ(r.id, "1234");
  EXPECT_EQ(r.author, "Ann");
  EXPECT_EQ(r.level, Level::kHigh);
  EXPECT_EQ(r.tags, std::vector<std::string>{"attack.t1059"});
  EXPECT_EQ(r.references, std::vector<std::string>{"https://example.org"});
  EXPECT_EQ(r.logsource.service, "security");
}

}  // namespace
}  // namespace ucsc::hunt

namespace ucsc::hunt {
namespace {

// Regression (fuzz/sigma_yaml_fuzz.cc): yaml-cpp 0.7 loops forever on a document whose root
// starts with ','; the loader refuses it instead.
TEST(SigmaLoadErrors, CommaRootDocumentDoesNotHang) {
  for (const char* text : {"&&,", ",", "&a ,", "!t,", "&a\n,", "title: x\n---\n,", "---\n&a ,"}) {
    const std::string err = testing::RuleError(text);
    EXPECT_NE(err.find("cannot start with ','"), std::string::npos) << text << " -> " << err;
  }
  // Commas elsewhere are fine.
  EXPECT_EQ(testing::RuleError("title: a, b\nlogsource: {product: windows}\ndetection:\n  sel: "
                               "{A: 'x,y'}\n  condition: sel\n"),
            "");
}

// "Billion laughs": ten levels of ten aliases each expand to 10^10 nodes from ~400 bytes
// (a sigma_yaml fuzz run ran out of memory on such a document). Refused by a node budget.
TEST(SigmaLoadErrors, AliasExpansionIsBounded) {
  std::string yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i < 10; ++i) {
    const std::string prev = "*a" + std::to_string(i - 1);
    yaml += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
    for (int j = 0; j < 10; ++j) yaml += (j ? ", " : "") + prev;
    yaml += "]\n";
  }
  yaml +=
      "title: x\nlogsource: {product: windows}\ndetection:\n  sel: {A: *a9}\n  condition: sel\n";
  const std::string err = testing::RuleError(yaml);
  EXPECT_NE(err.find("rule too large"), std::string::npos) << err;
  // One small alias is fine.
  EXPECT_EQ(testing::RuleError("title: a\nlogsource: {product: windows}\ndetection:\n  sel: "
                               "{A: &v [x, y], B: *v}\n  condition: sel\n"),
            "");
}

// A few hundred bytes that would compile thousands of regular expressions (a list of |re values
// repeated through aliases ran the sigma_yaml fuzzer out of memory): refused before compiling.
TEST(SigmaLoadErrors, TooManyRegularExpressionsAreRefused) {
  std::string yaml =
      "l: &l ['(a|b)*c', '(a|b)*c', '(a|b)*c', '(a|b)*c']\n"
      "title: x\nlogsource: {product: windows}\ndetection:\n  sel:\n";
  for (int i = 0; i < 70; ++i) yaml += "    F" + std::to_string(i) + "|re: *l\n";
  yaml += "  condition: sel\n";
  const std::string err = testing::RuleError(yaml);
  EXPECT_NE(err.find("regular expressions"), std::string::npos) << err;
  // 60 fields of four are fine.
  std::string ok =
      "l: &l ['(a|b)*c', '(a|b)*c', '(a|b)*c', '(a|b)*c']\n"
      "title: x\nlogsource: {product: windows}\ndetection:\n  sel:\n";
  for (int i = 0; i < 60; ++i) ok += "    F" + std::to_string(i) + "|re: *l\n";
  ok += "  condition: sel\n";
  EXPECT_EQ(testing::RuleError(ok), "");
}

// yaml-cpp's LoadAll never ended on this stream, adding empty documents until memory ran out
// (found by the sigma_yaml fuzzer): documents are now split and parsed one by one.
TEST(SigmaLoadErrors, AStreamThatMadeYamlCppLoopEnds) {
  const std::string input("&title:deetogsoonAtains|all: [x, y]\n ,\0\0 B|re: a.c\n", 52);
  (void)testing::RuleError(input);  // returns, with whatever error
  // Several documents still load, with their lines.
  const std::string two =
      "title: a\nlogsource: {product: windows}\ndetection:\n  sel: {A: x}\n  condition: sel\n"
      "---\ntitle: b\nlogsource: {product: windows}\ndetection:\n  sel: {B: y}\n"
      "  condition: sel\n...\ntitle: c\nlogsource: {product: windows}\ndetection:\n"
      "  condition: nosuch\n";
  const auto out = ParseRuleText(two, "two.yml", {});
  EXPECT_EQ(out.rules.size(), 2u);
  ASSERT_EQ(out.errors.size(), 1u);
  EXPECT_GE(out.errors[0].line, 13);  // in the third document, not at its first line
}

TEST(SigmaLoadErrors, VeryDeepNestingIsRefusedBeforeYamlCpp) {
  const std::string flow = "title: x\ndetection: " + std::string(100, '[') + std::string(100, ']');
  EXPECT_NE(testing::RuleError(flow).find("nesting too deep"), std::string::npos);
  std::string block = "title: x\ndetection:\n";
  for (int i = 1; i < 200; ++i) block += std::string(2 * i, ' ') + "k" + std::to_string(i) + ":\n";
  EXPECT_NE(testing::RuleError(block).find("nesting too deep"), std::string::npos);
  // Ordinary nesting loads.
  EXPECT_EQ(testing::RuleError("title: a\nlogsource: {product: windows}\ndetection:\n  sel: "
                               "{A: [x, y]}\n  condition: sel\n"),
            "");
}

}  // namespace
}  // namespace ucsc::hunt
