// Validation of inventory entities (organisations, systems, assets, contacts, IR-team members,
// tasks) before they are stored, and the syntax checks they are built from (e-mail, IP, CPE 2.3,
// ISO date). The API handlers and the bulk importer (importer.h) share these rules, so a row that
// the importer accepts is one the API would accept too.
//
// The limits enforced here are those of the stored JSON documents (codec/entities.cc): a value
// that passes validation can always be read back.
//
// Thread-safety: pure functions; call them from any thread.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"
#include "core/result.h"

namespace ucsc::inventory {

// True for a pragmatic e-mail address "local@domain.tld": at most 254 bytes, no white space or
// control characters, exactly one '@', a local part of at most 64 bytes made of letters, digits,
// non-ASCII (UTF-8) and !#$%&'*+/=?^_`{|}~.- without a leading, trailing or doubled '.', and a
// domain of at least two dot-separated labels (letters, digits, '-' not at either end, or
// non-ASCII; at most 63 bytes each) whose last label has at least two characters and is not all
// digits. Quoted local parts and IP-literal domains are refused.
bool IsValidEmail(std::string_view s);

// True for an IPv4 address in dotted-quad form or an IPv6 address in any RFC 4291 text form,
// as inet_pton(3) accepts them. Prefixes ("10.0.0.0/8") and zone ids ("fe80::1%eth0") are refused.
bool IsValidIp(std::string_view s);

// True for a CPE 2.3 formatted string (NISTIR 7695 §6.2): "cpe:2.3:" followed by 11 more
// components separated by ':', 13 components in all, where the part (third component) is 'a', 'o'
// or 'h'. A backslash escapes the next character, so "\:" is part of a component, not a
// separator. Every component is non-empty and made of letters, digits, '_', '-', '.', the
// wildcards '*' and '?', and escaped printable ASCII characters; a trailing lone '\' is refused.
// Example: IsValidCpe23("cpe:2.3:a:vendor:prod\\:uct:1.0:*:*:*:*:*:*:*") is true.
bool IsValidCpe23(std::string_view s);

// True for "YYYY-MM-DD" naming a real calendar date (2024-02-29 yes, 2023-02-29 no).
bool IsValidIsoDate(std::string_view s);

// The Validate functions below return Ok, or kInvalidArgument for the first bad field with
// Error::field = the JSON pointer of that field in the API representation ("/level",
// "/software/2/cpe", "/focal_point/email"; list indexes are 0-based) and an English message that
// names the field ("software[2].cpe is not a valid CPE 2.3 name: 'cpe:x'"). Ids and version
// numbers are not checked (the store assigns and checks them); references must be non-empty but
// are not looked up.

// name non-empty (not only spaces) and at most 300 bytes; email and focal_point.email valid when
// present; parent_id not the organisation's own id; text fields within their stored limits.
[[nodiscard]] core::Status ValidateOrganisation(const core::Organisation& org);

// name; owner_org_id non-empty; level 1..5; approval.date empty or an ISO date; when
// approval.decision_no is set, approval.date and approval.approver are required; every public
// endpoint a non-empty string (at most 200 of them).
[[nodiscard]] core::Status ValidateSystem(const core::InformationSystem& system);

// name; system_id non-empty; every ip valid (IsValidIp); hostnames non-empty; every software
// entry has a product, and its cpe is empty or valid (IsValidCpe23).
[[nodiscard]] core::Status ValidateAsset(const core::Asset& asset);

// name; org_id non-empty; email valid when present.
[[nodiscard]] core::Status ValidateContact(const core::Contact& contact);

// name; org_id non-empty; email valid when present; skills and certificates non-empty strings.
[[nodiscard]] core::Status ValidateMember(const core::IrTeamMember& member);

// title non-empty (at most 500 bytes); kind one of remediation, hunt, scan, plan_update, drill,
// evidence, report, other; due_date empty or an ISO date. org_id is not required here (the
// caller fills it from the request's scope).
[[nodiscard]] core::Status ValidateTask(const core::Task& task);

// The organisation tree rule shared by the API (a parent change) and the importer (the rows of
// one file): following parent links never comes back to where it started. `parent` maps an id
// to its parent's id; an id absent from the map, or mapped to "", is a root. Returns every
// cycle once, each as the ids along the parent links starting at the first one met in `parent`'s
// order (e.g. {"a", "b"} for a → b → a); empty when the links form a forest. Linear in the
// number of links.
std::vector<std::vector<std::string>> ParentCycles(
    const std::map<std::string, std::string>& parent);

}  // namespace ucsc::inventory
