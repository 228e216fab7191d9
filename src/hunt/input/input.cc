#include "hunt/input/input.h"

#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <mutex>

namespace ucsc::hunt {
namespace {

constexpr std::size_t kPadding = 64;

// Raw byte stream: read up to n bytes; returns 0 at end, -1 on error.
class ByteStream {
 public:
  virtual ~ByteStream() = default;
  virtual long Read(char* buf, std::size_t n) = 0;
  virtual std::uint64_t consumed() const = 0;
  virtual std::string error() const = 0;
};

class FileStream : public ByteStream {
 public:
  explicit FileStream(std::FILE* f, bool owned) : f_(f), owned_(owned) {}
  ~FileStream() override {
    if (owned_) std::fclose(f_);
  }
  long Read(char* buf, std::size_t n) override {
    const std::size_t got = std::fread(buf, 1, n, f_);
    consumed_ += got;
    if (got == 0 && std::ferror(f_)) return -1;
    return static_cast<long>(got);
  }
  std::uint64_t consumed() const override { return consumed_; }
  std::string error() const override { return "read error"; }

 private:
  std::FILE* f_;
  bool owned_;
  std::uint64_t consumed_ = 0;
};

// Wraps a stream whose first bytes were already read (for magic detection).
class PrefixedStream : public ByteStream {
 public:
  // `counted`: the prefix was read from the source earlier and counts as consumed.
  PrefixedStream(std::unique_ptr<ByteStream> inner, std::string prefix, bool counted = false)
      : inner_(std::move(inner)), prefix_(std::move(prefix)), counted_(counted) {}
  long Read(char* buf, std::size_t n) override {
    if (pos_ < prefix_.size()) {
      const std::size_t k = std::min(n, prefix_.size() - pos_);
      std::memcpy(buf, prefix_.data() + pos_, k);
      pos_ += k;
      return static_cast<long>(k);
    }
    return inner_->Read(buf, n);
  }
  std::uint64_t consumed() const override {
    return inner_->consumed() + (counted_ ? prefix_.size() : 0);
  }
  std::string error() const override { return inner_->error(); }

 private:
  std::unique_ptr<ByteStream> inner_;
  std::string prefix_;
  std::size_t pos_ = 0;
  bool counted_ = false;
};

// Bytes of a string, then the end (for decoding a peeked head).
class MemoryStream : public ByteStream {
 public:
  explicit MemoryStream(std::string_view bytes) : bytes_(bytes) {}
  long Read(char* buf, std::size_t n) override {
    const std::size_t k = std::min(n, bytes_.size() - pos_);
    std::memcpy(buf, bytes_.data() + pos_, k);
    pos_ += k;
    return static_cast<long>(k);
  }
  std::uint64_t consumed() const override { return pos_; }
  std::string error() const override { return {}; }

 private:
  std::string_view bytes_;
  std::size_t pos_ = 0;
};

// Standard input can be read once: the head read to detect its format is kept here and given
// back, first, to whoever opens "-" next.
struct StdinHead {
  std::mutex mu;
  std::string bytes;  // read and not yet given back
};
StdinHead& TheStdinHead() {
  static StdinHead head;
  return head;
}

class GzipStream : public ByteStream {
 public:
  explicit GzipStream(std::unique_ptr<ByteStream> inner) : inner_(std::move(inner)) {
    std::memset(&z_, 0, sizeof z_);
    ok_ = inflateInit2(&z_, 15 + 32) == Z_OK;
    in_.resize(1 << 16);
  }
  ~GzipStream() override { inflateEnd(&z_); }
  long Read(char* buf, std::size_t n) override {
    if (!ok_) return -1;
    z_.next_out = reinterpret_cast<Bytef*>(buf);
    z_.avail_out = static_cast<uInt>(n);
    while (z_.avail_out == n && !done_) {
      if (z_.avail_in == 0) {
        const long got = inner_->Read(in_.data(), in_.size());
        if (got < 0) return -1;
        if (got == 0) {
          if (!finished_member_) {
            err_ = "truncated gzip stream";
            return -1;
          }
          done_ = true;
          break;
        }
        z_.next_in = reinterpret_cast<Bytef*>(in_.data());
        z_.avail_in = static_cast<uInt>(got);
      }
      finished_member_ = false;
      const int rc = inflate(&z_, Z_NO_FLUSH);
      if (rc == Z_STREAM_END) {
        finished_member_ = true;
        inflateReset(&z_);  // concatenated gzip members
      } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
        err_ = std::string("gzip: ") + (z_.msg ? z_.msg : "corrupt data");
        return -1;
      }
    }
    return static_cast<long>(n - z_.avail_out);
  }
  std::uint64_t consumed() const override { return inner_->consumed(); }
  std::string error() const override { return err_.empty() ? inner_->error() : err_; }

