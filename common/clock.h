#pragma once
// Time as a dependency. Services, stores and background jobs read the time
// from an injected Clock, never from absl::Now(), so deadline, escalation,
// reopen-window and retention rules are tested by moving time instead of
// editing rows.
//
//   ManualClock clock(absl::FromCivil(absl::CivilSecond(2026, 3, 1, 9, 0, 0), rome));
//   service.Submit(...);            // due in 30 days
//   clock.Advance(absl::Hours(24 * 31));
//   jobs.RunOnce();                 // now overdue
#include <atomic>

#include "absl/status/statusor.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace sportello {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() const = 0;
};

// The wall clock: what every binary uses.
class SystemClock final : public Clock {
 public:
  absl::Time Now() const override { return absl::Now(); }
  static const SystemClock& Instance() {
    static const SystemClock clock;
    return clock;
  }
};

// A clock that moves only when told; for tests. Thread-safe.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(absl::Time start) : micros_(absl::ToUnixMicros(start)) {}
  absl::Time Now() const override { return absl::FromUnixMicros(micros_.load()); }
  void Set(absl::Time t) { micros_.store(absl::ToUnixMicros(t)); }
  void Advance(absl::Duration d) { micros_.fetch_add(absl::ToInt64Microseconds(d)); }

 private:
  std::atomic<int64_t> micros_;
};

// Europe/Rome, the administrations' legal time, or FAILED_PRECONDITION when
// the time zone database (Debian's tzdata) is missing.
inline absl::StatusOr<absl::TimeZone> RomeTimeZone() {
  absl::TimeZone zone;
  if (!absl::LoadTimeZone("Europe/Rome", &zone)) {
    return absl::FailedPreconditionError("time zone Europe/Rome not found: install tzdata");
  }
  return zone;
}

}  // namespace sportello
