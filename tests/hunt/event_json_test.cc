// Event::ToJson / AppendJsonString: the detection writer must give what nlohmann::json gives
// (the writer it replaced on the hot path): escapes, invalid UTF-8, repeated names as arrays.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "hunt/event.h"
#include "test_util.h"

namespace ucsc::hunt {
namespace {

std::string Reference(std::string_view s) {
  return nlohmann::json(std::string(s))
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

TEST(EventJson, StringsAsNlohmannWritesThem) {
  const std::vector<std::string> cases = {
      "",
      "plain",
      "C:\\Windows\\System32\\cmd.exe",
      "quote \" and slash /",
      std::string("nul \0 inside", 12),
      "\b\f\n\r\t\x01\x1f\x7f",
      "Vi\xe1\xbb\x87t Nam \xf0\x9f\x94\x92",  // valid 3- and 4-byte sequences
      "bad \xff byte",
      "truncated \xe1\xbb",
      "overlong \xc0\xaf",
      "surrogate \xed\xa0\x80",
      "\xf4\x90\x80\x80 above U+10FFFF",
  };
  for (const auto& c : cases) {
    std::string got;
    AppendJsonString(c, &got);
    EXPECT_EQ(got, Reference(c)) << "input bytes: " << c.size();
  }
}

TEST(EventJson, RepeatedNamesBecomeArraysInFirstSeenOrder) {
  const Event e = testing::MakeEvent(
      {{"b", "1"}, {"a", "x"}, {"b", "2"}, {"c", "\xff"}, {"b", "3"}, {"B", "other case"}});
  EXPECT_EQ(e.ToJson(), R"({"b":["1","2","3"],"a":"x","c":"�","B":"other case"})");
  EXPECT_EQ(Event().ToJson(), "{}");
}

}  // namespace
}  // namespace ucsc::hunt
