// FUZZ_LIBS: ucsc_tabular
// Fuzz target for tabular::ParseCsv (STYLE.md "Benchmarks and fuzzing").
//
// Oracle: a table that parses is written back with WriteCsv and parsed again; the header and
// every row's cells must be unchanged. Invariants of every parsed table are checked too: rows as
// wide as the header, row numbers increasing, cells valid UTF-8 without NUL.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "tabular/csv.h"
#include "tabular/internal/utf8.h"

namespace {

constexpr size_t kMaxInputBytes = 1 << 20;

[[noreturn]] void Fail(const char* what) {
  std::fprintf(stderr, "csv_fuzz oracle failed: %s\n", what);
  std::abort();
}

void CheckInvariants(const ucsc::tabular::Table& table) {
  if (table.header.empty()) Fail("empty header");
  for (const std::string& name : table.header) {
    if (ucsc::tabular::internal::FindInvalidUtf8(name) != std::string_view::npos) {
      Fail("header cell is not valid UTF-8");
    }
  }
  int previous = 0;
  for (const ucsc::tabular::Row& row : table.rows) {
    if (row.cells.size() != table.header.size()) Fail("row width differs from header");
    if (row.number <= previous) Fail("row numbers not increasing");
    previous = row.number;
    for (const std::string& cell : row.cells) {
      if (ucsc::tabular::internal::FindInvalidUtf8(cell) != std::string_view::npos) {
        Fail("cell is not valid UTF-8");
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > kMaxInputBytes) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  // Tight limits exercise the limit paths; the result only has to be a value, not a crash.
  ucsc::tabular::CsvOptions tight;
  tight.max_rows = 16;
  tight.max_cell_bytes = 32;
  tight.max_columns = 8;
  tight.max_cells = 64;
  if (auto table = ucsc::tabular::ParseCsv(input, tight)) CheckInvariants(*table);

  auto table = ucsc::tabular::ParseCsv(input);
  if (!table) return 0;
  CheckInvariants(*table);

  const std::string written = ucsc::tabular::WriteCsv(*table);
  auto again = ucsc::tabular::ParseCsv(written);
  if (!again) Fail("WriteCsv output does not parse");
  if (again->header != table->header) Fail("header changed");
  if (again->rows.size() != table->rows.size()) Fail("row count changed");
  for (size_t row_idx = 0; row_idx < table->rows.size(); ++row_idx) {
    if (again->rows[row_idx].cells != table->rows[row_idx].cells) Fail("cells changed");
  }
  return 0;
}
