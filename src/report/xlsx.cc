#include "report/xlsx.h"

#include "report/internal/text.h"
#include "tabular/xlsx.h"
#include "text/vietnamese.h"

namespace ucsc::report {

core::Result<std::string> RenderXlsx(std::vector<tabular::Table> tables) {
  for (tabular::Table& table : tables) {
    bool valid = internal::IsWellFormedUtf8(table.name);
    for (const std::string& cell : table.header) valid = valid && internal::IsWellFormedUtf8(cell);
    for (const tabular::Row& row : table.rows) {
      for (const std::string& cell : row.cells) valid = valid && internal::IsWellFormedUtf8(cell);
    }
    if (!valid) return core::InvalidArgument("sheet " + table.name + ": text is not valid UTF-8");
    table.name = text::NormalizeNfc(table.name);
    for (std::string& cell : table.header) cell = text::NormalizeNfc(cell);
    for (tabular::Row& row : table.rows) {
      for (std::string& cell : row.cells) cell = text::NormalizeNfc(cell);
    }
  }
  return tabular::WriteXlsx(tables);
}

}  // namespace ucsc::report
