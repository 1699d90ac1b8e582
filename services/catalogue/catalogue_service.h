#pragma once
// The gRPC surface of the catalogue: request -> domain/store -> response.
// The only catalogue file that includes generated gRPC code.
#include "common/cache/redis.h"
#include "common/grpc/rpc.h"
#include "services/catalogue/store.h"
#include "sportello/v1/catalogue.grpc.pb.h"

namespace sportello::catalogue {

class CatalogueService final : public sportello::v1::CatalogueService::CallbackService {
 public:
  CatalogueService(TenantStore& tenants, cache::RedisCache& cache, RpcRunner& rpc)
      : tenants_(tenants), cache_(cache), rpc_(rpc) {}

  grpc::ServerUnaryReactor* CreateTenant(grpc::CallbackServerContext* ctx,
                                         const sportello::v1::CreateTenantRequest* request,
                                         sportello::v1::Tenant* response) override;
  grpc::ServerUnaryReactor* GetTenant(grpc::CallbackServerContext* ctx,
                                      const sportello::v1::GetTenantRequest* request,
                                      sportello::v1::Tenant* response) override;
  grpc::ServerUnaryReactor* ListTenants(grpc::CallbackServerContext* ctx,
                                        const sportello::v1::ListTenantsRequest* request,
                                        sportello::v1::ListTenantsResponse* response) override;

 private:
  TenantStore& tenants_;
  cache::RedisCache& cache_;
  RpcRunner& rpc_;
};

}  // namespace sportello::catalogue
