// XLSX writer: the smallest package Excel and LibreOffice open without repair — content types,
// package and workbook relationships, workbook, styles (bold header) and one worksheet per table.
#include <string>
#include <string_view>
#include <vector>

#include "tabular/internal/ooxml.h"
#include "tabular/internal/utf8.h"
#include "tabular/internal/zip.h"
#include "tabular/xlsx.h"

namespace ucsc::tabular {
namespace {

constexpr size_t kMaxSheetNameUnits = 31;
constexpr size_t kMaxCellUnits = 32'767;

constexpr std::string_view kXmlDeclaration =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
constexpr std::string_view kMainNamespace =
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
constexpr std::string_view kRelationshipType =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/";

constexpr std::string_view kStyles =
    "<fonts count=\"2\"><font><sz val=\"11\"/><name val=\"Calibri\"/></font>"
    "<font><b/><sz val=\"11\"/><name val=\"Calibri\"/></font></fonts>"
    "<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill>"
    "<fill><patternFill patternType=\"gray125\"/></fill></fills>"
    "<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"
    "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/>"
    "</cellStyleXfs>"
    "<cellXfs count=\"2\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>"
    "<xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/>"
    "</cellXfs>"
    "<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles>";

char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string AsciiLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = AsciiLower(c);
  return out;
}

core::Status ValidateSheetName(std::string_view name) {
  const std::string quoted = "sheet name '" + std::string(name) + "'";
  if (name.empty()) return core::InvalidArgument("a sheet name is empty");
  if (internal::FindInvalidUtf8(name) != std::string_view::npos) {
    return core::InvalidArgument("a sheet name is not valid UTF-8");
  }
  if (internal::Utf16Length(name) > kMaxSheetNameUnits) {
    return core::InvalidArgument(quoted + " is longer than 31 characters");
  }
  for (const char c : name) {
    if (static_cast<unsigned char>(c) < 0x20 ||
        std::string_view(":\\/?*[]").find(c) != std::string_view::npos) {
      return core::InvalidArgument(quoted +
                                   " contains one of : \\ / ? * [ ] or a control character");
    }
  }
  if (name.front() == '\'' || name.back() == '\'') {
    return core::InvalidArgument(quoted + " starts or ends with an apostrophe");
  }
  return core::Ok();
}

// REQUIRES: !text.empty().
void AppendCell(std::string_view text, int column, int row, bool header, std::string* out) {
  out->append("<c r=\"");
  out->append(internal::ColumnName(column));
  out->append(std::to_string(row));
  out->append(header ? R"(" s="1" t="inlineStr"><is>)" : R"(" t="inlineStr"><is>)");
  // Excel trims unmarked leading and trailing white space.
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  out->append(is_space(text.front()) || is_space(text.back()) ? "<t xml:space=\"preserve\">"
                                                              : "<t>");
  internal::AppendXmlText(text, out);
  out->append("</t></is></c>");
}

core::Status AppendRow(const std::vector<std::string>& cells, int row, bool header,
                       const std::string& sheet, std::string* out) {
  if (cells.size() > static_cast<size_t>(internal::kMaxSheetColumns)) {
    return core::InvalidArgument(sheet + " row " + std::to_string(row) + " has more than " +
                                 std::to_string(internal::kMaxSheetColumns) + " cells");
  }
  out->append("<row r=\"" + std::to_string(row) + "\">");
  for (size_t cell_idx = 0; cell_idx < cells.size(); ++cell_idx) {
    const std::string& text = cells[cell_idx];
    if (text.empty()) continue;
    const int column = static_cast<int>(cell_idx) + 1;
    const auto where = [&] {
      return sheet + " cell " + internal::ColumnName(column) + std::to_string(row);
    };
    if (internal::FindInvalidUtf8(text) != std::string_view::npos) {
      return core::InvalidArgument(where() + " is not valid UTF-8 or contains NUL");
    }
    if (internal::Utf16Length(text) > kMaxCellUnits) {
      return core::InvalidArgument(where() + " is longer than Excel's 32767-character limit");
    }
    AppendCell(text, column, row, header, out);
  }
  out->append("</row>");
  return core::Ok();
}

core::Result<std::string> SheetXml(const Table& table) {
  const std::string sheet = "sheet '" + table.name + "'";
  if (table.rows.size() >= static_cast<size_t>(internal::kMaxSheetRows)) {
    return core::InvalidArgument(sheet + " has more than " +
                                 std::to_string(internal::kMaxSheetRows - 1) + " data rows");
  }
  std::string xml(kXmlDeclaration);
  xml.append("<worksheet xmlns=\"");
  xml.append(kMainNamespace);
  xml.append("\"><sheetData>");
  UCSC_RETURN_IF_ERROR(AppendRow(table.header, 1, /*header=*/true, sheet, &xml));
  for (size_t row_idx = 0; row_idx < table.rows.size(); ++row_idx) {
    UCSC_RETURN_IF_ERROR(AppendRow(table.rows[row_idx].cells, static_cast<int>(row_idx) + 2,
                                   /*header=*/false, sheet, &xml));
  }
  xml.append("</sheetData></worksheet>");
  return xml;
}

std::string Relationship(std::string_view id, std::string_view type, std::string_view target) {
  std::string out = "<Relationship Id=\"";
  out.append(id);
  out.append("\" Type=\"");
  out.append(kRelationshipType);
  out.append(type);
  out.append("\" Target=\"");
  out.append(target);
  out.append("\"/>");
  return out;
}

}  // namespace