 private:
  std::unique_ptr<ByteStream> inner_;
  z_stream z_;
  bool ok_ = false;
  bool done_ = false;
  bool finished_member_ = true;
  std::vector<char> in_;
  std::string err_;
};

class ZstdStream : public ByteStream {
 public:
  explicit ZstdStream(std::unique_ptr<ByteStream> inner)
      : inner_(std::move(inner)), ctx_(ZSTD_createDStream()) {
    in_buf_.resize(ZSTD_DStreamInSize());
  }
  ~ZstdStream() override { ZSTD_freeDStream(ctx_); }
  long Read(char* buf, std::size_t n) override {
    ZSTD_outBuffer out{buf, n, 0};
    while (out.pos == 0) {
      if (in_.pos == in_.size) {
        const long got = inner_->Read(in_buf_.data(), in_buf_.size());
        if (got < 0) return -1;
        if (got == 0) {
          if (last_ != 0) {
            err_ = "truncated zstd stream";
            return -1;
          }
          return 0;
        }
        in_ = ZSTD_inBuffer{in_buf_.data(), static_cast<std::size_t>(got), 0};
      }
      last_ = ZSTD_decompressStream(ctx_, &out, &in_);
      if (ZSTD_isError(last_)) {
        err_ = std::string("zstd: ") + ZSTD_getErrorName(last_);
        return -1;
      }
    }
    return static_cast<long>(out.pos);
  }
  std::uint64_t consumed() const override { return inner_->consumed(); }
  std::string error() const override { return err_.empty() ? inner_->error() : err_; }

 private:
  std::unique_ptr<ByteStream> inner_;
  ZSTD_DStream* ctx_;
  std::vector<char> in_buf_;
  ZSTD_inBuffer in_{nullptr, 0, 0};
  std::size_t last_ = 0;
  std::string err_;
};

// Up to `n` bytes of `s` (fewer at its end or on a read error).
std::string ReadUpTo(ByteStream& s, std::size_t n) {
  std::string out(n, '\0');
  std::size_t have = 0;
  while (have < n) {
    const long got = s.Read(out.data() + have, n - have);
    if (got <= 0) break;
    have += static_cast<std::size_t>(got);
  }
  out.resize(have);
  return out;
}

// Wraps `raw` in a gzip or zstd decoder when its first bytes are that format's magic.
std::unique_ptr<ByteStream> WithDecoder(std::unique_ptr<ByteStream> raw) {
  std::string magic = ReadUpTo(*raw, 4);
  const std::size_t have = magic.size();
  auto stream = std::make_unique<PrefixedStream>(std::move(raw), magic);
  if (have >= 2 && static_cast<unsigned char>(magic[0]) == 0x1F &&
      static_cast<unsigned char>(magic[1]) == 0x8B) {
    return std::make_unique<GzipStream>(std::move(stream));
  }
  if (have == 4 && magic == std::string("\x28\xB5\x2F\xFD", 4)) {
    return std::make_unique<ZstdStream>(std::move(stream));
  }
  return stream;
}

core::Result<std::unique_ptr<ByteStream>> OpenStream(const std::string& path) {
  std::unique_ptr<ByteStream> raw;
  if (path == "-") {
    raw = std::make_unique<FileStream>(stdin, false);
    StdinHead& head = TheStdinHead();
    std::lock_guard<std::mutex> lock(head.mu);
    if (!head.bytes.empty()) {
      raw = std::make_unique<PrefixedStream>(std::move(raw), std::move(head.bytes), true);
      head.bytes.clear();
    }
  } else {
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) return core::NotFound("cannot open " + path + ": " + std::strerror(errno));
    raw = std::make_unique<FileStream>(f, true);
  }
  return WithDecoder(std::move(raw));
}

class StreamLineReader : public LineBlockReader {
 public:
  explicit StreamLineReader(std::unique_ptr<ByteStream> s) : stream_(std::move(s)) {}

