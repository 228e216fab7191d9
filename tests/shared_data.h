// Tests that read ../shared/data (UCSC_SHARED_DIR): on a developer's machine without it they
// skip; under CI=true they fail, because CI has the data and a missing file there is a broken
// setup, not a reason to skip (STYLE.md "Tests").
// Thread-safety: call from the test's own thread (it records gtest failures).
//
// Example:
//   if (auto why = ucsc::testing::MissingSharedData({kSubset}); !why.empty()) GTEST_SKIP() << why;
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <initializer_list>
#include <string>
#include <string_view>

namespace ucsc::testing {

// True when the environment variable CI is exactly "true".
inline bool InCi() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && std::string_view(ci) == "true";
}

// Returns "" when every path exists. Otherwise returns a message naming the first missing path;
// under CI=true it also records a non-fatal failure with that message, so that the GTEST_SKIP
// the caller then returns with reports the test as failed, not skipped.
[[nodiscard]] inline std::string MissingSharedData(
    std::initializer_list<std::filesystem::path> paths) {
  for (const std::filesystem::path& path : paths) {
    if (std::filesystem::exists(path)) continue;
    std::string why = "shared data missing: " + path.string();
    if (InCi()) {
      ADD_FAILURE() << why << " (CI=true: a test that needs ../shared/data fails instead of "
                    << "skipping; provide ../shared/data or unset CI)";
    }
    return why;
  }
  return "";
}

}  // namespace ucsc::testing
