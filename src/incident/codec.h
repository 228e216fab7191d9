// JSON form of incidents and their events: the API body and the stored document have the same
// shape (snake_case keys of model.h). Decoding is strict, as codec/entities.h: an unknown key, a
// wrong type, an out-of-range value or an unknown enum name is kInvalidArgument whose `field` is
// the JSON pointer of the bad value ("/affected_systems/0/level").
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "codec/entities.h"
#include "codec/json_reader.h"
#include "core/result.h"
#include "incident/model.h"

namespace ucsc::incident {

codec::Json ToJson(const Incident& v);
codec::Json ToJson(const Event& v);

// The report times the server sets from the notices sent (notices.h ApplyNoticeFacts): the
// notification's (R8) "/reported_at", Form 03's (R10) "/initial_report/reported_at" and Form 04's
// (R11) "/closing_report/reported_at". A clock is met only by a notice actually recorded through
// POST /api/v1/incidents/{id}/notices, so kCreate and kPatch refuse them (issue 14 task 1).
const std::vector<std::string_view>& ServerSetPointers();
bool IsServerSetPointer(std::string_view pointer);
// The refusal's detail naming the field, in Vietnamese or English.
std::string ServerSetDetail(std::string_view pointer, bool en);

// Decodes `j` onto `out`. kCreate: title, description, type and detected_at are required and the
// bookkeeping fields (id, version, created_at, updated_at), the workflow fields (state,
// process, step, checklist_done, reopen_count) and the server-set report times
// (ServerSetPointers) are refused: they change only through workflow.h and notices.h. kPatch:
// fields absent keep their value, same refusals. kStored: all accepted.
// Errors: kInvalidArgument naming the JSON pointer of the first bad field.
[[nodiscard]] core::Status Decode(const codec::Json& j, codec::Mode mode, Incident& out);
[[nodiscard]] core::Status Decode(const codec::Json& j, Event& out);

// Parses `text` (codec::ParseJson limits) and decodes it. Errors as ParseJson and Decode.
[[nodiscard]] core::Result<Incident> ParseIncident(std::string_view text, codec::Mode mode);

}  // namespace ucsc::incident
