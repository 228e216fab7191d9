#include "hunt/input/csv_event.h"

namespace ucsc::hunt {

core::Status ParseCsvRow(std::string_view row, std::vector<std::string>* fields) {
  fields->clear();
  std::size_t i = 0;
  while (true) {
    std::string& f = fields->emplace_back();
    if (i < row.size() && row[i] == '"') {
      ++i;
      while (true) {
        if (i >= row.size()) {
          return core::InvalidArgument("column " + std::to_string(fields->size()) +
                                       ": a quoted field is not closed");
        }
        if (row[i] == '"') {
          if (i + 1 < row.size() && row[i + 1] == '"') {
            f.push_back('"');
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        f.push_back(row[i++]);
      }
      if (i < row.size() && row[i] != ',') {
        return core::InvalidArgument("column " + std::to_string(fields->size()) +
                                     ": text after the closing quote");
      }
    } else {
      const std::size_t comma = row.find(',', i);
      const std::size_t end = comma == std::string_view::npos ? row.size() : comma;
      f.assign(row.substr(i, end - i));
      i = end;
    }
    if (i >= row.size()) return core::Ok();
    ++i;  // the comma
  }
}

core::Status CsvEventParser::Parse(std::string_view row, const std::vector<std::string>& header,
                                   Event* out) {
  out->Clear();
  if (auto st = ParseCsvRow(row, &fields_); !st) return st;
  if (fields_.size() > header.size()) {
    return core::InvalidArgument("the row has " + std::to_string(fields_.size()) +
                                 " columns, the header " + std::to_string(header.size()));
  }
  for (std::size_t col = 0; col < fields_.size(); ++col) out->Add(header[col], fields_[col]);
  return core::Ok();
}

}  // namespace ucsc::hunt
