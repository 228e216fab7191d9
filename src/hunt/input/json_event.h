// JSON event parsing (simdjson): one JSON object -> one flat Event.
//
// Nested objects are flattened with dotted names; arrays repeat the name once per element. The
// common Windows envelopes are normalised so Sigma field names are found directly:
//   evtx_dump / Chainsaw  {"Event":{"System":{...},"EventData":{...}}}  -> EventID, Channel, Image
//     (#text drops out of the name; #attributes give the attribute name, Provider's as
//     Provider_Name / Provider_Guid; "<X>_attributes" of the separate mode likewise)
//   Winlogbeat  winlog.event_data.X / winlog.user_data.X -> X; winlog.channel -> Channel,
//     winlog.event_id -> EventID, winlog.provider_name -> Provider_Name,
//     winlog.record_id -> EventRecordID, winlog.computer_name -> Computer
//   NXLog / OTRF: already flat (EventID, Channel, SourceName, ...), kept as is.
// JSON null members are left out; numbers keep their text; booleans are true / false.
//
// Thread-safety: a JsonEventParser is not thread-safe; use one per thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"
#include "hunt/event.h"

namespace simdjson::dom {
class element;
}

namespace ucsc::hunt {

class JsonEventParser {
 public:
  JsonEventParser();
  ~JsonEventParser();
  JsonEventParser(const JsonEventParser&) = delete;
  JsonEventParser& operator=(const JsonEventParser&) = delete;
  // Parses `json` into `out` (cleared first). REQUIRES: `padded_capacity` >= json.size() +
  // 64 bytes are readable from json.data() (pass 0 to let the parser copy).
  // Returns kInvalidArgument with simdjson's reason for bad JSON or a non-object document.
  [[nodiscard]] core::Status Parse(std::string_view json, std::size_t padded_capacity, Event* out);

 private:
  struct Impl;
  void Flatten(const simdjson::dom::element& el, Event* out, int depth);
  void Emit(std::string_view value, Event* out);

  std::unique_ptr<Impl> impl_;
  std::string path_;
  std::string name_;
  std::string number_;
};

// Normalises a flattened JSON path to the Sigma field name (see above). Exposed for tests.
std::string_view NormaliseFieldName(std::string_view path, std::string* scratch);

}  // namespace ucsc::hunt
