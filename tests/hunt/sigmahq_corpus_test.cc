// Loads the 3,141 SigmaHQ rules of ../shared/data/sigma/rules: at least 99% must load and every
// rejection must carry a file, a line and a reason.
#include <gtest/gtest.h>

#include <filesystem>
#include <iostream>

#include "hunt/sigma/sigma_rule.h"
#include "shared_data.h"

namespace ucsc::hunt {
namespace {

TEST(SigmaHqCorpus, AtLeast99PercentLoadAndEveryRejectionHasAReason) {
  const std::string dir = std::string(UCSC_SHARED_DIR) + "/data/sigma/rules";
  if (auto why = ucsc::testing::MissingSharedData({dir}); !why.empty()) GTEST_SKIP() << why;
  const ParseOutcome out = LoadRulePaths({dir});
  const std::size_t total = out.rules.size() + out.errors.size();
  for (const auto& e : out.errors) {
    std::cout << "rejected " << e.ToString() << "\n";
    EXPECT_FALSE(e.file.empty());
    EXPECT_FALSE(e.reason.empty());
  }
  std::cout << out.rules.size() << " of " << total << " rules loaded\n";
  EXPECT_GE(total, 3141u);
  EXPECT_GE(out.rules.size() * 100, total * 99);
}

}  // namespace
}  // namespace ucsc::hunt
