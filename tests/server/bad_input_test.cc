// Bad input (DESIGN.md "Conventions"): every bad request gets a clean 4xx RFC 7807 answer that
// names the field, never a crash, never a partial write. Each test sends only bad requests and
// compares a dump of the whole database before and after.
#include <gtest/gtest.h>

#include "server/api_test_util.h"
#include "text/vietnamese.h"

namespace ucsc::server::testing {
namespace {

using core::Role;

class ApiBadInput : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    std::string skip;
    if (!h_.Open(GetParam(), skip)) {
      if (!skip.empty()) {
        GTEST_SKIP() << skip;
      }
      FAIL() << "cannot open the store";
    }
    syt_ = h_.OrgId("Sở Y tế");
    admin_ = std::make_unique<Client>(h_.SignIn(Role::kAdmin));
    system_ = h_.InsertSystem("Hệ thống thử dữ liệu xấu", syt_);
    asset_ = h_.InsertAsset("Máy chủ thử dữ liệu xấu", system_);
    before_ = h_.Dump();
  }
  void TearDown() override {
    if (admin_ != nullptr && check_unchanged_) {
      EXPECT_EQ(h_.Dump(), before_) << "a refused request changed the database";
    }
  }
  const Client& admin() { return *admin_; }
  Json ValidSystem() {
    return Json{{"name", "Hệ thống hợp lệ"}, {"owner_org_id", syt_}, {"level", 2}};
  }
  Json With(Json j, const std::string& key, Json value) {
    j[key] = std::move(value);
    return j;
  }

  ApiHarness h_;
  std::string syt_;
  std::unique_ptr<Client> admin_;
  core::InformationSystem system_;
  core::Asset asset_;
  std::string before_;
  bool check_unchanged_ = true;
};

TEST_P(ApiBadInput, MalformedJsonIs400) {
  static constexpr char kRawNul[] = "{\"name\": \"a\0b\"}";  // a raw control character
  const std::vector<std::string> bodies = {
      "",
      "{",
      "{\"name\": \"Hệ thống\"",
      "{\"name\": \"Hệ thống\",}",
      "{name: 'Hệ thống'}",
      "{\"name\": \"Hệ thống\"} rác",
      "nul",
      "{\"name\": \"\xff\xfe\"}",  // not UTF-8
      "{\"level\": 1e99999}",
      std::string(kRawNul, sizeof kRawNul - 1),
  };
  for (const auto& body : bodies) {
    SCOPED_TRACE(body);
    EXPECT_TRUE(IsProblem(admin().PostRaw("/api/v1/systems", body), 400));
    EXPECT_TRUE(IsProblem(admin().PatchRaw("/api/v1/systems/" + system_.id, body, "\"1\""), 400));
  }
  // Not JSON at all.
  EXPECT_TRUE(
      IsProblem(admin().PostRaw("/api/v1/systems", ValidSystem().dump(), "text/plain"), 400));
  EXPECT_TRUE(IsProblem(
      admin().PostRaw("/api/v1/systems", "name=x", "application/x-www-form-urlencoded"), 400));
  // JSON, but not an object.
  for (const char* body : {"[]", "[{\"name\": \"x\"}]", "\"x\"", "42", "null", "true"}) {
    SCOPED_TRACE(body);
    EXPECT_TRUE(IsProblem(admin().PostRaw("/api/v1/systems", body), 400, "/"));
  }
}

TEST_P(ApiBadInput, TenMegabyteBodyIs413) {
  Json big = ValidSystem();
  big["description"] = std::string(10 << 20, 'a');
  EXPECT_TRUE(IsProblem(admin().Post("/api/v1/systems", big), 413));
  EXPECT_TRUE(IsProblem(admin().PostRaw("/api/v1/auth/login", std::string(10 << 20, '{')), 413));
  EXPECT_TRUE(IsProblem(
      admin().PatchRaw("/api/v1/systems/" + system_.id, std::string(10 << 20, ' '), "\"1\""), 413));
}

TEST_P(ApiBadInput, JsonNestedHundredDeepIs400) {
  std::string arrays = std::string(100, '[') + std::string(100, ']');
  std::string objects;
  for (int i = 0; i < 100; ++i) objects += "{\"a\":";
  objects += "1" + std::string(100, '}');
  for (const std::string& deep : {arrays, objects}) {
    EXPECT_TRUE(IsProblem(admin().PostRaw("/api/v1/systems", deep), 400));
    EXPECT_TRUE(IsProblem(
        admin().PostRaw("/api/v1/systems", "{\"name\": \"x\", \"description\": " + deep + "}"),
        400));
    EXPECT_TRUE(IsProblem(admin().PostRaw("/api/v1/auth/login", deep), 400));
  }
  // Far deeper than any stack: still a clean 400.
  EXPECT_TRUE(IsProblem(
      admin().PostRaw("/api/v1/assets", std::string(100000, '[') + std::string(100000, ']')), 400));
}

