// A capability module that exists only in the tests ("notes": a text per organisation), written
// as a new capability would be: its own table with a migration per back end, a repository over
// Tx::Sql() with its SQL as named constants, a policy row, two routes, an OpenAPI schema, a job
// and a schedule. Registering it touches no file of the product: that is what
// module_shape_test.cc proves (issue 12, "how to add a capability").
// Thread-safety: as capability::Module.
#pragma once

#include <memory>

#include "capability/module.h"

namespace ucsc::capability::testing {

// The module. Its job "notes_count" writes the number of notes into the note "count" of the
// organisation named by its payload {"org_id": …}.
std::unique_ptr<Module> MakeNotesModule(const Env& env);

}  // namespace ucsc::capability::testing
