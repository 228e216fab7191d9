// Replays every input kept in fuzz/corpus/mime (seeds and regression inputs of crashes found
// by fuzz/mime_fuzz.cc) through the fuzz target itself, oracle included: a failed check traps
// and fails this test.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "../../fuzz/mime_fuzz.cc"

namespace {

TEST(MimeFuzzCorpus, EveryInputPassesTheOracle) {
  const std::filesystem::path dir = std::filesystem::path(UCSC_SOURCE_DIR) / "fuzz/corpus/mime";
  int replayed = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (!entry.is_regular_file() || entry.path().filename() == ".gitkeep") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    const std::string input = bytes.str();
    SCOPED_TRACE(entry.path().string());
    EXPECT_EQ(LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(input.data()), input.size()),
              0);
    ++replayed;
  }
  EXPECT_GE(replayed, 5);
}

}  // namespace
