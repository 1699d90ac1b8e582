#include "common/periodic.h"

namespace sportello {

Periodic::Periodic(absl::Duration interval, std::function<bool()> tick, First first)
    : interval_(interval), tick_(std::move(tick)) {
  thread_ = std::thread([this, first] { Loop(first); });
}

Periodic::~Periodic() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

bool Periodic::stopping() const {
  std::lock_guard lock(mu_);
  return stopping_;
}

void Periodic::Loop(First first) {
  bool again = first == First::kNow;
  std::unique_lock lock(mu_);
  while (true) {
    if (!again && cv_.wait_for(lock, absl::ToChronoNanoseconds(interval_), [this] { return stopping_; })) return;
    if (stopping_) return;
    lock.unlock();
    again = tick_();
    lock.lock();
  }
}

}  // namespace sportello
