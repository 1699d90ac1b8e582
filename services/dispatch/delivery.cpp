#include "services/dispatch/delivery.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace sportello::dispatch {

absl::Duration Backoff(int attempt, const RetryPolicy& policy, double jitter) {
  absl::Duration full = policy.base;
  for (int i = 1; i < attempt && full < policy.cap; ++i) full *= 2;
  full = std::min(full, policy.cap);
  jitter = std::clamp(jitter, 0.0, 1.0);
  return full / 2 + (full / 2) * jitter;
}

namespace {

// True when a resend with the same key or id cannot duplicate the message.
bool SafeToResend(const Delivery& d, Channel channel, const RetryPolicy& policy, absl::Time now) {
  switch (channel) {
    case Channel::kWebhook: return true;  // receivers deduplicate by webhook-id
    case Channel::kMastodon:              // the server keeps Idempotency-Key an hour
      return !d.first_sent_at || now - *d.first_sent_at < policy.mastodon_key_lifetime - absl::Minutes(5);
    case Channel::kFeed: return true;
    case Channel::kTelegram:
    case Channel::kEmail: return false;
  }
  return false;
}

}  // namespace

Decision Decide(const Delivery& d, Channel channel, const Attempt& a, const RetryPolicy& policy, absl::Time now,
                double jitter) {
  Decision out;
  auto retry = [&](absl::Duration wait, std::string error) {
    if (d.attempts >= policy.max_attempts) {
      out.state = DeliveryState::kDead;
      out.error = absl::StrCat(error, " (tentativi esauriti)");
      return out;
    }
    out.state = DeliveryState::kPending;
    out.next_attempt_at = now + wait;
    out.error = std::move(error);
    return out;
  };
  switch (a.kind) {
    case Attempt::Kind::kNotSent:
      return retry(Backoff(d.attempts, policy, jitter), a.error.empty() ? "non inviato" : a.error);
    case Attempt::Kind::kUnknown:
      if (SafeToResend(d, channel, policy, now)) {
        return retry(Backoff(d.attempts, policy, jitter), a.error.empty() ? "esito sconosciuto" : a.error);
      }
      out.state = DeliveryState::kUncertain;
      out.error = a.error.empty() ? "esito sconosciuto: verificare sulla piattaforma" : a.error;
      return out;
    case Attempt::Kind::kDone: break;
  }
  int s = a.http_status;
  if ((s >= 200 && s < 300) || s == 250) {
    out.state = DeliveryState::kSent;
    return out;
  }
  std::string error = absl::StrCat("HTTP ", s, a.error.empty() ? "" : ": ", a.error);
  if (channel == Channel::kEmail) error = absl::StrCat("SMTP ", s, a.error.empty() ? "" : ": ", a.error);
  if (s == 429 || s == 503) {
    absl::Duration wait = a.retry_after ? std::max(*a.retry_after, absl::Seconds(1)) : Backoff(d.attempts, policy, jitter);
    return retry(wait, error);
  }
  if (s == 401 || s == 403) {
    out.state = DeliveryState::kDead;
    out.mark_account = true;
    out.error = error;
    return out;
  }
  if (channel == Channel::kEmail ? (s >= 500 && s < 600) : (s >= 400 && s < 500)) {
    out.state = DeliveryState::kDead;
    out.error = error;
    return out;
  }
  return retry(Backoff(d.attempts, policy, jitter), error);
}

DeliveryState AfterInterruptedSend(const Delivery& d, Channel channel, const RetryPolicy& policy, absl::Time now) {
  return SafeToResend(d, channel, policy, now) ? DeliveryState::kPending : DeliveryState::kUncertain;
}

}  // namespace sportello::dispatch
