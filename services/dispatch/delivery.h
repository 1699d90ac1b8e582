#pragma once
// What a delivery attempt's outcome means: sent, try again later (backing off
// exponentially with jitter, or as long as a 429 asked), dead letter (400,
// 401, 403, or out of attempts; 401/403 also mark the account), or
// uncertain (the platform may have it: an operator settles it, never a blind
// resend).
#include <optional>
#include <string>

#include "absl/time/time.h"
#include "services/dispatch/model.h"

namespace sportello::dispatch {

struct Attempt {
  enum class Kind {
    kDone,           // the platform answered (see http_status)
    kNotSent,        // failed before the request left (DNS, refused connection)
    kUnknown,        // a timeout or broken connection once the request was out
  };
  Kind kind = Kind::kDone;
  int http_status = 0;  // SMTP: 250 ok, 4xx temporary, 5xx permanent
  std::optional<absl::Duration> retry_after;  // from the platform (429/503)
  std::string remote_id;
  std::string error;  // short, never a URL or a credential
};

struct RetryPolicy {
  int max_attempts = 8;
  absl::Duration base = absl::Seconds(5);
  absl::Duration cap = absl::Minutes(30);
  absl::Duration mastodon_key_lifetime = absl::Hours(1);
};

// Exponential backoff with "equal jitter": half of base*2^(n-1) (capped),
// plus `jitter` (in [0,1)) times the other half. `attempt` counts from 1.
absl::Duration Backoff(int attempt, const RetryPolicy& policy, double jitter);

struct Decision {
  DeliveryState state = DeliveryState::kPending;
  absl::Time next_attempt_at;  // for kPending
  bool mark_account = false;   // 401/403: the account needs new credentials
  std::string error;
};

// `delivery` as it was when claimed (attempts already counting this one).
Decision Decide(const Delivery& delivery, Channel channel, const Attempt& attempt, const RetryPolicy& policy,
                absl::Time now, double jitter);

// A delivery claimed in state sending that no worker finished (the worker
// died mid-call): Mastodon and webhooks are resent with the same key/id
// (the receiver deduplicates; Mastodon only within the key's hour),
// Telegram and e-mail become uncertain.
DeliveryState AfterInterruptedSend(const Delivery& delivery, Channel channel, const RetryPolicy& policy,
                                   absl::Time now);

}  // namespace sportello::dispatch
