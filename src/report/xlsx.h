// XLSX rendering of report tables: text normalised to NFC, then tabular::WriteXlsx (one sheet per
// table, bold header row, deterministic bytes).
// Thread-safety: pure function; safe to call from any thread.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "tabular/table.h"

namespace ucsc::report {

// Returns the .xlsx bytes for `tables` (each Table is a sheet: name, header, rows). Errors are
// those of tabular::WriteXlsx (kInvalidArgument for no tables, a bad or duplicate sheet name,
// invalid UTF-8, an over-long cell or sheet).
[[nodiscard]] core::Result<std::string> RenderXlsx(std::vector<tabular::Table> tables);

}  // namespace ucsc::report