TEST_P(ApiBadInput, WrongTypesNameTheField) {
  struct Case {
    std::string path;
    Json body;
    std::string pointer;
  };
  const std::string other = h_.OrgId("Sở Tài chính");
  Json org{{"name", "Đơn vị thử"}, {"type", "agency"}, {"parent_id", syt_}};
  Json asset{{"name", "Máy thử"}, {"system_id", system_.id}};
  Json contact{{"name", "Người thử"}, {"org_id", syt_}};
  Json member{{"name", "Chuyên gia thử"}, {"org_id", syt_}};
  Json task{{"title", "Việc thử"}, {"org_id", syt_}, {"kind", "other"}};
  const std::vector<Case> cases = {
      // integers
      {"/api/v1/systems", With(ValidSystem(), "level", "3"), "/level"},
      {"/api/v1/systems", With(ValidSystem(), "level", 2.5), "/level"},
      {"/api/v1/systems", With(ValidSystem(), "level", true), "/level"},
      {"/api/v1/systems", With(ValidSystem(), "level", Json::array({3})), "/level"},
      {"/api/v1/systems", With(ValidSystem(), "level", 9223372036854775807LL), "/level"},
      {"/api/v1/systems", With(ValidSystem(), "level", 18446744073709551615ULL), "/level"},
      // lists of strings
      {"/api/v1/systems", With(ValidSystem(), "public_endpoints", "x"), "/public_endpoints"},
      {"/api/v1/systems", With(ValidSystem(), "public_endpoints", {1}), "/public_endpoints/0"},
      {"/api/v1/systems", With(ValidSystem(), "public_endpoints", {"https://a.vn", Json::object()}),
       "/public_endpoints/1"},
      // booleans
      {"/api/v1/systems", With(ValidSystem(), "national_important", "yes"), "/national_important"},
      {"/api/v1/organisations", With(org, "network_member", "yes"), "/network_member"},
      {"/api/v1/organisations", With(org, "network_member", 1), "/network_member"},
      {"/api/v1/contacts", With(contact, "focal_point", "true"), "/focal_point"},
      {"/api/v1/ir-team", With(member, "outsourced", 0), "/outsourced"},
      // strings
      {"/api/v1/systems", With(ValidSystem(), "name", 5), "/name"},
      {"/api/v1/systems", With(ValidSystem(), "owner_org_id", Json::array()), "/owner_org_id"},
      {"/api/v1/organisations", With(org, "parent_id", 7), "/parent_id"},
      {"/api/v1/tasks", With(task, "title", Json::object()), "/title"},
      // enumerations
      {"/api/v1/organisations", With(org, "type", "bộ"), "/type"},
      {"/api/v1/tasks", With(task, "state", "xong"), "/state"},
      {"/api/v1/tasks", With(task, "kind", "pha_ca_phe"), "/kind"},
      // nested objects and arrays of objects
      {"/api/v1/systems", With(ValidSystem(), "approval", "QĐ 1"), "/approval"},
      {"/api/v1/systems", With(ValidSystem(), "approval", {{"date", 20240101}}), "/approval/date"},
      {"/api/v1/organisations", With(org, "focal_point", "Ông A"), "/focal_point"},
      {"/api/v1/organisations", With(org, "focal_point", {{"email", 1}}), "/focal_point/email"},
      {"/api/v1/assets", With(asset, "ips", "10.0.0.1"), "/ips"},
      {"/api/v1/assets", With(asset, "software", Json::object()), "/software"},
      {"/api/v1/assets", With(asset, "software", {{{"product", 1}}}), "/software/0/product"},
      {"/api/v1/assets", With(asset, "software", {"nginx"}), "/software/0"},
      {"/api/v1/ir-team", With(member, "skills", "pháp chứng"), "/skills"},
      // format checks
      {"/api/v1/tasks", With(task, "due_date", "31/12/2026"), "/due_date"},
      {"/api/v1/systems",
       With(ValidSystem(), "approval",
            {{"decision_no", "1/QĐ"}, {"date", "2023-02-29"}, {"approver", "Chủ tịch"}}),
       "/approval/date"},
      {"/api/v1/contacts", With(contact, "email", "khong-phai-email"), "/email"},
      {"/api/v1/organisations", With(org, "focal_point", {{"email", "a@b"}}), "/focal_point/email"},
      // required, empty, too long
      {"/api/v1/systems", Json{{"owner_org_id", syt_}, {"level", 2}}, "/name"},
      {"/api/v1/systems", With(ValidSystem(), "name", ""), "/name"},
      {"/api/v1/systems", With(ValidSystem(), "name", "   "), "/name"},
      {"/api/v1/systems", With(ValidSystem(), "name", std::string(301, 'a')), "/name"},
      {"/api/v1/systems", Json{{"name", "x"}, {"level", 2}}, "/owner_org_id"},
      {"/api/v1/systems",
       With(ValidSystem(), "public_endpoints", Json(std::vector<std::string>(201, "a"))),
       "/public_endpoints"},
      // references that lead nowhere
      {"/api/v1/systems", With(ValidSystem(), "owner_org_id", "khong-co"), "/owner_org_id"},
      {"/api/v1/systems", With(ValidSystem(), "operator_org_id", "khong-co"), "/operator_org_id"},
      {"/api/v1/assets", With(asset, "system_id", "khong-co"), "/system_id"},
      {"/api/v1/tasks", With(task, "system_id", "khong-co"), "/system_id"},
      {"/api/v1/organisations", With(org, "parent_id", "khong-co"), "/parent_id"},
      {"/api/v1/users", Json{{"username", "moi"}, {"role", "vua"}, {"org_id", other}}, "/role"},
      {"/api/v1/users", Json{{"username", "moi"}, {"role", "admin"}, {"org_id", "khong-co"}},
       "/org_id"},
      {"/api/v1/users",
       Json{{"username", "moi"}, {"role", "admin"}, {"org_id", other}, {"password", 1}},
       "/password"},
      {"/api/v1/users", Json{{"username", "admin"}, {"role", "admin"}, {"org_id", other}},
       "/username"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.path + " " + c.body.dump().substr(0, 200));
    Response r = admin().Post(c.path, c.body);
    const int want = c.pointer == "/username" ? 409 : 400;
    EXPECT_TRUE(IsProblem(r, want, c.pointer));
  }
  // The same checks apply to PATCH.
  const std::string sys = "/api/v1/systems/" + system_.id;
  EXPECT_TRUE(IsProblem(admin().Patch(sys, Json{{"level", "3"}}, "\"1\""), 400, "/level"));
  EXPECT_TRUE(IsProblem(admin().Patch(sys, Json{{"public_endpoints", "x"}}, "\"1\""), 400,
                        "/public_endpoints"));
  EXPECT_TRUE(IsProblem(admin().Patch(sys, Json{{"name", ""}}, "\"1\""), 400, "/name"));
  EXPECT_TRUE(IsProblem(
      admin().Patch("/api/v1/organisations/" + syt_, Json{{"network_member", "yes"}}, "\"1\""), 400,
      "/network_member"));
  EXPECT_TRUE(
      IsProblem(admin().Patch("/api/v1/assets/" + asset_.id,
                              Json{{"software", {{{"product", "x"}, {"cpe", "cpe:x"}}}}}, "\"1\""),
                400, "/software/0/cpe"));
}

