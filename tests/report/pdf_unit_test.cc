// ConvertDocxToPdf's process handling, with stand-in soffice scripts (no LibreOffice needed):
// not installed, timeout, failure, no output, and the arguments and profile it passes.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "report/pdf.h"

namespace ucsc::report {
namespace {

namespace fs = std::filesystem;

class PdfProcess : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "ucsc-pdf-test-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    fs::create_directory(dir_ / "tmp");
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  // Writes an executable shell script and returns options that run it as soffice.
  PdfOptions Fake(const std::string& body) {
    const fs::path script = dir_ / "soffice";
    std::ofstream(script) << "#!/bin/sh\n" << body << "\n";
    ::chmod(script.c_str(), 0700);
    PdfOptions options;
    options.soffice_path = script.string();
    options.temp_root = (dir_ / "tmp").string();
    options.timeout = std::chrono::milliseconds(10'000);
    return options;
  }
  bool TempRootEmpty() const { return fs::is_empty(dir_ / "tmp"); }

  fs::path dir_;
};

TEST_F(PdfProcess, NotInstalledIsAClearError) {
  PdfOptions options;
  options.soffice_path = (dir_ / "no-such-soffice").string();
  auto pdf = ConvertDocxToPdf("PK", options);
  ASSERT_FALSE(pdf);
  EXPECT_EQ(pdf.error().code, core::ErrorCode::kFailedPrecondition);
  EXPECT_NE(pdf.error().message.find("LibreOffice"), std::string::npos);
  EXPECT_NE(pdf.error().message.find("libreoffice-writer-nogui"), std::string::npos);
}

TEST_F(PdfProcess, NotOnPath) {
  const char* old_path = std::getenv("PATH");
  const std::string saved = old_path != nullptr ? old_path : "";
  ::setenv("PATH", dir_.c_str(), 1);  // an empty directory
  auto found = FindSoffice();
  ::setenv("PATH", saved.c_str(), 1);
  ASSERT_FALSE(found);
  EXPECT_EQ(found.error().code, core::ErrorCode::kFailedPrecondition);
}

TEST_F(PdfProcess, TimeoutKillsTheProcessAndCleansUp) {
  PdfOptions options = Fake("exec tail -f /dev/null");
  options.timeout = std::chrono::milliseconds(300);
  auto pdf = ConvertDocxToPdf("PK", options);
  ASSERT_FALSE(pdf);
  EXPECT_EQ(pdf.error().code, core::ErrorCode::kDeadlineExceeded);
  EXPECT_TRUE(TempRootEmpty());
}

TEST_F(PdfProcess, FailureCarriesTheOutput) {
  auto pdf =
      ConvertDocxToPdf("PK", Fake("echo 'Error: source file could not be loaded' >&2\nexit 3"));
  ASSERT_FALSE(pdf);
  EXPECT_EQ(pdf.error().code, core::ErrorCode::kInternal);
  EXPECT_NE(pdf.error().message.find("exit status 3"), std::string::npos);
  EXPECT_NE(pdf.error().message.find("could not be loaded"), std::string::npos);
  EXPECT_TRUE(TempRootEmpty());
}

TEST_F(PdfProcess, NoPdfProduced) {
  auto pdf = ConvertDocxToPdf("PK", Fake("exit 0"));
  ASSERT_FALSE(pdf);
  EXPECT_EQ(pdf.error().code, core::ErrorCode::kInternal);
  EXPECT_NE(pdf.error().message.find("no PDF"), std::string::npos);
}

TEST_F(PdfProcess, ArgumentsProfileAndOutput) {
  // The stand-in copies its input and records its arguments and HOME into the "PDF".
  auto pdf = ConvertDocxToPdf("PK-docx-bytes", Fake(R"(outdir=""; prev=""
for a in "$@"; do [ "$prev" = "--outdir" ] && outdir="$a"; prev="$a"; last="$a"; done
{ printf '%%PDF-1.7\n'; cat "$last"; printf '\n'; printf '%s\n' "$@"; printf 'HOME=%s\n' "$HOME"; } > "$outdir/document.pdf")"));
  ASSERT_TRUE(pdf) << pdf.error().ToString();
  EXPECT_EQ(pdf->rfind("%PDF-1.7\nPK-docx-bytes\n", 0), 0u);
  EXPECT_NE(pdf->find("--headless\n"), std::string::npos);
  EXPECT_NE(pdf->find("--convert-to\npdf:writer_pdf_Export\n"), std::string::npos);
  const std::string root = (dir_ / "tmp").string();
  EXPECT_NE(pdf->find("-env:UserInstallation=file://" + root + "/ucsc-pdf-"), std::string::npos);
  EXPECT_NE(pdf->find("HOME=" + root + "/ucsc-pdf-"), std::string::npos);
  EXPECT_TRUE(TempRootEmpty());
}

}  // namespace
}  // namespace ucsc::report
