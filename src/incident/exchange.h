// Exchange of an incident's observables (issue 14 §7): as a STIX 2.1 bundle (one indicator with
// a STIX pattern per observable, grouped by a `grouping` object naming the incident) and as a
// MISP event (JSON), and the import of both back into validated observables.
//
// Ids are name-based UUIDs (RFC 4122 version 5, SHA-1) of the incident id and of each
// observable's type and value, so exporting twice gives the same ids and importers can
// deduplicate. Import accepts the STIX pattern subset `[path = 'value']` with AND / OR inside and
// between observations and parentheses; every other construct (other operators, NOT,
// FOLLOWEDBY, qualifiers) and every value that fails observable.h validation is a clean error
// naming the object and its JSON pointer. Objects and attributes of other kinds are skipped and
// listed, never silently dropped.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "codec/json_reader.h"
#include "core/clock.h"
#include "core/result.h"
#include "incident/observable.h"

namespace ucsc::incident {

struct ExchangeSource {  // what the export is about
  std::string incident_id;
  std::string title;
  core::Instant at;  // created/modified/valid_from (STIX), date (MISP)
};

// The STIX pattern of one observable, e.g. "[file:hashes.'SHA-256' = '…']".
std::string StixPattern(const Observable& o);

codec::Json ToStixBundle(const ExchangeSource& src, const std::vector<Observable>& obs);
codec::Json ToMispEvent(const ExchangeSource& src, const std::vector<Observable>& obs);

struct Skipped {
  std::string pointer;  // JSON pointer of the object or attribute
  std::string reason;
};

struct ImportResult {
  std::vector<Observable> observables;  // deduplicated by (type, value), in input order
  std::vector<Skipped> skipped;
};

// Parses one STIX pattern into observables. Errors: kInvalidArgument with the reason (syntax
// error at offset N, unsupported operator or qualifier, unknown object path, bad value).
[[nodiscard]] core::Result<std::vector<Observable>> ParseStixPatternObservables(
    std::string_view pattern);

// Imports a STIX 2.1 bundle. Errors: kInvalidArgument, field = JSON pointer of the bad member
// ("/objects/2/pattern"), message naming the indicator id.
[[nodiscard]] core::Result<ImportResult> ImportStixBundle(std::string_view json);
// Imports a MISP event ({"Event": {…}} or the bare event). Errors: kInvalidArgument, field =
// JSON pointer of the bad member ("/Event/Attribute/3/value").
[[nodiscard]] core::Result<ImportResult> ImportMispEvent(std::string_view json);

}  // namespace ucsc::incident
