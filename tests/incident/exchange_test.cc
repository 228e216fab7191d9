#include "incident/exchange.h"

#include <gtest/gtest.h>

namespace ucsc::incident {
namespace {

using T = ObservableType;

std::vector<Observable> Sample() {
  std::vector<Observable> out;
  const std::pair<T, const char*> values[] = {
      {T::kIp, "203.0.113.5"},
      {T::kIp, "2001:db8::1"},
      {T::kCidr, "198.51.100.0/24"},
      {T::kDomain, "evil.example.vn"},
      {T::kUrl, "https://evil.example.vn/a.php?x='1'"},
      {T::kEmail, "ke.gian@example.vn"},
      {T::kFileName, "hóa đơn.exe"},
      {T::kMd5, "d41d8cd98f00b204e9800998ecf8427e"},
      {T::kSha1, "da39a3ee5e6b4b0d3255bfef95601890afd80709"},
      {T::kSha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
      {T::kRegistryKey, "HKEY_LOCAL_MACHINE\\Software\\Microsoft\\Windows\\CurrentVersion\\Run"},
      {T::kUserAccount, "CORP\\svc_backup"},
      {T::kProcess, "rundll32.exe"},
  };
  for (const auto& [type, value] : values) {
    auto o = MakeObservable(type, value, "từ nhật ký tường lửa");
    EXPECT_TRUE(o) << value;
    out.push_back(*o);
  }
  return out;
}

const ExchangeSource kSource{"inc-42", "Tấn công mã hóa dữ liệu",
                             core::FromUnixMillis(1'780'000'000'000)};

TEST(Stix, PatternsPerType) {
  EXPECT_EQ(StixPattern({T::kIp, "203.0.113.5", ""}), "[ipv4-addr:value = '203.0.113.5']");
  EXPECT_EQ(StixPattern({T::kIp, "2001:db8::1", ""}), "[ipv6-addr:value = '2001:db8::1']");
  EXPECT_EQ(StixPattern({T::kSha256, "ab", ""}), "[file:hashes.'SHA-256' = 'ab']");
  EXPECT_EQ(StixPattern({T::kRegistryKey, "HKEY_USERS\\x", ""}),
            "[windows-registry-key:key = 'HKEY_USERS\\\\x']");
  EXPECT_EQ(StixPattern({T::kUrl, "http://a.vn/it's", ""}), "[url:value = 'http://a.vn/it\\'s']");
}

TEST(Stix, BundleHasOneIndicatorPerObservableAndAGrouping) {
  const auto obs = Sample();
  const auto bundle = ToStixBundle(kSource, obs);
  EXPECT_EQ(bundle["type"], "bundle");
  EXPECT_EQ(bundle["id"].get<std::string>().rfind("bundle--", 0), 0u);
  ASSERT_EQ(bundle["objects"].size(), obs.size() + 1);
  const auto& first = bundle["objects"][0];
  EXPECT_EQ(first["spec_version"], "2.1");
  EXPECT_EQ(first["pattern_type"], "stix");
  EXPECT_EQ(first["valid_from"], "2026-05-28T20:26:40.000Z");
  EXPECT_EQ(first["id"].get<std::string>().substr(0, 11), "indicator--");
  EXPECT_EQ(first["id"].get<std::string>()[11 + 14], '5');  // UUID version 5
  const auto& grouping = bundle["objects"].back();
  EXPECT_EQ(grouping["type"], "grouping");
  EXPECT_EQ(grouping["object_refs"].size(), obs.size());
  // Same input, same ids.
  EXPECT_EQ(ToStixBundle(kSource, obs), bundle);
}

TEST(Stix, RoundTripGivesTheSameObservables) {
  const auto obs = Sample();
  auto back = ImportStixBundle(ToStixBundle(kSource, obs).dump());
  ASSERT_TRUE(back) << back.error().ToString();
  EXPECT_EQ(back->observables, obs);
  ASSERT_EQ(back->skipped.size(), 1u);  // the grouping
  EXPECT_EQ(back->skipped[0].pointer, "/objects/13");
}

TEST(Stix, ImportSplitsAndOrAndDeduplicates) {
  auto obs = ParseStixPatternObservables(
      "([ipv4-addr:value = '203.0.113.5'] OR [domain-name:value = 'A.vn']) AND "
      "[file:name = 'x.exe' AND (file:hashes.MD5 = 'D41D8CD98F00B204E9800998ECF8427E')]");
  ASSERT_TRUE(obs) << obs.error().ToString();
  ASSERT_EQ(obs->size(), 4u);
  EXPECT_EQ((*obs)[1].value, "a.vn");
  EXPECT_EQ((*obs)[3].type, T::kMd5);
}

struct BadPattern {
  const char* pattern;
  const char* reason;
};

class StixBadPattern : public ::testing::TestWithParam<BadPattern> {};

TEST_P(StixBadPattern, BundleImportNamesTheIndicatorAndPointer) {
  codec::Json bundle{{"type", "bundle"},
                     {"id", "bundle--1"},
                     {"objects",
                      {{{"type", "indicator"},
                        {"id", "indicator--ok"},
                        {"pattern", "[domain-name:value = 'a.vn']"},
                        {"pattern_type", "stix"}},
                       {{"type", "indicator"},
                        {"id", "indicator--bad"},
                        {"pattern", GetParam().pattern},
                        {"pattern_type", "stix"}}}}};
  auto r = ImportStixBundle(bundle.dump());
  ASSERT_FALSE(r) << GetParam().pattern;
  EXPECT_EQ(r.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().field, "/objects/1/pattern");
  EXPECT_NE(r.error().message.find("indicator--bad"), std::string::npos);
  EXPECT_NE(r.error().message.find(GetParam().reason), std::string::npos) << r.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Patterns, StixBadPattern,
    ::testing::Values(BadPattern{"[ipv4-addr:value = '999.0.0.1']", "not an IPv4"},
                      BadPattern{"[ipv4-addr:value != '1.2.3.4']", "unsupported operator"},
                      BadPattern{"[domain-name:value LIKE '%.vn']", "unsupported operator"},
                      BadPattern{"[url:value = 'http://a.vn'] WITHIN 5 SECONDS", "WITHIN"},
                      BadPattern{
                          "[url:value = 'http://a.vn'] FOLLOWEDBY [url:value = 'http://b.vn']",
                          "FOLLOWEDBY"},
                      BadPattern{"[NOT domain-name:value = 'a.vn']", "NOT"},
                      BadPattern{"[x-custom:value = 'a']", "unsupported object path"},
                      BadPattern{"[domain-name:value = 'a.vn'", "expected ']'"},
                      BadPattern{"[domain-name:value = 'a.vn]", "unterminated"},
                      BadPattern{"domain-name:value = 'a.vn'", "expected '['"},
                      BadPattern{"[file:hashes.MD5 = 'abc']", "32 hexadecimal"}));

TEST(Stix, NonBundlesAndMissingPatternsAreCleanErrors) {
  auto not_bundle = ImportStixBundle(R"({"type": "indicator"})");
  ASSERT_FALSE(not_bundle);
  EXPECT_EQ(not_bundle.error().field, "/type");
  auto no_pattern =
      ImportStixBundle(R"({"type": "bundle", "objects": [{"type": "indicator", "id": 5}]})");
  ASSERT_FALSE(no_pattern);
  EXPECT_EQ(no_pattern.error().field, "/objects/0/pattern");
  EXPECT_FALSE(ImportStixBundle("{not json"));
}

TEST(Stix, OtherPatternTypesAreSkippedAndListed) {
  auto r = ImportStixBundle(R"({"type": "bundle", "objects": [
      {"type": "indicator", "id": "indicator--s", "pattern": "rule x {}", "pattern_type": "yara"}]})");
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->observables.empty());
  ASSERT_EQ(r->skipped.size(), 1u);
  EXPECT_NE(r->skipped[0].reason.find("not stix"), std::string::npos);
}