TEST_P(ApiBadInput, UnknownFieldIsNamed) {
  EXPECT_TRUE(IsProblem(admin().Post("/api/v1/systems", With(ValidSystem(), "colour", "đỏ")), 400,
                        "/colour"));
  EXPECT_TRUE(IsProblem(
      admin().Post("/api/v1/systems", With(ValidSystem(), "approval", {{"so_quyet_dinh", "1"}})),
      400, "/approval/so_quyet_dinh"));
  EXPECT_TRUE(
      IsProblem(admin().Post("/api/v1/assets",
                             Json{{"name", "x"},
                                  {"system_id", system_.id},
                                  {"software", {{{"product", "nginx"}, {"edition", "plus"}}}}}),
                400, "/software/0/edition"));
  // A key with '/' or '~' is escaped in the pointer (RFC 6901).
  Response r = admin().Post("/api/v1/systems", With(ValidSystem(), "a/b~c", 1));
  EXPECT_TRUE(IsProblem(r, 400, "/a~1b~0c"));
  EXPECT_TRUE(IsProblem(admin().Patch("/api/v1/systems/" + system_.id, Json{{"mau", 1}}, "\"1\""),
                        400, "/mau"));
  EXPECT_TRUE(
      IsProblem(admin().Post("/api/v1/auth/login",
                             Json{{"username", "a"}, {"password", "b"}, {"remember", true}}),
                400, "/remember"));
  EXPECT_TRUE(IsProblem(
      admin().Post("/api/v1/tokens", Json{{"name", "a"}, {"scopes", {"read"}}, {"owner", "admin"}}),
      400, "/owner"));
}

