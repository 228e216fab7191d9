// XLSX (Office Open XML SpreadsheetML) reading for bulk inventory imports, and a minimal writer
// for exports. Workbooks are handled entirely in memory: no temporary files.
//
// The reader treats the workbook as untrusted input: zip bombs, huge sheets and malformed zip or
// XML produce errors, never crashes or unbounded allocations. It does not evaluate formulas; a
// formula cell yields its cached value. Dates are serial numbers ("45292"): the importer decides
// which columns are dates.
//
// Thread-safety: the functions are pure; call them from any thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "tabular/table.h"

namespace ucsc::tabular {

struct XlsxOptions {
  // Total inflated size of the XML parts read. Guards against zip bombs; the parsed XML needs a
  // few times this much memory while one sheet is open.
  size_t max_uncompressed_bytes = size_t{200} * 1024 * 1024;
  size_t max_rows = 1'000'000;    // Data rows per sheet, header excluded.
  size_t max_columns = 16'384;    // Highest column used (16384 = XFD, Excel's limit).
  size_t max_cells = 10'000'000;  // Data cells in all sheets, padding included.
  // Cell text in all sheets: shared strings let a small file repeat one long text many times.
  size_t max_text_bytes = size_t{200} * 1024 * 1024;
};

// Reads every worksheet of the workbook in `bytes`, in workbook order (hidden sheets included;
// chart sheets skipped). For each sheet: Table::name is the sheet name; the first row with a
// non-blank cell is the header, its cells trimmed of ASCII spaces and tabs and its trailing empty
// cells dropped; each later row with at least one non-empty cell becomes a Row whose `number` is
// the spreadsheet row number, with exactly header.size() cells (gaps in cell references are "").
// Rows without a non-empty cell are skipped. Cell text:
//   shared (s), inline (inlineStr, rich text runs concatenated, phonetic runs ignored) and
//   formula (str) strings as stored, with _xHHHH_ escapes decoded; booleans "TRUE"/"FALSE";
//   errors as their text ("#N/A"); numbers without exponent or ".0" when integral and below
//   1e21 ("2024"), else as the shortest text that reads back to the same double ("0.1",
//   "1e-07"). A formula cell without a cached value is "".
//
// Returns the tables, or:
//   kInvalidArgument   - not a zip (a legacy .xls or password-protected file included), a
//                        missing or malformed workbook part, malformed XML, a bad cell reference
//                        or value, text that is not valid UTF-8, or a non-empty cell right of the
//                        header's last column (so no data is dropped silently);
//   kResourceExhausted - a limit in `options` is exceeded; the message names it.
// Messages name the sheet and cell where there is one. The result owns its strings.
[[nodiscard]] core::Result<std::vector<Table>> ReadXlsx(std::string_view bytes,
                                                        const XlsxOptions& options = {});

// Returns the bytes of a minimal .xlsx workbook with one worksheet per table, in order: the
// header in row 1 (bold), then each row's cells in rows 2, 3, ... (Row::number is ignored), all
// as inline strings; empty cells are omitted. ReadXlsx reads it back to the same names, header
// and cells, except that ReadXlsx trims header cells, drops trailing empty header cells and skips
// rows whose cells are all empty. Output is deterministic (fixed zip timestamps).
// Returns kInvalidArgument when `tables` is empty, a name is not a valid sheet name (empty,
// longer than 31 characters, containing : \ / ? * [ ], starting or ending with '\'', or equal to
// another ignoring ASCII case), a cell is not valid UTF-8 or contains NUL, a cell is longer than
// 32767 characters, or a table exceeds 16384 columns or 1048576 rows (header included).
[[nodiscard]] core::Result<std::string> WriteXlsx(const std::vector<Table>& tables);

}  // namespace ucsc::tabular
