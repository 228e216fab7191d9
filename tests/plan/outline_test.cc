#include "plan/outline.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "test_util.h"

namespace ucsc::plan {
namespace {

using testing::ShippedOutlines;

constexpr std::string_view kMinimal = R"(outline: t
version: 2
title: {vi: Đề cương, en: Outline}
basis: TT20
applies_to: other
sections:
  - {id: risks, topic: risks, mandatory: true, title: {vi: Rủi ro, en: Risks}}
  - {id: scen, topic: scenarios, mandatory: true, title: {vi: Kịch bản, en: Scenarios}}
  - {id: resp, topic: response, mandatory: true, title: {vi: Ứng cứu, en: Response}}
  - {id: train, topic: training, mandatory: true, title: {vi: Diễn tập, en: Drills}}
  - {id: keep, topic: continuity, mandatory: true, title: {vi: Duy trì, en: Continuity}}
)";

TEST(OutlineLoad, ShippedOutlinesCoverBothKinds_TT20Art12_1) {
  ASSERT_EQ(ShippedOutlines().size(), 2u);
  const Outline* important = SelectOutline(ShippedOutlines(), OutlineKind::kImportant);
  const Outline* other = SelectOutline(ShippedOutlines(), OutlineKind::kOther);
  ASSERT_NE(important, nullptr);
  ASSERT_NE(other, nullptr);
  EXPECT_EQ(important->id, "qd05_appendix_2");
  EXPECT_EQ(other->id, "tt20_appendix_3");
}

TEST(OutlineLoad, ShippedOutlinesHaveMandatoryContinuitySection_TT20Art12_2) {
  for (const auto& o : ShippedOutlines()) {
    const OutlineSection* s = o.FirstOf(Topic::kContinuity);
    ASSERT_NE(s, nullptr) << o.id;
    EXPECT_TRUE(s->mandatory) << o.id;
    EXPECT_NE(s->title.vi.find("duy trì hoạt động"), std::string::npos) << s->title.vi;
    EXPECT_FALSE(s->title.en.empty());
  }
}

TEST(OutlineLoad, ShippedOutlinesHaveEveryR4Topic) {
  for (const auto& o : ShippedOutlines()) {
    for (Topic t : RequiredTopics()) {
      EXPECT_TRUE(std::any_of(o.sections.begin(), o.sections.end(),
                              [&](const auto& s) { return s.topic == t && s.mandatory; }))
          << o.id << " " << TopicName(t);
    }
  }
}

TEST(OutlineKindFor, LevelFourFiveOrNationalImportantUseQd05AppendixII) {
  EXPECT_EQ(OutlineKindFor(1, false), OutlineKind::kOther);
  EXPECT_EQ(OutlineKindFor(3, false), OutlineKind::kOther);
  EXPECT_EQ(OutlineKindFor(4, false), OutlineKind::kImportant);
  EXPECT_EQ(OutlineKindFor(5, false), OutlineKind::kImportant);
  EXPECT_EQ(OutlineKindFor(2, true), OutlineKind::kImportant);
}

TEST(OutlineParse, MinimalOutlineParses) {
  auto o = ParseOutline(kMinimal, "mem.yaml");
  ASSERT_TRUE(o.has_value()) << o.error().ToString();
  EXPECT_EQ(o->id, "t");
  EXPECT_EQ(o->version, 2);
  ASSERT_EQ(o->sections.size(), 5u);
  EXPECT_EQ(o->sections[4].title.vi, "Duy trì");
  EXPECT_EQ(o->Find("keep")->topic, Topic::kContinuity);
  EXPECT_EQ(o->Find("nope"), nullptr);
}

// Replaces the first occurrence of `from` in kMinimal.
std::string Edit(std::string_view from, std::string_view to) {
  std::string s(kMinimal);
  auto pos = s.find(from);
  EXPECT_NE(pos, std::string::npos) << from;
  s.replace(pos, from.size(), to);
  return s;
}

void ExpectError(const std::string& text, std::string_view field, std::string_view words) {
  auto o = ParseOutline(text, "bad.yaml");
  ASSERT_FALSE(o.has_value());
  EXPECT_EQ(o.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(o.error().field, field) << o.error().message;
  EXPECT_NE(o.error().message.find("bad.yaml:"), std::string::npos) << o.error().message;
  EXPECT_NE(o.error().message.find(words), std::string::npos) << o.error().message;
}

TEST(OutlineParse, MissingEnglishTitleNamesFileAndField) {
  ExpectError(Edit("{vi: Rủi ro, en: Risks}", "{vi: Rủi ro}"), "/sections/0/title/en", "missing");
}

TEST(OutlineParse, UnknownFieldIsRefused) {
  ExpectError(Edit("basis: TT20", "basis: TT20\ncolour: red"), "/colour", "unknown field");
}

TEST(OutlineParse, UnknownTopicIsRefused) {
  ExpectError(Edit("topic: risks", "topic: weather"), "/sections/0/topic", "unknown topic");
}

TEST(OutlineParse, DuplicateSectionIdIsRefused) {
  ExpectError(Edit("id: scen", "id: risks"), "/sections/1/id", "duplicate");
}

TEST(OutlineParse, BadMandatoryFlagIsRefused) {
  ExpectError(Edit("mandatory: true", "mandatory: yes"), "/sections/0/mandatory", "true or false");
}

TEST(OutlineParse, OutlineWithoutMandatoryContinuityIsRefused_R4_TT20Art12_2) {
  ExpectError(Edit("topic: continuity, mandatory: true", "topic: continuity, mandatory: false"),
              "/sections", "TT20 Art 12.2");
}

TEST(OutlineParse, OutlineWithoutScenariosIsRefused_R4) {
  ExpectError(Edit("topic: scenarios", "topic: other"), "/sections", "scenarios");
}

TEST(OutlineParse, BadAppliesToAndSyntaxAreRefused) {
  ExpectError(Edit("applies_to: other", "applies_to: all"), "/applies_to", "important");
  auto o = ParseOutline("outline: [", "syntax.yaml");
  ASSERT_FALSE(o.has_value());
  EXPECT_NE(o.error().message.find("syntax.yaml:"), std::string::npos);
}

TEST(OutlineLoad, MissingDirectoryIsNotFound) {
  auto o = LoadOutlines("/nonexistent/plans");
  ASSERT_FALSE(o.has_value());
  EXPECT_EQ(o.error().code, core::ErrorCode::kNotFound);
}

}  // namespace
}  // namespace ucsc::plan
