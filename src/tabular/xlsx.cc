// XLSX reader: package relationships -> workbook -> shared strings -> worksheets.
#include "tabular/xlsx.h"

#include <charconv>
#include <map>
#include <optional>
#include <pugixml.hpp>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "tabular/internal/ooxml.h"
#include "tabular/internal/utf8.h"
#include "tabular/internal/zip.h"

namespace ucsc::tabular {
namespace {

using internal::ZipReader;

constexpr std::string_view kOleMagic = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
constexpr std::string_view kDefaultWorkbookPath = "xl/workbook.xml";
constexpr unsigned kParseFlags = pugi::parse_default | pugi::parse_ws_pcdata_single;

tl::unexpected<core::Error> ResourceExhausted(std::string message) {
  return core::MakeError(core::ErrorCode::kResourceExhausted, std::move(message));
}

// A short, printable rendering of untrusted text for error messages.
std::string Quote(std::string_view text) {
  constexpr size_t kMaxShown = 40;
  if (internal::FindInvalidUtf8(text) != std::string_view::npos) return "(binary data)";
  if (text.size() <= kMaxShown) return "'" + std::string(text) + "'";
  size_t cut = kMaxShown;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return "'" + std::string(text.substr(0, cut)) + "...'";
}

std::string_view LocalName(const char* name) {
  const std::string_view full(name);
  const size_t colon = full.rfind(':');
  return colon == std::string_view::npos ? full : full.substr(colon + 1);
}

bool IsElement(pugi::xml_node node, std::string_view local_name) {
  return node.type() == pugi::node_element && LocalName(node.name()) == local_name;
}

pugi::xml_node Child(pugi::xml_node node, std::string_view local_name) {
  for (pugi::xml_node child : node.children()) {
    if (IsElement(child, local_name)) return child;
  }
  return {};
}

// The concatenated character data directly inside `node`.
std::string Text(pugi::xml_node node) {
  std::string out;
  for (pugi::xml_node child : node.children()) {
    if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) {
      out += child.value();
    }
  }
  return out;
}

// Text of a shared string item or inline string: <t>, or runs <r><t>; phonetic <rPh> ignored.
std::string RichText(pugi::xml_node node) {
  std::string out;
  for (pugi::xml_node child : node.children()) {
    if (IsElement(child, "t")) {
      out += Text(child);
    } else if (IsElement(child, "r")) {
      for (pugi::xml_node run_child : child.children()) {
        if (IsElement(run_child, "t")) out += Text(run_child);
      }
    }
  }
  return internal::DecodeXstring(out);
}

// The r:id attribute: any namespace prefix, local name "id".
std::string_view RelationshipId(pugi::xml_node node) {
  for (pugi::xml_attribute attr : node.attributes()) {
    const std::string_view name(attr.name());
    if (name.find(':') != std::string_view::npos && LocalName(attr.name()) == "id") {
      return attr.value();
    }
  }
  return {};
}

bool EndsWith(std::string_view text, std::string_view suffix) { return text.ends_with(suffix); }

std::string DirName(std::string_view path) {
  const size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? std::string() : std::string(path.substr(0, slash));
}

// "xl/workbook.xml" -> "xl/_rels/workbook.xml.rels".
std::string RelsPathFor(std::string_view part) {
  const size_t slash = part.rfind('/');
  if (slash == std::string_view::npos) return "_rels/" + std::string(part) + ".rels";
  return std::string(part.substr(0, slash)) + "/_rels/" + std::string(part.substr(slash + 1)) +
         ".rels";
}

// Resolves a relationship target against the source part's folder; std::nullopt when the target
// is empty or climbs above the package root.
std::optional<std::string> ResolveTarget(std::string_view base_dir, std::string_view target) {
  if (target.empty()) return std::nullopt;
  std::string joined;
  if (target.starts_with('/')) {
    joined = std::string(target.substr(1));
  } else if (base_dir.empty()) {
    joined = std::string(target);
  } else {
    joined = std::string(base_dir) + "/" + std::string(target);
  }
  std::vector<std::string_view> segments;
  std::string_view rest(joined);
  while (true) {
    const size_t slash = rest.find('/');
    const std::string_view segment = rest.substr(0, slash);
    if (segment == "..") {
      if (segments.empty()) return std::nullopt;
      segments.pop_back();
    } else if (!segment.empty() && segment != ".") {
      segments.push_back(segment);
    }
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  if (segments.empty()) return std::nullopt;
  std::string path;
  for (const std::string_view segment : segments) {
    if (!path.empty()) path.push_back('/');
    path.append(segment);
  }
  return path;
}

struct Relationship {
  std::string type;
  std::optional<std::string> target;  // Resolved part path; std::nullopt when unusable.
};

using Relationships = std::map<std::string, Relationship, std::less<>>;

// Where a cell is, for error messages; formatted only on error.
struct CellLocation {
  const std::string& sheet;  // "sheet 'Name'".
  int column;
  int row;

  [[nodiscard]] std::string Describe() const {
    return sheet + " cell " + internal::ColumnName(column) + std::to_string(row);
  }
};

struct SheetEntry {
  std::string name;
  std::string relationship_id;
};

// Parses integers such as a row number or shared-string index; std::nullopt unless all digits.
std::optional<size_t> ParseIndex(std::string_view text) {
  text = internal::TrimAsciiSpace(text);
  size_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

class WorkbookReader {
 public:
  WorkbookReader(ZipReader zip, const XlsxOptions& options)
      : zip_(std::move(zip)), options_(options), budget_(options.max_uncompressed_bytes) {}

  core::Result<std::vector<Table>> Read() {
    UCSC_ASSIGN_OR_RETURN(std::string workbook_path, FindWorkbook());
    UCSC_ASSIGN_OR_RETURN(std::vector<SheetEntry> sheets, ReadSheetList(workbook_path));
    const std::string rels_path = RelsPathFor(workbook_path);
    if (!zip_.Contains(rels_path)) {
      return core::InvalidArgument("not an XLSX workbook: " + rels_path + " is missing");
    }
    UCSC_ASSIGN_OR_RETURN(Relationships rels, ReadRelationships(rels_path, DirName(workbook_path)));

    std::optional<std::string> shared_path;
    for (const auto& [id, rel] : rels) {
      if (EndsWith(rel.type, "/sharedStrings") && rel.target) shared_path = rel.target;
    }
    if (!shared_path) shared_path = "xl/sharedStrings.xml";
    if (zip_.Contains(*shared_path)) {  // Optional: a workbook without text has none.
      UCSC_ASSIGN_OR_RETURN(shared_strings_, ReadSharedStrings(*shared_path));
    }

    std::vector<Table> tables;
    for (const SheetEntry& sheet : sheets) {
      const auto rel = rels.find(sheet.relationship_id);
      if (rel == rels.end()) {
        return core::InvalidArgument("sheet " + Quote(sheet.name) + " refers to relationship " +
                                     Quote(sheet.relationship_id) + ", which " + rels_path +
                                     " does not define");
      }
      if (!EndsWith(rel->second.type, "/worksheet")) continue;  // Chart or dialog sheet.
      if (!rel->second.target) {
        return core::InvalidArgument("sheet " + Quote(sheet.name) + " has an invalid target");
      }
      UCSC_ASSIGN_OR_RETURN(Table table, ReadSheet(sheet.name, *rel->second.target));
      tables.push_back(std::move(table));
    }
    return tables;
  }

 private:
  // Reads and parses one XML part, charging its size to the budget.
  core::Status LoadXml(const std::string& path, std::string* buffer, pugi::xml_document* doc) {
    auto bytes = zip_.Read(path, budget_);
    if (!bytes) {
      if (bytes.error().code == core::ErrorCode::kNotFound) {
        return core::InvalidArgument("not an XLSX workbook: " + path + " is missing");
      }
      if (bytes.error().code == core::ErrorCode::kResourceExhausted) {
        return ResourceExhausted("workbook inflates to more than " +
                                 std::to_string(options_.max_uncompressed_bytes) +
                                 " bytes (limit max_uncompressed_bytes; " + path + ")");
      }
      return tl::unexpected(bytes.error());
    }
    budget_ -= bytes->size();
    *buffer = std::move(*bytes);
    const pugi::xml_parse_result parsed =
        doc->load_buffer_inplace(buffer->data(), buffer->size(), kParseFlags, pugi::encoding_auto);
    if (!parsed) {
      return core::InvalidArgument(path + " is not well-formed XML: " + parsed.description() +
                                   " at offset " + std::to_string(parsed.offset));
    }
    return core::Ok();
  }

  core::Result<Relationships> ReadRelationships(const std::string& path,
                                                const std::string& base_dir) {
    std::string buffer;
    pugi::xml_document doc;
    UCSC_RETURN_IF_ERROR(LoadXml(path, &buffer, &doc));
    const pugi::xml_node root = doc.document_element();
    if (!IsElement(root, "Relationships")) {
      return core::InvalidArgument(path + " is not a relationships part");
    }
    Relationships rels;
    for (pugi::xml_node node : root.children()) {
      if (!IsElement(node, "Relationship")) continue;
      if (std::string_view(node.attribute("TargetMode").value()) == "External") continue;
      rels[node.attribute("Id").value()] =
          Relationship{node.attribute("Type").value(),
                       ResolveTarget(base_dir, node.attribute("Target").value())};
    }
    return rels;
  }

  // The main part named by _rels/.rels, else xl/workbook.xml.
  core::Result<std::string> FindWorkbook() {
    std::string path(kDefaultWorkbookPath);
    if (zip_.Contains("_rels/.rels")) {
      UCSC_ASSIGN_OR_RETURN(Relationships rels, ReadRelationships("_rels/.rels", ""));
      for (const auto& [id, rel] : rels) {
        if (EndsWith(rel.type, "/officeDocument") && rel.target) path = *rel.target;
      }
    }
    if (!zip_.Contains(path)) {
      return core::InvalidArgument("not an XLSX workbook: " + path + " is missing");
    }
    return path;
  }

  core::Result<std::vector<SheetEntry>> ReadSheetList(const std::string& path) {
    std::string buffer;
    pugi::xml_document doc;
    UCSC_RETURN_IF_ERROR(LoadXml(path, &buffer, &doc));
    const pugi::xml_node root = doc.document_element();
    if (!IsElement(root, "workbook")) {
      return core::InvalidArgument(path + " is not a SpreadsheetML workbook");
    }
    std::vector<SheetEntry> sheets;
    for (pugi::xml_node node : Child(root, "sheets").children()) {
      if (!IsElement(node, "sheet")) continue;
      SheetEntry entry{internal::DecodeXstring(node.attribute("name").value()),
                       std::string(RelationshipId(node))};
      if (entry.name.empty() || entry.relationship_id.empty()) {
        return core::InvalidArgument(path + ": a sheet lacks its name or r:id");
      }
      if (internal::FindInvalidUtf8(entry.name) != std::string_view::npos) {
        return core::InvalidArgument(path + ": a sheet name is not valid UTF-8");
      }
      sheets.push_back(std::move(entry));
    }
    if (sheets.empty()) return core::InvalidArgument(path + " lists no sheets");
    return sheets;
  }

  core::Result<std::vector<std::string>> ReadSharedStrings(const std::string& path) {
    std::string buffer;
    pugi::xml_document doc;
    UCSC_RETURN_IF_ERROR(LoadXml(path, &buffer, &doc));
    const pugi::xml_node root = doc.document_element();
    if (!IsElement(root, "sst"))
      return core::InvalidArgument(path + " is not a shared string table");
    std::vector<std::string> strings;
    for (pugi::xml_node item : root.children()) {
      if (IsElement(item, "si")) strings.push_back(RichText(item));
    }
    return strings;
  }

  [[nodiscard]] core::Result<std::string> CellValue(pugi::xml_node cell,
                                                    const CellLocation& where) const {
    const std::string_view type =
        cell.attribute("t") ? std::string_view(cell.attribute("t").value()) : "n";
    const pugi::xml_node value = Child(cell, "v");
    if (type == "s") {
      if (!value) return std::string();
      const std::string text = Text(value);
      const std::optional<size_t> index = ParseIndex(text);
      if (!index || *index >= shared_strings_.size()) {
        return core::InvalidArgument(where.Describe() + ": shared string index " + Quote(text) +
                                     " is out of range");
      }
      return shared_strings_[*index];
    }
    if (type == "inlineStr") {
      const pugi::xml_node inline_string = Child(cell, "is");
      if (inline_string) return RichText(inline_string);
      return internal::DecodeXstring(Text(value));
    }
    if (type == "str") return internal::DecodeXstring(Text(value));
    if (type == "e" || type == "d") return Text(value);
    const std::string text = Text(value);
    if (internal::TrimAsciiSpace(text).empty()) return std::string();
    if (type == "b") {
      const std::string_view flag = internal::TrimAsciiSpace(text);
      if (flag == "1" || flag == "true") return std::string("TRUE");
      if (flag == "0" || flag == "false") return std::string("FALSE");
      return core::InvalidArgument(where.Describe() + ": " + Quote(text) + " is not a boolean");
    }
    if (type == "n") {
      std::optional<std::string> number = internal::FormatNumber(text);
      if (!number)
        return core::InvalidArgument(where.Describe() + ": " + Quote(text) + " is not a number");
      return std::move(*number);
    }
    return core::InvalidArgument(where.Describe() + ": unknown cell type " + Quote(type));
  }

  core::Result<Table> ReadSheet(const std::string& name, const std::string& path) {
    std::string buffer;
    pugi::xml_document doc;
    UCSC_RETURN_IF_ERROR(LoadXml(path, &buffer, &doc));
    const std::string sheet = "sheet " + Quote(name);
    const pugi::xml_node root = doc.document_element();
    if (!IsElement(root, "worksheet")) {
      return core::InvalidArgument(sheet + ": " + path + " is not a worksheet");
    }
    Table table;
    table.name = name;
    bool have_header = false;
    int previous_row = 0;
    for (pugi::xml_node row_node : Child(root, "sheetData").children()) {
      if (!IsElement(row_node, "row")) continue;
      int row_number = previous_row + 1;
      if (const pugi::xml_attribute attr = row_node.attribute("r")) {
        const std::optional<size_t> parsed = ParseIndex(attr.value());
        if (!parsed || *parsed == 0 || *parsed > internal::kMaxSheetRows) {
          return core::InvalidArgument(sheet + ": invalid row number " + Quote(attr.value()));
        }
        row_number = static_cast<int>(*parsed);
      } else if (row_number > internal::kMaxSheetRows) {
        return core::InvalidArgument(sheet + ": more than " +
                                     std::to_string(internal::kMaxSheetRows) + " rows");
      }
      previous_row = row_number;

      std::vector<std::string> cells;
      bool any_value = false;
      int previous_column = 0;
      for (pugi::xml_node cell : row_node.children()) {
        if (!IsElement(cell, "c")) continue;
        int column = previous_column + 1;
        if (const pugi::xml_attribute attr = cell.attribute("r")) {
          const std::optional<internal::CellRef> ref = internal::ParseCellRef(attr.value());
          if (!ref) {
            return core::InvalidArgument(sheet + " row " + std::to_string(row_number) +
                                         ": invalid cell reference " + Quote(attr.value()));
          }
          column = ref->column;
        } else if (column > internal::kMaxSheetColumns) {
          return core::InvalidArgument(sheet + " row " + std::to_string(row_number) +
                                       ": more than " + std::to_string(internal::kMaxSheetColumns) +
                                       " columns");
        }
        previous_column = column;
        const CellLocation where{sheet, column, row_number};
        if (static_cast<size_t>(column) > options_.max_columns) {
          return ResourceExhausted(where.Describe() + ": beyond " +
                                   std::to_string(options_.max_columns) +
                                   " columns (limit max_columns)");
        }
        UCSC_ASSIGN_OR_RETURN(std::string value, CellValue(cell, where));
        if (value.empty()) continue;
        if (internal::FindInvalidUtf8(value) != std::string_view::npos) {
          return core::InvalidArgument(where.Describe() +
                                       ": text is not valid UTF-8 or contains NUL");
        }
        if (have_header && static_cast<size_t>(column) > table.header.size()) {
          return core::InvalidArgument(
              where.Describe() +
              ": the cell has a value but its column has no header (the header ends at " +
              "column " + internal::ColumnName(static_cast<int>(table.header.size())) + ")");
        }
        text_bytes_ += value.size();
        if (text_bytes_ > options_.max_text_bytes) {
          return ResourceExhausted(where.Describe() + ": more than " +
                                   std::to_string(options_.max_text_bytes) +
                                   " bytes of cell text (limit max_text_bytes)");
        }
        if (cells.size() < static_cast<size_t>(column)) {
          cells.resize(have_header ? table.header.size() : static_cast<size_t>(column));
        }
        cells[static_cast<size_t>(column) - 1] = std::move(value);
        any_value = true;
      }
      if (!any_value) continue;

      if (!have_header) {
        for (std::string& cell : cells) cell = std::string(internal::TrimAsciiSpace(cell));
        while (!cells.empty() && cells.back().empty()) cells.pop_back();
        if (cells.empty()) continue;  // Only blanks: not yet the header.
        table.header = std::move(cells);
        have_header = true;
        continue;
      }
      if (table.rows.size() >= options_.max_rows) {
        return ResourceExhausted(sheet + " row " + std::to_string(row_number) + ": more than " +
                                 std::to_string(options_.max_rows) + " data rows (limit max_rows)");
      }
      cell_count_ += table.header.size();
      if (cell_count_ > options_.max_cells) {
        return ResourceExhausted(sheet + " row " + std::to_string(row_number) + ": more than " +
                                 std::to_string(options_.max_cells) +
                                 " cells in all sheets (limit max_cells)");
      }
      table.rows.push_back(Row{row_number, std::move(cells)});
    }
    return table;
  }

  ZipReader zip_;
  const XlsxOptions& options_;
  size_t budget_;  // Uncompressed bytes still allowed.
  size_t cell_count_ = 0;
  size_t text_bytes_ = 0;
  std::vector<std::string> shared_strings_;
};

}  // namespace

core::Result<std::vector<Table>> ReadXlsx(std::string_view bytes, const XlsxOptions& options) {
  if (bytes.starts_with(kOleMagic)) {
    return core::InvalidArgument(
        "this is a legacy .xls workbook or a password-protected .xlsx; save it as an unprotected "
        ".xlsx workbook");
  }
  UCSC_ASSIGN_OR_RETURN(ZipReader zip, ZipReader::Open(bytes));
  WorkbookReader reader(std::move(zip), options);
  return reader.Read();
}

}  // namespace ucsc::tabular
