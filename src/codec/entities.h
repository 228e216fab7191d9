// JSON representation of the domain types: the API's bodies and the stored documents are the
// same shape (stable English keys). Thread-safety: pure functions.
#pragma once

#include "codec/json_reader.h"
#include "core/model.h"

namespace ucsc::codec {

enum class Mode {
  kCreate,  // API POST: required fields must be present; read-only fields are refused
  kPatch,   // API PATCH: only the given fields change; read-only fields are refused
  kStored,  // a document written by the store: every field accepted
};

Json ToJson(const core::Organisation& v);
Json ToJson(const core::InformationSystem& v);
Json ToJson(const core::Asset& v);
Json ToJson(const core::Contact& v);
Json ToJson(const core::IrTeamMember& v);
Json ToJson(const core::Task& v);
Json ToJson(const core::Evidence& v);
Json ToJson(const core::ChangeEvent& v);
Json ToJson(const core::Job& v);
Json ToJson(const core::AuditRecord& v);
// Public view of a user: never the password hash or the TOTP secret.
Json ToJson(const core::User& v);
// Stored form of a user, secrets included. Only the store uses it.
Json ToStoredJson(const core::User& v);

// Decodes `j` onto `out` (fields absent from `j` keep their value in kPatch mode). Returns
// kInvalidArgument naming the JSON pointer of the first bad, unknown or read-only field.
[[nodiscard]] core::Status Decode(const Json& j, Mode mode, core::Organisation& out);
[[nodiscard]] core::Status Decode(const Json& j, Mode mode, core::InformationSystem& out);
[[nodiscard]] core::Status Decode(const Json& j, Mode mode, core::Asset& out);
[[nodiscard]] core::Status Decode(const Json& j, Mode mode, core::Contact& out);
[[nodiscard]] core::Status Decode(const Json& j, Mode mode, core::IrTeamMember& out);
[[nodiscard]] core::Status Decode(const Json& j, Mode mode, core::Task& out);
[[nodiscard]] core::Status Decode(const Json& j, Mode mode, core::Evidence& out);
[[nodiscard]] core::Status Decode(const Json& j, Mode mode, core::User& out);

}  // namespace ucsc::codec
