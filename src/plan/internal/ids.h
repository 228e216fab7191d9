// Identifier checks shared by the plan component's loaders. Private to src/plan.
#pragma once

#include <string_view>

namespace ucsc::plan::internal {

// True for a non-empty [a-z0-9_]+ of at most 64 bytes.
inline bool IsSlug(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

}  // namespace ucsc::plan::internal
