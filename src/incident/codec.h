// JSON form of incidents and their events: the API body and the stored document have the same
// shape (snake_case keys of model.h). Decoding is strict, as codec/entities.h: an unknown key, a
// wrong type, an out-of-range value or an unknown enum name is kInvalidArgument whose `field` is
// the JSON pointer of the bad value ("/affected_systems/0/level").
// Thread-safety: pure functions.
#pragma once

#include "codec/entities.h"
#include "codec/json_reader.h"
#include "core/result.h"
#include "incident/model.h"

namespace ucsc::incident {

codec::Json ToJson(const Incident& v);
codec::Json ToJson(const Event& v);

// Decodes `j` onto `out`. kCreate: title, description, type and detected_at are required and the
// bookkeeping fields (id, version, created_at, updated_at) and the workflow fields (state,
// process, step, checklist_done, reopen_count) are refused: they change only through
// workflow.h. kPatch: fields absent keep their value, same refusals. kStored: all accepted.
// Errors: kInvalidArgument naming the JSON pointer of the first bad field.
[[nodiscard]] core::Status Decode(const codec::Json& j, codec::Mode mode, Incident& out);
[[nodiscard]] core::Status Decode(const codec::Json& j, Event& out);

// Parses `text` (codec::ParseJson limits) and decodes it. Errors as ParseJson and Decode.
[[nodiscard]] core::Result<Incident> ParseIncident(std::string_view text, codec::Mode mode);

}  // namespace ucsc::incident
