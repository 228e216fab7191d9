#include "incident/classify.h"

#include <algorithm>

namespace ucsc::incident {
namespace {

struct HarmText {
  Harm harm;
  const char* id;
  const char* vi;
  const char* en;
};

constexpr HarmText kHarmTexts[] = {
    {Harm::kServiceInterruption, "R14.2a", "Hệ thống bị gián đoạn dịch vụ", "Service interruption"},
    {Harm::kSecretDataLeak, "R14.2b", "Dữ liệu tuyệt mật hoặc bí mật nhà nước có khả năng bị lộ",
     "Top-secret or state-secret data may leak"},
    {Harm::kIntegrityUnrecoverable, "R14.2c",
     "Dữ liệu quan trọng bị mất tính toàn vẹn và không khôi phục được",
     "Important data lost integrity and cannot be restored"},
    {Harm::kLossOfControl, "R14.2d", "Hệ thống bị mất quyền điều khiển", "Loss of control"},
    {Harm::kChainEffect, "R14.2đ",
     "Có khả năng lan rộng, gây thiệt hại dây chuyền tới hệ thống cấp độ 4, cấp độ 5 khác",
     "Likely widespread or chain effect on other level 4/5 systems"},
};

std::string SystemLabel(const AffectedSystem& s) {
  if (!s.name.empty()) return s.name;
  if (!s.address.empty()) return s.address;
  return s.system_id;
}

}  // namespace

std::string_view OutcomeName(Outcome o) {
  switch (o) {
    case Outcome::kMet:
      return "met";
    case Outcome::kNotMet:
      return "not_met";
    case Outcome::kUnknown:
      return "unknown";
  }
  return "unknown";
}

std::string_view SeriousnessName(Seriousness s) {
  switch (s) {
    case Seriousness::kNormal:
      return "normal";
    case Seriousness::kPossiblySerious:
      return "possibly_serious";
    case Seriousness::kSerious:
      return "serious";
  }
  return "normal";
}

Classification Classify(const Incident& inc) {
  Classification out;

  // (1) the system scope.
  CriterionResult scope{
      "R14.1",
      {"Hệ thống cấp độ 4, cấp độ 5 hoặc thuộc danh mục hệ thống quan trọng quốc gia",
       "System of level 4 or 5 or on the national important list"},
      Outcome::kNotMet,
      {}};
  std::string vi_hits;
  std::string en_hits;
  bool any_unknown_level = false;
  for (const auto& s : inc.affected_systems) {
    if (s.level >= 4 || s.national_important) {
      const std::string label = SystemLabel(s);
      if (!vi_hits.empty()) {
        vi_hits += "; ";
        en_hits += "; ";
      }
      if (s.national_important) {
        vi_hits += label + " (thuộc danh mục quan trọng quốc gia)";
        en_hits += label + " (national important list)";
      } else {
        vi_hits += label + " (cấp độ " + std::to_string(s.level) + ")";
        en_hits += label + " (level " + std::to_string(s.level) + ")";
      }
    }
    if (s.level == 0 && !s.national_important) any_unknown_level = true;
  }
  if (!vi_hits.empty()) {
    scope.outcome = Outcome::kMet;
    scope.reason = {"Hệ thống bị ảnh hưởng: " + vi_hits, "Affected: " + en_hits};
  } else if (any_unknown_level) {
    scope.outcome = Outcome::kUnknown;
    scope.reason = {"Có hệ thống bị ảnh hưởng chưa được xác định cấp độ",
                    "An affected system has no approved level"};
  } else if (inc.affected_systems.empty()) {
    scope.reason = {"Chưa ghi nhận hệ thống bị ảnh hưởng", "No affected system recorded"};
  } else {
    scope.reason = {
        "Các hệ thống bị ảnh hưởng đều dưới cấp độ 4 và không thuộc danh mục quan "
        "trọng quốc gia",
        "Every affected system is below level 4 and not on the national list"};
  }
  out.criteria.push_back(scope);

  // (2) a–đ, each, then their disjunction.
  bool any_harm = false;
  for (const auto& h : kHarmTexts) {
    const bool has = std::find(inc.harms.begin(), inc.harms.end(), h.harm) != inc.harms.end();
    any_harm = any_harm || has;
    out.criteria.push_back(
        {h.id,
         {h.vi, h.en},
         has ? Outcome::kMet : Outcome::kNotMet,
         has ? Text{"Đã ghi nhận trong thiệt hại của sự cố", "Recorded among the incident's harms"}
             : Text{"Không được ghi nhận", "Not recorded"}});
  }
  out.criteria.push_back(
      {"R14.2",
       {"Gây ra ít nhất một hậu quả (a)–(đ)", "At least one of the harms (a)–(đ)"},
       any_harm ? Outcome::kMet : Outcome::kNotMet,
       any_harm ? Text{"Có ít nhất một hậu quả (a)–(đ)", "At least one of (a)–(đ) is recorded"}
                : Text{"Không có hậu quả nào trong (a)–(đ)", "None of (a)–(đ) is recorded"}});

  // (3) capacity.
  CriterionResult cap{"R14.3",
                      {"Chủ quản hệ thống không đủ khả năng tự kiểm soát, xử lý",
                       "The owner cannot control or handle it alone"},
                      Outcome::kNotMet,
                      {}};
  switch (inc.capacity) {
    case Capacity::kBeyondCapacity:
      cap.outcome = Outcome::kMet;
      cap.reason = {"Đã xác định vượt quá khả năng xử lý của đơn vị",
                    "Determined beyond the owner's capacity"};
      break;
    case Capacity::kWithinCapacity:
      cap.reason = {"Đơn vị tự xử lý được", "The owner can handle it"};
      break;
    case Capacity::kUnknown:
      cap.outcome = Outcome::kUnknown;
      cap.reason = {"Chưa xác định khả năng xử lý", "Capacity not yet determined"};
      break;
  }
  out.criteria.push_back(cap);

  const Outcome c1 = scope.outcome;
  const Outcome c3 = cap.outcome;
  if (c1 == Outcome::kMet && any_harm && c3 == Outcome::kMet) {
    out.outcome = Seriousness::kSerious;
    out.summary = {
        "Sự cố nghiêm trọng: đáp ứng cả ba tiêu chí của Điều 9 Quyết định 05/2017/QĐ-TTg",
        "Serious incident: all three criteria of QĐ05 Art 9 are met"};
  } else if (c1 != Outcome::kNotMet && any_harm && c3 != Outcome::kNotMet) {
    out.outcome = Seriousness::kPossiblySerious;
    out.summary = {
        "Có thể là sự cố nghiêm trọng: còn tiêu chí chưa xác định; gửi báo cáo ban đầu "
        "ngay",
        "Possibly serious: a criterion is still unknown; send the initial report now"};
  } else {
    out.outcome = Seriousness::kNormal;
    out.summary = {"Sự cố thông thường: xử lý theo Thông tư 20/2017/TT-BTTTT",
                   "Normal incident: handled under Circular 20/2017/TT-BTTTT"};
  }
  return out;
}

}  // namespace ucsc::incident