TEST(Misp, EventRoundTripGivesTheSameObservables) {
  const auto obs = Sample();
  const auto ev = ToMispEvent(kSource, obs);
  EXPECT_EQ(ev["Event"]["info"], "Tấn công mã hóa dữ liệu");
  EXPECT_EQ(ev["Event"]["date"], "2026-05-29");  // local date of 20:26Z
  ASSERT_EQ(ev["Event"]["Attribute"].size(), obs.size());
  EXPECT_EQ(ev["Event"]["Attribute"][0]["type"], "ip-dst");
  auto back = ImportMispEvent(ev.dump());
  ASSERT_TRUE(back) << back.error().ToString();
  EXPECT_EQ(back->observables, obs);
  EXPECT_TRUE(back->skipped.empty());
}

TEST(Misp, CompositeObjectsAndUnknownTypes) {
  auto r = ImportMispEvent(R"({"Event": {
      "Attribute": [{"type": "filename|md5", "value": "a.exe|D41D8CD98F00B204E9800998ECF8427E"},
                    {"type": "btc", "value": "1BoatSLRHtKNngkdXEeobR76b53LETtpyT"}],
      "Object": [{"Attribute": [{"type": "hostname", "value": "mail.evil.vn"}]}]}})");
  ASSERT_TRUE(r) << r.error().ToString();
  ASSERT_EQ(r->observables.size(), 3u);
  EXPECT_EQ(r->observables[0].type, T::kFileName);
  EXPECT_EQ(r->observables[1].value, "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(r->observables[2].type, T::kDomain);
  ASSERT_EQ(r->skipped.size(), 1u);
  EXPECT_EQ(r->skipped[0].pointer, "/Event/Attribute/1");
}

TEST(Misp, BadValueNamesTheAttribute) {
  auto r = ImportMispEvent(R"({"Event": {"Attribute": [
      {"type": "domain", "value": "ok.vn"}, {"type": "sha256", "value": "xyz"}]}})");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field, "/Event/Attribute/1/value");
  EXPECT_NE(r.error().message.find("sha256"), std::string::npos);
  auto wrong = ImportMispEvent(R"({"Event": {"Attribute": {"type": "domain"}}})");
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().field, "/Event/Attribute");
}

}  // namespace
}  // namespace ucsc::incident
