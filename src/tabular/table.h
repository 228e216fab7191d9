// Table: the in-memory shape of one spreadsheet or CSV file, as read for a bulk import. The
// parsers in csv.h and xlsx.h produce it; the importer maps header names to fields.
// Thread-safety: plain values; safe to copy between threads.
#pragma once

#include <string>
#include <vector>

namespace ucsc::tabular {

// One data row. `number` locates it in the source so that an import error can point the user at
// the right place: the 1-based line where the record starts for CSV (a quoted cell may span
// several lines), the spreadsheet row number ("7" in "C7") for XLSX.
struct Row {
  int number = 0;
  std::vector<std::string> cells;
};

// A header plus data rows. Every cell is valid UTF-8 without NUL bytes. Rows returned by the
// parsers have exactly header.size() cells (missing cells are ""). `name` is the sheet name for
// XLSX and empty for CSV.
struct Table {
  std::string name;
  std::vector<std::string> header;
  std::vector<Row> rows;
};

}  // namespace ucsc::tabular
