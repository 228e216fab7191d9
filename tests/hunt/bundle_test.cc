// Signed rule bundles (issue 5 point 6): a bundle signed with the province's Ed25519 key installs;
// a bad signature, another key, a changed file or a path leaving the directory is refused and the
// installed rule set stays as it was.
#include "hunt/bundle.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace ucsc::hunt {
namespace {

namespace fs = std::filesystem;

const std::vector<BundleFile> kFiles = {
    {"windows/process_creation/proc_creation_test.yml",
     "title: Test rule\nlogsource: {category: process_creation, product: windows}\ndetection:\n"
     "  sel: {Image|endswith: '\\\\mimikatz.exe'}\n  condition: sel\nlevel: high\n"},
    {"linux/auditd/lnx_test.yaml", "title: Linux test\nlogsource: {product: linux}\n"},
};

std::string Read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class Bundles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("ucsc-bundle-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "rules");
    std::ofstream(dir_ / "rules" / "old.yml") << "title: the rule set in force\n";
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path Write(const std::string& name, const std::string& bytes) {
    std::ofstream(dir_ / name, std::ios::binary) << bytes;
    return dir_ / name;
  }
  // The rule set is still the old one.
  void ExpectOldRules() {
    EXPECT_TRUE(fs::exists(dir_ / "rules" / "old.yml"));
    EXPECT_FALSE(fs::exists(dir_ / "rules" / "windows"));
    EXPECT_FALSE(fs::exists(dir_ / "rules.new"));
  }
  fs::path dir_;
  BundleKeys keys_ = GenerateBundleKeys();
};

TEST_F(Bundles, ASignedBundleInstallsInPlaceOfTheOldRules) {
  auto bundle = CreateBundle(kFiles, keys_.secret_key, "2026-12-04T10:00:00Z");
  ASSERT_TRUE(bundle) << bundle.error().ToString();
  auto verified = VerifyBundle(*bundle, keys_.public_key);
  ASSERT_TRUE(verified) << verified.error().ToString();
  ASSERT_EQ(verified->size(), 2u);
  EXPECT_EQ((*verified)[0].bytes, kFiles[0].bytes);
  auto n = InstallBundle(Write("rules.bundle", *bundle).string(), keys_.public_key,
                         (dir_ / "rules").string());
  ASSERT_TRUE(n) << n.error().ToString();
  EXPECT_EQ(*n, 2u);
  EXPECT_EQ(Read(dir_ / "rules" / kFiles[0].path), kFiles[0].bytes);
  EXPECT_EQ(Read(dir_ / "rules" / kFiles[1].path), kFiles[1].bytes);
  EXPECT_FALSE(fs::exists(dir_ / "rules" / "old.yml"));
  EXPECT_FALSE(fs::exists(dir_ / "rules.old"));
}

TEST_F(Bundles, ABadSignatureOrAnotherKeyIsRefusedAndNothingChanges) {
  auto bundle = CreateBundle(kFiles, keys_.secret_key, "2026-12-04T10:00:00Z");
  ASSERT_TRUE(bundle);
  // Another key.
  const BundleKeys other = GenerateBundleKeys();
  auto r = InstallBundle(Write("a.bundle", *bundle).string(), other.public_key,
                         (dir_ / "rules").string());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::kPermissionDenied);
  ExpectOldRules();
  // A signature byte changed.
  std::string tampered = *bundle;
  const size_t sig = tampered.find('\n', tampered.find('\n') + 1) + 1;
  tampered[sig + 5] = tampered[sig + 5] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(VerifyBundle(tampered, keys_.public_key));
  // The manifest changed (a file's recorded size).
  tampered = *bundle;
  const size_t at = tampered.find("\"size\":");
  tampered[at + 7] = tampered[at + 7] == '1' ? '2' : '1';
  EXPECT_EQ(VerifyBundle(tampered, keys_.public_key).error().code,
            core::ErrorCode::kPermissionDenied);
  // A rule's bytes changed after signing.
  tampered = *bundle;
  tampered[tampered.size() - 3] ^= 1;
  auto changed = VerifyBundle(tampered, keys_.public_key);
  ASSERT_FALSE(changed);
  EXPECT_NE(changed.error().message.find("SHA-256"), std::string::npos);
  r = InstallBundle(Write("b.bundle", tampered).string(), keys_.public_key,
                    (dir_ / "rules").string());
  EXPECT_FALSE(r);
  ExpectOldRules();
  // Cut short, extra bytes, not a bundle, a bad key.
  EXPECT_FALSE(VerifyBundle(bundle->substr(0, bundle->size() - 10), keys_.public_key));
  EXPECT_FALSE(VerifyBundle(*bundle + "x", keys_.public_key));
  EXPECT_FALSE(VerifyBundle("title: x\n", keys_.public_key));
  EXPECT_FALSE(VerifyBundle(*bundle, "00"));
}

TEST_F(Bundles, PathsThatWouldLeaveTheDirectoryAreRefused) {
  for (const char* path :
       {"../evil.yml", "/etc/evil.yml", "a/../../evil.yml", "a/./b.yml", ".hidden.yml",
        "rules/evil.sh", "a\\b.yml", "c:evil.yml", "\xff\xff/b.yml"}) {
    SCOPED_TRACE(path);
    EXPECT_FALSE(CreateBundle({{path, "x"}}, keys_.secret_key, "now"));
  }
}

}  // namespace
}  // namespace ucsc::hunt
