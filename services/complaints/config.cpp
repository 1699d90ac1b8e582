#include "services/complaints/config.h"

#include <arpa/inet.h>

#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"
#include "common/config.h"
#include "common/grpc/client_address.h"
#include "common/log.h"

namespace sportello::complaints {

Config Config::Read(Settings& s) {
  Config c;
  c.catalogue_addr = ReadServiceAddress(s, "SPORTELLO_CATALOGUE_ADDR", "127.0.0.1:50051",
                                        "gRPC address of the catalogue (categories, tenants, offices)");
  int retention_days = s.Int("SPORTELLO_COMPLAINTS_RETENTION_DAYS", 365,
                             "days after closure before the reporter's personal data are purged");
  int reopen_days = s.Int("SPORTELLO_COMPLAINTS_REOPEN_DAYS", 30,
                          "days after closure in which the citizen may reopen a request");
  c.service.submissions_per_minute =
      s.Int("SPORTELLO_COMPLAINTS_SUBMIT_PER_MINUTE", 20,
            "anonymous submissions allowed per minute per client address and tenant");
  c.service.submission_burst = s.Int("SPORTELLO_COMPLAINTS_SUBMIT_BURST", 10,
                                     "anonymous submissions allowed at once before the per-minute rate");
  c.service.trusted_proxies = ReadTrustedGateways(s, "SPORTELLO_COMPLAINTS_TRUSTED_PROXIES");
  c.background.escalation_interval = absl::Seconds(
      s.Seconds("SPORTELLO_COMPLAINTS_ESCALATION_INTERVAL", 30, "seconds between scans for overdue requests"));

  c.catalogue_ttl = absl::Seconds(s.Seconds(
      "SPORTELLO_COMPLAINTS_CATALOGUE_TTL", 60,
      "seconds a tenant or category read from the catalogue is kept while its change announcements are heard "
      "(0: never kept)"));
  c.catalogue_fallback_ttl = absl::Seconds(
      s.Seconds("SPORTELLO_COMPLAINTS_CATALOGUE_FALLBACK_TTL", 5,
                "the same while Redis's change announcements are not heard"));

  if (retention_days < 1) s.Error("SPORTELLO_COMPLAINTS_RETENTION_DAYS must be at least 1");
  if (reopen_days < 0) s.Error("SPORTELLO_COMPLAINTS_REOPEN_DAYS cannot be negative");
  c.service.retention = c.background.retention = absl::Hours(24) * retention_days;
  c.service.citizen_reopen_window = absl::Hours(24) * reopen_days;
  return c;
}

CatalogueCacheOptions Config::CatalogueCache(const std::string& redis_url) const {
  CatalogueCacheOptions o;
  o.redis_url = redis_url;
  o.live_ttl = catalogue_ttl;
  o.fallback_ttl = catalogue_fallback_ttl;
  return o;
}

}  // namespace sportello::complaints
