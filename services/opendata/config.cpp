#include "services/opendata/config.h"

#include "common/config.h"

namespace sportello::opendata {

Config Config::Read(Settings& s) {
  Config c;
  c.catalogue_addr = ReadServiceAddress(s, "SPORTELLO_CATALOGUE_ADDR", "127.0.0.1:50051",
                                        "gRPC address of the catalogue (tenants, services, offices)");
  c.complaints_addr = ReadServiceAddress(s, "SPORTELLO_COMPLAINTS_ADDR", "127.0.0.1:50052",
                                         "gRPC address of the complaints service (statistics, public requests, register)");
  c.surveys_addr = ReadServiceAddress(s, "SPORTELLO_SURVEYS_ADDR", "127.0.0.1:50053",
                                      "gRPC address of the surveys service (published satisfaction indices)");
  c.service.public_base_url = s.String("SPORTELLO_PUBLIC_BASE_URL", "http://127.0.0.1:8080",
                                       "public base URL of the gateway: the datasets' IRIs and download URLs");
  c.service.k = s.Int("SPORTELLO_OPENDATA_K", 3, "counts and position groups under k are suppressed or coarsened");
  c.service.months = s.Int("SPORTELLO_OPENDATA_MONTHS", 12, "months in the monthly requests dataset");
  c.service.max_downloads = s.Int("SPORTELLO_OPENDATA_MAX_DOWNLOADS", 8, "distributions streaming at once");
  const double interval = s.Seconds("SPORTELLO_OPENDATA_REFRESH_INTERVAL", 6 * 3600,
                                    "seconds between scheduled refreshes of every dataset; 0: none");
  const double lease = s.Seconds("SPORTELLO_OPENDATA_REFRESH_LEASE", 1800,
                                 "seconds a replica may hold the scheduled refresh (its longest pass)");
  const double poll = s.Seconds("SPORTELLO_OPENDATA_REFRESH_POLL", 60,
                                "seconds between a replica's looks at whether a scheduled refresh is due");
  c.schedule.interval = absl::Seconds(interval);
  c.schedule.lease = absl::Seconds(lease);
  c.schedule.poll = absl::Seconds(poll);
  if (interval < 0) s.Error("SPORTELLO_OPENDATA_REFRESH_INTERVAL must not be negative");
  if (lease < 10 || poll < 0.01) s.Error("SPORTELLO_OPENDATA_REFRESH_LEASE must be at least 10, _POLL positive");
  if (c.service.k < 2) s.Error("SPORTELLO_OPENDATA_K must be at least 2");
  if (c.service.months < 1 || c.service.months > 60) s.Error("SPORTELLO_OPENDATA_MONTHS must be 1..60");
  return c;
}

}  // namespace sportello::opendata
