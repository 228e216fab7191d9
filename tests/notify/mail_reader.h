// A small, independent reader of the e-mail the notify writer produces, for tests only: header
// unfolding, RFC 2047 encoded-word decoding (B and Q), quoted-printable and base64 bodies,
// multipart/alternative. It is deliberately strict: anything unexpected is an error string, so
// a writer bug shows up as a failed expectation rather than a lenient guess.
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ucsc::notify::testing {

struct Header {
  std::string name;
  std::string raw;  // Unfolded (CRLF removed), leading white space trimmed.
};

struct Mail {
  std::vector<Header> headers;
  std::string body;  // Raw bytes after the blank line.
  // Returns the unfolded raw value of the first header called `name` (case-insensitive).
  std::optional<std::string> Raw(std::string_view name) const;
  int Count(std::string_view name) const;
};

// Splits a message into headers and body. Returns an error string on a header line without
// ':' or a missing blank line.
std::pair<Mail, std::string> ParseMail(std::string_view bytes);

// Decodes RFC 2047 encoded words in an unstructured value (white space between two adjacent
// encoded words is dropped). Returns {decoded, error}.
std::pair<std::string, std::string> DecodeWords(std::string_view raw);

// Decodes quoted-printable content. Returns {decoded, error}.
std::pair<std::string, std::string> DecodeQuotedPrintable(std::string_view in);
// Decodes base64 content (CRLF between lines allowed). Returns {decoded, error}.
std::pair<std::string, std::string> DecodeBase64(std::string_view in);

// One decoded text part.
struct TextPart {
  std::string content_type;  // "text/plain; charset=utf-8"
  std::string text;          // Decoded bytes.
};
// The text parts of `mail`: one for a single-part message, each alternative for
// multipart/alternative. Returns {parts, error}.
std::pair<std::vector<TextPart>, std::string> TextParts(const Mail& mail);

// The addresses and decoded display names of an address-list header value
// ("=?UTF-8?B?..?= <a@b>, c@d"). Returns {{name, address}...}, error.
std::pair<std::vector<std::pair<std::string, std::string>>, std::string> DecodeAddressList(
    std::string_view raw);

}  // namespace ucsc::notify::testing
