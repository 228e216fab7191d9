#include "report/internal/zip_writer.h"

#include <zip.h>

#include <set>

namespace ucsc::report::internal {
namespace {

// 2000-01-01 00:00:00 as a DOS date and time, set directly so that the process time zone (which
// zip_file_set_mtime would apply) cannot change the bytes.
constexpr zip_uint16_t kDosDate = ((2000 - 1980) << 9) | (1 << 5) | 1;
constexpr zip_uint16_t kDosTime = 0;

}  // namespace

core::Result<std::string> WriteZip(const std::vector<ZipPart>& parts) {
  std::set<std::string> names;
  for (const ZipPart& part : parts) {
    if (part.name.empty()) return core::InvalidArgument("zip entry with an empty name");
    if (!names.insert(part.name).second) {
      return core::InvalidArgument("duplicate zip entry " + part.name);
    }
  }

  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
  if (buffer == nullptr) {
    std::string message = zip_error_strerror(&error);
    zip_error_fini(&error);
    return core::Internal("zip: " + message);
  }
  zip_t* archive = zip_open_from_source(buffer, ZIP_TRUNCATE, &error);
  if (archive == nullptr) {
    std::string message = zip_error_strerror(&error);
    zip_error_fini(&error);
    zip_source_free(buffer);
    return core::Internal("zip: " + message);
  }
  zip_error_fini(&error);
  zip_source_keep(buffer);  // Read the archive back after zip_close.

  auto fail = [&](std::string message) -> core::Result<std::string> {
    zip_discard(archive);
    zip_source_free(buffer);
    return core::Internal("zip: " + message);
  };
  for (const ZipPart& part : parts) {
    zip_source_t* data = zip_source_buffer(archive, part.data.data(), part.data.size(), 0);
    if (data == nullptr) return fail(zip_strerror(archive));
    const zip_int64_t index = zip_file_add(archive, part.name.c_str(), data, ZIP_FL_ENC_UTF_8);
    if (index < 0) {
      zip_source_free(data);
      return fail(zip_strerror(archive));
    }
    const auto uindex = static_cast<zip_uint64_t>(index);
    if (zip_set_file_compression(archive, uindex, ZIP_CM_DEFLATE, 9) != 0 ||
        zip_file_set_dostime(archive, uindex, kDosTime, kDosDate, 0) != 0) {
      return fail(zip_strerror(archive));
    }
  }
  if (zip_close(archive) != 0) return fail(zip_strerror(archive));

  std::string out;
  if (zip_source_open(buffer) != 0) {
    zip_source_free(buffer);
    return core::Internal("zip: cannot reopen the archive buffer");
  }
  char chunk[16384];
  for (;;) {
    const zip_int64_t got = zip_source_read(buffer, chunk, sizeof chunk);
    if (got < 0) {
      zip_source_close(buffer);
      zip_source_free(buffer);
      return core::Internal("zip: cannot read the archive buffer");
    }
    if (got == 0) break;
    out.append(chunk, static_cast<size_t>(got));
  }
  zip_source_close(buffer);
  zip_source_free(buffer);
  return out;
}

}  // namespace ucsc::report::internal
