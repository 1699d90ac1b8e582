// sportello-surveys: satisfaction surveys and their published indices.
#include <cstdio>
#include <cstdlib>

#include "common/grpc/service_main.h"
#include "services/surveys/background.h"
#include "services/surveys/config.h"
#include "services/surveys/embedded.h"
#include "services/surveys/event_sink.h"
#include "services/surveys/surveys_service.h"

namespace sportello::surveys {

// The access rules of sportello.v1.EventSink, checked like the service's own.
std::unique_ptr<RpcRunner> SinkRunner(ServiceContext& ctx, const auth::TokenVerifier& verifier) {
  auto rpc = RpcRunner::Create(::sportello::v1::EventSink::service_full_name(), verifier, ctx.workers, ctx.metrics);
  if (!rpc.ok()) {  // common.proto declares the rule: never happens
    std::fprintf(stderr, "EventSink: %s\n", rpc.status().ToString().c_str());
    std::abort();
  }
  return std::move(*rpc);
}

struct Instance : ServiceInstance {
  Instance(const Config& c, ServiceContext& ctx)
      : store(ctx.pool),
        catalogue(c.catalogue_addr),
        complaints(c.complaints_addr),
        service(store, catalogue, complaints, ctx.rpc, ctx.cache, ctx.clock, ctx.zone, c.service),
        verifier(ctx.config.jwt_secret),
        sink_rpc(SinkRunner(ctx, verifier)),
        sink(store, catalogue, *sink_rpc, ctx.clock, c.service),
        jobs(store, ctx.clock, c.purge) {}
  std::vector<grpc::Service*> GrpcServices() override { return {&service, &sink}; }

  SurveyStore store;
  CatalogueClient catalogue;
  ComplaintsClient complaints;
  SurveysService service;
  auth::TokenVerifier verifier;
  std::unique_ptr<RpcRunner> sink_rpc;
  EventSinkService sink;
  Background jobs;
};

}  // namespace sportello::surveys

int main(int argc, char** argv) {
  using namespace sportello;
  return RunService<surveys::Config, surveys::Instance>(
      argc, argv,
      {.name = "surveys", .proto_service = v1::SurveysService::service_full_name(),
       .migrations = surveys::Migrations(), .demo_sql = surveys::DemoSql()});
}
