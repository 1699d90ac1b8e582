// sportello-opendata: the URP's open data, DCAT-AP_IT datasets with
// immutable versions and streamed distributions.
#include "common/grpc/service_main.h"
#include "services/opendata/config.h"
#include "services/opendata/service_spec.h"

namespace sportello::opendata {

struct Instance : ServiceInstance {
  Instance(const Config& c, ServiceContext& ctx)
      : store(ctx.pool, ctx.clock),
        sources(c.catalogue_addr, c.complaints_addr, c.surveys_addr, ctx.config.tls),
        service(store, sources, ctx.rpc, ctx.zone, ctx.clock, c.service),
        scheduler(store, ctx.clock, c.schedule, service.Scheduled(ctx.config.jwt_secret)) { scheduler.Start(); }

  OpenDataStore store;
  Sources sources;
  OpenDataService service;
  Scheduler scheduler;  // declared last: stops first

  std::vector<grpc::Service*> GrpcServices() override { return {&service}; }
};

}  // namespace sportello::opendata

int main(int argc, char** argv) {
  using namespace sportello::opendata;
  return sportello::RunService<Config, Instance>(argc, argv, Spec());
}
