// Strict reading of the plan component's YAML data files (outlines, scenarios): every error is
// kInvalidArgument "file:line: field: reason" with `field` set to the JSON pointer of the field
// ("/sections/3/title/en"). Private to src/plan. Thread-safety: one reader per thread.
#pragma once

#include <yaml-cpp/yaml.h>

#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "plan/outline.h"

namespace ucsc::plan::internal {

class YamlReader {
 public:
  explicit YamlReader(std::string_view path) : path_(path) {}

  // Parses `text`; errors name the file and line of the syntax error.
  [[nodiscard]] core::Result<YAML::Node> Load(std::string_view text) const;

  // An error at node `n` about the field `pointer`.
  tl::unexpected<core::Error> Err(const YAML::Node& n, const std::string& pointer,
                                  const std::string& reason) const;

  // Fails on a key of `map` not in `allowed`; fails when `map` is not a mapping.
  [[nodiscard]] core::Status Keys(const YAML::Node& map, const std::string& pointer,
                                  std::initializer_list<std::string_view> allowed) const;
  // A scalar text; empty when absent and optional. A present but blank text is an error.
  [[nodiscard]] core::Result<std::string> Str(const YAML::Node& map, const std::string& pointer,
                                              const char* key, bool required) const;
  [[nodiscard]] core::Result<int> Int(const YAML::Node& map, const std::string& pointer,
                                      const char* key, int lo, int hi) const;
  [[nodiscard]] core::Result<bool> Bool(const YAML::Node& map, const std::string& pointer,
                                        const char* key) const;
  // {vi: …, en: …}, both required, valid UTF-8, not blank; stored in NFC.
  [[nodiscard]] core::Result<LocalizedText> Text(const YAML::Node& map, const std::string& pointer,
                                                 const char* key) const;
  // A non-empty list of {vi, en} texts.
  [[nodiscard]] core::Result<std::vector<LocalizedText>> TextList(const YAML::Node& map,
                                                                  const std::string& pointer,
                                                                  const char* key) const;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Reads every regular file ending in ".yaml" under `dir` (sorted by name) and calls
// `fn(text, path)` on each. Errors: kNotFound when `dir` is missing or holds no such file; the
// first error of `fn`.
[[nodiscard]] core::Status ForEachYamlFile(
    const std::string& dir,
    const std::function<core::Status(std::string_view, const std::string&)>& fn);

}  // namespace ucsc::plan::internal
