// The e-mail writer: a `Message` as RFC 5322 / MIME bytes ready for SMTP DATA.
//
// What it guarantees for every message it returns (and refuses with kInvalidArgument what
// would break it):
//   - CRLF line endings only; no bare CR or LF anywhere;
//   - every line at most 76 octets (headers folded, encoded words at most 75 octets, bodies
//     quoted-printable or base64), so no line ever reaches SMTP's 998 limit; the one exception
//     is an address too long to share a line (up to 254 octets), which gets a line of its own;
//   - no line starts with "." (quoted-printable writes a leading dot as "=2E"), so SMTP
//     dot-stuffing cannot alter the message;
//   - non-ASCII subjects and display names as RFC 2047 encoded words in UTF-8 (B or Q), never
//     splitting a UTF-8 sequence between two words;
//   - header injection is impossible: CR, LF or NUL in a subject or display name is an error,
//     and addresses are checked against a strict ASCII syntax;
//   - a Message-ID derived from the idempotency key only, so a resend has the same id.
//
// Thread-safety: pure functions; safe to call from any thread.
//
// Example:
//   MimeOptions opt{.from = {"ucsc@socntt.example.vn", "Hệ thống ucsc"}, .date = clock.Now()};
//   UCSC_ASSIGN_OR_RETURN(MimeMessage mail, BuildMimeMessage(message, opt));
//   // mail.bytes starts with "Date: ..." and ends with CRLF; mail.message_id is "<...@...>".
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "notify/notifier.h"

namespace ucsc::notify {

// RFC 2047: an encoded word is at most 75 octets; a header line holding one at most 76.
inline constexpr size_t kMaxEncodedWordLength = 75;
inline constexpr size_t kMaxLineLength = 76;
// Refuse bodies larger than this (each of text and HTML).
inline constexpr size_t kMaxBodyBytes = 4 * 1024 * 1024;

// How non-ASCII header text is encoded: kAuto picks the shorter of B and Q (Q on a tie).
enum class WordEncoding { kAuto, kBase64, kQuoted };

struct MimeOptions {
  Recipient from;                 // The sender; its address is validated like recipients'.
  core::Instant date;             // Written as the Date header, in UTC+07:00.
  std::string message_id_domain;  // Right-hand side of Message-ID; empty: the From domain.
  WordEncoding word_encoding = WordEncoding::kAuto;
};

struct MimeMessage {
  std::string message_id;  // "<hex@domain>", as in the Message-ID header.
  std::string bytes;       // Headers, blank line, body; CRLF line endings; ends with CRLF.
};

// Builds the message. Text bodies are carried with CRLF line endings and a final CRLF (added
// when missing): a reader decodes "line 1\nline 2" as "line 1\r\nline 2\r\n". Returns
// kInvalidArgument (with the field, e.g. "/to/1/address") for a message `ValidateMessage` refuses,
// an address `ValidateEmailAddress` refuses, a bad message_id_domain, or a body above
// kMaxBodyBytes.
[[nodiscard]] core::Result<MimeMessage> BuildMimeMessage(const Message& message,
                                                         const MimeOptions& options);

// --- Building blocks (public so that tests and the fuzzer can check them one by one). ---

// Checks an e-mail address: ASCII "local@domain", at most 254 octets; local part a dot-atom
// of at most 64 octets (no quoted local parts); domain of LDH labels (1..63 octets, no
// leading or trailing "-"). Returns kInvalidArgument saying what is wrong.
[[nodiscard]] core::Status ValidateEmailAddress(std::string_view address);
// Same rule for a domain alone.
[[nodiscard]] core::Status ValidateDomain(std::string_view domain);

// Returns one complete unstructured header field, "Name: value" folded into lines of at most
// kMaxLineLength octets joined by CRLF SP, ending with CRLF. Printable ASCII with single
// spaces is written as is; anything else as encoded words. kInvalidArgument for CR, LF or NUL,
// or invalid UTF-8. REQUIRES: `name` is a valid field name shorter than 40 octets.
[[nodiscard]] core::Result<std::string> EncodeUnstructuredField(
    std::string_view name, std::string_view value, WordEncoding encoding = WordEncoding::kAuto);

// Returns an address-list header field ("To: name <a@b>, c@d"), folded like above.
// kInvalidArgument (field "/<index>/address" or "/<index>/display_name") for a bad address or
// name. REQUIRES: `name` as above; `recipients` non-empty.
[[nodiscard]] core::Result<std::string> EncodeAddressField(
    std::string_view name, const std::vector<Recipient>& recipients,
    WordEncoding encoding = WordEncoding::kAuto);

// Quoted-printable (RFC 2045 §6.7) of UTF-8 text: line endings (CRLF, LF, lone CR) become
// CRLF hard breaks; lines of at most 76 octets with soft breaks that never split an "=XX"
// triplet or a UTF-8 sequence; trailing white space and a leading "." or "From " encoded.
std::string EncodeQuotedPrintable(std::string_view text);
// Base64 (RFC 2045 §6.8) in lines of 76 octets joined and ended by CRLF.
std::string EncodeBase64Lines(std::string_view data);
// RFC 5322 date-time in Vietnam time: "Wed, 25 Nov 2026 21:52:06 +0700".
std::string FormatRfc5322Date(core::Instant t);
// "<" + 32 lowercase hex digits of SHA-256(key) + "@" + domain + ">".
std::string MessageIdFor(std::string_view idempotency_key, std::string_view domain);

}  // namespace ucsc::notify
