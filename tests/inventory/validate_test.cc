#include "inventory/validate.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ucsc::inventory {
namespace {

using core::ErrorCode;

// Asserts that `status` is kInvalidArgument about `field`, and returns the message.
std::string FieldError(const core::Status& status, const std::string& field) {
  EXPECT_FALSE(status) << "expected an error about " << field;
  if (status) return {};
  EXPECT_EQ(status.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(status.error().field, field) << status.error().ToString();
  return status.error().message;
}

TEST(IsValidEmail, AcceptsPragmaticAddresses) {
  EXPECT_TRUE(IsValidEmail("vantt.pa05@songhong.gov.vn"));
  EXPECT_TRUE(IsValidEmail("a+tag@example.vn"));
  EXPECT_TRUE(IsValidEmail("x_y-z@sub-domain.example.com"));
  EXPECT_TRUE(IsValidEmail("quản.trị@ví-dụ.vn"));  // internationalised (RFC 6531)
}

TEST(IsValidEmail, RefusesMalformedAddresses) {
  for (const char* bad : {"",
                          "plain",
                          "@example.vn",
                          "a@",
                          "a@b",
                          "a@b.c",
                          "a b@example.vn",
                          "a@exa mple.vn",
                          "a@@example.vn",
                          "a@b@example.vn",
                          ".a@example.vn",
                          "a.@example.vn",
                          "a..b@example.vn",
                          "a@-example.vn",
                          "a@example-.vn",
                          "a@example..vn",
                          "a@.example.vn",
                          "a@example.vn.",
                          "a@1.2.3.4",
                          "\"quoted\"@example.vn",
                          "a@[127.0.0.1]",
                          "a\t@example.vn",
                          "a,b@example.vn"}) {
    EXPECT_FALSE(IsValidEmail(bad)) << bad;
  }
  EXPECT_FALSE(IsValidEmail(std::string(65, 'a') + "@example.vn"));  // local part > 64
  EXPECT_TRUE(IsValidEmail(std::string(64, 'a') + "@example.vn"));
  std::string long_domain;
  for (int label_idx = 0; label_idx < 5; ++label_idx) long_domain += std::string(60, 'd') + ".";
  EXPECT_FALSE(IsValidEmail("a@" + long_domain + "vn"));            // > 254 in all
  EXPECT_FALSE(IsValidEmail("a@" + std::string(64, 'd') + ".vn"));  // label > 63
}

TEST(IsValidIp, AcceptsIpv4AndIpv6) {
  EXPECT_TRUE(IsValidIp("10.10.16.18"));
  EXPECT_TRUE(IsValidIp("203.0.113.1"));
  EXPECT_TRUE(IsValidIp("2001:db8:5a::10"));
  EXPECT_TRUE(IsValidIp("::1"));
  EXPECT_TRUE(IsValidIp("::ffff:192.0.2.1"));
}

TEST(IsValidIp, RefusesEverythingElse) {
  for (const char* bad : {"", "999.1.1.1", "1.2.3", "1.2.3.4.5", "10.0.0.0/8", "fe80::1%eth0",
                          "host.example.vn", " 1.2.3.4", "1.2.3.4 ", "2001:db8:::1", "gggg::1"}) {
    EXPECT_FALSE(IsValidIp(bad)) << bad;
  }
  EXPECT_FALSE(IsValidIp(std::string("1.2.3.4\0", 8)));
}

TEST(IsValidCpe23, AcceptsThirteenComponents) {
  EXPECT_TRUE(IsValidCpe23("cpe:2.3:o:fortinet:fortios:7.0.12:*:*:*:*:*:*:*"));
  EXPECT_TRUE(IsValidCpe23("cpe:2.3:h:fortinet:fortigate-600e:-:*:*:*:*:*:*:*"));
  EXPECT_TRUE(IsValidCpe23("cpe:2.3:a:vmware:vcenter_server:6.7:update3j:*:*:*:*:*:*"));
  EXPECT_TRUE(IsValidCpe23("cpe:2.3:a:micro*:win?:*:*:*:*:*:*:*:*"));
}

TEST(IsValidCpe23, EscapedColonIsNotASeparator) {
  // 13 components: the escaped ':' belongs to the product.
  EXPECT_TRUE(IsValidCpe23("cpe:2.3:a:vendor:prod\\:uct:1.0:*:*:*:*:*:*:*"));
  // Counting the escaped ':' as a separator would give 14 components; unescaped it does.
  EXPECT_FALSE(IsValidCpe23("cpe:2.3:a:vendor:prod:uct:1.0:*:*:*:*:*:*:*"));
  // With the escape, one component too few.
  EXPECT_FALSE(IsValidCpe23("cpe:2.3:a:vendor:prod\\:uct:1.0:*:*:*:*:*:*"));
  EXPECT_TRUE(IsValidCpe23("cpe:2.3:a:vendor:a\\\\b:1.0:*:*:*:*:*:*:*"));  // escaped backslash
  EXPECT_TRUE(IsValidCpe23("cpe:2.3:a:vendor:c\\+\\+:1.0:*:*:*:*:*:*:*"));
  EXPECT_FALSE(IsValidCpe23("cpe:2.3:a:vendor:prod:1.0:*:*:*:*:*:*:x\\"));  // lone trailing '\'
}

TEST(IsValidCpe23, RefusesMalformedNames) {
  for (const char* bad : {
           "",
           "cpe:/a:apache:http_server:2.4.49",                     // CPE 2.2 URI
           "cpe:2.3:a:apache:http_server:2.4.49:*:*:*:*:*:*",      // 12 components
           "cpe:2.3:a:apache:http_server:2.4.49:*:*:*:*:*:*:*:*",  // 14 components
           "cpe:2.3:x:apache:http_server:2.4.49:*:*:*:*:*:*:*",    // bad part
           "cpe:2.3:ab:apache:http_server:2.4.49:*:*:*:*:*:*:*",   // bad part
           "cpe:2.3:a::http_server:2.4.49:*:*:*:*:*:*:*",          // empty component
           "cpe:2.3:a:apache:http server:2.4.49:*:*:*:*:*:*:*",    // space
           "cpe:2.3:a:apache:http_server:2.4.49:*:*:*:*:*:*:",     // empty last component
           "CPE:2.3:a:apache:http_server:2.4.49:*:*:*:*:*:*:*",    // prefix is lower case
           "cpe:2.3:a:apache:httpé:2.4.49:*:*:*:*:*:*:*",          // non-ASCII
       }) {
    EXPECT_FALSE(IsValidCpe23(bad)) << bad;
  }
}

TEST(IsValidIsoDate, RealDatesOnly) {
  EXPECT_TRUE(IsValidIsoDate("2024-02-29"));
  EXPECT_TRUE(IsValidIsoDate("2025-12-31"));
  for (const char* bad :
       {"", "2023-02-29", "2025-13-01", "2025-00-10", "2025-01-32", "2025-1-01", "25-01-01",
        "2025/01/01", "01/02/2025", "2025-01-01T00:00", "+202-01-01", "-001-01-01"}) {
    EXPECT_FALSE(IsValidIsoDate(bad)) << bad;
  }
}

core::Organisation GoodOrg() {
  core::Organisation o;
  o.name = "Sở Y tế";
  o.email = "syt@songhong.gov.vn";
  o.focal_point = {"Nguyễn Văn A", "0912345678", "anv@songhong.gov.vn"};
  return o;
}

TEST(ValidateOrganisation, AcceptsAGoodOrganisation) {
  EXPECT_TRUE(ValidateOrganisation(GoodOrg()));
  auto no_mail = GoodOrg();
  no_mail.email.clear();
  no_mail.focal_point.email.clear();
  EXPECT_TRUE(ValidateOrganisation(no_mail));
}

TEST(ValidateOrganisation, NamesTheBadField) {
  auto o = GoodOrg();
  o.name = "   ";
  EXPECT_EQ(FieldError(ValidateOrganisation(o), "/name"), "name is required");
  o = GoodOrg();
  o.name = std::string(301, 'x');
  FieldError(ValidateOrganisation(o), "/name");
  o.name = std::string(300, 'x');
  EXPECT_TRUE(ValidateOrganisation(o));
  o = GoodOrg();
  o.email = "not-an-email";
  EXPECT_EQ(FieldError(ValidateOrganisation(o), "/email"),
            "email is not a valid e-mail address: 'not-an-email'");
  o = GoodOrg();
  o.focal_point.email = "x@y";
  EXPECT_EQ(FieldError(ValidateOrganisation(o), "/focal_point/email"),
            "focal_point.email is not a valid e-mail address: 'x@y'");
  o = GoodOrg();
  o.id = "o1";
  o.parent_id = "o1";
  FieldError(ValidateOrganisation(o), "/parent_id");
}

core::InformationSystem GoodSystem() {
  core::InformationSystem s;
  s.name = "Cổng thông tin điện tử";
  s.owner_org_id = "org-1";
  s.level = 3;
  s.approval = {"86/QĐ-UBND", "2022-03-14", "Chủ tịch UBND tỉnh"};
  s.public_endpoints = {"https://songhong.gov.vn"};
  return s;
}

TEST(ValidateSystem, AcceptsAGoodSystem) {
  EXPECT_TRUE(ValidateSystem(GoodSystem()));
  auto unapproved = GoodSystem();
  unapproved.approval = {};
  EXPECT_TRUE(ValidateSystem(unapproved));
}

TEST(ValidateSystem, NamesTheBadField) {
  auto s = GoodSystem();
  s.name.clear();
  FieldError(ValidateSystem(s), "/name");
  s = GoodSystem();
  s.owner_org_id.clear();
  FieldError(ValidateSystem(s), "/owner_org_id");
  for (int level : {0, 6, -1}) {
    s = GoodSystem();
    s.level = level;
    EXPECT_EQ(FieldError(ValidateSystem(s), "/level"),
              "level must be between 1 and 5, got " + std::to_string(level));
  }
  s = GoodSystem();
  s.approval.date = "14/03/2022";
  FieldError(ValidateSystem(s), "/approval/date");
  s = GoodSystem();
  s.approval.date.clear();
  EXPECT_EQ(FieldError(ValidateSystem(s), "/approval/date"),
            "approval.date is required when decision_no is set");
  s = GoodSystem();
  s.approval.approver.clear();
  FieldError(ValidateSystem(s), "/approval/approver");
  s = GoodSystem();
  s.public_endpoints = {"https://a.songhong.gov.vn", " "};
  EXPECT_EQ(FieldError(ValidateSystem(s), "/public_endpoints/1"),
            "public_endpoints[1] is required");
}

core::Asset GoodAsset() {
  core::Asset a;
  a.name = "web01";
  a.system_id = "sys-1";
  a.ips = {"10.0.0.1", "2001:db8::1"};
  a.software = {
      {"apache", "http_server", "2.4.49", "cpe:2.3:a:apache:http_server:2.4.49:*:*:*:*:*:*:*"},
      {"", "custom app", "", ""}};
  return a;
}

TEST(ValidateAsset, AcceptsAGoodAsset) { EXPECT_TRUE(ValidateAsset(GoodAsset())); }

TEST(ValidateAsset, NamesTheBadField) {
  auto a = GoodAsset();
  a.system_id.clear();
  FieldError(ValidateAsset(a), "/system_id");
  a = GoodAsset();
  a.ips.push_back("10.0.0.300");
  EXPECT_EQ(FieldError(ValidateAsset(a), "/ips/2"),
            "ips[2] is not a valid IPv4 or IPv6 address: '10.0.0.300'");
  a = GoodAsset();
  a.software.push_back({"v", "p", "1", "cpe:2.3:a:v:p"});
  EXPECT_EQ(FieldError(ValidateAsset(a), "/software/2/cpe"),
            "software[2].cpe is not a valid CPE 2.3 name: 'cpe:2.3:a:v:p'");
  a = GoodAsset();
  a.software[1].product.clear();
  FieldError(ValidateAsset(a), "/software/1/product");
  a = GoodAsset();
  a.name.clear();
  FieldError(ValidateAsset(a), "/name");
}

TEST(ValidateContact, ChecksNameOrgAndEmail) {
  core::Contact c;
  c.name = "Hồ Văn Trí";
  c.org_id = "org-1";
  c.email = "trihv.ubnd@songhong.gov.vn";
  EXPECT_TRUE(ValidateContact(c));
  auto bad = c;
  bad.email = "trihv.ubnd@";
  FieldError(ValidateContact(bad), "/email");
  bad = c;
  bad.name.clear();
  FieldError(ValidateContact(bad), "/name");
  bad = c;
  bad.org_id.clear();
  FieldError(ValidateContact(bad), "/org_id");
}

TEST(ValidateMember, ChecksNameEmailAndLists) {
  core::IrTeamMember m;
  m.name = "Trần Thanh Vân";
  m.org_id = "org-1";
  m.email = "vantt.pa05@songhong.gov.vn";
  m.skills = {"ứng cứu sự cố", "điều phối"};
  m.certificates = {"GCIH"};
  EXPECT_TRUE(ValidateMember(m));
  auto bad = m;
  bad.email = "no at sign";
  FieldError(ValidateMember(bad), "/email");
  bad = m;
  bad.skills.push_back("");
  FieldError(ValidateMember(bad), "/skills/2");
  bad = m;
  bad.name = "";
  FieldError(ValidateMember(bad), "/name");
}

TEST(ValidateTask, ChecksTitleKindAndDueDate) {
  core::Task t;
  t.title = "Vá lỗ hổng Exchange";
  t.kind = "remediation";
  t.due_date = "2026-01-15";
  EXPECT_TRUE(ValidateTask(t));
  for (const char* kind :
       {"remediation", "hunt", "scan", "plan_update", "drill", "evidence", "report", "other"}) {
    t.kind = kind;
    EXPECT_TRUE(ValidateTask(t)) << kind;
  }
  auto bad = t;
  bad.kind = "meeting";
  FieldError(ValidateTask(bad), "/kind");
  bad = t;
  bad.title = "";
  FieldError(ValidateTask(bad), "/title");
  bad = t;
  bad.due_date = "2026-02-30";
  FieldError(ValidateTask(bad), "/due_date");
  bad = t;
  bad.due_date.clear();
  EXPECT_TRUE(ValidateTask(bad));
}

// The organisation tree rule shared by the API and the importer.
TEST(ParentCycles, AForestHasNone) {
  EXPECT_TRUE(ParentCycles({}).empty());
  EXPECT_TRUE(
      ParentCycles({{"a", ""}, {"b", "a"}, {"c", "b"}, {"d", "a"}, {"e", "stored"}}).empty());
}

TEST(ParentCycles, EachCycleOnceFromItsFirstLink) {
  const auto cycles = ParentCycles({{"a", "b"}, {"b", "c"}, {"c", "a"}, {"d", "a"}, {"x", "x"}});
  ASSERT_EQ(cycles.size(), 2u);
  EXPECT_EQ(cycles[0], (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(cycles[1], (std::vector<std::string>{"x"}));
}

TEST(ParentCycles, ATailLeadingIntoACycleIsNotPartOfIt) {
  const auto cycles = ParentCycles({{"a", "b"}, {"b", "c"}, {"c", "b"}});
  ASSERT_EQ(cycles.size(), 1u);
  EXPECT_EQ(cycles[0], (std::vector<std::string>{"b", "c"}));
}

}  // namespace
}  // namespace ucsc::inventory