TEST_P(ApiBadInput, ReadOnlyFieldsAreRefused) {
  for (const char* field : {"id", "version", "created_at", "updated_at", "level_history"}) {
    SCOPED_TRACE(field);
    Json value = std::string(field) == "version"         ? Json(7)
                 : std::string(field) == "level_history" ? Json::array()
                                                         : Json("2026-01-01T00:00:00Z");
    if (std::string(field) == "id") value = "0190a000-0000-7000-8000-000000000001";
    EXPECT_TRUE(IsProblem(admin().Post("/api/v1/systems", With(ValidSystem(), field, value)), 400,
                          std::string("/") + field));
    EXPECT_TRUE(
        IsProblem(admin().Patch("/api/v1/systems/" + system_.id, Json{{field, value}}, "\"1\""),
                  400, std::string("/") + field));
  }
  // An asset's organisation follows its system.
  EXPECT_TRUE(
      IsProblem(admin().Patch("/api/v1/assets/" + asset_.id, Json{{"org_id", syt_}}, "\"1\""), 400,
                "/org_id"));
  // Users cannot be created pre-confirmed or with secrets.
  for (const char* field : {"password_hash", "totp_secret", "must_change_password", "id"}) {
    SCOPED_TRACE(field);
    EXPECT_TRUE(IsProblem(
        admin().Post(
            "/api/v1/users",
            Json{{"username", "moi.nguoi"}, {"role", "org_staff"}, {"org_id", syt_}, {field, "x"}}),
        400, std::string("/") + field));
  }
}

TEST_P(ApiBadInput, LevelOutOfRangeIs400) {
  for (int level : {7, 0, -1, 6}) {
    SCOPED_TRACE(level);
    EXPECT_TRUE(IsProblem(admin().Post("/api/v1/systems", With(ValidSystem(), "level", level)), 400,
                          "/level"));
    EXPECT_TRUE(
        IsProblem(admin().Patch("/api/v1/systems/" + system_.id, Json{{"level", level}}, "\"1\""),
                  400, "/level"));
  }
}

TEST_P(ApiBadInput, BadIpOrCpeIs400PointingIntoTheList) {
  Json asset{{"name", "Máy chủ web"}, {"system_id", system_.id}};
  for (const char* ip : {"999.1.1.1", "10.0.0.0/8", "10.0.0", "fe80::1%eth0", "", "máy chủ"}) {
    SCOPED_TRACE(ip);
    EXPECT_TRUE(IsProblem(admin().Post("/api/v1/assets", With(asset, "ips", {ip})), 400, "/ips/0"));
  }
  EXPECT_TRUE(
      IsProblem(admin().Post("/api/v1/assets", With(asset, "ips", {"10.0.0.1", "10.0.0.256"})), 400,
                "/ips/1"));
  for (const char* cpe : {"cpe:/a:nginx:nginx:1.18", "cpe:2.3:x:nginx:nginx:1.18:*:*:*:*:*:*:*",
                          "cpe:2.3:a:nginx", "nginx"}) {
    SCOPED_TRACE(cpe);
    EXPECT_TRUE(IsProblem(
        admin().Post(
            "/api/v1/assets",
            With(asset, "software", {{{"product", "nginx"}, {"version", "1.18"}, {"cpe", cpe}}})),
        400, "/software/0/cpe"));
  }
  EXPECT_TRUE(
      IsProblem(admin().Post("/api/v1/assets", With(asset, "software", {{{"vendor", "x"}}})), 400,
                "/software/0/product"));
}

