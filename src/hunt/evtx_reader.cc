// OpenEvtxReader (record_reader.h): EVTX through libevtx.
#include <libbfio.h>
#include <libevtx.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <vector>

#include "hunt/record_reader.h"

namespace ucsc::hunt {
namespace {

// The innermost (root-cause) message of libevtx's error backtrace, and frees the error.
std::string TakeError(libevtx_error_t** error) {
  if (*error == nullptr) return "unknown libevtx error";
  char buf[4096];
  const int n = libevtx_error_backtrace_sprint(*error, buf, sizeof buf);
  libevtx_error_free(error);
  std::string s = n > 0 ? std::string(buf) : std::string("unknown libevtx error");
  const std::size_t nl = s.find('\n');
  if (nl != std::string::npos) s.resize(nl);
  while (!s.empty() && (s.back() == '.' || s.back() == ' ' || s.back() == '\r')) s.pop_back();
  return s;
}

constexpr std::uint64_t kFileHeaderSize = 4096;
constexpr std::uint64_t kChunkSize = 65536;
constexpr std::uint32_t kChunkHeaderSize = 512;
constexpr std::uint32_t kMinRecordSize = 28;

std::uint32_t LittleEndian32(const unsigned char* p) {
  return static_cast<std::uint32_t>(p[0]) | static_cast<std::uint32_t>(p[1]) << 8 |
         static_cast<std::uint32_t>(p[2]) << 16 | static_cast<std::uint32_t>(p[3]) << 24;
}

// Record headers found by walking every chunk that has the "ElfChnk" magic: from offset 512,
// each record starts with "**\0\0" and its size (at least 28 bytes), up to the chunk's free-space
// offset. libevtx leaves out the records of chunks it finds damaged without saying so; the
// difference to this count is what it skipped.
std::uint64_t CountRecordHeadersInChunk(const unsigned char* chunk) {
  if (std::memcmp(chunk, "ElfChnk\0", 8) != 0) return 0;
  // Records end at the chunk's free-space offset (header offset 48); beyond it is slack.
  const std::uint32_t end =
      std::min<std::uint32_t>(LittleEndian32(chunk + 48), static_cast<std::uint32_t>(kChunkSize));
  std::uint64_t total = 0;
  std::uint32_t pos = kChunkHeaderSize;
  while (pos + kMinRecordSize <= end && std::memcmp(chunk + pos, "**\0\0", 4) == 0) {
    const std::uint32_t size = LittleEndian32(chunk + pos + 4);
    if (size < kMinRecordSize || size > end - pos) break;
    ++total;
    pos += size;
  }
  return total;
}

std::uint64_t CountRecordHeadersInFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::uint64_t total = 0;
  std::vector<unsigned char> chunk(kChunkSize);
  for (std::uint64_t off = kFileHeaderSize;; off += kChunkSize) {
    in.seekg(static_cast<std::streamoff>(off));
    if (!in.read(reinterpret_cast<char*>(chunk.data()), static_cast<std::streamsize>(kChunkSize))) {
      break;
    }
    total += CountRecordHeadersInChunk(chunk.data());
  }
  return total;
}

std::uint64_t CountRecordHeadersInImage(std::string_view image) {
  std::uint64_t total = 0;
  for (std::uint64_t off = kFileHeaderSize; off + kChunkSize <= image.size(); off += kChunkSize) {
    total += CountRecordHeadersInChunk(reinterpret_cast<const unsigned char*>(image.data() + off));
  }
  return total;
}

class EvtxReader : public RecordReader {
 public:
  // Takes ownership of the open `file` and of `io` (may be null; freed after the file).
  EvtxReader(libevtx_file_t* file, libbfio_handle_t* io, int records, std::uint64_t file_size,
             std::uint64_t announced)
      : file_(file), io_(io), records_(records), file_size_(file_size), announced_(announced) {}
  ~EvtxReader() override {
    libevtx_error_t* error = nullptr;
    libevtx_file_close(file_, &error);
    if (error) libevtx_error_free(&error);
    libevtx_file_free(&file_, &error);
    if (error) libevtx_error_free(&error);
    if (io_) libbfio_handle_free(&io_, nullptr);
  }

