#include "notify/fake_notifier.h"

namespace ucsc::notify {

core::Result<Receipt> FakeNotifier::Send(const Message& message) {
  std::lock_guard lock(mu_);
  ++attempts_;
  if (!faults_.empty()) {
    core::Error e = std::move(faults_.front());
    faults_.pop_front();
    return tl::unexpected(std::move(e));
  }
  UCSC_RETURN_IF_ERROR(ValidateMessage(message));
  sent_.push_back(message);
  return Receipt{kind_, "<fake." + message.idempotency_key + ">"};
}

void FakeNotifier::FailNext(core::Error error) {
  std::lock_guard lock(mu_);
  faults_.push_back(std::move(error));
}

std::vector<Message> FakeNotifier::Sent() const {
  std::lock_guard lock(mu_);
  return sent_;
}

int FakeNotifier::Attempts() const {
  std::lock_guard lock(mu_);
  return attempts_;
}

void FakeNotifier::Clear() {
  std::lock_guard lock(mu_);
  sent_.clear();
  faults_.clear();
  attempts_ = 0;
}

}  // namespace ucsc::notify
