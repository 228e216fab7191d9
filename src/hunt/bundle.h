// Signed Sigma rule bundles (issue 5 point 6): rule sets carried to networks without Internet as
// one file, signed with Ed25519 (libsodium); a bundle whose signature or any file digest does not
// check is refused and nothing is installed.
//
// Format (version 1), all text up to the file contents:
//   "UCSC-SIGMA-BUNDLE 1\n"
//   <manifest: one line of JSON> "\n"   {"created": "...", "files": [{"path", "size", "sha256"}]}
//   <Ed25519 signature of the manifest line's bytes, base64> "\n"
//   the files' bytes, concatenated in manifest order.
// Paths are relative, '/'-separated, without "." or ".." segments, ending in .yml or .yaml.
//
// Thread-safety: free functions; InstallBundle must not run twice at once on one directory.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace ucsc::hunt {

struct BundleKeys {
  std::string public_key;  // 32 bytes, hex
  std::string secret_key;  // 64 bytes, hex
};
[[nodiscard]] BundleKeys GenerateBundleKeys();

struct BundleFile {
  std::string path;
  std::string bytes;
};

// Signs `files` with `secret_key_hex`. Errors: kInvalidArgument for a bad key or path.
[[nodiscard]] core::Result<std::string> CreateBundle(const std::vector<BundleFile>& files,
                                                     const std::string& secret_key_hex,
                                                     const std::string& created);

// Checks the signature with `public_key_hex`, then every file's size and SHA-256. Errors:
// kPermissionDenied for a bad signature; kInvalidArgument for a malformed bundle, a bad path or a
// digest mismatch (each names what).
[[nodiscard]] core::Result<std::vector<BundleFile>> VerifyBundle(std::string_view bundle,
                                                                 const std::string& public_key_hex);

// Verifies `bundle_path` and replaces `target_dir` with its files: written beside it first, then
// swapped in by renames, so a failure leaves the previous rule set in place. Returns the number of
// files installed.
[[nodiscard]] core::Result<size_t> InstallBundle(const std::string& bundle_path,
                                                 const std::string& public_key_hex,
                                                 const std::string& target_dir);

}  // namespace ucsc::hunt
