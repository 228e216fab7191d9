// Vulnerability data from a configurable URL (issue 6 point 3: "imported from files or a
// configurable URL, for networks without Internet" — an internal mirror of the NVD feed and the
// KEV catalogue). A source is a local path or an http(s) URL; a URL is downloaded with libcurl
// (TLS verified, redirects followed within the same scheme, size and time limits) into a cache
// directory, through a temporary file and a rename, so a failed download never replaces a good
// copy.
//
// Thread-safety: LocalCopy may run concurrently for different URLs.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace ucsc::vuln {

struct FetchOptions {
  std::chrono::seconds timeout{600};
  uint64_t max_bytes = uint64_t{4} << 30;  // the full NVD feed is a few GiB uncompressed
};

// True for "http://…" and "https://…".
bool IsUrl(std::string_view source);

// The local file to read for `source`: the path itself, or the URL downloaded into `cache_dir`
// (named by the URL's SHA-256 and keeping its extension, so .zst is still recognised). Errors:
// kUnavailable with the HTTP status or transfer error; kResourceExhausted over max_bytes.
[[nodiscard]] core::Result<std::string> LocalCopy(const std::string& source,
                                                  const std::string& cache_dir,
                                                  const FetchOptions& options = {});

}  // namespace ucsc::vuln
