// The OpenAPI 3.1 document lists exactly the registered routes (DESIGN.md "Contracts").
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "server/api_test_util.h"

namespace ucsc::server::testing {
namespace {

class ApiOpenApi : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    std::string skip;
    if (!h_.Open(GetParam(), skip, /*with_demo=*/false)) {
      if (!skip.empty()) {
        GTEST_SKIP() << skip;
      }
      FAIL() << "cannot open the store";
    }
    Response r = h_.Anonymous().Get("/api/v1/openapi.json");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.content_type, "application/json");
    doc_ = Body(r);
    ASSERT_TRUE(doc_.is_object());
  }
  ApiHarness h_;
  Json doc_;
};

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

TEST_P(ApiOpenApi, ListsExactlyTheRegisteredRoutes) {
  EXPECT_EQ(doc_["openapi"], "3.1.0");
  std::set<std::pair<std::string, std::string>> registered;
  for (const auto& r : h_.api().Routes()) {
    EXPECT_TRUE(registered.insert({r.pattern, Lower(r.method)}).second)
        << "registered twice: " << r.method << " " << r.pattern;
  }
  std::set<std::pair<std::string, std::string>> documented;
  const std::set<std::string> kMethods = {"get",     "put",  "post",  "delete",
                                          "options", "head", "patch", "trace"};
  for (const auto& [path, item] : doc_["paths"].items()) {
    for (const auto& [method, op] : item.items()) {
      if (kMethods.contains(method)) documented.insert({path, method});
    }
  }
  for (const auto& r : registered) {
    EXPECT_TRUE(documented.contains(r)) << "not documented: " << r.second << " " << r.first;
  }
  for (const auto& d : documented) {
    EXPECT_TRUE(registered.contains(d))
        << "documented but not served: " << d.second << " " << d.first;
  }
  EXPECT_EQ(documented.size(), registered.size());
}

TEST_P(ApiOpenApi, OperationsDescribeParametersSecurityAndErrors) {
  for (const auto& r : h_.api().Routes()) {
    SCOPED_TRACE(r.method + " " + r.pattern);
    const Json& op = doc_["paths"][r.pattern][Lower(r.method)];
    ASSERT_TRUE(op.is_object());
    EXPECT_FALSE(op["summary"].get<std::string>().empty());
    std::set<std::string> path_params, header_params;
    if (op.contains("parameters")) {
      for (const auto& p : op["parameters"]) {
        (p["in"] == "path" ? path_params : header_params).insert(p["name"].get<std::string>());
      }
    }
    // Every {param} of the path template is declared, and nothing else.
    std::set<std::string> in_template;
    for (size_t pos = r.pattern.find('{'); pos != std::string::npos;
         pos = r.pattern.find('{', pos + 1)) {
      in_template.insert(r.pattern.substr(pos + 1, r.pattern.find('}', pos) - pos - 1));
    }
    EXPECT_EQ(path_params, in_template);
    // Updates and deletes of versioned rows need If-Match.
    if ((r.method == "PATCH" || r.method == "DELETE") &&
        r.pattern.find("/tokens/") == std::string::npos) {
      EXPECT_TRUE(header_params.contains("If-Match"));
    }
    // Routes open without sign-in say so; the others inherit the global security.
    if (!r.needs_auth) {
      EXPECT_EQ(op["security"], Json::array());
    } else {
      EXPECT_FALSE(op.contains("security"));
    }
    EXPECT_TRUE(op["responses"].contains("default"));
  }
  EXPECT_TRUE(doc_["components"]["securitySchemes"].contains("session"));
  EXPECT_TRUE(doc_["components"]["securitySchemes"].contains("token"));
}

// Every "$ref" in the document resolves.
TEST_P(ApiOpenApi, EveryReferenceResolves) {
  std::vector<std::string> refs;
  std::function<void(const Json&)> walk = [&](const Json& j) {
    if (j.is_object()) {
      for (const auto& [k, v] : j.items()) {
        if (k == "$ref" && v.is_string()) refs.push_back(v);
        walk(v);
      }
    } else if (j.is_array()) {
      for (const auto& v : j) walk(v);
    }
  };
  walk(doc_);
  EXPECT_FALSE(refs.empty());
  for (const auto& ref : refs) {
    ASSERT_EQ(ref.rfind("#/", 0), 0u) << ref;
    EXPECT_TRUE(doc_.contains(Json::json_pointer(ref.substr(1)))) << "dangling " << ref;
  }
  for (const char* schema : {"Organisation", "InformationSystem", "Asset", "Contact",
                             "IrTeamMember", "Task", "User", "Problem"}) {
    EXPECT_TRUE(doc_["components"]["schemas"].contains(schema)) << schema;
  }
}

