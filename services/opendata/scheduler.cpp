#include "services/opendata/scheduler.h"

#include "common/auth/token.h"
#include "common/log.h"
#include "common/status.h"
#include "services/opendata/table.h"

namespace sportello::opendata {

Scheduler::Scheduler(OpenDataStore& store, const Clock& clock, ScheduleSettings settings, ScheduledWork work)
    : store_(store), clock_(clock), settings_(std::move(settings)), work_(std::move(work)) {}

Scheduler::~Scheduler() { Stop(); }

void Scheduler::Start() {
  if (settings_.interval <= absl::ZeroDuration() || thread_) return;
  thread_.emplace(
      settings_.poll,
      [this] {
        if (auto pass = RunOnce(); !pass.ok()) {
          log::Warn("scheduled refresh: database", {{"error", pass.status().ToString()}});
        }
        return false;
      },
      Periodic::First::kNow);
}

void Scheduler::Stop() {
  stopping_ = true;
  thread_.reset();
}

absl::StatusOr<Scheduler::Pass> Scheduler::RunOnce() {
  Pass pass;
  const absl::Time start = clock_.Now();
  ASSIGN_OR_RETURN(std::optional<std::string> token, store_.ClaimRefresh(settings_.job, settings_.lease));
  if (!token) return pass;
  pass.ran = true;
  // Stop with a margin before the lease ends: another replica may take it then.
  const absl::Time stop_at = start + settings_.lease * 0.9;
  auto tenants = work_.tenants();
  if (!tenants.ok()) {
    log::Warn("scheduled refresh: no tenants", {{"error", tenants.status().ToString()}});
    // Try again soon rather than after a whole interval.
    RETURN_IF_ERROR(store_.FinishRefresh(settings_.job, *token, std::min(settings_.poll, settings_.interval)).status());
    return pass;
  }
  bool stopped = false;
  for (const auto& tenant : *tenants) {
    for (const auto& kind : DatasetKinds()) {
      stopped = stopping();
      if (clock_.Now() >= stop_at || stopped) {
        pass.lease_lost = true;
        break;
      }
      auto changed = work_.refresh(tenant, kind.slug);
      ++pass.refreshed;
      if (!changed.ok()) {
        ++pass.failed;
        log::Warn("scheduled refresh failed", {{"dataset", DatasetId(tenant, kind.slug)},
                                               {"error", changed.status().ToString()}});
      } else if (*changed) {
        ++pass.changed;
      }
    }
    if (pass.lease_lost) break;
  }
  // Shutting down mid-pass: due at once, so another replica does the rest.
  ASSIGN_OR_RETURN(bool still_ours, store_.FinishRefresh(settings_.job, *token,
                                                         stopped ? absl::ZeroDuration() : settings_.interval));
  if (!still_ours) pass.lease_lost = true;
  log::Info("scheduled refresh", {{"datasets", static_cast<long long>(pass.refreshed)},
                                  {"changed", static_cast<long long>(pass.changed)},
                                  {"failed", static_cast<long long>(pass.failed)},
                                  {"complete", !pass.lease_lost}});
  return pass;
}

bool Scheduler::stopping() const { return stopping_; }

std::string ServiceToken(const std::string& jwt_secret, const std::string& tenant) {
  auth::Principal self;
  self.subject = "sportello-opendata";
  self.tenant = tenant;
  self.roles = {"operator"};
  self.authenticated = true;
  return auth::MintToken(jwt_secret, self, absl::Minutes(10));
}

}  // namespace sportello::opendata
