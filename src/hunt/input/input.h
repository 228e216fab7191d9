// Byte sources for hunting: plain files, gzip (.gz, by magic), zstd (by magic) and stdin, read in
// blocks of whole lines; and the expansion of input paths (directories recursively).
//
// Thread-safety: a LineBlockReader is not thread-safe; one reader per input.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/result.h"

namespace ucsc::hunt {

// A block of complete lines. `data` holds `size` bytes of text followed by at least 64 bytes of
// padding (simdjson may read past the end of a line).
struct LineBlock {
  // data[0, size) are whole lines, followed by at least 64 bytes of spaces (padding for the JSON
  // parser); bytes after those are left over from earlier blocks.
  std::string data;
  std::size_t size = 0;
  std::uint64_t first_line = 1;  // 1-based number of the first line in the block
  std::uint64_t lines = 0;
};

class LineBlockReader {
 public:
  virtual ~LineBlockReader() = default;
  // Fills `block` with the next lines (about `target_bytes`, always whole lines; a line longer
  // than the target is kept whole). Returns false at the end of input; kInvalidArgument /
  // kUnavailable on a read or decompression error.
  [[nodiscard]] virtual core::Result<bool> Next(LineBlock* block, std::size_t target_bytes) = 0;
  // Compressed or raw bytes consumed from the source so far.
  virtual std::uint64_t bytes_read() const = 0;
};

// Opens `path` ("-" = stdin). gzip and zstd are detected by their magic bytes. kNotFound when
// the file cannot be opened.
core::Result<std::unique_ptr<LineBlockReader>> OpenLineReader(const std::string& path);

// Raw bytes of an input for binary formats (EVTX): plain file, gzip or zstd (by magic) or stdin
// ("-"), like OpenLineReader but without cutting lines.
class ByteReader {
 public:
  virtual ~ByteReader() = default;
  // Reads up to `n` bytes into `buf`; returns how many (0 only at the end of input);
  // kUnavailable on a read or decompression error.
  [[nodiscard]] virtual core::Result<std::size_t> Read(char* buf, std::size_t n) = 0;
  // Compressed or raw bytes consumed from the source so far.
  [[nodiscard]] virtual std::uint64_t bytes_read() const = 0;
};

// Opens `path` ("-" = stdin) for raw reading. kNotFound when the file cannot be opened.
core::Result<std::unique_ptr<ByteReader>> OpenByteReader(const std::string& path);

// Expands files and directories (recursively, sorted) into the list of input files. "-" stays.
// Missing paths are returned as errors in `missing`.
std::vector<std::string> ExpandInputPaths(const std::vector<std::string>& paths,
                                          std::vector<std::string>* missing);

// Reads the first bytes of a file for format detection ("" on failure; decompresses gzip/zstd).
// For "-" (standard input) the bytes read are kept and returned first by the reader opened next
// on "-", so nothing is lost; only the first 64 KiB of standard input are looked at.
std::string PeekFile(const std::string& path, std::size_t n);

}  // namespace ucsc::hunt
