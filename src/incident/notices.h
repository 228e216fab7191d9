// Notices of an incident (DOMAIN.md §3.3, issue 14 §5): who the reports go to, as data
// (data/incident/recipients.yaml, because the 2025 reorganisation changed who the owner's
// specialised unit and the national coordinating agency are), and what the notices sent and
// received prove for the legal clocks of clocks.h.
//
// A notice is one document (notification, follow-up, Form 03, progress report, Form 04, or any
// other) sent to one party, or received from one, with its channel and time, and later its
// acknowledgement. The clock events are derived from the whole set of notices:
//   - a document's satisfying event (notification_sent R8, follow_up_sent R9, initial_report_sent
//     R10, progress_report_sent R15, closing_report_sent R11) is due each time the sent notices of
//     that document, in time order, have reached every party the document requires since the
//     previous time; the event is stamped with the time of the notice that completed the set
//     ("simultaneously to owner, coordinating agency and specialised unit", TT20 Art 9.2a);
//   - a received notice starts R12 (notice_received, ref = its id) and its acknowledgement
//     satisfies it (acknowledgement_sent, ref = its id);
//   - every sent notice and every acknowledgement of one is on the timeline (notice_sent,
//     acknowledgement_received).
//
// Thread-safety: a loaded Recipients is immutable; the functions are pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "incident/model.h"

namespace ucsc::incident {

struct PartyDef {
  std::string id;    // "national_coordinator"
  Text title;        // the role, "Cơ quan điều phối quốc gia"
  std::string body;  // who holds the role now, e.g. "Trung tâm An ninh mạng quốc gia (A05)"; may
                     // be empty
};

struct NoticeRule {
  std::string document;  // "notification", "closing_report", …
  std::string rule;      // "R8"
  Text title;
  // The clock event a complete set of sends gives; nullopt for documents no clock reads.
  std::optional<EventKind> event;
  std::vector<std::string> required;  // party ids that must each receive it
};

struct Recipients {
  std::string pack;  // "name@version"
  std::vector<PartyDef> parties;
  std::vector<NoticeRule> documents;
  [[nodiscard]] const PartyDef* Party(std::string_view id) const;
  [[nodiscard]] const NoticeRule* Document(std::string_view id) const;
};

// Parses a recipients file. Errors: kInvalidArgument "path:line: reason" (unknown key, missing
// field, duplicate id, unknown event kind, a required party that is not listed, bad YAML).
[[nodiscard]] core::Result<Recipients> ParseRecipients(std::string_view text,
                                                       std::string_view path);
// Reads and parses a file. Errors: kNotFound when unreadable, else as ParseRecipients.
[[nodiscard]] core::Result<Recipients> LoadRecipients(const std::string& path);

enum class NoticeDirection { kSent, kReceived };
std::string_view NoticeDirectionName(NoticeDirection d);
std::optional<NoticeDirection> ParseNoticeDirection(std::string_view s);

// The forms of transmission of TT20 Art 9.1 (official letter, fax, e-mail, MMS/SMS, the
// coordinating agency's reporting system) and, for acknowledgements, phone and in person.
const std::vector<std::string_view>& NoticeChannels();

struct Notice {
  std::string id;
  std::string incident_id;
  NoticeDirection direction = NoticeDirection::kSent;
  std::string document;      // a NoticeRule document id
  std::string party;         // a PartyDef id: the recipient (sent) or the sender (received)
  std::string party_name;    // the actual body, e.g. "Công an tỉnh Thái Nguyên"; may be empty
  std::string channel;       // one of NoticeChannels()
  std::string reference_no;  // số văn bản, e.g. "12/BC-SYT"; may be empty
  core::Instant at;          // sent or received
  std::optional<core::Instant> acknowledged_at;
  std::string acknowledged_by;
  std::string ack_channel;
  friend bool operator==(const Notice&, const Notice&) = default;
};

// Checks a new notice against `r` and the incident. Errors: kInvalidArgument naming the field
// (/direction is implied by the type; /document, /party, /channel unknown; /at after `now` or
// before the detection; /reference_no, /party_name too long).
[[nodiscard]] core::Status ValidateNotice(const Recipients& r, const Incident& inc, const Notice& n,
                                          core::Instant now);

// The events the notices prove (see the header comment), in time order.
std::vector<Event> NoticeEvents(const Recipients& r, const std::vector<Notice>& notices);

// The events of `after` that `before` does not have (multiset difference), in `after`'s order:
// what recording one notice or one acknowledgement adds to the timeline.
std::vector<Event> NewEvents(const std::vector<Event>& before, const std::vector<Event>& after);

// Copies what `events` prove onto the incident's report facts, filling only what is unset: the
// notification's time (reported_at), Form 03's and Form 04's time and reference number (the
// reference of the notice that completed the set). Form 04's time is what closing needs
// (workflow.h, R11).
void ApplyNoticeFacts(const std::vector<Event>& events, const std::vector<Notice>& notices,
                      Incident& inc);

// The "Kính gửi" line of a document: each required party's current body (or its title), the
// owner as the incident names it.
std::vector<std::string> Addressees(const Recipients& r, std::string_view document,
                                    const Incident& inc);

}  // namespace ucsc::incident
