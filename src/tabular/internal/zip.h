// In-memory zip archives over libzip: a reader with a byte budget for untrusted input and a
// writer for generated workbooks. Nothing touches the file system.
// Thread-safety: a ZipReader is not thread-safe; distinct instances may be used concurrently.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

struct zip;

namespace ucsc::tabular::internal {

// Reads entries of a zip archive held in memory.
class ZipReader {
 public:
  // Opens the archive in `bytes`. Returns kInvalidArgument when `bytes` is not a readable zip.
  // REQUIRES: `bytes` outlives the returned reader (the archive is not copied).
  [[nodiscard]] static core::Result<ZipReader> Open(std::string_view bytes);

  ZipReader(ZipReader&&) noexcept = default;
  ZipReader& operator=(ZipReader&&) noexcept = default;
  ~ZipReader();

  // True when the archive has an entry named `name` (ASCII case-insensitive, as OPC part names).
  bool Contains(std::string_view name) const;

  // Returns the uncompressed content of entry `name`, or kNotFound when there is none,
  // kResourceExhausted when it is larger than `max_bytes` (checked while inflating, so a lying
  // header cannot cause a larger allocation), kInvalidArgument when it is corrupt or encrypted.
  [[nodiscard]] core::Result<std::string> Read(std::string_view name, size_t max_bytes) const;

 private:
  struct Closer {
    void operator()(zip* archive) const;
  };
  explicit ZipReader(std::unique_ptr<zip, Closer> archive) : archive_(std::move(archive)) {}

  std::unique_ptr<zip, Closer> archive_;
};

struct ZipEntry {
  std::string name;
  std::string data;
};

// Returns a deflate-compressed zip archive holding `entries` in order, with a fixed modification
// time so equal input gives equal bytes. kInternal if libzip fails; kInvalidArgument for an empty
// or duplicate entry name.
[[nodiscard]] core::Result<std::string> WriteZip(const std::vector<ZipEntry>& entries);

}  // namespace ucsc::tabular::internal
