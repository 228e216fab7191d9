// Domain types of the inventory and of the platform's own bookkeeping (users, tasks, jobs,
// audit). Plain values, no I/O. Field names match the JSON keys of the API (DESIGN.md contracts).
// Thread-safety: values; copy freely.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/legal_time.h"

namespace ucsc::core {

// ---- Organisations -------------------------------------------------------------------------

enum class OrgType {
  kCoordinator,  // provincial specialised IR unit / focal point (Sở KH&CN or Công an tỉnh)
  kProvince,     // Ủy ban nhân dân tỉnh
  kAgency,       // Sở, ban, ngành
  kCommune,      // Ủy ban nhân dân xã
  kPublicServiceUnit,  // đơn vị sự nghiệp (hospital, school)
  kEnterprise,         // enterprise / ISP
  kPolice,             // Công an tỉnh
  kMilitary,           // Bộ Chỉ huy quân sự tỉnh
  kExternal,           // external national body (coordinating agency, A05 …)
};
std::string_view OrgTypeName(OrgType t);
std::optional<OrgType> ParseOrgType(std::string_view s);
const std::vector<std::string_view>& OrgTypeNames();

struct FocalPoint {  // 24/7 focal point (đầu mối), TT20 Art 5–6, R17
  std::string name;
  std::string phone;
  std::string email;
  friend bool operator==(const FocalPoint&, const FocalPoint&) = default;
};

struct Organisation {
  std::string id;
  std::string name;
  std::string short_name;
  OrgType type = OrgType::kAgency;
  std::string parent_id;  // empty at the root (the province)
  bool network_member = false;
  FocalPoint focal_point;
  std::string address;
  std::string email;
  std::string phone;
  int64_t version = 0;
  Instant created_at;
  Instant updated_at;
};

// ---- Information systems --------------------------------------------------------------------

struct LevelApproval {  // approval record of the security level (ND85 Art 12–16, R19/R20)
  std::string decision_no;
  std::string date;  // YYYY-MM-DD, empty when not yet approved
  std::string approver;
  friend bool operator==(const LevelApproval&, const LevelApproval&) = default;
};

struct LevelHistoryEntry {
  int level = 0;
  LevelApproval approval;
  Instant changed_at;
  std::string changed_by;
};

struct InformationSystem {
  std::string id;
  std::string name;
  std::string owner_org_id;
  std::string operator_org_id;
  int level = 1;  // 1..5
  LevelApproval approval;
  std::vector<LevelHistoryEntry> level_history;
  bool national_important = false;
  std::vector<std::string> public_endpoints;
  std::string description;
  int64_t version = 0;
  Instant created_at;
  Instant updated_at;
};

// One recorded change of a system: what changed, who, when. The IR-plan staleness and the
// compliance rules (R3) react to these.
struct ChangeEvent {
  std::string id;
  std::string system_id;
  std::string field;   // JSON pointer of the changed field, e.g. "/level"
  std::string before;  // JSON text
  std::string after;   // JSON text
  std::string actor;
  Instant at;
};

// ---- Assets ---------------------------------------------------------------------------------

struct Software {
  std::string vendor;
  std::string product;
  std::string version;
  std::string cpe;  // CPE 2.3 formatted string, may be empty
  friend bool operator==(const Software&, const Software&) = default;
};

struct Asset {
  std::string id;
  std::string system_id;
  std::string org_id;  // owner of the system; derived, kept for scoping
  std::string name;    // host name shown to people
  std::vector<std::string> ips;
  std::vector<std::string> hostnames;
  std::string os;
  std::vector<Software> software;
  int64_t version = 0;
  Instant created_at;
  Instant updated_at;
};

// ---- People ---------------------------------------------------------------------------------

struct Contact {
  std::string id;
  std::string org_id;
  std::string name;
  std::string position;
  std::string phone;
  std::string email;
  bool focal_point = false;
  int64_t version = 0;
  Instant created_at;
  Instant updated_at;
};

struct IrTeamMember {
  std::string id;
  std::string org_id;
  std::string name;
  std::string email;
  std::string phone;
  std::vector<std::string> skills;
  std::vector<std::string> certificates;
  bool outsourced = false;
  int64_t version = 0;
  Instant created_at;
  Instant updated_at;
};

// ---- Tasks ----------------------------------------------------------------------------------

enum class TaskState { kOpen, kInProgress, kDone, kCancelled };
std::string_view TaskStateName(TaskState s);
std::optional<TaskState> ParseTaskState(std::string_view s);

// The shared unit of follow-up work (remediation, hunt, plan update …) that capabilities create.
struct Task {
  std::string id;
  std::string org_id;
  std::string system_id;  // may be empty
  std::string kind;       // "remediation", "hunt", "scan", "plan_update", "drill", "other" …
  std::string title;
  std::string assignee;  // user id, may be empty
  std::string due_date;  // YYYY-MM-DD local, may be empty
  TaskState state = TaskState::kOpen;
  int64_t version = 0;
  Instant created_at;
  Instant updated_at;
};

// ---- Compliance evidence ----------------------------------------------------------------------

enum class ReviewState { kPending, kAccepted, kRejected };
std::string_view ReviewStateName(ReviewState s);
std::optional<ReviewState> ParseReviewState(std::string_view s);

// A file attached to an evidence record. The bytes live outside any served directory, under a
// name derived from their SHA-256; `name` is the uploader's file name, for display only.
struct EvidenceFile {
  std::string name;
  std::string sha256;  // hex
  int64_t size = 0;
  std::string content_type;  // sniffed from the bytes, not taken from the client
  friend bool operator==(const EvidenceFile&, const EvidenceFile&) = default;
};

// Proof that an obligation was met (hunt report, scan report, IR plan version, drill report,
// inspection, approval decision, periodic report, training …), attached to a system or an
// organisation and reviewed by the coordinator (accept / reject with a reason).
struct Evidence {
  std::string id;
  std::string org_id;        // the organisation answerable; derived from the subject
  std::string subject_kind;  // "system" or "organisation"
  std::string subject_id;
  std::string type;          // compliance::EvidenceTypeNames()
  std::string performed_on;  // YYYY-MM-DD local: when the activity was done
  std::string title;
  std::string description;
  std::string submitted_by;  // user id or "cli:<os user>"
  EvidenceFile file;         // sha256 empty when no file
  ReviewState review = ReviewState::kPending;
  std::string review_reason;
  std::string reviewed_by;
  Instant reviewed_at;
  int64_t version = 0;
  Instant created_at;
  Instant updated_at;
};

// ---- Users and roles (DESIGN.md "Who uses it")
// ---------------------------------------------------

enum class Role { kAdmin, kCoordinator, kResponder, kOrgManager, kOrgStaff, kLiaison, kAuditor };
std::string_view RoleName(Role r);
std::optional<Role> ParseRole(std::string_view s);
const std::vector<Role>& AllRoles();

struct User {
  std::string id;
  std::string username;
  std::string display_name;
  Role role = Role::kOrgStaff;
  std::string org_id;
  std::string email;
  std::string password_hash;   // argon2id encoded string
  std::string totp_secret;     // base32, empty when 2FA is off
  int64_t totp_last_step = 0;  // last accepted TOTP time step: a code is never accepted twice
  bool must_change_password = false;
  bool disabled = false;
  int failed_logins = 0;
  Instant locked_until;
  int64_t version = 0;
  Instant created_at;
  Instant updated_at;
};

struct Session {
  std::string token_hash;  // SHA-256 hex of the cookie value
  std::string user_id;
  std::string csrf_token;
  Instant created_at;
  Instant expires_at;
};

struct ApiToken {
  std::string id;
  std::string user_id;
  std::string name;
  std::string token_hash;           // SHA-256 hex of the secret
  std::vector<std::string> scopes;  // "read", "write"
  Instant expires_at;
  Instant created_at;
};

// ---- Audit ------------------------------------------------------------------------------------

struct AuditRecord {
  int64_t seq = 0;
  Instant at;
  std::string actor;
  std::string action;  // "create", "update", "delete", "login" …
  std::string object_type;
  std::string object_id;
  std::string before;  // JSON text or empty
  std::string after;   // JSON text or empty
  std::string prev_hash;
  std::string hash;
};

// ---- Jobs -------------------------------------------------------------------------------------

enum class JobState { kQueued, kRunning, kDone, kFailed };
std::string_view JobStateName(JobState s);
std::optional<JobState> ParseJobState(std::string_view s);

struct Job {
  std::string id;
  std::string kind;
  std::string payload;  // JSON text
  JobState state = JobState::kQueued;
  int attempts = 0;
  int max_attempts = 3;
  Instant run_at;
  Instant lease_until;
  std::string worker;
  std::string last_error;
  Instant created_at;
  Instant updated_at;
};

// A cron-like schedule that enqueues a job of `kind` each time `cron` matches.
struct Schedule {
  std::string name;
  std::string cron;  // 5 fields, local time: "m h dom mon dow"
  std::string kind;
  std::string payload;
  Instant next_run;
};

}  // namespace ucsc::core
