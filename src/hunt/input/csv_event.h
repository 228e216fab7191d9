// CSV rows with a header -> flat Events (one field per column, named by the header).
//
// Thread-safety: free functions are reentrant; a CsvEventParser is not thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "hunt/event.h"

namespace ucsc::hunt {

// Splits one CSV record (RFC 4180: comma-separated; a field in double quotes may hold commas,
// newlines and "" for a quote) into `fields` (cleared first). A quote inside an unquoted field
// is kept as text. Returns kInvalidArgument when a quoted field is not closed or is followed by
// something other than a comma.
[[nodiscard]] core::Status ParseCsvRow(std::string_view row, std::vector<std::string>* fields);

class CsvEventParser {
 public:
  // Parses `row` into `out` (cleared first): column i becomes the field header[i] (empty
  // values included). Returns kInvalidArgument for a malformed row or one with more columns
  // than the header. A row with fewer columns gives only the columns it has.
  [[nodiscard]] core::Status Parse(std::string_view row, const std::vector<std::string>& header,
                                   Event* out);

 private:
  std::vector<std::string> fields_;
};

}  // namespace ucsc::hunt
