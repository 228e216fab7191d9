#include "plan/internal/yaml_reader.h"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include "text/vietnamese.h"

namespace ucsc::plan::internal {

namespace {

bool Blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}

}  // namespace

core::Result<YAML::Node> YamlReader::Load(std::string_view text) const {
  try {
    YAML::Node root = YAML::Load(std::string(text));
    if (!root.IsMap()) {
      return core::InvalidArgument(path_ + ":1: the file must be a YAML mapping", "");
    }
    return root;
  } catch (const YAML::Exception& e) {
    return core::InvalidArgument(
        path_ + ":" + std::to_string(e.mark.line + 1) + ": YAML syntax: " + e.msg, "");
  }
}

tl::unexpected<core::Error> YamlReader::Err(const YAML::Node& n, const std::string& pointer,
                                            const std::string& reason) const {
  const int line = n.IsDefined() ? n.Mark().line + 1 : 0;
  return core::InvalidArgument(path_ + ":" + std::to_string(std::max(line, 1)) + ": " +
                                   (pointer.empty() ? "/" : pointer) + ": " + reason,
                               pointer);
}

core::Status YamlReader::Keys(const YAML::Node& map, const std::string& pointer,
                              std::initializer_list<std::string_view> allowed) const {
  if (!map.IsMap()) return Err(map, pointer, "must be a mapping");
  for (const auto& kv : map) {
    const auto key = kv.first.as<std::string>();
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      return Err(kv.first, pointer + "/" + key, "unknown field");
    }
  }
  return core::Ok();
}

core::Result<std::string> YamlReader::Str(const YAML::Node& map, const std::string& pointer,
                                          const char* key, bool required) const {
  const std::string field = pointer + "/" + key;
  const YAML::Node n = map[key];
  if (!n) {
    if (required) return Err(map, field, "missing");
    return std::string();
  }
  if (!n.IsScalar()) return Err(n, field, "must be text");
  auto s = n.as<std::string>();
  if (Blank(s)) return Err(n, field, "must not be blank");
  if (!text::IsValidUtf8(s)) return Err(n, field, "is not valid UTF-8");
  return text::NormalizeNfc(s);
}

core::Result<int> YamlReader::Int(const YAML::Node& map, const std::string& pointer,
                                  const char* key, int lo, int hi) const {
  const std::string field = pointer + "/" + key;
  const YAML::Node n = map[key];
  if (!n) return Err(map, field, "missing");
  if (!n.IsScalar()) return Err(n, field, "must be a whole number");
  const auto s = n.as<std::string>();
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) {
    return Err(n, field, "must be a whole number, not '" + s + "'");
  }
  if (v < lo || v > hi) {
    return Err(
        n, field,
        "must be between " + std::to_string(lo) + " and " + std::to_string(hi) + ", not " + s);
  }
  return v;
}

core::Result<bool> YamlReader::Bool(const YAML::Node& map, const std::string& pointer,
                                    const char* key) const {
  const std::string field = pointer + "/" + key;
  const YAML::Node n = map[key];
  if (!n) return Err(map, field, "missing");
  const auto s = n.IsScalar() ? n.as<std::string>() : std::string();
  if (s == "true") return true;
  if (s == "false") return false;
  return Err(n, field, "must be true or false");
}

core::Result<LocalizedText> YamlReader::Text(const YAML::Node& map, const std::string& pointer,
                                             const char* key) const {
  const std::string field = pointer + "/" + key;
  const YAML::Node n = map[key];
  if (!n) return Err(map, field, "missing (needs vi and en)");
  UCSC_RETURN_IF_ERROR(Keys(n, field, {"vi", "en"}));
  LocalizedText t;
  UCSC_ASSIGN_OR_RETURN(t.vi, Str(n, field, "vi", true));
  UCSC_ASSIGN_OR_RETURN(t.en, Str(n, field, "en", true));
  return t;
}

core::Result<std::vector<LocalizedText>> YamlReader::TextList(const YAML::Node& map,
                                                              const std::string& pointer,
                                                              const char* key) const {
  const std::string field = pointer + "/" + key;
  const YAML::Node n = map[key];
  if (!n) return Err(map, field, "missing");
  if (!n.IsSequence() || n.size() == 0) return Err(n, field, "must be a non-empty list");
  std::vector<LocalizedText> out;
  for (size_t i = 0; i < n.size(); ++i) {
    const std::string item = field + "/" + std::to_string(i);
    const YAML::Node e = n[i];
    UCSC_RETURN_IF_ERROR(Keys(e, item, {"vi", "en"}));
    LocalizedText t;
    UCSC_ASSIGN_OR_RETURN(t.vi, Str(e, item, "vi", true));
    UCSC_ASSIGN_OR_RETURN(t.en, Str(e, item, "en", true));
    out.push_back(std::move(t));
  }
  return out;
}

core::Status ForEachYamlFile(
    const std::string& dir,
    const std::function<core::Status(std::string_view, const std::string&)>& fn) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return core::NotFound("directory not found: " + dir);
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".yaml") {
      files.push_back(entry.path());
    }
  }
  if (ec) return core::NotFound("cannot list " + dir + ": " + ec.message());
  std::sort(files.begin(), files.end());
  if (files.empty()) return core::NotFound("no *.yaml file in " + dir);
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    if (!in) return core::NotFound("cannot read " + f.string());
    std::stringstream ss;
    ss << in.rdbuf();
    UCSC_RETURN_IF_ERROR(fn(ss.str(), f.string()));
  }
  return core::Ok();
}

}  // namespace ucsc::plan::internal
