// Recursive-descent parser for Sigma detection conditions (Sigma specification 2.0.0,
// "Condition"): and / or / not (not binds tighter than and, and tighter than or), parentheses,
// `1 of PATTERN`, `all of PATTERN`, `1 of them`, `all of them` (them excludes identifiers that
// start with `_`). `PATTERN` may use `*` wildcards. Aggregations after `|` (Sigma 1.x) are refused.
// Thread-safety: stateless.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "hunt/sigma/sigma_rule.h"

namespace ucsc::hunt::internal {

// REQUIRES: nothing. Returns kInvalidArgument with a reason naming the offending token.
core::Result<Condition> ParseConditionText(std::string_view text,
                                           const std::vector<std::string>& names);

}  // namespace ucsc::hunt::internal
