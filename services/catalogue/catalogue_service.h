#pragma once
// The gRPC surface of the catalogue: request -> domain/store -> response.
// The only catalogue file that includes generated gRPC code.
//
// Reads are cache-aside in Redis under one version for the whole catalogue
// (common/cache/versioned.h): every committed write bumps it, so the next
// read on any replica sees the write. Writes are rare (operators editing
// cards), reads are many (municipal websites), so one scope is enough.
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

class CatalogueService final : public sportello::v1::CatalogueService::CallbackService {
 public:
  // `clock` gives "now" to availability and review staleness; tests move it.
  CatalogueService(CatalogueStores& stores, cache::RedisCache& redis, RpcRunner& rpc, absl::TimeZone zone,
                   const Clock& clock = SystemClock::Instance());

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
  // After a committed write: every cached read becomes stale at once.
  void Invalidate() { cache_.Bump("catalogue"); }
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
};

}  // namespace sportello::catalogue
