#pragma once
// The dispatch worker, on one thread: settles deliveries whose worker died
// mid-call, releases messages held by a blackout that ended (back to a
// manager, never out), and sends due deliveries: claimed (marked sending and
// committed) before the call, the claim renewed just before each call of a
// batch (DispatchStore::Renew), the outcome decided by the domain (Decide)
// and recorded with the attempt. Every replica runs it; SKIP LOCKED keeps two
// workers from claiming one delivery, and the renewal keeps another replica
// from settling one still waiting in a slow batch as interrupted.
#include <functional>
#include <optional>
#include <string>

#include "absl/random/random.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "common/periodic.h"
#include "services/dispatch/connectors.h"
#include "services/dispatch/secrets.h"
#include "services/dispatch/store.h"

namespace sportello::dispatch {

struct WorkerSettings {
  bool enabled = true;
  absl::Duration tick = absl::Milliseconds(500);
  int batch = 16;
  absl::Duration lease = absl::Minutes(2);  // a delivery sending longer than this was interrupted
  RetryPolicy retry;
  std::string tenant;  // only this tenant's deliveries ("" = every tenant: production); tests use their own
};

// Resolves a credential reference "env:NAME" (main passes getenv).
using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;

class Worker {
 public:
  // Starts the thread when settings.enabled.
  Worker(DispatchStore& store, Sender& sender, const std::optional<Keyring>& keyring, EnvLookup env,
         const Clock& clock, WorkerSettings settings);

  // One round now: recover, release, send what is due. Returns how many
  // deliveries it sent or settled (tests).
  int RunOnce();

 private:
  absl::StatusOr<std::string> Secret(const Account& account) const;

  DispatchStore& store_;
  Sender& sender_;
  const std::optional<Keyring>& keyring_;
  EnvLookup env_;
  const Clock& clock_;
  WorkerSettings settings_;
  absl::BitGen bitgen_;
  std::optional<Periodic> thread_;  // last: stops and joins before the members it reads go
};

}  // namespace sportello::dispatch
