#include "incident/observable.h"

#include <gtest/gtest.h>

namespace ucsc::incident {
namespace {

using T = ObservableType;

std::string Norm(T t, std::string_view raw) {
  auto o = MakeObservable(t, raw);
  EXPECT_TRUE(o) << raw << ": " << o.error().ToString();
  return o ? o->value : std::string();
}

TEST(Observable, NormalisesEachType) {
  EXPECT_EQ(Norm(T::kIp, " 203.0.113.5 "), "203.0.113.5");
  EXPECT_EQ(Norm(T::kIp, "2001:DB8:0:0:0:0:0:1"), "2001:db8::1");
  EXPECT_EQ(Norm(T::kIp, "203[.]0[.]113[.]5"), "203.0.113.5");
  EXPECT_EQ(Norm(T::kCidr, "198.51.100.0/24"), "198.51.100.0/24");
  EXPECT_EQ(Norm(T::kCidr, "2001:DB8::/32"), "2001:db8::/32");
  EXPECT_EQ(Norm(T::kDomain, "Evil.Example.VN."), "evil.example.vn");
  EXPECT_EQ(Norm(T::kDomain, "xn--b-0ga.vn"), "xn--b-0ga.vn");
  EXPECT_EQ(Norm(T::kUrl, "hxxps://Evil[.]Example.vn:8443/Path?q=1"),
            "https://evil.example.vn:8443/Path?q=1");
  EXPECT_EQ(Norm(T::kUrl, "http://[2001:db8::1]/x"), "http://[2001:db8::1]/x");
  EXPECT_EQ(Norm(T::kEmail, "Ke.Gian[@]Example[.]VN"), "Ke.Gian@example.vn");
  EXPECT_EQ(Norm(T::kFileName, "hóa-đơn.pdf.exe"), "hóa-đơn.pdf.exe");
  EXPECT_EQ(Norm(T::kMd5, "D41D8CD98F00B204E9800998ECF8427E"), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(Norm(T::kSha1, "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
            "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  EXPECT_EQ(Norm(T::kSha256, std::string(64, 'A')), std::string(64, 'a'));
  EXPECT_EQ(Norm(T::kRegistryKey, "hklm\\Software\\Microsoft\\Windows\\CurrentVersion\\Run"),
            "HKEY_LOCAL_MACHINE\\Software\\Microsoft\\Windows\\CurrentVersion\\Run");
  EXPECT_EQ(Norm(T::kUserAccount, "CORP\\admin"), "CORP\\admin");
  EXPECT_EQ(Norm(T::kProcess, "C:\\Windows\\System32\\rundll32.exe"),
            "C:\\Windows\\System32\\rundll32.exe");
}

struct Bad {
  T type;
  const char* value;
  const char* reason;
};

class ObservableBad : public ::testing::TestWithParam<Bad> {};

TEST_P(ObservableBad, CleanErrorNamingTypeAndReason) {
  auto o = MakeObservable(GetParam().type, GetParam().value);
  ASSERT_FALSE(o) << GetParam().value;
  EXPECT_EQ(o.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(o.error().field, "/value");
  const std::string prefix = std::string(ObservableTypeName(GetParam().type)) + ": ";
  EXPECT_EQ(o.error().message.rfind(prefix, 0), 0u) << o.error().message;
  EXPECT_NE(o.error().message.find(GetParam().reason), std::string::npos) << o.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    EachType, ObservableBad,
    ::testing::Values(
        Bad{T::kIp, "999.1.1.1", "not an IPv4 or IPv6"},
        Bad{T::kIp, "010.1.1.1", "not an IPv4 or IPv6"}, Bad{T::kIp, "", "is empty"},
        Bad{T::kCidr, "10.0.0.0", "needs /prefix-length"}, Bad{T::kCidr, "10.0.0.0/33", "above 32"},
        Bad{T::kCidr, "10.0.0.5/24", "the network is 10.0.0.0/24"},
        Bad{T::kDomain, "localhost", "at least two labels"},
        Bad{T::kDomain, "ex..vn", "empty label"}, Bad{T::kDomain, "-bad.vn", "starting or ending"},
        Bad{T::kDomain, "bộ.vn", "xn-- form"}, Bad{T::kDomain, "1.2.3.4", "numeric top-level"},
        Bad{T::kUrl, "evil.vn/path", "needs a scheme"},
        Bad{T::kUrl, "http://evil..vn/", "host that has an empty label"},
        Bad{T::kUrl, "http://evil.vn:99999/", "bad port"},
        Bad{T::kEmail, "no-at.vn", "needs local@domain"}, Bad{T::kEmail, "a b@x.vn", "local part"},
        Bad{T::kFileName, "C:\\temp\\a.exe", "is a path"},
        Bad{T::kFileName, "..", "not a file name"}, Bad{T::kMd5, "abc", "32 hexadecimal"},
        Bad{T::kSha1, "zz39a3ee5e6b4b0d3255bfef95601890afd80709", "non-hexadecimal"},
        Bad{T::kSha256, "d41d8cd98f00b204e9800998ecf8427e", "64 hexadecimal"},
        Bad{T::kRegistryKey, "Software\\Run", "must start with a hive"},
        Bad{T::kRegistryKey, "HKCU\\Software\\\\Run", "empty key name"},
        Bad{T::kUserAccount, "user<script>", "not allowed"},
        Bad{T::kProcess, "cmd.exe\x01 /c", "control"}));

TEST(Observable, DefangAndRefangRoundTrip) {
  const std::pair<T, const char*> cases[] = {
      {T::kIp, "203.0.113.5"},
      {T::kDomain, "evil.example.vn"},
      {T::kUrl, "https://evil.example.vn/a.php"},
      {T::kEmail, "ke.gian@example.vn"},
      {T::kCidr, "198.51.100.0/24"},
  };
  for (const auto& [type, value] : cases) {
    auto o = MakeObservable(type, value);
    ASSERT_TRUE(o);
    const std::string defanged = Defang(*o);
    EXPECT_EQ(defanged.find("."), defanged.find("[.]") + 1) << defanged;
    EXPECT_EQ(Refang(defanged), o->value);
    auto back = MakeObservable(type, defanged);
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, *o);
  }
  EXPECT_EQ(Defang(*MakeObservable(T::kUrl, "http://a.vn")), "hxxp://a[.]vn");
  EXPECT_EQ(Defang(*MakeObservable(T::kEmail, "a@b.vn")), "a[@]b[.]vn");
}

TEST(Observable, HashesAreNeverRefanged) {
  auto o = MakeObservable(T::kProcess, "tool.exe --sep (dot)");
  ASSERT_TRUE(o);
  EXPECT_EQ(o->value, "tool.exe --sep (dot)");
}

TEST(Observable, TypeNamesRoundTrip) {
  EXPECT_EQ(AllObservableTypes().size(), 12u);
  for (T t : AllObservableTypes()) EXPECT_EQ(ParseObservableType(ObservableTypeName(t)), t);
  EXPECT_FALSE(ParseObservableType("ipv4"));
}

}  // namespace
}  // namespace ucsc::incident