// The served document is the one in tests/server/openapi.golden.json (pretty-printed, keys
// sorted), so that every change to the API contract shows up in review as a diff of that file.
// UCSC_UPDATE_GOLDEN=1 rewrites the file instead of comparing.
TEST_P(ApiOpenApi, MatchesTheGoldenFile) {
  const std::filesystem::path golden =
      std::filesystem::path(UCSC_SOURCE_DIR) / "tests/server/openapi.golden.json";
  // Json (nlohmann::json) keeps object keys sorted, so the pretty dump is stable.
  const Json& served = doc_;
  const std::string text = served.dump(2) + "\n";
  const char* update = std::getenv("UCSC_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    std::ofstream(golden, std::ios::binary | std::ios::trunc) << text;
    std::cout << "rewrote " << golden.string() << "\n";
    return;
  }
  std::ifstream in(golden, std::ios::binary);
  ASSERT_TRUE(in) << "missing " << golden.string()
                  << "; create it with UCSC_UPDATE_GOLDEN=1 and review it";
  std::stringstream stored;
  stored << in.rdbuf();
  if (stored.str() == text) return;
  const Json expected = Json::parse(stored.str(), nullptr, false);
  std::string hint;
  if (expected.is_discarded()) {
    hint = "  (the golden file is not valid JSON)\n";
  } else {
    // A JSON Patch from the golden document to the served one: what changed, by pointer.
    const Json patch = Json::diff(expected, served);
    for (size_t op_idx = 0; op_idx < patch.size() && op_idx < 20; ++op_idx) {
      hint += "  " + patch[op_idx]["op"].get<std::string>() + " " +
              patch[op_idx]["path"].get<std::string>() + "\n";
    }
    if (patch.size() > 20) hint += "  … " + std::to_string(patch.size() - 20) + " more\n";
    if (patch.empty()) hint = "  (same JSON, different formatting)\n";
  }
  ADD_FAILURE() << "GET /api/v1/openapi.json differs from " << golden.string()
                << " (golden → served):\n"
                << hint << "If the change is intended, regenerate and review the diff:\n"
                << "  UCSC_UPDATE_GOLDEN=1 UCSC_SKIP_PG=1 build/tests/server/ucsc_server_test "
                   "--gtest_filter='*ApiOpenApi.MatchesTheGoldenFile*'\n"
                << "  git diff tests/server/openapi.golden.json";
}

// CRUD routes carry their request and response schemas: a create takes and answers the entity,
// a read answers it, an update takes and answers it; list and delete have no entity body.
TEST_P(ApiOpenApi, CrudRoutesCarryRequestAndResponseSchemas) {
  auto ref_of = [](const Json& content) {
    return content["application/json"]["schema"]["$ref"].get<std::string>();
  };
  for (const auto& [collection, schema] :
       std::vector<std::pair<std::string, std::string>>{{"organisations", "Organisation"},
                                                        {"systems", "InformationSystem"},
                                                        {"assets", "Asset"},
                                                        {"contacts", "Contact"},
                                                        {"ir-team", "IrTeamMember"},
                                                        {"tasks", "Task"}}) {
    SCOPED_TRACE(collection);
    const std::string want = "#/components/schemas/" + schema;
    const Json& list = doc_["paths"]["/api/v1/" + collection];
    const Json& item = doc_["paths"]["/api/v1/" + collection + "/{id}"];
    ASSERT_TRUE(list.is_object());
    ASSERT_TRUE(item.is_object());
    EXPECT_EQ(ref_of(list["post"]["requestBody"]["content"]), want);
    EXPECT_EQ(list["post"]["requestBody"]["required"], true);
    EXPECT_EQ(ref_of(list["post"]["responses"]["201"]["content"]), want);
    EXPECT_EQ(ref_of(item["get"]["responses"]["200"]["content"]), want);
    EXPECT_EQ(ref_of(item["patch"]["requestBody"]["content"]), want);
    EXPECT_EQ(ref_of(item["patch"]["responses"]["200"]["content"]), want);
    EXPECT_FALSE(list["get"].contains("requestBody"));
    EXPECT_FALSE(item["delete"].contains("requestBody"));
    EXPECT_TRUE(doc_["components"]["schemas"][schema]["properties"].is_object());
  }
  // And every route that names a schema has it in the document.
  for (const auto& r : h_.api().Routes()) {
    SCOPED_TRACE(r.method + " " + r.pattern);
    const Json& op = doc_["paths"][r.pattern][Lower(r.method)];
    if (!r.request_schema.empty()) {
      EXPECT_EQ(ref_of(op["requestBody"]["content"]), "#/components/schemas/" + r.request_schema);
    }
    if (!r.response_schema.empty()) {
      EXPECT_EQ(ref_of(op["responses"][r.method == "POST" ? "201" : "200"]["content"]),
                "#/components/schemas/" + r.response_schema);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, ApiOpenApi, ::testing::ValuesIn(Backends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace ucsc::server::testing
