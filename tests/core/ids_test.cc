#include "core/ids.h"

#include <gtest/gtest.h>

namespace ucsc::core {
namespace {

TEST(Uuid, V7LayoutFromRfc9562Example) {
  // RFC 9562 Appendix A.6: 2022-02-22 19:22:22 UTC = 0x017F22E279B0 ms.
  std::array<uint8_t, 10> rnd = {0x0C, 0xC3, 0x18, 0xC4, 0xDC, 0x0C, 0x0C, 0x07, 0x39, 0x8F};
  EXPECT_EQ(FormatUuidV7(0x017F22E279B0, rnd), "017f22e2-79b0-7cc3-98c4-dc0c0c07398f");
}

TEST(Uuid, GeneratorIsTimeOrderedAndValid) {
  FakeClock clock(FromUnixMillis(1'700'000'000'000));
  uint8_t counter = 0;
  IdGenerator gen(clock, [&](std::span<uint8_t> out) {
    for (auto& b : out) b = counter++;
  });
  std::string a = gen.Next();
  clock.Advance(std::chrono::milliseconds(1));
  std::string b = gen.Next();
  EXPECT_TRUE(IsUuid(a));
  EXPECT_TRUE(IsUuid(b));
  EXPECT_LT(a, b);
  EXPECT_EQ(a[14], '7');
}

TEST(Uuid, RejectsNonCanonical) {
  EXPECT_FALSE(IsUuid("017F22E2-79B0-7CC3-98C4-DC0C0C07398F"));
  EXPECT_FALSE(IsUuid("1"));
  EXPECT_FALSE(IsUuid("' OR 1=1 --"));
  EXPECT_FALSE(IsUuid("017f22e2x79b0-7cc3-98c4-dc0c0c07398f"));
}

}  // namespace
}  // namespace ucsc::core
