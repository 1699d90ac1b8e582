#include "services/dispatch/background.h"

#include "absl/strings/str_cat.h"
#include "common/log.h"

namespace sportello::dispatch {

Worker::Worker(DispatchStore& store, Sender& sender, const std::optional<Keyring>& keyring, EnvLookup env,
               const Clock& clock, WorkerSettings settings)
    : store_(store), sender_(sender), keyring_(keyring), env_(std::move(env)), clock_(clock),
      settings_(std::move(settings)) {
  // A round that did something goes on at once: more may be due.
  if (settings_.enabled) thread_.emplace(settings_.tick, [this] { return RunOnce() > 0; }, Periodic::First::kNow);
}

absl::StatusOr<std::string> Worker::Secret(const Account& a) const {
  if (a.credential.empty()) return std::string();
  if (a.credential.rfind("env:", 0) == 0) {
    std::optional<std::string> v = env_ ? env_(a.credential.substr(4)) : std::nullopt;
    if (!v) return absl::FailedPreconditionError("credenziale non disponibile nell'ambiente");
    return *v;
  }
  if (!keyring_) return absl::FailedPreconditionError("nessuna chiave per aprire le credenziali");
  return keyring_->Open(a.credential);
}

int Worker::RunOnce() {
  int done = 0;
  if (auto n = store_.RecoverInterrupted(settings_.lease, settings_.retry, settings_.tenant); n.ok()) {
    done += *n;
  } else {
    log::Warn("dispatch: recovering interrupted deliveries failed", {{"error", n.status().ToString()}});
  }
  if (auto n = store_.ReleaseHeld(); !n.ok()) {
    log::Warn("dispatch: releasing held messages failed", {{"error", n.status().ToString()}});
  }
  auto claimed = store_.ClaimDue(settings_.batch, settings_.tenant);
  if (!claimed.ok()) {
    log::Warn("dispatch: claiming deliveries failed", {{"error", claimed.status().ToString()}});
    return done;
  }
  for (Claimed& c : *claimed) {
    // The batch was claimed at once and is sent one by one: renew each
    // claim before its call, so that the call (shorter than the lease)
    // ends inside it, and skip one another replica has meanwhile settled.
    auto renewed = store_.Renew(c);
    if (!renewed.ok()) {
      log::Warn("dispatch: renewing a claim failed", {{"delivery", c.delivery.id}, {"error", renewed.status().ToString()}});
      continue;  // still sending: recovered as interrupted after the lease
    }
    if (!*renewed) {
      log::Warn("dispatch: claim taken over, not sent", {{"delivery", c.delivery.id}});
      continue;
    }
    Attempt attempt;
    if (c.account.status != AccountStatus::kActive) {
      attempt.kind = Attempt::Kind::kDone;
      attempt.http_status = 403;  // treated as refused credentials: dead letter, operators see it
      attempt.error = "account " + std::string(AccountStatusName(c.account.status));
    } else if (auto secret = Secret(c.account); !secret.ok()) {
      attempt.kind = Attempt::Kind::kNotSent;
      attempt.error = std::string(secret.status().message());
    } else {
      attempt = sender_.Send(Outgoing{c.delivery, c.account, *secret, c.text, c.title, c.link});
    }
    absl::Time now = clock_.Now();
    Decision decision = Decide(c.delivery, c.account.channel, attempt, settings_.retry, now,
                               absl::Uniform(bitgen_, 0.0, 1.0));
    if (!attempt.remote_id.empty()) c.delivery.remote_id = attempt.remote_id;
    AttemptLog entry{now, "", attempt.http_status, attempt.error};
    switch (decision.state) {
      case DeliveryState::kSent: entry.outcome = "sent"; break;
      case DeliveryState::kPending: entry.outcome = "retry"; break;
      case DeliveryState::kDead: entry.outcome = "dead"; break;
      case DeliveryState::kUncertain: entry.outcome = "uncertain"; break;
      default: entry.outcome = std::string(DeliveryStateName(decision.state));
    }
    // The log names the delivery and the outcome, never a URL or a credential.
    log::Info("dispatch: delivery attempt", {{"delivery", c.delivery.id},
                                            {"channel", std::string(ChannelName(c.account.channel))},
                                            {"outcome", entry.outcome},
                                            {"status", std::to_string(attempt.http_status)}});
    if (absl::Status s = store_.Finish(c.delivery, decision, entry); !s.ok()) {
      log::Warn("dispatch: recording an attempt failed", {{"delivery", c.delivery.id}, {"error", s.ToString()}});
    }
    ++done;
  }
  return done;
}

}  // namespace sportello::dispatch
