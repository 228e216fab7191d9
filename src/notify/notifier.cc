#include "notify/notifier.h"

#include "text/utf8.h"

namespace ucsc::notify {
namespace {

constexpr size_t kMaxIdempotencyKey = 512;

core::Status CheckUtf8(std::string_view value, const std::string& field, bool single_line) {
  for (size_t i = 0; i < value.size();) {
    unsigned char c = value[i];
    if (single_line && (c == '\r' || c == '\n')) {
      return core::InvalidArgument("line break in a one-line value", field);
    }
    if (single_line && c == 0) return core::InvalidArgument("NUL in a one-line value", field);
    if (c < 0x80) {
      ++i;
      continue;
    }
    text::Decoded d = text::DecodeUtf8(value.substr(i));
    if (!d.valid) return core::InvalidArgument("invalid UTF-8", field);
    i += d.length;
  }
  return core::Ok();
}

core::Status CheckRecipients(const std::vector<Recipient>& list, std::string_view name) {
  for (size_t rcpt_idx = 0; rcpt_idx < list.size(); ++rcpt_idx) {
    std::string prefix = std::string(name) + "/" + std::to_string(rcpt_idx);
    if (list[rcpt_idx].address.empty()) {
      return core::InvalidArgument("empty recipient address", prefix + "/address");
    }
    UCSC_RETURN_IF_ERROR(CheckUtf8(list[rcpt_idx].address, prefix + "/address", true));
    UCSC_RETURN_IF_ERROR(CheckUtf8(list[rcpt_idx].display_name, prefix + "/display_name", true));
  }
  return core::Ok();
}

}  // namespace

std::string_view LocaleTag(Locale locale) { return locale == Locale::kEn ? "en" : "vi"; }

bool IsTransient(const core::Error& error) {
  return error.code == core::ErrorCode::kUnavailable ||
         error.code == core::ErrorCode::kDeadlineExceeded;
}

core::Status ValidateMessage(const Message& message) {
  if (message.to.empty()) return core::InvalidArgument("a message needs a recipient", "/to");
  UCSC_RETURN_IF_ERROR(CheckRecipients(message.to, "/to"));
  UCSC_RETURN_IF_ERROR(CheckRecipients(message.cc, "/cc"));
  UCSC_RETURN_IF_ERROR(CheckUtf8(message.subject, "/subject", true));
  UCSC_RETURN_IF_ERROR(CheckUtf8(message.text_body, "/text_body", false));
  if (message.html_body) UCSC_RETURN_IF_ERROR(CheckUtf8(*message.html_body, "/html_body", false));
  if (message.idempotency_key.empty()) {
    return core::InvalidArgument("empty idempotency key", "/idempotency_key");
  }
  if (message.idempotency_key.size() > kMaxIdempotencyKey) {
    return core::InvalidArgument("idempotency key longer than 512 bytes", "/idempotency_key");
  }
  return core::Ok();
}

core::Status NotifierRegistry::Register(std::string kind, NotifierFactory factory) {
  if (kind.empty()) return core::InvalidArgument("empty notifier kind");
  if (!factory) return core::InvalidArgument("notifier kind " + kind + " without a factory");
  if (factories_.contains(kind)) {
    return core::MakeError(core::ErrorCode::kAlreadyExists,
                           "notifier kind " + kind + " is already registered");
  }
  factories_.emplace(std::move(kind), std::move(factory));
  return core::Ok();
}

core::Result<std::unique_ptr<Notifier>> NotifierRegistry::Create(std::string_view kind,
                                                                 const nlohmann::json& config,
                                                                 const NotifierDeps& deps) const {
  auto it = factories_.find(kind);
  if (it == factories_.end()) {
    std::string known;
    for (const auto& [name, factory] : factories_) known += (known.empty() ? "" : ", ") + name;
    return core::NotFound("unknown notifier kind \"" + std::string(kind) +
                          "\" (known: " + (known.empty() ? "none" : known) + ")");
  }
  if (deps.clock == nullptr) return core::InvalidArgument("notifier needs a clock");
  return it->second(config, deps);
}

core::Result<std::unique_ptr<Notifier>> NotifierRegistry::CreateFromConfig(
    const nlohmann::json& config, const NotifierDeps& deps) const {
  if (!config.is_object()) return core::InvalidArgument("notifier config must be an object");
  auto kind = config.find("kind");
  if (kind == config.end() || !kind->is_string()) {
    return core::InvalidArgument("notifier config needs a \"kind\" string", "/kind");
  }
  nlohmann::json rest = config;
  rest.erase("kind");
  return Create(kind->get<std::string>(), rest, deps);
}

std::vector<std::string> NotifierRegistry::Kinds() const {
  std::vector<std::string> out;
  for (const auto& [name, factory] : factories_) out.push_back(name);
  return out;
}

}  // namespace ucsc::notify
