// A notifier for tests: it records every message it accepts instead of sending it, and can be
// told to fail. It applies the channel-independent checks of `ValidateMessage`, so a caller's
// malformed message fails under test as it would in production.
// Thread-safety: all methods are thread-safe.
//
// Example:
//   notify::FakeNotifier fake;
//   fake.FailNext(core::Error{core::ErrorCode::kUnavailable, "smtp down"});
//   EXPECT_FALSE(fake.Send(m));   // the injected failure; nothing recorded
//   EXPECT_TRUE(fake.Send(m));
//   EXPECT_EQ(fake.Sent().size(), 1u);
#pragma once

#include <deque>
#include <mutex>
#include <string>
#include <vector>

#include "notify/notifier.h"

namespace ucsc::notify {

class FakeNotifier final : public Notifier {
 public:
  // `kind` is what `Kind()` and receipts report.
  explicit FakeNotifier(std::string kind = "fake") : kind_(std::move(kind)) {}

  std::string_view Kind() const override { return kind_; }

  // Returns the first queued failure if any (and records nothing); otherwise validates
  // (`ValidateMessage`), records a copy and returns a receipt whose message_id is
  // "<fake." + idempotency key + ">", so equal keys give equal ids.
  [[nodiscard]] core::Result<Receipt> Send(const Message& message) override;

  // Queues `error` to be returned by a later Send (first in, first out).
  void FailNext(core::Error error);

  // Copies of the accepted messages, oldest first.
  std::vector<Message> Sent() const;
  // Number of Send calls, accepted or not.
  int Attempts() const;
  void Clear();

 private:
  const std::string kind_;
  mutable std::mutex mu_;
  std::vector<Message> sent_;       // GUARDED_BY(mu_)
  std::deque<core::Error> faults_;  // GUARDED_BY(mu_)
  int attempts_ = 0;                // GUARDED_BY(mu_)
};

}  // namespace ucsc::notify
