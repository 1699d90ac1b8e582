// sportello-complaints: citizens' requests, complaints and reports.
#include "common/grpc/service_main.h"
#include "services/complaints/config.h"
#include "services/complaints/embedded.h"

namespace sportello::complaints {

struct Instance : ServiceInstance {
  Instance(const Config& c, ServiceContext& ctx)
      : store(ctx.pool, ctx.zone),
        catalogue(c.catalogue_addr),
        service(store, catalogue, ctx.rpc, ctx.cache, ctx.zone, c.service),
        jobs(store, c.background) {}
  std::vector<grpc::Service*> GrpcServices() override { return {&service}; }

  RequestStore store;
  CatalogueClient catalogue;
  ComplaintsService service;
  Background jobs;
};

}  // namespace sportello::complaints

int main(int argc, char** argv) {
  using namespace sportello;
  return RunService<complaints::Config, complaints::Instance>(
      argc, argv,
      {.name = "complaints", .proto_service = v1::ComplaintsService::service_full_name(),
       .migrations = complaints::Migrations(), .demo_sql = complaints::DemoSql()});
}
