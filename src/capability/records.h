// Records of the store's run/finding tables (store::ScanRepo: scan authorisations and runs,
// hunt runs, findings, advisories) as the API shows them, and the two route bodies the
// capabilities that keep such records share: a newest-first page, and a queued run.
// Thread-safety: pure functions over the request's transaction.
#pragma once

#include <functional>
#include <string>

#include "capability/route.h"
#include "core/ids.h"
#include "store/store.h"

namespace ucsc::capability {

// The record's document with its key columns (id, org_id, system_id, state, version, times).
Json RecordJson(const store::ScanRecord& r);
// Answers a page of `table` in the caller's scope, newest first: ?system_id= ?state= ?before=
// ?limit= (1–200, default 50). Errors: kInvalidArgument naming the parameter.
[[nodiscard]] core::Status ListRoute(
    Ctx& c, store::Tx& tx, store::ScanTable table,
    const std::function<Json(const store::ScanRecord&)>& view = RecordJson);
// Stores a queued run, queues its job ({"run_id"}) and audits it as `noun`, all in `tx`;
// answers 202 with the run.
[[nodiscard]] core::Status QueueRun(Ctx& c, store::Tx& tx, const core::IdGenerator& ids,
                                    store::ScanTable table, const store::ScanRecord& run,
                                    const std::string& job_kind, const std::string& noun);

// Saves a run (scan or hunt, `table`) with `doc` as its document and `state`, version + 1, in a
// transaction of its own. Errors: the store's (kFailedPrecondition when it changed meanwhile).
[[nodiscard]] core::Status SaveRun(store::Store& store, store::ScanTable table,
                                   store::ScanRecord& run, const Json& doc,
                                   const std::string& state, core::Instant now);

}  // namespace ucsc::capability