  core::Result<bool> Next(LineBlock* block, std::size_t target) override {
    // The block's buffer is reused as it is: its size only grows (geometrically), so reads do not
    // zero-fill the bytes they are about to overwrite. `used` counts the valid bytes.
    std::string& d = block->data;
    auto room = [&d](std::size_t n) {
      if (d.size() < n) d.resize(std::max(n, 2 * d.size()));
    };
    room(carry_.size());
    std::memcpy(d.data(), carry_.data(), carry_.size());
    std::size_t used = carry_.size();
    carry_.clear();
    block->first_line = next_line_;
    std::size_t scan_from = 0;
    std::size_t cut = std::string::npos;
    while (true) {
      // Look for the last newline once the block is large enough.
      if (used >= target || eof_) {
        const std::size_t nl = std::string_view(d.data(), used).rfind('\n');
        if (nl != std::string::npos && nl >= scan_from) cut = nl + 1;
        if (cut != std::string::npos || eof_) break;
        scan_from = used;
      }
      const std::size_t want = std::max<std::size_t>(target / 4, 1 << 16);
      room(used + want);
      const long got = stream_->Read(d.data() + used, want);
      if (got < 0) return core::MakeError(core::ErrorCode::kUnavailable, stream_->error());
      used += static_cast<std::size_t>(got);
      if (got == 0) eof_ = true;
    }
    if (cut == std::string::npos) cut = used;  // last line without newline
    carry_.assign(d.data() + cut, used - cut);
    block->size = cut;
    block->lines = 0;
    for (const char *p = d.data(), *end = p + cut;
         (p = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p))));
         ++p) {
      ++block->lines;
    }
    if (cut > 0 && d[cut - 1] != '\n') ++block->lines;
    next_line_ += block->lines;
    // Padding for the JSON parser (simdjson reads past the end of a document).
    room(cut + kPadding);
    std::memset(d.data() + cut, ' ', kPadding);
    return cut > 0;
  }
  std::uint64_t bytes_read() const override { return stream_->consumed(); }

 private:
  std::unique_ptr<ByteStream> stream_;
  std::string carry_;
  bool eof_ = false;
  std::uint64_t next_line_ = 1;
};

class StreamByteReader : public ByteReader {
 public:
  explicit StreamByteReader(std::unique_ptr<ByteStream> s) : stream_(std::move(s)) {}
  core::Result<std::size_t> Read(char* buf, std::size_t n) override {
    const long got = stream_->Read(buf, n);
    if (got < 0) return core::MakeError(core::ErrorCode::kUnavailable, stream_->error());
    return static_cast<std::size_t>(got);
  }
  [[nodiscard]] std::uint64_t bytes_read() const override { return stream_->consumed(); }

 private:
  std::unique_ptr<ByteStream> stream_;
};

}  // namespace

core::Result<std::unique_ptr<ByteReader>> OpenByteReader(const std::string& path) {
  auto s = OpenStream(path);
  if (!s) return tl::unexpected(s.error());
  return std::unique_ptr<ByteReader>(std::make_unique<StreamByteReader>(std::move(*s)));
}

core::Result<std::unique_ptr<LineBlockReader>> OpenLineReader(const std::string& path) {
  auto s = OpenStream(path);
  if (!s) return tl::unexpected(s.error());
  return std::unique_ptr<LineBlockReader>(std::make_unique<StreamLineReader>(std::move(*s)));
}

std::vector<std::string> ExpandInputPaths(const std::vector<std::string>& paths,
                                          std::vector<std::string>* missing) {
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  for (const auto& p : paths) {
    std::error_code ec;
    if (p == "-") {
      out.push_back(p);
    } else if (fs::is_directory(p, ec)) {
      std::vector<std::string> files;
      for (auto it = fs::recursive_directory_iterator(p, ec); !ec && it != fs::end(it);
           it.increment(ec)) {
        if (it->is_regular_file(ec)) files.push_back(it->path().string());
      }
      std::sort(files.begin(), files.end());
      out.insert(out.end(), files.begin(), files.end());
    } else if (fs::exists(p, ec)) {
      out.push_back(p);
    } else if (missing) {
      missing->push_back(p);
    }
  }
  return out;
}

std::string PeekFile(const std::string& path, std::size_t n) {
  if (path == "-") {
    // Read up to 64 KiB of standard input (unless a head is still kept), keep it for the next
    // reader of "-", decode a copy.
    StdinHead& head = TheStdinHead();
    std::lock_guard<std::mutex> lock(head.mu);
    if (head.bytes.empty()) {
      FileStream in(stdin, false);
      head.bytes = ReadUpTo(in, 64 << 10);
    }
    // A stream cut off at the end of the head ends the decoded copy there.
    auto decoded = WithDecoder(std::make_unique<MemoryStream>(head.bytes));
    return ReadUpTo(*decoded, n);
  }
  auto s = OpenStream(path);
  if (!s) return {};
  return ReadUpTo(**s, n);
}

}  // namespace ucsc::hunt
