// What the incident routes and the `ucsc incident` commands share: saving an incident with its
// events (R14 re-run and audited), resolving affected systems from the inventory, the intake
// minimum (DOMAIN.md A), and rendering an official document of the case.
// Thread-safety: functions on the caller's transaction; no shared state.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "capability/module.h"
#include "codec/json_reader.h"
#include "core/model.h"
#include "core/result.h"
#include "incident/classify.h"
#include "incident/documents.h"
#include "incident/model.h"
#include "incident/notices.h"
#include "incident/summary.h"
#include "store/store.h"

namespace ucsc::incident::internal {

codec::Json TextJson(const Text& t);
codec::Json ClassificationJson(const Classification& c);

// The forms the documents route and command answer: the form id (also "form03", "form04"),
// the document, and the recipients-file document whose parties are the "Kính gửi" line.
struct FormRoute {
  std::string_view id;
  std::string_view alias;
  IncidentDocument kind;
  std::string_view notice_document;
  std::string_view en;
};
// nullptr when `id` names no form.
const FormRoute* FindForm(std::string_view id);

// Fills each affected system that names an inventory system with its level and national
// importance from the inventory (R14 reads them; the reporter does not set them).
// Errors: kInvalidArgument naming /affected_systems/N/system_id when not in `scope`.
[[nodiscard]] core::Status ResolveSystems(store::Tx& tx, const store::Scope& scope, Incident& inc);

// The intake checks of a new incident: detection not after `now`, the notification's mandatory
// fields (DOMAIN.md A, R8). Errors: kInvalidArgument naming the field.
[[nodiscard]] core::Status CheckIntake(const Incident& inc, core::Instant now);

// Stores `next` (a change of `before`, or a new incident when `before` is null) with the events
// of the change, re-running R14: the outcome and every criterion's reason are audited when they
// change, a serious outcome moves a normal incident onto the QĐ05 procedure. `saved` receives
// the stored incident. Errors: the repository's (kConflict when stale).
[[nodiscard]] core::Status SaveIncident(store::Tx& tx, const std::string& actor, core::Instant now,
                                        const Incident* before, Incident next,
                                        std::vector<Event> events, const std::string& action,
                                        Incident& saved);

// Records notice `n` of `inc` (POST …/notices and the demo seed; REQUIRES: n.id, n.incident_id
// and n.at set): checks it against `r` (ValidateNotice at `now`), stores it, and saves the
// incident with the events the incident's notices now prove and the report facts they fill
// (R8–R11 and R15 satisfied when a document has reached every party it requires; a notice
// received starts R12). `saved` receives the incident. Errors: ValidateNotice's; the store's.
[[nodiscard]] core::Status RecordNotice(store::Tx& tx, const Recipients& r,
                                        const std::string& actor, core::Instant now,
                                        const Incident& inc, const Notice& n, Incident& saved);

// Records the acknowledgement (R12) of notice `notice_id` of `inc` at `at`, by `by` (empty: for
// a notice received, `actor` acknowledging it; for one sent, required) over `channel`, and saves
// the incident with the events it adds. `acked` receives the notice, `saved` the incident.
// Errors: kInvalidArgument naming /channel, /at (in the future, before the notice) or /by;
// kNotFound when the incident has no such notice; the store's.
[[nodiscard]] core::Status AcknowledgeNotice(store::Tx& tx, const Recipients& r,
                                             const std::string& actor, core::Instant now,
                                             const Incident& inc, const std::string& notice_id,
                                             core::Instant at, std::string by,
                                             const std::string& channel, Notice& acked,
                                             Incident& saved);

struct DocumentOptions {
  std::string format = "docx";  // docx | pdf
  std::optional<int> number;
  std::string issuer_code;  // empty: IssuerCode of the incident's organisation
  std::string place;        // empty: the province
  std::string signer_title, signer_name, authority;
};

struct RenderedDocument {
  std::string bytes;
  std::string content_type;
  std::string file_name;  // "incident-<id>-<form>.<format>"
};

// The mandatory (*) fields of `form` that `inc` lacks (empty when the form can be built).
std::vector<DocumentField> MissingFields(const FormRoute& form, const Incident& inc,
                                         core::Instant now);

// Renders `form` of `inc` (REQUIRES: MissingFields is empty) with the issuer from the incident's
// organisation and its province, dated `now`. `recipients` may be null (no "Kính gửi").
// Errors: kInvalidArgument for bad options (/issuer_code, /place …); kUnavailable when the PDF
// cannot be made (LibreOffice missing or failing); the store's.
[[nodiscard]] core::Result<RenderedDocument> RenderIncidentDocument(
    store::Tx& tx, const Incident& inc, const FormRoute& form, const DocumentOptions& options,
    const Recipients* recipients, core::Instant now);

// ---- Form 05 (DOMAIN.md E, R16/R18) -----------------------------------------------------------

struct SummaryRequest {
  int year = 0;
  std::string half;         // "1", "2", "year"
  std::string org_id;       // the reporting organisation; empty: see LoadSummary
  std::string member_code;  // mã thành viên mạng lưới, printed as given
  std::string proposals;
};

struct SummaryReport {
  Summary summary;
  SummaryHeader header;
  core::Organisation org;  // the reporting organisation
  int organisations = 0;   // organisations in its subtree
};

// Rolls up the incidents of the reporting organisation's subtree for the request's period.
// The reporting organisation is `req.org_id` (which must be in `scope`), else `home_org` for a
// scoped user (its own subtree), else the one top-level organisation of type province for a
// user who sees all. Errors: kInvalidArgument naming /year, /half or /org_id; the store's.
[[nodiscard]] core::Result<SummaryReport> LoadSummary(store::Tx& tx, const store::Scope& scope,
                                                      const std::string& home_org,
                                                      const SummaryRequest& req);

codec::Json SummaryJson(const SummaryReport& r);

// Renders Form 05 (REQUIRES: the mandatory fields of Form05Fields are set) addressed to the
// national coordinating agency, issued by the reporting organisation, dated `now`.
[[nodiscard]] core::Result<RenderedDocument> RenderSummary(store::Tx& tx, const SummaryReport& r,
                                                           const DocumentOptions& options,
                                                           const Recipients* recipients,
                                                           core::Instant now);

// The `ucsc incident …` commands (cli.cc), for Registry::AddCommands.
void AddCommands(CLI::App& app, const capability::CliEnv& env,
                 std::vector<capability::Command>& out);

}  // namespace ucsc::incident::internal
