// A deterministic in-memory zip writer over libzip for the OPC packages (DOCX) that report/
// produces. Nothing touches the file system.
// Thread-safety: pure function; safe to call from any thread.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"

namespace ucsc::report::internal {

struct ZipPart {
  std::string name;  // "word/document.xml"
  std::string data;
};

// Returns a deflate-compressed zip archive holding `parts` in order. Every entry gets the same
// fixed DOS modification time (2000-01-01 00:00, independent of the time zone), so equal input
// gives equal bytes. Returns kInvalidArgument for an empty or duplicate name, kInternal when libzip
// fails.
[[nodiscard]] core::Result<std::string> WriteZip(const std::vector<ZipPart>& parts);

}  // namespace ucsc::report::internal
