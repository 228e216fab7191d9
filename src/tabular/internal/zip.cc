#include "tabular/internal/zip.h"

#include <zip.h>

#include <algorithm>
#include <ctime>
#include <utility>
#include <vector>

namespace ucsc::tabular::internal {
namespace {

// 2000-01-01T00:00:00Z: a fixed entry time keeps WriteZip deterministic.
constexpr time_t kFixedMtime = 946684800;

std::string ErrorText(zip_error_t* error) { return zip_error_strerror(error); }

}  // namespace

void ZipReader::Closer::operator()(zip* archive) const { zip_discard(archive); }

ZipReader::~ZipReader() = default;

core::Result<ZipReader> ZipReader::Open(std::string_view bytes) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  if (source == nullptr) {
    std::string message = "cannot read the zip archive: " + ErrorText(&error);
    zip_error_fini(&error);
    return core::InvalidArgument(std::move(message));
  }
  zip_t* archive = zip_open_from_source(source, ZIP_RDONLY, &error);
  if (archive == nullptr) {
    std::string message = "not a valid zip archive: " + ErrorText(&error);
    zip_error_fini(&error);
    zip_source_free(source);
    return core::InvalidArgument(std::move(message));
  }
  zip_error_fini(&error);
  return ZipReader(std::unique_ptr<zip, Closer>(archive));
}

bool ZipReader::Contains(std::string_view name) const {
  return zip_name_locate(archive_.get(), std::string(name).c_str(), ZIP_FL_NOCASE) >= 0;
}

core::Result<std::string> ZipReader::Read(std::string_view name, size_t max_bytes) const {
  const std::string name_str(name);
  const zip_int64_t index = zip_name_locate(archive_.get(), name_str.c_str(), ZIP_FL_NOCASE);
  if (index < 0) return core::NotFound("zip entry " + name_str + " is missing");
  const auto too_large = [&] {
    return core::MakeError(core::ErrorCode::kResourceExhausted,
                           "zip entry " + name_str + " inflates to more than " +
                               std::to_string(max_bytes) + " bytes (zip bomb guard)");
  };
  zip_stat_t stat;
  zip_stat_init(&stat);
  const auto uindex = static_cast<zip_uint64_t>(index);
  if (zip_stat_index(archive_.get(), uindex, 0, &stat) == 0 && (stat.valid & ZIP_STAT_SIZE) &&
      stat.size > max_bytes) {
    return too_large();
  }
  zip_file_t* file = zip_fopen_index(archive_.get(), uindex, 0);
  if (file == nullptr) {
    return core::InvalidArgument("cannot open zip entry " + name_str + ": " +
                                 zip_strerror(archive_.get()));
  }
  std::string out;
  if ((stat.valid & ZIP_STAT_SIZE) != 0 && (stat.valid & ZIP_STAT_COMP_SIZE) != 0) {
    // Deflate expands at most ~1032:1, so a lying size cannot make this reserve large.
    out.reserve(
        static_cast<size_t>(std::min<zip_uint64_t>(stat.size, stat.comp_size * 1032 + 1024)));
  }
  std::vector<char> chunk(size_t{64} * 1024);
  while (true) {
    const zip_int64_t got = zip_fread(file, chunk.data(), chunk.size());
    if (got < 0) {
      std::string message = "corrupt zip entry " + name_str + ": " + zip_file_strerror(file);
      zip_fclose(file);
      return core::InvalidArgument(std::move(message));
    }
    if (got == 0) break;
    if (static_cast<size_t>(got) > max_bytes - out.size()) {
      zip_fclose(file);
      return too_large();
    }
    out.append(chunk.data(), static_cast<size_t>(got));
  }
  if (zip_fclose(file) != 0) {
    return core::InvalidArgument("corrupt zip entry " + name_str);
  }
  return out;
}

core::Result<std::string> WriteZip(const std::vector<ZipEntry>& entries) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* out = zip_source_buffer_create(nullptr, 0, 0, &error);
  if (out == nullptr) {
    std::string message = "cannot create a zip buffer: " + ErrorText(&error);
    zip_error_fini(&error);
    return core::Internal(std::move(message));
  }
  zip_t* archive = zip_open_from_source(out, ZIP_TRUNCATE, &error);
  if (archive == nullptr) {
    std::string message = "cannot create a zip archive: " + ErrorText(&error);
    zip_error_fini(&error);
    zip_source_free(out);
    return core::Internal(std::move(message));
  }
  zip_error_fini(&error);
  zip_source_keep(out);  // Keep the buffer alive after zip_close to read the archive back.

  const auto fail = [&](core::ErrorCode code, std::string message) {
    zip_discard(archive);
    zip_source_free(out);
    return core::MakeError(code, std::move(message));
  };
  for (const ZipEntry& entry : entries) {
    if (entry.name.empty()) return fail(core::ErrorCode::kInvalidArgument, "empty entry name");
    zip_source_t* data = zip_source_buffer(archive, entry.data.data(), entry.data.size(), 0);
    if (data == nullptr) return fail(core::ErrorCode::kInternal, zip_strerror(archive));
    const zip_int64_t index = zip_file_add(archive, entry.name.c_str(), data, ZIP_FL_ENC_UTF_8);
    if (index < 0) {
      zip_source_free(data);
      const bool exists = zip_error_code_zip(zip_get_error(archive)) == ZIP_ER_EXISTS;
      return fail(exists ? core::ErrorCode::kInvalidArgument : core::ErrorCode::kInternal,
                  "cannot add zip entry " + entry.name + ": " + zip_strerror(archive));
    }
    const auto uindex = static_cast<zip_uint64_t>(index);
    if (zip_set_file_compression(archive, uindex, ZIP_CM_DEFLATE, 0) != 0 ||
        zip_file_set_mtime(archive, uindex, kFixedMtime, 0) != 0) {
      return fail(core::ErrorCode::kInternal, zip_strerror(archive));
    }
  }
  if (zip_close(archive) != 0) {
    std::string message = std::string("cannot finish the zip archive: ") + zip_strerror(archive);
    return fail(core::ErrorCode::kInternal, std::move(message));
  }

  std::string bytes;
  zip_stat_t stat;
  zip_stat_init(&stat);
  if (zip_source_stat(out, &stat) != 0 || zip_source_open(out) != 0) {
    zip_source_free(out);
    return core::Internal("cannot read back the zip archive");
  }
  bytes.resize(static_cast<size_t>(stat.size));
  const zip_int64_t got = zip_source_read(out, bytes.data(), bytes.size());
  zip_source_close(out);
  zip_source_free(out);
  if (got < 0 || static_cast<size_t>(got) != bytes.size()) {
    return core::Internal("cannot read back the zip archive");
  }
  return bytes;
}

}  // namespace ucsc::tabular::internal
