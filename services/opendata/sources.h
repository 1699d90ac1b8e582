#pragma once
// What the open data service reads from the other services, over gRPC only
// (never their schemas), as the plain records of builders.h. Blocking calls
// from worker threads; `bearer` is the token the calls carry (the operator's
// who asked for a refresh, or the service's own for scheduled ones): the
// statistics are for the tenant's staff.
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/tls_config.h"
#include "services/opendata/builders.h"

namespace sportello {
struct Caller;
}

namespace sportello::opendata {

struct TenantRecord {
  std::string code, name, pec;
};

class Sources {
 public:
  Sources(const std::string& catalogue_addr, const std::string& complaints_addr, const std::string& surveys_addr,
          const TlsConfig& tls,
          absl::Duration deadline = absl::Seconds(10));
  ~Sources();

  absl::StatusOr<TenantRecord> Tenant(const Caller& caller, const std::string& code);
  absl::StatusOr<std::vector<TenantRecord>> Tenants(const Caller& caller);
  absl::StatusOr<std::vector<ServiceRecord>> Services(const Caller& caller, const std::string& tenant);
  absl::StatusOr<std::vector<OfficeRecord>> Offices(const Caller& caller, const std::string& tenant);
  // The last `months` calendar months up to `now`, one GetStats call each.
  absl::StatusOr<std::vector<MonthStats>> Monthly(const Caller& caller, const std::string& bearer,
                                                  const std::string& tenant, absl::Time now, absl::TimeZone zone,
                                                  int months);
  absl::StatusOr<std::vector<PublicRequestRecord>> PublicRequests(const Caller& caller, const std::string& tenant);
  // The last `months` calendar months up to `now` of the tenant's published
  // surveys' indices, grouped by service and by channel: GetIndices as the
  // public calls it (no token: only surveys whose results are published).
  absl::StatusOr<std::vector<SurveyMonthRecord>> Satisfaction(const Caller& caller, const std::string& tenant,
                                                              absl::Time now, absl::TimeZone zone, int months);
  absl::StatusOr<std::vector<RegisterRecord>> Register(const Caller& caller, const std::string& tenant,
                                                       const std::string& from_date, const std::string& to_date);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sportello::opendata
