#include "plan/diff.h"

#include <algorithm>
#include <cstdint>

namespace ucsc::plan {

namespace {

std::vector<std::string_view> SplitLines(std::string_view s) {
  std::vector<std::string_view> out;
  if (s.empty()) return out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find('\n', start);
    if (end == std::string_view::npos) end = s.size();
    std::string_view line = s.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    out.push_back(line);
    if (end == s.size()) break;
    start = end + 1;
    if (start == s.size()) break;  // a final '\n' ends the last line
  }
  return out;
}

bool Blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}

constexpr size_t kMaxLcsLines = 5'000;

}  // namespace

std::vector<DiffLine> DiffLines(std::string_view before, std::string_view after) {
  const auto a = SplitLines(before);
  const auto b = SplitLines(after);
  std::vector<DiffLine> out;
  size_t prefix = 0;
  while (prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) ++prefix;
  size_t suffix = 0;
  while (suffix < a.size() - prefix && suffix < b.size() - prefix &&
         a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix]) {
    ++suffix;
  }
  for (size_t i = 0; i < prefix; ++i) out.push_back({LineOp::kSame, std::string(a[i])});
  const size_t n = a.size() - prefix - suffix;
  const size_t m = b.size() - prefix - suffix;
  if (n > kMaxLcsLines && m > kMaxLcsLines) {
    for (size_t i = 0; i < n; ++i) out.push_back({LineOp::kRemoved, std::string(a[prefix + i])});
    for (size_t j = 0; j < m; ++j) out.push_back({LineOp::kAdded, std::string(b[prefix + j])});
  } else {
    // lcs[i][j] = LCS length of a[prefix+i..] and b[prefix+j..].
    std::vector<uint32_t> lcs((n + 1) * (m + 1), 0);
    auto at = [&](size_t i, size_t j) -> uint32_t& { return lcs[i * (m + 1) + j]; };
    for (size_t i = n; i-- > 0;) {
      for (size_t j = m; j-- > 0;) {
        at(i, j) = a[prefix + i] == b[prefix + j] ? at(i + 1, j + 1) + 1
                                                  : std::max(at(i + 1, j), at(i, j + 1));
      }
    }
    size_t i = 0;
    size_t j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a[prefix + i] == b[prefix + j]) {
        out.push_back({LineOp::kSame, std::string(a[prefix + i])});
        ++i;
        ++j;
      } else if (i < n && (j == m || at(i + 1, j) >= at(i, j + 1))) {
        out.push_back({LineOp::kRemoved, std::string(a[prefix + i])});
        ++i;
      } else {
        out.push_back({LineOp::kAdded, std::string(b[prefix + j])});
        ++j;
      }
    }
  }
  for (size_t k = a.size() - suffix; k < a.size(); ++k) {
    out.push_back({LineOp::kSame, std::string(a[k])});
  }
  return out;
}

std::string_view ChangeName(Change c) {
  switch (c) {
    case Change::kAdded:
      return "added";
    case Change::kRemoved:
      return "removed";
    case Change::kChanged:
      return "changed";
  }
  return "changed";
}

PlanDiff DiffPlans(const IrPlan& from, const IrPlan& to) {
  PlanDiff d;
  d.from_version = from.version;
  d.to_version = to.version;
  auto text_of = [](const IrPlan& p, std::string_view id) -> std::string_view {
    const PlanSection* s = p.Section(id);
    return (s == nullptr || Blank(s->text)) ? std::string_view() : std::string_view(s->text);
  };
  for (const auto& s : to.sections) {
    const auto before = text_of(from, s.id);
    const auto after = text_of(to, s.id);
    if (before == after) continue;
    if (after.empty()) {
      d.sections.push_back({s.id, Change::kRemoved, DiffLines(before, "")});
    } else if (before.empty()) {
      d.sections.push_back({s.id, Change::kAdded, DiffLines("", after)});
    } else {
      d.sections.push_back({s.id, Change::kChanged, DiffLines(before, after)});
    }
  }
  for (const auto& s : from.sections) {
    if (to.Section(s.id) != nullptr) continue;
    const auto before = text_of(from, s.id);
    if (!before.empty()) d.sections.push_back({s.id, Change::kRemoved, DiffLines(before, "")});
  }
  auto find = [](const IrPlan& p, const std::string& id) -> const PlanScenario* {
    for (const auto& s : p.scenarios) {
      if (s.scenario_id == id) return &s;
    }
    return nullptr;
  };
  for (const auto& s : to.scenarios) {
    const PlanScenario* old = find(from, s.scenario_id);
    if (old == nullptr) {
      d.scenarios.push_back({s.scenario_id, Change::kAdded, DiffLines("", s.text)});
    } else if (!(*old == s)) {
      d.scenarios.push_back({s.scenario_id, Change::kChanged, DiffLines(old->text, s.text)});
    }
  }
  for (const auto& s : from.scenarios) {
    if (find(to, s.scenario_id) == nullptr) {
      d.scenarios.push_back({s.scenario_id, Change::kRemoved, DiffLines(s.text, "")});
    }
  }
  return d;
}

}  // namespace ucsc::plan
