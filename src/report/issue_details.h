// IssueDetails: who issues a generated report and to whom — the parts of an OfficialDocument
// that the builders (level_report.h, compliance_report.h) do not compute themselves.
// Thread-safety: plain values.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/legal_time.h"
#include "report/official_document.h"

namespace ucsc::report {

struct IssueDetails {
  std::string parent_body;   // e.g. "UBND tỉnh Thái Nguyên"; may be empty
  std::string issuing_body;  // e.g. "Sở Khoa học và Công nghệ"; required
  // The issuer's abbreviation in the symbol: "SKHCN" gives "BC-SKHCN". Required; letters (and
  // digits after the first letter of a group), groups joined by '-', e.g. "CAT-PA05".
  std::string issuer_code;
  std::optional<int> number;  // nullopt: left blank for the văn thư (see OfficialDocument)
  std::string place;          // "Thái Nguyên"
  core::LocalDate date;       // date of signing
  std::vector<std::string> addressees;  // "Kính gửi:"; e.g. {"Bộ Công an"}
  Signature signature;
  std::vector<std::string> recipients;  // "Nơi nhận:" items before "Lưu"
  std::string archive_units = "VT";     // "- Lưu: VT, CNTT."
  std::string drafter_and_copies;       // optional, e.g. "NVA.(05)"
};

// The issuer's abbreviation for the symbol: `short_name` when it already is one (capitals,
// digits and '-', starting with a letter, at most 20: "SYT", "CAT-PA05"), else the initials of
// the words of `short_name` — or of `name` when it is empty — without diacritics, digits kept
// whole ("Sở Y tế" → "SYT", "Phòng 5" → "P5"), at most 12; "DV" (đơn vị) when nothing usable is
// left.
std::string IssuerCode(std::string_view short_name, std::string_view name);

// The place of issue from the root organisation's name: what follows its last "tỉnh " or
// "thành phố " ("Ủy ban nhân dân tỉnh Sông Hồng" → "Sông Hồng"), else the whole name.
std::string PlaceOfIssue(std::string_view root_name);

// Returns an OfficialDocument of kind kTyped with the fields of `issue` copied in, `type_name`
// and the symbol "<type_abbreviation>-<issuer_code>" (e.g. "BC" + "SKHCN" -> "BC-SKHCN").
OfficialDocument StartTypedDocument(const IssueDetails& issue, std::string type_name,
                                    std::string_view type_abbreviation);

}  // namespace ucsc::report
