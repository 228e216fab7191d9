// Identifiers: UUID v7 strings (time-ordered) for every entity, and strong id types so an OrgId
// cannot be passed where a SystemId is expected. Thread-safety: IdGenerator is thread-safe if its
// RandomFill is.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <utility>

#include "core/clock.h"

namespace ucsc::core {

template <class Tag>
class StrongId {
 public:
  StrongId() = default;
  explicit StrongId(std::string value) : value_(std::move(value)) {}
  const std::string& str() const { return value_; }
  bool empty() const { return value_.empty(); }
  friend bool operator==(const StrongId&, const StrongId&) = default;
  friend auto operator<=>(const StrongId&, const StrongId&) = default;

 private:
  std::string value_;
};

using OrgId = StrongId<struct OrgTag>;
using SystemId = StrongId<struct SystemTag>;
using AssetId = StrongId<struct AssetTag>;
using ContactId = StrongId<struct ContactTag>;
using MemberId = StrongId<struct MemberTag>;
using TaskId = StrongId<struct TaskTag>;
using UserId = StrongId<struct UserTag>;
using JobId = StrongId<struct JobTag>;

// Fills the span with random bytes. Supplied by the caller (libsodium in production), so that
// core does no I/O.
using RandomFill = std::function<void(std::span<uint8_t>)>;

// Formats a UUID v7 from a Unix-millisecond timestamp and 10 random bytes (RFC 9562 §5.7).
std::string FormatUuidV7(int64_t unix_ms, std::span<const uint8_t, 10> random);

// True when `s` is a canonical lower-case UUID string (8-4-4-4-12 hex).
bool IsUuid(std::string_view s);

class IdGenerator {
 public:
  // REQUIRES: clock outlives the generator.
  IdGenerator(const Clock& clock, RandomFill fill) : clock_(clock), fill_(std::move(fill)) {}
  // Returns a new UUID v7; ids from one generator sort in creation order within a millisecond
  // only by chance, across milliseconds always.
  std::string Next() const;

 private:
  const Clock& clock_;
  RandomFill fill_;
};

}  // namespace ucsc::core
