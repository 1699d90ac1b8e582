#pragma once
// The complaints service's background work, on one thread: flagging overdue
// requests once, purging personal data past the retention period and
// idempotency answers after a day. Every replica runs it; row locks with
// SKIP LOCKED keep them from doing the same work twice. (The outbox is
// delivered by common's relay: common/outbox/relay.h.)
#include <string>

#include "absl/time/time.h"
#include "common/clock.h"
#include "common/periodic.h"
#include "services/complaints/store.h"

namespace sportello::complaints {

struct BackgroundSettings {
  absl::Duration tick = absl::Seconds(1);
  absl::Duration escalation_interval = absl::Seconds(30);
  absl::Duration purge_interval = absl::Hours(1);
  absl::Duration retention = absl::Hours(24 * 365);
  std::string tenant;  // only this tenant's requests ("" = every tenant: production); tests use their own
};

class Background {
 public:
  // Starts the thread; every decision reads `clock`.
  Background(RequestStore& store, const Clock& clock, BackgroundSettings settings);

  // One round of every job now, whatever their intervals (tests; the thread
  // runs each job when its interval has passed).
  void RunOnce();

 private:
  bool Tick();
  void Escalate(absl::Time now);
  void Purge(absl::Time now);

  RequestStore& store_;
  const Clock& clock_;
  BackgroundSettings settings_;
  absl::Time next_escalation_, next_purge_;
  Periodic thread_;  // last: stops and joins before the members it reads go
};

}  // namespace sportello::complaints
