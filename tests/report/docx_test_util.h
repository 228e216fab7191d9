// Test helpers: unzip a DOCX (libzip), parse its parts (pugixml) and read paragraphs the way the
// DOCFORMAT checklist talks about them.
#pragma once

#include <map>
#include <pugixml.hpp>
#include <string>
#include <vector>

#include "report/official_document.h"

namespace ucsc::report::testing {

// Returns every entry of the zip in `bytes` by name; fails the current test when unreadable.
std::map<std::string, std::string> Unzip(const std::string& bytes);

// Concatenated w:t text of a paragraph, with w:br as '\n' and w:tab as '\t'.
std::string ParagraphText(const pugi::xml_node& p);

// Run properties of a paragraph's text runs, when they agree (they do in what RenderDocx writes).
struct RunFormat {
  bool bold = false;
  bool italic = false;
  int half_points = 0;
  bool all_times_new_roman = true;
  bool uniform = true;  // all runs share bold/italic/size
};
RunFormat FormatOf(const pugi::xml_node& p);

// Integer attribute value, or `fallback`.
int IntAttr(const pugi::xml_node& node, const char* name, int fallback = -1);

// Direct w:p children of a table cell.
std::vector<pugi::xml_node> CellParagraphs(const pugi::xml_node& tc);

// Appends `block` to doc->body (out of line: GCC 12 reports a false -Wmaybe-uninitialized when
// a std::variant temporary is pushed inline).
void AddBlock(OfficialDocument* doc, Block block);

// Sample documents used by several tests: a typed report with every element, and a công văn.
OfficialDocument SampleReport();
OfficialDocument SampleCongVan();

// Advance width of `utf8` in Liberation Serif Bold (metric-compatible with Times New Roman
// Bold) at `size_pt`, in twips, measured with FreeType from the font file; -1 when the font is
// not installed.
int MeasuredBoldWidthTwips(const std::string& utf8, int size_pt);

// True when running under CI=true (integration tests must not skip there).
bool InCi();

}  // namespace ucsc::report::testing
