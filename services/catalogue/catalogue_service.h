#pragma once
// The gRPC surface of the catalogue: request -> domain/store -> response.
// The only catalogue file that includes generated gRPC code.
//
// Reads are cache-aside in Redis under one version for the whole catalogue
// (common/cache/versioned.h): every committed write bumps it, so the next
// read on any replica sees the write. Writes are rare (operators editing
// cards), reads are many (municipal websites), so one scope is enough.
//
// In front of Redis, each replica keeps the same answers in its memory
// (common/cache/local_cache.h), so that a hit costs no Redis round trip. A
// write drops this replica's entries before it answers (read-your-writes);
// another replica's write reaches it as the catalogue's change announcement
// on Redis (common/cache/changes.h), which drops everything. Without the
// channel the memory serves nothing (fallback_ttl 0 by default) and reads
// go to Redis as before.
#include <memory>

#include "common/cache/changes.h"
#include "common/cache/local_cache.h"
#include "common/cache/versioned.h"
#include "common/clock.h"
#include "common/grpc/rpc.h"
#include "services/catalogue/store.h"
#include "sportello/v1/catalogue.grpc.pb.h"

namespace sportello::catalogue {

// Every store of the catalogue, over one connection pool.
struct CatalogueStores {
  explicit CatalogueStores(db::Pool& pool)
      : tenants(pool), offices(pool), services(pool), changes(pool), search(pool) {}
  TenantStore tenants;
  OfficeStore offices;
  ServiceStore services;
  ChangeStore changes;
  SearchStore search;
};

// The replica's memory in front of Redis: `redis_url` empty or `live_ttl`
// 0 keeps nothing (tests that build the service without it).
struct LocalCacheConfig {
  std::string redis_url;  // where the change announcements are heard
  cache::LocalCacheOptions options{.live_ttl = absl::ZeroDuration(), .fallback_ttl = absl::ZeroDuration()};
};

class CatalogueService final : public sportello::v1::CatalogueService::CallbackService {
 public:
  // `clock` gives "now" to availability and review staleness; tests move it.
  CatalogueService(CatalogueStores& stores, cache::RedisCache& redis, RpcRunner& rpc, absl::TimeZone zone,
                   const Clock& clock = SystemClock::Instance(), LocalCacheConfig local = {});
  ~CatalogueService() override;

  // The memory in front of Redis (public for tests).
  const cache::LocalCache<std::string>& local_cache() const { return local_; }

  using Ctx = grpc::CallbackServerContext;
  using Reactor = grpc::ServerUnaryReactor;
  using Empty = google::protobuf::Empty;

  Reactor* CreateTenant(Ctx*, const v1::CreateTenantRequest*, v1::Tenant*) override;
  Reactor* GetTenant(Ctx*, const v1::GetTenantRequest*, v1::Tenant*) override;
  Reactor* ListTenants(Ctx*, const v1::ListTenantsRequest*, v1::ListTenantsResponse*) override;

  Reactor* CreateOffice(Ctx*, const v1::CreateOfficeRequest*, v1::Office*) override;
  Reactor* GetOffice(Ctx*, const v1::GetOfficeRequest*, v1::Office*) override;
  Reactor* ListOffices(Ctx*, const v1::ListOfficesRequest*, v1::ListOfficesResponse*) override;
  Reactor* UpdateOffice(Ctx*, const v1::UpdateOfficeRequest*, v1::Office*) override;
  Reactor* DeleteOffice(Ctx*, const v1::DeleteOfficeRequest*, Empty*) override;
  Reactor* GetOfficeAvailability(Ctx*, const v1::GetOfficeAvailabilityRequest*, v1::OfficeAvailability*) override;

  Reactor* CreateService(Ctx*, const v1::CreateServiceRequest*, v1::Service*) override;
  Reactor* GetService(Ctx*, const v1::GetServiceRequest*, v1::Service*) override;
  Reactor* ListServices(Ctx*, const v1::ListServicesRequest*, v1::ListServicesResponse*) override;
  Reactor* UpdateService(Ctx*, const v1::UpdateServiceRequest*, v1::Service*) override;
  Reactor* DeleteService(Ctx*, const v1::DeleteServiceRequest*, Empty*) override;
  Reactor* GetServiceJsonLd(Ctx*, const v1::GetServiceRequest*, v1::RawBody*) override;
  Reactor* GetServiceCompleteness(Ctx*, const v1::GetServiceRequest*, v1::ServiceCompleteness*) override;
  Reactor* GetCompletenessReport(Ctx*, const v1::GetCompletenessReportRequest*, v1::CompletenessReport*) override;
  Reactor* ListCategories(Ctx*, const v1::ListCategoriesRequest*, v1::ListCategoriesResponse*) override;
  Reactor* GetCategory(Ctx*, const v1::GetCategoryRequest*, v1::Category*) override;
  Reactor* ListChanges(Ctx*, const v1::ListChangesRequest*, v1::ListChangesResponse*) override;
  Reactor* Search(Ctx*, const v1::SearchRequest*, v1::SearchResponse*) override;

 private:
  // Serves `response` from the cache when it holds the answer to `request`,
  // else runs `load` and caches what it produced.
  absl::Status Cached(std::string_view method, const google::protobuf::Message& request,
                      google::protobuf::Message* response, const std::function<absl::Status()>& load);
  // For RpcRunner::Run's `from_memory`: what Cached(method, request) left in
  // this replica's memory, answered on the gRPC thread; nullopt otherwise.
  std::function<std::optional<absl::Status>(const Caller&)> FromMemory(std::string_view method,
                                                                       const google::protobuf::Message* request,
                                                                       google::protobuf::Message* response);
  // After a committed write: every cached read becomes stale at once.
  // This replica's memory is dropped after Redis's version moved, so a read
  // racing with the write cannot store the old answer again.
  void Invalidate() {
    cache_.Bump("catalogue");
    local_.DropAll();
  }
  // NOT_FOUND for an unknown tenant code.
  absl::Status RequireTenant(const std::string& code);
  // INVALID_ARGUMENT unless `parent_id` (may be empty) is an office of
  // `tenant` whose chain of parents does not reach `office_id`.
  absl::Status CheckParentOffice(const std::string& tenant, const std::string& office_id,
                                 const std::string& parent_id);

  CatalogueStores& stores_;
  cache::VersionedCache cache_;
  RpcRunner& rpc_;
  absl::TimeZone zone_;
  const Clock& clock_;
  cache::LocalCache<std::string> local_;  // serialized answers, by method and request
  std::unique_ptr<cache::ChangeSubscriber> subscriber_;  // last: stopped first
};

}  // namespace sportello::catalogue