  core::Result<bool> Next(RecordBatch* batch, std::size_t target) override {
    batch->Clear();
    if (next_ >= records_ && !reported_skipped_) {
      reported_skipped_ = true;
      const std::uint64_t seen = static_cast<std::uint64_t>(records_);
      if (announced_ > seen) {
        batch->bad += announced_ - seen;
        batch->errors += std::to_string(announced_ - seen) +
                         " damaged records were skipped (the chunks hold " +
                         std::to_string(announced_) + " record headers, libevtx reads " +
                         std::to_string(seen) + ")\n";
        return true;
      }
    }
    while (next_ < records_ && batch->data.size() < target) {
      const int index = next_++;
      libevtx_error_t* error = nullptr;
      libevtx_record_t* record = nullptr;
      if (libevtx_file_get_record_by_index(file_, index, &record, &error) != 1) {
        Bad(batch, index, TakeError(&error));
        continue;
      }
      std::uint64_t id = 0;
      std::size_t size = 0;
      if (libevtx_record_get_identifier(record, &id, &error) != 1 ||
          libevtx_record_get_utf8_xml_string_size(record, &size, &error) != 1 || size == 0) {
        Bad(batch, index, error ? TakeError(&error) : std::string("empty XML rendering"));
        libevtx_record_free(&record, nullptr);
        continue;
      }
      const std::size_t off = batch->data.size();
      batch->data.resize(off + size);
      if (libevtx_record_get_utf8_xml_string(
              record, reinterpret_cast<std::uint8_t*>(batch->data.data() + off), size, &error) !=
          1) {
        batch->data.resize(off);
        Bad(batch, index, TakeError(&error));
        libevtx_record_free(&record, nullptr);
        continue;
      }
      libevtx_record_free(&record, nullptr);
      // The size counts the terminating NUL.
      while (batch->data.size() > off && batch->data.back() == '\0') batch->data.pop_back();
      batch->units.push_back({off, batch->data.size() - off, id});
    }
    return !batch->units.empty() || batch->bad > 0;
  }
  // Keeps the memory image the io handle reads from (destroyed after the handle).
  void KeepImage(std::unique_ptr<std::string> image) { image_ = std::move(image); }

  std::uint64_t bytes_read() const override {
    if (records_ == 0) return file_size_;
    return file_size_ * static_cast<std::uint64_t>(next_) / static_cast<std::uint64_t>(records_);
  }

 private:
  static void Bad(RecordBatch* batch, int index, const std::string& why) {
    ++batch->bad;
    batch->errors += "record #" + std::to_string(index + 1) + " (by position): " + why + "\n";
  }

  std::unique_ptr<std::string> image_;  // declared first: destroyed after the handles
  libevtx_file_t* file_;
  libbfio_handle_t* io_;
  int records_;
  std::uint64_t file_size_;
  std::uint64_t announced_;
  int next_ = 0;
  bool reported_skipped_ = false;
};

// Opens `file` on `path` or on the memory handle `io`; frees both on failure.
core::Result<std::unique_ptr<RecordReader>> OpenEvtx(const std::string& name,
                                                     const std::string* path, libbfio_handle_t* io,
                                                     std::uint64_t size, std::uint64_t announced) {
  libevtx_error_t* error = nullptr;
  libevtx_file_t* file = nullptr;
  auto fail = [&](const std::string& why) {
    if (file) libevtx_file_free(&file, nullptr);
    if (io) libbfio_handle_free(&io, nullptr);
    return core::InvalidArgument(name + ": not a readable EVTX file (" + why + ")");
  };
  if (libevtx_file_initialize(&file, &error) != 1) return fail(TakeError(&error));
  const int opened = path ? libevtx_file_open(file, path->c_str(), LIBEVTX_OPEN_READ, &error)
                          : libevtx_file_open_file_io_handle(file, io, LIBEVTX_OPEN_READ, &error);
  if (opened != 1) return fail(TakeError(&error));
  int records = 0;
  if (libevtx_file_get_number_of_records(file, &records, &error) != 1) {
    const std::string why = TakeError(&error);
    libevtx_file_close(file, nullptr);
    return fail(why);
  }
  return std::unique_ptr<RecordReader>(
      std::make_unique<EvtxReader>(file, io, records, size, announced));
}

}  // namespace

core::Result<std::unique_ptr<RecordReader>> OpenEvtxReader(const std::string& path) {
  if (path == "-") return core::InvalidArgument("EVTX cannot be read from stdin; name the file");
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return core::NotFound("cannot open " + path + ": " + ec.message());
  return OpenEvtx(path, &path, nullptr, static_cast<std::uint64_t>(size),
                  CountRecordHeadersInFile(path));
}

core::Result<std::unique_ptr<RecordReader>> OpenEvtxReaderFromMemory(std::string_view image) {
  // libbfio 20170123's memory range copies as many bytes as libevtx asks for, past the end of
  // the range (a 4 KiB file header read from a shorter image overflowed under ASan in the
  // fuzzer). So the reader keeps its own copy, padded with zeros to the file header plus whole
  // 64 KiB chunks: every read libevtx makes stays inside it.
  auto owned = std::make_unique<std::string>(image);
  std::size_t padded = kFileHeaderSize;
  if (owned->size() > padded) {
    padded += (owned->size() - kFileHeaderSize + kChunkSize - 1) / kChunkSize * kChunkSize;
  }
  owned->resize(padded, '\0');
  libbfio_handle_t* io = nullptr;
  libbfio_error_t* error = nullptr;
  // libbfio wants a mutable pointer; the handle is only ever opened for reading.
  if (libbfio_memory_range_initialize(&io, &error) != 1 ||
      libbfio_memory_range_set(io, reinterpret_cast<std::uint8_t*>(owned->data()), owned->size(),
                               &error) != 1) {
    if (error) libbfio_error_free(&error);
    if (io) libbfio_handle_free(&io, nullptr);
    return core::Internal("libbfio: cannot set up a memory range");
  }
  const std::uint64_t announced = CountRecordHeadersInImage(*owned);
  auto reader = OpenEvtx("EVTX image", nullptr, io, image.size(), announced);
  if (!reader) return reader;
  static_cast<EvtxReader*>(reader->get())->KeepImage(std::move(owned));
  return reader;
}

}  // namespace ucsc::hunt
