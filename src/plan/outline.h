// Outlines of an incident-response plan (phương án ứng cứu sự cố) as data (data/plans/*.yaml):
// QĐ05/2017/QĐ-TTg Appendix II for systems of level 4, 5 or on the national-important list, and
// TT20/2017/TT-BTTTT Appendix III for every other system (TT20 Art 12.1). Each section has an id,
// a Vietnamese and an English title, a mandatory flag and a topic. R4 (QĐ05 Art 16.2, TT20 Art
// 12.2) is enforced at load: an outline must have a mandatory section for each of the topics
// risks, scenarios, response, training and continuity (the conditions and priority principles for
// keeping the system running during response).
//
// File format (one outline per file):
//   outline: tt20_appendix_3          # id, [a-z0-9_]+
//   version: 1
//   title: {vi: …, en: …}
//   basis: Thông tư 20/2017/TT-BTTTT, Phụ lục III
//   applies_to: other                 # "important" (level 4/5, national-important) or "other"
//   sections:
//     - {id: scope, topic: scope, mandatory: true, title: {vi: …, en: …}}
//
// Thread-safety: loaded outlines are immutable values; share them freely.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace ucsc::plan {

enum class Lang { kVi, kEn };

struct LocalizedText {
  std::string vi;
  std::string en;
  const std::string& In(Lang lang) const { return lang == Lang::kEn ? en : vi; }
  friend bool operator==(const LocalizedText&, const LocalizedText&) = default;
};

// What a section is about; the R4 checks and the scenario instantiation look at topics.
enum class Topic {
  kScope,         // phạm vi, đối tượng
  kObjectives,    // mục tiêu, yêu cầu
  kCurrentState,  // hiện trạng hệ thống
  kRisks,         // rủi ro, nguy cơ, tình huống sự cố (R4)
  kScenarios,     // kịch bản sự cố (R4; filled from the scenario library)
  kResponse,      // phương án ứng cứu theo kịch bản (R4)
  kContinuity,  // điều kiện, nguyên tắc ưu tiên duy trì hoạt động (TT20 Art 12.2, R4)
  kOrganisation,    // tổ chức lực lượng, đầu mối liên lạc
  kTraining,        // đào tạo, huấn luyện, diễn tập (R4, R25)
  kResources,       // trang thiết bị, phương tiện, kinh phí
  kImplementation,  // tổ chức thực hiện
  kOther,
};
std::string_view TopicName(Topic t);
std::optional<Topic> ParseTopic(std::string_view s);

// The topics R4 requires a mandatory section for.
const std::vector<Topic>& RequiredTopics();

enum class OutlineKind {
  kImportant,  // QĐ05 Appendix II: level 4, 5 or national-important
  kOther,      // TT20 Appendix III: all other systems
};

struct OutlineSection {
  std::string id;  // [a-z0-9_]+, unique in the outline
  LocalizedText title;
  bool mandatory = false;
  Topic topic = Topic::kOther;
};

struct Outline {
  std::string id;
  int version = 1;
  LocalizedText title;
  std::string basis;
  OutlineKind kind = OutlineKind::kOther;
  std::vector<OutlineSection> sections;
  std::string source;  // file it came from

  // The section with `id`, or nullptr.
  const OutlineSection* Find(std::string_view id) const;
  // The first section of `topic`, or nullptr.
  const OutlineSection* FirstOf(Topic topic) const;
};

// Parses one outline file. `path` names the file in errors.
// Errors: kInvalidArgument "path:line: /field: reason" (field also in Error::field) for YAML
// syntax, an unknown or missing field, a missing language, a bad id, a duplicate section id, an
// unknown topic or applies_to, and for an outline lacking a mandatory section of a topic R4
// requires (field "/sections").
[[nodiscard]] core::Result<Outline> ParseOutline(std::string_view text, std::string_view path);

// Loads every *.yaml of `dir`. Errors: those of ParseOutline; kNotFound for a missing or empty
// directory; kInvalidArgument when two files share an id and version.
[[nodiscard]] core::Result<std::vector<Outline>> LoadOutlines(const std::string& dir);

// Which outline applies to a system (TT20 Art 12.1): kImportant for level 4/5 or a system on the
// national-important list, kOther otherwise.
OutlineKind OutlineKindFor(int level, bool national_important);

// The highest version of the outline of `kind` in `outlines`, or nullptr.
const Outline* SelectOutline(const std::vector<Outline>& outlines, OutlineKind kind);

}  // namespace ucsc::plan
