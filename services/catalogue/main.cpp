// sportello-catalogue: the information catalogue service.
#include "common/grpc/service_main.h"
#include "services/catalogue/catalogue_service.h"
#include "services/catalogue/config.h"
#include "services/catalogue/embedded.h"

namespace sportello::catalogue {

struct Instance : ServiceInstance {
  Instance(const Config&, ServiceContext& ctx) : stores(ctx.pool), service(stores, ctx.cache, ctx.rpc, ctx.zone) {}
  std::vector<grpc::Service*> GrpcServices() override { return {&service}; }

  CatalogueStores stores;
  CatalogueService service;
};

}  // namespace sportello::catalogue

int main(int argc, char** argv) {
  using namespace sportello;
  return RunService<catalogue::Config, catalogue::Instance>(
      argc, argv,
      {.name = "catalogue", .proto_service = v1::CatalogueService::service_full_name(),
       .migrations = catalogue::Migrations(), .demo_sql = catalogue::DemoSql()});
}
