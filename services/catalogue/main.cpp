// sportello-catalogue: the information catalogue service.
#include "common/grpc/service_main.h"
#include "services/catalogue/catalogue_service.h"
#include "services/catalogue/config.h"
#include "services/catalogue/service_spec.h"

namespace sportello::catalogue {

struct Instance : ServiceInstance {
  Instance(const Config& c, ServiceContext& ctx)
      : stores(ctx.pool), service(stores, ctx.cache, ctx.rpc, ctx.zone, ctx.clock,
                {ctx.config.redis_url, {.live_ttl = c.memory_ttl, .fallback_ttl = absl::ZeroDuration()}}) {}

  CatalogueStores stores;
  CatalogueService service;

  std::vector<grpc::Service*> GrpcServices() override { return {&service}; }
};

}  // namespace sportello::catalogue

int main(int argc, char** argv) {
  using namespace sportello::catalogue;
  return sportello::RunService<Config, Instance>(argc, argv, Spec());
}
