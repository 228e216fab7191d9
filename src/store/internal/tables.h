// The store's own tables as the logical backup sees them (migrations/ creates them): the one
// list that Dump, Load and BackedUpTables read, and that the conformance suite checks against
// the live schema. The tables of capability modules follow them (SqlStore::Attach).
// Thread-safety: constant data.
#pragma once

#include <vector>

#include "store/schema.h"

namespace ucsc::store::internal {

// In dump order: parents before children.
const std::vector<TableDef>& OwnTables();

}  // namespace ucsc::store::internal
