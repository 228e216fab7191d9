// One log event as a flat list of (field name, text value) pairs.
//
// Readers flatten nested input into dotted names and normalise the common envelopes so that Sigma
// field names (Image, CommandLine, EventID, Channel, ...) are found directly. A field may occur
// more than once (array elements). The event owns its text in one reusable buffer: Clear() keeps
// the capacity, so a reader that reuses one Event allocates nothing once warm.
//
// Thread-safety: not thread-safe; one Event per thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ucsc::hunt {

class Event {
 public:
  struct Slot {
    std::uint32_t name_off, name_len, value_off, value_len;
  };

  void Clear() {
    names_.clear();
    values_.clear();
    slots_.clear();
    record = 0;
  }
  void Add(std::string_view name, std::string_view value) {
    slots_.push_back(
        Slot{static_cast<std::uint32_t>(names_.size()), static_cast<std::uint32_t>(name.size()),
             static_cast<std::uint32_t>(values_.size()), static_cast<std::uint32_t>(value.size())});
    names_.append(name);
    values_.append(value);
  }
  std::size_t size() const { return slots_.size(); }
  std::string_view name(std::size_t i) const {
    return {names_.data() + slots_[i].name_off, slots_[i].name_len};
  }
  std::string_view value(std::size_t i) const {
    return {values_.data() + slots_[i].value_off, slots_[i].value_len};
  }
  // All names back to back, in event order (with name_size(), the event's "shape").
  std::string_view names_text() const { return names_; }
  std::size_t name_size(std::size_t i) const { return slots_[i].name_len; }
  // Where value(i) starts in text().
  std::size_t value_offset(std::size_t i) const { return slots_[i].value_off; }
  // First value of the field `name` (ASCII case-insensitive), or nullptr-like empty optional.
  bool Find(std::string_view name, std::string_view* out) const;
  // Size of all names and values (for statistics).
  std::size_t bytes() const { return names_.size() + values_.size(); }
  // All values back to back, in event order (for literal prefilters; no separators).
  std::string_view text() const { return values_; }
  // The event's own time as RFC 3339 UTC ("" when unknown; offsets converted to UTC, trailing
  // zeros of the fraction dropped): from UtcTime, SystemTime,
  // @timestamp, TimeCreated, EventTime or timestamp, in that order.
  std::string Timestamp() const;
  // All fields as one JSON object (names as keys in first-seen order; repeated names become
  // arrays).
  std::string ToJson() const;
  void AppendJson(std::string* out) const;

  std::uint64_t record = 0;  // 1-based line number or EVTX record id

 private:
  std::string names_;   // all names back to back
  std::string values_;  // all values back to back
  std::vector<Slot> slots_;
};

// Appends `s` as a JSON string (quoted; escapes as nlohmann::json does; an ill-formed UTF-8
// sequence becomes U+FFFD).
void AppendJsonString(std::string_view s, std::string* out);
// The same, returned.
std::string JsonString(std::string_view s);

// Case-insensitive ASCII equality of field names.
bool FieldNameEquals(std::string_view a, std::string_view b);

}  // namespace ucsc::hunt
