// FUZZ_LIBS: ucsc_tabular
// Fuzz target for tabular::ReadXlsx (STYLE.md "Benchmarks and fuzzing"): zip and XML from an
// untrusted workbook must give a value or an error, never a crash or unbounded memory.
//
// Oracle: when WriteXlsx accepts the tables read (sheet names valid for Excel, cells within its
// limits), reading its output gives back the same names, headers and cells.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "tabular/xlsx.h"

namespace {

constexpr size_t kMaxInputBytes = 1 << 20;

[[noreturn]] void Fail(const char* what) {
  std::fprintf(stderr, "xlsx_fuzz oracle failed: %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > kMaxInputBytes) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  // Smaller than the defaults so that one input stays fast and within the fuzzer's RSS limit.
  ucsc::tabular::XlsxOptions options;
  options.max_uncompressed_bytes = size_t{32} * 1024 * 1024;
  options.max_cells = 200'000;
  options.max_text_bytes = size_t{4} * 1024 * 1024;
  auto tables = ucsc::tabular::ReadXlsx(input, options);
  if (!tables) return 0;
  for (const ucsc::tabular::Table& table : *tables) {
    for (const ucsc::tabular::Row& row : table.rows) {
      if (row.cells.size() != table.header.size()) Fail("row width differs from header");
    }
  }

  auto written = ucsc::tabular::WriteXlsx(*tables);
  if (!written) return 0;
  auto again = ucsc::tabular::ReadXlsx(*written);
  if (!again) Fail("WriteXlsx output does not read back");
  if (again->size() != tables->size()) Fail("table count changed");
  for (size_t table_idx = 0; table_idx < tables->size(); ++table_idx) {
    const ucsc::tabular::Table& before = (*tables)[table_idx];
    const ucsc::tabular::Table& after = (*again)[table_idx];
    if (after.name != before.name) Fail("sheet name changed");
    if (after.header != before.header) Fail("header changed");
    if (after.rows.size() != before.rows.size()) Fail("row count changed");
    for (size_t row_idx = 0; row_idx < before.rows.size(); ++row_idx) {
      if (after.rows[row_idx].cells != before.rows[row_idx].cells) Fail("cells changed");
    }
  }
  return 0;
}
