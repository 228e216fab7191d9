// JSON form of a Drill (the stored document and, later, the API body): stable English keys,
// instants as RFC 3339 UTC, local dates as YYYY-MM-DD, enums by name. Decoding is strict: every
// unknown key, wrong type, bad enum name, date or time is kInvalidArgument naming the field by
// its JSON pointer. Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "codec/json_reader.h"
#include "core/result.h"
#include "plan/drill.h"

namespace ucsc::plan {

codec::Json ToJson(const Drill& drill);

// Decodes a whole drill. Required: id, org_id, kind, system_ids, planned_start, planned_end,
// state. A finding's category "unclassified" is accepted (closing refuses it, CloseDrill).
// Errors: kInvalidArgument with Error::field the JSON pointer ("/findings/0/category").
[[nodiscard]] core::Result<Drill> DrillFromJson(const codec::Json& j);

// One finding / timeline entry as in a drill's "findings" / "timeline" arrays (also the API
// bodies that add one); `ptr` prefixes the JSON pointers of errors. Errors: kInvalidArgument.
[[nodiscard]] core::Result<Finding> FindingFromJson(const codec::Json& v, const std::string& ptr);
[[nodiscard]] core::Result<TimelineEntry> TimelineEntryFromJson(const codec::Json& v,
                                                                const std::string& ptr);

// Parses `text` as JSON then DrillFromJson.
[[nodiscard]] core::Result<Drill> ParseDrillJson(std::string_view text);

}  // namespace ucsc::plan
