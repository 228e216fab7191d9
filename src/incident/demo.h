// The incident module's part of the demo province (issue 14 item 8: "incidents of 2025–2026 in
// the demo province across types, both processes, some overdue, so that Form 05 and the
// dashboards have content"), registered with capability::Registry::AddDemo.
//
// 27 incidents over the demo's systems, detected between about 700 days and 1 day before the
// clock's now (so 2025 and 2026 for a demo made in December 2026): every one of the 10 types of
// DOMAIN.md §3.2; four serious ones (R14: a level 4/5 or national-list system, harms of QĐ05
// Art 9.1, beyond the operator's capacity) that move onto the QĐ05 Art 14 procedure, the others
// on TT20 Art 11; closed with Form 04 sent (R11), response ended without Form 04, being handled,
// or new. The R8 notification is sent on time, late (7 days after detection) or not at all;
// some notifications are acknowledged by the coordinating agency, some coordination orders
// received are acknowledged (R12) and one is not; observables (IPs, domains, hashes, …) are
// recorded on most, some shared between incidents for correlation.
//
// Deterministic: the systems are taken in the order of their names (then ids), each scenario
// picks the k-th system that fits it (a keyword of its name, or level ≥ 4 / national list for a
// serious one; any system when none fits), ids come from env.ids and every time is fixed
// relative to the clock's now; steps that would fall after now are left out. Every record is
// written through the module's own operations — CheckIntake, IntakeEvents and SaveIncident (as
// POST /incidents), workflow Apply (as …/transitions), RecordNotice and AcknowledgeNotice (as
// …/notices) — by the operator organisation's staff and manager (the demo user of that role
// when the organisation has one) and the IR team's responder, so that R14, the legal clocks, the
// timeline and the audit trail are the ones the module writes in use.
//
// Thread-safety: runs on the caller's thread, one store transaction per incident.
#pragma once

#include "capability/module.h"
#include "core/result.h"
#include "incident/notices.h"

namespace ucsc::incident {

// Seeds the incidents over env.systems as above; does nothing when there are no systems.
// Errors: the module's and the store's.
[[nodiscard]] core::Status SeedDemo(const capability::DemoEnv& env, const Recipients& recipients);

}  // namespace ucsc::incident
