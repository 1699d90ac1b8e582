#include "services/complaints/background.h"

#include "common/log.h"

namespace sportello::complaints {

Background::Background(RequestStore& store, const Clock& clock, BackgroundSettings settings)
    : store_(store),
      clock_(clock),
      settings_(std::move(settings)),
      next_escalation_(clock_.Now()),
      next_purge_(clock_.Now() + absl::Minutes(1)),
      thread_(settings_.tick, [this] { return Tick(); }) {}

void Background::Escalate(absl::Time now) {
  auto flagged = store_.EscalateOverdue(now, 200, settings_.tenant);
  if (!flagged.ok()) log::Warn("escalation failed", {{"error", std::string(flagged.status().message())}});
  if (flagged.ok() && *flagged > 0) log::Info("overdue requests escalated", {{"count", (long long)*flagged}});
}

void Background::Purge(absl::Time now) {
  auto purged = store_.PurgePersonalData(settings_.tenant, now - settings_.retention);
  if (purged.ok() && *purged > 0) log::Info("personal data purged", {{"requests", *purged}});
  // A retry comes within minutes; after a day the stored answer (with its
  // tracking token) is only a liability.
  auto forgotten = store_.ForgetIdempotencyKeys(settings_.tenant, now - absl::Hours(24));
  if (forgotten.ok() && *forgotten > 0) log::Info("idempotency keys forgotten", {{"count", *forgotten}});
}

void Background::RunOnce() {
  absl::Time now = clock_.Now();
  Escalate(now);
  Purge(now);
}

bool Background::Tick() {
  absl::Time now = clock_.Now();
  if (now >= next_escalation_) {
    next_escalation_ = now + settings_.escalation_interval;
    Escalate(now);
  }
  if (now >= next_purge_) {
    next_purge_ = now + settings_.purge_interval;
    Purge(now);
  }
  return false;
}

}  // namespace sportello::complaints
