// OpenEvtxReader (record_reader.h): EVTX read as a stream of 64 KiB chunks for the own
// parser (evtx_parser.h). The file header is checked here; the chunks go to the workers whole.
#include <algorithm>
#include <cstring>

#include "hunt/input/evtx_parser.h"
#include "hunt/input/input.h"
#include "hunt/input/record_reader.h"

namespace ucsc::hunt {
namespace {

class MemoryByteReader : public ByteReader {
 public:
  explicit MemoryByteReader(std::string_view image) : image_(image) {}
  core::Result<std::size_t> Read(char* buf, std::size_t n) override {
    const std::size_t k = std::min(n, image_.size() - pos_);
    if (k > 0) std::memcpy(buf, image_.data() + pos_, k);
    pos_ += k;
    return k;
  }
  [[nodiscard]] std::uint64_t bytes_read() const override { return pos_; }

 private:
  std::string_view image_;
  std::size_t pos_ = 0;
};

// Reads up to `n` bytes (fewer only at the end of input).
core::Result<std::size_t> ReadFull(ByteReader& in, char* buf, std::size_t n) {
  std::size_t have = 0;
  while (have < n) {
    auto got = in.Read(buf + have, n - have);
    if (!got) return tl::unexpected(got.error());
    if (*got == 0) break;
    have += *got;
  }
  return have;
}

bool AllZero(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char ch) { return ch == '\0'; });
}

class EvtxChunkReader : public RecordReader {
 public:
  EvtxChunkReader(std::unique_ptr<ByteReader> in, const EvtxFileInfo& info, std::string warnings)
      : in_(std::move(in)), info_(info), pending_(std::move(warnings)) {}

  core::Result<bool> Next(RecordBatch* batch, std::size_t target) override {
    batch->Clear();
    batch->evtx_verify_crc32 = !info_.no_crc32();
    batch->errors.swap(pending_);
    while (!eof_ && batch->data.size() < target) {
      const std::size_t off = batch->data.size();
      batch->data.resize(off + kEvtxChunkSize);
      auto got = ReadFull(*in_, batch->data.data() + off, kEvtxChunkSize);
      if (!got) {
        batch->data.resize(off);
        return tl::unexpected(got.error());
      }
      const std::uint64_t index = next_index_++;
      if (*got < kEvtxChunkSize) {
        eof_ = true;
        if (*got == 0) {
          batch->data.resize(off);
          break;
        }
        // A chunk cut off: zeros for the rest; its complete records are still read.
        std::memset(batch->data.data() + off + *got, 0, kEvtxChunkSize - *got);
        if (HasEvtxChunkMagic(std::string_view(batch->data).substr(off, 8))) {
          AppendChunk(index, batch);
          batch->errors += "chunk " + std::to_string(index) + ": the file ends after " +
                           std::to_string(*got) + " of its 65536 bytes\n";
          break;
        }
      }
      const std::string_view block(batch->data.data() + off, kEvtxChunkSize);
      if (HasEvtxChunkMagic(block)) {
        AppendChunk(index, batch);
        continue;
      }
      // Unused slots (zeros) and blocks beyond the header's chunk count (slack of a stale
      // header) are skipped quietly; a block inside the count with data is a damaged chunk,
      // which the parser reports in its place among the others.
      if (index < info_.chunk_count && !AllZero(block)) {
        AppendChunk(index, batch);
        continue;
      }
      batch->data.resize(off);
    }
    return !batch->units.empty() || batch->bad > 0 || !batch->errors.empty();
  }

  [[nodiscard]] std::uint64_t bytes_read() const override { return in_->bytes_read(); }

 private:
  static void AppendChunk(std::uint64_t index, RecordBatch* batch) {
    batch->units.push_back({batch->data.size() - kEvtxChunkSize, kEvtxChunkSize, index});
  }

  std::unique_ptr<ByteReader> in_;
  EvtxFileInfo info_;
  std::string pending_;  // file header warnings, reported with the first batch
  std::uint64_t next_index_ = 0;
  bool eof_ = false;
};

core::Result<std::unique_ptr<RecordReader>> OpenChunks(const std::string& name,
                                                       std::unique_ptr<ByteReader> in) {
  std::string head(kEvtxFileHeaderSize, '\0');
  auto got = ReadFull(*in, head.data(), head.size());
  if (!got) return tl::unexpected(got.error());
  head.resize(*got);
  std::string warnings;
  auto info = ParseEvtxFileHeader(head, &warnings);
  if (!info) {
    return core::InvalidArgument(name + ": not a readable EVTX file (" + info.error().message +
                                 ")");
  }
  if (head.size() < kEvtxFileHeaderSize) {
    warnings += "file header: the file ends inside the 4096-byte header block\n";
  }
  return std::unique_ptr<RecordReader>(
      std::make_unique<EvtxChunkReader>(std::move(in), *info, std::move(warnings)));
}

}  // namespace

core::Result<std::unique_ptr<RecordReader>> OpenEvtxReader(const std::string& path) {
  auto in = OpenByteReader(path);
  if (!in) return tl::unexpected(in.error());
  return OpenChunks(path == "-" ? std::string("stdin") : path, std::move(*in));
}

core::Result<std::unique_ptr<RecordReader>> OpenEvtxReaderFromMemory(std::string_view image) {
  return OpenChunks("EVTX image", std::make_unique<MemoryByteReader>(image));
}

}  // namespace ucsc::hunt
