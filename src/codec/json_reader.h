// Strict JSON object reading for API bodies and stored documents: every unknown key and every
// wrong type is an error naming the field by its JSON pointer (RFC 6901).
// Thread-safety: an ObjectReader is used by one thread.
//
// Example:
//   ObjectReader r(body, "");
//   UCSC_RETURN_IF_ERROR(r.String("name", org.name, Need::kRequired));
//   UCSC_RETURN_IF_ERROR(r.Finish());  // fails on a key nobody read
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"

namespace ucsc::codec {

using Json = nlohmann::json;

enum class Need { kOptional, kRequired };

// Escapes a key for use inside a JSON pointer ("~" → "~0", "/" → "~1").
std::string PointerEscape(std::string_view key);

// Parses `text` as JSON with limits: at most `max_depth` levels of nesting. Returns
// kInvalidArgument naming the byte offset when malformed or too deep.
core::Result<Json> ParseJson(std::string_view text, int max_depth = 32);

class ObjectReader {
 public:
  // REQUIRES: `object` outlives the reader. `pointer` is the pointer of `object` itself ("" at
  // the root). Fails later (on first use) if `object` is not an object.
  ObjectReader(const Json& object, std::string pointer);

  [[nodiscard]] core::Status String(std::string_view key, std::string& out, Need need,
                                    size_t max_len = 4096);
  [[nodiscard]] core::Status Bool(std::string_view key, bool& out, Need need);
  [[nodiscard]] core::Status Int(std::string_view key, int64_t& out, Need need);
  [[nodiscard]] core::Status Int(std::string_view key, int& out, Need need);
  [[nodiscard]] core::Status StringList(std::string_view key, std::vector<std::string>& out,
                                        Need need, size_t max_items = 1000);
  [[nodiscard]] core::Status Time(std::string_view key, core::Instant& out, Need need);
  // Calls `fn(element, pointer)` for the value at `key` if present.
  [[nodiscard]] core::Status Value(
      std::string_view key, Need need,
      const std::function<core::Status(const Json&, const std::string&)>& fn);
  // Marks a key as known without reading it (read-only fields of stored documents).
  void Ignore(std::string_view key);
  // Fails with "unknown field" on the first key that no call above named.
  [[nodiscard]] core::Status Finish() const;

  std::string PointerOf(std::string_view key) const;

 private:
  [[nodiscard]] core::Status CheckObject() const;
  const Json* Find(std::string_view key);

  const Json& object_;
  std::string pointer_;
  std::set<std::string, std::less<>> seen_;
};

}  // namespace ucsc::codec
