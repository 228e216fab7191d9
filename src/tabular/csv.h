// CSV (RFC 4180) reading and writing for bulk inventory imports and exports.
//
// The reader accepts what spreadsheet programs write: quoted fields with embedded delimiters,
// quotes ("") and line breaks; CRLF, LF or CR line ends; a UTF-8 byte-order mark; Excel's "sep=;"
// first line; and ';' as the delimiter (Excel in the vi-VN locale writes ';' because ',' is the
// decimal separator there). The first record is the header.
//
// Thread-safety: the functions are pure; call them from any thread.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "tabular/table.h"

namespace ucsc::tabular {

struct CsvOptions {
  // The field separator. std::nullopt detects it from the header line: whichever of ',', ';' and
  // '\t' occurs most often outside quotes (',' on a tie or when none occurs). A "sep=X" first
  // line, when present, is skipped and names the delimiter unless one is given here.
  std::optional<char> delimiter;
  // Limits. Input over a limit fails with kResourceExhausted instead of using unbounded memory.
  size_t max_bytes = size_t{50} * 1024 * 1024;  // Size of `data`, BOM included.
  size_t max_rows = 1'000'000;                  // Data rows, header excluded.
  size_t max_cell_bytes = size_t{64} * 1024;    // One cell, after unquoting.
  size_t max_columns = 16'384;                  // Cells in one record (Excel's column limit).
  size_t max_cells = 10'000'000;                // Data cells in all rows, padding included.
};

// Parses `data` as CSV. The first non-blank record is the header; its cells are trimmed of ASCII
// spaces and tabs. Every later record becomes a Row whose `number` is the 1-based line where the
// record starts, padded with "" to the header's width. Data cells are kept verbatim (not
// trimmed). Blank lines after the last record are ignored; a blank line between records is a row
// of "" cells. A '"' inside an unquoted field is kept literally.
//
// Returns the table (with an empty `name`), or:
//   kInvalidArgument   - no header, a record with more cells than the header, invalid UTF-8 or
//                        a NUL byte, a quote left open (naming the line where the field began),
//                        text after a closing quote, UTF-16 input, or a delimiter option that is
//                        '"', CR, LF, NUL or not ASCII; messages start with "line N: " when
//                        the problem is on a line;
//   kResourceExhausted - a limit in `options` is exceeded; the message names the limit.
// The result owns its strings; `data` may be freed afterwards.
[[nodiscard]] core::Result<Table> ParseCsv(std::string_view data, const CsvOptions& options = {});

// Whether WriteCsv starts its output with a UTF-8 byte-order mark. Excel needs the mark to open a
// UTF-8 file with Vietnamese text correctly; other consumers may not expect it.
enum class CsvBom { kOmit, kInclude };

// Writes `table.header` and then each row's cells as RFC 4180 CSV with ',' and CRLF, ignoring
// `name` and the row numbers. A cell is quoted when it contains ',', ';', '\t', '"', CR or LF,
// starts with a byte-order mark, is the first header cell and starts with "sep=", or is the only
// cell of an otherwise empty record; so ParseCsv with default options reads the output back to
// the same header and cells, provided no row has more cells than the header and no header cell
// starts or ends with a space or tab (ParseCsv trims those). Every table ParseCsv returns
// qualifies.
// Cells are written as given: formulas such as "=1+1" are not neutralised; an export meant for
// spreadsheet users should do that first.
std::string WriteCsv(const Table& table, CsvBom bom = CsvBom::kOmit);

}  // namespace ucsc::tabular
