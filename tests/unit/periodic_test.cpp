// The background jobs' thread: ticks at the start when asked, again at once
// while a tick says more is waiting, and stops within a tick when destroyed
// even with an hour left to wait (the test would hang otherwise).
#include "common/periodic.h"

#include <catch2/catch.hpp>

#include <atomic>

#include "tests/support/poll.h"

using sportello::Periodic;
using sportello::testing::PollUntil;

TEST_CASE("a job ticks at once when asked, and is woken to stop", "[periodic]") {
  std::atomic<int> ticks{0};
  {
    Periodic job(absl::Hours(1), [&] { return ++ticks < 0; }, Periodic::First::kNow);
    REQUIRE(PollUntil([&] { return ticks.load() >= 1; }, absl::Now() + absl::Seconds(10)));
  }
  CHECK(ticks.load() == 1);  // the next tick was an hour away
}

TEST_CASE("a tick with more waiting is followed at once by another", "[periodic]") {
  std::atomic<int> ticks{0};
  Periodic job(absl::Hours(1), [&] { return ++ticks < 5; }, Periodic::First::kNow);
  REQUIRE(PollUntil([&] { return ticks.load() >= 5; }, absl::Now() + absl::Seconds(10)));
}

TEST_CASE("by default the first tick waits one interval", "[periodic]") {
  std::atomic<int> ticks{0};
  { Periodic job(absl::Hours(1), [&] { return ++ticks < 0; }); }
  CHECK(ticks.load() == 0);
  {
    Periodic job(absl::Milliseconds(5), [&] { return ++ticks < 0; });
    REQUIRE(PollUntil([&] { return ticks.load() >= 3; }, absl::Now() + absl::Seconds(10)));
  }
}
