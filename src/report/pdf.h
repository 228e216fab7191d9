// PDF from DOCX through LibreOffice headless (`soffice --headless --convert-to pdf`).
//
// Each call runs one soffice process in a fresh temporary directory with its own user profile
// (-env:UserInstallation), so concurrent calls and a desktop LibreOffice of the same user do not
// share state; the directory is removed afterwards. The process gets its own process group and
// is killed (SIGKILL to the group) when the timeout passes.
//
// LibreOffice is optional at run time: without it, DOCX and XLSX still work and ConvertDocxToPdf
// returns kFailedPrecondition with a message that says what to install.
//
// Thread-safety: ConvertDocxToPdf may be called from several threads at once (each call has its
// own directory and profile). It blocks the calling thread for the length of the conversion.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "core/result.h"

namespace ucsc::report {

struct PdfOptions {
  // The soffice binary; empty = search PATH for "soffice", then "libreoffice".
  std::string soffice_path;
  // Where the temporary directory is made; empty = $TMPDIR, else /tmp.
  std::string temp_root;
  // The conversion is killed after this long (a cold start of LibreOffice takes a few seconds).
  std::chrono::milliseconds timeout{120'000};
};

// Returns the path of the soffice binary that ConvertDocxToPdf would run, or kFailedPrecondition
// when none is found.
[[nodiscard]] core::Result<std::string> FindSoffice(const PdfOptions& options = {});

// Returns the bytes of a PDF rendering of the DOCX in `docx`. Errors:
//   kFailedPrecondition - LibreOffice is not installed (no soffice on PATH or at soffice_path);
//   kDeadlineExceeded   - the conversion ran longer than options.timeout (the process is killed);
//   kInternal           - the temporary directory could not be made or written, soffice failed
//                         or produced no PDF (the message carries the end of its output).
[[nodiscard]] core::Result<std::string> ConvertDocxToPdf(std::string_view docx,
                                                         const PdfOptions& options = {});

}  // namespace ucsc::report