core::Result<std::string> WriteXlsx(const std::vector<Table>& tables) {
  if (tables.empty()) return core::InvalidArgument("a workbook needs at least one table");
  std::vector<std::string> lower_names;
  for (const Table& table : tables) {
    UCSC_RETURN_IF_ERROR(ValidateSheetName(table.name));
    std::string lower = AsciiLower(table.name);
    for (const std::string& seen : lower_names) {
      if (seen == lower) {
        return core::InvalidArgument("sheet name '" + table.name + "' is used twice");
      }
    }
    lower_names.push_back(std::move(lower));
  }

  std::string content_types(kXmlDeclaration);
  content_types.append(
      "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
      "<Default Extension=\"rels\" "
      "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
      "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
      "<Override PartName=\"/xl/workbook.xml\" "
      "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
      "<Override PartName=\"/xl/styles.xml\" "
      "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>");
  std::string workbook(kXmlDeclaration);
  workbook.append("<workbook xmlns=\"");
  workbook.append(kMainNamespace);
  workbook.append(
      "\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
      "<sheets>");
  std::string workbook_rels(kXmlDeclaration);
  workbook_rels.append(
      "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">");
  std::vector<internal::ZipEntry> sheets;
  for (size_t table_idx = 0; table_idx < tables.size(); ++table_idx) {
    const std::string number = std::to_string(table_idx + 1);
    const std::string part = "worksheets/sheet" + number + ".xml";
    content_types.append(
        "<Override PartName=\"/xl/" + part +
        "\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet"
        "+xml\"/>");
    workbook.append("<sheet name=\"");
    internal::AppendXmlText(tables[table_idx].name, &workbook);
    workbook.append("\" sheetId=\"")
        .append(number)
        .append("\" r:id=\"rId")
        .append(number)
        .append("\"/>");
    workbook_rels.append(Relationship("rId" + number, "worksheet", part));
    UCSC_ASSIGN_OR_RETURN(std::string xml, SheetXml(tables[table_idx]));
    sheets.push_back({"xl/" + part, std::move(xml)});
  }
  content_types.append("</Types>");
  workbook.append("</sheets></workbook>");
  workbook_rels.append(
      Relationship("rId" + std::to_string(tables.size() + 1), "styles", "styles.xml"));
  workbook_rels.append("</Relationships>");

  std::string package_rels(kXmlDeclaration);
  package_rels.append(
      "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">");
  package_rels.append(Relationship("rId1", "officeDocument", "xl/workbook.xml"));
  package_rels.append("</Relationships>");

  std::string styles(kXmlDeclaration);
  styles.append("<styleSheet xmlns=\"");
  styles.append(kMainNamespace);
  styles.append("\">");
  styles.append(kStyles);
  styles.append("</styleSheet>");

  std::vector<internal::ZipEntry> entries;
  entries.push_back({"[Content_Types].xml", std::move(content_types)});
  entries.push_back({"_rels/.rels", std::move(package_rels)});
  entries.push_back({"xl/workbook.xml", std::move(workbook)});
  entries.push_back({"xl/_rels/workbook.xml.rels", std::move(workbook_rels)});
  entries.push_back({"xl/styles.xml", std::move(styles)});
  for (internal::ZipEntry& sheet : sheets) entries.push_back(std::move(sheet));
  return internal::WriteZip(entries);
}

}  // namespace ucsc::tabular
