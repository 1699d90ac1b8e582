#pragma once
// The scheduled refresh: every `interval`, one replica reads every tenant's
// datasets again from the source services, as an operator's refresh does
// (a version only when something changed). Replicas share a lease in the
// database (OpenDataStore::ClaimRefresh, the outbox relay's pattern), so a
// pass runs on one of them; one whose lease runs out mid-pass stops, and a
// crashed one's lease expires. Time comes from the injected Clock; the
// thread stops (and is joined) when the object is destroyed.
//
//   Scheduler s(store, clock, settings, {.tenants = ..., .refresh = ...});
//   s.Start();                 // or, in tests: s.RunOnce()
#include <atomic>
#include <functional>
#include <string>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "common/periodic.h"
#include "services/opendata/store.h"

namespace sportello::opendata {

struct ScheduleSettings {
  std::string job = "refresh";                // the lease's row: one per schedule
  absl::Duration interval = absl::Hours(6);   // between passes; zero: no schedule
  absl::Duration lease = absl::Minutes(30);   // longest pass
  absl::Duration poll = absl::Minutes(1);     // how often a replica looks whether a pass is due
};

// What a pass does, injected so tests can choose the tenants.
struct ScheduledWork {
  std::function<absl::StatusOr<std::vector<std::string>>()> tenants;
  // Refreshes one dataset; true when it made a new version.
  std::function<absl::StatusOr<bool>(const std::string& tenant, const std::string& slug)> refresh;
};

class Scheduler {
 public:
  Scheduler(OpenDataStore& store, const Clock& clock, ScheduleSettings settings, ScheduledWork work);
  ~Scheduler();  // Stop()

  void Start();  // nothing when the interval is zero
  void Stop();

  struct Pass {
    bool ran = false;  // false: not due, or another replica holds the lease
    int refreshed = 0, changed = 0, failed = 0;
    bool lease_lost = false;  // stopped early: the lease ran out or was taken over
  };
  // One pass now if due and the lease is free.
  absl::StatusOr<Pass> RunOnce();

 private:
  bool stopping() const;

  OpenDataStore& store_;
  const Clock& clock_;
  ScheduleSettings settings_;
  ScheduledWork work_;
  std::atomic<bool> stopping_{false};
  std::optional<Periodic> thread_;  // last: stops and joins before the members it reads go
};

// The service's own credential towards the other services for `tenant`: a
// short-lived operator token of subject "sportello-opendata", signed with
// the JWT secret the service verifies its callers with.
std::string ServiceToken(const std::string& jwt_secret, const std::string& tenant);

}  // namespace sportello::opendata
