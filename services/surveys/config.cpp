#include "services/surveys/config.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "common/config.h"
#include "common/grpc/client_address.h"
#include "common/tenancy.h"

namespace sportello::surveys {

Config Config::Read(Settings& s) {
  Config c;
  c.complaints_addr = ReadServiceAddress(s, "SPORTELLO_COMPLAINTS_ADDR", "127.0.0.1:50052",
                                         "gRPC address of complaints (tracking tokens of closed requests)");
  c.catalogue_addr = ReadServiceAddress(s, "SPORTELLO_CATALOGUE_ADDR", "127.0.0.1:50051",
                                        "gRPC address of the catalogue (services and offices a survey names)");
  int retention_days = s.Int("SPORTELLO_SURVEYS_TEXT_RETENTION_DAYS", 365,
                             "days after which free-text answers are deleted (the other answers stay)");
  c.purge.interval = absl::Seconds(
      s.Seconds("SPORTELLO_SURVEYS_PURGE_INTERVAL", 3600, "seconds between purges of old free-text answers"));
  c.service.threshold = s.Int("SPORTELLO_SURVEYS_SUPPRESSION_THRESHOLD", kDefaultSuppressionThreshold,
                              "fewer responses than this: no figure is published");
  std::string per_tenant = s.String("SPORTELLO_SURVEYS_TENANT_THRESHOLDS", "",
                                    "per-tenant thresholds, ipa_code=n comma separated (c_f027=15)");
  c.service.answers_per_minute = s.Int("SPORTELLO_SURVEYS_ANSWERS_PER_MINUTE", 10,
                                       "anonymous answers per minute per client address and survey");
  c.service.answer_burst =
      s.Int("SPORTELLO_SURVEYS_ANSWER_BURST", 5, "anonymous answers allowed at once before the per-minute rate");
  c.service.comments_per_minute = s.Int("SPORTELLO_SURVEYS_COMMENTS_PER_MINUTE", 2,
                                        "anonymous consultation comments per minute per client address and consultation");
  c.service.comment_burst = s.Int("SPORTELLO_SURVEYS_COMMENT_BURST", 3,
                                  "anonymous consultation comments allowed at once before the per-minute rate");
  int validity_days = s.Int("SPORTELLO_SURVEYS_INVITATION_DAYS", 30,
                            "days an invitation stays valid (post-resolution and minted without valid_days)");
  c.service.trusted_proxies = ReadTrustedGateways(s, "SPORTELLO_SURVEYS_TRUSTED_PROXIES");

  if (retention_days < 1) s.Error("SPORTELLO_SURVEYS_TEXT_RETENTION_DAYS must be at least 1");
  if (validity_days < 1) s.Error("SPORTELLO_SURVEYS_INVITATION_DAYS must be at least 1");
  if (c.service.threshold < 2) s.Error("SPORTELLO_SURVEYS_SUPPRESSION_THRESHOLD must be at least 2");
  for (absl::string_view entry : absl::StrSplit(per_tenant, ',', absl::SkipWhitespace())) {
    std::pair<std::string, std::string> kv = absl::StrSplit(entry, absl::MaxSplits('=', 1));
    auto tenant = CanonicalTenant(kv.first);
    int n = 0;
    if (!tenant.ok() || !absl::SimpleAtoi(kv.second, &n) || n < 2) {
      s.Error("SPORTELLO_SURVEYS_TENANT_THRESHOLDS: expected ipa_code=n (n >= 2), not " + std::string(entry));
      continue;
    }
    c.service.tenant_thresholds[*tenant] = n;
  }
  c.purge.text_retention = absl::Hours(24) * retention_days;
  c.service.invitation_validity = absl::Hours(24) * validity_days;
  return c;
}

}  // namespace sportello::surveys
