// The incident module's tables (store::SchemaPart, both back ends) and its repository on
// Tx::Sql(): incidents (the stored document of codec.h plus the columns lists filter on), their
// events (timeline, the input of the legal clocks), observables (indexed by normalised value for
// "seen elsewhere"), notices sent and received with their acknowledgement, the clock alerts
// already raised (once per clock) and the idempotency keys of intake.
// Thread-safety: a Repo belongs to its transaction's thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "incident/model.h"
#include "incident/notices.h"
#include "incident/observable.h"
#include "store/schema.h"
#include "store/store.h"

namespace ucsc::incident::internal {

// The tables of the module, for Registry::AddTables.
store::SchemaPart Tables();

struct ListFilter {
  store::Scope scope;
  std::string org_id;   // exact; empty = any
  std::string state;    // IncidentStateName; empty = any
  std::string type;     // IncidentTypeName; empty = any
  std::string serious;  // "true" / "false" / ""
  std::string q;        // substring of title or description (case-folded ASCII)
  std::string after;    // keyset cursor: the id of the last row seen (ids sort by creation)
  int limit = 50;
};

struct StoredObservable {
  std::string id;
  std::string incident_id;
  Observable observable;
  core::Instant created_at;
};

struct SeenElsewhere {
  std::string incident_id;
  std::string org_id;
  std::string title;
};

using Notice = incident::Notice;

class Repo {
 public:
  explicit Repo(store::SqlSession& sql) : sql_(sql) {}

  // Inserts `inc` (version 1). `serious` is the R14 outcome at the time (list filter).
  [[nodiscard]] core::Status Insert(const Incident& inc, bool serious);
  // Stores `inc` if the stored version is inc.version - 1. Errors: kConflict when stale.
  [[nodiscard]] core::Status Update(const Incident& inc, bool serious);
  // Errors: kNotFound when absent or outside `scope`.
  [[nodiscard]] core::Result<Incident> Get(const std::string& id, const store::Scope& scope);
  // Newest first; one more than `limit` when there are more.
  [[nodiscard]] core::Result<std::vector<Incident>> List(const ListFilter& f);
  // The incidents of `org_ids` detected within [from, to] (Form 05), in creation order.
  [[nodiscard]] core::Result<std::vector<Incident>> DetectedBetween(
      const std::vector<std::string>& org_ids, core::Instant from, core::Instant to);
  // Ids of every incident not closed (the clocks job).
  [[nodiscard]] core::Result<std::vector<std::string>> OpenIds();

  [[nodiscard]] core::Status AppendEvents(const std::string& incident_id,
                                          const std::vector<Event>& events);
  [[nodiscard]] core::Result<std::vector<Event>> Events(const std::string& incident_id);

  // Adds an observable; returns false when the incident already had it.
  [[nodiscard]] core::Result<bool> AddObservable(const StoredObservable& o);
  [[nodiscard]] core::Result<std::vector<StoredObservable>> Observables(
      const std::string& incident_id);
  // Other incidents (within `scope`) with the same (type, value).
  [[nodiscard]] core::Result<std::vector<SeenElsewhere>> SeenIn(const Observable& o,
                                                                const std::string& except_id,
                                                                const store::Scope& scope);

  [[nodiscard]] core::Status InsertNotice(const Notice& n);
  [[nodiscard]] core::Result<std::vector<Notice>> Notices(const std::string& incident_id);
  // Errors: kNotFound when the notice is not the incident's; kFailedPrecondition when already
  // acknowledged.
  [[nodiscard]] core::Result<Notice> Acknowledge(const std::string& incident_id,
                                                 const std::string& notice_id, core::Instant at,
                                                 const std::string& by, const std::string& channel);

  // Records that clock (clock_id, ref) of the incident was alerted; false when it already was.
  [[nodiscard]] core::Result<bool> MarkAlerted(const std::string& incident_id,
                                               const std::string& clock_id, const std::string& ref,
                                               core::Instant at);
  // (clock_id, ref) pairs already alerted for the incident.
  [[nodiscard]] core::Result<std::vector<std::pair<std::string, std::string>>> Alerted(
      const std::string& incident_id);

  // The incident an idempotency key of `actor` created, if any.
  [[nodiscard]] core::Result<std::optional<std::string>> IdempotentIncident(
      const std::string& actor, const std::string& key);
  [[nodiscard]] core::Status RecordIdempotency(const std::string& actor, const std::string& key,
                                               const std::string& incident_id, core::Instant at);

 private:
  store::SqlSession& sql_;
};

// Lower-cased ASCII of title and description, the text `q` matches.
std::string SearchText(const Incident& inc);

}  // namespace ucsc::incident::internal
