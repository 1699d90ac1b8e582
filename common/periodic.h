#pragma once
// A background job's thread: calls `tick` every `interval` until destroyed.
// A tick that returns true is called again at once (more work is waiting).
// The destructor wakes the wait and joins, so a service stops within one
// tick; a long tick can look at stopping() to leave early.
//
//   Periodic purge_(absl::Minutes(10), [this] { Purge(); return false; });
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "absl/time/time.h"

namespace sportello {

class Periodic {
 public:
  enum class First { kAfterInterval, kNow };

  Periodic(absl::Duration interval, std::function<bool()> tick, First first = First::kAfterInterval);
  ~Periodic();
  Periodic(const Periodic&) = delete;
  Periodic& operator=(const Periodic&) = delete;

  bool stopping() const;

 private:
  void Loop(First first);

  const absl::Duration interval_;
  std::function<bool()> tick_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace sportello