TEST_P(ApiBadInput, UnknownIdsAre404) {
  const std::string missing = "0190a000-0000-7000-8000-00000000abcd";
  for (const char* resource :
       {"organisations", "systems", "assets", "contacts", "ir-team", "tasks"}) {
    for (const std::string& id :
         {missing, std::string("khong-phai-uuid"), std::string("' OR '1'='1")}) {
      SCOPED_TRACE(std::string(resource) + " " + id);
      const std::string path = std::string("/api/v1/") + resource + "/" + id;
      EXPECT_TRUE(IsProblem(admin().Get(path), 404));
      EXPECT_TRUE(IsProblem(admin().Patch(path, Json{{"name", "x"}}, "\"1\""), 404));
      EXPECT_TRUE(IsProblem(admin().Delete(path, "\"1\""), 404));
    }
  }
  EXPECT_TRUE(IsProblem(admin().Get("/api/v1/systems/" + missing + "/changes"), 404));
  EXPECT_TRUE(IsProblem(admin().Delete("/api/v1/tokens/" + missing, std::nullopt), 404));
  // No such endpoint / method.
  EXPECT_TRUE(IsProblem(admin().Get("/api/v1/incidents/" + missing), 404));
  EXPECT_TRUE(IsProblem(admin().Get("/api/v1/no-such-resource"), 404));
  EXPECT_TRUE(IsProblem(admin().Get("/api/v2/systems"), 404));
  EXPECT_TRUE(IsProblem(admin().Get("/api/v1/systems/"), 404));
  EXPECT_TRUE(IsProblem(admin().Post("/api/v1/systems/" + system_.id, ValidSystem()), 405));
  EXPECT_TRUE(IsProblem(admin().Delete("/api/v1/systems", "\"1\""), 405));
}

TEST_P(ApiBadInput, IfMatchIsRequiredAndChecked) {
  const std::string sys = "/api/v1/systems/" + system_.id;
  EXPECT_TRUE(IsProblem(admin().PatchRaw(sys, Json{{"level", 3}}.dump(), std::nullopt), 428));
  EXPECT_TRUE(IsProblem(admin().Delete(sys, std::nullopt), 428));
  EXPECT_TRUE(IsProblem(admin().Patch(sys, Json{{"level", 3}}, "\"2\""), 412));
  EXPECT_TRUE(IsProblem(admin().Patch(sys, Json{{"level", 3}}, "\"0\""), 412));
  EXPECT_TRUE(IsProblem(admin().Delete(sys, "\"9\""), 412));
  for (const char* tag : {"1", "W/\"1\"", "\"abc\"", "\"\"", "\"99999999999999999999999\"", "*"}) {
    SCOPED_TRACE(tag);
    Response r = admin().Patch(sys, Json{{"level", 3}}, tag);
    EXPECT_TRUE(r.status == 400 || r.status == 412) << r.status << " " << r.body;
    EXPECT_EQ(r.content_type, "application/problem+json");
  }
}

TEST_P(ApiBadInput, BadListParametersAre400) {
  struct Case {
    std::string path;
    Query query;
    std::string pointer;
  };
  const std::vector<Case> cases = {
      {"/api/v1/systems", {{"limit", "0"}}, "/limit"},
      {"/api/v1/systems", {{"limit", "501"}}, "/limit"},
      {"/api/v1/systems", {{"limit", "-1"}}, "/limit"},
      {"/api/v1/systems", {{"limit", "abc"}}, "/limit"},
      {"/api/v1/systems", {{"limit", ""}}, "/limit"},
      {"/api/v1/systems", {{"limit", "99999999999"}}, "/limit"},
      {"/api/v1/systems", {{"limit", "50"}, {"limit", "600"}}, "/limit"},
      {"/api/v1/systems", {{"cursor", "rác"}}, "/cursor"},
      {"/api/v1/systems", {{"cursor", "!!!!"}}, "/cursor"},
      {"/api/v1/systems", {{"cursor", "YWJj"}}, "/cursor"},  // base64 of "abc": no separator
      {"/api/v1/systems", {{"colour", "red"}}, "/colour"},
      {"/api/v1/systems", {{"level", "ba"}}, "/level"},
      {"/api/v1/systems", {{"q", std::string(201, 'a')}}, "/q"},
      {"/api/v1/organisations", {{"owner_org_id", "x"}}, "/owner_org_id"},
      {"/api/v1/assets", {{"limit", "0"}}, "/limit"},
      {"/api/v1/contacts", {{"sort", "name"}}, "/sort"},
      {"/api/v1/ir-team", {{"limit", "501"}}, "/limit"},
      {"/api/v1/tasks", {{"cursor", "%%%"}}, "/cursor"},
      {"/api/v1/audit", {{"limit", "0"}}, "/limit"},
      {"/api/v1/audit", {{"after", "x"}}, "/after"},
      {"/api/v1/audit", {{"colour", "red"}}, "/colour"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.path + " " + c.query.begin()->first + "=" + c.query.begin()->second);
    EXPECT_TRUE(IsProblem(admin().Get(c.path, c.query), 400, c.pointer));
  }
  EXPECT_EQ(admin().Get("/api/v1/systems", {{"limit", "500"}}).status, 200);
  EXPECT_EQ(admin().Get("/api/v1/systems", {{"limit", "1"}}).status, 200);
}

