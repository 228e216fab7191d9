// JSON form of an IrPlan version (the stored document and, later, the API body): stable English
// keys, instants as RFC 3339 UTC, enums by name. Decoding is strict: every unknown key, wrong
// type, bad enum name or bad time is kInvalidArgument naming the field by its JSON pointer.
// Thread-safety: pure functions.
#pragma once

#include <string_view>

#include "codec/json_reader.h"
#include "core/result.h"
#include "plan/plan.h"

namespace ucsc::plan {

codec::Json ToJson(const IrPlan& plan);

// Decodes a whole plan version. Required: id, version (≥ 1), scope, org_id, outline_id, state,
// sections. Errors: kInvalidArgument with Error::field the JSON pointer ("/sections/2/text").
[[nodiscard]] core::Result<IrPlan> PlanFromJson(const codec::Json& j);

// Parses `text` as JSON then PlanFromJson. Errors: kInvalidArgument (malformed JSON or a field).
[[nodiscard]] core::Result<IrPlan> ParsePlanJson(std::string_view text);

}  // namespace ucsc::plan
