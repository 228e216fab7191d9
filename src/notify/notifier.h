// Notifications leave ucsc through a `Notifier`: one message to one or more recipients on one
// channel (e-mail today; SMS or Zalo later). Callers such as the compliance reminders build a
// `Message` and call `Send`; they never know which back end carries it. Back ends are
// registered by kind name in a `NotifierRegistry` that `main` fills and configures
// (STYLE.md "Interfaces": register pluggable parts by name).
//
// Thread-safety: `Message`, `Recipient` and `Receipt` are plain values. A `Notifier`
// implementation documents its own thread-safety; the ones in this component are safe to call
// from several threads at once. A `NotifierRegistry` is filled once at start-up (not
// thread-safe), then only read (`Create`, `Kinds` are const and thread-safe).
//
// Example:
//   notify::NotifierRegistry registry;
//   UCSC_RETURN_IF_ERROR(notify::RegisterSmtpNotifier(registry));
//   // config_json: {"kind": "smtp", "host": "mail.socntt.example.vn", "from": "ucsc@...", ...}
//   UCSC_ASSIGN_OR_RETURN(auto email, registry.CreateFromConfig(config_json, {&clock}));
//   notify::Message m;
//   m.to = {{"ttcntt@socntt.example.vn", "Nguyễn Văn An"}};
//   m.subject = "Nhắc việc: hệ thống cấp độ 3 quá hạn diễn tập";
//   m.text_body = "...";
//   m.idempotency_key = "reminder/R5/sys-42/2026/overdue/1";
//   UCSC_ASSIGN_OR_RETURN(notify::Receipt r, email->Send(m));  // r.message_id is logged
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"

namespace ucsc::notify {

// The language the message is written in; e-mail carries it as Content-Language.
enum class Locale { kVi, kEn };

// "vi" or "en".
std::string_view LocaleTag(Locale locale);

// One addressee. `address` is channel specific: an e-mail address ("a@b.vn") for e-mail, a
// phone number for SMS. `display_name` is UTF-8 free text (may be empty).
struct Recipient {
  std::string address;
  std::string display_name;
};

// One message. All text is UTF-8.
struct Message {
  std::vector<Recipient> to;             // At least one.
  std::vector<Recipient> cc;             // Optional; also delivered.
  std::string subject;                   // One line: CR, LF or NUL is refused.
  std::string text_body;                 // Plain text; any line ending (LF, CRLF).
  std::optional<std::string> html_body;  // Optional HTML alternative of the same content.
  // Stable key chosen by the caller for this logical notification, e.g.
  // "reminder/<rule>/<subject>/<due date>/<stage>/<recipient>". Sending the same key again (a
  // retry, or after a restart) produces the same Message-ID, so receiving systems and the
  // caller's log can recognise the duplicate. Non-empty, at most 512 bytes, any bytes.
  std::string idempotency_key;
  Locale locale = Locale::kVi;
};

// What a successful `Send` returns.
struct Receipt {
  std::string channel;     // Kind name of the notifier that sent it ("smtp", "fake").
  std::string message_id;  // E-mail: "<...@domain>" as written in the Message-ID header.
};

// True for errors worth retrying later (the server was down, slow or said "try again":
// kUnavailable, kDeadlineExceeded); false for errors that will not go away by retrying (bad
// address, refused credentials, TLS certificate not trusted, ...).
bool IsTransient(const core::Error& error);

// Checks what every channel requires of a message: at least one recipient, each with a
// non-empty address; subject and display names free of CR, LF and NUL; all text valid UTF-8;
// an idempotency key of 1..512 bytes. Returns kInvalidArgument naming the field ("/to/0/address",
// "/subject"). Channel-specific address syntax is checked by the notifier. Thread-safe.
[[nodiscard]] core::Status ValidateMessage(const Message& message);

// A way to send a message.
class Notifier {
 public:
  virtual ~Notifier() = default;

  // The kind name this notifier was registered under ("smtp", "fake").
  virtual std::string_view Kind() const = 0;

  // Sends `message` to all its recipients, all or none. Returns the receipt, or:
  //   kInvalidArgument  the message is malformed (no recipient, bad address, CR/LF in a
  //                     header value, invalid UTF-8, empty idempotency key);
  //   kUnavailable      the server could not be reached or answered "try later" (4xx);
  //   kDeadlineExceeded a timeout elapsed;
  //   kPermissionDenied credentials refused;
  //   kFailedPrecondition the server refused permanently (5xx) or TLS could not be set up;
  //   kInternal         anything else.
  // Thread-safety: see the implementation; all notifiers in this component are thread-safe.
  [[nodiscard]] virtual core::Result<Receipt> Send(const Message& message) = 0;
};

// What a factory may use besides its JSON configuration. Pointers are borrowed: they must
// outlive every notifier created with them.
struct NotifierDeps {
  const core::Clock* clock = nullptr;  // REQUIRES: non-null.
};

// Builds a notifier from its JSON configuration (an object; each kind documents its keys).
// Returns kInvalidArgument naming the JSON pointer of a bad key.
using NotifierFactory = std::function<core::Result<std::unique_ptr<Notifier>>(
    const nlohmann::json& config, const NotifierDeps& deps)>;

// Notifier kinds by name. Owned by `main` (no global registry).
class NotifierRegistry {
 public:
  // Adds a kind. Returns kAlreadyExists if `kind` is taken, kInvalidArgument if `kind` is empty
  // or `factory` is empty. Not thread-safe: call during start-up.
  [[nodiscard]] core::Status Register(std::string kind, NotifierFactory factory);

  // Creates a notifier of `kind`. Returns kNotFound for an unknown kind (the message lists the
  // known ones) or the factory's error. The caller owns the result. Thread-safe.
  [[nodiscard]] core::Result<std::unique_ptr<Notifier>> Create(std::string_view kind,
                                                               const nlohmann::json& config,
                                                               const NotifierDeps& deps) const;

  // Same, with the kind named inside the object: {"kind": "smtp", ...the kind's keys...}, the
  // shape of a "notify" section in a config file. kInvalidArgument (field "/kind") when "kind"
  // is missing or not a string; other errors as `Create`.
  [[nodiscard]] core::Result<std::unique_ptr<Notifier>> CreateFromConfig(
      const nlohmann::json& config, const NotifierDeps& deps) const;

  // The registered kind names, sorted.
  std::vector<std::string> Kinds() const;

 private:
  std::map<std::string, NotifierFactory, std::less<>> factories_;
};

}  // namespace ucsc::notify
