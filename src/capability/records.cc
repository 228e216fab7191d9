#include "capability/records.h"

#include "core/legal_time.h"

namespace ucsc::capability {

Json RecordJson(const store::ScanRecord& r) {
  Json j = codec::ParseJson(r.doc).value_or(Json::object());
  j["id"] = r.id;
  j["org_id"] = r.org_id;
  j["system_id"] = r.system_id;
  j["state"] = r.state;
  j["version"] = r.version;
  j["created_at"] = core::FormatRfc3339Utc(r.created_at);
  j["updated_at"] = core::FormatRfc3339Utc(r.updated_at);
  if (!r.parent_id.empty()) j["authorisation_id"] = r.parent_id;
  return j;
}

core::Status ListRoute(Ctx& c, store::Tx& tx, store::ScanTable table,
                       const std::function<Json(const store::ScanRecord&)>& view) {
  UCSC_RETURN_IF_ERROR(OnlyParams(c, {"system_id", "state", "before", "limit"}));
  const std::string before = Param(c, "before");
  if (!before.empty() && !core::IsUuid(before)) {
    return core::InvalidArgument("must be an id", "/before");
  }
  UCSC_ASSIGN_OR_RETURN(const int limit, LimitParam(c, 50, 200));
  UCSC_ASSIGN_OR_RETURN(auto rows, tx.Scans().List(table, c.scope, Param(c, "system_id"),
                                                   Param(c, "state"), before, limit + 1));
  const bool more = static_cast<int>(rows.size()) > limit;
  if (more) rows.resize(static_cast<size_t>(limit));
  Json items = Json::array();
  for (const auto& r : rows) items.push_back(view(r));
  SetJson(c, 200,
          Json{{"items", items}, {"next_before", more ? Json(rows.back().id) : Json(nullptr)}});
  return core::Ok();
}

// Stores a queued run, queues its job ({"run_id"}) and audits it, all in `tx`; answers 202.
core::Status QueueRun(Ctx& c, store::Tx& tx, const core::IdGenerator& ids, store::ScanTable table,
                      const store::ScanRecord& run, const std::string& job_kind,
                      const std::string& noun) {
  UCSC_RETURN_IF_ERROR(tx.Scans().Insert(table, run));
  core::Job job;
  job.id = ids.Next();
  job.kind = job_kind;
  job.payload = Json{{"run_id", run.id}}.dump();
  job.max_attempts = 3;
  job.run_at = job.created_at = job.updated_at = run.created_at;
  UCSC_RETURN_IF_ERROR(tx.Jobs().Enqueue(job));
  Json out = RecordJson(run);
  UCSC_RETURN_IF_ERROR(AppendAudit(tx, c, run.created_at, "create", noun, run.id, "", out.dump()));
  SetJson(c, 202, out);
  return core::Ok();
}

core::Status SaveRun(store::Store& store, store::ScanTable table, store::ScanRecord& run,
                     const Json& doc, const std::string& state, core::Instant now) {
  run.state = state;
  run.doc = doc.dump();
  run.version += 1;
  run.updated_at = now;
  return store.Write([&](store::Tx& tx) { return tx.Scans().Update(table, run); });
}

}  // namespace ucsc::capability