// Names and searches with SQL metacharacters are stored and matched literally.
TEST_P(ApiBadInput, SqlMetacharactersAreStoredAndSearchedLiterally) {
  check_unchanged_ = false;  // this test writes on purpose
  const std::vector<std::string> names = {
      "'; DROP TABLE systems; --",
      "Robert'); DELETE FROM organisations; --",
      "100% an toàn",
      "hệ_thống",
      "a\\b \"trích dẫn\" !escape!",
  };
  std::map<std::string, std::string> ids;
  for (const auto& name : names) {
    SCOPED_TRACE(name);
    Response r =
        admin().Post("/api/v1/systems", Json{{"name", name}, {"owner_org_id", syt_}, {"level", 1}});
    ASSERT_EQ(r.status, 201) << r.body;
    ids[name] = Body(r)["id"];
    Response got = admin().Get("/api/v1/systems/" + ids[name]);
    EXPECT_EQ(Body(got)["name"], name);
  }
  auto search = [&](const std::string& q) {
    std::set<std::string> found;
    Response r = admin().Get("/api/v1/systems", {{"q", q}, {"limit", "500"}});
    EXPECT_EQ(r.status, 200) << r.body;
    const Json page = Body(r);
    for (const auto& item : page["items"]) found.insert(item["name"].get<std::string>());
    return found;
  };
  EXPECT_EQ(search("'; DROP TABLE systems; --"), std::set<std::string>{names[0]});
  EXPECT_EQ(search("DELETE FROM"), std::set<std::string>{names[1]});
  // LIKE wildcards match only themselves.
  EXPECT_EQ(search("%"), std::set<std::string>{names[2]});
  EXPECT_EQ(search("_"), std::set<std::string>{names[3]});
  EXPECT_EQ(search("!escape!"), std::set<std::string>{names[4]});
  EXPECT_EQ(search("\\"), std::set<std::string>{names[4]});
  // The tables are intact.
  Response all = admin().Get("/api/v1/organisations", {{"limit", "500"}});
  EXPECT_EQ(Body(all)["items"].size(), h_.OrgLinks().size());
  EXPECT_GT(Body(admin().Get("/api/v1/systems", {{"limit", "500"}}))["items"].size(), 150u);
  // Filters are bound too.
  Response f = admin().Get("/api/v1/systems", {{"owner_org_id", "' OR '1'='1"}});
  EXPECT_EQ(f.status, 200);
  EXPECT_TRUE(Body(f)["items"].empty());
}

// Unusual but valid JSON text (an escaped NUL, other control characters, non-BMP characters,
// decomposed Vietnamese) is either stored exactly or refused naming the field; never a 500.
TEST_P(ApiBadInput, UnusualTextIsStoredExactlyOrRefusedCleanly) {
  check_unchanged_ = false;
  const std::vector<std::string> names = {
      std::string("tên\0ẩn", 9),
      "tab\tnewline\nbell\a",
      "😀 Hệ thống",
      "So\u031b\u0309 Y te\u0302\u0301",
      "\u202eRTL",
      std::string(300, 'x'),
  };
  for (const auto& name : names) {
    SCOPED_TRACE(Json(name).dump());
    for (const char* resource : {"systems", "contacts"}) {
      Json body = std::string(resource) == "systems"
                      ? Json{{"name", name}, {"owner_org_id", syt_}, {"level", 1}}
                      : Json{{"name", name.substr(0, 200)}, {"org_id", syt_}};
      Response r = admin().Post(std::string("/api/v1/") + resource, body);
      if (r.status == 201) {
        Response got = admin().Get(std::string("/api/v1/") + resource + "/" +
                                   Body(r)["id"].get<std::string>());
        EXPECT_EQ(Body(got)["name"], body["name"]);
        Response listed = admin().Get(std::string("/api/v1/") + resource,
                                      {{"q", body["name"].get<std::string>().substr(0, 3)}});
        EXPECT_EQ(listed.status, 200) << listed.body;
      } else {
        EXPECT_TRUE(IsProblem(r, 400, "/name"));
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, ApiBadInput, ::testing::ValuesIn(Backends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace ucsc::server::testing
