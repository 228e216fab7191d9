#include "incident/model.h"

#include <array>
#include <utility>

namespace ucsc::incident {
namespace {

template <class E, size_t N>
std::string_view NameIn(const std::array<std::pair<E, std::string_view>, N>& table, E e) {
  for (const auto& [value, name] : table) {
    if (value == e) return name;
  }
  return "unknown";
}

template <class E, size_t N>
std::optional<E> ParseIn(const std::array<std::pair<E, std::string_view>, N>& table,
                         std::string_view s) {
  for (const auto& [value, name] : table) {
    if (name == s) return value;
  }
  return std::nullopt;
}

constexpr std::array<std::pair<Harm, std::string_view>, 5> kHarms{{
    {Harm::kServiceInterruption, "service_interruption"},
    {Harm::kSecretDataLeak, "secret_data_leak"},
    {Harm::kIntegrityUnrecoverable, "integrity_unrecoverable"},
    {Harm::kLossOfControl, "loss_of_control"},
    {Harm::kChainEffect, "chain_effect"},
}};

constexpr std::array<std::pair<Capacity, std::string_view>, 3> kCapacities{{
    {Capacity::kUnknown, "unknown"},
    {Capacity::kWithinCapacity, "within_capacity"},
    {Capacity::kBeyondCapacity, "beyond_capacity"},
}};

constexpr std::array<std::pair<ProcessKind, std::string_view>, 2> kProcesses{{
    {ProcessKind::kNormal, "normal"},
    {ProcessKind::kSerious, "serious"},
}};

constexpr std::array<std::pair<IncidentState, std::string_view>, 3> kStates{{
    {IncidentState::kOpen, "open"},
    {IncidentState::kResponseEnded, "response_ended"},
    {IncidentState::kClosed, "closed"},
}};

constexpr std::array<std::pair<HandlingStatus, std::string_view>, 3> kHandling{{
    {HandlingStatus::kUnknown, "unknown"},
    {HandlingStatus::kHandled, "handled"},
    {HandlingStatus::kNotHandled, "not_handled"},
}};

constexpr std::array<std::pair<EventKind, std::string_view>, 20> kEvents{{
    {EventKind::kDetected, "detected"},
    {EventKind::kNotificationSent, "notification_sent"},
    {EventKind::kFollowUpSent, "follow_up_sent"},
    {EventKind::kBeyondCapacity, "beyond_capacity"},
    {EventKind::kPossiblySerious, "possibly_serious"},
    {EventKind::kInitialReportSent, "initial_report_sent"},
    {EventKind::kResponseStarted, "response_started"},
    {EventKind::kProgressReportSent, "progress_report_sent"},
    {EventKind::kResponseEnded, "response_ended"},
    {EventKind::kClosingReportSent, "closing_report_sent"},
    {EventKind::kNoticeReceived, "notice_received"},
    {EventKind::kAcknowledgementSent, "acknowledgement_sent"},
    {EventKind::kStepCompleted, "step_completed"},
    {EventKind::kChecklistItemDone, "checklist_item_done"},
    {EventKind::kProcessChanged, "process_changed"},
    {EventKind::kClosed, "closed"},
    {EventKind::kReopened, "reopened"},
    {EventKind::kPeriodicSummarySent, "periodic_summary_sent"},
    {EventKind::kNoticeSent, "notice_sent"},
    {EventKind::kAcknowledgementReceived, "acknowledgement_received"},
}};

}  // namespace

const std::vector<IncidentTypeInfo>& IncidentTypes() {
  static const std::vector<IncidentTypeInfo> kTypes{
      {IncidentType::kDos, 1, "dos", "Tấn công từ chối dịch vụ", "Denial of service"},
      {IncidentType::kSpoofing, 2, "spoofing", "Tấn công giả mạo", "Spoofing / phishing"},
      {IncidentType::kMalware, 3, "malware", "Tấn công sử dụng mã độc", "Malware"},
      {IncidentType::kUnauthorisedAccess, 4, "unauthorised_access",
       "Truy cập trái phép, chiếm quyền điều khiển", "Unauthorised access, takeover"},
      {IncidentType::kDefacement, 5, "defacement", "Thay đổi giao diện", "Defacement"},
      {IncidentType::kEncryption, 6, "encryption", "Mã hóa phần mềm, dữ liệu, thiết bị",
       "Ransomware / encryption"},
      {IncidentType::kDestruction, 7, "destruction", "Phá hoại thông tin, dữ liệu, phần mềm",
       "Destruction of data or software"},
      {IncidentType::kDataTheft, 8, "data_theft",
       "Nghe trộm, gián điệp, lấy cắp thông tin, dữ liệu", "Eavesdropping, espionage, data theft"},
      {IncidentType::kCombinedAttack, 9, "combined_attack", "Tấn công tổng hợp", "Combined attack"},
      {IncidentType::kOtherAttack, 10, "other_attack", "Hình thức tấn công khác", "Other"},
  };
  return kTypes;
}

const IncidentTypeInfo& InfoOf(IncidentType t) {
  return IncidentTypes()[static_cast<size_t>(t) - 1];
}
std::string_view IncidentTypeName(IncidentType t) { return InfoOf(t).name; }
std::optional<IncidentType> ParseIncidentType(std::string_view s) {
  for (const auto& info : IncidentTypes()) {
    if (info.name == s) return info.type;
  }
  return std::nullopt;
}

std::string_view HarmName(Harm h) { return NameIn(kHarms, h); }
std::optional<Harm> ParseHarm(std::string_view s) { return ParseIn(kHarms, s); }
const std::vector<Harm>& AllHarms() {
  static const std::vector<Harm> kAll{Harm::kServiceInterruption, Harm::kSecretDataLeak,
                                      Harm::kIntegrityUnrecoverable, Harm::kLossOfControl,
                                      Harm::kChainEffect};
  return kAll;
}
std::string_view CapacityName(Capacity c) { return NameIn(kCapacities, c); }
std::optional<Capacity> ParseCapacity(std::string_view s) { return ParseIn(kCapacities, s); }
std::string_view ProcessKindName(ProcessKind p) { return NameIn(kProcesses, p); }
std::optional<ProcessKind> ParseProcessKind(std::string_view s) { return ParseIn(kProcesses, s); }
std::string_view IncidentStateName(IncidentState s) { return NameIn(kStates, s); }
std::optional<IncidentState> ParseIncidentState(std::string_view s) { return ParseIn(kStates, s); }
std::string_view HandlingStatusName(HandlingStatus s) { return NameIn(kHandling, s); }
std::optional<HandlingStatus> ParseHandlingStatus(std::string_view s) {
  return ParseIn(kHandling, s);
}
std::string_view EventKindName(EventKind k) { return NameIn(kEvents, k); }
std::optional<EventKind> ParseEventKind(std::string_view s) { return ParseIn(kEvents, s); }

}  // namespace ucsc::incident
