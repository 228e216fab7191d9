// Windows event XML: one <Event> element -> one flat Event, with the field names of the JSON
// path (json_event.h) for the same event, so that the logsource mapping works unchanged.
//
// The element tree is turned into the paths evtx_dump's JSON would have and named by
// NormaliseFieldName: System children give EventID, Channel, Computer, EventRecordID, ...;
// attributes give their own name (Provider's as Provider_Name / Provider_Guid, TimeCreated's
// SystemTime, Execution's ProcessID / ThreadID, Security's UserID); <Data Name="X">v</Data> in
// EventData gives X = v (also when v is empty); unnamed <Data> gives Data (once per element);
// UserData children drop their wrapper element; empty elements without attributes are left out
// (evtx_dump renders them as null).
//
// Thread-safety: an XmlEventParser is not thread-safe; use one per thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"
#include "hunt/event.h"

namespace ucsc::hunt {

class XmlEventParser {
 public:
  XmlEventParser();
  ~XmlEventParser();
  XmlEventParser(const XmlEventParser&) = delete;
  XmlEventParser& operator=(const XmlEventParser&) = delete;

  // Parses one XML document whose root element is Event (any namespace prefix) into `out`
  // (cleared first). Returns kInvalidArgument with pugixml's reason and byte offset for
  // malformed XML, or when the root is not an Event element. `out->record` is left 0.
  // Values are kept as written.
  [[nodiscard]] core::Status Parse(std::string_view xml, Event* out);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Finds complete <Event>...</Event> elements in a text stream (a file of <Events>, of
// concatenated events, or evtxexport / wevtutil output). Exposed for tests and the reader.
// Returns the offset just past the element that starts at or after `from` and the element's
// start in `*start`, or npos when no complete element follows (more input is needed).
std::size_t FindXmlEvent(std::string_view text, std::size_t from, std::size_t* start);

}  // namespace ucsc::hunt
