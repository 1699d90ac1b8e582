#pragma once
// Waiting for something asynchronous (an event delivered, a relay's poll, a
// server coming back) without sleeping a fixed time: ask again until the
// answer is yes or the deadline passes, then let the test assert the answer.
//
//   bool delivered = PollUntil([&] { return sink.Count(number) >= 2; }, absl::Seconds(10));
//   REQUIRE(delivered);
//
// Or, for back-pressure, how far a producer gets before it stalls:
//
//   int produced = ValueOnceStill(upstream.produced);  // unchanged for 300 ms
#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <thread>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace sportello::testing {

// Calls `done` until it returns true or `deadline` passes, pausing `interval`
// between calls; returns the last answer. `done` runs at least once, and once
// more at the deadline, so a slow last step is not lost.
inline bool PollUntil(const std::function<bool()>& done, absl::Time deadline,
                      absl::Duration interval = absl::Milliseconds(25)) {
  while (true) {
    if (done()) return true;
    if (absl::Now() >= deadline) return false;
    absl::Duration left = deadline - absl::Now();
    std::this_thread::sleep_for(absl::ToChronoNanoseconds(std::min(interval, std::max(left, absl::ZeroDuration()))));
  }
}

inline bool PollUntil(const std::function<bool()>& done, absl::Duration timeout,
                      absl::Duration interval = absl::Milliseconds(25)) {
  return PollUntil(done, absl::Now() + timeout, interval);
}

// Reads `counter` every 10 ms until it has not moved for `still`, or until
// `bound` has passed; returns the last value read.
inline int ValueOnceStill(const std::atomic<int>& counter, std::chrono::milliseconds still = std::chrono::milliseconds(300),
                          std::chrono::milliseconds bound = std::chrono::seconds(10)) {
  int last = -1;
  auto still_since = std::chrono::steady_clock::now();
  const auto deadline = std::chrono::steady_clock::now() + bound;
  while (std::chrono::steady_clock::now() < deadline) {
    int now = counter.load();
    if (now != last) {
      last = now;
      still_since = std::chrono::steady_clock::now();
    } else if (std::chrono::steady_clock::now() - still_since > still) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return last;
}

}  // namespace sportello::testing
