#include "services/complaints/background.h"

#include "common/log.h"

namespace sportello::complaints {

Background::Background(RequestStore& store, BackgroundSettings settings)
    : store_(store), settings_(std::move(settings)) {
  thread_ = std::thread([this] { Loop(); });
}

Background::~Background() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void Background::Loop() {
  absl::Time next_escalation = absl::Now(), next_purge = absl::Now() + absl::Minutes(1);
  while (true) {
    {
      std::unique_lock lock(mu_);
      if (cv_.wait_for(lock, absl::ToChronoMilliseconds(settings_.tick), [this] { return stopping_; })) {
        return;
      }
    }
    absl::Time now = absl::Now();
    if (now >= next_escalation) {
      next_escalation = now + settings_.escalation_interval;
      auto flagged = store_.EscalateOverdue(now, 200);
      if (flagged.ok() && *flagged > 0) log::Info("overdue requests escalated", {{"count", (long long)*flagged}});
    }
    if (now >= next_purge) {
      next_purge = now + settings_.purge_interval;
      auto purged = store_.PurgePersonalData("", now - settings_.retention);
      if (purged.ok() && *purged > 0) log::Info("personal data purged", {{"requests", *purged}});
      // A retry comes within minutes; after a day the stored answer (with its
      // tracking token) is only a liability.
      auto forgotten = store_.ForgetIdempotencyKeys(now - absl::Hours(24));
      if (forgotten.ok() && *forgotten > 0) log::Info("idempotency keys forgotten", {{"count", *forgotten}});
    }
  }
}

}  // namespace sportello::complaints
