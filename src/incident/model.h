// Incident domain model (issue 14): an incident of DOMAIN.md §3, the notification fields (A), the
// Form 03 fields (C), the Form 04 fields (D), and the dated events the workflows produce and the
// legal clocks read. Plain values, no I/O. JSON keys are the snake_case field names (codec.h).
// Thread-safety: values and immutable tables; safe to share between threads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"

namespace ucsc::incident {

// A text in both UI languages (Vietnamese first).
struct Text {
  std::string vi;
  std::string en;
  friend bool operator==(const Text&, const Text&) = default;
};

// ---- Incident types (DOMAIN.md §3.2, GLOSSARY "type 1–10") ----------------------------------

enum class IncidentType {
  kDos = 1,
  kSpoofing,
  kMalware,
  kUnauthorisedAccess,
  kDefacement,
  kEncryption,
  kDestruction,
  kDataTheft,
  kCombinedAttack,
  kOtherAttack,
};

struct IncidentTypeInfo {
  IncidentType type;
  int number;             // 1..10, the order of reports (Form 05 rows)
  std::string_view name;  // GLOSSARY identifier, e.g. "encryption"
  std::string_view vi;
  std::string_view en;
};
// The 10 types in report order.
const std::vector<IncidentTypeInfo>& IncidentTypes();
const IncidentTypeInfo& InfoOf(IncidentType t);
std::string_view IncidentTypeName(IncidentType t);
std::optional<IncidentType> ParseIncidentType(std::string_view s);

// ---- Harms of QĐ05 Art 9.1 (R14 criteria a–đ) -------------------------------------------------

enum class Harm {
  kServiceInterruption,  // (a) gián đoạn dịch vụ
  kSecretDataLeak,       // (b) lộ, mất bí mật nhà nước có thể xảy ra
  kIntegrityUnrecoverable,  // (c) dữ liệu quan trọng mất toàn vẹn, không khôi phục được
  kLossOfControl,           // (d) mất quyền kiểm soát hệ thống
  kChainEffect,  // (đ) nguy cơ lan rộng, dây chuyền tới hệ thống cấp độ 4, 5 khác
};
std::string_view HarmName(Harm h);
std::optional<Harm> ParseHarm(std::string_view s);
const std::vector<Harm>& AllHarms();

// Whether the operator/owner can handle the incident alone (QĐ05 Art 9.2, TT20 Art 9.2b).
enum class Capacity { kUnknown, kWithinCapacity, kBeyondCapacity };
std::string_view CapacityName(Capacity c);
std::optional<Capacity> ParseCapacity(std::string_view s);

// Which procedure the incident follows: TT20 Art 11 (4 steps) or QĐ05 Art 14 (7 steps).
enum class ProcessKind { kNormal, kSerious };
std::string_view ProcessKindName(ProcessKind p);
std::optional<ProcessKind> ParseProcessKind(std::string_view s);

// kOpen: under response (steps before the response ends); kResponseEnded: response finished,
// review/closure steps and Form 04 pending; kClosed: closed with Form 04 sent.
enum class IncidentState { kOpen, kResponseEnded, kClosed };
std::string_view IncidentStateName(IncidentState s);
std::optional<IncidentState> ParseIncidentState(std::string_view s);

// ---- Parts ----------------------------------------------------------------------------------

struct AffectedSystem {
  std::string system_id;  // inventory id, may be empty for a system outside the inventory
  std::string name;
  std::string address;  // domain or IP (DOMAIN A: "name or domain/IP")
  int level = 0;        // 0 = not classified, else 1..5 (NĐ85)
  bool national_important = false;
  friend bool operator==(const AffectedSystem&, const AffectedSystem&) = default;
};

struct Party {  // reporting organisation / person: name, address, phone, e-mail
  std::string name;
  std::string address;
  std::string phone;
  std::string email;
  friend bool operator==(const Party&, const Party&) = default;
};

struct ContactPerson {
  std::string name;
  std::string position;
  std::string phone;
  std::string email;
  friend bool operator==(const ContactPerson&, const ContactPerson&) = default;
};

// DOMAIN.md A, TT20 Art 9.3a: the incident notification (thông báo sự cố). The description and
// detection time are the incident's own fields.
struct Notification {
  Party reporter;               // (*) name, (*) address
  std::string operator_name;    // (*) đơn vị vận hành
  std::string owner_name;       // chủ quản, if known
  std::string handling_result;  // (*) kết quả xử lý ban đầu
  std::string recommendations;  // kiến nghị
  std::string other_information;
  friend bool operator==(const Notification&, const Notification&) = default;
};

enum class HandlingStatus { kUnknown, kHandled, kNotHandled };  // Form 03 "tình trạng sự cố"
std::string_view HandlingStatusName(HandlingStatus s);
std::optional<HandlingStatus> ParseHandlingStatus(std::string_view s);

// DOMAIN.md C: Form 03 "Báo cáo ban đầu sự cố mạng" (TT20 Appendix I). The reporter, operator,
// owner, description and detection time come from the notification and the incident.
struct InitialReport {
  ContactPerson contact;                             // (*) name, phone, e-mail; position
  std::string security_service_provider;             // đơn vị cung cấp dịch vụ ATTT
  std::string isp;                                   // nhà cung cấp kết nối
  HandlingStatus status = HandlingStatus::kUnknown;  // (*)
  // (*) any of: via IDS, log review, notified by (text), other (text)
  bool detected_by_ids = false;
  bool detected_by_log_review = false;
  std::string detected_notified_by;
  std::string detected_other;
  // (*) any of: network member, ISP, coordinating agency
  bool notified_network_member = false;
  bool notified_isp = false;
  bool notified_coordinating_agency = false;
  std::string os;
  std::vector<std::string> services;
  std::vector<std::string> security_measures;
  std::vector<std::string> public_ips;
  std::vector<std::string> domains;
  std::string system_purpose;
  std::vector<std::string> attachments;
  bool confidential = false;
  std::string proposals;
  std::string reference_no;   // số văn bản of the sent report (Form 04 cites it)
  core::Instant reported_at;  // (*) report time; 0 when not yet sent
  friend bool operator==(const InitialReport&, const InitialReport&) = default;
};

// DOMAIN.md D: Form 04 "Báo cáo kết thúc ứng phó sự cố".
struct ClosingReport {
  std::string what_happened;
  std::string resolution;
  std::string proposals;  // to reduce the risk of similar incidents
  std::vector<std::string> attachments;
  std::string reference_no;
  core::Instant reported_at;  // 0 when not yet sent
  friend bool operator==(const ClosingReport&, const ClosingReport&) = default;
};

// DOMAIN.md E (Form 05): who helped handle the incident and the damage it did, as the periodic
// summary counts them (R16, R18): handled with the help of domestic or foreign organisations,
// estimated damage. Self-handled is an incident whose response ended with no helper and no
// request for support (summary.h).
struct ResponseSupport {
  std::vector<std::string> domestic_helpers;  // tổ chức trong nước đã hỗ trợ
  std::vector<std::string> foreign_helpers;   // tổ chức nước ngoài đã hỗ trợ
  int64_t estimated_damage_vnd = 0;           // ước tính thiệt hại, VND; 0 = none estimated
  friend bool operator==(const ResponseSupport&, const ResponseSupport&) = default;
};

// DOMAIN.md F: one row of a progress report (báo cáo diễn biến).
struct ProgressEntry {
  core::Instant at;
  std::string description;
  friend bool operator==(const ProgressEntry&, const ProgressEntry&) = default;
};

// ---- Events (timeline, audit, legal clocks) -------------------------------------------------

enum class EventKind {
  kDetected,             // the incident was detected (detected_at)
  kNotificationSent,     // R8: notification to owner, coordinator, specialised unit
  kFollowUpSent,         // R9: update when handling ends
  kBeyondCapacity,       // R10 trigger: determined beyond the operator's capacity
  kPossiblySerious,      // R10 trigger: R14 says serious or possibly serious
  kInitialReportSent,    // R10: Form 03 sent
  kResponseStarted,      // R15 start
  kProgressReportSent,   // R15
  kResponseEnded,        // R9/R11 start
  kClosingReportSent,    // R11: Form 04 sent
  kNoticeReceived,       // R12 start, ref = the notice's id
  kAcknowledgementSent,  // R12, ref = the acknowledged notice's id
  kStepCompleted,        // workflow, ref = "<step>"
  kChecklistItemDone,    // workflow, ref = item id
  kProcessChanged,       // normal ↔ serious, detail = new process
  kClosed,
  kReopened,
  kPeriodicSummarySent,      // R16/R18 (organisation level), ref = period ("2026-H1", "2026")
  kNoticeSent,               // one notice sent (notices.h), ref = the notice's id; timeline only
  kAcknowledgementReceived,  // the recipient acknowledged a sent notice, ref = its id (R12)
};
std::string_view EventKindName(EventKind k);
std::optional<EventKind> ParseEventKind(std::string_view s);

struct Event {
  EventKind kind = EventKind::kDetected;
  core::Instant at;
  std::string ref;     // what the event is about (notice id, step, item, period)
  std::string actor;   // user id, empty for automatic events
  std::string detail;  // free text (reason of a reopening …)
  friend bool operator==(const Event&, const Event&) = default;
};

// ---- The incident ---------------------------------------------------------------------------

struct Incident {
  std::string id;
  std::string org_id;  // the operator's organisation
  std::string title;
  std::string description;  // (*) short description (A, C)
  IncidentType type = IncidentType::kOtherAttack;
  core::Instant detected_at;  // (*) detection date and time (A, C)
  core::Instant reported_at;  // when the notification was sent; 0 = not yet
  std::vector<AffectedSystem> affected_systems;
  std::vector<Harm> harms;
  std::string harm_description;  // preliminary harm, spread, impact (QĐ05 Art 11.4c)
  Capacity capacity = Capacity::kUnknown;
  IncidentState state = IncidentState::kOpen;
  ProcessKind process = ProcessKind::kNormal;
  int step = 1;                             // 1-based step of the process
  std::vector<std::string> checklist_done;  // ids of finished checklist items ("1.a")
  int reopen_count = 0;
  Notification notification;
  InitialReport initial_report;
  ClosingReport closing_report;
  ResponseSupport support;
  std::vector<ProgressEntry> progress;
  int64_t version = 0;
  core::Instant created_at;
  core::Instant updated_at;
};

}  // namespace ucsc::incident
