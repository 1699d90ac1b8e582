// sportello-complaints: citizens' requests, complaints and reports.
#include "common/grpc/service_main.h"
#include "services/complaints/config.h"
#include "services/complaints/service_spec.h"

namespace sportello::complaints {

struct Instance : ServiceInstance {
  Instance(const Config& c, ServiceContext& ctx)
      : store(ctx.pool, ctx.zone, ctx.clock, &ctx.metrics),
        client(c.catalogue_addr, ctx.config.tls),
        catalogue(client, ctx.clock, c.CatalogueCache(ctx.config.redis_url)),
        service(store, catalogue, ctx.rpc, ctx.cache, ctx.zone, ctx.clock, c.service),
        jobs(store, ctx.clock, c.background) { catalogue.Start(); }

  RequestStore store;
  CatalogueClient client;
  CachedCatalogue catalogue;  // the tenants and categories a submission needs
  ComplaintsService service;
  Background jobs;

  std::vector<grpc::Service*> GrpcServices() override { return {&service}; }
};

}  // namespace sportello::complaints

int main(int argc, char** argv) {
  using namespace sportello::complaints;
  return sportello::RunService<Config, Instance>(argc, argv, Spec());
}
