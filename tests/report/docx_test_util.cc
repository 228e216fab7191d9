#include "report/docx_test_util.h"

#include <ft2build.h>
#include FT_FREETYPE_H
#include <gtest/gtest.h>
#include <zip.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "text/utf8.h"

namespace ucsc::report::testing {

std::map<std::string, std::string> Unzip(const std::string& bytes) {
  std::map<std::string, std::string> parts;
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  zip_t* archive = source == nullptr ? nullptr : zip_open_from_source(source, ZIP_RDONLY, &error);
  zip_error_fini(&error);
  if (archive == nullptr) {
    if (source != nullptr) zip_source_free(source);
    ADD_FAILURE() << "not a zip archive";
    return parts;
  }
  const zip_int64_t count = zip_get_num_entries(archive, 0);
  for (zip_int64_t i = 0; i < count; ++i) {
    zip_stat_t stat;
    zip_stat_init(&stat);
    if (zip_stat_index(archive, static_cast<zip_uint64_t>(i), 0, &stat) != 0) continue;
    zip_file_t* file = zip_fopen_index(archive, static_cast<zip_uint64_t>(i), 0);
    if (file == nullptr) continue;
    std::string data(static_cast<size_t>(stat.size), '\0');
    const zip_int64_t got = zip_fread(file, data.data(), data.size());
    zip_fclose(file);
    EXPECT_EQ(got, static_cast<zip_int64_t>(data.size())) << stat.name;
    parts[stat.name] = std::move(data);
  }
  zip_discard(archive);
  return parts;
}

std::string ParagraphText(const pugi::xml_node& p) {
  std::string text;
  for (pugi::xml_node r : p.children("w:r")) {
    for (pugi::xml_node child : r.children()) {
      const std::string name = child.name();
      if (name == "w:t") text += child.text().get();
      if (name == "w:br") text += '\n';
      if (name == "w:tab") text += '\t';
    }
  }
  return text;
}

int IntAttr(const pugi::xml_node& node, const char* name, int fallback) {
  const pugi::xml_attribute a = node.attribute(name);
  return a ? a.as_int() : fallback;
}

RunFormat FormatOf(const pugi::xml_node& p) {
  RunFormat format;
  bool first = true;
  for (pugi::xml_node r : p.children("w:r")) {
    const pugi::xml_node rpr = r.child("w:rPr");
    const pugi::xml_node fonts = rpr.child("w:rFonts");
    for (const char* attr : {"w:ascii", "w:hAnsi", "w:cs"}) {
      if (std::string(fonts.attribute(attr).value()) != "Times New Roman") {
        format.all_times_new_roman = false;
      }
    }
    const bool bold = static_cast<bool>(rpr.child("w:b"));
    const bool italic = static_cast<bool>(rpr.child("w:i"));
    const int size = IntAttr(rpr.child("w:sz"), "w:val");
    if (first) {
      format.bold = bold;
      format.italic = italic;
      format.half_points = size;
      first = false;
    } else if (bold != format.bold || italic != format.italic || size != format.half_points) {
      format.uniform = false;
    }
  }
  return format;
}

std::vector<pugi::xml_node> CellParagraphs(const pugi::xml_node& tc) {
  std::vector<pugi::xml_node> out;
  for (pugi::xml_node p : tc.children("w:p")) out.push_back(p);
  return out;
}

void AddBlock(OfficialDocument* doc, Block block) { doc->body.push_back(std::move(block)); }

OfficialDocument SampleReport() {
  OfficialDocument doc;
  doc.parent_body = "UBND tỉnh Thái Nguyên";
  doc.issuing_body = "Sở Khoa học và Công nghệ";
  doc.number = 7;
  doc.symbol = "BC-SKHCN";
  doc.place = "Thái Nguyên";
  doc.date = {2026, 12, 5};
  doc.type_name = "Báo cáo";
  doc.abstract = "Tình hình bảo đảm an toàn hệ thống thông tin theo cấp độ năm 2026";
  doc.addressees = {"Bộ Công an", "Ủy ban nhân dân tỉnh Thái Nguyên"};
  doc.legal_bases = {"Căn cứ Nghị định số 85/2016/NĐ-CP ngày 01/7/2016 của Chính phủ",
                     "Căn cứ Thông tư số 12/2022/TT-BTTTT ngày 12/8/2022"};
  doc.body.push_back(Heading{"I. TÌNH HÌNH CHUNG", HeadingStyle::kSection});
  doc.body.push_back(Paragraph::Plain(
      "Trong kỳ báo cáo, các cơ quan, đơn vị đã rà soát, cập nhật hồ sơ đề xuất cấp độ và triển "
      "khai phương án bảo đảm an toàn hệ thống thông tin theo đúng quy định."));
  doc.body.push_back(
      NumberedList{{"Kiểm tra, đánh giá định kỳ;", "Diễn tập thực chiến."}, ListStyle::kLetter});
  Table table;
  table.header = {"STT", "Tên hệ thống", "Cấp độ"};
  table.rows = {{"1", "Cổng dịch vụ công trực tuyến", "3"}, {"2", "Hệ thống thư điện tử", "2"}};
  table.column_weights = {1, 6, 2};
  table.centered_columns = {0, 2};
  doc.body.push_back(table);
  doc.body.push_back(Paragraph::Plain("Sở Khoa học và Công nghệ trân trọng báo cáo."));
  doc.signature = {"KT. Giám đốc", "Phó Giám đốc", "Nguyễn Thị Hồng Nhung"};
  doc.recipients = {"Bộ Công an (A05)", "UBND tỉnh (để b/c)"};
  doc.archive_units = "VT, CNTT";
  doc.drafter_and_copies = "NTHN.(05)";
  return doc;
}

OfficialDocument SampleCongVan() {
  OfficialDocument doc = SampleReport();
  doc.kind = DocumentKind::kCongVan;
  doc.symbol = "SKHCN-CNTT";
  doc.number = 125;
  doc.date = {2026, 2, 9};
  doc.type_name.clear();
  doc.abstract = "Đôn đốc thực hiện Chỉ thị số 18/CT-TTg";
  doc.addressees = {"Các sở, ban, ngành tỉnh"};
  doc.legal_bases.clear();
  return doc;
}

int MeasuredBoldWidthTwips(const std::string& utf8, int size_pt) {
  static const char* kCandidates[] = {
      "/usr/share/fonts/truetype/liberation2/LiberationSerif-Bold.ttf",
      "/usr/share/fonts/truetype/liberation/LiberationSerif-Bold.ttf"};
  const char* path = nullptr;
  for (const char* candidate : kCandidates) {
    if (std::filesystem::exists(candidate)) path = candidate;
  }
  if (path == nullptr) return -1;
  FT_Library library;
  if (FT_Init_FreeType(&library) != 0) return -1;
  FT_Face face;
  if (FT_New_Face(library, path, 0, &face) != 0) {
    FT_Done_FreeType(library);
    return -1;
  }
  long units = 0;
  std::string_view rest = utf8;
  while (!rest.empty()) {
    const text::Decoded d = text::DecodeUtf8(rest);
    rest.remove_prefix(d.length);
    const FT_UInt glyph = FT_Get_Char_Index(face, d.code_point);
    if (FT_Load_Glyph(face, glyph, FT_LOAD_NO_SCALE) == 0) units += face->glyph->advance.x;
  }
  const long per_em = face->units_per_EM;
  FT_Done_Face(face);
  FT_Done_FreeType(library);
  return static_cast<int>(units * size_pt * 20 / per_em);
}

bool InCi() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && std::strcmp(ci, "true") == 0;
}

}  // namespace ucsc::report::testing
