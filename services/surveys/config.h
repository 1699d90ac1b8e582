#pragma once
// The surveys service's own settings (SPORTELLO_SURVEYS_*), read once by the
// service skeleton; see `sportello-surveys --help`.
#include <map>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "services/surveys/indices.h"

namespace sportello {
class Settings;
}

namespace sportello::surveys {

struct SurveysSettings {
  int threshold = kDefaultSuppressionThreshold;  // small-n suppression
  std::map<std::string, int> tenant_thresholds;  // per tenant, where it differs
  double answers_per_minute = 10;                // anonymous, per client address and survey
  int answer_burst = 5;
  double comments_per_minute = 2;  // anonymous consultation comments, per client address and consultation
  int comment_burst = 3;
  absl::Duration dedup_window = absl::Hours(24);  // submission ids remembered in Redis
  // How long a submission id stays claimed while its answer is being stored:
  // longer than storing takes, short so that a surveys killed in between
  // (the claim left behind) only delays a retry.
  absl::Duration pending_claim = absl::Seconds(30);
  absl::Duration pending_wait = absl::Seconds(1);  // a retry waits this long for the first attempt
  absl::Duration invitation_validity = absl::Hours(24 * 30);
  // Peers whose x-client-ip is believed (the gateways), as prefixes of the gRPC peer.
  std::vector<std::string> trusted_proxies = {"ipv4:127.0.0.1:", "ipv6:[::1]:"};
  // Partners' event streams, capped as complaints' are.
  int max_streams = 16;            // concurrent streams in the process
  int max_streams_per_caller = 2;  // of them, per token (tenant and subject)
  absl::Duration stream_poll = absl::Milliseconds(500);

  int ThresholdOf(const std::string& tenant) const {
    auto it = tenant_thresholds.find(tenant);
    return it == tenant_thresholds.end() ? threshold : it->second;
  }
};

struct PurgeSettings {
  absl::Duration text_retention = absl::Hours(24 * 365);
  absl::Duration interval = absl::Hours(1);
};

struct Config {
  std::string complaints_addr;  // ResolveTrackingToken for the post-resolution survey
  std::string catalogue_addr;   // the tenants of services and offices a survey names
  SurveysSettings service;
  PurgeSettings purge;

  static Config Read(Settings& settings);
};

}  // namespace sportello::surveys
